"""Across articles, sixth session (docs/extraction.md "Across articles and conflicts (sixth
session)"): two outlets' reports of one act at one place whose counts disagree but are near are one
event with a count conflict, even when one of them is undated; a report whose only place is a
province read from its sentence meets a report of another outlet that names the same town beside
that province. Each positive case has negative cases beside it (far counts, another district of
one city, far dates, a country alone, another town of the province).

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from test_merge_across_articles_5 import article, outlets

from service.extract.document import Document
from service.merge.build import build_dataset
from service.merge.event_units import quote_places


def count_conflicts(docs: list[Document]) -> list[tuple[str, list[str]]]:
    conflicts = build_dataset(docs, "test").conflicts
    return sorted(
        (c.field, sorted(v.value for v in c.values)) for c in conflicts if c.field.startswith("count:")
    )


CLAIMED = "أعلن التنظيم مسؤوليته عن تفجير سيارة مفخخة في حي البياع أسفر عن مقتل 18 شخصا."
POLICE = "قتل 15 شخصا أمس في انفجار سيارة مفخخة قرب سوق في منطقة البياع غرب العاصمة."


def test_near_counts_at_one_district_are_one_bombing_with_a_count_conflict() -> None:
    docs = [article(CLAIMED, "a"), article(POLICE, "b")]
    assert ("a", "b") in outlets(docs)
    assert ("count:killed", ["15", "18"]) in count_conflicts(docs)


def test_far_apart_counts_at_one_district_stay_two() -> None:
    assert ("a", "b") not in outlets([article(CLAIMED, "a"), article(POLICE.replace("15", "5"), "b")])


OTHER_DISTRICT = "قتل 17 شخصا أمس في انفجار سيارة مفخخة قرب سوق في حي الكرادة وسط العاصمة."


def test_near_counts_in_two_districts_of_one_city_on_one_day_stay_two() -> None:
    assert ("a", "b") not in outlets([article(POLICE, "a"), article(OTHER_DISTRICT, "b")])


def test_near_counts_at_one_district_ten_days_apart_stay_two() -> None:
    assert ("a", "b") not in outlets([article(CLAIMED, "a", date(2015, 7, 31)), article(POLICE, "b")])


COUNTRY_A = "أعلن التنظيم مسؤوليته عن تفجير سيارة مفخخة في العراق أسفر عن مقتل 18 شخصا."
COUNTRY_B = "قتل 15 شخصا أمس في انفجار سيارة مفخخة قرب سوق في العراق."


def test_near_counts_through_a_country_alone_stay_two() -> None:
    assert ("a", "b") not in outlets([article(COUNTRY_A, "a"), article(COUNTRY_B, "b")])


TOWN = "قتل شخصان وأصيب تسعة آخرون أمس في إطلاق نار داخل مطعم في مدينة لافاييت بولاية لويزيانا."
PROVINCE = "فتح مسلح النار أمس داخل مطعم مزدحم في لافايت بولاية لويزيانا فقتل شخصين وأصاب سبعة آخرين."


def test_a_town_named_beside_its_province_meets_the_province_read_elsewhere() -> None:
    assert quote_places(TOWN) == {"p:لافاييت", "p:لويزيانا"}
    assert ("a", "b") in outlets([article(TOWN, "a"), article(PROVINCE, "b")])


def test_another_town_of_the_province_stays_apart() -> None:
    other = PROVINCE.replace("لافايت", "شريفبورت")
    assert ("a", "b") not in outlets([article(TOWN, "a"), article(other, "b")])


def test_the_province_named_beside_a_town_two_days_apart_stays_apart() -> None:
    later = article(PROVINCE.replace("أمس", "أول أمس"), "b", date(2015, 7, 24))
    assert ("a", "b") not in outlets([article(TOWN, "a"), later])


ONE_SIDE = "أعلنت القوات الأمنية مقتل أربعة من عناصر تنظيم داعش في اشتباكات في حي البياع."
OTHER_SIDE = "قتل ستة من عناصر الحشد الشعبي أمس في اشتباكات في منطقة البياع غرب العاصمة."


def test_near_counts_of_two_sides_killed_stay_two() -> None:
    docs = [article(ONE_SIDE, "a"), article(OTHER_SIDE, "b")]
    assert ("a", "b") not in outlets(docs)
    assert count_conflicts(docs) == []
