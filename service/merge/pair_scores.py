"""Pair scores kept across merges: a pair of reports a merge scored before is not scored again
while nothing it was scored on has changed.

Why: an incremental merge scores far more pairs than a full build of the same articles. Replayed
over the first 5,000 SaudiNewsNet records (docs/benchmarks.md, "The merge alone, replayed: pairs
scored once across merges"), a full build scores 155,559 pairs; the merges in chunks of 100 score
453,153: the new reports against their stored candidates (155,539, the same work as the full
build), the reports of articles made dirty again by an actor change (174,020) and the stored
reports of components re-clustered around new ones (123,594). Every one of the last kind, and most
of the second, was scored before with exactly the same inputs.

What a score is a function of (``event_clusters.match_score``): the two reports (``EventUnit``,
every field), the rules, the publication date passed for the first one's article, and of the actor
index only the facts of the actors the two reports name as place, core participant or person named
beside them (``refs``, ``kb_of`` and ``country`` of each: kind, name, knowledge-base id, country).
A report's value and those facts are digested once per actor index (blake2b of their msgpack,
128 bits); a pair is scored again unless both digests, the publication date and the rules object
are the ones it was last scored with. So a kept score is the score ``match_score`` would give:
decisions, ids and evidence are unchanged (``tests/extract/test_pair_scores.py``).

Kept per process (a worker's merges, the API's synchronous writes), at most ``LIMIT`` pairs, least
recently used dropped first; only database-backed merges use it (``ingest.merging.merge_into``),
not a full build in memory, where every pair is scored once anyway.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import date
from typing import Any

import msgspec

from service.merge import event_clusters
from service.merge.actor_clusters import ActorIndex
from service.merge.event_units import EventUnit, UnitKey
from service.merge.rules import MergeRules

Score = tuple[float, dict[str, Any]] | None
"""What ``match_score`` returns: the score and its evidence, or None when the rule refuses the pair."""

LIMIT = 300_000
"""Pairs kept per process (some 100 bytes each, the digests included)."""

_encoder = msgspec.msgpack.Encoder()


class PairScores:
    """``match_score`` with the scores of pairs whose inputs did not change kept (module docstring)."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.hits = 0
        self.misses = 0
        self._table: OrderedDict[tuple[UnitKey, UnitKey], tuple[bytes, bytes, date | None, Score]] = (
            OrderedDict()
        )
        self._rules: MergeRules | None = None
        self._actors: ActorIndex | None = None
        self._digests: dict[UnitKey, tuple[EventUnit, bytes]] = {}

    def score(
        self,
        a: EventUnit,
        b: EventUnit,
        actors: ActorIndex,
        rules: MergeRules,
        published: date | None = None,
    ) -> Score:
        """``match_score(a, b, actors, rules, published=published)``, from the table when it holds
        this pair scored on the same inputs."""
        if rules is not self._rules:
            self._table.clear()  # other rules: nothing kept applies (the object is held, its id not reused)
            self._rules = rules
        if actors is not self._actors:
            self._digests = {}
            self._actors = actors
        da, db = self._digest(a, actors), self._digest(b, actors)
        pair = (a.key, b.key)
        table = self._table
        entry = table.get(pair)
        if entry is not None and entry[0] == da and entry[1] == db and entry[2] == published:
            table.move_to_end(pair)
            self.hits += 1
            return entry[3]
        self.misses += 1
        result = event_clusters.match_score(a, b, actors, rules, published=published)
        table[pair] = (da, db, published, result)
        table.move_to_end(pair)
        if len(table) > self.limit:
            table.popitem(last=False)
        return result

    def _digest(self, u: EventUnit, actors: ActorIndex) -> bytes:
        """The digest of a report's value and of the facts ``match_score`` reads about the actors it
        names, computed once per report and actor index."""
        known = self._digests.get(u.key)
        if known is not None and known[0] is u:
            return known[1]
        named = sorted({*u.core, *u.context, *((u.location,) if u.location else ())})
        facts = [(x, actors.refs.get(x), actors.kb_of.get(x), actors.country.get(x)) for x in named]
        digest = hashlib.blake2b(_encoder.encode((u, facts)), digest_size=16).digest()
        self._digests[u.key] = (u, digest)
        return digest

    def clear(self) -> None:
        """Forget every kept score."""
        self._table.clear()
        self._digests = {}
        self._actors = None
        self._rules = None


SCORES = PairScores()
"""This process's kept scores (``ingest.merging.merge_into`` hands it to every merge)."""
