"""Names from ordinary phrases, names cut by titles, and actors named by a nisba.

Ordinary phrases are not people: a noun with a possessive pronoun or the accusative ending after a
given name ("معين والده", "هادي قراراً"), a given name that is also a noun before a definite plural
("أسماء المرشحين"). A royal or honorific title before a listed person's short name does not cut
the rest of the name off into a second person. A consulate or embassy named by its country's
nisba is an organisation. Sentences written for these tests.
"""

from __future__ import annotations

import pytest

from service.extract.pipeline import extract_document


def people(text: str) -> set[str]:
    return {e.name_ar for e in extract_document(text).entities.values() if e.kind == "person"}


@pytest.mark.parametrize(
    "text",
    [
        "وطالبت الأسر بنشر أسماء المرشحين قبل موعد الانتخابات.",
        "ونقلت الصحيفة عن معين والده الملك أن الزيارة ناجحة.",
        "وقدم ولي ولي العهد وتمنياته بالتوفيق للحجاج.",
        "ونشرت الهيئة أسماء أصحابها بدءاً من الأسبوع المقبل.",
        "وأكد أن رفعت ضده دعوى قضائية في المحكمة.",
    ],
)
def test_ordinary_phrases_are_not_people(text: str) -> None:
    assert not people(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("أصدر الرئيس اليمني عبد ربه منصور هادي قراراً جمهورياً بتعيين محافظ جديد.", "عبد ربه منصور هادي"),
        ("وقال الوزير عادل حسين عبده إن الميناء سيفتتح قريباً.", "عادل حسين عبده"),
        ("وصرح المتحدث طه ياسين بأن المعبر سيفتح غداً.", "طه ياسين"),
    ],
)
def test_a_name_stops_before_an_inflected_noun_but_keeps_names_that_end_like_one(
    text: str, name: str
) -> None:
    assert name in people(text)


@pytest.mark.parametrize(
    "text",
    [
        "وأصدر خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود أمراً ملكياً.",
        "وأصدر خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود - حفظه الله - أمراً ملكياً.",
    ],
)
def test_a_royal_title_does_not_cut_the_name_in_two(text: str) -> None:
    doc = extract_document(text)
    persons = [e for e in doc.entities.values() if e.kind == "person"]
    assert [e.kb_id for e in persons] == ["person.king_salman"]
    [mention] = [doc.mentions[i] for i in persons[0].mentions]
    assert mention.text.endswith("آل سعود")


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("وقالت القنصلية السعودية في إسطنبول إن الموظفين غادروا المبنى.", "القنصلية السعودية في إسطنبول"),
        ("وأعلنت السفارة الكويتية في لندن تعليق خدماتها.", "السفارة الكويتية في لندن"),
    ],
)
def test_a_consulate_named_by_its_country_s_nisba_is_an_organisation(text: str, org: str) -> None:
    doc = extract_document(text)
    orgs = {e.name_ar: e for e in doc.entities.values() if e.kind == "organization"}
    assert org in orgs and orgs[org].country is not None
    assert not any(e.kind == "country" for e in doc.entities.values())


def test_the_country_itself_is_still_the_country() -> None:
    doc = extract_document("وقالت السعودية إنها سترسل مساعدات إلى اليمن.")
    assert any(e.kb_id == "country.sa" for e in doc.entities.values())


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("وأعلن ديوان المظالم ترقية عشرة قضاة.", "ديوان المظالم"),
        ("وتبنت جماعة أنصار الشريعة الهجوم على الحاجز.", "أنصار الشريعة"),
    ],
)
def test_organisations_named_by_their_head_noun(text: str, org: str) -> None:
    doc = extract_document(text)
    assert org in {e.name_ar for e in doc.entities.values() if e.kind == "organization"}


def test_a_newspaper_spoken_to_is_the_relay() -> None:
    doc = extract_document("وقال المتحدث سامر الخطيب لـ«عكاظ» إن المتهمين يعاملون معاملة كريمة.")
    [claim] = doc.claims
    assert doc.entities[claim.via].kb_id == "org.okaz"
    assert doc.entities[claim.speaker].name_ar == "سامر الخطيب"
