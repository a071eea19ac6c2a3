"""A learned event-pair matcher, measured and not shipped (docs/extraction.md, "Across articles: a
learned matcher (eighth session)"; issue #15, item 3).

A logistic regression over the evidence the hand rules weigh (``pair_features``), trained on the
cross-article report pairs of the nine real development batches by ``bench/pair_matcher.py``, which
also measures it leave-one-batch-out and on a replay of unannotated days. ``learned_decision`` is how
it would correct the rules (``event_clusters.rule_score`` in the experiment, the rules' verdict):

- a pair the rules join is refused when the model's probability is below ``threshold``;
- a pair the rules refuse is joined from ``adding_threshold`` on, provided the two have one type and
  their dates are no further apart than the rules ever accept (``date_tolerance_days``) and the
  rules do not refuse them as one template about two people (``_counterparts``).

Scoring is pure Python, symmetric in the two reports and deterministic. It stays in bench/: on the
project's own written articles it turned three decisions, all wrongly (two with ``_counterparts``;
see the docs section).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import msgspec

from service.merge.actor_clusters import ActorIndex
from service.merge.event_units import EventUnit, copy_words, date_gap, same_place
from service.merge.rules import MergeRules

FEATURES = (
    "bias",
    "rule_join",
    "rule_score",
    "date_gap",
    "both_dated",
    "one_undated",
    "same_day",
    "same_mode",
    "same_status",
    "same_place",
    "both_placed",
    "shared_people",
    "shared_orgs",
    "shared_other",
    "only_one_org",
    "people_disjoint",
    "shared_countries",
    "countries_disjoint",
    "same_killed",
    "killed_differ",
    "word_overlap",
    "word_shared",
    "headline_any",
    "published_gap",
)

Result = tuple[float, dict[str, Any]] | None


class PairModel(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The weights file: one weight per feature (in ``FEATURES`` order) and the two thresholds."""

    features: list[str]
    weights: list[float]
    threshold: float
    adding_threshold: float
    trained_on: str

    def probability(self, x: list[float]) -> float:
        z = sum(w * v for w, v in zip(self.weights, x, strict=True))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def load_pair_model(path: Path) -> PairModel:
    """A weights file written by ``bench/pair_matcher.py --write``; one whose features differ from
    ``FEATURES`` fails loudly."""
    model = msgspec.json.decode(path.read_bytes(), type=PairModel)
    if tuple(model.features) != FEATURES or len(model.weights) != len(FEATURES):
        raise ValueError(f"{path}: its features differ from pair_model.FEATURES")
    return model


def pair_features(a: EventUnit, b: EventUnit, actors: ActorIndex, result: Result) -> list[float]:
    """The evidence of two reports of different articles as numbers in [0, 1], symmetric in ``a``
    and ``b``: the rules' verdict and score, the dates, mode, status, place, shared participants by
    kind (one organisation alone is its own feature), countries, tolls, and the overlap of their
    sentences' content words (``copy_words``)."""
    kinds = [actors.refs[x].kind if x in actors.refs else "" for x in sorted(a.core & b.core)]
    people = sum(k == "person" for k in kinds)
    orgs = sum(k == "organization" for k in kinds)
    other = len(kinds) - people - orgs
    wa, wb = copy_words(a.quote), copy_words(b.quote)
    shared_words = len(wa & wb)
    dated = a.start is not None and b.start is not None
    published = (
        abs((a.published - b.published).days) if a.published is not None and b.published is not None else 0
    )
    place = same_place(a, b)
    return [
        1.0,
        float(result is not None),
        result[0] if result is not None else 0.0,
        min(date_gap(a, b), 7) / 7,
        float(dated),
        float((a.start is None) != (b.start is None)),
        float(dated and a.precision == b.precision == "day" and a.start == b.start),
        float(a.mode is not None and a.mode == b.mode),
        float(a.status == b.status),
        float(place),
        float(a.location is not None and b.location is not None),
        min(people, 2) / 2,
        min(orgs, 2) / 2,
        min(other, 2) / 2,
        float(orgs == 1 and people == 0 and other == 0 and not place),
        float(bool(a.people and b.people and a.people.isdisjoint(b.people))),
        float(bool(a.countries & b.countries)),
        float(bool(a.countries and b.countries and a.countries.isdisjoint(b.countries))),
        float(a.killed is not None and a.killed == b.killed),
        float(a.killed is not None and b.killed is not None and a.killed != b.killed),
        shared_words / (len(wa | wb) or 1),
        min(shared_words, 10) / 10,
        float(a.headline or b.headline),
        min(published, 7) / 7,
    ]


def _counterparts(a: EventUnit, b: EventUnit) -> bool:
    """The rules' refusals of one template about two people (``copies``, ``counterparts_differ``),
    and reports whose participants differ in the people or places they name on both sides."""
    from service.merge.event_clusters import counterparts_differ

    if a.people and b.people and a.people.isdisjoint(b.people):
        return True
    return counterparts_differ(a, b)


def learned_decision(
    a: EventUnit, b: EventUnit, actors: ActorIndex, rules: MergeRules, result: Result, model: PairModel
) -> Result:
    """The rules' ``result`` for two reports of different articles, corrected by the model: a join
    below ``threshold`` is refused, a refusal at or above ``adding_threshold`` (one type, dates
    within ``date_tolerance_days``, not one template about two people: ``_counterparts``) becomes a
    join whose evidence says it was learned."""
    p = model.probability(pair_features(a, b, actors, result))
    if result is not None:
        return result if p >= model.threshold else None
    if p < model.adding_threshold or a.type != b.type:
        return None
    gap = date_gap(a, b)
    if gap > rules.match.date_tolerance_days or _counterparts(a, b):
        return None
    evidence: dict[str, Any] = {
        "type": a.type,
        "modes": sorted({m for m in (a.mode, b.mode) if m}),
        "shared_participants": sorted(a.core & b.core),
        "shared_context_people": [],
        "same_location": a.location if same_place(a, b) else None,
        "shared_countries": sorted(a.countries & b.countries),
        "dates": [d.isoformat() if d else None for d in (a.start, b.start)],
        "date_gap_days": gap,
        "learned_probability": round(p, 4),
    }
    return round(p, 4), evidence
