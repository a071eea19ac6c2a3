"""GET /v1/actors (alias search), /v1/actors/{id}, /v1/actors/{id}/events and /v1/actors/{id}/network."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from service.api.caching import cached_json, matches, not_modified, request_etag
from service.api.detail import DETAIL_OPERATION, serve_one
from service.api.events import EVENTS
from service.api.listing import ListSpec, parse_filters, parse_limit, serve_list
from service.api.openapi import control_parameter, filter_parameter, list_operation, make_operation
from service.db.actors import ACTOR_SELECT, actor_network, actors_by_id, actors_from_records, get_actor
from service.db.filters import ACTOR_FILTERS, ACTOR_SORTS, EVENT_FILTERS, SqlQuery
from service.errors import NotFound
from service.models import Actor, ActorNetwork, ActorPage, EventPage

ACTORS = ListSpec(
    name="actors",
    item=Actor,
    page=ActorPage,
    select=ACTOR_SELECT,
    table="actors a",
    id_expr="a.id",
    filters=ACTOR_FILTERS,
    sorts=ACTOR_SORTS,
    default_sort="id",
    build=actors_from_records,
)

# An actor's events: as a participant or as the place (the way event_count counts them).
ACTOR_EVENTS = (
    "e.id IN (SELECT ea.event_id FROM event_actors ea WHERE ea.actor_id = {p0}) OR e.location_actor_id = {p0}"
)

NETWORK_OPERATION = make_operation(
    [filter_parameter(name, f) for name, f in EVENT_FILTERS.items()]
    + [
        control_parameter("limit", "Most frequent co-actors to return, 1-1000 (default 50).", [], [], [], []),
        control_parameter(
            "actor_match", "With several actor/country values: any (default) or all.", [], [], [], []
        ),
    ],
    not_found=True,
)


async def _existing(db: asyncpg.Connection, actor_id: str) -> Actor:
    found = [] if "\x00" in actor_id else await actors_by_id(db, [actor_id])
    if not found:
        raise NotFound(f"No actor with id {actor_id!r}")
    return found[0]


class ActorController(Controller):
    path = "/v1/actors"
    tags = ["actors"]  # noqa: RUF012 - Litestar reads it as a class attribute

    @get(
        "/",
        summary="List and search actors (any alias, Arabic or English)",
        operation_class=list_operation(ACTORS),
    )
    async def list_actors(
        self, request: Request, db: NamedDependency[asyncpg.Connection]
    ) -> Response[ActorPage]:
        return await serve_list(db, request, ACTORS)

    @get(
        "/{actor_id:str}",
        summary="One actor: aliases and roles with their attributions",
        operation_class=DETAIL_OPERATION,
    )
    async def get_one(
        self,
        request: Request,
        db: NamedDependency[asyncpg.Connection],
        actor_id: str = Parameter(description="Actor id, e.g. act_…"),
    ) -> Response[Actor]:
        return await serve_one(db, request, lambda: get_actor(db, actor_id), "actor", actor_id)

    @get(
        "/{actor_id:str}/events",
        summary="The events of an actor (same filters and formats as /v1/events)",
        operation_class=list_operation(EVENTS, not_found=True),
    )
    async def list_events(
        self,
        request: Request,
        db: NamedDependency[asyncpg.Connection],
        actor_id: str = Parameter(description="Actor id"),
    ) -> Response[EventPage]:
        await _existing(db, actor_id)
        query = SqlQuery()
        query.add(ACTOR_EVENTS, [actor_id])
        return await serve_list(db, request, EVENTS, query)

    @get(
        "/{actor_id:str}/network",
        summary="Who an actor appears with: co-actors, counts and event ids",
        operation_class=NETWORK_OPERATION,
    )
    async def network(
        self,
        request: Request,
        db: NamedDependency[asyncpg.Connection],
        actor_id: str = Parameter(description="Actor id"),
    ) -> Response[ActorNetwork]:
        query = SqlQuery(args=[actor_id])
        await parse_filters(db, request, EVENT_FILTERS, {"limit", "actor_match"}, query)
        limit = parse_limit(request, 50)
        actor = await _existing(db, actor_id)
        etag = await request_etag(db, request)
        if matches(request, etag):
            return not_modified(etag)
        result: Any = await actor_network(db, actor, query, limit or 50)
        return cached_json(result, etag)
