"""Across articles, copies a day apart (docs/extraction.md "Across articles: copies a day apart
(seventh session)"): one agency report relayed by several outlets, one naming the weekday ("هذا اليوم
الخميس") and one crawled the next day saying "اليوم", is one event with a date conflict when the
two sentences are near copies at one resolved place; two strikes on one city on consecutive days at
different targets, copies days apart, copies in two cities and copies placed only in a country stay
apart.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from test_merge_across_articles_0622 import article, events_of, outlets

FRIDAY = date(2015, 7, 31)

WEEKDAY_COPY = (
    "وباشرت فرق الدفاع المدني بمدينة جازان عند الساعة الواحدة من ظهر هذا اليوم الخميس سقوط مقذوف "
    "عسكري أطلق من داخل الأراضي اليمنية نتج عنه إصابة مقيمين اثنين من العمالة الوافدة بجروح طفيفة."
)
TODAY_COPY = (
    "وذكر المتحدث أن فرق الدفاع المدني بمدينة جازان باشرت ظهر اليوم حادثة سقوط مقذوف عسكري أطلق "
    "من داخل الأراضي اليمنية نتج عنه إصابة مقيمين اثنين من العمالة الوافدة."
)


def test_a_weekday_copy_and_a_today_copy_crawled_next_day_are_one_event_with_a_date_conflict() -> None:
    events = events_of("ASSAULT", article(WEEKDAY_COPY, "a", FRIDAY), article(TODAY_COPY, "b", FRIDAY))
    assert outlets(events) == [("a", "b")]
    assert [c.field for c in events[0].conflicts] == ["date"]
    (conflict,) = events[0].conflicts
    assert sorted(v.value for v in conflict.values) == ["2015-07-30", "2015-07-31"]
    assert all(v.attributions for v in conflict.values)


def test_the_copies_days_apart_stay_two_events() -> None:
    later = article(TODAY_COPY, "b", date(2015, 8, 2))
    events = events_of("ASSAULT", article(WEEKDAY_COPY, "a", FRIDAY), later)
    assert outlets(events) == [("a",), ("b",)]


def test_the_copies_in_two_cities_stay_two_events() -> None:
    elsewhere = article(TODAY_COPY.replace("جازان", "نجران"), "b", FRIDAY)
    events = events_of("ASSAULT", article(WEEKDAY_COPY, "a", FRIDAY), elsewhere)
    assert outlets(events) == [("a",), ("b",)]


def test_copies_placed_only_in_a_country_a_day_apart_stay_two_events() -> None:
    """A country is no tie across articles: a projectile falls somewhere in it every day."""
    a = WEEKDAY_COPY.replace("بمدينة جازان ", "في المملكة ")
    b = TODAY_COPY.replace("بمدينة جازان ", "في المملكة ")
    events = events_of("ASSAULT", article(a, "a", FRIDAY), article(b, "b", FRIDAY))
    assert outlets(events) == [("a",), ("b",)]


STRIKE_CAMP = (
    "شنت طائرات التحالف ظهر يوم الخميس سلسلة غارات جوية مكثفة استهدفت مواقع جماعة الحوثي ومخازن "
    "أسلحة في مدينة صعدة شمال البلاد."
)
STRIKE_MARKET = (
    "شنت طائرات التحالف ظهر اليوم سلسلة غارات جوية مكثفة استهدفت مواقع تنظيم القاعدة ومخازن "
    "أسلحة في مدينة صعدة شمال البلاد."
)


def test_two_strikes_on_one_city_on_consecutive_days_at_different_targets_stay_two() -> None:
    events = events_of("ASSAULT", article(STRIKE_CAMP, "a", FRIDAY), article(STRIKE_MARKET, "b", FRIDAY))
    assert outlets(events) == [("a",), ("b",)]
