"""Regression floors on the written test sets (tests/golden/heldout*, tests/golden/written_*):
articles composed in other outlets' styles, with other years and people than the seeds, annotated
by hand. Rules were tuned on most of them, so they guard against regressions; they do not measure
generalisation (docs/extraction.md). Floors sit under the measured scores: a drop below one is a
regression to look at."""

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
    # its person and place failures were tuned on
    "heldout3": {
        ("actors", "person", "f1"): 0.85,
        ("actors", "place", "f1"): 0.8,
        ("actors", "organization", "f1"): 0.7,
        ("claims", "f1"): 0.85,
        ("events", "precision"): 0.4,
    },
    # tuned on: these floors guard the fit
    "written_long_names": {
        ("actors", "person", "f1"): 0.9,
        ("actors", "organization", "f1"): 0.85,
        ("actors", "place", "f1"): 0.85,
        ("roles", "recall"): 0.85,
        ("claims", "f1"): 0.9,
        ("events", "precision"): 0.85,
        ("events", "recall"): 0.85,
    },
    # measured once untuned (0.69/0.64 people, 0.70/0.47 organisations ...), then tuned on: these
    # floors guard the fit
    "written_aid_protest_shipping": {
        ("actors", "person", "f1"): 0.9,
        ("actors", "organization", "f1"): 0.85,
        ("actors", "place", "f1"): 0.9,
        ("roles", "recall"): 0.9,
        ("claims", "f1"): 0.9,
        ("events", "precision"): 0.9,
        # 0.9 until 0.6.2: the Tokyo signing was matched only because the emir (صباح الأحمد الجابر
        # الصباح) and his foreign minister (صباح خالد الحمد الصباح) were one actor; with the
        # fathers told apart, the events stage's reading of the signers (the two leaders) shows
        ("events", "recall"): 0.8,
    },
    # run once with 0.2.0 and once with 0.3.0 before it was looked at; floors under the 0.3.0 run
    "written_datelines_orgs_places": {
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
def test_written_set_scores_stay_above_their_floors(name: str, path: tuple[str, ...]) -> None:
    value: Any = report(name)
    for part in path:
        value = value[part]
    assert value >= FLOORS[name][path], report(name)


@pytest.mark.parametrize("name", list(FLOORS))
def test_no_reported_non_comment_becomes_a_claim(name: str) -> None:
    assert report(name)["claims"]["non_claim_violations"] == []
