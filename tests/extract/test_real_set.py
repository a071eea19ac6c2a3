"""The real development set (tests/golden/real/): its annotation is well-formed, and the evaluation
runs on it. The articles live in the shared corpus; without it the text checks skip, with the reason,
and only the structure of the annotation is checked."""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest

from service.corpora import CorpusMissing
from service.extract.evaluate_real import date_fits, evaluate_real
from service.extract.real_set import (
    DATE_VALUE,
    HELD_BACK_DAYS,
    SETS,
    RealGold,
    check_gold,
    load_set,
    read_articles,
)
from service.merge import extract
from service.models.resources import EventDate

NAMES = sorted(name for name, path in SETS.items() if path.exists())
MINIMUM = {
    "real-dev": 30,
    "real-dev2": 10,
    "real-dev3": 18,
    "real-dev4": 20,
    "real-dev5": 24,
    "real-dev6": 20,
    "real-dev7": 22,
    "real-dev8": 22,
    "real-dev9": 22,
    "real-dev10": 22,
    "real-heldback": 15,
}


@cache
def texts(name: str) -> dict[str, str]:
    gold = load_set(name)
    try:
        articles = read_articles(gold)
    except CorpusMissing as exc:
        pytest.skip(f"shared corpus absent: {exc}")
    return {a.key: text for a, (text, _) in zip(gold.articles, articles, strict=True)}


def test_both_parts_exist() -> None:
    every = [f"real-dev{n}" for n in ("", 2, 3, 4, 5, 6, 7, 8, 9, 10)] + ["real-heldback"]
    assert NAMES in (sorted(every), ["real-heldback"])


def test_no_article_is_in_two_sets() -> None:
    """Each development batch was annotated blind: none may reuse an article (or its text) of another set."""
    seen: dict[str, str] = {}
    for name in NAMES:
        for article in load_set(name).articles:
            for key in (article.ref, article.sha256):
                assert key not in seen, f"{key} is in {seen[key]} and {name}"
                seen[key] = name


@pytest.mark.parametrize("name", NAMES)
def test_the_annotation_is_structurally_sound(name: str) -> None:
    gold: RealGold = load_set(name)
    assert gold.set == name
    assert len(gold.articles) >= MINIMUM[name]
    assert check_gold(gold, {}) == []
    days = {a.ref.partition("#")[0] for a in gold.articles}
    assert (days <= HELD_BACK_DAYS) if name == "real-heldback" else not (days & HELD_BACK_DAYS)
    assert len({a.ref for a in gold.articles}) == len(gold.articles)
    assert any(len(e.sources) > 1 for e in gold.events), "clusters: events reported by several articles"


@pytest.mark.parametrize("name", NAMES)
def test_every_quote_and_surface_is_in_its_article_and_checksums_match(name: str) -> None:
    assert check_gold(load_set(name), texts(name)) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_evaluation_runs_on_the_real_set(name: str) -> None:
    gold = load_set(name)
    texts(name)  # skips without the corpus
    report = evaluate_real(extract(read_articles(gold)), gold)
    assert report["events"]["found"]["total"] == sum(1 for e in gold.events if e.core)
    assert report["claims"]["found"]["total"] == sum(1 for c in gold.claims if c.core)
    assert report["conflicts"]["found"]["total"] == len(gold.conflicts)


@pytest.mark.parametrize("name", NAMES)
def test_the_command_says_in_one_line_when_the_corpus_is_absent(tmp_path, name: str) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "MARSAD_CORPUS_DIR": str(tmp_path / "nowhere")}
    run = subprocess.run(
        [sys.executable, "-m", "service.extract.evaluate", "--set", name],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.startswith("error: corpus 'saudinewsnet' not found at") and run.stderr.count("\n") == 1


def test_an_unknown_set_is_one_line_too() -> None:
    from service.extract.evaluate import main

    assert main(["--set", "real-nothing"]) == 2


def test_iterating_the_corpus_leaves_the_held_back_days_out() -> None:
    """Tuning code iterates the corpus with saudinewsnet(); the held-back days must not come with it."""
    from service import corpora

    try:
        days = corpora.saudinewsnet_days()
    except corpora.CorpusMissing as exc:
        pytest.skip(str(exc))
    assert set(days) >= corpora.HELD_BACK_DAYS
    first_of_each = {}
    for article in corpora.saudinewsnet():
        first_of_each.setdefault(article.day, article.ref)
    assert set(first_of_each) == set(days) - corpora.HELD_BACK_DAYS
    with pytest.raises(ValueError, match="held back"):
        next(corpora.saudinewsnet(["2015-08-01"]))
    assert next(corpora.saudinewsnet(["2015-08-01"], held_back=True)).day == "2015-08-01"


@pytest.mark.parametrize("value", ["2015", "2015-07", "2015-07-31", "2015-07-01/2015-07-31"])
def test_a_gold_date_the_scorer_reads_passes_the_check(value: str) -> None:
    assert DATE_VALUE.match(value)
    date_fits(EventDate(start=date(2015, 7, 31), end=None, precision="day", basis="explicit"), [value])


@pytest.mark.parametrize("value", ["2000/2015-06-30", "2015-07/2015-07-31", "2015-7-31", "yesterday"])
def test_a_gold_date_the_scorer_cannot_read_fails_the_check(value: str) -> None:
    assert not DATE_VALUE.match(value)
