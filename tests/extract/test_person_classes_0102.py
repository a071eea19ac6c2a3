"""Person classes of extractor 0.10.2: a name ends before a role that follows it ("المفتش"), before a
verb of the shapes "تفعّى" ("تلقى") and "فعلوا" ("رأوا", "قالوا"), and a tagged name does not open with
such a verb.

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
