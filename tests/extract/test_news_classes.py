"""Constructions of real news that extractor 0.5.0 reads as classes: sentence boundaries,
reporting cues and their conjugations, attributions after the content, statements named by their
document, light-verb events, and what is not an event.

The sentences are written for these tests in the style of wire and newspaper reports (several per
class); none is copied from an article. Each class has tests that it reads what it should and that
nothing is invented.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.claims.conjugation import conjugations
from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document

SATURDAY = date(2015, 7, 25)


def doc_of(text: str) -> Document:
    return extract_document(text, SourceMeta(published=SATURDAY))


def speaker_names(doc: Document) -> list[str | None]:
    return [doc.entities[c.speaker].name_ar if c.speaker else None for c in doc.claims]


# --- sentence boundaries: one-letter abbreviations --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "وقالت مصادر لوكالة الأنباء الألمانية (د. ب. أ) إن الجيش قصف مواقع التنظيم.",
        "وذكرت وكالة (أ. ف. ب) أن الشرطة فرقت المتظاهرين.",
        "وقال د. خالد العتيبي إن المستشفى استقبل المصابين.",
    ],
)
def test_a_one_letter_abbreviation_does_not_end_the_sentence(text: str) -> None:
    doc = doc_of(text)
    assert len(doc.sentences) == 1
    assert len(doc.claims) == 1


def test_a_sentence_still_ends_after_a_word_or_a_number() -> None:
    doc = doc_of("وقع الانفجار في عام 2015. وقال الشهود إن الحصيلة ارتفعت. وانتهى الاجتماع.")
    assert len(doc.sentences) == 3


# --- reporting verbs and participles in the dual and plural -----------------------------------


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("وقالا في بيان مشترك إن المحادثات كانت بناءة.", "وقالا"),
        ("وأكدوا أن الاجتماع سيعقد في موعده.", "وأكدوا"),
        ("وأضافوا أن الشرطة أغلقت الطريق.", "وأضافوا"),
        ("ويقولون إن الأسعار سترتفع.", "ويقولون"),
        ("ونفوا أن يكون الجيش قد قصف القرية.", "ونفوا"),
        ("وغادر النواب القاعة مؤكدين أنهم سيقاطعون الجلسة.", "مؤكدين"),
    ],
)
def test_dual_and_plural_reporting_cues_open_a_claim(text: str, cue: str) -> None:
    doc = doc_of(text)
    assert [c.cue for c in doc.claims] == [cue]


def test_a_plural_denial_keeps_its_stance() -> None:
    doc = doc_of("ونفى المسؤولون أن يكون الجيش قد قصف القرية. ونفوا كذلك وجود قوات أجنبية.")
    assert [c.stance for c in doc.claims] == ["denies", "denies"]


@pytest.mark.parametrize(
    "text",
    [
        "وحصل الطالب على منحة، وسجل طالبا آخر في الجامعة.",  # a student, not "the two demanded"
        "ونفى الجيش الخبر نفياً قاطعاً.",  # one denial, not two
        "ويقدم الكتاب كشفا بأسماء المشاركين.",  # a list, not "the two revealed"
        "وكان الموظف تابعا للوزارة.",  # affiliated, not "the two went on"
    ],
)
def test_a_verbal_noun_spelt_like_a_dual_is_no_cue(text: str) -> None:
    doc = doc_of(text)
    cues = {c.cue for c in doc.claims}
    assert not cues & {"طالبا", "نفياً", "كشفا", "تابعا"}


def test_conjugations_follow_the_shape_of_the_listed_form() -> None:
    more = conjugations(["قال", "يقول", "تقول", "نفى", "ينفي", "أوضح", "كشف", "توقع"])
    assert {"قالا", "قالوا", "يقولون", "يقولان", "تقولان", "نفوا", "ينفون", "اوضحا", "اوضحوا"} <= set(more)
    assert not {"نفيا", "كشفا", "توقعا"} & set(more)  # spelt like the verbal noun
    assert more["ينفون"] == "ينفي"
    assert conjugations(["مؤكداً", "نافياً"], participle=True).keys() >= {"موكدين", "نافين"}
