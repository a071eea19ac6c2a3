"""Classes of events and dates that extractor 0.11.3 reads (docs/extraction.md, "Extractor 0.11.3
(events and dates)"): "البارحة الأولى" is the day before yesterday (like "أمس الأول"), while a bare
"البارحة" stays yesterday; and a person held in a passive or a decision, "تم التحفظ على الفاعل"،
"قررت النيابة التحفظ على المتهم" (a COERCE arrest), never a reservation about a thing nor goods
or papers held ("أبدت التحفظ على القرار"، "تم التحفظ على المركبة").

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from test_date_classes_0619 import date_of, doc_of, events_of

from service.extract.text.dates import scan_dates
from service.extract.text.normalize import fold

MONDAY = date(2015, 7, 27)


def _relative_offsets(text: str) -> list[int]:
    return [
        f.relative.offset_days
        for f in scan_dates(fold(text))
        if f.basis == "relative" and f.relative is not None and f.relative.unit == "day"
    ]


# the day before yesterday


def test_the_first_yesternight_is_the_day_before_yesterday() -> None:
    assert _relative_offsets("افتتح المحافظ المهرجان البارحة الأولى في مقر المعارض") == [-2]
    assert _relative_offsets("وصل الوفد البارحة الاولى إلى العاصمة") == [-2]


def test_a_bare_yesternight_stays_yesterday() -> None:
    assert _relative_offsets("افتتح المحافظ المهرجان البارحة في مقر المعارض") == [-1]
    # "الأولى" that does not follow "البارحة" is an ordinal, no day
    assert _relative_offsets("جرت الجولة الأولى من المفاوضات في جنيف") == []


def test_an_event_of_the_first_yesternight_is_dated_two_days_back() -> None:
    doc = doc_of("اعتقلت الشرطة ثلاثة مسلحين في مدينة الموصل البارحة الأولى.", MONDAY)
    (arrest,) = events_of(doc, "COERCE")
    assert date_of(doc, arrest) == date(2015, 7, 25)
    doc = doc_of("اعتقلت الشرطة ثلاثة مسلحين في مدينة الموصل البارحة.", MONDAY)
    (arrest,) = events_of(doc, "COERCE")
    assert date_of(doc, arrest) == date(2015, 7, 26)


# a person held: "التحفظ على"


def test_a_person_held_in_a_passive_is_an_arrest() -> None:
    doc = doc_of("وأوضح المتحدث أنه تم التحفظ على الفاعل في مدينة صحار أمس.", MONDAY)
    (arrest,) = events_of(doc, "COERCE")
    assert arrest.plover_mode == "arrest"
    assert date_of(doc, arrest) == date(2015, 7, 26)


def test_a_suspect_held_is_reported_even_with_no_actor_place_or_date() -> None:
    doc = doc_of("وقررت النيابة التحفظ على المتهم لحين انتهاء التحقيق.", MONDAY)
    (arrest,) = events_of(doc, "COERCE")
    assert arrest.plover_mode == "arrest"
    doc = doc_of("كما تم التحفظ على شابين آخرين بعد الحادث.", MONDAY)
    (arrest,) = events_of(doc, "COERCE")
    assert arrest.plover_mode == "arrest"


def test_a_reservation_or_goods_held_is_no_arrest() -> None:
    for text in (
        "وأبدت الحكومة التحفظ على القرار في الرياض أمس.",
        "وتم التحفظ على المركبة في الرياض أمس.",
        "وتم التحفظ على إقاماتهم في أبها أمس واستدعاء كفلائهم.",
        "وأعلنت الهيئة التحفظ على أموال الشركة في القاهرة أمس.",
    ):
        assert events_of(doc_of(text, MONDAY), "COERCE") == [], text
