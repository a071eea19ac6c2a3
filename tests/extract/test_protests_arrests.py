"""Protests and arrests told without a named party: the protesters dispersed, the suspects
arrested ("اعتقال بعضهم", "القبض على عدد منهم"), crowds gathering; and a time of day after a
clause word ("بعد ظهر الأحد") that does not end the clause. Sentences written for these tests.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document

FRIDAY = date(2015, 7, 24)


def kinds(doc: Document) -> list[tuple[str, str | None]]:
    return [(e.plover_type, e.plover_mode) for e in doc.events]


@pytest.mark.parametrize(
    "text",
    [
        "وفرقت الشرطة مساء الجمعة في أنقرة مئات المتظاهرين بالغاز المسيل للدموع.",
        "وقمعت قوات الأمن مسيرة نظمها أنصار المعارضة وسط العاصمة.",
    ],
)
def test_a_dispersed_protest_is_repression_and_a_protest(text: str) -> None:
    found = kinds(extract_document(text))
    assert ("COERCE", "repress") in found


def test_the_protesters_dispersed_are_a_protest() -> None:
    doc = extract_document("وفرقت الشرطة مساء الجمعة في أنقرة مئات المتظاهرين الغاضبين.")
    assert any(t == "PROTEST" for t, _ in kinds(doc))


@pytest.mark.parametrize(
    "text",
    [
        "وقال المصدر إن عدداً من المشتبه بتورطهم في التفجير تم تحديد هويتهم واعتقال بعضهم.",
        "وأكد أن التحريات أسفرت عن تحديد هوية المشتبه بهم والقبض على عدد منهم.",
        "وأشار إلى حملات مداهمة نفذتها الشرطة في عدة مدن لاعتقال مشتبه بهم.",
    ],
)
def test_arrests_of_unnamed_suspects_are_events(text: str) -> None:
    assert ("COERCE", "arrest") in kinds(extract_document(text))


@pytest.mark.parametrize(
    "text",
    [
        "ورفعت الحكومة حالة الاعتقال الإداري عن الصحفيين.",
        "وفرقت الأمطار الغزيرة الحشود في السوق.",
    ],
)
def test_no_arrest_or_repression_without_someone_it_was_done_to(text: str) -> None:
    assert not [k for k in kinds(extract_document(text)) if k[0] == "COERCE"]


def test_a_crowd_gathering_in_the_afternoon_keeps_its_day_and_place() -> None:
    doc = extract_document(
        "ومن المتوقع أن يتجمع آلاف الأشخاص بعد ظهر الأحد في إسطنبول.", SourceMeta(published=FRIDAY)
    )
    [protest] = [e for e in doc.events if e.plover_type == "PROTEST"]
    assert protest.status == "planned" and protest.location is not None
    assert protest.date is not None and doc.dates[protest.date].start_date == date(2015, 7, 26)
