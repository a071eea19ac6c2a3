"""Shared reads: actor references, attributions, actor name resolution and the dataset version."""

from __future__ import annotations

from typing import Any

import asyncpg

from service.db.filters import en_key
from service.models import ActorRef, Attribution
from service.text import match_key

# Also pins this transaction to custom plans: the read queries' best plan depends on the values
# (a rare or a common actor, a narrow or a wide date range), which a cached generic plan ignores.
DATASET_VERSION = """
SELECT version, set_config('plan_cache_mode', 'force_custom_plan', true) AS plan_mode FROM dataset_state
"""

# An id, or an exact alias; when no alias matches exactly, every alias containing all the words.
RESOLVE_ACTOR_EXACT = f"""
SELECT id FROM actors WHERE id = $1
UNION
SELECT actor_id FROM actor_aliases WHERE match_key = $2
UNION
SELECT id FROM actors a WHERE {en_key("a")} = $2
"""
RESOLVE_ACTOR_TOKENS = f"""
SELECT actor_id FROM actor_aliases WHERE string_to_array(match_key, ' ') @> $1::text[]
UNION
SELECT id FROM actors a WHERE string_to_array({en_key("a")}, ' ') @> $1::text[]
"""

STORED_OUTLETS = "SELECT DISTINCT outlet FROM sources WHERE outlet IS NOT NULL"
ACTOR_NAMES = """
SELECT name_ar AS name FROM actors WHERE id = ANY($1::text[])
UNION SELECT name_en FROM actors WHERE id = ANY($1::text[])
UNION SELECT text FROM actor_aliases WHERE actor_id = ANY($1::text[])
"""

SELECT_ACTOR_REFS = "SELECT id, kind, name_ar, name_en FROM actors WHERE id = ANY($1::text[])"


def actor_ref(r: asyncpg.Record | dict[str, Any], prefix: str = "") -> ActorRef | None:
    """An ActorRef from columns ``{prefix}id``, ``{prefix}kind``, ``{prefix}name_ar``, ``{prefix}name_en``."""
    if r[f"{prefix}id"] is None:
        return None
    return ActorRef(
        id=r[f"{prefix}id"],
        kind=r[f"{prefix}kind"],
        name_ar=r[f"{prefix}name_ar"],
        name_en=r[f"{prefix}name_en"],
    )


def attribution(r: asyncpg.Record | dict[str, Any]) -> Attribution:
    """An Attribution from source_id, outlet, published_on, span_start, span_end, quote and via_* columns."""
    return Attribution(
        source_id=r["source_id"],
        outlet=r["outlet"],
        published_on=r["published_on"],
        span=(r["span_start"], r["span_end"]),
        quote=r["quote"],
        via=actor_ref(r, "via_"),
    )


# Columns for attribution(): join `sources s` and `actors v` (the relay) around a span-carrying row.
ATTRIBUTION_COLUMNS = """s.outlet, s.published_on, v.id AS via_id, v.kind AS via_kind,
    v.name_ar AS via_name_ar, v.name_en AS via_name_en"""


async def resolve_actor_values(conn: asyncpg.Connection, values: list[str]) -> list[list[str]]:
    """For each id or name, the actor ids it denotes (an empty list when none: the filter matches nothing)."""
    out = []
    for value in values:
        key = match_key(value)
        ids = [r["id"] for r in await conn.fetch(RESOLVE_ACTOR_EXACT, value, key)]
        if not ids and key:
            ids = [r["actor_id"] for r in await conn.fetch(RESOLVE_ACTOR_TOKENS, key.split())]
        out.append(sorted(ids))
    return out


async def actor_refs(conn: asyncpg.Connection, ids: list[str]) -> dict[str, ActorRef]:
    refs = {}
    for r in await conn.fetch(SELECT_ACTOR_REFS, ids):
        ref = actor_ref(r)
        if ref is not None:
            refs[ref.id] = ref
    return refs


async def dataset_version(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval(DATASET_VERSION))


async def resolve_outlets(conn: asyncpg.Connection, values: list[str]) -> list[str]:
    """The stored outlet names that ``values`` designate: a name in any spelling that folds to the
    same match key (hamza, taa marbuta, tatweel, diacritics, case), or an ``act_`` id whose names
    and aliases do. No match gives an empty list (the filter then matches nothing)."""
    keys = {match_key(v) for v in values if not v.startswith("act_")}
    ids = [v for v in values if v.startswith("act_")]
    if ids:
        keys |= {match_key(r["name"]) for r in await conn.fetch(ACTOR_NAMES, ids) if r["name"]}
    keys.discard("")
    return sorted(o for (o,) in await conn.fetch(STORED_OUTLETS) if match_key(o) in keys)
