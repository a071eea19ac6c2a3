"""One event across outlets (docs/extraction.md, "Extractor 0.6.9: one event across outlets"): a
relative date ("مساء اليوم", "أمس") a day apart in two outlets no longer splits an event whose
reports share two participants, the earlier relative day dates it and the difference is a date
conflict; two reports giving the same killed and wounded are one attack even when neither names
who did it or where.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document
from service.merge import build_dataset
from service.models.resources import Event

SUNDAY, MONDAY = date(2015, 7, 26), date(2015, 7, 27)

RECEPTION_TODAY = (
    "استقبل أمير دولة قطر الشيخ تميم بن حمد آل ثاني في الدوحة مساء اليوم وزير الخارجية السعودي عادل الجبير."
)
RECEPTION_LATE_COPY = (
    "استقبل الشيخ تميم بن حمد آل ثاني أمير دولة قطر مساء اليوم وزير الخارجية السعودي عادل الجبير."
)
OTHER_GUEST = (
    "استقبل الشيخ تميم بن حمد آل ثاني أمير دولة قطر مساء اليوم وزير الخارجية التركي مولود جاويش أوغلو."
)
EXPLICIT_NEXT_DAY = (
    "استقبل الشيخ تميم بن حمد آل ثاني أمير دولة قطر يوم 28 يوليو 2015 وزير الخارجية السعودي عادل الجبير."
)


def _doc(text: str, published: date, name: str) -> Document:
    return extract_document(text, SourceMeta(external_id=name, outlet=name, published=published))


def _events(docs: list[Document], plover_type: str) -> list[Event]:
    return [e for e in build_dataset(docs).events if e.type == plover_type]


def test_a_late_copys_today_joins_the_outlets_report_of_the_day_before() -> None:
    docs = [_doc(RECEPTION_TODAY, SUNDAY, "a"), _doc(RECEPTION_LATE_COPY, MONDAY, "b")]
    assert all(d.dates[d.events[0].date].basis == "relative" for d in docs if d.events[0].date is not None)
    events = _events(docs, "CONSULT")
    assert len(events) == 1
    assert len({x.source_id for x in events[0].attributions}) == 2
    assert events[0].date.start == SUNDAY  # a crawl can put "today" late, never early
    assert [c.field for c in events[0].conflicts] == ["date"]


def test_a_day_apart_with_another_guest_stays_two_events() -> None:
    docs = [_doc(RECEPTION_TODAY, SUNDAY, "a"), _doc(OTHER_GUEST, MONDAY, "b")]
    assert len(_events(docs, "CONSULT")) == 2


def test_two_explicit_dates_two_days_apart_stay_two_events() -> None:
    docs = [_doc(RECEPTION_TODAY, SUNDAY, "a"), _doc(EXPLICIT_NEXT_DAY, MONDAY, "b")]
    assert len(_events(docs, "CONSULT")) == 2


BOMB_SATURDAY = "قتل ثلاثة جنود وجرح أربعة آخرون مساء السبت في انفجار سيارة مفخخة لدى مرور دورية."
BOMB_YESTERDAY = "وأعلنت السلطات مقتل ثلاثة جنود وجرح أربعة آخرين، أمس، في انفجار سيارة مفخخة."
BOMB_OTHER_TOLL = "قتل ثلاثة جنود وجرح ستة آخرون مساء السبت في انفجار سيارة مفخخة لدى مرور دورية."


def test_the_same_killed_and_wounded_join_two_outlets_reports_with_no_participant_or_place() -> None:
    docs = [_doc(BOMB_SATURDAY, SUNDAY, "a"), _doc(BOMB_YESTERDAY, SUNDAY, "b")]
    assert all(d.events[0].killed == 3 and d.events[0].wounded == 4 for d in docs)
    events = _events(docs, "ASSAULT")
    assert len(events) == 1
    assert len({x.source_id for x in events[0].attributions}) == 2


def test_a_different_wounded_count_keeps_two_reports_apart() -> None:
    docs = [_doc(BOMB_SATURDAY, SUNDAY, "a"), _doc(BOMB_OTHER_TOLL, SUNDAY, "b")]
    assert len(_events(docs, "ASSAULT")) == 2


def test_the_same_tolls_a_week_apart_are_two_events() -> None:
    docs = [_doc(BOMB_SATURDAY, SUNDAY, "a"), _doc(BOMB_YESTERDAY, date(2015, 8, 3), "b")]
    assert len(_events(docs, "ASSAULT")) == 2
