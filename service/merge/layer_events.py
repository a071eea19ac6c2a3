"""Layer 4 of the merge, events: reports compared by blocking key, re-clustered exactly within
``EXACT_LIMIT`` and with held events beyond, events rebuilt and re-summarised (``engine`` module
docstring, step 4).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import msgspec

from service.merge.descriptions import summary_actor
from service.merge.event_clusters import EventClusters, candidate_pairs, cluster_events, looks_up, match_score
from service.merge.event_resources import build_events
from service.merge.event_units import EventUnit, UnitKey, unit_of
from service.merge.layer_base import MergeBase, _min_new_target, _unit_actors
from service.merge.state import UnitState
from service.merge.summaries import summarize
from service.models.resources import Actor

EXACT_LIMIT = 300
"""The largest component of linked reports a merge re-clusters whole, exactly; beyond it the merge
re-clusters its neighbourhood (its new reports, their old events, the events they link to) with
the linked stored events held as they are (docs/extraction.md, "Incremental merge": where the
result may then differ from a full build)."""
INLINE_EVENTS = 40
"""An actor whose description changed is re-summarised in the merge when it is in at most this many
events; one in more (a hub: the king, a country) is left to a refresh job (``StateDelta.stale_actors``)."""


class EventLayer(MergeBase):
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
        # Links of every report of a dirty article are found again.
        looked = {k: looks_up(u, within=False) for k, u in new_units.items()}
        stored = await self.store.unit_candidates(sorted({k for ks in looked.values() for k in ks}))
        stored = {k: s for k, s in stored.items() if k[0] not in self.dirty}
        await self._index_for_actors(_unit_actors(s.unit for s in stored.values()), index)
        index = await self._index(dirty)
        published = {s: self.docs[s].publication.date for s in dirty}
        new_links: set[tuple[UnitKey, UnitKey]] = set()
        # Each pair is scored once: ``cluster_events`` below takes these scores instead of scoring
        # the new reports against their stored candidates again (``scored``).
        scored: dict[tuple[UnitKey, UnitKey], tuple[float, dict[str, Any]] | None] = {}
        for a, b in _new_pairs(new_units, looked, stored):
            result = match_score(a, b, index, self.rules, published=published.get(a.key[0]))
            scored[(a.key, b.key)] = result
            if result is not None:
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
        of_events = await self.store.units_of_events(sorted(touched_events))
        seed = set(new_units) | set(of_events)
        seed = {k for k in seed - gone_units if k[0] not in self.dirty or k in new_units}
        component = await self._unit_component(seed, changed, new_units, self.exact_limit)
        exact = component is not None
        self.delta.counts["component_exact"] = int(exact)
        if component is None:
            component = seed
        states = await self._units(component, new_units, {**stored, **of_events})
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
            grouping = cluster_events(units, index, self.rules, published, list(fixed.values()), scored)
            unchanged = {tuple(g) for g in fixed.values()}
            same = {u.key for g in grouping.groups if tuple(u.key for u in g) in unchanged for u in g}
            component -= same
            self.delta.counts["held_rebuilt_units"] = sum(1 for k in component if k in held_keys)
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
                units,
                index,
                self.rules,
                {s: self.docs[s].publication.date for s in docs_needed},
                None,
                scored,
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
        # A dirty article whose reports are exactly as stored keeps its rows and their blocking keys
        # (some 40 a report): only the event of a report that moved is updated.
        as_stored = _unchanged_docs(dirty, old_units, new_units)
        # An article with no stored report has nothing to delete.
        st.unit_docs = sorted({k[0] for k in old_units} - as_stored)
        st.units = [
            UnitState(unit=new_units[k], event_id=event_of[k])
            for k in sorted(new_units)
            if k[0] not in as_stored
        ]
        st.unit_events = sorted(
            [(k, event_of[k]) for k in component if k not in new_units and states[k].event_id != event_of[k]]
            + [
                (k, event_of[k])
                for k in new_units
                if k[0] in as_stored and old_units[k].event_id != event_of[k]
            ]
        )
        self.delta.counts["units_kept"] = sum(1 for k in new_units if k[0] in as_stored)
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
        self,
        keys: Iterable[UnitKey],
        fresh: dict[UnitKey, EventUnit],
        known: dict[UnitKey, UnitState] | None = None,
    ) -> dict[UnitKey, UnitState]:
        """The state of each report: ``fresh`` ones (reports of dirty articles) with their stored
        event, others from ``known`` (stored states this merge read already) or from the store."""
        wanted = sorted(set(keys))
        out = {k: UnitState(unit=fresh[k], event_id="") for k in wanted if k in fresh}
        known = known or {}
        out.update({k: known[k] for k in wanted if k not in fresh and k in known})
        missing = [k for k in wanted if k not in out]
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


def _unchanged_docs(
    dirty: list[str], old: dict[UnitKey, UnitState], new: dict[UnitKey, EventUnit]
) -> set[str]:
    """Dirty articles whose reports are the stored ones, field for field (or that have none, before
    or after): their report rows need no rewrite."""
    old_by_doc: dict[str, dict[UnitKey, EventUnit]] = defaultdict(dict)
    new_by_doc: dict[str, dict[UnitKey, EventUnit]] = defaultdict(dict)
    for k, s in old.items():
        old_by_doc[k[0]][k] = s.unit
    for k, u in new.items():
        new_by_doc[k[0]][k] = u
    return {sha for sha in dirty if old_by_doc.get(sha, {}) == new_by_doc.get(sha, {})}


def _new_pairs(
    new_units: dict[UnitKey, EventUnit], looked: dict[UnitKey, list[str]], stored: dict[UnitKey, UnitState]
) -> list[tuple[EventUnit, EventUnit]]:
    """``candidate_pairs(new + stored, only=new)``, without computing a stored report's keys: the
    look-up returned the keys each was found by (``UnitState.found_by``). Pairs of two new reports
    come from ``candidate_pairs``; a new report ``n`` and a stored one ``s`` (another article, so
    no within-article key ``d:`` is shared) pair when ``s`` is found by a key ``n`` looks up, which
    is what ``found_by(s)`` against ``looks_up(n)`` gives. Same pairs, same order (by keys)."""
    units = {**{k: s.unit for k, s in stored.items()}, **new_units}
    # Reports numbered in key order and a pair as one integer, as ``pair_index`` does: each new
    # report gathers the stored reports its keys find into one set before any pair is built.
    keys = sorted(units)
    n = len(keys)
    pos = {k: i for i, k in enumerate(keys)}
    pairs = {pos[a.key] * n + pos[b.key] for a, b in candidate_pairs(list(new_units.values()))}
    if stored:
        holders: dict[str, list[int]] = defaultdict(list)
        for k, s in stored.items():
            at = pos[k]
            for key in s.found_by:
                holders[key].append(at)
        add = pairs.update
        for u, looks in looked.items():
            i = pos[u]
            found: set[int] = set()
            gather = found.update
            for key in looks:
                at_key = holders.get(key)
                if at_key:
                    gather(at_key)
            if found:
                base = i * n
                add([j * n + i if j < i else base + j for j in found])
    ordered = [units[k] for k in keys]
    return [(ordered[p // n], ordered[p % n]) for p in sorted(pairs)]
