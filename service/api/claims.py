"""GET /v1/claims and /v1/claims/{id}: who said what, through whom, with which stance."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from service.api.detail import DETAIL_OPERATION, serve_one
from service.api.listing import ListSpec, serve_list
from service.api.openapi import list_operation
from service.db.actors import actors_by_id
from service.db.claims import CLAIM_SELECT, actor_ids_of, claims_from_records, get_claim
from service.db.events import claim_event_ids, events_by_id
from service.db.filters import CLAIM_FILTERS, CLAIM_SORTS
from service.db.sources import sources_by_id
from service.models import Claim, ClaimPage


async def _include_actors(db: asyncpg.Connection, claims: list[Any]) -> list[Any]:
    return await actors_by_id(db, actor_ids_of(claims))


async def _include_sources(db: asyncpg.Connection, claims: list[Any]) -> list[Any]:
    return await sources_by_id(db, sorted({c.attribution.source_id for c in claims}))


async def _include_events(db: asyncpg.Connection, claims: list[Any]) -> list[Any]:
    return await events_by_id(db, claim_event_ids(claims))


CLAIMS = ListSpec(
    name="claims",
    item=Claim,
    page=ClaimPage,
    select=CLAIM_SELECT,
    table="claims c",
    id_expr="c.id",
    filters=CLAIM_FILTERS,
    sorts=CLAIM_SORTS,
    default_sort="id",
    build=claims_from_records,
    includes={"actors": _include_actors, "sources": _include_sources, "events": _include_events},
)


class ClaimController(Controller):
    path = "/v1/claims"
    tags = ["claims"]  # noqa: RUF012 - Litestar reads it as a class attribute

    @get(
        "/",
        summary="List claims (speaker, relay, channel, stance, quote, contradictions)",
        operation_class=list_operation(CLAIMS),
    )
    async def list_claims(
        self, request: Request, db: NamedDependency[asyncpg.Connection]
    ) -> Response[ClaimPage]:
        return await serve_list(db, request, CLAIMS)

    @get("/{claim_id:str}", summary="One claim", operation_class=DETAIL_OPERATION)
    async def get_one(
        self,
        request: Request,
        db: NamedDependency[asyncpg.Connection],
        claim_id: str = Parameter(description="Claim id, e.g. clm_…"),
    ) -> Response[Claim]:
        return await serve_one(db, request, lambda: get_claim(db, claim_id), "claim", claim_id)
