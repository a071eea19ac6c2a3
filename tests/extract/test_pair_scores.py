"""Pair scores kept across merges (``merge/pair_scores.py``) are the scores ``match_score`` gives:
on every pair a full build of the written articles scores, kept or not; and a pair is scored
again when a report, a fact of an actor it names, the publication date or the rules change."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from service.merge import event_clusters, layer_events
from service.merge.build import build_dataset
from service.merge.event_clusters import match_score
from service.merge.pair_scores import PairScores
from service.merge.rules import merge_rules
from tests.extract.test_merge_shortcuts import written_docs


def scored_pairs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """(a, b, actor index, published) of every pair a full build of the written articles scores."""
    calls: list[tuple[Any, ...]] = []
    real = event_clusters.match_score

    def recorded(a: Any, b: Any, actors: Any, rules: Any, *args: Any, **kwargs: Any) -> Any:
        if not args:  # not inferring (publication dates): the calls the event layer makes
            calls.append((a, b, actors, kwargs.get("published")))
        return real(a, b, actors, rules, *args, **kwargs)

    for module in (event_clusters, layer_events):
        monkeypatch.setattr(module, "match_score", recorded)
    build_dataset(written_docs(), "test")
    monkeypatch.undo()
    return calls


def test_kept_scores_are_match_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = scored_pairs(monkeypatch)
    rules = merge_rules()
    scores = PairScores()
    for _ in range(2):  # the second round is answered from the table
        for a, b, actors, published in calls:
            assert scores.score(a, b, actors, rules, published) == match_score(
                a, b, actors, rules, published=published
            )
    assert len(calls) > 100 and scores.hits >= len(calls), (len(calls), scores.hits, scores.misses)
    assert sum(match_score(a, b, x, rules, published=p) is not None for a, b, x, p in calls) > 10


def test_a_changed_input_is_scored_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A report's field, a fact of an actor it names (its country, its knowledge-base id, its
    kind), the publication date: each changes the key, and the score follows ``match_score``."""
    calls = scored_pairs(monkeypatch)
    rules = merge_rules()
    scores = PairScores()
    for a, b, actors, published in calls:
        scores.score(a, b, actors, rules, published)
    moved = 0
    for a, b, actors, published in calls:
        named = sorted(a.core & b.core) or ([a.location] if a.location else [])
        if not named:
            continue
        x = named[0]
        other_refs = dict(actors.refs)
        ref = other_refs[x]
        other_refs[x] = msgspec.structs.replace(ref, kind="country" if ref.kind != "country" else "org")
        variants = [
            msgspec.structs.replace(actors, country={**actors.country, x: "elsewhere"}),
            msgspec.structs.replace(actors, kb_of={k: v for k, v in actors.kb_of.items() if k != x}),
            msgspec.structs.replace(actors, refs=other_refs),
        ]
        before = match_score(a, b, actors, rules, published=published)
        for changed in variants:
            expected = match_score(a, b, changed, rules, published=published)
            assert scores.score(a, b, changed, rules, published) == expected
            moved += expected != before
        shifted = msgspec.structs.replace(b, start=None, end=None, precision="unknown")
        assert scores.score(a, shifted, actors, rules, published) == match_score(
            a, shifted, actors, rules, published=published
        )
    assert moved > 0  # some change of an actor's facts does move a score: the key must hold them


def test_the_table_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = scored_pairs(monkeypatch)
    scores = PairScores(limit=10)
    for a, b, actors, published in calls:
        scores.score(a, b, actors, merge_rules(), published)
    assert len(scores._table) == 10
    few = PairScores(units_limit=3)
    for a, b, actors, published in calls:
        assert few.score(a, b, actors, merge_rules(), published) == match_score(
            a, b, actors, merge_rules(), published=published
        )
    assert len(few._units) == 3


def test_published_is_read_for_one_articles_reports_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept scores key the publication date only for two reports of one article: across
    articles ``match_score`` must not read it (else the key would miss an input)."""
    from datetime import date

    calls = scored_pairs(monkeypatch)
    rules = merge_rules()
    across = [(a, b, x) for a, b, x, _ in calls if a.key[0] != b.key[0]]
    assert len(across) > 20
    for a, b, actors in across:
        first = match_score(a, b, actors, rules, published=None)
        for day in (date(2015, 7, 21), date(1990, 1, 1), date(2030, 1, 1)):
            assert match_score(a, b, actors, rules, published=day) == first
