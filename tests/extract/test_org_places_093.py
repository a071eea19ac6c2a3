"""Organisation and place classes of extractor 0.9.3, on sentences written for these tests: an
unlisted governorate after "محافظة" (a head that heads nothing but places), a ministry's name
with the nisba "السعودية" (also the country's name), intelligence services as bodies rather than
their country, descriptive adjectives after a place head ("مطار دولي"), a definite head and a
participle before a preposition ("اللجنة الهادفة إلى"); and the phrases that are none of these."""

from __future__ import annotations

import pytest
from test_org_places_073 import of_kind, run


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وسقطت قذيفة على قرية بمحافظة الدارين من داخل الأراضي اليمنية.", "الدارين"),
        ("وحضر وكيل محافظة الرويضة الحفل أمس.", "الرويضة"),
        ("وانقطعت الكهرباء عن الخط المغذي لمحافظة الوسطى منذ الصباح.", "الوسطى"),
        ("وانفجرت عبوة أمام مجلس المدينة بمحافظة الغربية المصرية.", "الغربية"),
        ("وقتل جنديان في هجوم على كمين بمحافظة الوادي الجديد.", "الوادي الجديد"),
    ],
)
def test_a_definite_name_after_a_governorate_head(text: str, expected: str) -> None:
    assert expected in of_kind(run(text), "place")


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("وأكد أهمية محافظة الدولة على أمنها واستقرارها.", "الدولة"),
        ("وانتقد مبدأ ولاية الفقيه في خطابه.", "الفقيه"),
        ("وأعفي من ولاية العهد بناء على طلبه.", "العهد"),
        ("وقال إن الأمر مهم من الناحية الاجتماعية.", "الاجتماعية"),
        ("وتعمل الشركة في منطقة الحدود مع العراق.", "الحدود"),
    ],
)
def test_a_definite_word_after_another_area_noun_needs_evidence(text: str, absent: str) -> None:
    assert not any(absent in t for t in of_kind(run(text), "place"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقال وكيل وزارة الصحة السعودية إن الطائرة تحمل أدوية.", "وزارة الصحة السعودية"),
        ("وأعلنت هيئة الطيران المدني السعودية تعديل المواعيد.", "هيئة الطيران المدني السعودية"),
    ],
)
def test_a_ministry_with_the_saudi_nisba(text: str, expected: str) -> None:
    assert expected in of_kind(run(text), "organization")


@pytest.mark.parametrize(
    "text",
    [
        "واتهمت جماعة الحوثي السعودية بقصف المدينة.",
        "وأبلغت الحكومة الأمريكية السعودية بقرارها.",
    ],
)
def test_a_country_after_a_body_stays_a_country(text: str) -> None:
    doc = run(text)
    assert "السعودية" in of_kind(doc, "country")
    assert not any(t.endswith("السعودية") for t in of_kind(doc, "organization"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقتلت الاستخبارات الروسية ثلاثة مسلحين في عملية خاصة.", "الاستخبارات الروسية"),
        ("وقالت المخابرات المصرية إنها أحبطت هجوما.", "المخابرات المصرية"),
        ("وأكد مصدر في الاستخبارات الأمريكية أن التقرير صحيح.", "الاستخبارات الأمريكية"),
    ],
)
def test_an_intelligence_service_is_a_body(text: str, expected: str) -> None:
    doc = run(text)
    assert expected in of_kind(doc, "organization")
    assert not of_kind(doc, "country")


def test_a_bare_intelligence_noun_is_no_body() -> None:
    assert not of_kind(run("وكان ضابطا في المخابرات قبل تقاعده."), "organization")


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("وانفجرت سيارة ملغومة في شارع تجاري مزدحم.", "شارع تجاري"),
        ("ونقل المصابون إلى مستشفى حكومي قريب.", "مستشفى حكومي"),
        ("وهبطت الطائرة في مطار دولي بعد ساعتين.", "مطار دولي"),
        ("وسقطت قذائف على قرية شمالي المدينة.", "قرية شمالي"),
        ("وسقطت قذيفة على قرية بمحافظة الدارين من داخل الأراضي.", "قرية بمحافظة"),
    ],
)
def test_a_descriptive_word_after_a_place_head_is_no_name(text: str, absent: str) -> None:
    assert absent not in of_kind(run(text), "place")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وهبطت الطائرة في مطار كانو بعد ساعتين.", "مطار كانو"),
        ("ونقل المصابون إلى مستشفى ريبوني أمس.", "مستشفى ريبوني"),
    ],
)
def test_an_unknown_word_after_a_place_head_still_names_it(text: str, expected: str) -> None:
    assert expected in of_kind(run(text), "place")


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("وعرض الوفد أنشطة اللجنة الهادفة إلى تنفيذ مقررات الاجتماع.", "اللجنة الهادفة"),
        ("وقتل جندي من القوات المشاركة في العملية.", "القوات المشاركة"),
        ("ووافق المجلس المؤلف من 15 دولة على القرار.", "المجلس المؤلف"),
    ],
)
def test_a_definite_head_and_a_participle_before_a_preposition_is_no_name(text: str, absent: str) -> None:
    assert absent not in of_kind(run(text), "organization")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقالت الهيئة المستقلة في بيان إن الانتخابات نزيهة.", "الهيئة المستقلة"),
        ("وقالت اللجنة الإعلامية في بيان إن الحفل انتهى.", "اللجنة الإعلامية"),
    ],
)
def test_a_listed_adjective_before_a_preposition_keeps_the_name(text: str, expected: str) -> None:
    assert expected in of_kind(run(text), "organization")


@pytest.mark.parametrize(
    ("text", "kb_id"),
    [
        ("وقتل جنديان في هجوم على كمين في الشيخ زويد أمس.", "place.sheikh_zuweid"),
        ("ويعود المسافرون من الخفجي عبر المنفذ.", "place.khafji"),
        ("وقتل شرطيان في جيلان بينار على الحدود.", "place.ceylanpinar"),
        ("ووقع الهجوم في جمهورية قبردين بلقار بجنوب روسيا.", "place.kabardino_balkaria"),
        ("وتقع المدينة بشمال القوقاز.", "place.north_caucasus"),
        ("وأطلق مسلح النار في سينما بمدينة لافاييت بولاية لويزيانا.", "place.louisiana"),
    ],
)
def test_towns_and_regions_added_to_the_gazetteer(text: str, kb_id: str) -> None:
    doc = run(text)
    assert kb_id in {e.kb_id for e in doc.entities.values() if e.kind == "place"}


def test_a_listed_town_does_not_make_a_person_of_the_word_before_it() -> None:
    assert not of_kind(run("وقتل جنديان في هجوم على كمين في الشيخ زويد أمس."), "person")
