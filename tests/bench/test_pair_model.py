"""The learned pair matcher of the eighth session (bench/pair_model.py, measured and not shipped):
its features are symmetric in the two reports, and its decision only corrects the rules the way
docs/extraction.md says (a rule join refused below the threshold, a refusal turned into a join only
from the adding threshold, with one type, dates within the rules' tolerance, and never for one
template about two people).

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bench.pair_model import FEATURES, PairModel, _counterparts, learned_decision, pair_features
from service.extract.document import SourceMeta
from service.extract.pipeline import extract_document
from service.merge import build_dataset, layer_events

SUNDAY, MONDAY = date(2015, 7, 26), date(2015, 7, 27)
SAUDI_GUEST = (
    "استقبل أمير دولة قطر الشيخ تميم بن حمد آل ثاني في الدوحة مساء اليوم وزير الخارجية السعودي عادل الجبير."
)
SAUDI_GUEST_COPY = (
    "استقبل الشيخ تميم بن حمد آل ثاني أمير دولة قطر في الدوحة مساء اليوم وزير الخارجية السعودي عادل الجبير."
)
TURKISH_GUEST = "استقبل الشيخ تميم بن حمد آل ثاني أمير دولة قطر في الدوحة مساء اليوم وزير الخارجية التركي مولود جاويش أوغلو."


def _pairs(texts: list[tuple[str, date]]) -> list[tuple[Any, Any, Any, Any, Any]]:
    """Every cross-article pair a real build of ``texts`` scores: (a, b, actors, rules, rule result)."""
    docs = [
        extract_document(t, SourceMeta(external_id=f"o{i}", outlet=f"o{i}", published=day))
        for i, (t, day) in enumerate(texts)
    ]
    seen: list[tuple[Any, Any, Any, Any, Any]] = []
    real = layer_events.match_score

    def recording(a: Any, b: Any, actors: Any, rules: Any, **kw: Any) -> Any:
        result = real(a, b, actors, rules, **kw)
        if a.key[0] != b.key[0] and not kw.get("inferring"):
            seen.append((a, b, actors, rules, result))
        return result

    layer_events.match_score = recording  # type: ignore[assignment]
    try:
        build_dataset(docs)
    finally:
        layer_events.match_score = real  # type: ignore[assignment]
    return seen


def _model(weights: dict[str, float], threshold: float, adding: float) -> PairModel:
    return PairModel(
        features=list(FEATURES),
        weights=[weights.get(f, 0.0) for f in FEATURES],
        threshold=threshold,
        adding_threshold=adding,
        trained_on="test",
    )


def test_features_are_symmetric_over_a_join_and_a_non_join() -> None:
    pairs = _pairs([(SAUDI_GUEST, SUNDAY), (SAUDI_GUEST_COPY, SUNDAY), (TURKISH_GUEST, MONDAY)])
    assert pairs
    verdicts = set()
    for a, b, actors, _, result in pairs:
        assert pair_features(a, b, actors, result) == pair_features(b, a, actors, result)
        verdicts.add(result is not None)
    assert verdicts == {True, False}  # the rules join the copy and refuse the other guest


def test_the_decision_refuses_below_the_threshold_and_adds_only_from_the_adding_one() -> None:
    pairs = _pairs([(SAUDI_GUEST, SUNDAY), (SAUDI_GUEST_COPY, SUNDAY), (TURKISH_GUEST, MONDAY)])
    joined = [p for p in pairs if p[4] is not None]
    refused = [p for p in pairs if p[4] is None and p[0].type == p[1].type]
    assert joined and refused
    trusting = _model({"rule_join": 20.0, "bias": -10.0}, 0.5, 0.99)  # the rules' verdict, nothing else
    never = _model({"bias": -20.0}, 0.5, 0.99)
    always = _model({"bias": 20.0}, 0.5, 0.5)
    for a, b, actors, rules, result in joined:
        assert learned_decision(a, b, actors, rules, result, trusting) == result
        assert learned_decision(a, b, actors, rules, result, never) is None
    for a, b, actors, rules, result in refused:
        assert learned_decision(a, b, actors, rules, result, trusting) is None
        # the emir's Saudi guest and, a day later, his Turkish one: one template about two people,
        # which no probability turns into one event (``_counterparts``)
        assert _counterparts(a, b)
        assert learned_decision(a, b, actors, rules, result, always) is None
    a, b, actors, rules, result = joined[0]
    refused_by_rules = learned_decision(a, b, actors, rules, None, always)  # as if the rules had refused
    assert refused_by_rules is not None and refused_by_rules[1]["learned_probability"] == 1.0
    assert refused_by_rules[1]["date_gap_days"] <= rules.match.date_tolerance_days
