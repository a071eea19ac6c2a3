"""The merge state in Postgres (migration 0007): the ``Store`` the incremental merge reads, and
the writes that keep it current. SQL constants beside the functions that run them."""

from __future__ import annotations

import hashlib
from collections import defaultdict

import asyncpg
import msgspec

from service.db import corpus
from service.extract.document import Document
from service.merge.actor_clusters import ActorLink
from service.merge.actor_groups import Contribution, Profile, Signature, may_match
from service.merge.common import source_id
from service.merge.dataset import MergeDecision
from service.merge.engine import StateDelta
from service.merge.event_clusters import found_by
from service.merge.event_units import EventUnit, UnitKey
from service.merge.state import GroupState, RankRole, StoredActor, UndatedState, UnitState

_enc = msgspec.msgpack.Encoder(order="deterministic")
_profile = msgspec.msgpack.Decoder(Profile)
_signature = msgspec.msgpack.Decoder(Signature)
_contribution = msgspec.msgpack.Decoder(Contribution)
_link = msgspec.msgpack.Decoder(ActorLink)
_actor = msgspec.msgpack.Decoder(StoredActor)
_unit = msgspec.msgpack.Decoder(EventUnit)

SELECT_GROUPS = "SELECT key, profile, signature, actor_id FROM merge_groups WHERE key = ANY($1::text[])"
SELECT_ACTOR_IDS = "SELECT key, actor_id FROM merge_groups WHERE key = ANY($1::text[])"
SELECT_CONTRIBUTIONS = "SELECT group_key, contribution FROM merge_members WHERE group_key = ANY($1::text[])"
SELECT_CANDIDATE_SIGNATURES = """
SELECT g.key, g.signature FROM merge_groups g
WHERE g.key IN (SELECT group_key FROM merge_group_keys WHERE key = ANY($1::text[])) AND g.key <> ALL($2::text[])
"""
SELECT_PROFILES = "SELECT key, profile FROM merge_groups WHERE key = ANY($1::text[])"
SELECT_ACTOR_LINKS = """
SELECT link FROM merge_actor_links WHERE a = ANY($1::text[])
UNION ALL SELECT link FROM merge_actor_links WHERE b = ANY($1::text[]) AND a <> ALL($1::text[])
"""
SELECT_ACTOR_GROUPS = "SELECT actor_id, key FROM merge_groups WHERE actor_id = ANY($1::text[]) ORDER BY key"
SELECT_ACTORS = "SELECT actor_id, state FROM merge_actors WHERE actor_id = ANY($1::text[])"
SELECT_ACTOR_PROFILES = "SELECT actor_id, profile FROM merge_actors WHERE actor_id = ANY($1::text[])"
SELECT_BUCKETS = "SELECT bucket, order_key, actor_id FROM merge_actors WHERE bucket = ANY($1::text[])"
SELECT_COUNTRY_DEPENDENTS = (
    "SELECT actor_id FROM merge_actors WHERE country_key = ANY($1::text[]) ORDER BY actor_id"
)
SELECT_DOCS_OF_GROUPS = "SELECT DISTINCT sha FROM merge_members WHERE group_key = ANY($1::text[])"
SELECT_UNITS_OF_DOCS = "SELECT sha, idx, event_id, unit FROM merge_units WHERE sha = ANY($1::text[])"
SELECT_UNITS_OF_EVENTS = "SELECT sha, idx, event_id, unit FROM merge_units WHERE event_id = ANY($1::text[])"
# Report keys are stored as integers (migration 0015: ``key_hash``, ``article_number``); a key row
# finds its report by (s, idx), the unique index beside merge_units' primary key.
SELECT_UNITS_BY_KEYS = """
SELECT u.sha, u.idx, u.event_id, u.unit FROM merge_units u
JOIN (SELECT DISTINCT s, idx FROM merge_unit_keys WHERE key = ANY($1::bigint[])) k ON k.s = u.s AND k.idx = u.idx
"""
SELECT_CANDIDATE_UNITS = """
SELECT u.sha, u.idx, u.event_id, u.unit, k.keys FROM merge_units u
JOIN (
    SELECT s, idx, array_agg(key) AS keys FROM merge_unit_keys WHERE key = ANY($1::bigint[]) GROUP BY s, idx
) k ON k.s = u.s AND k.idx = u.idx
"""
SELECT_UNIT_LINKS = """
WITH k AS (SELECT * FROM unnest($1::text[], $2::int[]) AS k(sha, idx))
SELECT l.a_sha, l.a_idx, l.b_sha, l.b_idx FROM merge_unit_links l JOIN k ON k.sha = l.a_sha AND k.idx = l.a_idx
UNION SELECT l.a_sha, l.a_idx, l.b_sha, l.b_idx FROM merge_unit_links l JOIN k ON k.sha = l.b_sha AND k.idx = l.b_idx
"""

SELECT_UNDATED = (
    "SELECT sha, probe_keys, anchor_pins, published, reason FROM merge_undated WHERE sha = ANY($1::text[])"
)
SELECT_UNDATED_BY_KEYS = "SELECT DISTINCT sha FROM merge_undated_keys WHERE key = ANY($1::text[])"
SELECT_EVENTS_OF_ACTORS = """
SELECT event_id FROM event_actors WHERE actor_id = ANY($1::text[])
UNION SELECT id FROM events WHERE location_actor_id = ANY($1::text[])
"""
SELECT_EVENT_COUNTS = """
SELECT actor_id, count(*) FROM (
    SELECT actor_id, event_id FROM event_actors WHERE actor_id = ANY($1::text[])
    UNION SELECT location_actor_id, id FROM events WHERE location_actor_id = ANY($1::text[])
) t GROUP BY actor_id
"""
INSERT_STALE = (
    "INSERT INTO merge_stale_summaries (actor_id) SELECT unnest($1::text[]) "
    "ON CONFLICT (actor_id) DO NOTHING RETURNING actor_id"
)
SELECT_EVENT_DECISIONS = (
    "SELECT id, target_id, member, rule, evidence FROM merge_decisions "
    "WHERE kind = 'event' AND target_id = ANY($1::text[])"
)
SELECT_CLAIMS_OF_DOCS = "SELECT source_id, id FROM claims WHERE source_id = ANY($1::text[])"
SELECT_CLAIM_SUBJECTS = """
SELECT DISTINCT ca.actor_id FROM claims c
JOIN claim_about ca ON ca.claim_id = c.id JOIN actors a ON a.id = ca.actor_id
WHERE c.source_id = ANY($1::text[]) AND a.kind = ANY($2::text[])
"""
SELECT_DOCS_ABOUT = """
SELECT DISTINCT s.sha256 FROM claim_about ca
JOIN claims c ON c.id = ca.claim_id JOIN sources s ON s.id = c.source_id
WHERE ca.actor_id = ANY($1::text[])
"""
SELECT_CLAIM_PAIRS = (
    "SELECT origin, claim_id, other_id FROM merge_claim_pairs WHERE claim_id = ANY($1::text[])"
)
SELECT_CONFLICTS_OF = """
SELECT id FROM conflicts WHERE subject_actor_id = ANY($1::text[])
UNION SELECT id FROM conflicts WHERE subject_event_id = ANY($1::text[])
"""
SELECT_RANK_ROLES = """
SELECT r.actor_id, r.role, r.rank, r.source_id, s.outlet, s.published_on, r.span_start, r.span_end, r.quote
FROM actor_roles r JOIN sources s ON s.id = r.source_id
WHERE r.actor_id = ANY($1::text[]) AND r.rank IS NOT NULL AND s.sha256 <> ALL($2::text[])
"""
SELECT_DECISIONS = """
SELECT id FROM merge_decisions WHERE kind = $2 AND target_id = ANY($1::text[]) AND rule <> ALL($3::text[])
"""


def key_hash(key: str) -> int:
    """A report key as stored (migration 0015): the first 64 bits of its md5, signed, as
    ``('x' || left(md5(key), 16))::bit(64)::bigint`` gives in SQL."""
    return int.from_bytes(hashlib.md5(key.encode(), usedforsecurity=False).digest()[:8], "big", signed=True)


def article_number(sha: str) -> int:
    """An article's sha256 as the key rows name it: its first 64 bits, signed (``merge_units.s``)."""
    return int.from_bytes(bytes.fromhex(sha[:16]), "big", signed=True)


def _by_hash(keys: list[str]) -> dict[int, list[str]]:
    """The looked-up keys by their stored integer (two keys of one integer both stand for it)."""
    out: dict[int, list[str]] = defaultdict(list)
    for k in keys:
        out[key_hash(k)].append(k)
    return out


def _unit_state(r: asyncpg.Record) -> tuple[UnitKey, UnitState]:
    return (r["sha"], r["idx"]), UnitState(unit=_unit.decode(r["unit"]), event_id=r["event_id"])


class DbStore:
    """The merge state of the database ``conn`` is connected to (inside the merge's transaction)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def documents(self, shas: list[str]) -> dict[str, Document]:
        return await corpus.documents(self.conn, shas) if shas else {}

    async def groups(self, keys: list[str]) -> dict[str, GroupState]:
        out = {}
        for r in await self.conn.fetch(SELECT_GROUPS, keys):
            signature = _signature.decode(r["signature"]) if r["signature"] is not None else None
            out[r["key"]] = GroupState(
                key=r["key"],
                profile=_profile.decode(r["profile"]),
                signature=signature,
                actor_id=r["actor_id"],
            )
        return out

    async def actor_ids(self, groups: list[str]) -> dict[str, str]:
        if not groups:
            return {}
        return {r["key"]: r["actor_id"] for r in await self.conn.fetch(SELECT_ACTOR_IDS, groups)}

    async def contributions(self, keys: list[str]) -> dict[str, list[Contribution]]:
        out: dict[str, list[Contribution]] = defaultdict(list)
        for r in await self.conn.fetch(SELECT_CONTRIBUTIONS, keys):
            out[r["group_key"]].append(_contribution.decode(r["contribution"]))
        return {g: sorted(cs, key=lambda c: c.member) for g, cs in out.items()}

    async def group_candidates(
        self, signatures: dict[str, Signature], exclude: set[str]
    ) -> dict[str, list[tuple[str, Profile, Signature]]]:
        if not signatures:
            return {}
        keys = sorted({k for sig in signatures.values() for k in sig.keys})
        found = {
            r["key"]: _signature.decode(r["signature"])
            for r in await self.conn.fetch(SELECT_CANDIDATE_SIGNATURES, keys, sorted(exclude))
        }
        by_key: dict[str, list[str]] = defaultdict(list)
        for h, other in found.items():
            for k in other.keys:
                by_key[k].append(h)
        wanted: dict[str, list[str]] = {}
        for g, sig in signatures.items():
            near = {h for k in sig.keys for h in by_key.get(k, ())}
            wanted[g] = [h for h in sorted(near) if may_match(sig, found[h])]
        needed = sorted({h for hs in wanted.values() for h in hs})
        profiles = {
            r["key"]: _profile.decode(r["profile"]) for r in await self.conn.fetch(SELECT_PROFILES, needed)
        }
        return {g: [(h, profiles[h], found[h]) for h in sorted(hs)] for g, hs in wanted.items() if hs}

    async def actor_links(self, groups: list[str]) -> list[ActorLink]:
        if not groups:
            return []
        return [_link.decode(r["link"]) for r in await self.conn.fetch(SELECT_ACTOR_LINKS, groups)]

    async def actor_groups(self, actor_ids: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        if actor_ids:
            for r in await self.conn.fetch(SELECT_ACTOR_GROUPS, actor_ids):
                out[r["actor_id"]].append(r["key"])
        return dict(out)

    async def actors(self, actor_ids: list[str]) -> dict[str, StoredActor]:
        if not actor_ids:
            return {}
        return {
            r["actor_id"]: _actor.decode(r["state"]) for r in await self.conn.fetch(SELECT_ACTORS, actor_ids)
        }

    async def actor_profiles(self, actor_ids: list[str]) -> dict[str, Profile]:
        if not actor_ids:
            return {}
        rows = await self.conn.fetch(SELECT_ACTOR_PROFILES, actor_ids)
        return {r["actor_id"]: _profile.decode(r["profile"]) for r in rows}

    async def actors_in_buckets(
        self, buckets: list[str]
    ) -> dict[str, list[tuple[tuple[str, str, str], str]]]:
        out: dict[str, list[tuple[tuple[str, str, str], str]]] = defaultdict(list)
        if buckets:
            for r in await self.conn.fetch(SELECT_BUCKETS, buckets):
                out[r["bucket"]].append((tuple(r["order_key"]), r["actor_id"]))
        return dict(out)

    async def actors_of_country(self, country_keys: list[str]) -> list[str]:
        if not country_keys:
            return []
        return [r["actor_id"] for r in await self.conn.fetch(SELECT_COUNTRY_DEPENDENTS, country_keys)]

    async def docs_of_groups(self, groups: list[str]) -> set[str]:
        if not groups:
            return set()
        return {r["sha"] for r in await self.conn.fetch(SELECT_DOCS_OF_GROUPS, groups)}

    async def units_of_docs(self, shas: list[str]) -> dict[UnitKey, UnitState]:
        if not shas:
            return {}
        return dict(_unit_state(r) for r in await self.conn.fetch(SELECT_UNITS_OF_DOCS, shas))

    async def units_of_events(self, event_ids: list[str]) -> dict[UnitKey, UnitState]:
        if not event_ids:
            return {}
        return dict(_unit_state(r) for r in await self.conn.fetch(SELECT_UNITS_OF_EVENTS, event_ids))

    async def unit_candidates(self, keys: list[str]) -> dict[UnitKey, UnitState]:
        if not keys:
            return {}
        hashed = _by_hash(keys)
        return {
            (r["sha"], r["idx"]): UnitState(
                unit=_unit.decode(r["unit"]),
                event_id=r["event_id"],
                found_by=tuple(sorted(k for h in r["keys"] for k in hashed[h])),
            )
            for r in await self.conn.fetch(SELECT_CANDIDATE_UNITS, list(hashed))
        }

    async def unit_links(self, units: list[UnitKey]) -> list[tuple[UnitKey, UnitKey]]:
        if not units:
            return []
        rows = await self.conn.fetch(SELECT_UNIT_LINKS, [u[0] for u in units], [u[1] for u in units])
        return [((r["a_sha"], r["a_idx"]), (r["b_sha"], r["b_idx"])) for r in rows]

    async def pinned_units(self, pins: list[str]) -> dict[UnitKey, UnitState]:
        if not pins:
            return {}
        return dict(
            _unit_state(r)
            for r in await self.conn.fetch(SELECT_UNITS_BY_KEYS, list(_by_hash([f"p:{k}" for k in pins])))
        )

    async def undated(self, shas: list[str]) -> dict[str, UndatedState]:
        if not shas:
            return {}
        return {
            r["sha"]: UndatedState(
                sha=r["sha"],
                probe_keys=list(r["probe_keys"]),
                anchor_pins=list(r["anchor_pins"]),
                published=r["published"],
                reason=r["reason"],
            )
            for r in await self.conn.fetch(SELECT_UNDATED, shas)
        }

    async def undated_related(self, probe_keys: list[str], anchor_pins: list[str]) -> set[str]:
        wanted = [f"p:{k}" for k in anchor_pins] + [f"a:{k}" for k in probe_keys]
        if not wanted:
            return set()
        return {r["sha"] for r in await self.conn.fetch(SELECT_UNDATED_BY_KEYS, wanted)}

    async def events_of_actors(self, actor_ids: list[str]) -> set[str]:
        if not actor_ids:
            return set()
        return {r[0] for r in await self.conn.fetch(SELECT_EVENTS_OF_ACTORS, actor_ids)}

    async def event_counts(self, actor_ids: list[str]) -> dict[str, int]:
        if not actor_ids:
            return {}
        return {r[0]: r[1] for r in await self.conn.fetch(SELECT_EVENT_COUNTS, actor_ids)}

    async def claims_of_docs(self, shas: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        if shas:
            for r in await self.conn.fetch(SELECT_CLAIMS_OF_DOCS, [source_id(s) for s in shas]):
                out[r["source_id"]].append(r["id"])
        return dict(out)

    async def claim_subjects(self, shas: list[str], kinds: list[str]) -> set[str]:
        if not shas:
            return set()
        return {
            r[0] for r in await self.conn.fetch(SELECT_CLAIM_SUBJECTS, [source_id(s) for s in shas], kinds)
        }

    async def docs_about(self, subjects: list[str]) -> set[str]:
        if not subjects:
            return set()
        return {r[0] for r in await self.conn.fetch(SELECT_DOCS_ABOUT, subjects)}

    async def claim_pairs(self, claim_ids: list[str]) -> list[tuple[str, str, str]]:
        if not claim_ids:
            return []
        return [(r[0], r[1], r[2]) for r in await self.conn.fetch(SELECT_CLAIM_PAIRS, claim_ids)]

    async def conflicts_of(self, subject_ids: list[str]) -> list[str]:
        if not subject_ids:
            return []
        return [r[0] for r in await self.conn.fetch(SELECT_CONFLICTS_OF, subject_ids)]

    async def rank_roles(self, actor_ids: list[str], exclude_docs: set[str]) -> dict[str, list[RankRole]]:
        out: dict[str, list[RankRole]] = defaultdict(list)
        if actor_ids:
            for r in await self.conn.fetch(SELECT_RANK_ROLES, actor_ids, sorted(exclude_docs)):
                out[r["actor_id"]].append(
                    RankRole(
                        text=r["role"],
                        rank=r["rank"],
                        source_id=r["source_id"],
                        outlet=r["outlet"],
                        published_on=r["published_on"],
                        start=r["span_start"],
                        end=r["span_end"],
                        quote=r["quote"],
                    )
                )
        return dict(out)

    async def decisions_of(self, target_ids: list[str], kind: str, exclude_rules: list[str]) -> list[str]:
        if not target_ids:
            return []
        return [r[0] for r in await self.conn.fetch(SELECT_DECISIONS, target_ids, kind, exclude_rules)]

    async def event_decisions(self, event_ids: list[str]) -> list[MergeDecision]:
        if not event_ids:
            return []
        return [
            MergeDecision(
                id=r["id"],
                kind="event",
                target_id=r["target_id"],
                member=r["member"],
                rule=r["rule"],
                evidence=r["evidence"],
            )
            for r in await self.conn.fetch(SELECT_EVENT_DECISIONS, event_ids)
        ]


# --- writing the state --------------------------------------------------------------------------

DELETE_GROUPS = "DELETE FROM merge_groups WHERE key = ANY($1::text[])"
SELECT_GROUP_KEYS = "SELECT key, group_key FROM merge_group_keys WHERE group_key = ANY($1::text[])"
DELETE_GROUP_KEYS_EXACT = """
DELETE FROM merge_group_keys g USING unnest($1::text[], $2::text[]) AS d(key, group_key)
WHERE g.key = d.key AND g.group_key = d.group_key
"""
DELETE_MEMBERS = "DELETE FROM merge_members WHERE sha = ANY($1::text[])"
DELETE_LINKS = "DELETE FROM merge_actor_links WHERE a = ANY($1::text[]) OR b = ANY($1::text[])"
# One statement for a merge's actors (and one for its groups): arrays of columns unnested, not a
# statement per row (``executemany`` runs the plan once a row; a chunk writes thousands of groups).
UPSERT_ACTORS = """
INSERT INTO merge_actors (actor_id, bucket, order_key, country_key, state, profile)
SELECT v.actor_id, v.bucket, ARRAY[v.o1, v.o2, v.o3], v.country_key, v.state, v.profile
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bytea[], $8::bytea[])
    AS v(actor_id, bucket, o1, o2, o3, country_key, state, profile)
ON CONFLICT (actor_id) DO UPDATE SET bucket = EXCLUDED.bucket, order_key = EXCLUDED.order_key,
    country_key = EXCLUDED.country_key, state = EXCLUDED.state,
    profile = coalesce(EXCLUDED.profile, merge_actors.profile)
WHERE (merge_actors.bucket, merge_actors.order_key, merge_actors.country_key, merge_actors.state)
      IS DISTINCT FROM (EXCLUDED.bucket, EXCLUDED.order_key, EXCLUDED.country_key, EXCLUDED.state)
   OR (EXCLUDED.profile IS NOT NULL AND merge_actors.profile IS DISTINCT FROM EXCLUDED.profile)
"""
UPSERT_GROUPS = """
INSERT INTO merge_groups (key, kind, actor_id, profile, signature)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::bytea[])
ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, actor_id = EXCLUDED.actor_id,
    profile = EXCLUDED.profile, signature = EXCLUDED.signature
WHERE (merge_groups.kind, merge_groups.actor_id, merge_groups.profile, merge_groups.signature)
      IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.actor_id, EXCLUDED.profile, EXCLUDED.signature)
"""
SELECT_PAIRS_OF_ORIGINS = (
    "SELECT origin, claim_id, other_id FROM merge_claim_pairs WHERE origin = ANY($1::text[])"
)
DELETE_PAIRS_EXACT = """
DELETE FROM merge_claim_pairs p USING unnest($1::text[], $2::text[], $3::text[]) AS d(origin, claim_id, other_id)
WHERE p.origin = d.origin AND p.claim_id = d.claim_id AND p.other_id = d.other_id
"""
DELETE_ACTORS = "DELETE FROM merge_actors WHERE actor_id = ANY($1::text[])"
# A replaced article's reports give back their keys as they go (no index on the key rows' article).
DELETE_UNITS = "DELETE FROM merge_units WHERE sha = ANY($1::text[]) RETURNING s, idx, keys"
DELETE_UNIT_KEYS_EXACT = """
DELETE FROM merge_unit_keys k USING unnest($1::bigint[], $2::bigint[], $3::int[]) AS d(key, s, idx)
WHERE k.key = d.key AND k.s = d.s AND k.idx = d.idx
"""
UPDATE_UNIT_EVENTS = """
UPDATE merge_units u SET event_id = v.event_id
FROM unnest($1::text[], $2::int[], $3::text[]) AS v(sha, idx, event_id)
WHERE u.sha = v.sha AND u.idx = v.idx
"""
SELECT_TOUCHING_LINKS = """
SELECT l.a_sha, l.a_idx, l.b_sha, l.b_idx FROM merge_unit_links l, unnest($1::text[], $2::int[]) AS k(sha, idx)
WHERE (l.a_sha = k.sha AND l.a_idx = k.idx) OR (l.b_sha = k.sha AND l.b_idx = k.idx)
"""
DELETE_LINKS_EXACT = """
DELETE FROM merge_unit_links l USING unnest($1::text[], $2::int[], $3::text[], $4::int[]) AS d(a_sha, a_idx, b_sha, b_idx)
WHERE l.a_sha = d.a_sha AND l.a_idx = d.a_idx AND l.b_sha = d.b_sha AND l.b_idx = d.b_idx
"""
DELETE_UNDATED = "DELETE FROM merge_undated WHERE sha = ANY($1::text[])"
DELETE_UNDATED_KEYS = "DELETE FROM merge_undated_keys WHERE sha = ANY($1::text[])"


def unit_keys(unit: EventUnit) -> list[str]:
    """The keys a report is found by (``event_clusters.found_by``), and its pins (``p:``)."""
    return found_by(unit, within=False) + [f"p:{k}" for k in unit.pins]


async def write_state(conn: asyncpg.Connection, st: StateDelta) -> list[str]:
    """Apply a merge's state changes (inside its transaction); the actors newly waiting for a
    summary refresh (``StateDelta.stale_actors`` not already waiting)."""
    if st.gone_groups:
        await conn.execute(DELETE_GROUPS, st.gone_groups)
    rekeyed = sorted({g.key for g in st.groups if g.signature is not None} | set(st.gone_groups))
    if rekeyed:
        # The keys of ``rekeyed`` groups become those of their signatures: only the difference is
        # written (a hub group's profile changes with every chunk, its signature seldom).
        records = {(k, g.key) for g in st.groups if g.signature is not None for k in g.signature.keys}
        stored_keys = {(r[0], r[1]) for r in await conn.fetch(SELECT_GROUP_KEYS, rekeyed)}
        stale_keys = sorted(stored_keys - records)
        if stale_keys:
            await conn.execute(
                DELETE_GROUP_KEYS_EXACT, [r[0] for r in stale_keys], [r[1] for r in stale_keys]
            )
        fresh_keys = sorted(records - stored_keys)
        if fresh_keys:
            await conn.copy_records_to_table(
                "merge_group_keys", records=fresh_keys, columns=["key", "group_key"]
            )
    if st.groups:
        await conn.execute(
            UPSERT_GROUPS,
            [g.key for g in st.groups],
            [g.profile.head.kind for g in st.groups],
            [g.actor_id for g in st.groups],
            [_enc.encode(g.profile) for g in st.groups],
            [_enc.encode(g.signature) if g.signature is not None else None for g in st.groups],
        )
    if st.member_docs:
        await conn.execute(DELETE_MEMBERS, st.member_docs)
    if st.members:
        await conn.copy_records_to_table(
            "merge_members",
            records=[(c.sha, c.key, g, _enc.encode(c)) for g, c in st.members],
            columns=["sha", "entity_key", "group_key", "contribution"],
        )
    if st.link_groups:
        await conn.execute(DELETE_LINKS, st.link_groups)
    if st.links:
        await conn.copy_records_to_table(
            "merge_actor_links",
            records=[(x.a, x.b, _enc.encode(x)) for x in st.links],
            columns=["a", "b", "link"],
        )
    if st.gone_actors:
        await conn.execute(DELETE_ACTORS, st.gone_actors)
    if st.actors:
        await conn.execute(
            UPSERT_ACTORS,
            [a.info.id for a in st.actors],
            [a.info.bucket for a in st.actors],
            *([a.info.order[i] for a in st.actors] for i in range(3)),
            [a.info.country_key for a in st.actors],
            [
                _enc.encode(msgspec.structs.replace(a, info=msgspec.structs.replace(a.info, profile=None)))
                for a in st.actors
            ],
            [_enc.encode(a.info.profile) if a.info.profile is not None else None for a in st.actors],
        )
    # The reports of ``unit_docs`` are replaced by ``units``; their blocking keys (some 40-100 a
    # report, the largest table the merge writes) only by difference: a re-merged article's reports
    # mostly keep their keys, and a deleted and re-inserted key costs an index update each way.
    # Keys are stored as integers (migration 0015), each report's also in its own row.
    hashes = {s.unit.key: sorted({key_hash(k) for k in unit_keys(s.unit)}) for s in st.units}
    wanted_keys = {(h, article_number(u[0]), u[1]) for u, unit_hashes in hashes.items() for h in unit_hashes}
    stored_unit_keys: set[tuple[int, int, int]] = set()
    if st.unit_docs:
        gone = await conn.fetch(DELETE_UNITS, st.unit_docs)
        stored_unit_keys = {(h, r[0], r[1]) for r in gone for h in r[2]}
        stale_unit_keys = sorted(stored_unit_keys - wanted_keys)
        if stale_unit_keys:
            await conn.execute(DELETE_UNIT_KEYS_EXACT, *([r[i] for r in stale_unit_keys] for i in range(3)))
    if st.units:
        await conn.copy_records_to_table(
            "merge_units",
            records=[
                (s.unit.key[0], s.unit.key[1], s.event_id, _enc.encode(s.unit), hashes[s.unit.key])
                for s in st.units
            ],
            columns=["sha", "idx", "event_id", "unit", "keys"],
        )
        fresh_unit_keys = sorted(wanted_keys - stored_unit_keys)
        if fresh_unit_keys:
            await conn.copy_records_to_table(
                "merge_unit_keys", records=fresh_unit_keys, columns=["key", "s", "idx"]
            )
    if st.unit_events:
        await conn.execute(
            UPDATE_UNIT_EVENTS,
            [k[0] for k, _ in st.unit_events],
            [k[1] for k, _ in st.unit_events],
            [e for _, e in st.unit_events],
        )
    # The links touching ``linked_units`` become ``unit_links``: only the difference is written
    # (a re-merged article's links are mostly the stored ones).
    wanted = {(a[0], a[1], b[0], b[1]) for a, b in st.unit_links}
    stored: set[tuple[str, int, str, int]] = set()
    if st.linked_units:
        rows = await conn.fetch(
            SELECT_TOUCHING_LINKS, [k[0] for k in st.linked_units], [k[1] for k in st.linked_units]
        )
        stored = {(r[0], r[1], r[2], r[3]) for r in rows}
    stale = sorted(stored - wanted)
    if stale:
        await conn.execute(DELETE_LINKS_EXACT, *([r[i] for r in stale] for i in range(4)))
    fresh = sorted(wanted - stored)
    if fresh:
        await conn.copy_records_to_table(
            "merge_unit_links", records=fresh, columns=["a_sha", "a_idx", "b_sha", "b_idx"]
        )
    if st.undated or st.member_docs:
        shas = sorted({u.sha for u in st.undated} | set(st.member_docs))
        await conn.execute(DELETE_UNDATED, shas)
        await conn.execute(DELETE_UNDATED_KEYS, shas)
    if st.undated:
        await conn.copy_records_to_table(
            "merge_undated",
            records=[(u.sha, u.probe_keys, u.anchor_pins, u.published, u.reason) for u in st.undated],
            columns=["sha", "probe_keys", "anchor_pins", "published", "reason"],
        )
        keys = {(f"p:{k}", u.sha) for u in st.undated for k in u.probe_keys}
        keys |= {(f"a:{k}", u.sha) for u in st.undated for k in u.anchor_pins}
        if keys:
            await conn.copy_records_to_table(
                "merge_undated_keys", records=sorted(keys), columns=["key", "sha"]
            )
    # The pairs of ``pair_origins`` become ``pairs``: only the difference is written.
    wanted_pairs = set(st.pairs)
    stored_pairs: set[tuple[str, str, str]] = set()
    if st.pair_origins:
        rows = await conn.fetch(SELECT_PAIRS_OF_ORIGINS, st.pair_origins)
        stored_pairs = {(r[0], r[1], r[2]) for r in rows}
    stale_pairs = sorted(stored_pairs - wanted_pairs)
    if stale_pairs:
        await conn.execute(DELETE_PAIRS_EXACT, *([r[i] for r in stale_pairs] for i in range(3)))
    fresh_pairs = sorted(wanted_pairs - stored_pairs)
    if fresh_pairs:
        await conn.copy_records_to_table(
            "merge_claim_pairs", records=fresh_pairs, columns=["origin", "claim_id", "other_id"]
        )
    if st.stale_actors:
        return [r[0] for r in await conn.fetch(INSERT_STALE, st.stale_actors)]
    return []
