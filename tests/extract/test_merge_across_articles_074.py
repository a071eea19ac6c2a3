"""Across articles, extractor 0.7.4 (docs/extraction.md "Extractor 0.7.4 (across articles)"): an
attack recalled undated by its place and toll in a later article joins the report of it; a toll that
an armed group claims in an article that also gives the official toll is a count conflict. Each
positive case has negative cases beside it.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document
from service.merge.build import build_dataset
from service.models.resources import Conflict, Event

DAY = date(2015, 7, 22)


def article(text: str, outlet: str, published: date = DAY) -> Document:
    return extract_document(
        text, SourceMeta(outlet=outlet, published=published, external_id=f"{outlet}:{text}")
    )


def outlets(docs: list[Document], plover_type: str = "ASSAULT") -> list[tuple[str, ...]]:
    events: list[Event] = build_dataset(docs, "test").events
    return sorted(
        tuple(sorted({a.outlet or "" for a in e.attributions})) for e in events if e.type == plover_type
    )


def count_conflicts(*docs: Document) -> list[tuple[str, list[str]]]:
    conflicts: list[Conflict] = build_dataset(list(docs), "test").conflicts
    return sorted((c.field, [v.value for v in c.values]) for c in conflicts if c.field.startswith("count:"))


BOMBING = "قتل 32 شخصا أمس في تفجير انتحاري استهدف تجمعا لناشطين في مدينة سروج جنوب تركيا."
RECALLED = "وبعد يومين على الهجوم الذي أوقع 32 قتيلا في سروج، شنت الطائرات التركية غارات على مواقع التنظيم."
OTHER_TOLL = "وبعد يومين على الهجوم الذي أوقع 12 قتيلا في سروج، شنت الطائرات التركية غارات على مواقع التنظيم."
IN_A_COUNTRY = (
    "وبعد يومين على الهجوم الذي أوقع 32 قتيلا في تركيا، شنت الطائرات التركية غارات على مواقع التنظيم."
)


def test_an_attack_recalled_undated_by_its_place_and_toll_is_one_event() -> None:
    later = article(RECALLED, "b", date(2015, 7, 24))
    assert ("a", "b") in outlets([article(BOMBING, "a"), later])


def test_another_toll_at_the_same_place_stays_apart() -> None:
    later = article(OTHER_TOLL, "b", date(2015, 7, 24))
    assert ("a", "b") not in outlets([article(BOMBING, "a"), later])


def test_the_same_toll_in_the_same_country_only_stays_apart() -> None:
    later = article(IN_A_COUNTRY, "b", date(2015, 7, 24))
    assert ("a", "b") not in outlets([article(BOMBING, "a"), later])


def test_the_same_toll_at_the_same_place_weeks_later_stays_apart() -> None:
    later = article(RECALLED, "b", date(2015, 8, 30))
    assert ("a", "b") not in outlets([article(BOMBING, "a"), later])


OFFICIAL = "أعلنت وزارة الدفاع الجزائرية مقتل تسعة جنود في كمين بولاية عين الدفلى مساء الجمعة."
GROUP_CLAIM = " وقال تنظيم القاعدة في بيان إن عناصره قتلوا 14 جنديا في الكمين."
OFFICIAL_CLAIM = " وقال مسؤول محلي إن 14 جنديا قتلوا في الكمين."
ROUND_UP = " وفي هجوم آخر قتل خمسة جنود قرب الحدود."


def test_a_toll_claimed_by_an_armed_group_is_a_count_conflict() -> None:
    found = count_conflicts(article(OFFICIAL + GROUP_CLAIM, "a"))
    assert ("count:killed", ["9", "14"]) in found


def test_another_count_by_an_official_is_not_a_claimed_toll() -> None:
    assert count_conflicts(article(OFFICIAL + OFFICIAL_CLAIM, "a")) == []


def test_a_round_up_with_a_third_toll_has_no_claimed_count_conflict() -> None:
    assert count_conflicts(article(OFFICIAL + GROUP_CLAIM + ROUND_UP, "a")) == []
