"""Person classes of extractor 0.10.2: a name ends before a role that follows it ("المفتش"), before a
verb of the shapes "تفعّى" ("تلقى") and "فعلوا" ("رأوا", "قالوا"), and a tagged name does not open with
such a verb; an unlisted family name after "بن"/"بنت" + the father's given name ends the name, so
the name with and without "بنت" in two outlets is one person.

Every sentence here was written for these tests; none comes from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import SourceMeta
from service.extract.pipeline import extract_document
from service.merge import extract
from service.merge.dataset import Dataset
from tests.extract.test_person_classes_092 import assert_spans, persons


@pytest.mark.parametrize(
    ("text", "name", "cut"),
    [
        # an inspector's role after a ranked name is the role, not the name's last word
        (
            "وقال الجنرال حميد الله كاروزي المفتش العام للشرطة في الإقليم إن التحقيق بدأ.",
            "حميد الله كاروزي",
            "حميد الله كاروزي المفتش",
        ),
        ("وأكد العقيد سامر دليمي المفتش في الوزارة أن الملف أغلق.", "سامر دليمي", "سامر دليمي المفتش"),
        # a verb of the shape "تفعّى" after a titled name ends it
        (
            "وأكد السفير الأردني في روما نادر الطويسي تلقى السفارة بلاغا عن الحادث.",
            "نادر الطويسي",
            "نادر الطويسي تلقى",
        ),
        ("وقال المتحدث باسم البلدية خليل الرواشدة تبنى المجلس الخطة.", "خليل الرواشدة", "خليل الرواشدة تبنى"),
    ],
)
def test_a_role_or_a_verb_after_a_name_ends_it(text: str, name: str, cut: str) -> None:
    doc = extract_document(text)
    found = persons(doc)
    assert name in found
    assert cut not in found
    assert_spans(doc)


@pytest.mark.parametrize(
    "text",
    [
        "وقال فلسطينيون رأوا أبو سمرة انه كان مصابا بأعيرة نارية في رجليه",
    ],
)
def test_a_plural_verb_opens_no_name(text: str) -> None:
    doc = extract_document(text)
    assert not any(name.startswith(("رأوا", "قالوا")) for name in persons(doc))
    assert_spans(doc)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # names that share letters with the new verb shapes stay names
        ("وقال الرئيس الفرنسي فرنسوا هولاند إن الاتفاق قريب.", "فرنسوا هولاند"),
        ("وقال اللواء تركي المالكي إن الدفاعات اعترضت الصاروخ.", "تركي المالكي"),
        ("وقال المتحدث باسم الوزارة مصطفى الحسيني إن الحدود آمنة.", "مصطفى الحسيني"),
        ("التقى الوزير عيسى الغانم نظيره في الرياض.", "عيسى الغانم"),
        ("وقال المتحدث باسم الجيش، الجنرال كريم باجوا، إن القوات تقدمت.", "كريم باجوا"),
    ],
)
def test_names_like_the_verb_shapes_stay_names(text: str, name: str) -> None:
    doc = extract_document(text)
    assert name in persons(doc)
    assert_spans(doc)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # an unlisted family name after "بنت"/"بن" + the father's given name, before a preposition or
        # a comma
        ("وقعت الحادثة للطفلة سلمى بنت خالد قرملي في المنتزه.", "سلمى بنت خالد قرملي"),
        ("وأوضح أن المواطن سعد بن محمد دغيم، وهو موظف، أصيب بجروح.", "سعد بن محمد دغيم"),
    ],
)
def test_a_family_name_after_the_fathers_name(text: str, name: str) -> None:
    doc = extract_document(text)
    assert name in persons(doc)
    assert_spans(doc)


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        # prose, a verb or a role after the patronym is no family name
        ("وقال بندر بن سلطان بشكل واضح إن الاتفاق قريب.", "بندر بن سلطان بشكل"),
        ("وقال فهد بن سلطان يعين اللجنة اليوم.", "فهد بن سلطان يعين"),
        ("وقال خالد بن سلمان سفير المملكة إن الزيارة مهمة.", "خالد بن سلمان سفير"),
        # the name goes on after the word: a grandfather or more, not a closed family name
        ("وقال خالد بن سلمان قرملي الحربي في كلمته إن الحفل بدأ.", "خالد بن سلمان قرملي"),
        # a direction after the name is where, not who
        ("وتقع العمارة على الطريق عند مخطط الأمير فهد بن سالم شرق.", "فهد بن سالم شرق"),
    ],
)
def test_no_family_name_from_prose_after_the_patronym(text: str, cut: str) -> None:
    assert cut not in persons(extract_document(text))


def test_no_family_name_from_the_next_line() -> None:
    doc = extract_document("كلمات: سعد الفهد\nألحان: فهد بن سالم\nغناء: طلال سلامة")
    assert not any("غناء" in name for name in persons(doc))
    assert_spans(doc)


THURSDAY = date(2015, 7, 23)


def _data(texts: list[str]) -> Dataset:
    return extract(
        [
            (text, SourceMeta(external_id=f"t{i}", outlet=f"outlet-{i}", published=THURSDAY, language="ar"))
            for i, text in enumerate(texts)
        ]
    )


def _people(data: Dataset) -> list[set[str]]:
    return [{a.name.ar, *(x.text for x in a.aliases)} for a in data.actors if a.kind == "person"]


def test_a_name_with_and_without_bint_is_one_person_beside_one_place() -> None:
    data = _data(
        [
            "أصيبت الطفلة سلمى بنت خالد قرملي في مدينة بريدة بطلق ناري طائش.",
            "وأصيبت الطفلة سلمى خالد قرملي البالغة من العمر خمس سنوات في مدينة بريدة.",
        ]
    )
    assert {"سلمى بنت خالد قرملي", "سلمى خالد قرملي"} in _people(data)


def test_two_fathers_names_are_two_people() -> None:
    data = _data(
        [
            "أصيبت الطفلة سلمى بنت خالد قرملي في مدينة بريدة بطلق ناري طائش.",
            "وأصيبت الطفلة سلمى فهد قرملي البالغة من العمر خمس سنوات في مدينة بريدة.",
        ]
    )
    people = _people(data)
    assert not any({"سلمى بنت خالد قرملي", "سلمى فهد قرملي"} <= names for names in people)


def test_a_first_name_and_a_large_tribes_nisba_join_no_full_name_without_an_anchor() -> None:
    # thousands bear "الشهراني": "علي الشهراني" of a football report is not the civil-defence officer
    data = _data(
        [
            "وقال اللاعب علي الشهراني إن المباراة كانت صعبة على الفريق.",
            "وقال المقدم علي بن سعيد بن ناصر الشهراني إن فرق الدفاع المدني أخمدت الحريق.",
        ]
    )
    assert not any({"علي الشهراني", "علي بن سعيد بن ناصر الشهراني"} <= names for names in _people(data))


def test_a_first_name_and_a_large_tribes_nisba_join_the_full_name_beside_one_place() -> None:
    data = _data(
        [
            "وقال علي الشهراني في نجران إن فرق الدفاع المدني أخمدت الحريق.",
            "وقال المقدم علي بن سعيد بن ناصر الشهراني في نجران إن الحريق لم يخلف إصابات.",
        ]
    )
    assert any({"علي الشهراني", "علي بن سعيد بن ناصر الشهراني"} <= names for names in _people(data))
