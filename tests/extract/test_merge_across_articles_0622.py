"""One event across articles (extractor 0.6.22, docs/extraction.md "Extractor 0.6.22 (across
articles)"): a wire sentence reworded by one outlet joins the other's copy when it is undated or
tied only by countries; a copy, or the same unlisted victim, a day apart is one event with a date
conflict. Each positive case has negative cases beside it that must stay apart.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document
from service.merge.build import build_dataset
from service.merge.event_units import copy_words
from service.merge.rules import merge_rules
from service.models.resources import Event

DAY = date(2015, 7, 30)


def article(text: str, outlet: str, published: date = DAY) -> Document:
    return extract_document(
        text, SourceMeta(outlet=outlet, published=published, external_id=f"{outlet}:{text}")
    )


def events_of(plover_type: str, *docs: Document) -> list[Event]:
    return sorted(
        (e for e in build_dataset(list(docs), "test").events if e.type == plover_type),
        key=lambda e: sorted(a.outlet or "" for a in e.attributions),
    )


def outlets(events: list[Event]) -> list[tuple[str, ...]]:
    return sorted(tuple(sorted({a.outlet or "" for a in e.attributions})) for e in events)


ACCUSE_A = "اتهمت البحرين إيران بالتدخل في شؤونها الداخلية ودعم الجماعات المتطرفة."
ACCUSE_REWORDED = "اتهمت البحرين إيران بالتدخل السافر في شؤونها الداخلية ودعم جماعات متطرفة."
ACCUSE_OTHER = "اتهمت البحرين إيران بعرقلة المفاوضات الإقليمية وتأجيج الصراع في المنطقة."


def _jaccard(a: str, b: str) -> float:
    wa, wb = copy_words(a), copy_words(b)
    return len(wa & wb) / len(wa | wb)


def test_a_reworded_undated_copy_tied_only_by_countries_is_one_event() -> None:
    rules = merge_rules().match
    assert rules.near_copy_similarity <= _jaccard(ACCUSE_A, ACCUSE_REWORDED) < rules.copy_similarity
    events = events_of("ACCUSE", article(ACCUSE_A, "a"), article(ACCUSE_REWORDED, "b"))
    assert outlets(events) == [("a", "b")]
    # undated both in the text (the copy carries them): the event has at most the lead day
    assert all(e.date.start is None or e.date.basis == "inferred" for e in events)


def test_the_same_countries_in_another_sentence_stay_two_events() -> None:
    assert _jaccard(ACCUSE_A, ACCUSE_OTHER) < merge_rules().match.near_copy_similarity
    events = events_of("ACCUSE", article(ACCUSE_A, "a"), article(ACCUSE_OTHER, "b"))
    assert outlets(events) == [("a",), ("b",)]


def test_a_reworded_copy_published_weeks_later_stays_apart() -> None:
    later = article(ACCUSE_REWORDED, "b", date(2015, 8, 20))
    events = events_of("ACCUSE", article(ACCUSE_A, "a"), later)
    assert outlets(events) == [("a",), ("b",)]


ARREST_TODAY = (
    "أعلنت وزارة الداخلية اليوم القبض على خلية إرهابية مكونة من خمسة أشخاص كانوا يخططون لتفجير مساجد."
)
ARREST_LATE_COPY = (
    "وأعلنت وزارة الداخلية اليوم القبض على خلية إرهابية مكونة من خمسة أشخاص كانوا يخططون لتفجير مساجد."
)


def test_a_copy_crawled_a_day_late_is_one_event_with_a_date_conflict() -> None:
    late = article(ARREST_LATE_COPY, "b", date(2015, 7, 31))
    events = events_of("COERCE", article(ARREST_TODAY, "a"), late)
    assert outlets(events) == [("a", "b")]
    assert [c.field for c in events[0].conflicts] == ["date"]
    (conflict,) = events[0].conflicts
    assert sorted(v.value for v in conflict.values) == ["2015-07-30", "2015-07-31"]
    assert all(v.attributions for v in conflict.values)


def test_a_copy_whose_today_is_days_later_stays_apart() -> None:
    late = article(ARREST_LATE_COPY, "b", date(2015, 8, 2))
    events = events_of("COERCE", article(ARREST_TODAY, "a"), late)
    assert outlets(events) == [("a",), ("b",)]


SHOT_EXPLICIT = (
    "استشهد الجندي سالم مبارك العتيبي إثر تعرضه لإطلاق نار من مجهولين مساء يوم الثلاثاء 28 يوليو 2015."
)
SHOT_RELATIVE = "أصيب الجندي سالم مبارك العتيبي بطلقات نارية مساء أمس الأول."
SHOT_TWO_DAYS = "أصيب الجندي سالم مبارك العتيبي بطلقات نارية مساء أمس."


def test_the_same_unlisted_victim_a_day_apart_is_one_event_with_a_date_conflict() -> None:
    crawled = date(2015, 7, 31)
    events = events_of("ASSAULT", article(SHOT_EXPLICIT, "a", crawled), article(SHOT_RELATIVE, "b", crawled))
    assert outlets(events) == [("a", "b")]
    assert events[0].date.start == date(2015, 7, 28)
    assert [c.field for c in events[0].conflicts] == ["date"]


def test_the_same_unlisted_victim_two_days_apart_stays_two_events() -> None:
    crawled = date(2015, 7, 31)
    events = events_of("ASSAULT", article(SHOT_EXPLICIT, "a", crawled), article(SHOT_TWO_DAYS, "b", crawled))
    assert outlets(events) == [("a",), ("b",)]


def test_an_unlisted_visitor_on_two_days_stays_two_visits() -> None:
    """The rule is for a person something happened to; one who acts may act every day."""
    first = article("زار الدكتور سامي بن مبارك العنزي مساء اليوم المعرض الدولي للكتاب.", "a")
    second = article("زار الدكتور سامي بن مبارك العنزي مساء اليوم مستشفى الملك فهد.", "b", date(2015, 7, 31))
    assert outlets(events_of("CONSULT", first, second)) == [("a",), ("b",)]


SHELLING_TEMPLATE = (
    "قصفت المدفعية اليوم مواقع المسلحين في جبل الدخان بـ {} قذيفة، وهو القصف رقم {} منذ بداية الشهر."
)


def test_a_template_filled_with_other_figures_a_day_later_is_another_event() -> None:
    """The same words with none of the same figures: one template on two days, not a late copy."""
    first = article(SHELLING_TEMPLATE.format(40, 12), "a", date(2015, 7, 22))
    second = article(SHELLING_TEMPLATE.format(35, 13), "b", date(2015, 7, 23))
    assert _jaccard(first.events[0].quote, second.events[0].quote) >= merge_rules().match.copy_similarity
    assert outlets(events_of("ASSAULT", first, second)) == [("a",), ("b",)]
