"""Continents and their regions are places of the knowledge base (0.12.2): the name tagger added
them only where it was confident, in Arabic only, and mostly missed them after a proclitic.

Every sentence here was written for these tests."""

from __future__ import annotations

import pytest

from service.extract.pipeline import extract_document


def places_of(text: str) -> dict[str, str | None]:
    doc = extract_document(text)
    return {
        m.text: doc.entities[m.entity].name_en for m in doc.mentions if doc.entities[m.entity].kind == "place"
    }


@pytest.mark.parametrize(
    ("text", "mention", "english"),
    [
        ("وقال الوزير إن أوروبا تواجه أزمة لاجئين.", "أوروبا", "Europe"),
        ("وتعهدت الدول بدعم إفريقيا في مواجهة الجفاف.", "إفريقيا", "Africa"),
        ("وتشمل الجولة آسيا الوسطى والهند.", "آسيا", "Asia"),
        ("وصل الرئيس إلى شمال أفريقيا في جولة تستمر أسبوعا.", "شمال أفريقيا", "North Africa"),
        ("وتزداد صادرات النفط إلى أميركا اللاتينية هذا العام.", "أميركا اللاتينية", "Latin America"),
        # the longer name wins over "أمريكا", the United States
        ("ويزداد الطلب على النفط في أمريكا الشمالية هذا العام.", "أمريكا الشمالية", "North America"),
        ("وتتراجع الأمطار في أميركا الجنوبية.", "أميركا الجنوبية", "South America"),
    ],
)
def test_a_continent_is_a_place_with_its_english_name(text: str, mention: str, english: str) -> None:
    assert places_of(text).get(mention) == english


def test_america_alone_is_not_a_continent() -> None:
    # "أمريكا" alone is the United States in this press, not a continent.
    assert "أمريكا" not in places_of("وقالت أمريكا إنها سترسل مساعدات.")
