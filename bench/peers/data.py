"""Data access shared by the peers and the in-process floor: the same statements, in the same order,
that Marsad runs for each endpoint (imported from ``service.db`` when present, see bench.queries).
Each peer turns the records into its own models; the floor stops at the records."""

from __future__ import annotations

import base64
import json
import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg
import msgspec

from bench import queries as Q
from service.db import rollups
from service.db.claims import (
    SELECT_CLAIM_ABOUT,
    SELECT_CLAIMS_OF_EVENTS,
    SELECT_CONTRADICTIONS,
)
from service.db.conflicts import SELECT_CONFLICT_IDS_OF_EVENTS, SELECT_CONFLICT_VALUES, SELECT_CONFLICTS_BY_ID
from service.db.events import SELECT_DOCUMENT, SELECT_EVENT_ACTORS, SELECT_EVENT_ATTRIBUTIONS
from service.db.filters import SERIAL_PAGE
from service.db.refs import DATASET_VERSION, RESOLVE_ACTOR_EXACT, RESOLVE_ACTOR_TOKENS
from service.db.series import rollup_series, rollup_timeline, rollup_timeline_json
from service.db.stats import facet_counts, rollup_facet_counts, timeline
from service.text import match_key

STREAM_CHUNK = 500
DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
_cursor_encoder = msgspec.json.Encoder()
_cursor_decoder = msgspec.json.Decoder(tuple[str, str | None, str])


def pool_size() -> int:
    """Connections per server process: Marsad's default (MARSAD_POOL_MAX), the same for every peer."""
    return int(os.environ.get("MARSAD_POOL_MAX", "10"))


async def create_pool(dsn: str) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        dsn, min_size=1, max_size=pool_size(), server_settings={"statement_timeout": "5000"}
    )


def encode_cursor(key: date | None, last_id: str) -> str:
    raw = _cursor_encoder.encode(("-date", key.isoformat() if key else None, last_id))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[date, str]:
    _, key, last_id = _cursor_decoder.decode(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    return date.fromisoformat(key or "0001-01-01"), last_id


async def dataset_version(conn: asyncpg.Connection) -> int:
    """What Marsad's ETag is made of (read on every GET)."""
    return int(await conn.fetchval(DATASET_VERSION))


async def resolve_actors(conn: asyncpg.Connection, values: list[str]) -> list[str]:
    """Actor ids or names to ids, as Marsad's actor filter resolves them."""
    out: list[str] = []
    for value in values:
        key = match_key(value)
        ids = [r[0] for r in await conn.fetch(RESOLVE_ACTOR_EXACT, value, key)]
        if not ids and key:
            ids = [r[0] for r in await conn.fetch(RESOLVE_ACTOR_TOKENS, key.split())]
        out += sorted(ids) or ["-"]
    return out


def parse_filter(params: list[tuple[str, str]]) -> tuple[Q.EventFilter, dict[str, str]]:
    """Query-string pairs to an EventFilter (values unresolved) and the control parameters."""
    values: dict[str, list[str]] = defaultdict(list)
    control: dict[str, str] = {}
    for key, value in params:
        if key in (
            "limit",
            "cursor",
            "include",
            "format",
            "interval",
            "group_by",
            "sort",
            "facet",
            "rows",
            "fields",
            "shape",
            "group_limit",
        ):
            control[key] = value
        else:
            values[key].append(value)
    flt = Q.EventFilter(
        date_from=date.fromisoformat(values["from"][0]) if values.get("from") else None,
        date_to=date.fromisoformat(values["to"][0]) if values.get("to") else None,
        actors=tuple(values.get("actor", ())),
        types=tuple(values.get("type", ())),
        statuses=tuple(values.get("status", ())),
        q=values["q"][0] if values.get("q") else None,
    )
    return flt, control


async def resolved(conn: asyncpg.Connection, flt: Q.EventFilter) -> Q.EventFilter:
    if not flt.actors:
        return flt
    ids = await resolve_actors(conn, list(flt.actors))
    return Q.EventFilter(flt.date_from, flt.date_to, tuple(ids), flt.types, flt.statuses, flt.q)


class EventRows(msgspec.Struct):
    """The records one page of events is made of, grouped by event id."""

    events: list[asyncpg.Record]
    actors: dict[str, list[asyncpg.Record]]
    attributions: dict[str, list[asyncpg.Record]]
    conflicts: dict[str, list[asyncpg.Record]]
    conflict_values: dict[str, list[asyncpg.Record]]
    claims: list[asyncpg.Record] = []
    claim_about: dict[str, list[asyncpg.Record]] = {}
    contradictions: dict[str, list[str]] = {}
    documents: list[bytes] = []  # the events' stored JSON, when every one has it (then no children rows)


def _group(records: list[asyncpg.Record], key: str) -> dict[str, list[asyncpg.Record]]:
    out: dict[str, list[asyncpg.Record]] = defaultdict(list)
    for r in records:
        out[r[key]].append(r)
    return out


async def load_events(
    conn: asyncpg.Connection, events: list[asyncpg.Record], claims: bool = False
) -> EventRows:
    """Actors, attributions and conflicts of a page of events (and its claims when asked)."""
    ids = [r["id"] for r in events]
    if not ids:
        return EventRows([], {}, {}, {}, {})
    documents = [r["document"] for r in events]
    if all(d is not None for d in documents):  # as Marsad: the stored representation, no children rows
        rows = EventRows(events, {}, {}, {}, {}, documents=documents)
    else:  # as Marsad: the full rows (list rows carry only the document and the sort keys), assembled
        full = {r["id"]: r for r in await conn.fetch(Q.events_by_id(ids).sql, ids)}
        events = [full[i] for i in ids]
        actors = _group(await conn.fetch(SELECT_EVENT_ACTORS, ids), "event_id")
        attributions = _group(await conn.fetch(SELECT_EVENT_ATTRIBUTIONS, ids), "event_id")
        conflict_ids = [r["id"] for r in await conn.fetch(SELECT_CONFLICT_IDS_OF_EVENTS, ids)]
        conflicts: dict[str, list[asyncpg.Record]] = {}
        values: dict[str, list[asyncpg.Record]] = {}
        if conflict_ids:
            conflicts = _group(await conn.fetch(SELECT_CONFLICTS_BY_ID, conflict_ids), "subject_event_id")
            values = _group(await conn.fetch(SELECT_CONFLICT_VALUES, conflict_ids), "conflict_id")
        rows = EventRows(events, actors, attributions, conflicts, values)
    if claims:
        rows.claims = await conn.fetch(SELECT_CLAIMS_OF_EVENTS, ids)
        claim_ids = [r["id"] for r in rows.claims]
        if claim_ids:
            rows.claim_about = _group(await conn.fetch(SELECT_CLAIM_ABOUT, claim_ids), "claim_id")
            contradictions: dict[str, list[str]] = defaultdict(list)
            for r in await conn.fetch(SELECT_CONTRADICTIONS, claim_ids):
                contradictions[r["id"]].append(r["other"])
            rows.contradictions = contradictions
    return rows


async def event_page(conn: asyncpg.Connection, params: list[tuple[str, str]]) -> tuple[EventRows, str | None]:
    """GET /v1/events as records: resolve, query one page (+1 row to know if there is a next), load."""
    flt, control = parse_filter(params)
    await dataset_version(conn)
    flt = await resolved(conn, flt)
    limit = int(control.get("limit", DEFAULT_LIMIT))
    after = decode_cursor(control["cursor"]) if "cursor" in control else None
    st = Q.list_events(flt, limit + 1, after)
    await conn.execute(SERIAL_PAGE)
    records = await conn.fetch(st.sql, *st.args)
    more = len(records) > limit
    records = records[:limit]
    last = records[-1] if records else None
    token = encode_cursor(last["date_start"], last["id"]) if more and last is not None else None
    return await load_events(conn, records, claims="claims" in control.get("include", "")), token


async def event_one(conn: asyncpg.Connection, event_id: str, include: str = "") -> EventRows | None:
    """GET /v1/events/{id} as Marsad runs it: the stored document, else the full row assembled."""
    await dataset_version(conn)
    record = await conn.fetchrow(SELECT_DOCUMENT, event_id)
    if record is None:
        return None
    if record["document"] is not None and "claims" not in include:
        return EventRows([record], {}, {}, {}, {}, documents=[record["document"]])
    st = Q.events_by_id([event_id])
    return await load_events(conn, await conn.fetch(st.sql, *st.args), claims="claims" in include)


@dataclass(frozen=True)
class TimelineAsk:
    """A timeline request read as the server reads it: its filter, interval, grouping, and the
    rollups' cover when they answer it (None: counted from the events)."""

    flt: Any
    control: dict[str, str]
    interval: str
    group_by: str
    cover: Any


async def timeline_ask(conn: asyncpg.Connection, params: list[tuple[str, str]]) -> TimelineAsk:
    flt, control = parse_filter(params)
    await dataset_version(conn)
    flt = await resolved(conn, flt)
    interval, group_by = control.get("interval", "month"), control.get("group_by", "none")
    cover = flt.cover()
    if cover is not None and not rollups.covers_timeline(cover, group_by):
        cover = None
    return TimelineAsk(flt, control, interval, group_by, cover)


async def timeline_rows(conn: asyncpg.Connection, params: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The timeline's buckets, by Marsad's own statements (the rollups when they cover the filter)."""
    ask = await timeline_ask(conn, params)
    if ask.cover is not None:
        result = await rollup_timeline(conn, ask.cover, ask.interval, ask.group_by, Q.GROUP_LIMIT)
    else:
        result = await timeline(conn, ask.flt.query(drive=False), ask.interval, ask.group_by, Q.GROUP_LIMIT)
    return msgspec.to_builtins(result.buckets)  # type: ignore[no-any-return]


async def timeline_body(conn: asyncpg.Connection, params: list[tuple[str, str]]) -> bytes | None:
    """The timeline's buckets as Marsad's server sends them when the rollups cover the filter: the
    JSON body built from the rollups' arrays (``rollup_timeline_json``), with no object per bucket.
    For the floor only; None when the rollups do not cover the filter (then ``timeline_rows``)."""
    ask = await timeline_ask(conn, params)
    if ask.cover is None:
        return None
    limit = int(ask.control.get("group_limit", Q.GROUP_LIMIT))
    return await rollup_timeline_json(conn, ask.cover, ask.interval, ask.group_by, limit)


async def timeline_series(conn: asyncpg.Connection, params: list[tuple[str, str]]) -> list[Any]:
    """The timeline as series (``shape=dense`` or ``sparse``), by Marsad's own statements: for the
    floor only (the FastAPI and Starlette peers do not implement ``shape=`` and answer buckets)."""
    ask = await timeline_ask(conn, params)
    if ask.cover is None:
        raise ValueError("series workloads are answered from the rollups")
    answer = await rollup_series(
        conn, ask.cover, ask.interval, ask.group_by, Q.GROUP_LIMIT, ask.control["shape"]
    )
    return answer.series


async def facet_rows(conn: asyncpg.Connection, params: list[tuple[str, str]]) -> tuple[int, dict[str, list]]:
    """The facets, by Marsad's own statements (the rollups when they cover the filter)."""
    flt, control = parse_filter(params)
    await dataset_version(conn)
    flt = await resolved(conn, flt)
    names = control["facet"].split(",") if control.get("facet") else list(Q.FACET_NAMES)
    cover = flt.cover()
    if cover is not None and rollups.covers_facets(cover, names):
        total, facets = await rollup_facet_counts(conn, cover, names, Q.FACET_LIMIT)
    else:
        total, facets, _, _ = await facet_counts(conn, flt.query(drive=False), names, Q.FACET_LIMIT)
    return total, msgspec.to_builtins(facets)


async def export_chunks(pool: asyncpg.Pool, params: list[tuple[str, str]], fmt: str):  # type: ignore[no-untyped-def]
    """A CSV or NDJSON export by Marsad's own batches (service.api.exports.Export): a short keyset
    statement per batch on a pooled connection, the stored rows joined."""
    from service.api.events import EVENTS
    from service.api.exports import Export
    from service.db.filters import EVENT_SORTS

    flt, control = parse_filter(params)
    async with pool.acquire() as conn:
        await dataset_version(conn)
        flt = await resolved(conn, flt)
    limit = int(control["limit"]) if "limit" in control else None
    rows = EVENTS.link_rows.get(control.get("rows", ""))
    fields = control["fields"].split(",") if control.get("fields") else None
    export = Export(EVENTS, flt.query(), EVENT_SORTS[Q.DEFAULT_SORT], None, limit, fmt, fields, rows)
    if fmt == "csv":
        yield export.header
    while True:
        async with pool.acquire() as conn:
            chunk = await export.batch(conn)
        if chunk is None:
            return
        yield chunk


async def export_batches(conn: asyncpg.Connection, params: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """NDJSON export as records: a server-side cursor, STREAM_CHUNK events at a time (needs a transaction)."""
    flt, control = parse_filter(params)
    await dataset_version(conn)
    flt = await resolved(conn, flt)
    st = Q.export_events(flt, int(control["limit"]) if "limit" in control else None)
    batch: list[asyncpg.Record] = []
    async for record in conn.cursor(st.sql, *st.args, prefetch=STREAM_CHUNK):
        batch.append(record)
        if len(batch) >= STREAM_CHUNK:
            yield await load_events(conn, batch)
            batch = []
    if batch:
        yield await load_events(conn, batch)


# ---- plain dicts in the resource shapes (the peers' response bodies) ----------------------------


def _ref(r: Any, prefix: str = "") -> dict[str, Any] | None:
    rid = r[f"{prefix}id"]
    if rid is None:
        return None
    return {
        "id": rid,
        "kind": r[f"{prefix}kind"],
        "name_ar": r[f"{prefix}name_ar"],
        "name_en": r[f"{prefix}name_en"],
    }


def _attribution(r: Any) -> dict[str, Any]:
    return {
        "source_id": r["source_id"],
        "outlet": r["outlet"],
        "published_on": r["published_on"],
        "span": (r["span_start"], r["span_end"]),
        "quote": r["quote"],
        "via": _ref(r, "via_"),
    }


def event_items(rows: EventRows) -> list[Any]:
    """For an encoder that embeds raw JSON (msgspec): the stored documents as they are, else dicts."""
    if rows.documents:
        return [msgspec.Raw(d) for d in rows.documents]
    return event_dicts(rows)


def event_dicts(rows: EventRows) -> list[dict[str, Any]]:
    if rows.documents:
        return [json.loads(d) for d in rows.documents]
    out = []
    for r in rows.events:
        eid = r["id"]
        conflicts = []
        for k in rows.conflicts.get(eid, ()):
            by_value: dict[str, dict[str, Any]] = {}
            for v in rows.conflict_values.get(k["id"], ()):
                entry = by_value.setdefault(
                    v["value"], {"value": v["value"], "attributions": [], "claim_ids": []}
                )
                entry["attributions"].append(_attribution(v))
                if v["claim_id"]:
                    entry["claim_ids"].append(v["claim_id"])
            conflicts.append(
                {
                    "id": k["id"],
                    "kind": k["kind"],
                    "field": k["field"],
                    "subject": {"kind": "event", "id": eid},
                    "values": list(by_value.values()),
                    "updated_at": k["updated_at"],
                }
            )
        out.append(
            {
                "id": eid,
                "type": r["plover_type"],
                "mode": r["plover_mode"],
                "cameo": r["cameo"],
                "status": r["status"],
                "date": {
                    "start": r["date_start"],
                    "end": r["date_end"],
                    "precision": r["date_precision"],
                    "basis": r["date_basis"],
                    "reason": r["date_reason"],
                },
                "location": {
                    "id": r["loc_id"],
                    "name_ar": r["loc_name_ar"],
                    "name_en": r["loc_name_en"],
                    "lat": r["loc_lat"],
                    "lon": r["loc_lon"],
                }
                if r["loc_id"]
                else None,
                "actors": [{"actor": _ref(a), "role": a["role"]} for a in rows.actors.get(eid, ())],
                "summary": {"en": r["summary_en"], "ar": r["summary_ar"]},
                "confidence": round(float(r["confidence"]), 4),
                "attributions": [_attribution(a) for a in rows.attributions.get(eid, ())],
                "source_count": r["source_count"],
                "conflicts": conflicts,
                "updated_at": r["updated_at"],
            }
        )
    return out


def claim_dicts(rows: EventRows) -> list[dict[str, Any]]:
    return [
        {
            "id": c["id"],
            "speaker": _ref(c, "speaker_"),
            "via": _ref(c, "via_"),
            "channel": c["channel"],
            "stance": c["stance"],
            "said_on": c["said_on"],
            "event_id": c["event_id"],
            "about": [_ref(a) for a in rows.claim_about.get(c["id"], ())],
            "attribution": _attribution(c),
            "contradicts": rows.contradictions.get(c["id"], []),
            "confidence": round(float(c["confidence"]), 4),
            "updated_at": c["updated_at"],
        }
        for c in rows.claims
    ]


def timeline_dict(buckets: list[dict[str, Any]], interval: str, group_by: str) -> dict[str, Any]:
    return {"interval": interval, "group_by": group_by, "buckets": buckets}


def facets_dict(total: int, facets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"total": total, "facets": facets}
