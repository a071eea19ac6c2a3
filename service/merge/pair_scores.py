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
every field), the rules, the publication date passed for the first one's article (read only when
both reports are of one article: ``_background``, ``_recency``), and of the actor index only the
facts of the actors the two reports name as place, core participant or person named beside them
(``refs``, ``kb_of`` and ``country`` of each: kind, name, knowledge-base id, country). Each report
gets a token once per actor index: the token it had when its value and those facts were last
seen equal (compared field for field), else a new one (tokens are never reused). A pair is scored
again unless both tokens, the publication date (same-article pairs) and the rules object are the
ones it was last scored with. So a kept score is the score ``match_score`` would give: decisions,
ids and evidence are unchanged (``tests/extract/test_pair_scores.py``).

Kept per process, at most ``LIMIT`` pairs and ``UNITS_LIMIT`` reports, least recently used
dropped first. **Not switched on**: replayed over 5,000 records it kept 46 % of the pairs and saved
no measurable CPU (docs/benchmarks.md, "pair scores kept across merges"), so ``merge_into`` does
not pass it; a merge takes it through ``merge.engine.merge(..., scores=...)``.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from typing import Any

from service.merge import event_clusters
from service.merge.actor_clusters import ActorIndex
from service.merge.event_units import EventUnit, UnitKey
from service.merge.rules import MergeRules

Score = tuple[float, dict[str, Any]] | None
"""What ``match_score`` returns: the score and its evidence, or None when the rule refuses the pair."""

LIMIT = 300_000
"""Pairs kept per process (some 100 bytes each, beside the evidence of the linked ones)."""
UNITS_LIMIT = 20_000
"""Reports whose value a process keeps to compare (a few kB each); a report dropped gets a new
token when it comes back, so its pairs are scored again."""

Facts = tuple[tuple[str, Any, str | None, str | None], ...]


class PairScores:
    """``match_score`` with the scores of pairs whose inputs did not change kept (module docstring)."""

    def __init__(self, limit: int = LIMIT, units_limit: int = UNITS_LIMIT) -> None:
        self.limit = limit
        self.units_limit = units_limit
        self.hits = 0
        self.misses = 0
        self._table: OrderedDict[tuple[UnitKey, UnitKey], tuple[int, int, date | None, Score]] = OrderedDict()
        self._units: OrderedDict[UnitKey, tuple[EventUnit, Facts, int]] = OrderedDict()
        self._last = 0
        self._rules: MergeRules | None = None
        self._actors: ActorIndex | None = None
        self._tokens: dict[UnitKey, tuple[EventUnit, int]] = {}

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
            self._tokens = {}
            self._actors = actors
        ta, tb = self._token(a, actors), self._token(b, actors)
        when = published if a.key[0] == b.key[0] else None  # read for one article's reports only
        pair = (a.key, b.key)
        table = self._table
        entry = table.get(pair)
        if entry is not None and entry[0] == ta and entry[1] == tb and entry[2] == when:
            table.move_to_end(pair)
            self.hits += 1
            return entry[3]
        self.misses += 1
        result = event_clusters.match_score(a, b, actors, rules, published=published)
        table[pair] = (ta, tb, when, result)
        table.move_to_end(pair)
        if len(table) > self.limit:
            table.popitem(last=False)
        return result

    def _token(self, u: EventUnit, actors: ActorIndex) -> int:
        """The token of a report's value and of the facts ``match_score`` reads about the actors it
        names: found once per report and actor index."""
        seen = self._tokens.get(u.key)
        if seen is not None and seen[0] is u:
            return seen[1]
        named = sorted({*u.core, *u.context, *((u.location,) if u.location else ())})
        facts = tuple((x, actors.refs.get(x), actors.kb_of.get(x), actors.country.get(x)) for x in named)
        units = self._units
        kept = units.get(u.key)
        if kept is not None and kept[0] == u and kept[1] == facts:
            token = kept[2]
            units.move_to_end(u.key)
        else:
            self._last += 1
            token = self._last
            units[u.key] = (u, facts, token)
            units.move_to_end(u.key)
            if len(units) > self.units_limit:
                units.popitem(last=False)
        self._tokens[u.key] = (u, token)
        return token

    def clear(self) -> None:
        """Forget every kept score."""
        self._table.clear()
        self._units.clear()
        self._tokens = {}
        self._actors = None
        self._rules = None


SCORES = PairScores()
"""This process's kept scores, for a merge that passes them (none does by default)."""
