"""Conflicts: disagreements between sources, each competing value with its attributions."""

from __future__ import annotations

from collections import defaultdict

import asyncpg

from service.db.refs import ATTRIBUTION_COLUMNS, attribution
from service.models import Conflict, ConflictValue, SubjectRef

CONFLICT_SELECT = """
SELECT k.id, k.kind, k.subject_actor_id, k.subject_event_id, k.field, k.updated_at,
       coalesce(sa.name_en, se.summary_en) AS subject_name_en, coalesce(sa.name_ar, se.summary_ar) AS subject_name_ar
FROM conflicts k
LEFT JOIN actors sa ON sa.id = k.subject_actor_id
LEFT JOIN events se ON se.id = k.subject_event_id"""

SELECT_CONFLICT_IDS_OF_EVENTS = """
SELECT id FROM conflicts WHERE subject_event_id = ANY($1::text[]) ORDER BY id
"""

SELECT_CONFLICTS_BY_ID = CONFLICT_SELECT + "\nWHERE k.id = ANY($1::text[]) ORDER BY k.id"

SELECT_CONFLICT_VALUES = f"""
SELECT kv.conflict_id, kv.value, kv.source_id, kv.span_start, kv.span_end, kv.quote, kv.claim_id,
       {ATTRIBUTION_COLUMNS}
FROM conflict_values kv
JOIN sources s ON s.id = kv.source_id
LEFT JOIN actors v ON v.id = kv.via_actor_id
WHERE kv.conflict_id = ANY($1::text[])
ORDER BY kv.conflict_id, kv.value, s.published_on NULLS LAST, kv.source_id, kv.span_start
"""


async def conflicts_from_records(conn: asyncpg.Connection, records: list[asyncpg.Record]) -> list[Conflict]:
    """Conflicts (in record order) with their values and the attributions of each value."""
    ids = [r["id"] for r in records]
    values: dict[str, dict[str, ConflictValue]] = defaultdict(dict)
    for v in await conn.fetch(SELECT_CONFLICT_VALUES, ids):
        value = values[v["conflict_id"]].setdefault(
            v["value"], ConflictValue(value=v["value"], attributions=[])
        )
        value.attributions.append(attribution(v))
        if v["claim_id"] and v["claim_id"] not in value.claim_ids:
            value.claim_ids.append(v["claim_id"])
    out = []
    for r in records:
        actor = r["subject_actor_id"]
        subject = SubjectRef(
            kind="actor" if actor else "event",
            id=actor or r["subject_event_id"],
            name_en=r["subject_name_en"] or None,
            name_ar=r["subject_name_ar"] or None,
        )
        out.append(
            Conflict(
                id=r["id"],
                kind=r["kind"],
                subject=subject,
                field=r["field"],
                values=list(values[r["id"]].values()),
                updated_at=r["updated_at"],
            )
        )
    return out


async def conflicts_by_id(conn: asyncpg.Connection, ids: list[str]) -> list[Conflict]:
    return await conflicts_from_records(conn, await conn.fetch(SELECT_CONFLICTS_BY_ID, ids))


async def conflicts_of_events(conn: asyncpg.Connection, event_ids: list[str]) -> list[Conflict]:
    ids = [r["id"] for r in await conn.fetch(SELECT_CONFLICT_IDS_OF_EVENTS, event_ids)]
    return await conflicts_by_id(conn, ids) if ids else []
