"""Events: the list query, and whole Event resources (actors, location, attributions, conflicts)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import asyncpg
import msgspec

from service.db.conflicts import conflicts_of_events
from service.db.refs import ATTRIBUTION_COLUMNS, SELECT_ACTOR_REFS
from service.models import (
    ActorRef,
    Attribution,
    Claim,
    Conflict,
    Event,
    EventActor,
    EventDate,
    Location,
    Summary,
)

# The list query: filters, keyset and order are appended by filters.keyset_sql.
EVENT_SELECT = """
SELECT e.id, e.plover_type, e.plover_mode, e.cameo, e.status, e.date_start, e.date_end, e.date_precision,
       e.date_basis, e.date_reason, e.summary_en, e.summary_ar, e.confidence, e.source_count, e.updated_at,
       e.document, l.id AS loc_id, l.name_ar AS loc_name_ar, l.name_en AS loc_name_en, l.lat AS loc_lat, l.lon AS loc_lon
FROM events e
LEFT JOIN actors l ON l.id = e.location_actor_id"""

SELECT_EVENTS_BY_ID = EVENT_SELECT + "\nWHERE e.id = ANY($1::text[]) ORDER BY e.id"

# Lists and exports read the stored documents and what the keyset needs (the sort keys); EventExport
# fetches the full rows of any event without a document.
EVENT_LIST_SELECT = "SELECT e.id, e.date_start, e.updated_at, e.document FROM events e"
# CSV exports read the stored CSV records (event_csv, migration 0009), and the document only where
# the record is missing. {record}: the record, or the cut of it to some columns (csv_cut_sql).
EVENT_CSV_SELECT = (
    "SELECT e.id, e.date_start, e.updated_at, {record} AS csv_row, "
    "CASE WHEN c.record IS NULL THEN e.document END AS document "
    "FROM events e LEFT JOIN event_csv c ON c.event_id = e.id"
)
# The same for a batch of ids read in export order ($1): one record per id, in that order, without
# reading the events (an id without a record, or deleted since, comes back with NULL).
EVENT_CSV_BY_ID = """
SELECT b.id, {record} AS csv_row
FROM unnest($1::text[]) WITH ORDINALITY AS b(id, n) LEFT JOIN event_csv c ON c.event_id = b.id
ORDER BY b.n
"""
CSV_RECORD = "c.record"
# CSV exports without filters, or with `from` alone, read the records in order from event_csv alone,
# on its copy of the list's sort keys (migration 0012; service.api.exports.CsvWalk) ...
EVENT_CSV_WALK = "SELECT c.event_id AS id, c.date_start, c.updated_at, {record} AS csv_row FROM event_csv c"
EVENT_CSV_WALK_FILTERS = {"from": "coalesce(c.date_end, c.date_start) >= {p0}"}
# ... and a `from` export in a date order as two parts (exports.CsvWalk.running): the records whose
# start is on or after `from` (all match: the walk bounded by the order's own key), and the events
# running at `from` that started before it ({p0}): few, counted (with the least start, which bounds
# their walk) by the partial index of multi-day records by last day (migration 0013), and walked in
# the export's order on the partial index of the same records in the orders' key, whose last day
# is a key column tested on its entries (migration 0014): no sort, no probe by id.
EVENT_CSV_RUNNING = (
    "c.date_end IS NOT NULL AND (c.date_start IS NULL OR c.date_end > c.date_start) "
    "AND c.date_end >= {p0} AND coalesce(c.date_start, '-infinity'::date) < {p0}"
)
# ... when every event has its record: the statement that stores an event's document stores its
# record, and a deleted record clears its document (migration 0012), so one probe of the index of
# unrendered events answers.
EVERY_EVENT_RECORDED = "SELECT NOT EXISTS (SELECT 1 FROM events WHERE document IS NULL)"


def csv_cut_sql(keep: list[int]) -> str:
    """SQL for the stored record (``c.record``) cut to the cells at ``keep`` (ascending indexes),
    with the byte offsets of its cells (``c.cuts``: the delimiter after each): one byte range per
    run of adjacent cells, joined by commas, then CRLF."""
    runs: list[list[int]] = []
    for i in keep:
        if runs and runs[-1][1] == i - 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    parts = []
    for first, last in runs:
        start = "0" if first == 0 else f"c.cuts[{first}] + 1"  # SQL arrays count from 1
        parts.append(f"substr(c.record, {start} + 1, c.cuts[{last + 1}] - ({start}))")
    return "(" + " || '\\x2c'::bytea || ".join(parts) + " || '\\x0d0a'::bytea)"


EVENT_KEYS_SELECT = "SELECT e.id, e.date_start, e.updated_at FROM events e"

# CSV exports with one record per link (rows=attributions, rows=actors): flat columns from the
# database for a batch of event ids ($1, in export order), each event's links in the resource's order.
ATTRIBUTION_ROW_COLUMNS = (
    "event_id",
    "type",
    "status",
    "date.start",
    "date.end",
    "source_id",
    "outlet",
    "published_on",
    "span.start",
    "span.end",
    "quote",
    "via.id",
    "via.name_ar",
    "via.name_en",
)
SELECT_ATTRIBUTION_ROWS = """
SELECT e.id, e.plover_type, e.status, e.date_start, e.date_end, at.source_id, s.outlet, s.published_on,
       at.span_start, at.span_end, at.quote, v.id, v.name_ar, v.name_en
FROM unnest($1::text[]) WITH ORDINALITY AS b(id, n)
JOIN events e ON e.id = b.id
JOIN event_attributions at ON at.event_id = b.id
JOIN sources s ON s.id = at.source_id
LEFT JOIN actors v ON v.id = at.via_actor_id
ORDER BY b.n, s.published_on NULLS LAST, at.source_id, at.span_start
"""
ACTOR_ROW_COLUMNS = (
    "event_id",
    "type",
    "status",
    "date.start",
    "date.end",
    "role",
    "actor.id",
    "actor.kind",
    "actor.name_ar",
    "actor.name_en",
)
SELECT_ACTOR_ROWS = """
SELECT e.id, e.plover_type, e.status, e.date_start, e.date_end, ea.role, a.id, a.kind, a.name_ar, a.name_en
FROM unnest($1::text[]) WITH ORDINALITY AS b(id, n)
JOIN events e ON e.id = b.id
JOIN event_actors ea ON ea.event_id = b.id
JOIN actors a ON a.id = ea.actor_id
ORDER BY b.n, array_position(ARRAY['source', 'target', 'participant', 'mentioned'], ea.role), a.id
"""

# The children of a page as joins (the form the benchmark peers run; events_from_records reads
# them without joins, see EventExport).
SELECT_EVENT_ACTORS = """
SELECT ea.event_id, ea.role, a.id, a.kind, a.name_ar, a.name_en
FROM event_actors ea
JOIN actors a ON a.id = ea.actor_id
WHERE ea.event_id = ANY($1::text[])
ORDER BY ea.event_id, array_position(ARRAY['source', 'target', 'participant', 'mentioned'], ea.role), a.id
"""

SELECT_EVENT_ATTRIBUTIONS = f"""
SELECT at.event_id, at.source_id, at.span_start, at.span_end, at.quote, {ATTRIBUTION_COLUMNS}
FROM event_attributions at
JOIN sources s ON s.id = at.source_id
LEFT JOIN actors v ON v.id = at.via_actor_id
WHERE at.event_id = ANY($1::text[])
ORDER BY at.event_id, s.published_on NULLS LAST, at.source_id, at.span_start
"""

# GeoJSON needs coordinates: events located at a place with lat/lon.
GEO_CONDITION = (
    "e.location_actor_id IN (SELECT ga.id FROM actors ga WHERE ga.lat IS NOT NULL AND ga.lon IS NOT NULL)"
)


async def events_from_records(conn: asyncpg.Connection, records: list[asyncpg.Record]) -> list[Event]:
    """Whole Event resources for rows of EVENT_SELECT or EVENT_LIST_SELECT, in the same order (see EventExport)."""
    return await EventExport()(conn, records)


async def events_by_id(conn: asyncpg.Connection, ids: list[str]) -> list[Event]:
    return await events_from_records(conn, await conn.fetch(SELECT_EVENTS_BY_ID, ids))


async def get_event(conn: asyncpg.Connection, event_id: str) -> Event | None:
    found = await events_by_id(conn, [event_id])
    return found[0] if found else None


SELECT_DOCUMENT = "SELECT document FROM events WHERE id = $1"


async def event_json(conn: asyncpg.Connection, event_id: str) -> msgspec.Raw | Event | None:
    """The event as served: its stored JSON as is (msgspec.Raw), else assembled, else None."""
    record = await conn.fetchrow(SELECT_DOCUMENT, event_id)
    if record is None:
        return None
    if record["document"] is not None:
        return msgspec.Raw(record["document"])
    return await get_event(conn, event_id)


def actor_ids_of(events: list[Event]) -> list[str]:
    """Every actor an event page refers to: participants, locations and relays."""
    ids = {ea.actor.id for e in events for ea in e.actors}
    ids |= {e.location.id for e in events if e.location}
    ids |= {a.via.id for e in events for a in e.attributions if a.via}
    return sorted(ids)


def source_ids_of(events: list[Event]) -> list[str]:
    return sorted({a.source_id for e in events for a in e.attributions})


def claim_event_ids(claims: list[Claim]) -> list[str]:
    return sorted({c.event_id for c in claims if c.event_id})


# Streamed exports (NDJSON, CSV): whole Event resources, batch after batch from a server-side cursor.
# The children of a batch come from lean index scans (no joins, no JSON built by Postgres: joining
# every batch to actors/sources, and aggregating JSON per event, cost more than the rest of the
# export); the actor references and the sources they point to are read once per export and kept
# in a bounded cache, since a few actors and outlets recur across most events.
EXPORT_EVENT_ACTORS = """
SELECT event_id, actor_id, role FROM event_actors
WHERE event_id = ANY($1::text[])
ORDER BY array_position(ARRAY['source', 'target', 'participant', 'mentioned'], role), actor_id
"""

EXPORT_ATTRIBUTIONS = """
SELECT event_id, source_id, span_start, span_end, quote, via_actor_id FROM event_attributions
WHERE event_id = ANY($1::text[])
"""

EXPORT_SOURCES = "SELECT id, outlet, published_on FROM sources WHERE id = ANY($1::text[])"

EXPORT_CACHE_LIMIT = 50_000  # entries per cache: memory stays bounded however long the export


_decode_event = msgspec.json.Decoder(Event).decode


class EventExport:
    """Builds Event resources for rows of EVENT_SELECT or EVENT_LIST_SELECT: from their stored documents (see
    service/db/renderings.py) where rendered, else assembled from the tables, caching actor
    references and source metadata between batches of one export."""

    def __init__(self, use_documents: bool = True) -> None:
        self.use_documents = use_documents
        self.refs: dict[str, ActorRef] = {}
        self.sources: dict[str, tuple[str | None, date | None]] = {}

    async def _load_refs(self, conn: asyncpg.Connection, ids: set[str]) -> None:
        if len(self.refs) + len(ids) > EXPORT_CACHE_LIMIT:
            self.refs.clear()
        for r in await conn.fetch(SELECT_ACTOR_REFS, list(ids)):
            self.refs[r[0]] = ActorRef(id=r[0], kind=r[1], name_ar=r[2], name_en=r[3])

    async def _load_sources(self, conn: asyncpg.Connection, ids: set[str]) -> None:
        if len(self.sources) + len(ids) > EXPORT_CACHE_LIMIT:
            self.sources.clear()
        for r in await conn.fetch(EXPORT_SOURCES, list(ids)):
            self.sources[r[0]] = (r[1], r[2])

    async def __call__(self, conn: asyncpg.Connection, records: list[asyncpg.Record]) -> list[Event]:
        if not self.use_documents:
            return await self.assemble(conn, records)
        missing = [r for r in records if r["document"] is None]
        if missing and "summary_en" not in missing[0]:  # rows of EVENT_LIST_SELECT: fetch the full rows
            missing = await conn.fetch(SELECT_EVENTS_BY_ID, [r["id"] for r in missing])
        assembled = {e.id: e for e in await self.assemble(conn, missing)} if missing else {}
        return [
            assembled[r["id"]] if r["document"] is None else _decode_event(r["document"]) for r in records
        ]

    async def assemble(self, conn: asyncpg.Connection, records: list[asyncpg.Record]) -> list[Event]:
        """The resources from the tables (what the stored documents are rendered from)."""
        ids = [r["id"] for r in records]
        if not ids:
            return []
        links = await conn.fetch(EXPORT_EVENT_ACTORS, ids)
        spans = await conn.fetch(EXPORT_ATTRIBUTIONS, ids)
        refs, sources = self.refs, self.sources
        missing = {r[1] for r in links if r[1] not in refs} | {
            r[5] for r in spans if r[5] and r[5] not in refs
        }
        if missing:
            await self._load_refs(conn, missing)
            refs = self.refs
        missing = {r[1] for r in spans if r[1] not in sources}
        if missing:
            await self._load_sources(conn, missing)
            sources = self.sources
        actors: dict[str, list[EventActor]] = defaultdict(list)
        for event_id, actor_id, role in links:  # already in the resource's order
            actors[event_id].append(EventActor(actor=refs[actor_id], role=role))
        attributions: dict[str, list[Attribution]] = defaultdict(list)
        for event_id, source_id, start, end, quote, via in spans:
            outlet, published_on = sources[source_id]
            attributions[event_id].append(
                Attribution(
                    source_id=source_id,
                    outlet=outlet,
                    published_on=published_on,
                    span=(start, end),
                    quote=quote,
                    via=refs[via] if via else None,
                )
            )
        for items in attributions.values():
            if len(items) > 1:
                items.sort(key=_attribution_order)
        conflicts: dict[str, list[Conflict]] = defaultdict(list)
        for c in await conflicts_of_events(conn, ids):
            conflicts[c.subject.id].append(c)
        return [
            _event(r, actors.get(r["id"], []), attributions.get(r["id"], []), conflicts.get(r["id"], []))
            for r in records
        ]


_NO_DATE = date.min


def _attribution_order(a: Attribution) -> tuple[Any, ...]:
    """ORDER BY s.published_on NULLS LAST, source_id, span_start (ids are ASCII: the same order here)."""
    return (a.published_on is None, a.published_on or _NO_DATE, a.source_id, a.span[0])


def _event(
    r: asyncpg.Record, actors: list[EventActor], attributions: list[Attribution], conflicts: list[Conflict]
) -> Event:
    return Event(
        id=r["id"],
        type=r["plover_type"],
        mode=r["plover_mode"],
        cameo=r["cameo"],
        status=r["status"],
        date=EventDate(
            start=r["date_start"],
            end=r["date_end"],
            precision=r["date_precision"],
            basis=r["date_basis"],
            reason=r["date_reason"],
        ),
        location=Location(
            id=r["loc_id"],
            name_ar=r["loc_name_ar"],
            name_en=r["loc_name_en"],
            lat=r["loc_lat"],
            lon=r["loc_lon"],
        )
        if r["loc_id"]
        else None,
        actors=actors,
        summary=Summary(en=r["summary_en"], ar=r["summary_ar"]),
        confidence=round(float(r["confidence"]), 4),
        attributions=attributions,
        source_count=r["source_count"],
        conflicts=conflicts,
        updated_at=r["updated_at"],
    )
