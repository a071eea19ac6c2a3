"""Regression floors on held-out articles (tests/golden/heldout): other outlets, years and people
than the seeds, annotated by hand. Floors sit under the measured scores (docs/extraction.md)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from service.articles import read_articles
from service.config import PROJECT_ROOT
from service.extract.evaluate import evaluate
from service.extract.pipeline import extract

HELDOUT = PROJECT_ROOT / "tests" / "golden"


@cache
def report() -> dict[str, Any]:
    gold = json.loads((HELDOUT / "heldout.gold.json").read_text())
    articles = read_articles([HELDOUT / "heldout"])
    return evaluate(extract([(a.text, a.meta) for a in articles]), gold)


FLOORS = {
    ("actors", "person", "f1"): 0.9,
    ("actors", "organization", "f1"): 0.8,
    ("actors", "place", "f1"): 0.8,
    ("claims", "f1"): 0.85,
    ("events", "precision"): 0.75,
    ("events", "recall"): 0.75,
}


@pytest.mark.parametrize("path", list(FLOORS), ids=lambda p: ".".join(p))
def test_heldout_scores_stay_above_their_floors(path: tuple[str, ...]) -> None:
    value: Any = report()
    for part in path:
        value = value[part]
    assert value >= FLOORS[path], report()


def test_no_reported_non_comment_becomes_a_claim() -> None:
    assert report()["claims"]["non_claim_violations"] == []
