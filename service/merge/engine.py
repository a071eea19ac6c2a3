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
from collections.abc import Coroutine
from typing import Any

import msgspec

from service.extract.document import Document
from service.merge.actor_clusters import ActorIndex, ActorInfo
from service.merge.actor_groups import (
    Contribution,
    Member,
    Profile,
)
from service.merge.common import source_id
from service.merge.dataset import MentionRow, RoleRow
from service.merge.delta import Delta, StateDelta
from service.merge.descriptions import actor_record, descriptor, summary_actor
from service.merge.layer_actors import GROUP_RULES, ActorLayer
from service.merge.layer_claims import ClaimLayer
from service.merge.layer_documents import DocumentLayer
from service.merge.layer_events import EXACT_LIMIT, INLINE_EVENTS, EventLayer
from service.merge.pair_scores import PairScores
from service.merge.rules import MergeRules, merge_rules
from service.merge.sources import source_record
from service.merge.state import GroupState, Store, StoredActor, UndatedState

__all__ = [
    "EXACT_LIMIT",
    "GROUP_RULES",
    "INLINE_EVENTS",
    "Delta",
    "Merge",
    "StateDelta",
    "actor_record",
    "descriptor",
    "merge",
    "run_sync",
    "summary_actor",
]


def run_sync(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that never suspends (the merge over ``EmptyStore``) without an event loop."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise RuntimeError("the merge suspended: a store that waits needs an event loop")


class Merge(ActorLayer, DocumentLayer, EventLayer, ClaimLayer):
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
        scores: PairScores | None = None,
    ) -> None:
        self.store = store
        self.scores = scores
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


async def merge(
    store: Store,
    added: list[Document],
    removed: list[Document],
    version: str,
    exact_limit: int | None = None,
    refresh: list[str] | None = None,
    scores: PairScores | None = None,
) -> Delta:
    """Merge ``added`` into ``store`` (``removed``: old extractions they replace); what changes.
    ``exact_limit``: see ``EXACT_LIMIT``; ``refresh``: rebuild (re-summarise) every event of these
    actors (with nothing added: the deferred half of a merge, ``StateDelta.stale_actors``);
    ``scores``: pair scores kept from earlier merges (``pair_scores``; the same decisions, fewer
    pairs scored again)."""
    return await Merge(store, added, removed, version, exact_limit, refresh, scores).run()
