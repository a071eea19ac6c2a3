"""Claims: reported statements with speaker, relay, channel, stance, quote and contradictions."""

from __future__ import annotations

from collections import defaultdict

import asyncpg

from service.db.refs import actor_ref, attribution
from service.models import ActorRef, Claim

CLAIM_SELECT = """
SELECT c.id, c.source_id, c.span_start, c.span_end, c.quote, c.channel, c.stance, c.said_on, c.event_id,
       c.confidence, c.updated_at, s.outlet, s.published_on,
       sp.id AS speaker_id, sp.kind AS speaker_kind, sp.name_ar AS speaker_name_ar, sp.name_en AS speaker_name_en,
       v.id AS via_id, v.kind AS via_kind, v.name_ar AS via_name_ar, v.name_en AS via_name_en
FROM claims c
JOIN sources s ON s.id = c.source_id
LEFT JOIN actors sp ON sp.id = c.speaker_actor_id
LEFT JOIN actors v ON v.id = c.via_actor_id"""

SELECT_CLAIMS_BY_ID = CLAIM_SELECT + "\nWHERE c.id = ANY($1::text[]) ORDER BY c.id"
SELECT_CLAIMS_OF_EVENTS = CLAIM_SELECT + "\nWHERE c.event_id = ANY($1::text[]) ORDER BY c.id"

SELECT_CLAIM_ABOUT = """
SELECT cb.claim_id, a.id, a.kind, a.name_ar, a.name_en
FROM claim_about cb JOIN actors a ON a.id = cb.actor_id
WHERE cb.claim_id = ANY($1::text[])
ORDER BY cb.claim_id, a.id
"""

# Contradiction is symmetric whichever way the pipeline stored the pair.
SELECT_CONTRADICTIONS = """
SELECT claim_id AS id, other_claim_id AS other FROM claim_contradictions WHERE claim_id = ANY($1::text[])
UNION
SELECT other_claim_id, claim_id FROM claim_contradictions WHERE other_claim_id = ANY($1::text[])
ORDER BY 1, 2
"""


async def claims_from_records(conn: asyncpg.Connection, records: list[asyncpg.Record]) -> list[Claim]:
    """Whole Claim resources for rows of CLAIM_SELECT, in the same order."""
    ids = [r["id"] for r in records]
    if not ids:
        return []
    about: dict[str, list[ActorRef]] = defaultdict(list)
    for r in await conn.fetch(SELECT_CLAIM_ABOUT, ids):
        ref = actor_ref(r)
        assert ref is not None
        about[r["claim_id"]].append(ref)
    contradicts: dict[str, list[str]] = defaultdict(list)
    for r in await conn.fetch(SELECT_CONTRADICTIONS, ids):
        contradicts[r["id"]].append(r["other"])
    return [
        Claim(
            id=r["id"],
            speaker=actor_ref(r, "speaker_"),
            via=actor_ref(r, "via_"),
            channel=r["channel"],
            stance=r["stance"],
            said_on=r["said_on"],
            about=about[r["id"]],
            event_id=r["event_id"],
            attribution=attribution(r),
            contradicts=contradicts[r["id"]],
            confidence=round(float(r["confidence"]), 4),
            updated_at=r["updated_at"],
        )
        for r in records
    ]


async def claims_by_id(conn: asyncpg.Connection, ids: list[str]) -> list[Claim]:
    return await claims_from_records(conn, await conn.fetch(SELECT_CLAIMS_BY_ID, ids))


async def claims_of_events(conn: asyncpg.Connection, event_ids: list[str]) -> list[Claim]:
    return await claims_from_records(conn, await conn.fetch(SELECT_CLAIMS_OF_EVENTS, event_ids))


async def get_claim(conn: asyncpg.Connection, claim_id: str) -> Claim | None:
    found = await claims_by_id(conn, [claim_id])
    return found[0] if found else None


def actor_ids_of(claims: list[Claim]) -> list[str]:
    ids = {c.speaker.id for c in claims if c.speaker} | {c.via.id for c in claims if c.via}
    ids |= {a.id for c in claims for a in c.about}
    return sorted(ids)
