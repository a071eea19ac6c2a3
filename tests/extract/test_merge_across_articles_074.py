"""Across articles, extractor 0.7.4 (docs/extraction.md "Extractor 0.7.4 (across articles)"): an
attack recalled undated by its place and toll in a later article joins the report of it. Each
positive case has negative cases beside it.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document
from service.merge.build import build_dataset
from service.models.resources import Event

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
