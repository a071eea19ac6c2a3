"""Across articles, seventh session (docs/extraction.md "Across articles and conflicts (seventh
session)"): two outlets' reports of one act whose counts are near are one event with a count
conflict even when one of them names no place, when their whole sentences share distinctive words
("a wedding", "the guests"); reports that name two places, far counts, far dates, and sentences
that share only the casualty phrase, a country or an agency stay apart.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from test_merge_across_articles_5 import article, outlets
from test_merge_across_articles_6 import count_conflicts

UNPLACED = (
    "قال مسؤولون اليوم إن مسلحين فتحوا النار على حفل زفاف حضره مئات الضيوف مما أسفر عن مقتل 17 "
    "شخصا وإصابة تسعة."
)
PLACED = (
    "قتل 16 شخصا على الأقل وأصيب عشرة آخرون اليوم في تبادل لإطلاق النار خلال حفل زفاف حضره "
    "الضيوف في منطقة ده خيل في ولاية كندوز."
)


def test_near_counts_of_one_wedding_shooting_join_when_one_names_no_place() -> None:
    docs = [article(UNPLACED, "a"), article(PLACED, "b")]
    assert ("a", "b") in outlets(docs)
    conflicts = count_conflicts(docs)
    assert ("count:killed", ["16", "17"]) in conflicts
    assert ("count:wounded", ["10", "9"]) in conflicts


def test_far_counts_with_the_same_words_stay_two() -> None:
    far = UNPLACED.replace("17", "40")
    assert ("a", "b") not in outlets([article(far, "a"), article(PLACED, "b")])


def test_near_counts_with_the_same_words_ten_days_apart_stay_two() -> None:
    later = article(UNPLACED, "a", date(2015, 7, 31))
    assert ("a", "b") not in outlets([later, article(PLACED, "b")])


def test_near_counts_at_two_named_places_stay_two() -> None:
    elsewhere = UNPLACED.replace("قال مسؤولون اليوم", "قال مسؤولون في ولاية بغلان اليوم")
    assert ("a", "b") not in outlets([article(elsewhere, "a"), article(PLACED, "b")])


BAGHDAD_A = "قتل خمسة أشخاص اليوم في انفجار سيارة مفخخة قرب سوق شعبي في بغداد."
BAGHDAD_B = "قتل 30 شخصا اليوم في انفجار سيارة مفخخة قرب سوق شعبي في بغداد."


def test_two_bombings_in_one_city_on_one_day_with_different_tolls_stay_two() -> None:
    assert ("a", "b") not in outlets([article(BAGHDAD_A, "a"), article(BAGHDAD_B, "b")])
    unplaced = BAGHDAD_A.replace(" في بغداد", "")
    assert ("a", "b") not in outlets([article(unplaced, "a"), article(BAGHDAD_B, "b")])


STRIKE_A = "قتل 12 شخصا اليوم في غارة جوية على اليمن."
STRIKE_B = "أسفرت غارة جوية اليوم في اليمن عن مقتل 14 شخصا."


def test_near_counts_sharing_only_the_casualty_phrase_and_a_country_stay_two() -> None:
    assert ("a", "b") not in outlets([article(STRIKE_A, "a"), article(STRIKE_B, "b")])


AGENCY_A = "قال مسؤولون لوكالة فرانس برس اليوم إن 12 شخصا قتلوا في هجوم."
AGENCY_B = "قال مسؤولون لوكالة فرانس برس اليوم إن 14 شخصا قتلوا في هجوم."


def test_near_counts_told_to_one_agency_stay_two() -> None:
    assert ("a", "b") not in outlets([article(AGENCY_A, "a"), article(AGENCY_B, "b")])


HIDEOUT_A = (
    "من جهة أخرى أعلنت مصادر أمنية أن 20 عنصرا من التنظيم قتلوا كما تم تدمير مخبأ تابع لهم قرب معمل الإسمنت."
)
HIDEOUT_B = "وأعلنت مصادر أمنية أن 22 عنصرا من التنظيم قتلوا كما دمرت القوات مخبأ تابعا لهم قرب معمل الإسمنت."


def test_near_counts_of_two_undated_unplaced_reports_join_on_their_words() -> None:
    docs = [article(HIDEOUT_A, "a"), article(HIDEOUT_B, "b")]
    assert ("a", "b") in outlets(docs)
    assert ("count:killed", ["20", "22"]) in count_conflicts(docs)
