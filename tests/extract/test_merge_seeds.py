"""The cross-article stages on the five seed articles, run through the whole pipeline."""

from __future__ import annotations

import random
from datetime import date
from functools import cache
from pathlib import Path

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document
from service.merge import build_dataset
from service.merge.dataset import Dataset

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@cache
def seed_docs() -> tuple[Document, ...]:
    return tuple(
        extract_document(p.read_text(encoding="utf-8"), SourceMeta(external_id=p.name))
        for p in sorted(SEEDS.glob("*.txt"))
    )


@cache
def dataset() -> Dataset:
    return build_dataset(list(seed_docs()))


def _sources() -> dict[str, str]:
    """Source id -> seed number ("000" ...)."""
    return {s.source.id: (s.source.external_id or "")[:3] for s in dataset().sources}


def _event_with(*names: str) -> list:
    return [e for e in dataset().events if set(names) <= {ea.actor.name_en for ea in e.actors}]


def test_shuffled_inputs_give_identical_bytes() -> None:
    expected = msgspec.json.encode(dataset())
    docs = list(seed_docs())
    rng = random.Random(3)
    for _ in range(3):
        rng.shuffle(docs)
        assert msgspec.json.encode(build_dataset(docs)) == expected


def test_every_span_slices_its_source_to_the_quote() -> None:
    texts = {s.source.id: s.text for s in dataset().sources}
    attributions = [a for e in dataset().events for a in e.attributions]
    attributions += [c.attribution for c in dataset().claims]
    attributions += [a for actor in dataset().actors for alias in actor.aliases for a in alias.attributions]
    attributions += [r.attribution for actor in dataset().actors for r in actor.roles]
    attributions += [a for c in dataset().conflicts for v in c.values for a in v.attributions]
    assert attributions
    for att in attributions:
        assert texts[att.source_id][att.span[0] : att.span[1]] == att.quote
    for row in dataset().mentions:
        assert texts[row.source_id][row.start : row.end] == row.quote


def test_the_undated_article_000_is_dated_from_003() -> None:
    published = {(s.source.external_id or "")[:3]: s.source.published for s in dataset().sources}
    assert published["000"].date == date(2025, 10, 3)
    assert published["000"].basis == "inferred"
    assert published["000"].reason and "أمس" in published["000"].reason
    assert published["003"].date == date(2025, 10, 4) and published["003"].basis == "dateline"


def test_the_naasan_talks_in_moscow_are_one_event_from_three_articles() -> None:
    (event,) = _event_with("Ali al-Naasan")
    assert event.date.start == date(2025, 10, 2)
    assert event.location is not None and event.location.name_en == "Moscow"
    assert {_sources()[a.source_id] for a in event.attributions} == {"000", "002", "003"}
    assert event.source_count == 3


def test_shaibanis_meetings_merge_across_002_and_003() -> None:
    by_date = {e.date.start: e for e in _event_with("Asaad al-Shaibani")}
    assert {_sources()[a.source_id] for a in by_date[date(2025, 9, 9)].attributions} == {"002", "003"}
    # 000's "first official visit ... last July" is the same visit, if it is linked at all.
    assert {_sources()[a.source_id] for a in by_date[date(2025, 7, 31)].attributions} >= {"002", "003"}


def test_sharaas_planned_summit_visit_is_one_planned_event() -> None:
    (event,) = _event_with("Ahmed al-Sharaa")
    assert event.status == "planned" and event.date.start == date(2025, 10, 15)
    assert {_sources()[a.source_id] for a in event.attributions} == {"000", "002", "003"}


def test_the_chief_of_staffs_rank_is_a_conflict() -> None:
    (conflict,) = [
        c for c in dataset().conflicts if c.field == "rank" and c.subject.name_en == "Ali al-Naasan"
    ]
    values = {v.value: {_sources()[a.source_id] for a in v.attributions} for v in conflict.values}
    assert values == {"الفريق أول": {"000"}, "اللواء": {"002", "003"}}


def test_the_s400_speculation_and_its_denial_contradict() -> None:
    (event,) = [e for e in dataset().events if "S-400 Triumf" in {ea.actor.name_en for ea in e.actors}]
    assert event.status == "denied"
    (conflict,) = [c for c in event.conflicts if c.field == "status"]
    assert conflict.kind == "claim"
    claims = {c.id: c for c in dataset().claims}
    denial = next(c for c in claims.values() if c.stance == "denies" and c.event_id == event.id)
    assert denial.contradicts
    for other in denial.contradicts:
        assert denial.id in claims[other].contradicts
        assert _sources()[claims[other].attribution.source_id] == "000"


def test_summaries_exist_in_both_languages() -> None:
    (event,) = _event_with("Asaad al-Shaibani", "Alexander Novak")
    assert event.summary.en.endswith("in Damascus on 9 September 2025.")
    assert "Asaad al-Shaibani" in event.summary.en and "أسعد الشيباني" in event.summary.ar


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 40)), min_size=1, max_size=6), st.randoms())
def test_articles_recombined_from_seed_paragraphs_merge_cleanly(
    picks: list[tuple[int, int]], rng: random.Random
) -> None:
    """New articles made of seed paragraphs: the merge never fails, spans hold, order does not matter."""
    paragraphs = [[p for p in d.text.split("\n") if p.strip()] for d in seed_docs()]
    articles = []
    for n, (seed, start) in enumerate(picks):
        chosen = paragraphs[seed][start % len(paragraphs[seed]) :][:3]
        articles.append(extract_document(f"({n})\n" + "\n".join(chosen), SourceMeta(external_id=f"x{n}")))
    ds = build_dataset(articles)
    texts = {s.source.id: s.text for s in ds.sources}
    for event in ds.events:
        assert event.summary.en and event.summary.ar
        for att in event.attributions:
            assert texts[att.source_id][att.span[0] : att.span[1]] == att.quote
    for claim in ds.claims:
        assert (
            texts[claim.attribution.source_id][claim.attribution.span[0] : claim.attribution.span[1]]
            == claim.attribution.quote
        )
    shuffled = articles[:]
    rng.shuffle(shuffled)
    assert msgspec.json.encode(build_dataset(shuffled)) == msgspec.json.encode(ds)
