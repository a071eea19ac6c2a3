"""Regression floors on the held-out articles (tests/golden/heldout*): other outlets, years
and people than the seeds, annotated by hand. Floors sit under the scores measured when each set was
added (docs/extraction.md): a drop below one is a regression to look at."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from service.articles import read_articles
from service.config import PROJECT_ROOT
from service.extract.evaluate import evaluate
from service.merge import extract

GOLDEN = PROJECT_ROOT / "tests" / "golden"


@cache
def report(name: str) -> dict[str, Any]:
    gold = json.loads((GOLDEN / f"{name}.gold.json").read_text())
    articles = read_articles([GOLDEN / name])
    return evaluate(extract([(a.text, a.meta) for a in articles]), gold)


FLOORS = {
    "heldout": {
        ("actors", "person", "f1"): 0.9,
        ("actors", "organization", "f1"): 0.8,
        ("actors", "place", "f1"): 0.85,
        ("claims", "f1"): 0.9,
        ("events", "precision"): 0.75,
        ("events", "recall"): 0.75,
    },
    "heldout2": {
        ("actors", "person", "f1"): 0.7,
        ("actors", "organization", "f1"): 0.7,
        ("actors", "place", "f1"): 0.65,
        ("claims", "f1"): 0.85,
        ("events", "precision"): 0.6,
        ("events", "recall"): 0.65,
    },
    # its person and place failures were tuned on in round 5
    "heldout3": {
        ("actors", "person", "f1"): 0.85,
        ("actors", "place", "f1"): 0.8,
        ("actors", "organization", "f1"): 0.7,
        ("claims", "f1"): 0.85,
        ("events", "precision"): 0.4,
    },
    # tuned on in the fourth round of rules: these floors guard the fit
    "heldout4": {
        ("actors", "person", "f1"): 0.9,
        ("actors", "organization", "f1"): 0.85,
        ("actors", "place", "f1"): 0.85,
        ("roles", "recall"): 0.85,
        ("claims", "f1"): 0.9,
        ("events", "precision"): 0.85,
        ("events", "recall"): 0.85,
    },
    # measured once untuned at the end of round 4 (0.69/0.64 people, 0.70/0.47 organisations ...);
    # tuned on in round 5: these floors guard the fit
    "heldout5": {
        ("actors", "person", "f1"): 0.9,
        ("actors", "organization", "f1"): 0.85,
        ("actors", "place", "f1"): 0.9,
        ("roles", "recall"): 0.9,
        ("claims", "f1"): 0.9,
        ("events", "precision"): 0.9,
        ("events", "recall"): 0.9,
    },
    # never tuned on: run once with 0.2.0 before round 5 and once with 0.3.0 at its end
    "heldout6": {
        ("actors", "person", "f1"): 0.75,
        ("actors", "organization", "f1"): 0.65,
        ("actors", "place", "f1"): 0.65,
        ("claims", "f1"): 0.9,
        ("events", "precision"): 0.65,
        ("events", "recall"): 0.6,
    },
}
CASES = [(name, path) for name, floors in FLOORS.items() for path in floors]


@pytest.mark.parametrize(("name", "path"), CASES, ids=lambda v: v if isinstance(v, str) else ".".join(v))
def test_heldout_scores_stay_above_their_floors(name: str, path: tuple[str, ...]) -> None:
    value: Any = report(name)
    for part in path:
        value = value[part]
    assert value >= FLOORS[name][path], report(name)


@pytest.mark.parametrize("name", list(FLOORS))
def test_no_reported_non_comment_becomes_a_claim(name: str) -> None:
    assert report(name)["claims"]["non_claim_violations"] == []
