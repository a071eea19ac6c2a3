"""GET /v1/deleted: the ids removed or merged away since a time, for incremental sync."""

from __future__ import annotations

import asyncpg
from litestar import Request, Response, get
from litestar.di import NamedDependency

from service.api.listing import ListSpec, serve_list
from service.api.openapi import list_operation
from service.db.changes import DELETED_SELECT, deleted_from_records
from service.db.filters import DELETED_FILTERS, DELETED_SORTS
from service.models import DeletedEntry, DeletedPage

DELETED = ListSpec(
    name="deleted",
    item=DeletedEntry,
    page=DeletedPage,
    select=DELETED_SELECT,
    table="deleted d",
    id_expr="d.id",
    filters=DELETED_FILTERS,
    sorts=DELETED_SORTS,
    default_sort="deleted",
    build=deleted_from_records,
)


@get(
    "/v1/deleted",
    summary="Change feed: ids removed or merged away (and into what)",
    tags=["sync"],
    operation_class=list_operation(DELETED),
)
async def list_deleted(request: Request, db: NamedDependency[asyncpg.Connection]) -> Response[DeletedPage]:
    return await serve_list(db, request, DELETED)
