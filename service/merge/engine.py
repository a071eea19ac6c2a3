"""The incremental cross-article merge: merge articles into the stored state, recomputing only what
they can affect.

One algorithm serves both a full build (every article merged into ``EmptyStore``) and an ingest
(new articles merged into the state kept in Postgres). It runs in layers; each finds what changed,
asks the store for exactly the stored state that change can reach, recomputes that, and passes on
what changed in turn:

1. **Actors.** New members change their identity groups' profiles (``actor_groups``). A person
   group whose comparison inputs changed is compared again with the groups sharing a blocking key
   with it (``link_groups``). Groups that are new, gone or whose links changed are re-clustered
   with everything linked to them and with their old actors' groups (``cluster_groups``); ids are
   settled against the other actors of the same kind and name (``assign_ids``).
2. **Documents.** An article is dirty when it is new or re-extracted, when one of its entities
   changed actor, or when an actor it mentions changed kind, country, KB id, name or place.
3. **Publication dates.** Undated articles in the dirty set, or whose probes meet a report that
   changed, are dated again together with the undated articles connected to them
   (``infer_publications``); articles whose inferred date changed become dirty.
4. **Events.** Every report of a dirty article is compared again with the reports sharing a
   blocking key with it (``merge/keys.py``). Its neighbourhood (the new reports, their old events,
   the stored events they link to) is re-clustered (``cluster_events``) with the whole component of
   report links around it when that has at most ``EXACT_LIMIT`` reports; beyond, with the linked
   stored events held as they are (fixed clusters the new reports may join), so the work is bounded
   by the events touched. Changed events are rebuilt. Events whose summaries describe an actor whose
   description changed are rebuilt as they are: here for an actor in at most ``INLINE_EVENTS``
   events, by a refresh job later for a hub (``StateDelta.stale_actors``).
5. **Claims and conflicts.** Claims of dirty articles and of rebuilt events are rebuilt; claims
   about a subject (weapon) one of them names are compared again (``claim_conflicts``). A claim's
   ``contradicts`` is the union of the pairs each origin (its event, each subject) found; recomputed
   origins replace stored ones. Rank conflicts are recomputed for actors whose roles changed.

Each layer's result is a function of the state it loaded, and that state is what a full build
computes for the same articles, so merging articles one by one, in any order and batches, gives the
dataset a full build gives (``tests/ingest/test_incremental.py``), once the summary refreshes have
run and while components stay within ``EXACT_LIMIT``. docs/extraction.md ("Incremental merge") says
where the two may differ beyond it, and the bound the tests hold that to.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Coroutine, Iterable
from typing import Any, cast

import msgspec

from service.extract.document import ActorKind, Document, Publication
from service.merge import actor_clusters as AC
from service.merge.actor_clusters import ActorIndex, ActorInfo, ActorLink
from service.merge.actor_groups import (
    Contribution,
    Member,
    Profile,
    Signature,
    confidence,
    group_key,
    members_of,
    profile_from,
    profile_of,
    signature,
    sum_profiles,
)
from service.merge.claims import build_claims
from service.merge.common import attribution, source_id, stable_id
from service.merge.conflicts import claim_conflicts, event_conflicts, rank_conflicts
from service.merge.dataset import ActorRecord, MentionRow, MergeDecision, RoleRow, SourceRecord
from service.merge.event_clusters import EventClusters, candidate_pairs, cluster_events, looks_up, match_score
from service.merge.event_resources import build_events
from service.merge.event_units import EventUnit, UnitKey, unit_of
from service.merge.number_conflicts import count_conflicts
from service.merge.publications import (
    infer_publications,
    pinned,
    prepare,
    probe_keys,
    probes,
    resolve_relative_dates,
)
from service.merge.rules import MergeRules, merge_rules
from service.merge.sources import source_record
from service.merge.state import GroupState, Store, StoredActor, UndatedState, UnitState
from service.merge.summaries import describe, summarize, summary_data
from service.models.resources import Actor, ActorRef, Attribution, Claim, Conflict, Event, Name, Role

_NO_ATTRIBUTION = Attribution(source_id="", outlet=None, published_on=None, span=(0, 0), quote="")
GROUP_RULES = ["kb_id", "same_name", "equal_name"]
EXACT_LIMIT = 300
"""The largest component of linked reports a merge re-clusters whole, exactly; beyond it the merge
re-clusters its neighbourhood (its new reports, their old events, the events they link to) with
the linked stored events held as they are (docs/extraction.md, "Incremental merge": where the
result may then differ from a full build)."""
INLINE_EVENTS = 40
"""An actor whose description changed is re-summarised in the merge when it is in at most this many
events; one in more (a hub: the king, a country) is left to a refresh job (``StateDelta.stale_actors``)."""


class StateDelta(msgspec.Struct):
    """How the merge state changes (``service/db/merge_state.py`` writes it)."""

    groups: list[GroupState] = []
    gone_groups: list[str] = []
    member_docs: list[str] = []
    """Documents whose members are replaced by ``members``."""
    members: list[tuple[str, Contribution]] = []
    link_groups: list[str] = []
    """Person groups whose links are replaced by those of ``links`` touching them."""
    links: list[ActorLink] = []
    actors: list[StoredActor] = []
    gone_actors: list[str] = []
    unit_docs: list[str] = []
    """Documents whose reports are replaced by ``units`` (of those documents)."""
    units: list[UnitState] = []
    unit_events: list[tuple[UnitKey, str]] = []
    """New event ids of stored reports of other documents."""
    linked_units: list[UnitKey] = []
    """Reports whose links are replaced by those of ``unit_links`` touching them."""
    unit_links: list[tuple[UnitKey, UnitKey]] = []
    undated: list[UndatedState] = []
    stale_actors: list[str] = []
    """Actors whose description changed and whose many events are re-summarised later
    (``service/ingest/merging.refresh_stale``)."""
    pair_origins: list[str] = []
    """Origins whose contradiction pairs are replaced by ``pairs``."""
    pairs: list[tuple[str, str, str]] = []


class Delta(msgspec.Struct):
    """What one merge changes in the dataset: rows to write, and ids that are gone (and where to)."""

    sources: list[SourceRecord] = []
    actors: list[ActorRecord] = []
    gone_actors: dict[str, str | None] = {}
    events: list[Event] = []
    gone_events: dict[str, str | None] = {}
    claims: list[Claim] = []
    gone_claims: list[str] = []
    conflicts: list[Conflict] = []
    gone_conflicts: list[str] = []
    docs: list[str] = []
    """Source ids whose mentions and roles are replaced by ``mentions`` and ``roles``."""
    mentions: list[MentionRow] = []
    roles: list[RoleRow] = []
    decisions: list[MergeDecision] = []
    gone_decisions: list[str] = []
    state: StateDelta = msgspec.field(default_factory=StateDelta)
    documents: dict[str, Document] = {}
    """The merged documents (publication dates as merged), by sha256."""
    infos: dict[str, ActorInfo] = {}
    """The actors this merge recomputed, with their country ids in ``country_ids``."""
    country_ids: dict[str, str | None] = {}
    timings: dict[str, float] = {}
    """Seconds spent in each layer (for benchmarks)."""
    counts: dict[str, int] = {}
    """How much each layer recomputed (reports re-clustered, events rebuilt; for benchmarks)."""


def run_sync(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that never suspends (the merge over ``EmptyStore``) without an event loop."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise RuntimeError("the merge suspended: a store that waits needs an event loop")


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


def summary_actor(info: ActorInfo, country: ActorRef | None) -> Actor:
    """The actor as summaries read it: kind, role texts (each as often as given), country."""
    assert info.profile is not None
    roles = [
        Role(text=text, rank=None, attribution=_NO_ATTRIBUTION)
        for text, n in sorted(info.profile.roles.items())
        for _ in range(n)
    ]
    name = Name(ar=info.name_ar, en=info.name_en)
    return Actor(id=info.id, kind=info.kind, name=name, roles=roles, country=country)  # type: ignore[arg-type]


def descriptor(info: ActorInfo, country: ActorRef | None) -> tuple[str, str]:
    """How summaries describe the actor, in English and Arabic (a change re-summarises its events)."""
    data = summary_data()
    actor = summary_actor(info, country)
    return (describe(info.ref, actor, "en", data), describe(info.ref, actor, "ar", data))


def actor_record(info: ActorInfo, country_id: str | None) -> ActorRecord:
    """The stored row of an actor."""
    p = info.profile
    assert p is not None
    return ActorRecord(
        id=info.id,
        kind=info.kind,
        name_ar=info.name_ar,
        name_en=info.name_en,
        country_id=country_id,
        lat=info.coords[0] if info.coords else None,
        lon=info.coords[1] if info.coords else None,
        wikidata=p.wikidata,
        confidence=confidence(p),
        aliases=sorted(p.alias_forms),
        mentions=p.mentions,
        mention_digest=p.mention_digest,
        role_digest=p.role_digest,
    )


def _min_new_target(old_ids: Iterable[str], gone: set[str]) -> str | None:
    targets = sorted(set(old_ids) - gone)
    return targets[0] if targets else None


class Merge:
    """One merge: ``added`` documents (new, or re-extracted) into ``store``; ``removed`` are the
    stored extractions that re-extraction replaces (same sha256, older extraction)."""

    def __init__(
        self,
        store: Store,
        added: list[Document],
        removed: list[Document],
        version: str,
        exact_limit: int | None = None,
        refresh: list[str] | None = None,
    ) -> None:
        self.store = store
        self.exact_limit = EXACT_LIMIT if exact_limit is None else exact_limit
        self.refresh = refresh
        self.rules: MergeRules = merge_rules()
        self.version = version
        unique: dict[str, Document] = {}
        for d in sorted(added, key=lambda d: (d.sha256, msgspec.json.encode(d.meta))):
            unique.setdefault(d.sha256, d)
        self.added = unique
        self.removed = {d.sha256: d for d in removed}
        self.delta = Delta(state=StateDelta())
        # loaded or recomputed state
        self.groups: dict[str, GroupState] = {}
        self.profiles: dict[str, Profile | None] = {}
        self.actor_of_group: dict[str, str] = {}
        self.old_actors: dict[str, StoredActor] = {}
        self.infos: dict[str, ActorInfo] = {}
        self.country_ids: dict[str, str | None] = {}
        self.gone_actor_ids: set[str] = set()
        self.raw: dict[str, Document] = {}
        self.docs: dict[str, Document] = {}
        self.undated_states: dict[str, UndatedState] = {}
        self._members: dict[int, dict[str, list[Contribution]]] = {}
        self._maps: tuple[Any, ...] | None = None
        self._groups_of: dict[int, dict[Member, str]] = {}
        self._infos_version = 0

    def members(self, doc: Document) -> dict[str, list[Contribution]]:
        """The contributions of a document's entities by group, computed once per extraction
        (copies of a document share its entities; an old and a new extraction do not)."""
        found = self._members.get(id(doc.entities))
        if found is None:
            found = self._members[id(doc.entities)] = members_of(doc)
        return found

    async def run(self) -> Delta:
        timings = self.delta.timings
        for name, step in (
            ("actors", self.merge_actors),
            ("documents", self.merge_documents),
            ("events", self.merge_events),
            ("claims", self.merge_claims),
        ):
            started = time.perf_counter()
            await step()
            timings[name] = time.perf_counter() - started
        started = time.perf_counter()
        self.finish()
        timings["finish"] = time.perf_counter() - started
        return self.delta

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
        stored = await self.store.documents([s for s in missing if s not in self.added])
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

    # --- 1. actors -------------------------------------------------------------------------------

    async def merge_actors(self) -> None:
        added_c: dict[str, list[Contribution]] = defaultdict(list)
        for d in self.added.values():
            for g, cs in self.members(d).items():
                added_c[g] += cs
        removed_groups = {g for d in self.removed.values() for g in self.members(d)}
        touched = sorted(set(added_c) | removed_groups)
        await self._load_groups(touched)
        old = dict(self.groups)
        removed_c = await self.store.contributions(sorted(g for g in removed_groups if g in old))
        for g in touched:
            if g in removed_groups and g in old:
                keep = [c for c in removed_c.get(g, []) if c.sha not in self.removed] + added_c.get(g, [])
                self.profiles[g] = profile_from(keep) if keep else None
            else:
                parts = [old[g].profile] if g in old else []
                parts += [profile_of(c) for c in sorted(added_c.get(g, []), key=lambda c: c.member)]
                self.profiles[g] = sum_profiles(parts)
        self.touched, self.added_members, self.stored_members = touched, added_c, removed_c
        st = self.delta.state
        st.member_docs = sorted(set(self.added) | set(self.removed))
        st.members = [(g, c) for g in sorted(added_c) for c in added_c[g]]

        # Person groups whose comparison inputs changed are compared again.
        changed: dict[str, tuple[Profile, Signature]] = {}
        rematched: set[str] = set()
        for g in touched:
            new, before = self.profiles[g], old[g].profile if g in old else None
            either = new or before
            assert either is not None
            if either.head.kind != "person":
                continue
            if new is not None and before is not None and _match_state(new) == _match_state(before):
                continue
            rematched.add(g)
            if new is not None:
                changed[g] = (new, signature(new))
        self.signatures = {g: sig for g, (_, sig) in changed.items()}
        candidates = await self.store.group_candidates(self.signatures, exclude=rematched)
        self.new_links = AC.link_groups(changed, candidates)
        self.rematched = rematched
        old_links = await self.store.actor_links(sorted(rematched))

        def as_set(links: list[ActorLink]) -> set[tuple[Any, ...]]:
            return {(x.a, x.b, x.score, x.rule, msgspec.json.encode(x.evidence)) for x in links}

        link_changed = {x for t in as_set(old_links) ^ as_set(self.new_links) for x in t[:2]}
        st.link_groups = sorted(rematched)
        st.links = self.new_links

        seed = {g for g in touched if g not in old or self.profiles[g] is None} | link_changed
        component, links = await self._component(seed, set(), {})
        while True:
            result, pulled = await self._cluster(component, links)
            if not pulled - component:
                break
            component, links = await self._component(pulled - component, component, links)
        self.delta.counts["actor_groups"] = len(component)
        await self._settle_actors(component, result)

    async def _links_of(self, groups: set[str]) -> list[ActorLink]:
        """Current links touching ``groups``: stored ones (unless replaced) and new ones."""
        out = [
            x
            for x in await self.store.actor_links(sorted(groups))
            if x.a not in self.rematched and x.b not in self.rematched
        ]
        return out + [x for x in self.new_links if x.a in groups or x.b in groups]

    async def _component(
        self, seed: set[str], component: set[str], links: dict[tuple[str, str], ActorLink]
    ) -> tuple[set[str], dict[tuple[str, str], ActorLink]]:
        """``seed`` with the groups of their (old) actors and everything linked to them."""
        component, links = set(component), dict(links)
        frontier = set(seed) - component
        while frontier:
            await self._load_groups(frontier)
            old_ids = sorted({self.groups[g].actor_id for g in frontier if g in self.groups})
            siblings = {g for gs in (await self.store.actor_groups(old_ids)).values() for g in gs}
            component |= frontier
            found = await self._links_of(frontier)
            for x in found:
                links[(x.a, x.b)] = x
            frontier = ({y for x in found for y in (x.a, x.b)} | siblings) - component
        return component, links

    async def _cluster(
        self, component: set[str], links: dict[tuple[str, str], ActorLink]
    ) -> tuple[tuple[AC.GroupClusters, dict[int, Profile], dict[int, str]], set[str]]:
        """Cluster ``component`` and name the clusters; also the groups of actors outside it whose
        id this changes (they must be re-clustered with it)."""
        await self._load_groups(component)
        profiles = {g: p for g in sorted(component) if (p := self._profile(g)) is not None}
        inside = [x for x in links.values() if x.a in profiles and x.b in profiles]
        clusters = AC.cluster_groups(profiles, inside)
        totals = {i: sum_profiles([profiles[g] for g in cl]) for i, cl in enumerate(clusters.clusters)}
        old_ids = {self.groups[g].actor_id for g in component if g in self.groups}
        buckets = sorted({b for t in totals.values() if (b := AC.bucket_of(t)) is not None})
        peers = {
            b: [(tuple(order), aid) for order, aid in found if aid not in old_ids]
            for b, found in (await self.store.actors_in_buckets(buckets)).items()
        }
        ids = AC.assign_ids(totals, peers)  # type: ignore[arg-type]
        pulled: set[str] = set()
        moved: list[str] = []
        for b, found in peers.items():
            kind, _, key = b.partition(":")
            orders = sorted(
                [o for o, _ in found] + [t.order for t in totals.values() if AC.bucket_of(t) == b]
            )
            for order, aid in found:
                expected = (
                    stable_id("act", kind, key)
                    if order == orders[0]
                    else stable_id("act", kind, key, *order[1:])
                )
                if expected != aid:
                    moved.append(aid)
        for gs in (await self.store.actor_groups(sorted(moved))).values():
            pulled |= set(gs)
        return (clusters, totals, ids), pulled

    async def _settle_actors(
        self, component: set[str], result: tuple[AC.GroupClusters, dict[int, Profile], dict[int, str]]
    ) -> None:
        clusters, totals, ids = result
        st = self.delta.state
        old_ids = {self.groups[g].actor_id for g in component if g in self.groups}
        new_actor_of: dict[str, str] = {}
        infos: dict[str, ActorInfo] = {}
        for i, groups in enumerate(clusters.clusters):
            infos[ids[i]] = AC.actor_info(ids[i], groups, totals[i])
            for g in groups:
                new_actor_of[g] = ids[i]
        # Actors whose groups' profiles changed but whose clusters did not: sum their groups again.
        outside = sorted(
            {self.groups[g].actor_id for g in self.touched if g not in component and g in self.groups}
        )
        for aid, groups in (await self.store.actor_groups(outside)).items():
            await self._load_groups(groups)
            infos[aid] = AC.actor_info(
                aid, groups, sum_profiles([p for g in groups if (p := self._profile(g))])
            )
        await self._load_actors(sorted(old_ids | set(outside)))
        gone = old_ids - set(infos)
        self.gone_actor_ids = gone
        for aid in gone:
            self.infos.pop(aid, None)
        self.infos.update(infos)
        self._infos_version += 1
        self.actor_of_group.update(new_actor_of)

        # Decisions: links joined in re-clustered components; members joined to their groups.
        head_group = {self._profile(g).head.member: g for g in component if self._profile(g) is not None}  # type: ignore[union-attr]
        joins = [
            AC.decision(a, b, rule, ev, new_actor_of[head_group[a]]) for a, b, rule, ev in clusters.joins
        ]
        self.delta.decisions += joins
        stored_joins = await self.store.decisions_of(sorted(old_ids), "actor", GROUP_RULES)
        member_prefix = ("kb:", "n:", "p:")
        await self._member_decisions(
            sorted(set(self.touched) | {g for g in component if g.startswith(member_prefix)})
        )
        fresh = {d.id for d in self.delta.decisions}
        self.delta.gone_decisions += [i for i in stored_joins if i not in fresh]

        # An actor's country is the actor of its country's KB id, when that actor exists.
        appeared = {i.kb_id for a, i in infos.items() if i.kb_id and a not in self.old_actors}
        vanished = {self.old_actors[a].info.kb_id for a in gone if a in self.old_actors}
        dependents = await self.store.actors_of_country(sorted(k for k in appeared | vanished if k))
        await self._load_actors(dependents)
        recompute = (set(infos) | set(dependents)) - gone
        await self._load_profiles(dependents)
        await self._load_actors({stable_id("act", k) for a in recompute if (k := self.infos[a].country_key)})
        await self._load_actors({k for a in recompute if (k := self.infos[a].country_key)})
        dirty: set[str] = set()
        self.redescribed: set[str] = set()
        for aid in sorted(recompute):
            info = self.infos[aid]
            country_id = self._country_id(info)
            country = self.infos[country_id].ref if country_id else None
            desc = descriptor(info, country)
            self.country_ids[aid] = country_id
            st.actors.append(StoredActor(info=info, descriptor=desc, country_id=country_id))
            self.delta.actors.append(actor_record(info, country_id))
            before = self.old_actors.get(aid)
            if before is None:
                continue
            b = before.info
            if (b.kind, b.country_key, b.kb_id, b.name_ar, b.name_en, b.coords) != (
                info.kind,
                info.country_key,
                info.kb_id,
                info.name_ar,
                info.name_en,
                info.coords,
            ):
                dirty.add(aid)
            if before.descriptor != desc or before.country_id != country_id:
                self.redescribed.add(aid)
        st.gone_actors = sorted(gone)
        self.delta.infos = {a: self.infos[a] for a in sorted(recompute)}
        self.delta.country_ids = {a: self.country_ids[a] for a in sorted(recompute)}
        moved = sorted(
            g for g, aid in new_actor_of.items() if g in self.groups and self.groups[g].actor_id != aid
        )
        dirty_groups = {g for gs in (await self.store.actor_groups(sorted(dirty))).values() for g in gs}
        self.dirty_docs = await self.store.docs_of_groups(sorted(set(moved) | dirty_groups))
        for g in sorted(set(self.touched) | set(moved)):
            p = self._profile(g)
            if p is None:
                st.gone_groups.append(g)
                continue
            sig = self.signatures.get(g) or (self.groups[g].signature if g in self.groups else None)
            if sig is None and p.head.kind == "person":
                sig = signature(p)
            st.groups.append(GroupState(key=g, profile=p, signature=sig, actor_id=self.actor_of_group[g]))
        merged: dict[str, str | None] = {}
        for aid in sorted(gone):
            was = [
                g
                for g in component
                if g in self.groups and self.groups[g].actor_id == aid and g in new_actor_of
            ]
            merged[aid] = _min_new_target((new_actor_of[g] for g in was), gone)
        self.delta.gone_actors = merged

    async def _member_decisions(self, groups: list[str]) -> None:
        """Decisions that joined members to their groups: new members' (and removed members' go);
        all of a group's when its head or actor changed."""
        rewrite = []
        for g in groups:
            if g.startswith("s:"):
                continue
            p, before = self._profile(g), self.groups.get(g)
            aid = self.actor_of_group.get(g)
            if (
                before is None
                or p is None
                or before.profile.head.member != p.head.member
                or before.actor_id != aid
            ):
                rewrite.append(g)
        stored = await self.store.contributions([g for g in rewrite if g in self.groups])
        for g in groups:
            if g.startswith("s:"):
                continue
            p, before = self._profile(g), self.groups.get(g)
            added = sorted(c.member for c in self.added_members.get(g, []))
            removed = sorted(c.member for c in self.stored_members.get(g, []) if c.sha in self.removed)
            if g in rewrite:
                members = sorted(c.member for c in stored.get(g, []))
                if before is not None:
                    old = AC.group_decisions(g, before.profile.head.member, members, before.actor_id)
                    self.delta.gone_decisions += [d.id for d in old]
                if p is not None:
                    keep = sorted({m for m in members if m[0] not in self.removed} | set(added))
                    self.delta.decisions += AC.group_decisions(g, p.head.member, keep, self.actor_of_group[g])
            elif p is not None:
                aid = self.actor_of_group[g]
                self.delta.decisions += AC.group_decisions(g, p.head.member, added, aid)
                fresh = {m for m in added}
                self.delta.gone_decisions += [
                    d.id
                    for d in AC.group_decisions(g, p.head.member, [m for m in removed if m not in fresh], aid)
                ]
        fresh_ids = {d.id for d in self.delta.decisions}
        self.delta.gone_decisions = [i for i in self.delta.gone_decisions if i not in fresh_ids]

    def _country_id(self, info: ActorInfo) -> str | None:
        key = info.country_key
        if key is None:
            return None
        found = None
        for candidate in (stable_id("act", key), key):
            if candidate in self.infos and candidate not in self.gone_actor_ids:
                found = candidate
                break
        return found if found != info.id else None

    # --- 2, 3. documents and publication dates ---------------------------------------------------

    async def merge_documents(self) -> None:
        dirty = set(self.added) | set(self.removed) | self.dirty_docs
        await self._documents(dirty)
        index = await self._index(dirty)
        old_units = await self.store.units_of_docs(sorted(dirty))
        # Reports before inference: final for dated articles.
        changed_pins = {k for s in old_units.values() for k in s.unit.pins}
        for sha in sorted(dirty):
            doc = self.docs[sha]
            if self.raw_undated(sha):
                continue
            changed_pins |= {
                k for i, m in enumerate(doc.events) for k in unit_of(doc, i, m, index, self.rules).pins
            }
        seeds = {s for s in dirty if self.raw_undated(s)}
        seeds |= await self.store.undated_related([], sorted(changed_pins))
        redated = await self._infer(seeds)
        self.dirty = dirty | redated
        self.delta.counts["dirty_docs"] = len(self.dirty)
        self.old_units = old_units
        if redated - dirty:
            await self._documents(redated)
            self.old_units.update(await self.store.units_of_docs(sorted(redated - dirty)))

    def raw_undated(self, sha: str) -> bool:
        """Whether an article has no publication date of its own (metadata or dateline)."""
        doc = _copy(self.raw[sha])
        prepare(doc)
        return doc.publication.date is None

    async def _infer(self, seeds: set[str]) -> set[str]:
        """Date the undated articles connected to ``seeds`` again; the ones whose date changed."""
        component: set[str] = set()
        frontier = set(seeds)
        keys: dict[str, tuple[list[str], list[str]]] = {}
        while frontier:
            await self._documents(frontier)
            for sha in frontier:
                self._apply_inference(sha, None, None)  # inference starts from the undated article
            index = await self._index(frontier)
            for sha in sorted(frontier):
                doc = self.docs[sha]
                p = sorted(
                    {
                        k
                        for _, probe in probes(doc, index, self.rules)
                        for k in probe_keys(probe, index, self.rules)
                    }
                )
                q = sorted(
                    {
                        k
                        for i, m in enumerate(doc.events)
                        for k in unit_of(doc, i, m, index, self.rules).pinnable
                    }
                )
                keys[sha] = (p, q)
            component |= frontier
            probe_all = sorted({k for s in frontier for k in keys[s][0]})
            pins_all = sorted({k for s in frontier for k in keys[s][1]})
            frontier = (await self.store.undated_related(probe_all, pins_all)) - component
            frontier = {s for s in frontier}
        if not component:
            return set()
        docs = [self.docs[s] for s in sorted(component)]
        index = await self._index(component)
        wanted = sorted({k for s in component for k in keys[s][0]})
        external_states = await self.store.pinned_units(wanted)
        external_units = [
            s.unit
            for key, s in external_states.items()
            if key[0] not in component and key[0] not in self.added
        ]
        # Fresh dated reports of dirty articles outside the component replace their stored ones.
        fresh_docs = sorted((set(self.added) | set(self.removed) | self.dirty_docs) - component)
        fresh_index = await self._index(fresh_docs) if fresh_docs else index
        external_units = [u for u in external_units if u.key[0] not in fresh_docs]
        for sha in fresh_docs:
            doc = self.docs[sha]
            external_units += [unit_of(doc, i, m, fresh_index, self.rules) for i, m in enumerate(doc.events)]
        wanted_set = set(wanted)
        external = {k: v for k, v in pinned(external_units).items() if k in wanted_set}
        await self._index_for_actors(
            {a for u in external_units for a, _ in u.actors}
            | {u.location for u in external_units if u.location},
            index,
        )
        index = await self._index(component)
        infer_publications(docs, external, index, self.rules)
        old = await self.store.undated(sorted(component))
        redated: set[str] = set()
        for sha in sorted(component):
            doc = self.docs[sha]
            pub = doc.publication
            published, reason = (pub.date, pub.reason) if pub.basis == "inferred" else (None, None)
            before = old.get(sha)
            if (
                sha in self.added
                or before is None
                or (before.published, before.reason) != (published, reason)
            ):
                redated.add(sha)
            state = UndatedState(
                sha=sha, probe_keys=keys[sha][0], anchor_pins=keys[sha][1], published=published, reason=reason
            )
            self.undated_states[sha] = state
            self.delta.state.undated.append(state)
        return {s for s in redated if s not in self.added}

    # --- 4. events -------------------------------------------------------------------------------

    async def merge_events(self) -> None:
        dirty = sorted(self.dirty)
        index = await self._index(dirty)
        new_units: dict[UnitKey, EventUnit] = {}
        for sha in dirty:
            if sha in self.removed and sha not in self.added:
                continue
            doc = self.docs[sha]
            for i, m in enumerate(doc.events):
                u = unit_of(doc, i, m, index, self.rules)
                new_units[u.key] = u
        old_units = {k: s for k, s in self.old_units.items() if k[0] in self.dirty}
        st = self.delta.state
        st.unit_docs = dirty
        # Links of every report of a dirty article are found again.
        stored = await self.store.unit_candidates(
            sorted({k for u in new_units.values() for k in looks_up(u, within=False)})
        )
        stored = {k: s for k, s in stored.items() if k[0] not in self.dirty}
        await self._index_for_actors(_unit_actors(s.unit for s in stored.values()), index)
        index = await self._index(dirty)
        published = {s: self.docs[s].publication.date for s in dirty}
        new_links: set[tuple[UnitKey, UnitKey]] = set()
        everything = list(new_units.values()) + [s.unit for s in stored.values()]
        for a, b in candidate_pairs(everything, set(new_units)):
            if match_score(a, b, index, self.rules, published=published.get(a.key[0])) is not None:
                new_links.add((a.key, b.key))
        st.linked_units = sorted(set(old_units) | set(new_units))
        st.unit_links = sorted(new_links)
        self.new_unit_links = new_links
        changed = set(old_units) | set(new_units)
        # The neighbourhood: the new reports, with every report of their old events and of the
        # stored events they link to. Re-clustered exactly with its whole component when that has
        # at most ``exact_limit`` reports; beyond, the linked stored events are held as they are.
        touched_events = {s.event_id for s in old_units.values()}
        touched_events |= {stored[k].event_id for pair in new_links for k in pair if k in stored}
        gone_units = set(old_units) - set(new_units)
        seed = set(new_units) | set((await self.store.units_of_events(sorted(touched_events))).keys())
        seed = {k for k in seed - gone_units if k[0] not in self.dirty or k in new_units}
        component = await self._unit_component(seed, changed, new_units, self.exact_limit)
        exact = component is not None
        self.delta.counts["component_exact"] = int(exact)
        if component is None:
            component = seed
        states = await self._units(component, new_units)
        self.delta.counts["component_units"] = len(component)
        # Beyond the exact bound, the stored events the new reports link to are held as they are
        # (fixed clusters): the new reports join them or not, they are not taken apart.
        fixed: dict[str, list[UnitKey]] = defaultdict(list)
        if not exact:
            held = touched_events - {s.event_id for s in old_units.values()}
            for k in sorted(component):
                if k not in new_units and states[k].event_id in held:
                    fixed[states[k].event_id].append(k)
        # Re-cluster the component; rebuild its events and those of redescribed actors.
        units = [states[k].unit for k in sorted(component)]
        if fixed:
            held_keys = {k for g in fixed.values() for k in g}
            free_docs = {k[0] for k in component if k not in held_keys}
            await self._documents(free_docs)
            await self._index_for_actors(_unit_actors(units), index)
            index = await self._index(free_docs)
            published = {s: self.docs[s].publication.date for s in free_docs}
            grouping = cluster_events(units, index, self.rules, published, list(fixed.values()))
            unchanged = {tuple(g) for g in fixed.values()}
            same = {u.key for g in grouping.groups if tuple(u.key for u in g) in unchanged for u in g}
            component -= same
            units = [u for u in units if u.key not in same]
            self.delta.counts["fixed_events"] = len(fixed)
            self.delta.counts["fixed_unchanged"] = len(unchanged) - len(
                unchanged - {tuple(u.key for u in g) for g in grouping.groups}
            )
        if self.refresh is None:
            counts = await self.store.event_counts(sorted(self.redescribed))
            stale = sorted(a for a in self.redescribed if counts.get(a, 0) > INLINE_EVENTS)
            st.stale_actors = stale
            redescribed = sorted(self.redescribed - set(stale))
        else:
            redescribed = sorted(self.refresh)
        extra = await self.store.units_of_events(sorted(await self.store.events_of_actors(redescribed)))
        extra = {k: s for k, s in extra.items() if k not in component and k[0] not in self.dirty}
        self.delta.counts["redescribed_actors"] = len(self.redescribed)
        self.delta.counts["redescribed_units"] = len(extra)
        docs_needed = {k[0] for k in component} | {k[0] for k in extra}
        await self._documents(docs_needed)
        index = await self._index(docs_needed)
        await self._index_for_actors(_unit_actors(units + [s.unit for s in extra.values()]), index)
        index = await self._index(docs_needed)
        if fixed:
            kept_groups = [g for g in grouping.groups if g[0].key in component]
            clusters = EventClusters(groups=kept_groups, joins=grouping.joins)
        else:
            clusters = cluster_events(
                units, index, self.rules, {s: self.docs[s].publication.date for s in docs_needed}
            )
        by_event: dict[str, list[EventUnit]] = defaultdict(list)
        for _k, s in sorted(extra.items()):
            by_event[s.event_id].append(s.unit)
        rebuilt_only = EventClusters(groups=[by_event[e] for e in sorted(by_event)], joins=[])
        events, event_of, decisions = build_events(clusters, self.docs, index, self.rules)
        kept, kept_of, _ = build_events(rebuilt_only, self.docs, index, self.rules)
        self.index = index
        self.events = events + kept
        self.event_of = {**event_of, **kept_of}
        grouped: dict[str, list[EventUnit]] = defaultdict(list)
        for u in units:
            grouped[event_of[u.key]].append(u)
        self.event_units = {**grouped, **by_event}
        self.resummarised = set(kept_of.values()) - set(event_of.values())
        """Events rebuilt only because an actor they name was redescribed: their reports, articles,
        actors and ids are as stored, only their summaries (and their conflicts' subject names) move."""
        old_ids = {states[k].event_id for k in component if states[k].event_id}
        old_ids |= {s.event_id for s in old_units.values()}
        new_ids = {e.id for e in events}
        gone = old_ids - new_ids - set(kept_of.values())
        self.old_event_ids = old_ids
        self.delta.gone_events = {
            e: _min_new_target(
                (
                    event_of[k]
                    for k in component
                    if k in event_of and states.get(k) and states[k].event_id == e
                ),
                gone,
            )
            for e in sorted(gone)
        }
        # The joins inside a held event stand; its id may move (a new report with an earlier key).
        for d in await self.store.event_decisions(sorted(e for e in fixed if e in old_ids)):
            member = d.member.rpartition(":")
            key = (member[0], int(member[2]))
            if key in event_of:
                decisions.append(msgspec.structs.replace(d, target_id=event_of[key]))
        self.delta.decisions += decisions
        stored_decisions = await self.store.decisions_of(sorted(old_ids), "event", [])
        fresh = {d.id for d in decisions}
        self.delta.gone_decisions += [i for i in stored_decisions if i not in fresh]
        st.units = [UnitState(unit=new_units[k], event_id=event_of[k]) for k in sorted(new_units)]
        st.unit_events = [
            (k, event_of[k])
            for k in sorted(component)
            if k not in new_units and states[k].event_id != event_of[k]
        ]
        # Summaries read the actors' roles and countries.
        named = sorted({ea.actor.id for e in self.events for ea in e.actors})
        await self._load_actors(named)
        await self._load_actors({c for a in named if (c := self.country_ids.get(a))})
        await self._load_profiles(named)
        by_id: dict[str, Actor] = {}
        for aid in named:
            cid = self.country_ids.get(aid)
            by_id[aid] = summary_actor(self.infos[aid], self.infos[cid].ref if cid else None)
        for event in self.events:
            event.summary = summarize(event, by_id)

    async def _units(
        self, keys: Iterable[UnitKey], fresh: dict[UnitKey, EventUnit]
    ) -> dict[UnitKey, UnitState]:
        wanted = sorted(set(keys))
        out = {k: UnitState(unit=fresh[k], event_id="") for k in wanted if k in fresh}
        missing = [k for k in wanted if k not in fresh]
        if missing:
            by_doc = await self.store.units_of_docs(sorted({k[0] for k in missing}))
            out.update({k: by_doc[k] for k in missing if k in by_doc})
        for k, s in self.old_units.items():
            if k in out and k in fresh:
                out[k] = UnitState(unit=fresh[k], event_id=s.event_id)
        return out

    async def _unit_component(
        self, seed: set[UnitKey], changed: set[UnitKey], fresh: dict[UnitKey, EventUnit], limit: int | None
    ) -> set[UnitKey] | None:
        """``seed`` and every report linked to it through current links (reports of dirty
        articles that no longer exist left out); None when that is more than ``limit`` reports."""
        component: set[UnitKey] = set()
        frontier = set(seed)
        while frontier:
            component |= frontier
            if limit is not None and len(component) > limit:
                return None
            found = [
                (a, b)
                for a, b in await self.store.unit_links(sorted(frontier))
                if a not in changed and b not in changed
            ]
            found += [(a, b) for a, b in self.new_unit_links if a in frontier or b in frontier]
            frontier = {x for pair in found for x in pair} - component
        return {k for k in component if k[0] not in self.dirty or k in fresh}

    # --- 5. claims and conflicts -----------------------------------------------------------------

    async def merge_claims(self) -> None:
        rules = self.rules
        rebuilt = {e.id for e in self.events}
        base_docs = set(self.dirty) | {
            u.key[0] for e, units in self.event_units.items() if e not in self.resummarised for u in units
        }
        kinds = rules.claim_subject_kinds
        await self._documents(base_docs)
        index = await self._index(base_docs)
        event_of = await self._event_of(base_docs)
        claims = build_claims([self.docs[s] for s in sorted(base_docs)], index, event_of)
        subjects = {r.id for c in claims for r in c.about if r.kind in kinds}
        subjects |= await self.store.claim_subjects(sorted(base_docs), kinds)
        about_docs = await self.store.docs_about(sorted(subjects))
        more = about_docs - base_docs
        if more:
            await self._documents(more)
            index = await self._index(base_docs | more)
            event_of |= await self._event_of(more)
            claims = build_claims([self.docs[s] for s in sorted(base_docs | more)], index, event_of)
        by_id = {c.id: c for c in claims}
        # Event conflicts (date, status and the claims they contradict) and count conflicts.
        claims_of_events = [c for c in claims if c.event_id in rebuilt]
        # A re-summarised event's claims are as stored (same articles, actor references and event
        # ids): they are read again only for its conflicts, whose subject names its summary; neither
        # they nor the subjects they are about are rebuilt or written.
        resummarised_docs = {u.key[0] for e in self.resummarised for u in self.event_units[e]}
        resummarised_docs -= base_docs | more
        self.delta.counts["resummarised_docs"] = len(resummarised_docs)
        if resummarised_docs:
            await self._documents(resummarised_docs)
            r_index = await self._index(base_docs | more | resummarised_docs)
            r_event_of = await self._event_of(resummarised_docs)
            r_claims = build_claims([self.docs[s] for s in sorted(resummarised_docs)], r_index, r_event_of)
            claims_of_events = sorted(
                claims_of_events + [c for c in r_claims if c.event_id in self.resummarised],
                key=lambda c: c.id,
            )
        conflicts = event_conflicts(self.events, self.event_units, self.docs, claims_of_events, rules)
        conflicts += count_conflicts(self.events, claims_of_events, rules)
        pairs: set[tuple[str, str, str]] = set()
        for c in claims_of_events:
            for other in c.contradicts:
                pairs.add((c.event_id, c.id, other))  # type: ignore[arg-type]
            c.contradicts = []
        # Subject conflicts: claims about each recomputed subject, compared again.
        for subject in sorted(subjects):
            about = [
                msgspec.structs.replace(c, about=[r for r in c.about if r.id == subject], contradicts=[])
                for c in claims
                if any(r.id == subject for r in c.about)
            ]
            conflicts += claim_conflicts(about, rules)
            for c in about:
                for other in c.contradicts:
                    pairs.add((subject, c.id, other))
        origins = rebuilt | self.old_event_ids | subjects
        stored_pairs = await self.store.claim_pairs(sorted(by_id))
        kept = {p for p in stored_pairs if p[0] not in origins}
        contradicts: dict[str, set[str]] = defaultdict(set)
        for _, a, b in kept | pairs:
            contradicts[a].add(b)
        claim_sources = {source_id(s) for s in base_docs | more}
        emitted = [c for c in claims if c.attribution.source_id in claim_sources]
        for c in emitted:
            c.contradicts = sorted(contradicts.get(c.id, set()) - {c.id})
        self.delta.claims = emitted
        stored_claims = await self.store.claims_of_docs(sorted(base_docs | more))
        self.delta.gone_claims = sorted(
            {i for ids in stored_claims.values() for i in ids} - {c.id for c in emitted}
        )
        st = self.delta.state
        st.pair_origins = sorted(origins)
        st.pairs = sorted(pairs)
        # Rank conflicts of actors whose roles changed.
        ranked = {
            index.actor_of[(sha, key)]
            for sha in self.dirty
            if sha in self.docs and not (sha in self.removed and sha not in self.added)
            for key, e in self.docs[sha].entities.items()
            if any(r.rank for r in e.roles)
        }
        ranked |= {
            self.actor_of_group[g]
            for d in self.removed.values()
            for g, cs in self.members(d).items()
            if g in self.actor_of_group and any(d.entities[c.key].roles for c in cs)
        }
        ranked |= set(self.delta.gone_actors) | {a.id for a in self.delta.actors}
        ranked_alive = sorted(a for a in ranked if a in self.infos and a not in self.gone_actor_ids)
        roles = await self.store.rank_roles(ranked_alive, self.dirty)
        actors = []
        fresh_roles = self._rank_roles(index)
        for aid in ranked_alive:
            info = self.infos[aid]
            rows = [
                Role(
                    text=r.text,
                    rank=r.rank,
                    attribution=Attribution(
                        source_id=r.source_id,
                        outlet=r.outlet,
                        published_on=r.published_on,
                        span=(r.start, r.end),
                        quote=r.quote,
                    ),
                )
                for r in roles.get(aid, [])
            ] + fresh_roles.get(aid, [])
            actors.append(
                Actor(
                    id=aid,
                    kind=cast("ActorKind", info.kind),
                    name=Name(ar=info.name_ar, en=info.name_en),
                    roles=rows,
                )
            )
        conflicts += rank_conflicts(actors)
        self.delta.conflicts = sorted(conflicts, key=lambda c: c.id)
        scope = sorted(ranked | rebuilt | self.old_event_ids | subjects)
        stored_conflicts = await self.store.conflicts_of(scope)
        self.delta.gone_conflicts = sorted(set(stored_conflicts) - {c.id for c in conflicts})
        self.claim_docs = base_docs | more

    def _rank_roles(self, index: ActorIndex) -> dict[str, list[Role]]:
        out: dict[str, list[Role]] = defaultdict(list)
        for sha in sorted(self.dirty):
            if sha not in self.docs or (sha in self.removed and sha not in self.added):
                continue
            doc = self.docs[sha]
            for key, e in doc.entities.items():
                aid = index.actor_of[(sha, key)]
                for rm in e.roles:
                    if rm.rank:
                        out[aid].append(
                            Role(
                                text=rm.role or rm.text,
                                rank=rm.rank,
                                attribution=attribution(doc, rm.start, rm.end),
                            )
                        )
        return out

    async def _event_of(self, shas: Iterable[str]) -> dict[UnitKey, str]:
        stored = await self.store.units_of_docs(sorted(set(shas) - self.dirty))
        out = {k: s.event_id for k, s in stored.items()}
        out.update({k: e for k, e in self.event_of.items() if k[0] in set(shas)})
        return out

    # --- output ----------------------------------------------------------------------------------

    def finish(self) -> None:
        d = self.delta
        index = self.index_all()
        d.sources = [
            source_record(self.docs[s], self.version)
            for s in sorted(self.dirty)
            if not (s in self.removed and s not in self.added)
        ]
        d.docs = [source_id(s) for s in sorted(self.dirty)]
        for sha in sorted(self.dirty):
            if sha in self.removed and sha not in self.added:
                continue
            doc = self.docs[sha]
            for key in sorted(doc.entities):
                e = doc.entities[key]
                aid = index.actor_of[(sha, key)]
                for i in e.mentions:
                    m = doc.mentions[i]
                    d.mentions.append(
                        MentionRow(aid, source_id(sha), m.start, m.end, doc.text[m.start : m.end], m.method)
                    )
                for rm in e.roles:
                    d.roles.append(
                        RoleRow(
                            aid,
                            source_id(sha),
                            rm.start,
                            rm.end,
                            doc.text[rm.start : rm.end],
                            rm.role or rm.text,
                            rm.rank,
                        )
                    )
        d.events = sorted(self.events, key=lambda e: e.id)
        d.claims = sorted(d.claims, key=lambda c: c.id)
        d.decisions = sorted({x.id: x for x in d.decisions}.values(), key=lambda x: x.id)
        d.gone_decisions = sorted(set(d.gone_decisions) - {x.id for x in d.decisions})
        d.actors = sorted({a.id: a for a in d.actors}.values(), key=lambda a: a.id)
        d.documents = {s: self.docs[s] for s in sorted(self.docs)}

    def index_all(self) -> ActorIndex:
        members: dict[Member, str] = {}
        for s in self.dirty:
            if s in self.docs:
                members.update(self._entity_groups(self.docs[s]))
        return self._actor_index({m: self.actor_of_group[g] for m, g in members.items()})


def _unit_actors(units: Iterable[EventUnit]) -> set[str]:
    out: set[str] = set()
    for u in units:
        out |= {a for a, _ in u.actors}
        out |= set(u.context)
        if u.location:
            out.add(u.location)
    return out


async def merge(
    store: Store,
    added: list[Document],
    removed: list[Document],
    version: str,
    exact_limit: int | None = None,
    refresh: list[str] | None = None,
) -> Delta:
    """Merge ``added`` into ``store`` (``removed``: old extractions they replace); what changes.
    ``exact_limit``: see ``EXACT_LIMIT``; ``refresh``: rebuild (re-summarise) every event of these
    actors (with nothing added: the deferred half of a merge, ``StateDelta.stale_actors``)."""
    return await Merge(store, added, removed, version, exact_limit, refresh).run()
