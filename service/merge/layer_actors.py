"""Layer 1 of the merge, actors: identity groups, their links, clusters, ids and descriptions
(``engine`` module docstring, step 1).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import msgspec

from service.merge import actor_clusters as AC
from service.merge.actor_clusters import ActorInfo, ActorLink
from service.merge.actor_groups import (
    Contribution,
    Profile,
    Signature,
    profile_from,
    profile_of,
    signature,
    sum_profiles,
)
from service.merge.common import stable_id
from service.merge.descriptions import actor_record, descriptor
from service.merge.layer_base import MergeBase, _match_state, _min_new_target
from service.merge.state import GroupState, StoredActor

GROUP_RULES = ["kb_id", "same_name", "equal_name"]


class ActorLayer(MergeBase):
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
