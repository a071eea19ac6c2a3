"""Person classes of extractor 0.9.2: a tribe after "آل" + family, a kunya's "أبو" kept with the
name, and a senator's title before a foreign name.

Every sentence here was written for these tests; none comes from the corpus.
"""

from __future__ import annotations

import pytest

from service.extract.document import Document
from service.extract.pipeline import extract_document


def persons(doc: Document) -> set[str]:
    return {e.name_ar for e in doc.entities.values() if e.kind == "person"}


def assert_spans(doc: Document) -> None:
    for m in doc.mentions:
        assert doc.text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the family word is spelt like prose ("حرمان") or unlisted, the tribe still ends the name
        ("وقال المقدم سالم بن راشد آل حرمان الشهراني إن الحريق أخمد.", "سالم بن راشد آل حرمان الشهراني"),
        ("وقال سالم بن راشد ال حرمان الشهراني إن الحريق أخمد.", "سالم بن راشد ال حرمان الشهراني"),
        ("وأوضح فهد بن ناصر آل كدمان العمري أن الحريق أخمد.", "فهد بن ناصر آل كدمان العمري"),
        # past the length limit of a long chain
        ("احتفل الشاب ماجد بن فالح بن سعد آل هادي القرني بزفافه.", "ماجد بن فالح بن سعد آل هادي القرني"),
    ],
)
def test_a_tribe_after_the_family_ends_the_name(text: str, name: str) -> None:
    doc = extract_document(text)
    assert name in persons(doc)
    assert_spans(doc)


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        # an adjective after the family is prose, not a tribe
        ("وقال سالم بن راشد آل حرمان الأمني إن الحريق أخمد.", "سالم بن راشد آل حرمان الأمني"),
        # a nisba after a family name without "آل" is unchanged: no tribe rule there
        ("وقال سالم بن راشد حرمان الشهراني إن الحريق أخمد.", "سالم بن راشد حرمان الشهراني"),
    ],
)
def test_no_tribe_without_the_family_particle_or_after_an_adjective(text: str, cut: str) -> None:
    assert cut not in persons(extract_document(text))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وقال أبو خليل الموصلي إن الهجوم فشل.", "أبو خليل الموصلي"),
        ("وكان من قادته أبو يحيى الحلبي وأبو محمد الدمشقي.", "أبو محمد الدمشقي"),
        ("وكان من قادته أبو يحيى الحلبي وأبو محمد الدمشقي.", "أبو يحيى الحلبي"),
        ("وقال أبو بكر كاموندي، رئيس اتحاد المزارعين، إن الموسم جيد.", "أبو بكر كاموندي"),
    ],
)
def test_a_kunya_stays_with_its_name(text: str, name: str) -> None:
    doc = extract_document(text)
    assert name in persons(doc)
    assert name.removeprefix("أبو ") not in persons(doc)
    assert_spans(doc)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # "أبي" after "بن" belongs to the chain read from its first word, not to a new kunya
        ("وصلى في مسجد علي بن أبي طالب بالقرية.", "أبي طالب"),
        # a place named after a kunya with no name after it gives no person
        ("ونقل السجناء إلى سجن أبو سليم أمس.", "أبو سليم"),
    ],
)
def test_no_kunya_person_where_the_particle_belongs_elsewhere(text: str, absent: str) -> None:
    assert absent not in persons(extract_document(text))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وقال السيناتور بوب هاركنز إن الاتفاق سيئ.", "بوب هاركنز"),
        ("وأكدت السيناتورة دايلا فرينكل أن الاتفاق مهم.", "دايلا فرينكل"),
        ("وأكدت السيناتورة الأمريكية دايلا فرينكل أن الاتفاق مهم.", "دايلا فرينكل"),
    ],
)
def test_a_name_after_a_senator(text: str, name: str) -> None:
    assert name in persons(extract_document(text))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the nisba after a rank stands between the rank and the name
        ("وقال العقيد السوري دايلا فرينكل إن القوات باقية.", "دايلا فرينكل"),
    ],
)
def test_a_nisba_between_a_rank_and_the_name(text: str, name: str) -> None:
    assert name in persons(extract_document(text))


def test_no_nisba_after_a_rank_that_is_also_a_common_noun() -> None:
    # "الفريق" is a team here: no person after "الفريق العراقي"
    assert persons(extract_document("الفريق العراقي مهزوم من المنتخبين في البطولة.")) == set()


def test_a_nisba_shaped_family_name_after_a_ranked_name_stays() -> None:
    people = persons(extract_document("وعين الدكتور خالد بن عبد الرحمن تونسي مستشارا في الديوان."))
    assert "خالد بن عبد الرحمن تونسي" in people


def test_prose_after_a_ranked_name_is_no_name_word() -> None:
    people = persons(extract_document("وشن السيناتور بوب هاركنز هجوما عنيفا على الاتفاق."))
    assert "بوب هاركنز" in people
    assert not any("هجوما" in p for p in people)
