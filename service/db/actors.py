"""Actors: aliases (with the mentions that attest them), roles with attributions, counts, network."""

from __future__ import annotations

from collections import defaultdict

import asyncpg

from service.db.filters import SqlQuery
from service.db.refs import actor_ref, attribution
from service.models import Actor, ActorNetwork, ActorRef, Alias, CoActor, Name, Role
from service.text import match_key

ACTOR_SELECT = """
SELECT a.id, a.kind, a.name_ar, a.name_en, a.lat, a.lon, a.wikidata, a.confidence, a.updated_at,
       c.id AS country_id, c.kind AS country_kind, c.name_ar AS country_name_ar, c.name_en AS country_name_en
FROM actors a
LEFT JOIN actors c ON c.id = a.country_id"""

SELECT_ACTORS_BY_ID = ACTOR_SELECT + "\nWHERE a.id = ANY($1::text[]) ORDER BY a.id"

SELECT_ALIASES = """
SELECT actor_id, text, origin, match_key FROM actor_aliases
WHERE actor_id = ANY($1::text[])
ORDER BY actor_id, array_position(ARRAY['kb', 'article', 'transliteration'], origin), text
"""

# Counted as the pipeline counts them: an event involves an actor as participant or location;
# first/last seen are the publication dates of the sources that mention the actor.
SELECT_ACTOR_COUNTS = """
SELECT k.id,
       (SELECT count(*) FROM (SELECT ea.event_id FROM event_actors ea WHERE ea.actor_id = k.id
                              UNION SELECT le.id FROM events le WHERE le.location_actor_id = k.id) x) AS event_count,
       m.mention_count, m.first_seen, m.last_seen
FROM unnest($1::text[]) AS k(id)
LEFT JOIN LATERAL (
    SELECT count(*) AS mention_count, min(ms.published_on) AS first_seen, max(ms.published_on) AS last_seen
    FROM actor_mentions am JOIN sources ms ON ms.id = am.source_id WHERE am.actor_id = k.id
) m ON true
"""

SELECT_ROLES = """
SELECT r.actor_id, r.role, r.rank, r.source_id, r.span_start, r.span_end, r.quote, s.outlet, s.published_on,
       NULL AS via_id
FROM actor_roles r JOIN sources s ON s.id = r.source_id
WHERE r.actor_id = $1
ORDER BY s.published_on NULLS LAST, r.source_id, r.span_start
LIMIT $2
"""

SELECT_MENTIONS = """
SELECT m.source_id, m.span_start, m.span_end, m.quote, s.outlet, s.published_on, NULL AS via_id
FROM actor_mentions m JOIN sources s ON s.id = m.source_id
WHERE m.actor_id = $1
ORDER BY s.published_on NULLS LAST, m.source_id, m.span_start
LIMIT $2
"""

# Co-actors over the events of the subject that match the event filters ({where} and its $n follow $1).
NETWORK_SQL = """
WITH mine AS (
    SELECT DISTINCT e.id FROM events e
    WHERE e.id IN (SELECT ea.event_id FROM event_actors ea WHERE ea.actor_id = $1) AND {where}
)
SELECT a.id, a.kind, a.name_ar, a.name_en, count(DISTINCT o.event_id) AS count,
       array_agg(DISTINCT o.event_id ORDER BY o.event_id) AS event_ids
FROM mine
JOIN event_actors o ON o.event_id = mine.id AND o.actor_id <> $1
JOIN actors a ON a.id = o.actor_id
GROUP BY a.id, a.kind, a.name_ar, a.name_en
ORDER BY count DESC, a.id
LIMIT {limit}
"""
NETWORK_TOTAL = """
SELECT count(*) FROM events e
WHERE e.id IN (SELECT ea.event_id FROM event_actors ea WHERE ea.actor_id = $1) AND {where}
"""


async def actors_from_records(
    conn: asyncpg.Connection, records: list[asyncpg.Record], detail: bool = False, limit: int | None = None
) -> list[Actor]:
    """Actors for rows of ACTOR_SELECT, with aliases and counts; ``detail`` adds roles and the
    attributions of each alias (the mentions whose normalised text is that alias), the first
    ``limit`` roles and mentions of each actor when given (None: all)."""
    ids = [r["id"] for r in records]
    if not ids:
        return []
    aliases: dict[str, list[Alias]] = defaultdict(list)
    keys: dict[str, dict[str, Alias]] = defaultdict(dict)
    for r in await conn.fetch(SELECT_ALIASES, ids):
        alias = Alias(text=r["text"], origin=r["origin"], attributions=[])
        aliases[r["actor_id"]].append(alias)
        keys[r["actor_id"]].setdefault(r["match_key"], alias)
    counts = {r["id"]: r for r in await conn.fetch(SELECT_ACTOR_COUNTS, ids)}
    roles: dict[str, list[Role]] = defaultdict(list)
    if detail:
        for actor_id in ids:
            roles[actor_id] = [
                Role(text=r["role"], rank=r["rank"], attribution=attribution(r))
                for r in await conn.fetch(SELECT_ROLES, actor_id, limit)
            ]
            for m in await conn.fetch(SELECT_MENTIONS, actor_id, limit):
                alias = keys[actor_id].get(match_key(m["quote"]))
                if alias is not None:
                    alias.attributions.append(attribution(m))
    out = []
    for r in records:
        c = counts[r["id"]]
        out.append(
            Actor(
                id=r["id"],
                kind=r["kind"],
                name=Name(ar=r["name_ar"], en=r["name_en"]),
                aliases=aliases[r["id"]],
                roles=roles[r["id"]],
                country=actor_ref(r, "country_"),
                lat=r["lat"],
                lon=r["lon"],
                wikidata=r["wikidata"],
                event_count=c["event_count"],
                mention_count=c["mention_count"],
                first_seen=c["first_seen"],
                last_seen=c["last_seen"],
                confidence=round(float(r["confidence"]), 4),
                updated_at=r["updated_at"],
            )
        )
    return out


async def actors_by_id(
    conn: asyncpg.Connection, ids: list[str], detail: bool = False, limit: int | None = None
) -> list[Actor]:
    return await actors_from_records(conn, await conn.fetch(SELECT_ACTORS_BY_ID, ids), detail, limit)


async def get_actor(conn: asyncpg.Connection, actor_id: str, limit: int | None = None) -> Actor | None:
    """One actor with all its roles and alias attributions (the first ``limit`` of each, if given)."""
    found = await actors_by_id(conn, [actor_id], detail=True, limit=limit)
    return found[0] if found else None


def _ref(actor: Actor) -> ActorRef:
    return ActorRef(id=actor.id, kind=actor.kind, name_ar=actor.name.ar, name_en=actor.name.en)


async def actor_network(conn: asyncpg.Connection, actor: Actor, query: SqlQuery, limit: int) -> ActorNetwork:
    """Who ``actor`` appears with in the events matching ``query`` (whose $1 is the actor id), most
    frequent first."""
    total = await conn.fetchval(NETWORK_TOTAL.format(where=query.where_sql), *query.args)
    limit_param = query.param(limit)
    rows = await conn.fetch(NETWORK_SQL.format(where=query.where_sql, limit=limit_param), *query.args)
    co = []
    for r in rows:
        ref = actor_ref(r)
        assert ref is not None
        co.append(CoActor(actor=ref, count=r["count"], event_ids=list(r["event_ids"])))
    return ActorNetwork(actor=_ref(actor), event_count=total, co_actors=co)


__all__ = ["ACTOR_SELECT", "actor_network", "actors_by_id", "actors_from_records", "get_actor"]
