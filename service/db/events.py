"""Events: the list query, and whole Event resources (actors, location, attributions, conflicts)."""

from __future__ import annotations

from collections import defaultdict

import asyncpg

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
