"""The peer: Marsad's event endpoints as a FastAPI + pydantic v2 + asyncpg service would write them.

Same paths, parameters, SQL (bench.peers.data) and response shapes; typed query parameters and
response models, one pooled connection and transaction per request, as the FastAPI docs advise.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Annotated, Literal

import asyncpg
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from bench.peers import data


class ActorRef(BaseModel):
    id: str
    kind: Literal["person", "organization", "country", "place", "weapon"]
    name_ar: str
    name_en: str | None = None


class Attribution(BaseModel):
    source_id: str
    outlet: str | None
    published_on: date | None
    span: tuple[int, int]
    quote: str
    via: ActorRef | None = None


class EventDate(BaseModel):
    start: date | None
    end: date | None
    precision: Literal["day", "month", "year", "range", "unknown"]
    basis: Literal["explicit", "relative", "inferred"] | None
    reason: str | None = None


class Location(BaseModel):
    id: str
    name_ar: str
    name_en: str | None
    lat: float | None = None
    lon: float | None = None


class EventActor(BaseModel):
    actor: ActorRef
    role: Literal["source", "target", "participant", "mentioned"]


class Summary(BaseModel):
    en: str
    ar: str


class ConflictValue(BaseModel):
    value: str
    attributions: list[Attribution]
    claim_ids: list[str] = []


class SubjectRef(BaseModel):
    kind: Literal["actor", "event"]
    id: str


class Conflict(BaseModel):
    id: str
    kind: Literal["attribute", "claim"]
    subject: SubjectRef
    field: str
    values: list[ConflictValue]
    updated_at: datetime | None = None


class Event(BaseModel):
    id: str
    type: str
    mode: str | None
    cameo: str | None
    status: Literal["occurred", "planned", "speculative", "denied"]
    date: EventDate
    location: Location | None
    actors: list[EventActor]
    summary: Summary
    confidence: float
    attributions: list[Attribution]
    source_count: int
    conflicts: list[Conflict] = []
    updated_at: datetime | None = None


class Claim(BaseModel):
    id: str
    speaker: ActorRef | None
    via: ActorRef | None
    channel: Literal["statement", "press_conference", "social_media", "interview", "report"]
    stance: Literal["asserts", "denies", "expects", "speculates"]
    said_on: date | None
    about: list[ActorRef]
    event_id: str | None
    attribution: Attribution
    contradicts: list[str] = []
    confidence: float = 1.0
    updated_at: datetime | None = None


class Included(BaseModel):
    claims: list[Claim] = []


class EventPage(BaseModel):
    data: list[Event]
    next: str | None
    included: Included | None = None


class EventDetail(Event):
    included: Included | None = None


class TimelineBucket(BaseModel):
    period: date
    key: str | None
    label: str | None
    count: int


class Timeline(BaseModel):
    interval: str
    group_by: str
    buckets: list[TimelineBucket]


class FacetValue(BaseModel):
    value: str
    label: str | None
    count: int


class Facets(BaseModel):
    total: int
    facets: dict[str, list[FacetValue]]


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await data.create_pool(os.environ["BENCH_DSN"])
    yield
    await app.state.pool.close()


app = FastAPI(title="FastAPI peer", lifespan=lifespan)


async def connection(request: Request) -> AsyncIterator[asyncpg.Connection]:
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        yield conn


Conn = Annotated[asyncpg.Connection, Depends(connection)]


class EventFilters(BaseModel):
    """The filter parameters, validated by pydantic like any FastAPI query model."""

    from_: date | None = None
    to: date | None = None
    actor: list[str] = []
    type: list[str] = []
    status: list[Literal["occurred", "planned", "speculative", "denied"]] = []
    q: str | None = None

    def pairs(self) -> list[tuple[str, str]]:
        out = [("from", self.from_.isoformat())] if self.from_ else []
        out += [("to", self.to.isoformat())] if self.to else []
        out += [("actor", a) for a in self.actor] + [("type", t) for t in self.type]
        out += [("status", s) for s in self.status] + ([("q", self.q)] if self.q else [])
        return out


def event_filters(
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: date | None = None,
    actor: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies defaults
    type: Annotated[list[str], Query()] = [],  # noqa: B006
    status: Annotated[list[Literal["occurred", "planned", "speculative", "denied"]], Query()] = [],  # noqa: B006
    q: str | None = None,
) -> EventFilters:
    return EventFilters(from_=from_, to=to, actor=actor, type=type, status=status, q=q)


Filters = Annotated[EventFilters, Depends(event_filters)]


@app.get("/v1/events", response_model=EventPage)
async def list_events(
    db: Conn,
    filters: Filters,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
    cursor: str | None = None,
    include: str | None = None,
    format: Literal["json", "ndjson", "csv"] = "json",
    rows: Literal["events", "attributions", "actors"] = "events",
):
    pairs = filters.pairs()
    if format == "ndjson":  # every matching row unless a limit is given
        pairs += [("limit", str(limit))] if limit else []
        return StreamingResponse(_ndjson(pairs), media_type="application/x-ndjson")
    if format == "csv":  # the stored CSV rows, by the same batches as Marsad's
        pairs += ([("limit", str(limit))] if limit else []) + [("rows", rows)]
        return StreamingResponse(data.export_chunks(app.state.pool, pairs, "csv"), media_type="text/csv")
    pairs += [("limit", str(limit or data.DEFAULT_LIMIT))] + ([("cursor", cursor)] if cursor else [])
    pairs += [("include", include)] if include else []
    rows, token = await data.event_page(db, pairs)
    included = {"claims": data.claim_dicts(rows)} if include and "claims" in include else None
    return {"data": data.event_dicts(rows), "next": token, "included": included}


async def _ndjson(pairs: list[tuple[str, str]]) -> AsyncIterator[bytes]:
    # The request's connection is released before the body streams: borrow one, like Marsad does.
    async with app.state.pool.acquire() as conn, conn.transaction():
        async for rows in data.export_batches(conn, pairs):
            yield "".join(
                Event.model_validate(e).model_dump_json() + "\n" for e in data.event_dicts(rows)
            ).encode()


@app.get("/v1/events/{event_id}", response_model=EventDetail)
async def get_event(event_id: str, db: Conn, include: str | None = None):
    rows = await data.event_one(db, event_id, include or "")
    if rows is None:
        raise HTTPException(404, f"No event with id {event_id!r}")
    body = data.event_dicts(rows)[0]
    if include and "claims" in include:
        body["included"] = {"claims": data.claim_dicts(rows)}
    return body


@app.get("/v1/stats/timeline", response_model=Timeline)
async def get_timeline(
    db: Conn,
    filters: Filters,
    interval: Literal["day", "week", "month", "year"] = "month",
    group_by: str = "none",
):
    pairs = [*filters.pairs(), ("interval", interval), ("group_by", group_by)]
    return data.timeline_dict(await data.timeline_rows(db, pairs), interval, group_by)


@app.get("/v1/stats/facets", response_model=Facets)
async def get_facets(db: Conn, filters: Filters, facet: str | None = None):
    total, facets = await data.facet_rows(db, filters.pairs() + ([("facet", facet)] if facet else []))
    return data.facets_dict(total, facets)
