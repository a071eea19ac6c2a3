"""Layer 5 of the merge, claims and conflicts: claims of dirty articles and rebuilt events,
contradiction pairs by origin, event, count, subject and rank conflicts (``engine`` module docstring,
step 5).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import cast

import msgspec

from service.extract.document import ActorKind
from service.merge.actor_clusters import ActorIndex
from service.merge.claims import build_claims
from service.merge.common import attribution, source_id
from service.merge.conflicts import claim_conflicts, event_conflicts, rank_conflicts
from service.merge.event_units import UnitKey
from service.merge.layer_base import MergeBase
from service.merge.number_conflicts import count_conflicts
from service.models.resources import Actor, Attribution, Name, Role


class ClaimLayer(MergeBase):
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
        conflicts += count_conflicts(self.events, claims_of_events, rules, self.docs)
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
