"""The merge's shortcuts decide exactly as the work they skip (issue #10, the critical section's CPU):

- ``overlap_as_copies`` refuses a pair on its word counts alone (the overlap is at most the smaller
  set over the larger) only where the full Jaccard test refuses it too, at both thresholds;
- ``actor_clusters.Representatives`` (each group's representative built once per ``link_groups``)
  gives the links comparing groups one pair at a time gives;
- the tolls a summary reads per quote once (``summaries._quote_toll``) are ``read_casualties``'s.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.articles import read_articles
from service.config import PROJECT_ROOT
from service.extract.document import Document
from service.extract.events.casualties import read_casualties
from service.extract.pipeline import extract_document
from service.merge.actor_clusters import Representatives, compare, link_groups
from service.merge.actor_groups import Profile, may_match, members_of, profile_from, signature
from service.merge.build import build_dataset
from service.merge.event_units import EventUnit, copy_words, overlap_as_copies
from service.merge.rules import merge_rules
from service.merge.summaries import _quote_toll
from service.text import match_key

WORDS = [
    "الوزير",
    "استقبل",
    "السفير",
    "الرياض",
    "اليوم",
    "بحث",
    "العلاقات",
    "الثنائية",
    "التعاون",
    "المشترك",
    "الاقتصادي",
    "مجلس",
    "الوزراء",
    "الجلسة",
    "قرارات",
    "المملكة",
]


def report(n: int, words: list[str]) -> EventUnit:
    return EventUnit(
        key=(f"doc{n}", 0),
        type="CONSULT",
        mode=None,
        status="occurred",
        actors=(),
        core=frozenset(),
        countries=frozenset(),
        location=None,
        start=None,
        end=None,
        precision="unknown",
        basis=None,
        quote=" ".join(words),
    )


@settings(max_examples=400, deadline=None)
@given(
    a=st.lists(st.sampled_from(WORDS), max_size=14),
    b=st.lists(st.sampled_from(WORDS), max_size=14),
    similarity=st.sampled_from([0.5, 0.75, 0.6, 1.0]),
)
def test_the_word_count_bound_refuses_only_what_jaccard_refuses(
    a: list[str], b: list[str], similarity: float
) -> None:
    rules = merge_rules()
    ua, ub = report(1, a), report(2, b)
    wa, wb = copy_words(ua.quote), copy_words(ub.quote)
    full = min(len(wa), len(wb)) >= rules.match.copy_min_words and len(wa & wb) / len(wa | wb) >= similarity
    assert overlap_as_copies(ua, ub, rules, similarity) == full


@cache
def written_docs() -> list[Document]:
    folders = [  # the written articles test_actor_groups.py reads
        PROJECT_ROOT / "seeds",
        *sorted(p for p in (PROJECT_ROOT / "tests" / "golden").iterdir() if p.is_dir() and p.name != "real"),
    ]
    return [extract_document(a.text, a.meta) for f in folders for a in read_articles([f])]


@cache
def person_groups() -> dict[str, Profile]:
    members: dict[str, list] = {}
    for d in written_docs():
        for g, cs in members_of(d).items():
            members.setdefault(g, []).extend(cs)
    return {g: profile_from(cs) for g, cs in members.items() if cs[0].kind == "person"}


def test_shared_representatives_give_the_links_of_single_comparisons() -> None:
    groups = person_groups()
    assert len(groups) > 50
    sigs = {g: signature(p) for g, p in groups.items()}
    reps = Representatives()
    compared = linked = 0
    for (a, pa), (b, pb) in itertools.combinations(sorted(groups.items()), 2):
        if set(sigs[a].keys).isdisjoint(sigs[b].keys) or not may_match(sigs[a], sigs[b]):
            continue
        compared += 1
        alone = compare(a, pa, b, pb)
        assert compare(a, pa, b, pb, reps) == alone
        linked += alone is not None
    assert compared > 0 and linked > 0
    # link_groups (which shares one ``Representatives``) links exactly the pairs compared alone.
    changed = {g: (p, sigs[g]) for g, p in groups.items()}
    expected = sorted(
        (
            x
            for (a, pa), (b, pb) in itertools.combinations(sorted(groups.items()), 2)
            if not set(sigs[a].keys).isdisjoint(sigs[b].keys)
            and may_match(sigs[a], sigs[b])
            and (x := compare(a, pa, b, pb)) is not None
        ),
        key=lambda x: (x.a, x.b),
    )
    assert link_groups(changed, {}) == expected


def test_quote_toll_is_what_the_casualty_reader_reads() -> None:
    quotes = [
        "أسفر الانفجار عن مقتل 30 شخصاً وإصابة 100 آخرين",
        "قتل خمسة أشخاص في الهجوم",
        "أصيب ثلاثة جنود بجروح",
        "استقبل الوزير السفير في الرياض",
        "",
    ]
    for quote in quotes * 2:  # the second round is read from the cache
        found = read_casualties(match_key(quote).split())
        assert _quote_toll(quote) == (found.killed, found.wounded)
    assert any(_quote_toll(q) != (None, None) for q in quotes)


def test_match_score_refuses_early_only_what_it_refuses_late(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every pair a full build of the written articles scores: ``match_score`` with its early
    refusal of pairs no anchor ties and no copy overlap (``_may_copy``) gives what it gives without."""
    from service.merge import event_clusters, layer_events, publications

    real = event_clusters.match_score
    seen = {"pairs": 0, "early": 0}

    def checked(*args: Any, **kwargs: Any) -> Any:
        fast = real(*args, **kwargs)
        with monkeypatch.context() as m:
            m.setattr(event_clusters, "_may_copy", lambda *_: True)
            slow = real(*args, **kwargs)
        assert fast == slow
        seen["pairs"] += 1
        seen["early"] += not event_clusters.anchored(args[0], args[1])
        return fast

    for module in (event_clusters, layer_events, publications):
        monkeypatch.setattr(module, "match_score", checked)
    build_dataset(written_docs(), "test")
    assert seen["pairs"] > 100 and seen["early"] > 0, seen
