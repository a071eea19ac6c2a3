"""GET /v1/conflicts and /v1/conflicts/{id}: where sources disagree, value by value."""

from __future__ import annotations

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from service.api.detail import DETAIL_OPERATION, serve_one
from service.api.listing import ListSpec, serve_list
from service.api.openapi import list_operation
from service.db.conflicts import CONFLICT_SELECT, conflicts_by_id, conflicts_from_records
from service.db.filters import CONFLICT_FILTERS, CONFLICT_SORTS
from service.models import Conflict, ConflictPage

CONFLICTS = ListSpec(
    name="conflicts",
    item=Conflict,
    page=ConflictPage,
    select=CONFLICT_SELECT,
    table="conflicts k",
    id_expr="k.id",
    filters=CONFLICT_FILTERS,
    sorts=CONFLICT_SORTS,
    default_sort="id",
    build=conflicts_from_records,
)


async def _get_conflict(db: asyncpg.Connection, conflict_id: str) -> Conflict | None:
    found = await conflicts_by_id(db, [conflict_id])
    return found[0] if found else None


class ConflictController(Controller):
    path = "/v1/conflicts"
    tags = ["conflicts"]  # noqa: RUF012 - Litestar reads it as a class attribute

    @get("/", summary="List conflicts between sources", operation_class=list_operation(CONFLICTS))
    async def list_conflicts(
        self, request: Request, db: NamedDependency[asyncpg.Connection]
    ) -> Response[ConflictPage]:
        return await serve_list(db, request, CONFLICTS)

    @get("/{conflict_id:str}", summary="One conflict", operation_class=DETAIL_OPERATION)
    async def get_one(
        self,
        request: Request,
        db: NamedDependency[asyncpg.Connection],
        conflict_id: str = Parameter(description="Conflict id, e.g. cfl_…"),
    ) -> Response[Conflict]:
        return await serve_one(db, request, lambda: _get_conflict(db, conflict_id), "conflict", conflict_id)
