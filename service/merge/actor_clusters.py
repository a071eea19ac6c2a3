"""Global actors from identity groups (``actor_groups``).

Person groups are compared with ``resolve.same_actor`` only when they share one of the resolver's
blocking keys (``resolve.blocking_keys`` of the group's representative) and pass ``may_match``; a
match is an ``ActorLink``. Actors are the clusters of groups joined along links, best link first,
never joining two different knowledge-base actors. Links only join groups that share a key, so a
cluster never depends on groups it has no link path to: re-clustering the groups connected to what
changed gives the same actors as clustering everything (the property ``tests/ingest`` checks).

Ids are derived from the cluster, never from input order: a KB actor's from its KB id; an unlisted
one's from its smallest (folded name, member), with the member appended when another cluster of
the same kind and name already has that id (the smaller one keeps it).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import msgspec

from service.extract.actors.resolve import name_tokens, same_actor, skeleton
from service.extract.document import Entity
from service.merge.actor_groups import (
    GROUP_RULES,
    Member,
    Profile,
    Signature,
    context_of,
    may_match,
    representative,
)
from service.merge.actor_variants import is_context, middle_names, middles_compatible, variant_match
from service.merge.common import stable_id
from service.merge.dataset import MergeDecision
from service.models.resources import ActorRef


class ActorIndex(msgspec.Struct):
    """Which global actor each per-document entity belongs to, and what the merge reads about actors."""

    actor_of: dict[Member, str]
    clusters: dict[str, list[Member]]
    refs: dict[str, ActorRef]
    kb_actor: dict[str, str]
    country: dict[str, str | None]
    coords: dict[str, tuple[float, float]]
    decisions: list[MergeDecision]
    kb_of: dict[str, str] = {}
    """The KB id of each KB actor."""
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


class ActorLink(msgspec.Struct, frozen=True, array_like=True):
    """Two person groups ``same_actor`` matched (``a`` < ``b``), with its score, rule and evidence."""

    a: str
    b: str
    score: float
    rule: str
    evidence: dict[str, Any]


def _evidence(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    built = msgspec.to_builtins(value) if value is not None else {}
    return built if isinstance(built, dict) else {"detail": built}


class Representatives:
    """Each person group's representative (``actor_groups.representative``) and context tokens,
    built once per group for one ``link_groups`` call instead of once per comparison: a group is
    compared with every candidate sharing a key with it, a hub group's names run to hundreds."""

    def __init__(self) -> None:
        self._entities: dict[str, Entity] = {}
        self._contexts: dict[str, set[str]] = {}

    def entity(self, group: str, profile: Profile) -> Entity:
        found = self._entities.get(group)
        if found is None:
            found = self._entities[group] = representative(profile)
        return found

    def context(self, group: str, profile: Profile) -> set[str]:
        found = self._contexts.get(group)
        if found is None:
            found = self._contexts[group] = set(context_of(profile))
        return found


def compare(
    a: str, pa: Profile, b: str, pb: Profile, reps: Representatives | None = None
) -> ActorLink | None:
    """The link between two person groups, or None when neither ``same_actor`` nor, failing it on
    the names alone, ``actor_variants.variant_match`` matches them. ``reps``: the groups'
    representatives, shared across the comparisons of one ``link_groups`` (each group is one
    profile there).

    The group whose head member is smaller is compared first, whichever group is new."""
    if pb.head.member < pa.head.member:
        a, pa, b, pb = b, pb, a, pa
    lo, hi = (a, b) if a < b else (b, a)
    found = match_profiles(pa, pb, reps or Representatives(), a, b)
    if found is None:
        return None
    rule, score, evidence = found
    return ActorLink(lo, hi, score, rule, {"score": score, **evidence})


def match_profiles(
    pa: Profile, pb: Profile, reps: Representatives | None = None, a: str = "a", b: str = "b"
) -> tuple[str, float, dict[str, Any]] | None:
    """(rule, score, evidence) of the match of two person groups (``a``, ``b``: their keys in
    ``reps``), or None."""
    reps = reps or Representatives()
    ra, rb = reps.entity(a, pa), reps.entity(b, pb)
    result = same_actor(ra, rb)
    if result.matched:
        return str(result.rule), round(float(result.score), 4), _evidence(result.evidence)
    if result.rule not in VARIANT_FALLBACK:
        return None
    variant = variant_match(ra, rb, reps.context(a, pa), reps.context(b, pb))
    if variant is None:
        return None
    return variant.rule, round(variant.score, 4), dict(variant.evidence)


VARIANT_FALLBACK = frozenset({"uncorroborated", "names_differ"})
"""The ``same_actor`` refusals the variant rules may overturn (never a KB or country conflict)."""


def link_groups(
    changed: dict[str, tuple[Profile, Signature]],
    candidates: dict[str, list[tuple[str, Profile, Signature]]],
) -> list[ActorLink]:
    """Links of the changed person groups: with each other, and with each one's candidates.

    ``candidates[g]`` are other groups sharing a blocking key with ``g`` (not themselves changed).
    """
    links: list[ActorLink] = []
    reps = Representatives()
    blocks: dict[str, list[str]] = defaultdict(list)
    for g in sorted(changed):
        for key in changed[g][1].keys:
            blocks[key].append(g)
    seen: set[tuple[str, str]] = set()
    for members in blocks.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair in seen:
                    continue
                seen.add(pair)
                if may_match(changed[a][1], changed[b][1]) and (
                    link := compare(a, changed[a][0], b, changed[b][0], reps)
                ):
                    links.append(link)
    for g in sorted(changed):
        profile, sig = changed[g]
        for h, other, other_sig in candidates.get(g, []):
            if (
                h not in changed
                and may_match(sig, other_sig)
                and (link := compare(g, profile, h, other, reps))
            ):
                links.append(link)
    return sorted(links, key=lambda link: (link.a, link.b))


class GroupClusters(msgspec.Struct):
    """Groups joined into actors, and the links that joined them (as member pairs, for decisions)."""

    clusters: list[list[str]]
    joins: list[tuple[Member, Member, str, dict[str, Any]]]


def cluster_groups(profiles: dict[str, Profile], links: list[ActorLink]) -> GroupClusters:
    """Join groups along links, best first; never two different KB actors in one cluster."""
    parent = {g: g for g in profiles}
    kb: dict[str, set[str]] = {
        g: {p.head.kb_id} if g.startswith("kb:") and p.head.kb_id else set() for g, p in profiles.items()
    }

    def find(g: str) -> str:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    middles: dict[str, dict[tuple[str, str], set[tuple[str, ...]]]] = {
        g: _middles(p) for g, p in profiles.items()
    }

    givens: dict[str, set[str]] = {g: _full_name_givens(p) for g, p in profiles.items()}
    ambiguous = _ambiguous_surnames(profiles, links)
    ordered = []
    for link in links:
        if link.rule == "surname_only" and (link.a in ambiguous or link.b in ambiguous):
            continue
        ha, hb = profiles[link.a].head.member, profiles[link.b].head.member
        (ma, ga), (mb, gb) = sorted([(ha, link.a), (hb, link.b)])
        ordered.append((-link.score, ma, mb, ga, gb, link))
    joins: list[tuple[Member, Member, str, dict[str, Any]]] = []
    for _, ma, mb, ga, gb, link in sorted(ordered, key=lambda s: s[:3]):
        ra, rb = find(ga), find(gb)
        if ra == rb or (kb[ra] and kb[rb] and kb[ra] != kb[rb]):
            continue
        if link.rule in VARIANT_RULES and _middles_clash(middles[ra], middles[rb]):
            continue
        if link.rule in SURNAME_RULES and givens[ra] and givens[rb] and givens[ra].isdisjoint(givens[rb]):
            continue
        keep, drop = min(ra, rb), max(ra, rb)
        parent[drop] = keep
        kb[keep] |= kb.pop(drop)
        for key, names in middles.pop(drop).items():
            middles[keep].setdefault(key, set()).update(names)
        givens[keep] |= givens.pop(drop)
        joins.append((ma, mb, link.rule, dict(link.evidence)))
    found: dict[str, list[str]] = defaultdict(list)
    for g in sorted(profiles):
        found[find(g)].append(g)
    return GroupClusters(clusters=sorted(found.values()), joins=joins)


def _ambiguous_surnames(profiles: dict[str, Profile], links: list[ActorLink]) -> set[str]:
    """Groups named by a family name alone that a ``surname_only`` link would join to full names
    with two different given names ("دوابشة" beside "علي دوابشة" and "سعد دوابشة"): no such join."""
    partners: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if link.rule != "surname_only":
            continue
        for bare, full in ((link.a, link.b), (link.b, link.a)):
            names = [name_tokens(n) for n in profiles[full].names if not is_context(n)]
            givens = {skeleton(w[0]) for w in names if len(w) >= 2}
            if all(len(name_tokens(n)) == 1 for n in profiles[bare].names if not is_context(n)):
                partners[bare] |= givens
    return {g for g, givens in partners.items() if len(givens) > 1}


def _full_name_givens(p: Profile) -> set[str]:
    """The given-name skeletons of a person group's names of two or more words."""
    if p.head.kind != "person":
        return set()
    return {
        skeleton(words[0])
        for name in p.names
        if not is_context(name) and len(words := name_tokens(name)) >= 2
    }


def _middles(p: Profile) -> dict[tuple[str, str], set[tuple[str, ...]]]:
    """The middle names of a group's names of three or more words, by (first, last) skeleton."""
    out: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    if p.head.kind != "person":
        return out
    for name in p.names:
        if is_context(name):
            continue
        found = middle_names(name_tokens(name))
        if found is not None:
            out.setdefault(found[0], set()).add(found[1])
    return out


def _middles_clash(
    a: dict[tuple[str, str], set[tuple[str, ...]]], b: dict[tuple[str, str], set[tuple[str, ...]]]
) -> bool:
    """Whether two clusters name a person with the same first and last name but another middle name
    (one that is not the other with names left out: ``actor_variants.middles_compatible``)."""
    return any(key in b and not all(middles_compatible(x, y) for x in a[key] for y in b[key]) for key in a)


VARIANT_RULES = frozenset(
    {"kunya", "short_name", "skeleton_context", "surname_only", "same_surname", "short_name_unlisted_family"}
)
"""The rules of ``actor_variants``: a join by one of them must not join two different full names."""

SURNAME_RULES = frozenset({"surname_only", "same_surname"})
"""Rules that join a family name alone: such a join never puts full names with two different
given names into one actor (a family name alone in two articles may be a father and his son)."""


def bucket_of(total: Profile) -> str | None:
    """The id bucket of an unlisted actor (kind and folded name of its smallest member); None for KB ones."""
    if total.kb_head is not None:
        return None
    return f"{total.head.kind}:{total.order[0]}" if total.head else None


def plain_id(total: Profile) -> str:
    """The id an actor takes when no smaller actor of its bucket has it."""
    if total.kb_head is not None:
        return stable_id("act", total.kb_head.kb_id or "")
    return stable_id("act", _order_kind(total), total.order[0])


def suffixed_id(total: Profile) -> str:
    """The id of an unlisted actor whose bucket's plain id a smaller actor took."""
    return stable_id("act", _order_kind(total), total.order[0], total.order[1], total.order[2])


def _order_kind(total: Profile) -> str:
    """The kind of the member that names the actor (all members of an actor share one kind)."""
    return total.head.kind


def assign_ids(
    totals: dict[int, Profile], peers: dict[str, list[tuple[tuple[str, str, str], str]]]
) -> dict[int, str]:
    """Actor ids of new clusters (by index), given the other actors already in their buckets.

    ``peers[bucket]`` lists (order, id) of the actors that keep their clusters; an actor's id is
    the bucket's plain id when its order is the smallest in the bucket, else the suffixed one.
    """
    out: dict[int, str] = {}
    smallest: dict[str, tuple[str, str, str]] = {}
    for i, total in totals.items():
        bucket = bucket_of(total)
        if bucket is None:
            out[i] = plain_id(total)
        elif bucket not in smallest or total.order < smallest[bucket]:
            smallest[bucket] = total.order
    for bucket, found in peers.items():
        for order, _ in found:
            if bucket in smallest and order < smallest[bucket]:
                smallest[bucket] = order
    for i, total in totals.items():
        bucket = bucket_of(total)
        if bucket is not None:
            out[i] = plain_id(total) if total.order == smallest[bucket] else suffixed_id(total)
    return out


def group_decisions(group: str, head: Member, members: list[Member], actor_id: str) -> list[MergeDecision]:
    """Why each member but the head joined its group (none for one-member groups)."""
    prefix = group.split(":", 1)[0]
    rule = GROUP_RULES.get(prefix)
    if rule is None:
        return []
    if prefix == "kb":
        evidence: dict[str, Any] = {"kb_id": group[3:]}
    elif prefix == "n":
        kind, _, key = group[2:].partition(":")
        key, _, country = key.partition("|")
        evidence = {"kind": kind, "match_key": key, **({"country": country} if country else {})}
    else:
        key, _, country = group[2:].rpartition("|")
        evidence = {"match_key": key, "country": country}
    return [decision(head, m, rule, evidence, actor_id) for m in members if m != head]


def decision(a: Member, b: Member, rule: str, evidence: dict[str, Any], actor_id: str) -> MergeDecision:
    """The recorded decision that member ``b`` joined ``a``'s actor."""
    return MergeDecision(
        id=stable_id("mrg", "actor", *a, *b),
        kind="actor",
        target_id=actor_id,
        member=f"{b[0]}:{b[1]}",
        rule=rule,
        evidence={"joined": f"{a[0]}:{a[1]}", **evidence},
    )


class ActorInfo(msgspec.Struct):
    """What the rest of the merge reads about one actor: its reference, country, place and profile."""

    id: str
    kind: str
    name_ar: str
    name_en: str | None
    kb_id: str | None
    country_key: str | None
    coords: tuple[float, float] | None
    groups: list[str]
    bucket: str | None
    """The id bucket (``bucket_of``) of an unlisted actor."""
    order: tuple[str, str, str]
    profile: Profile | None = None
    """The sum of its groups' profiles (stored apart: most readers need only the fields above)."""

    @property
    def ref(self) -> ActorRef:
        return ActorRef(id=self.id, kind=self.kind, name_ar=self.name_ar, name_en=self.name_en)  # type: ignore[arg-type]


def actor_info(actor_id: str, groups: list[str], total: Profile) -> ActorInfo:
    """An actor's reference (a KB member's names, else the most frequent name), country and place."""
    if total.kb_head is not None:
        shown = total.kb_head
        kind, name_ar, name_en = shown.kind, shown.name_ar, shown.name_en
    else:
        best = min(total.display, key=lambda name: (-total.display[name].weight, -len(name), name))
        tally = total.display[best]
        kind, name_ar, name_en = tally.kind, best, tally.name_en
    kb_id = total.kb_head.kb_id if total.kb_head else None
    if kind == "country":
        country_key: str | None = kb_id or actor_id
    elif total.countries:
        country_key = min(total.countries, key=lambda c: (-total.countries[c], c))
    else:
        country_key = None
    coords = (total.placed[2], total.placed[3]) if total.placed else None
    return ActorInfo(
        id=actor_id,
        kind=kind,
        name_ar=name_ar,
        name_en=name_en,
        kb_id=kb_id,
        country_key=country_key,
        coords=coords,
        groups=sorted(groups),
        bucket=bucket_of(total),
        order=total.order,
        profile=total,
    )
