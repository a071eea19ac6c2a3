"""Layers 2 and 3 of the merge: which articles are dirty, and their publication dates inferred again
(``engine`` module docstring, steps 2 and 3).
"""

from __future__ import annotations

from service.merge.event_units import dated_to_the_day, unit_of
from service.merge.layer_base import MergeBase, _copy
from service.merge.publications import (
    infer_publications,
    pinned,
    prepare,
    probe_keys,
    probes,
)
from service.merge.state import UndatedState


class DocumentLayer(MergeBase):
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
                k
                for i, m in enumerate(doc.events)
                if dated_to_the_day(doc, m)  # only such a report has pins: the others are not resolved
                for k in unit_of(doc, i, m, index, self.rules).pins
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
