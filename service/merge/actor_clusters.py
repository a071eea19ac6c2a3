"""Global actors from per-document entities.

KB entities merge by ``kb_id``. People nobody listed merge across documents when
``resolve.same_actor`` says so (token-level matching with corroboration); candidate pairs
come from blocks keyed by name tokens, so the work grows with the number of entities, not
its square. Other unlisted entities merge by kind and normalised name. Ids are derived from
the cluster, never from input order.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Any

import msgspec

from service.extract.actors.resolve import blocking_keys, same_actor
from service.extract.document import Document, Entity
from service.merge.common import stable_id
from service.merge.dataset import MergeDecision
from service.models.resources import ActorRef
from service.text import match_key as _match_key

Member = tuple[str, str]
"""One per-document entity: (document sha256, entity key)."""

match_key = lru_cache(maxsize=1 << 16)(_match_key)
"""Names recur across documents and every step keys on them: fold each one once."""

BLOCK_LIMIT = 200
WINDOW = 20


class ActorIndex(msgspec.Struct):
    """Which global actor each per-document entity belongs to, and the clusters themselves."""

    actor_of: dict[Member, str]
    clusters: dict[str, list[Member]]
    refs: dict[str, ActorRef]
    kb_actor: dict[str, str]
    country: dict[str, str | None]
    coords: dict[str, tuple[float, float]]
    decisions: list[MergeDecision]
    paragraph_people: dict[str, dict[int, frozenset[str]]] = {}
    """Per document, the people each paragraph names (filled by ``event_units`` as needed)."""

    def country_key(self, actor_id: str) -> str | None:
        """The country an actor belongs to (a country is its own), as a KB id or actor id."""
        return self.country.get(actor_id)

    def ref(self, sha: str, entity_key: str | None) -> ActorRef | None:
        """The global actor reference of an entity of one document (None when unknown)."""
        if entity_key is None:
            return None
        actor_id = self.actor_of.get((sha, entity_key))
        return self.refs.get(actor_id) if actor_id else None


class _UnionFind:
    def __init__(self, members: list[Member], kb_of: dict[Member, str | None]) -> None:
        self.parent = {m: m for m in members}
        self.kb = {m: {kb_of[m]} - {None} for m in members}

    def find(self, m: Member) -> Member:
        """The representative of the cluster holding ``m``."""
        while self.parent[m] != m:
            self.parent[m] = self.parent[self.parent[m]]
            m = self.parent[m]
        return m

    def union(self, a: Member, b: Member) -> bool:
        """Join two clusters unless that would put two different KB actors together."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or (self.kb[ra] and self.kb[rb] and self.kb[ra] != self.kb[rb]):
            return False
        keep, drop = min(ra, rb), max(ra, rb)
        self.parent[drop] = keep
        self.kb[keep] |= self.kb.pop(drop)
        return True


def _candidate_pairs(people: list[Member], entities: dict[Member, Entity]) -> list[tuple[Member, Member]]:
    """Pairs of person entities that share one of the resolver's blocking keys (surname skeletons)."""
    blocks: dict[str, list[Member]] = defaultdict(list)
    for m in people:
        for key in blocking_keys(entities[m]):
            blocks[key].append(m)
    keys = {m: match_key(entities[m].name_ar) for m in people}
    pairs: set[tuple[Member, Member]] = set()
    for members in blocks.values():
        ordered = sorted(members, key=lambda m: (keys[m], m))
        reach = len(ordered) if len(ordered) <= BLOCK_LIMIT else WINDOW
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 : i + 1 + reach]:
                if a[0] != b[0] or entities[a].kb_id != entities[b].kb_id:
                    pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def _evidence(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    built = msgspec.to_builtins(value) if value is not None else {}
    return built if isinstance(built, dict) else {"detail": built}


def _cluster_id(members: list[Member], entities: dict[Member, Entity], taken: set[str]) -> str:
    kb_ids = sorted({entities[m].kb_id for m in members if entities[m].kb_id})
    if kb_ids:
        return stable_id("act", kb_ids[0])
    smallest = min(members, key=lambda m: (match_key(entities[m].name_ar), m))
    entity = entities[smallest]
    candidate = stable_id("act", entity.kind, match_key(entity.name_ar))
    if candidate in taken:
        candidate = stable_id("act", entity.kind, match_key(entity.name_ar), *smallest)
    return candidate


def _display_entity(members: list[Member], entities: dict[Member, Entity]) -> Entity:
    """The member whose name represents the cluster: a KB entity, else the most frequent name."""
    kb = [m for m in members if entities[m].kb_id]
    if kb:
        return entities[min(kb)]
    counts: dict[str, int] = defaultdict(int)
    for m in members:
        counts[entities[m].name_ar] += len(entities[m].mentions) or 1
    best = min(counts, key=lambda name: (-counts[name], -len(name), name))
    return entities[min(m for m in members if entities[m].name_ar == best)]


def cluster_actors(docs: list[Document]) -> ActorIndex:
    """Group the entities of all documents into global actors with stable, order-free ids."""
    entities = {(d.sha256, key): e for d in docs for key, e in d.entities.items()}
    members = sorted(entities)
    uf = _UnionFind(members, {m: entities[m].kb_id for m in members})
    decisions: list[tuple[Member, Member, str, dict[str, Any]]] = []
    by_kb: dict[str, list[Member]] = defaultdict(list)
    by_name: dict[tuple[str, str], list[Member]] = defaultdict(list)
    for m in members:
        e = entities[m]
        if e.kb_id:
            by_kb[e.kb_id].append(m)
        elif e.kind != "person":
            by_name[(e.kind, match_key(e.name_ar))].append(m)
    for kb_id, group in by_kb.items():
        for m in group[1:]:
            if uf.union(group[0], m):
                decisions.append((group[0], m, "kb_id", {"kb_id": kb_id}))
    for (kind, key), group in by_name.items():
        for m in group[1:]:
            if uf.union(group[0], m):
                decisions.append((group[0], m, "same_name", {"kind": kind, "match_key": key}))
    reps = _person_representatives(members, entities, uf, decisions)
    scored = []
    for a, b in _candidate_pairs(sorted(reps), reps):
        result = same_actor(reps[a], reps[b])
        if result.matched:
            scored.append((-float(result.score), a, b, result))
    for _, a, b, result in sorted(scored, key=lambda s: s[:3]):
        if uf.union(a, b):
            evidence = {"score": round(float(result.score), 4), **_evidence(result.evidence)}
            decisions.append((a, b, str(result.rule), evidence))
    return _index(members, entities, uf, decisions)


def _person_representatives(
    members: list[Member],
    entities: dict[Member, Entity],
    uf: _UnionFind,
    decisions: list[tuple[Member, Member, str, dict[str, Any]]],
) -> dict[Member, Entity]:
    """One entity per group of people already known to be one actor, for pairwise matching.

    People with the same KB id, or unlisted with the same multi-word name and country, are one
    actor without comparison (the resolver would say "equal alias"); comparing one
    representative per group, with the group's aliases and roles pooled, keeps the pairwise
    work proportional to distinct people rather than to mentions across articles.
    """
    groups: dict[tuple[str, ...], list[Member]] = defaultdict(list)
    for m in members:
        e = entities[m]
        if e.kind != "person":
            continue
        key = match_key(e.name_ar)
        if e.kb_id:
            groups[("kb", e.kb_id)].append(m)
        elif " " in key:
            groups[("name", key, e.country or "")].append(m)
        else:
            groups[("single", *m)].append(m)
    reps: dict[Member, Entity] = {}
    for group_key, group in groups.items():
        head = group[0]
        if group_key[0] == "name":
            for m in group[1:]:
                if uf.union(head, m):
                    decisions.append(
                        (head, m, "equal_name", {"match_key": group_key[1], "country": group_key[2]})
                    )
        pooled = entities[head]
        if len(group) > 1:
            aliases = sorted({a for m in group for a in [entities[m].name_ar, *entities[m].aliases]})
            roles = [r for m in group for r in entities[m].roles]
            pooled = msgspec.structs.replace(pooled, aliases=aliases, roles=roles)
        reps[head] = pooled
    return reps


def _index(
    members: list[Member],
    entities: dict[Member, Entity],
    uf: _UnionFind,
    decisions: list[tuple[Member, Member, str, dict[str, Any]]],
) -> ActorIndex:
    groups: dict[Member, list[Member]] = defaultdict(list)
    for m in members:
        groups[uf.find(m)].append(m)
    ordered = sorted(groups.values(), key=lambda g: min((match_key(entities[m].name_ar), m) for m in g))
    actor_of: dict[Member, str] = {}
    clusters: dict[str, list[Member]] = {}
    refs: dict[str, ActorRef] = {}
    kb_actor: dict[str, str] = {}
    country: dict[str, str | None] = {}
    coords: dict[str, tuple[float, float]] = {}
    for group in ordered:
        actor_id = _cluster_id(group, entities, set(clusters))
        clusters[actor_id] = group
        shown = _display_entity(group, entities)
        refs[actor_id] = ActorRef(id=actor_id, kind=shown.kind, name_ar=shown.name_ar, name_en=shown.name_en)
        country[actor_id] = _country_key(actor_id, group, entities)
        placed = [entities[m] for m in group if entities[m].lat is not None and entities[m].lon is not None]
        if placed:
            coords[actor_id] = (placed[0].lat, placed[0].lon)  # type: ignore[assignment]
        for m in group:
            actor_of[m] = actor_id
            if entities[m].kb_id:
                kb_actor[entities[m].kb_id] = actor_id  # type: ignore[index]
    merges = [
        MergeDecision(
            id=stable_id("mrg", "actor", *a, *b),
            kind="actor",
            target_id=actor_of[a],
            member=f"{b[0]}:{b[1]}",
            rule=rule,
            evidence={"joined": f"{a[0]}:{a[1]}", **evidence},
        )
        for a, b, rule, evidence in decisions
    ]
    merges.sort(key=lambda d: d.id)
    return ActorIndex(
        actor_of=actor_of,
        clusters=clusters,
        refs=refs,
        kb_actor=kb_actor,
        country=country,
        coords=coords,
        decisions=merges,
    )


def _country_key(actor_id: str, group: list[Member], entities: dict[Member, Entity]) -> str | None:
    kinds = {entities[m].kind for m in group}
    if "country" in kinds:
        kb = sorted(entities[m].kb_id or "" for m in group)[-1]
        return kb or actor_id
    counts: dict[str, int] = defaultdict(int)
    for m in group:
        if entities[m].country:
            counts[entities[m].country] += 1  # type: ignore[index]
    return min(counts, key=lambda c: (-counts[c], c)) if counts else None
