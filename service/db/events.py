"""Events: the list query, and whole Event resources (actors, location, attributions, conflicts)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import asyncpg
import msgspec

from service.db.conflicts import conflicts_of_events
from service.db.refs import ATTRIBUTION_COLUMNS, actor_ref, attribution
from service.models import Attribution, Claim, Conflict, Event, EventActor, EventDate, Location, Summary

# The list query: filters, keyset and order are appended by filters.keyset_sql.
EVENT_SELECT = """
SELECT e.id, e.plover_type, e.plover_mode, e.cameo, e.status, e.date_start, e.date_end, e.date_precision,
       e.date_basis, e.date_reason, e.summary_en, e.summary_ar, e.confidence, e.source_count, e.updated_at,
       l.id AS loc_id, l.name_ar AS loc_name_ar, l.name_en AS loc_name_en, l.lat AS loc_lat, l.lon AS loc_lon
FROM events e
LEFT JOIN actors l ON l.id = e.location_actor_id"""

SELECT_EVENTS_BY_ID = EVENT_SELECT + "\nWHERE e.id = ANY($1::text[]) ORDER BY e.id"

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
GEO_CONDITION = "e.location_actor_id IN (SELECT ga.id FROM actors ga WHERE ga.lat IS NOT NULL AND ga.lon IS NOT NULL)"


async def events_from_records(conn: asyncpg.Connection, records: list[asyncpg.Record]) -> list[Event]:
    """Whole Event resources for rows of EVENT_SELECT, in the same order."""
    ids = [r["id"] for r in records]
    if not ids:
        return []
    actors: dict[str, list[EventActor]] = defaultdict(list)
    for r in await conn.fetch(SELECT_EVENT_ACTORS, ids):
        ref = actor_ref(r)
        assert ref is not None
        actors[r["event_id"]].append(EventActor(actor=ref, role=r["role"]))
    attributions: dict[str, list[Attribution]] = defaultdict(list)
    for r in await conn.fetch(SELECT_EVENT_ATTRIBUTIONS, ids):
        attributions[r["event_id"]].append(attribution(r))
    conflicts: dict[str, list[Conflict]] = defaultdict(list)
    for c in await conflicts_of_events(conn, ids):
        conflicts[c.subject.id].append(c)
    return [
        Event(
            id=r["id"], type=r["plover_type"], mode=r["plover_mode"], cameo=r["cameo"], status=r["status"],
            date=EventDate(start=r["date_start"], end=r["date_end"], precision=r["date_precision"],
                           basis=r["date_basis"], reason=r["date_reason"]),
            location=Location(id=r["loc_id"], name_ar=r["loc_name_ar"], name_en=r["loc_name_en"],
                              lat=r["loc_lat"], lon=r["loc_lon"]) if r["loc_id"] else None,
            actors=actors[r["id"]],
            summary=Summary(en=r["summary_en"], ar=r["summary_ar"]),
            confidence=round(float(r["confidence"]), 4),
            attributions=attributions[r["id"]],
            source_count=r["source_count"],
            conflicts=conflicts[r["id"]],
            updated_at=r["updated_at"],
        )
        for r in records
    ]


async def events_by_id(conn: asyncpg.Connection, ids: list[str]) -> list[Event]:
    return await events_from_records(conn, await conn.fetch(SELECT_EVENTS_BY_ID, ids))


async def get_event(conn: asyncpg.Connection, event_id: str) -> Event | None:
    found = await events_by_id(conn, [event_id])
    return found[0] if found else None


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


# NDJSON exports: the children of a batch of events aggregated to JSON by Postgres in three set-based
# queries, spliced into each event as msgspec.Raw; the document equals the Event Struct's encoding
# (tests compare the two) without building Python objects for every actor and attribution.
def _ts(col: str) -> str:
    """A timestamptz as msgspec writes it: UTC, 'Z', microseconds only when non-zero."""
    return (f"to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            f"CASE WHEN date_part('microseconds', {col})::int % 1000000 = 0 THEN '' "
            f"ELSE to_char({col} AT TIME ZONE 'UTC', '.US') END || 'Z'")


def _ref(a: str) -> str:
    return f"json_build_object('id', {a}.id, 'kind', {a}.kind, 'name_ar', {a}.name_ar, 'name_en', {a}.name_en)"


def _attribution(row: str) -> str:
    return (f"json_build_object('source_id', {row}.source_id, 'outlet', s.outlet, 'published_on', s.published_on, "
            f"'span', json_build_array({row}.span_start, {row}.span_end), 'quote', {row}.quote, "
            f"'via', CASE WHEN v.id IS NULL THEN NULL ELSE {_ref('v')} END)")


ACTORS_JSON = f"""
SELECT ea.event_id, json_agg(json_build_object('actor', {_ref('a')}, 'role', ea.role)
           ORDER BY array_position(ARRAY['source', 'target', 'participant', 'mentioned'], ea.role), a.id)::text AS doc
FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
WHERE ea.event_id = ANY($1::text[])
GROUP BY ea.event_id
"""

ATTRIBUTIONS_JSON = f"""
SELECT at.event_id, json_agg({_attribution('at')} ORDER BY s.published_on NULLS LAST, at.source_id,
                                                          at.span_start)::text AS doc
FROM event_attributions at JOIN sources s ON s.id = at.source_id LEFT JOIN actors v ON v.id = at.via_actor_id
WHERE at.event_id = ANY($1::text[])
GROUP BY at.event_id
"""

CONFLICTS_JSON = f"""
SELECT k.subject_event_id AS event_id, json_agg(json_build_object(
    'id', k.id, 'kind', k.kind,
    'subject', json_build_object('kind', 'event', 'id', se.id, 'name_en', nullif(se.summary_en, ''),
                                 'name_ar', nullif(se.summary_ar, '')),
    'field', k.field,
    'values', coalesce((
        SELECT json_agg(json_build_object('value', kvs.value, 'attributions', kvs.attributions,
                                          'claim_ids', kvs.claim_ids) ORDER BY kvs.value)
        FROM (SELECT kv.value,
                     json_agg({_attribution('kv')} ORDER BY s.published_on NULLS LAST, kv.source_id,
                              kv.span_start) AS attributions,
                     coalesce(json_agg(DISTINCT kv.claim_id) FILTER (WHERE kv.claim_id IS NOT NULL), '[]') AS claim_ids
              FROM conflict_values kv JOIN sources s ON s.id = kv.source_id
              LEFT JOIN actors v ON v.id = kv.via_actor_id
              WHERE kv.conflict_id = k.id GROUP BY kv.value) kvs), '[]'),
    'updated_at', {_ts('k.updated_at')}) ORDER BY k.id)::text AS doc
FROM conflicts k JOIN events se ON se.id = k.subject_event_id
WHERE k.subject_event_id = ANY($1::text[])
GROUP BY k.subject_event_id
"""

EMPTY = msgspec.Raw(b"[]")


class EventDocument(msgspec.Struct, kw_only=True):
    """Event with its lists pre-encoded (same fields, same order as Event)."""

    id: str
    type: str
    mode: str | None
    cameo: str | None
    status: str
    date: EventDate
    location: Location | None
    actors: msgspec.Raw
    summary: Summary
    confidence: float
    attributions: msgspec.Raw
    source_count: int
    conflicts: msgspec.Raw
    updated_at: datetime | None


async def event_documents(conn: asyncpg.Connection, records: list[asyncpg.Record]) -> list[EventDocument]:
    """Rows of EVENT_SELECT as documents that encode to the same JSON as their Event resources."""
    ids = [r["id"] for r in records]
    if not ids:
        return []
    children = []
    for sql in (ACTORS_JSON, ATTRIBUTIONS_JSON, CONFLICTS_JSON):
        children.append({r["event_id"]: msgspec.Raw(r["doc"].encode()) for r in await conn.fetch(sql, ids)})
    actors, attributions, conflicts = children
    return [
        EventDocument(
            id=r["id"], type=r["plover_type"], mode=r["plover_mode"], cameo=r["cameo"], status=r["status"],
            date=EventDate(start=r["date_start"], end=r["date_end"], precision=r["date_precision"],
                           basis=r["date_basis"], reason=r["date_reason"]),
            location=Location(id=r["loc_id"], name_ar=r["loc_name_ar"], name_en=r["loc_name_en"],
                              lat=r["loc_lat"], lon=r["loc_lon"]) if r["loc_id"] else None,
            actors=actors.get(r["id"], EMPTY), summary=Summary(en=r["summary_en"], ar=r["summary_ar"]),
            confidence=round(float(r["confidence"]), 4), attributions=attributions.get(r["id"], EMPTY),
            source_count=r["source_count"], conflicts=conflicts.get(r["id"], EMPTY), updated_at=r["updated_at"],
        )
        for r in records
    ]
