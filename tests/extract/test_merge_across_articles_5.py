"""Across articles, fifth session (docs/extraction.md "Across articles (fifth session)"): a place
the gazetteer does not know, named after an administrative head in two outlets' sentences
("في ولاية ..."، "بمنطقة ..."), ties their reports of one attack; reports tied by nothing but one
place and day that count their dead far apart stay two attacks. Each positive case has negative
cases beside it.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document
from service.merge.build import build_dataset
from service.merge.event_units import quote_place

DAY = date(2015, 7, 21)


def article(text: str, outlet: str, published: date = DAY) -> Document:
    return extract_document(
        text, SourceMeta(outlet=outlet, published=published, external_id=f"{outlet}:{text}")
    )


def outlets(docs: list[Document], plover_type: str = "ASSAULT") -> list[tuple[str, ...]]:
    events = build_dataset(docs, "test").events
    return sorted(
        tuple(sorted({a.outlet or "" for a in e.attributions})) for e in events if e.type == plover_type
    )


def count_conflicts(docs: list[Document]) -> list[tuple[str, list[str]]]:
    conflicts = build_dataset(docs, "test").conflicts
    return sorted((c.field, [v.value for v in c.values]) for c in conflicts if c.field.startswith("count:"))


STRIKE = "قتل 14 جنديا على الأقل أمس في غارة جوية على حاجز للجيش في ولاية كورغان جنوب العاصمة."
LOWER = "أسفرت غارة جوية أمس عن مقتل عشرة جنود على الأقل في ولاية كورغان، بحسب مسؤولين محليين."
ELSEWHERE = "أسفرت غارة جوية أمس عن مقتل عشرة جنود على الأقل في ولاية بارفان، بحسب مسؤولين محليين."


def test_one_strike_in_an_unlisted_province_is_one_event_with_a_count_conflict() -> None:
    docs = [article(STRIKE, "a"), article(LOWER, "b")]
    assert ("a", "b") in outlets(docs)
    assert ("count:killed", ["14", "10"]) in count_conflicts(docs) or (
        "count:killed",
        ["10", "14"],
    ) in count_conflicts(docs)


def test_strikes_in_two_unlisted_provinces_stay_apart() -> None:
    assert ("a", "b") not in outlets([article(STRIKE, "a"), article(ELSEWHERE, "b")])


def test_the_same_unlisted_province_two_days_apart_stays_apart() -> None:
    later = article(LOWER, "b", date(2015, 7, 24))
    assert ("a", "b") not in outlets([article(STRIKE, "a"), later])


SMALL = "قتل ثلاثة أشخاص أمس في انفجار عبوة ناسفة بمنطقة الزهيرات شرق المدينة."
LARGE = "قتل 20 شخصا أمس في انفجار سيارة مفخخة بمنطقة الزهيرات قرب سوق شعبي."


def test_two_bombings_in_one_district_with_far_apart_tolls_stay_two() -> None:
    assert ("a", "b") not in outlets([article(SMALL, "a"), article(LARGE, "b")])


SMALL_CITY = "قتل ثلاثة أشخاص أمس في انفجار عبوة ناسفة في بغداد."
LARGE_CITY = "قتل 20 شخصا أمس في انفجار سيارة مفخخة في بغداد."
NEAR_CITY = "قتل أربعة أشخاص أمس في انفجار عبوة ناسفة في بغداد."


def test_two_bombings_in_baghdad_on_one_day_with_far_apart_tolls_stay_two() -> None:
    assert ("a", "b") not in outlets([article(SMALL_CITY, "a"), article(LARGE_CITY, "b")])


def test_near_tolls_in_baghdad_on_one_day_are_one_bombing() -> None:
    assert ("a", "b") in outlets([article(SMALL_CITY, "a"), article(NEAR_CITY, "b")])


def test_the_place_a_sentence_names_after_a_head() -> None:
    assert quote_place("استشهد شرطيان في تفجير إرهابي بمنطقة سترة") == quote_place(
        "وقع الانفجار في قرية سترة"
    )
    assert quote_place("اشتباكات في منطقة جبل العليقة") != quote_place("اشتباكات في منطقة جبل الزاوية")
    assert quote_place("غارة في منطقة شمال البلاد") is None  # a direction, not a name
    assert quote_place("قصف في مدينة حلب ومدينة إدلب") is None  # two places: none
    assert quote_place("بث حي على الهواء") is None  # a two-letter head is not read
