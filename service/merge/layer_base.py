"""The shared base of the merge layers: the state one merge loads and how it loads it.

Every look-up goes through the ``Store`` (``service/merge/state.py``), batched and remembered for the
rest of the merge, so each layer asks only for what it does not hold yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import msgspec

from service.extract.document import Document, Publication
from service.merge.actor_clusters import ActorIndex, ActorInfo, ActorLink
from service.merge.actor_groups import (
    Contribution,
    Member,
    Profile,
    Signature,
    group_key,
    members_of,
)
from service.merge.delta import Delta
from service.merge.event_units import EventUnit, UnitKey
from service.merge.publications import (
    prepare,
    resolve_relative_dates,
)
from service.merge.rules import MergeRules
from service.merge.state import GroupState, Store, StoredActor, UndatedState, UnitState
from service.models.resources import Event

if TYPE_CHECKING:
    from service.merge.pair_scores import PairScores


def _match_state(p: Profile) -> tuple[Any, ...]:
    """What ``same_actor`` reads of a group: the head's identity, all names, all role texts."""
    h = p.head
    return (h.sha, h.kind, h.kb_id, h.country, h.name_ar, tuple(sorted(p.names)), tuple(sorted(p.roles)))


def _copy(doc: Document) -> Document:
    """A copy whose publication and dates the merge may change without touching the input."""
    return msgspec.structs.replace(
        doc,
        publication=msgspec.structs.replace(doc.publication),
        dates=[msgspec.structs.replace(d) for d in doc.dates],
    )


def _min_new_target(old_ids: Iterable[str], gone: set[str]) -> str | None:
    targets = sorted(set(old_ids) - gone)
    return targets[0] if targets else None


def _unit_actors(units: Iterable[EventUnit]) -> set[str]:
    out: set[str] = set()
    for u in units:
        out |= {a for a, _ in u.actors}
        out |= set(u.context)
        if u.location:
            out.add(u.location)
    return out


class MergeBase:
    """The state one merge loads and recomputes, and how it loads it from the ``Store``; the layers
    (``layer_actors``, ``layer_documents``, ``layer_events``, ``layer_claims``) build on it and
    ``engine.Merge`` joins them."""

    store: Store
    exact_limit: int
    refresh: list[str] | None
    scores: PairScores | None
    rules: MergeRules
    version: str
    added: dict[str, Document]
    removed: dict[str, Document]
    delta: Delta
    groups: dict[str, GroupState]
    profiles: dict[str, Profile | None]
    actor_of_group: dict[str, str]
    old_actors: dict[str, StoredActor]
    infos: dict[str, ActorInfo]
    country_ids: dict[str, str | None]
    gone_actor_ids: set[str]
    raw: dict[str, Document]
    docs: dict[str, Document]
    undated_states: dict[str, UndatedState]
    _members: dict[int, dict[str, list[Contribution]]]
    _maps: tuple[Any, ...] | None
    _groups_of: dict[int, dict[Member, str]]
    _infos_version: int
    # set by the layers, in order
    touched: list[str]
    added_members: dict[str, list[Contribution]]
    stored_members: dict[str, list[Contribution]]
    signatures: dict[str, Signature]
    new_links: list[ActorLink]
    rematched: set[str]
    redescribed: set[str]
    dirty_docs: set[str]
    dirty: set[str]
    old_units: dict[UnitKey, UnitState]
    new_unit_links: set[tuple[UnitKey, UnitKey]]
    index: ActorIndex
    events: list[Event]
    event_of: dict[UnitKey, str]
    event_units: dict[str, list[EventUnit]]
    resummarised: set[str]
    old_event_ids: set[str]
    claim_docs: set[str]

    def members(self, doc: Document) -> dict[str, list[Contribution]]:
        """The contributions of a document's entities by group, computed once per extraction
        (copies of a document share its entities; an old and a new extraction do not)."""
        found = self._members.get(id(doc.entities))
        if found is None:
            found = self._members[id(doc.entities)] = members_of(doc)
        return found

    # --- loading ---------------------------------------------------------------------------------

    async def _load_groups(self, keys: Iterable[str]) -> None:
        missing = sorted(set(keys) - set(self.groups) - set(self.profiles))
        if missing:
            for g, state in (await self.store.groups(missing)).items():
                self.groups[g] = state
                self.actor_of_group.setdefault(g, state.actor_id)

    def _profile(self, g: str) -> Profile | None:
        if g in self.profiles:
            return self.profiles[g]
        return self.groups[g].profile if g in self.groups else None

    async def _load_actors(self, ids: Iterable[str]) -> None:
        missing = sorted(set(ids) - set(self.old_actors) - set(self.infos))
        if missing:
            for aid, stored in (await self.store.actors(missing)).items():
                self.old_actors[aid] = stored
                self.infos.setdefault(aid, stored.info)
                self.country_ids.setdefault(aid, stored.country_id)

    async def _load_profiles(self, ids: Iterable[str]) -> None:
        """Make sure these actors' infos carry their profiles (stored apart from the infos)."""
        missing = sorted(a for a in set(ids) if a in self.infos and self.infos[a].profile is None)
        if missing:
            for aid, profile in (await self.store.actor_profiles(missing)).items():
                self.infos[aid] = msgspec.structs.replace(self.infos[aid], profile=profile)

    async def _documents(self, shas: Iterable[str]) -> None:
        """Load (and prepare) documents: added ones as given, others as stored, with their
        inferred publication dates as stored."""
        missing = sorted(set(shas) - set(self.docs))
        wanted = [s for s in missing if s not in self.added]
        self.delta.counts["docs_loaded"] = self.delta.counts.get("docs_loaded", 0) + len(wanted)
        stored = await self.store.documents(wanted)
        for sha in missing:
            raw = self.added.get(sha) or stored.get(sha)
            if raw is None:
                raise LookupError(f"document {sha} is not stored")
            self.raw[sha] = raw
            doc = _copy(raw)
            prepare(doc)
            self.docs[sha] = doc
        undated = [s for s in missing if self.docs[s].publication.date is None and s not in self.added]
        for sha, state in (await self.store.undated(undated)).items():
            self.undated_states[sha] = state
            self._apply_inference(sha, state.published, state.reason)

    def _apply_inference(self, sha: str, published: Any, reason: str | None) -> None:
        doc = _copy(self.raw[sha])
        prepare(doc)
        if published is not None:
            doc.publication = Publication(date=published, precision="day", basis="inferred", reason=reason)
            resolve_relative_dates(doc)
        self.docs[sha] = doc

    def _entity_groups(self, doc: Document) -> dict[Member, str]:
        found = self._groups_of.get(id(doc.entities))
        if found is None:
            found = self._groups_of[id(doc.entities)] = {
                (doc.sha256, k): group_key(doc.sha256, k, e) for k, e in doc.entities.items()
            }
        return found

    async def _index(self, shas: Iterable[str]) -> ActorIndex:
        """An actor index over the members of these (loaded) documents."""
        members: dict[Member, str] = {}
        for s in sorted(set(shas)):
            members.update(self._entity_groups(self.docs[s]))
        missing = sorted(set(members.values()) - set(self.actor_of_group))
        if missing:
            self.actor_of_group.update(await self.store.actor_ids(missing))
        actor_of = {m: self.actor_of_group[g] for m, g in members.items()}
        await self._load_actors(set(actor_of.values()))
        return self._actor_index(actor_of)

    async def _index_for_actors(self, ids: Iterable[str], base: ActorIndex) -> ActorIndex:
        await self._load_actors(ids)
        return self._actor_index(base.actor_of)

    def _actor_index(self, actor_of: dict[Member, str]) -> ActorIndex:
        maps = self._maps
        if maps is None or maps[0] != (len(self.infos), self._infos_version, len(self.gone_actor_ids)):
            refs, country, coords, kb_actor, kb_of = {}, {}, {}, {}, {}
            for aid, info in self.infos.items():
                if aid in self.gone_actor_ids:
                    continue
                refs[aid] = info.ref
                country[aid] = info.country_key
                if info.coords:
                    coords[aid] = info.coords
                if info.kb_id:
                    kb_actor[info.kb_id] = aid
                    kb_of[aid] = info.kb_id
            maps = self._maps = (
                (len(self.infos), self._infos_version, len(self.gone_actor_ids)),
                refs,
                country,
                coords,
                kb_actor,
                kb_of,
            )
        _, refs, country, coords, kb_actor, kb_of = maps
        return ActorIndex(
            actor_of=actor_of,
            clusters={},
            refs=refs,
            kb_actor=kb_actor,
            country=country,
            coords=coords,
            decisions=[],
            kb_of=kb_of,
        )
