"""GET /v1/events and /v1/events/{id}: events with actors, place, date, status and every attribution."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from service.api.detail import DETAIL_OPERATION, serve_one
from service.api.exports import CsvWalk, LinkRows
from service.api.listing import ListSpec, serve_list
from service.api.openapi import list_operation
from service.db import claims as claim_db
from service.db.actors import actors_by_id
from service.db.events import (
    ACTOR_ROW_COLUMNS,
    ATTRIBUTION_ROW_COLUMNS,
    CSV_RECORD,
    EVENT_CSV_BY_ID,
    EVENT_CSV_RUNNING,
    EVENT_CSV_SELECT,
    EVENT_CSV_WALK,
    EVENT_CSV_WALK_FILTERS,
    EVENT_KEYS_SELECT,
    EVENT_LIST_SELECT,
    EVERY_EVENT_RECORDED,
    GEO_CONDITION,
    SELECT_ACTOR_ROWS,
    SELECT_ATTRIBUTION_ROWS,
    EventExport,
    actor_ids_of,
    csv_cut_sql,
    event_json,
    events_from_records,
    source_ids_of,
)
from service.db.filters import EVENT_FILTERS, EVENT_SORTS, sorts_for
from service.db.sources import sources_by_id
from service.models import Event, EventPage


async def _include_actors(db: asyncpg.Connection, events: list[Any]) -> list[Any]:
    return await actors_by_id(db, actor_ids_of(events))


async def _include_sources(db: asyncpg.Connection, events: list[Any]) -> list[Any]:
    return await sources_by_id(db, source_ids_of(events))


async def _include_claims(db: asyncpg.Connection, events: list[Any]) -> list[Any]:
    return await claim_db.claims_of_events(db, [e.id for e in events])


EVENTS = ListSpec(
    name="events",
    item=Event,
    page=EventPage,
    select=EVENT_LIST_SELECT,
    table="events e",
    id_expr="e.id",
    filters=EVENT_FILTERS,
    sorts=EVENT_SORTS,
    default_sort="-date",
    build=events_from_records,
    includes={"actors": _include_actors, "sources": _include_sources, "claims": _include_claims},
    formats=("json", "ndjson", "csv", "geojson"),
    geo_condition=GEO_CONDITION,
    exporter=EventExport,
    document="document",
    flat="csv_row",
    csv_select=EVENT_CSV_SELECT,
    csv_record=CSV_RECORD,
    csv_cut=csv_cut_sql,
    csv_by_id=EVENT_CSV_BY_ID,
    keys_select=EVENT_KEYS_SELECT,
    csv_walk=CsvWalk(
        select=EVENT_CSV_WALK,
        table="event_csv c",
        id_expr="c.event_id",
        sorts=sorts_for("c", "date_start"),
        filters=EVENT_CSV_WALK_FILTERS,
        running={"from": EVENT_CSV_RUNNING},
        filter_sorts=frozenset({"-date", "date"}),
        ready=EVERY_EVENT_RECORDED,
    ),
    link_rows={
        "attributions": LinkRows(ATTRIBUTION_ROW_COLUMNS, SELECT_ATTRIBUTION_ROWS),
        "actors": LinkRows(ACTOR_ROW_COLUMNS, SELECT_ACTOR_ROWS),
    },
)


class EventController(Controller):
    path = "/v1/events"
    tags = ["events"]  # noqa: RUF012 - Litestar reads it as a class attribute

    @get(
        "/",
        summary="List events (filters, keyset paging, JSON/NDJSON/CSV/GeoJSON)",
        operation_class=list_operation(EVENTS),
    )
    async def list_events(
        self, request: Request, db: NamedDependency[asyncpg.Connection]
    ) -> Response[EventPage]:
        return await serve_list(db, request, EVENTS)

    @get(
        "/{event_id:str}",
        summary="One event with all its attributions and conflicts",
        operation_class=DETAIL_OPERATION,
    )
    async def get_one(
        self,
        request: Request,
        db: NamedDependency[asyncpg.Connection],
        event_id: str = Parameter(description="Event id, e.g. evt_…"),
    ) -> Response[Event]:
        return await serve_one(db, request, lambda: event_json(db, event_id), "event", event_id)
