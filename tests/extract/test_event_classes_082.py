"""Classes of event that extractor 0.8.2 reads differently (docs/extraction.md, "Extractor 0.8.2
(events)"): a summons or recall of an envoy with the subject between verb and envoy; a diplomatic
protest (a note of protest) and a voiced disapproval ("أعرب عن استغرابه") as accusations; "احتجاجا
على" (in protest at) as the manner of another act, not a demonstration; and the undated lead of a
wire whose next sentence tells an act of "today", dated that day. Each class has negative tests.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document

SUNDAY = date(2015, 7, 26)


def doc_of(text: str, outlet: str | None = None) -> Document:
    return extract_document(text, SourceMeta(published=SUNDAY, outlet=outlet))


def kinds(text: str) -> list[tuple[str, str]]:
    return [(e.plover_type, e.trigger) for e in doc_of(text).events]


def types(text: str) -> set[str]:
    return {e.plover_type for e in doc_of(text).events}


# a summons or recall of an envoy, the subject between


@pytest.mark.parametrize(
    "text",
    [
        "استدعت مملكة هولندا سفيرها لدى فنزويلا للتشاور بعد تصريحات عدائية متكررة.",
        "واستدعت وزارة الخارجية الكويتية القائم بالأعمال العراقي وسلمته رسالة شديدة اللهجة.",
        "وقررت الحكومة الأردنية استدعاء سفيرها في تل أبيب للتشاور.",
    ],
)
def test_a_summons_of_an_envoy_is_a_sanction(text: str) -> None:
    assert "SANCTION" in types(text)


@pytest.mark.parametrize(
    "text",
    [
        "وقال المدير إن الحادث استدعى تدخل فرق الدفاع المدني لإخماد الحريق.",
        "واستدعت إدارة المستشفى الطبيب المناوب إلى قسم الطوارئ.",
    ],
)
def test_a_summons_without_an_envoy_is_no_sanction(text: str) -> None:
    assert "SANCTION" not in types(text)


# a diplomatic protest and a voiced disapproval are accusations


@pytest.mark.parametrize(
    "text",
    [
        "وسلمت وزارة الخارجية الكويتية السفير مذكرة احتجاج رسمية على التصريحات الأخيرة.",
        "وأعرب الأمين العام لجامعة الدول العربية عن استغرابه من تناقض التصريحات الإسرائيلية.",
    ],
)
def test_a_note_of_protest_or_a_voiced_disapproval_is_an_accusation(text: str) -> None:
    found = types(text)
    assert "ACCUSE" in found
    assert "PROTEST" not in found


def test_a_disapproval_of_no_one_is_no_accusation() -> None:
    assert "ACCUSE" not in types("وأعرب عن سعادته بالنتائج التي حققها المنتخب في البطولة.")


# "in protest at" is the manner of another act


@pytest.mark.parametrize(
    "text",
    [
        "وطردت حكومة البيرو السفير الفنزويلي احتجاجا على تصريحات الرئيس الفنزويلي.",
        "وقدم ثلاثة من أعضاء المجلس استقالتهم احتجاجاً على قرار الحكومة الأخير.",
    ],
)
def test_in_protest_at_is_no_demonstration(text: str) -> None:
    assert "PROTEST" not in types(text)


@pytest.mark.parametrize(
    "text",
    [
        "وتظاهر مئات العمال أمس أمام مبنى البرلمان في أثينا احتجاجا على خفض الأجور.",
        "ونظم أكثر من مئتي طالب احتجاجا أمام وزارة التعليم في سانتياغو أمس.",
    ],
)
def test_a_demonstration_told_with_in_protest_at_stays(text: str) -> None:
    assert "PROTEST" in types(text)


# a wire's undated lead takes the "today" of the act told right after it


def lead_date(text: str) -> date | None:
    doc = doc_of(text, outlet="alriyadh")
    first = min(doc.events, key=lambda e: e.trigger_start)
    return doc.dates[first.date].start_date if first.date is not None else None


def test_an_undated_lead_takes_the_today_of_the_next_sentence() -> None:
    text = (
        "اتهمت وزارة الخارجية الهولندية الحكومة الفنزويلية بدعم المتمردين في الإقليم. "
        "وأدانت لاهاي بشدة في بيان أصدرته وزارة الخارجية اليوم استمرار التصريحات العدائية."
    )
    assert lead_date(text) == SUNDAY


def test_an_undated_lead_without_today_after_it_keeps_the_lead_day() -> None:
    text = (
        "اتهمت وزارة الخارجية الهولندية الحكومة الفنزويلية بدعم المتمردين في الإقليم. "
        "وأدانت لاهاي بشدة في بيان أصدرته وزارة الخارجية استمرار التصريحات العدائية."
    )
    assert lead_date(text) == date(2015, 7, 25)


def test_a_today_of_a_later_sentence_says_nothing_of_the_lead() -> None:
    text = (
        "اتهمت وزارة الخارجية الهولندية الحكومة الفنزويلية بدعم المتمردين في الإقليم. "
        "وقال المتحدث إن العلاقات بين البلدين تمر بمرحلة صعبة. "
        "وأدانت لاهاي بشدة في بيان أصدرته وزارة الخارجية اليوم استمرار التصريحات العدائية."
    )
    assert lead_date(text) == date(2015, 7, 25)
