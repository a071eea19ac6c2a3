"""Classes of event and date construction that extractor 0.6.12 reads (docs/extraction.md,
"Extractor 0.6.12 (events)"): victims counted before a passive verb of injury ("18 مجنداً ...
أصيبوا"), a time of day set off by commas after the place ("في صنعاء، صباح الأحد،"), "منذ قليل" /
"قبل قليل" as the publication day, and a relative day with its weekday in brackets ("اليوم
(الأحد)"), which dates the article as "اليوم الأحد" does.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import DateMention, Document, SourceMeta
from service.extract.events.casualties import read_casualties
from service.extract.pipeline import extract_document
from service.text import fold

SUNDAY = date(2015, 7, 26)
TUESDAY = date(2015, 7, 28)


def doc_of(text: str, published: date = SUNDAY) -> Document:
    return extract_document(text, SourceMeta(published=published))


def date_of(doc: Document, index: int | None) -> date | None:
    """The date the text gives (None for none, or for the lead day: test_lead_day.py)."""
    return None if index is None or doc.dates[index].basis == "inferred" else doc.dates[index].start_date


def written(doc: Document) -> list[DateMention]:
    """The dates the text writes (without the lead day, ``dates.lead_day``)."""
    return [d for d in doc.dates if d.basis != "inferred"]


# victims counted before a passive verb of injury


def test_victims_counted_before_a_passive_injury_verb_make_a_dated_event() -> None:
    text = "قال مصدر أمني إن 12 جنديا على الأقل أصيبوا يوم السبت في انفجار عبوة ناسفة بمدينة الموصل."
    doc = doc_of(text)
    violent = [e for e in doc.events if e.plover_type == "ASSAULT"]
    assert violent, "the injuries and their cause are one violent event"
    event = violent[0]
    assert event.wounded == 12
    assert event.plover_mode == "bombing"
    assert date_of(doc, event.date) == date(2015, 7, 25)
    assert text[event.start : event.end] == event.quote


@pytest.mark.parametrize(
    ("text", "wounded"),
    [
        ("خمسة من عناصر الشرطة أصيبوا بجروح", 5),
        ("20 مدنيا على الأقل جرحوا في القصف", 20),
        ("أصيب الجنود بجروح طفيفة", None),  # no count: nothing to read
        ("12 شخصا وصلوا إلى المطار", None),  # a count with no word of injury after it
    ],
)
def test_a_count_before_a_word_of_injury_is_the_wounded_count(text: str, wounded: int | None) -> None:
    assert read_casualties(fold(text).split()).wounded == wounded


# a time of day set off by commas


def test_a_time_of_day_after_a_comma_still_dates_a_noun_event() -> None:
    text = "شن طيران التحالف غارات على مواقع للمتمردين في مدينة تعز، فجر الأحد، وسمع دوي انفجارات."
    doc = doc_of(text)
    (strike,) = [e for e in doc.events if e.plover_mode == "aerial"]
    assert date_of(doc, strike.date) == SUNDAY


def test_a_longer_time_of_day_after_a_comma_dates_it_too() -> None:
    doc = doc_of("شن طيران التحالف غارات على مواقع للمتمردين في مدينة تعز، بعد ظهر يوم السبت، ثم انسحب.")
    (strike,) = [e for e in doc.events if e.plover_mode == "aerial"]
    assert date_of(doc, strike.date) == date(2015, 7, 25)


def test_a_time_of_day_without_a_date_after_a_comma_gives_no_date() -> None:
    doc = doc_of("شن طيران التحالف غارات على مواقع للمتمردين في مدينة تعز، صباح كل يوم من الأسبوع.")
    (strike,) = [e for e in doc.events if e.plover_mode == "aerial"]
    assert date_of(doc, strike.date) is None


# "منذ قليل", "قبل قليل"


def test_a_moment_ago_is_the_publication_day() -> None:
    text = "اعتقلت الشرطة قبل قليل ثلاثة أشخاص في مدينة الخليل."
    doc = doc_of(text)
    (arrest,) = [e for e in doc.events if e.plover_type == "COERCE"]
    assert date_of(doc, arrest.date) == SUNDAY
    assert doc.dates[arrest.date or 0].text == "قبل قليل"


def test_a_moment_before_another_event_is_no_date() -> None:
    doc = doc_of("وقبل قليل من بدء الجلسة اعتقلت الشرطة ثلاثة أشخاص في مدينة الخليل.")
    assert not written(doc)


# a relative day with its weekday in brackets


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # carried on Tuesday, written on Sunday: "اليوم (الأحد)" is Sunday, as "اليوم الأحد" is
        ("قتل أربعة جنود في هجوم على حاجز للجيش اليوم (الأحد) في مدينة العريش.", SUNDAY),
        ("قتل أربعة جنود في هجوم على حاجز للجيش أمس (السبت) في مدينة العريش.", date(2015, 7, 25)),
        # the article's other relative days count from the day it was written
        (
            "أعلن الجيش اليوم (الأحد) أن أربعة جنود قتلوا أمس في هجوم على حاجز في مدينة العريش.",
            date(2015, 7, 25),
        ),
    ],
)
def test_a_relative_day_with_its_weekday_in_brackets_dates_the_article(text: str, day: date) -> None:
    doc = doc_of(text, TUESDAY)
    (attack,) = [e for e in doc.events if e.plover_type == "ASSAULT"]
    assert date_of(doc, attack.date) == day


def test_other_words_in_brackets_after_today_leave_today_alone() -> None:
    doc = doc_of("قتل جندي في هجوم على حاجز للجيش اليوم (بحسب الشهود) في مدينة العريش.", TUESDAY)
    (today,) = written(doc)
    assert today.text == "اليوم"
    assert today.start_date == TUESDAY


# an undated lead dated by a later report of the same event


def test_an_undated_lead_takes_the_date_of_a_later_report_of_the_same_act() -> None:
    doc = doc_of(
        "استشهد اثنان من رجال الشرطة في تفجير إرهابي بمدينة الموصل. وأدانت الحكومة العمل الإرهابي بشدة. "
        "وأوضحت الوزارة أن التفجير وقع مساء السبت في مدينة الموصل."
    )
    (toll,) = [e for e in doc.events if e.plover_type == "ASSAULT"]
    assert toll.killed == 2
    assert date_of(doc, toll.date) == date(2015, 7, 25)


def test_a_later_report_with_the_same_toll_dates_the_lead() -> None:
    doc = doc_of(
        "قتل ثلاثة أشخاص في مدينة الموصل. وأدانت الحكومة العمل الإرهابي بشدة. "
        "وكان الانفجار الذي وقع مساء الجمعة قد أسفر عن مقتل ثلاثة أشخاص."
    )
    first = next(e for e in doc.events if e.plover_type == "ASSAULT")
    assert first.killed == 3
    assert date_of(doc, first.date) == date(2015, 7, 24)


def test_a_later_report_at_the_same_town_two_sentences_on_dates_the_lead() -> None:
    doc = doc_of(
        "شنت الطائرات غارات على مواقع المسلحين في مدينة الرقة. وأدانت المعارضة القصف بشدة. "
        "وقال الناشطون إن الطائرات نفذت الغارات فجر الجمعة على مدينة الرقة."
    )
    assert next(date_of(doc, e.date) for e in doc.events if e.plover_type == "ASSAULT") == date(2015, 7, 24)


@pytest.mark.parametrize(
    "text",
    [
        # a background date years before: the later report is of the past, not of the news
        "استشهد اثنان من رجال الشرطة في تفجير إرهابي بمنطقة سترة. وأدانت الحكومة العمل الإرهابي بشدة. "
        "وأوضحت الوزارة أن التفجير وقع في عام 2013 قرب مركز للشرطة.",
        # a report that says it is another of its kind
        "شنت الطائرات سلسلة غارات ثانية على مواقع المسلحين في مدينة الرقة. وأدانت المعارضة القصف بشدة. "
        "وقال الناشطون إن الطائرات نفذت الغارات فجر الجمعة على المدينة.",
        # the later report stands after an opening on another matter
        "شنت الطائرات غارات على مواقع المسلحين في مدينة الرقة. ومن جهة أخرى، أدانت المعارضة القصف بشدة. "
        "وقال الناشطون إن الطائرات نفذت الغارات فجر الجمعة على المدينة.",
        # a later report of the same kind of act that names neither the town nor the toll
        "استشهد اثنان من رجال الشرطة في تفجير إرهابي بمنطقة سترة. وأدانت الحكومة العمل الإرهابي بشدة. "
        "وأوضحت الوزارة أن التفجير وقع مساء السبت قرب مركز للشرطة.",
        # a later act of another mode at another place
        "قتل ثلاثة جنود في هجوم على حاجز للجيش في مدينة العريش. وقال مصدر أمني إن الهجوم أسفر أيضا عن "
        "إصابة خمسة. وكانت الطائرات قد شنت غارة مساء الجمعة على مدينة رفح.",
    ],
)
def test_an_undated_lead_keeps_no_date_when_the_later_report_is_not_of_it(text: str) -> None:
    doc = doc_of(text)
    first = next(e for e in doc.events if e.plover_type == "ASSAULT")
    assert date_of(doc, first.date) is None  # no date from the text (at most the lead day)


# declining to disclose or comment is no rejection (0.6.16: 31 mentions in the unannotated days)


@pytest.mark.parametrize(
    "text",
    [
        "وقال مسؤول تركي رفض الكشف عن هويته إن الهجوم وقع فجرا.",
        "وقال مسؤول في وزارة الداخلية المصرية رفض الكشف عن هويته إن الهجوم وقع فجرا.",
        "وأكد مصدر في الحكومة العراقية، رفض الإفصاح عن اسمه، أن المفاوضات مستمرة.",
        "وقال مسؤول في الخارجية الأمريكية رفض ذكر اسمه إن الزيارة أرجئت.",
        "وقال مسؤول في وزارة الدفاع البريطانية رفض التعليق على التقرير إن الزيارة أرجئت.",
    ],
)
def test_declining_to_disclose_or_comment_is_no_rejection(text: str) -> None:
    assert not [e for e in doc_of(text).events if e.plover_type == "REJECT"]


def test_rejecting_a_proposal_is_still_a_rejection() -> None:
    doc = doc_of("رفضت الحكومة المصرية المقترح الأمريكي بشأن الحدود.")
    assert [e for e in doc.events if e.plover_type == "REJECT"]
