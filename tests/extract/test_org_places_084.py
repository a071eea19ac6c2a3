"""Organisation and place classes of extractor 0.8.4, on sentences written for these tests: place
names that begin with و, ف or ل after a place head ("ولاية لوغار", "بولاية فلوريدا"); two-word
area names that open with "الشيخ"; organisation names cut before a relative pronoun or a
preposition ("والتي", "لدى"); the usual spellings of a listed news agency ("وكالة أنباء فارس",
"وكالة الأناضول للأنباء"); and the phrases that are none of these."""

from __future__ import annotations

import pytest
from test_org_places_073 import of_kind, run

from service.extract.document import Document


def kb_ids(doc: Document, kind: str) -> set[str | None]:
    return {e.kb_id for e in doc.entities.values() if e.kind == kind}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وسقطت قذيفة على نقطة تفتيش في ولاية لونار جنوب العاصمة.", "لونار"),
        ("وانفجرت عبوة في منطقة ليكا عند مرور الدورية.", "ليكا"),
        ("وأطلق مسلح النار في مدينة لافورد بولاية فيرمونت الأمريكية.", "فيرمونت"),
        ("وأطلق مسلح النار في مدينة لافورد بولاية فيرمونت الأمريكية.", "مدينة لافورد"),
        ("وتجمع المحتجون في بلدة ودران، قرب الحدود.", "بلدة ودران"),
        ("وعقد الاجتماع في مدينة لوريان الفرنسية أمس.", "مدينة لوريان"),
    ],
)
def test_a_name_that_begins_with_a_proclitic_letter(text: str, expected: str) -> None:
    assert expected in of_kind(run(text), "place")


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("وتحولت الساحة إلى ساحة لتصفية الحسابات بين الأطراف.", "لتصفية"),
        ("وتضم الحديقة مدينة للألعاب الترفيهية.", "للألعاب"),
        ("وإذا تحركت في أي منطقة فسوف يتم التصدي لها.", "فسوف"),
        ("وسيعاد فتح مطار وميناء المدينة أمام المساعدات.", "وميناء"),
        ("وعثر على سيارة في شارع ويبدو أن سائقها فر.", "ويبدو"),
        ("وحين يبتعد الإنسان عن بلده وأهله يحن إليهما.", "وأهله"),
        ("وكانت البلدة منطقة لسكان الجبال في الشتاء.", "لسكان"),
        ("وتوقفت الحافلة في مدينة وتوجه الركاب إلى الفندق.", "وتوجه"),
    ],
)
def test_a_proclitic_and_a_common_word_is_no_place(text: str, absent: str) -> None:
    assert not any(absent in t for t in of_kind(run(text), "place"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وسقطت قذيفة قرب كمين أمني بمنطقة الشيخ مسعود أمس.", "الشيخ مسعود"),
        ("وقتل شاب في منطقة الشيخ رضوان شمال مدينة غزة.", "الشيخ رضوان"),
    ],
)
def test_an_area_named_with_sheikh(text: str, expected: str) -> None:
    assert expected in of_kind(run(text), "place")


def test_a_person_with_sheikh_after_a_definite_area_noun_is_no_place() -> None:
    doc = run("وحضر الحفل رجل الأعمال بالمحافظة الشيخ سالم الحربي.")
    assert not any("الشيخ" in t for t in of_kind(doc, "place"))


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("وأعلنت الأجهزة ضبط أعضاء في تنظيم الإخوان والتي تستهدف المنشآت.", None, "والتي"),
        ("وتأخرت التأشيرات في السفارة الهولندية التي سلمتها أمس.", "السفارة الهولندية", "التي"),
        ("واستدعت الوزارة القائم بأعمال السفارة الإيرانية لدى البحرين.", "السفارة الإيرانية", "لدى"),
        ("وطالب الإطار القيادي لمنظمة التحرير الفلسطينية والذي يضم الفصائل.", None, "والذي"),
    ],
)
def test_an_organisation_name_ends_before_a_relative_or_a_preposition(
    text: str, expected: str | None, absent: str
) -> None:
    orgs = of_kind(run(text), "organization")
    assert orgs
    assert not any(absent in t for t in orgs)
    if expected is not None:
        assert expected in orgs


def test_words_that_continue_an_organisation_name_still_do() -> None:
    orgs = of_kind(run("وأعلنت وزارة الصحة والسكان عن حملة جديدة."), "organization")
    assert "وزارة الصحة والسكان" in orgs


@pytest.mark.parametrize(
    ("text", "kb_id"),
    [
        ("وقالت وكالة أنباء فارس إن الاجتماع انتهى.", "org.fars_agency"),
        ("وقال مسؤول لوكالة الأناضول للأنباء إن الطريق أغلق.", "org.anadolu"),
        ("ونقلت وكالة تسنيم للأنباء عن مسؤول قوله إن الجولة انتهت.", "org.tasnim"),
        ("وقالت قوة إيساف التابعة للحلف الأطلسي إنها تحقق.", "org.isaf"),
        ("وقالت قوة إيساف التابعة للحلف الأطلسي إنها تحقق.", "org.nato"),
    ],
)
def test_usual_spellings_of_listed_bodies(text: str, kb_id: str) -> None:
    assert kb_id in kb_ids(run(text), "organization")


def test_an_unlisted_agency_with_news_in_its_name_is_not_a_listed_one() -> None:
    doc = run("وقالت وكالة أنباء الجنوب إن الطريق أغلق.")
    assert "org.fars_agency" not in kb_ids(doc, "organization")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "وضبطت الأجهزة أعضاء في اللجان بمحافظات (المنوفية ، كفرالزيات ، دمياط ، البحيرة).",
            {"المنوفية", "كفرالزيات", "دمياط", "البحيرة"},
        ),
        (
            "ووقع العقد لمباني الفروع بمحافظات (مرات - حريملاء - حوطة سدير) أمس.",
            {"مرات", "حريملاء", "حوطة سدير"},
        ),
        ("وتحكم العائلات ثلاث قرى (كفر القلعة والنسوان ونطاط) منذ عقود.", {"كفر القلعة", "النسوان", "نطاط"}),
        ("وطالب سكان قرى «الحمراء، الخضراء، البيضاء» بالخدمات.", {"الحمراء", "الخضراء", "البيضاء"}),
    ],
)
def test_a_bracketed_list_after_a_plural_place_noun(text: str, expected: set[str]) -> None:
    assert expected <= of_kind(run(text), "place")


@pytest.mark.parametrize(
    "text",
    [
        "وزار محافظات (الشمال، والجنوب) خلال الأسبوع.",
        "وقصفت الطائرات قرى (عدة مرات) خلال الليل.",
        "وتضررت مدن (كثيرة) من السيول.",
        "وانتشرت القوات في مدن (تقول الحكومة إنها آمنة) منذ الصباح.",
    ],
)
def test_a_bracket_after_a_plural_place_noun_that_is_no_list(text: str) -> None:
    assert not of_kind(run(text), "place")
