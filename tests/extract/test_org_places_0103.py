"""Organisation classes of extractor 0.10.3, on sentences written for these tests: a definite head
and a word that cannot be part of its name (the object of the verb before it, a plural, an
adjective of the other gender that agrees with the noun before the head); a feminine state body
with the country's name as its nisba ("القوات السعودية"); heads that name a body only with a
nisba ("الرئاسة الفلسطينية", "الجمارك السعودية", "الإذاعة الإسرائيلية"); and the phrases that are
none of these."""

from __future__ import annotations

import pytest
from test_org_places_073 import of_kind, run


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("فأطلقت الشرطة النار على رجليه وهرب.", "الشرطة النار"),
        ("وألقت الشرطة القبض على المتهم بعد ساعات.", "الشرطة القبض"),
        ("وقتل عشرة مسلحين في ضربات التحالف الجوية قرب المدينة.", "التحالف الجوية"),
        ("ويمكن التسجيل عبر موقع الوزارة الإلكتروني حتى نهاية الشهر.", "الوزارة الإلكتروني"),
        ("وتصرف الأرباح لمساهمي الشركة المسجلين في السجل.", "الشركة المسجلين"),
        ("وقال رئيس الحكومة البريطاني إن القرار نهائي.", "الحكومة البريطاني"),
    ],
)
def test_a_word_that_is_not_the_heads_is_no_part_of_its_name(text: str, absent: str) -> None:
    assert absent not in of_kind(run(text), "organization")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقالت الحكومة الفرنسية في بيان إن الاجتماع تأجل.", "الحكومة الفرنسية"),
        ("وأعلن التحالف الدولي أن طائراته قصفت مواقع التنظيم.", "التحالف الدولي"),
        ("وانتشرت وحدات من الجيش الإسرائيلي على الحدود.", "الجيش الإسرائيلي"),
        ("واجتمعت اللجنة العليا للانتخابات أمس.", "اللجنة العليا للانتخابات"),
        ("وانتشرت قوات التدخل السريع في شوارع المدينة.", "قوات التدخل السريع"),
    ],
)
def test_an_agreeing_adjective_continues_the_name(text: str, expected: str) -> None:
    assert expected in of_kind(run(text), "organization")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وردت القوات السعودية على مصادر النيران.", "القوات السعودية"),
        ("وأعلنت الجمارك السعودية ضبط شحنة من الحبوب المخدرة.", "الجمارك السعودية"),
        ("وقال الناطق باسم الرئاسة الفلسطينية إن الاقتحامات مرفوضة.", "الرئاسة الفلسطينية"),
        ("ونقلت الإذاعة الإسرائيلية العامة عن مصدر قوله إن الشاب سقط.", "الإذاعة الإسرائيلية العامة"),
        ("وأوقف موظفو الجمارك التركية الشاحنة على الحدود.", "الجمارك التركية"),
    ],
)
def test_a_state_body_named_by_its_nisba(text: str, expected: str) -> None:
    doc = run(text)
    assert expected in of_kind(doc, "organization")
    assert not {"السعودية", "الفلسطينية", "الإسرائيلية"} & of_kind(doc, "country")


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("وأعلن ترشحه لخوض انتخابات الرئاسة الأمريكية المقبلة.", "الرئاسة الأمريكية"),
        ("وتولى رئاسة الحكومة بعد الانتخابات.", "رئاسة الحكومة"),
        ("ويرغب المرشح للرئاسة الأميركية في جمع التبرعات.", "للرئاسة الأميركية"),
        ("وتبث إذاعة البيان برامجها من المدينة.", "إذاعة البيان"),
        ("وذكرت الصحيفة السعودية أن الاجتماع تأجل.", "الصحيفة السعودية"),
        ("وشكلت لجنة برئاسة وزير العدل للتحقيق.", "رئاسة وزير"),
    ],
)
def test_an_office_a_broadcast_or_an_outlet_is_no_nisba_body(text: str, absent: str) -> None:
    assert not any(absent in t for t in of_kind(run(text), "organization"))


def test_a_body_in_construct_with_a_nisba_head_keeps_its_name() -> None:
    assert "مؤسسة الرئاسة" in of_kind(run("ووجهت الوثائق إلى مؤسسة الرئاسة في القاهرة."), "organization")
    assert "إدارة النادي" in of_kind(run("ووقع اللاعب مع إدارة النادي برئاسة رئيسه الجديد."), "organization")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقتل خمسة في غارة على قضاء الحويجة جنوب غرب كركوك.", "place.hawija"),
        ("وانفجرت سيارة مفخخة في سوق طوز خورماتو مساء أمس.", "place.tuz_khurmatu"),
        ("ووصل الجنود إلى قاعدة في الحبانية قبل أسبوع.", "place.habbaniyah"),
        ("وأصيبت الفتاة بطلق ناري طائش في مسندم.", "place.musandam"),
    ],
)
def test_towns_and_districts_of_the_gazetteer(text: str, expected: str) -> None:
    doc = run(text)
    assert expected in {e.kb_id for e in doc.entities.values() if e.kind == "place"}


def test_punjab_takes_the_country_the_article_names() -> None:
    def punjab(text: str) -> set[str | None]:
        return {e.kb_id for e in run(text).entities.values() if e.kind == "place"}

    assert punjab("واتهمت الهند باكستان بعد هجوم في البنجاب قتل فيه شرطيون هنود.") == {"place.punjab_in"}
    assert "place.punjab_pk" in punjab("وغمرت الفيضانات قرى في البنجاب وقالت باكستان إنها أجلت السكان.")


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("ووزعت المساعدات على المستشفيات في إقليم حضرموت شرق اليمن.", "حضرموت", "إقليم حضرموت"),
        ("وغمرت المياه القرى في إقليم البنجاب شرق البلاد.", "البنجاب", "إقليم البنجاب"),
    ],
)
def test_a_listed_place_after_a_province_head_is_that_place(text: str, expected: str, absent: str) -> None:
    places = of_kind(run(text), "place")
    assert expected in places
    assert absent not in places


def test_an_unlisted_province_after_its_head_keeps_the_head() -> None:
    assert "إقليم بغلان" in of_kind(run("وقتل عشرون في إقليم بغلان شمال أفغانستان."), "place")
