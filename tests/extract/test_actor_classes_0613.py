"""Actor classes read by extractor 0.6.13, counted on the unannotated SaudiNewsNet day 2015-07-23
(and over all non-held-back days) before they were fixed: long patronymic chains cut after a name
particle, players' and photographers' names listed with a standalone tatweel as a dash, a sports
unit ("كرة القدم") read as a name after a club role, an official's nationality spelt like a given
name ("مسؤول تركي"), and, across articles, one person written
with and without the article on the family name, or by a first + last name (or "given + آل +
house") in one outlet and by the full patronymic chain in another.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document
from service.merge import extract

THURSDAY = date(2015, 7, 23)


def doc_of(text: str) -> Document:
    return extract_document(text, SourceMeta(published=THURSDAY))


def persons(doc: Document) -> set[str]:
    return {e.name_ar for e in doc.entities.values() if e.kind == "person"}


# --- a long patronymic chain is not cut after its particle -------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "واستقبل الأمير نواف بن فيصل بن فهد آل سعود أمس وفد الاتحاد.",
            "نواف بن فيصل بن فهد آل سعود",
        ),
        (
            "وأوضح سليمان بن عبدالله بن حمد آل الشيخ أن البرنامج يبدأ غدا.",
            "سليمان بن عبدالله بن حمد آل الشيخ",
        ),
        (
            "وحضر الأمير تركي بن طلال بن سعود بن عبدالعزيز حفل التخرج.",
            "تركي بن طلال بن سعود بن عبدالعزيز",
        ),
    ],
)
def test_a_long_chain_keeps_the_word_after_its_last_particle(text: str, name: str) -> None:
    found = persons(doc_of(text))
    assert name in found
    assert not any(n.endswith((" آل", " بن")) for n in found)


def test_a_short_name_still_stops_before_prose() -> None:
    found = persons(doc_of("وقال الأمير فيصل بن سلمان إن المشروع مهم."))
    assert found == {"فيصل بن سلمان"}


# --- a standalone tatweel is a dash between names ----------------------------------------------


def test_names_listed_with_a_tatweel_dash_are_several_people() -> None:
    text = "وضمت قائمة المنتخب كلا من: ماجد العنزي ـ سلطان الدوسري ـ خالد المطيري ـ بدر القحطاني."
    found = persons(doc_of(text))
    assert {"ماجد العنزي", "سلطان الدوسري", "خالد المطيري", "بدر القحطاني"} <= found
    assert not any("ـ" in n for n in found)


def test_a_tatweel_inside_a_word_does_not_split_the_name() -> None:
    found = persons(doc_of("وأكد الأمير محمد بن سلمـان بن عبدالعزيز دعم المشروع."))
    assert not any(n in ("محمد", "سلمان بن عبدالعزيز") for n in found)


# --- a sports unit after a club role is part of the role ---------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وغادرت البعثة برئاسة المدير العام لكرة القدم ناصر الهويمل إلى فرنسا.", "ناصر الهويمل"),
        ("من جهته، أوضح مدير إدارة كرة القدم فيصل البطي إن الفريق جاهز.", "فيصل البطي"),
        ("وقال مدرب كرة السلة منصور الخريجي إن اللاعبين في حالة جيدة.", "منصور الخريجي"),
    ],
)
def test_a_sports_unit_is_no_name(text: str, name: str) -> None:
    found = persons(doc_of(text))
    assert name in found
    assert not any("كرة" in n or "القدم" in n for n in found)


# --- a demonym spelt like a given name after an indefinite role --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "وقال مسؤول تركي طلب عدم نشر اسمه إن الطائرات عادت إلى قواعدها.",
        "وأكد دبلوماسي تركي كبير أن المحادثات ستستأنف الأسبوع المقبل.",
    ],
)
def test_an_officials_nationality_is_no_name(text: str) -> None:
    assert persons(doc_of(text)) == set()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وقال المستشار تركي الحمدان إن البرنامج يبدأ غدا.", "تركي الحمدان"),
        ("واحتفل الشاب تركي بن مفلح القحطاني بتخرجه أمس.", "تركي بن مفلح القحطاني"),
    ],
)
def test_the_given_name_turki_after_a_role_is_still_a_name(text: str, name: str) -> None:
    assert name in persons(doc_of(text))


# --- across articles ---------------------------------------------------------------------------


def _dataset(texts: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    return extract(
        [
            (text, SourceMeta(external_id=f"t{i}", outlet=outlet, published=THURSDAY, language="ar"))
            for i, (text, outlet) in enumerate(texts)
        ]
    )


def _people(texts: list[tuple[str, str]]) -> list[set[str]]:
    data = _dataset(texts)
    return [{a.name.ar, *(x.text for x in a.aliases)} for a in data.actors if a.kind == "person"]


def test_a_family_name_with_and_without_the_article_is_one_person_across_outlets() -> None:
    found = _people(
        [
            ("أعلن المهندس وائل المطيويع افتتاح المعرض في الخبر.", "outlet-a"),
            ("وقال وائل مطيويع إن المعرض يستمر أسبوعا.", "outlet-b"),
        ]
    )
    assert len(found) == 1


def test_a_father_name_is_not_a_family_name_with_the_article() -> None:
    # "فهد صالح" is Salih's son, "فهد الصالح" of the Al-Salih family: two people
    found = _people(
        [
            ("أعلن المهندس فهد الصالح افتتاح المعرض في الخبر.", "outlet-a"),
            ("وقال فهد صالح إن المباراة تقام غدا في جدة.", "outlet-b"),
        ]
    )
    assert len(found) == 2


def test_a_first_and_last_name_joins_the_full_chain_across_outlets() -> None:
    # a courtesy title in one outlet and an office in the other do not contradict
    found = _people(
        [
            ("وافتتح معالي وزير الصحة مشاري بن حمود الهديبان المؤتمر الطبي في الرياض.", "outlet-a"),
            ("وقال الدكتور مشاري الهديبان إن المؤتمر يناقش أمراض القلب.", "outlet-b"),
        ]
    )
    assert len(found) == 1


def test_two_sons_of_one_father_stay_apart() -> None:
    found = _people(
        [
            ("وافتتح الدكتور مشاري بن حمود الهديبان المؤتمر الطبي في الرياض.", "outlet-a"),
            ("وقال المهندس ثامر بن حمود الهديبان إن المصنع جاهز.", "outlet-b"),
        ]
    )
    assert len(found) == 2


def test_a_short_name_joins_one_chain_never_two_that_differ_in_the_father() -> None:
    found = _people(
        [
            ("وافتتح الدكتور مشاري بن حمود الهديبان المؤتمر الطبي في الرياض.", "outlet-a"),
            ("وكرم المهندس مشاري بن سعد الهديبان الفائزين في جدة.", "outlet-b"),
            ("وقال مشاري الهديبان إن الجوائز وزعت.", "outlet-c"),
        ]
    )
    assert len(found) == 2


def test_offices_that_contradict_keep_a_short_name_apart() -> None:
    found = _people(
        [
            ("وافتتح معالي وزير الصحة مشاري بن حمود الهديبان المؤتمر الطبي في الرياض.", "outlet-a"),
            ("وقال محافظ الأحساء مشاري الهديبان إن المهرجان يبدأ غدا.", "outlet-b"),
        ]
    )
    assert len(found) == 2


def test_a_large_tribe_name_needs_more_than_the_short_name() -> None:
    # "الغامدي" is borne by thousands: a first + last name with it joins no full chain unaided
    found = _people(
        [
            ("وافتتح الدكتور محمد بن سعيد الغامدي المؤتمر الطبي في الرياض.", "outlet-a"),
            ("وقال محمد الغامدي إن المباراة تقام غدا في جدة.", "outlet-b"),
        ]
    )
    assert len(found) == 2


def test_a_house_name_joins_the_full_chain_of_an_unlisted_house() -> None:
    found = _people(
        [
            ("وافتتح الدكتور عايض بن محمد آل مريع المؤتمر الطبي في أبها.", "outlet-a"),
            ("وقال الدكتور عايض آل مريع إن المؤتمر يناقش أمراض القلب.", "outlet-b"),
        ]
    )
    assert len(found) == 1


def test_a_ruling_house_name_needs_more_than_the_short_name() -> None:
    # thousands of princes are "X آل سعود": the short form joins no chain without an anchor
    found = _people(
        [
            ("وافتتح الأمير فهد بن سعد بن فيصل آل سعود المعرض في أبها.", "outlet-a"),
            ("وقال فهد آل سعود إن المباراة تقام غدا في جدة.", "outlet-b"),
        ]
    )
    assert len(found) == 2
