"""Classes of event construction that extractor 0.6.6 reads (docs/extraction.md, "Extractor 0.6.6:
events"): a toll told before its cause ("قتل 5 ... في/إثر/بعد تعرضهم لـ <attack>") is one event
with the cause's means, place and date; an unvocalised passive followed at once by a preposition
("X قتل في غارة") makes X the victim; and across articles a toll whose means is not given joins
another outlet's report of the means.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document
from service.merge import build_dataset
from service.merge.rules import merge_rules

WEDNESDAY = date(2015, 7, 22)


def doc_of(text: str) -> Document:
    return extract_document(text, SourceMeta(published=WEDNESDAY))


def date_of(doc: Document, index: int | None) -> date | None:
    """The date the text gives (None for none, or for the lead day: test_lead_day.py)."""
    return None if index is None or doc.dates[index].basis == "inferred" else doc.dates[index].start_date


@pytest.mark.parametrize(
    ("text", "mode", "place"),
    [
        ("استشهد اثنان من رجال الأمن في تفجير إرهابي بمنطقة القطيف.", "bombing", "القطيف"),
        ("قتل خمسة أشخاص أمس في سقوط قذيفة على حي في مدينة حمص.", "attack", "حمص"),
        ("قتل عشرون شخصا أمس الاثنين في غارة جوية على مدينة حلب.", "aerial", "حلب"),
        ("مقتل سبعة من جنود الجيش وإصابة أربعة آخرين بعد تعرضهم لكمين في مدينة الموصل.", "attack", "الموصل"),
        ("قتل سبعة جنود إثر تعرضهم لهجوم في مدينة الموصل.", "attack", "الموصل"),
    ],
)
def test_a_toll_and_its_cause_are_one_event_with_the_causes_means_and_place(
    text: str, mode: str, place: str
) -> None:
    doc = doc_of(text)
    (event,) = doc.events
    assert (event.plover_type, event.plover_mode) == ("ASSAULT", mode)
    assert event.location is not None and place in doc.entities[event.location].name_ar
    assert text[event.start : event.end] == event.quote
    assert event.killed is not None


def test_a_cause_that_names_no_one_and_no_place_still_gives_its_means() -> None:
    doc = doc_of("قتل سبعة جنود بعد تعرضهم لإطلاق نار من مسلحين.")
    (event,) = doc.events
    assert event.plover_mode == "attack"
    assert event.quote.endswith("مسلحين")


def test_a_date_between_the_toll_and_its_cause_dates_the_event() -> None:
    doc = doc_of("قتل ثلاثة أشخاص وأصيب العشرات بجروح أمس، في سقوط صاروخ على سوق شعبي.")
    (event,) = doc.events
    assert event.plover_mode == "attack"
    assert date_of(doc, event.date) == date(2015, 7, 21)


def test_the_date_the_cause_gives_wins_over_the_reports_date_before_the_toll() -> None:
    doc = doc_of("الأحد 19 يوليو مقتل ستة جنود إثر تعرضهم لهجوم مسلح مساء الجمعة الماضي في مدينة الموصل.")
    (event,) = doc.events
    assert date_of(doc, event.date) == date(2015, 7, 17)


def test_a_ceasefire_is_no_fire_opened() -> None:
    doc = doc_of("دعا الوزير إلى وقف إطلاق النار في اليمن.")
    assert [(e.plover_type, e.plover_mode) for e in doc.events] == [("CONCEDE", "ceasefire")]


@pytest.mark.parametrize(
    "text",
    [
        "القيادي في التنظيم محمد العلي قتل في غارة جوية أمريكية قرب مدينة حلب أمس.",
        "وكان الناشط محمد العلي قتل برصاص قناص في مدينة حلب أمس.",
    ],
)
def test_a_passive_killing_makes_the_named_man_its_victim(text: str) -> None:
    doc = doc_of(text)
    (event,) = doc.events
    roles = {doc.entities[a.entity].name_ar: a.role for a in event.actors}
    assert roles["محمد العلي"] == "target"


def test_an_active_killing_keeps_its_agent() -> None:
    doc = doc_of("قتل المسلحون الثلاثة رجلا في مدينة حلب.")
    (event,) = doc.events
    assert event.plover_mode == "kill"


def test_one_outlets_toll_joins_another_outlets_air_strike() -> None:
    toll = "قتل أربعة أشخاص أمس في محافظة أبين."
    strike = "قصفت طائرة أمريكية سيارة في محافظة أبين أمس."
    docs = [
        extract_document(toll, SourceMeta(external_id="a", outlet="a", published=WEDNESDAY)),
        extract_document(strike, SourceMeta(external_id="b", outlet="b", published=WEDNESDAY)),
    ]
    assert docs[0].events[0].plover_mode == "kill"
    assert docs[1].events[0].plover_mode == "aerial"
    dataset = build_dataset(docs)
    assault = [e for e in dataset.events if e.type == "ASSAULT"]
    assert len(assault) == 1
    assert {x.source_id for x in assault[0].attributions} == {r.source.id for r in dataset.sources}


def test_a_toll_and_an_air_strike_are_compatible_modes_only_across_articles() -> None:
    rules = merge_rules()
    assert not rules.modes_compatible("ASSAULT", "kill", "aerial")
    assert rules.modes_compatible("ASSAULT", "kill", "aerial", across=True)
    assert rules.modes_compatible("ASSAULT", "kill", "bombing", across=True)
    assert not rules.modes_compatible("ASSAULT", "bombing", "aerial", across=True)


@pytest.mark.parametrize(
    ("text", "start", "precision"),
    [
        ("وقعت الغارة في سبتمبر أيلول 2014 قرب مدينة حلب.", date(2014, 9, 1), "month"),
        ("وقعت الغارة في 8 سبتمبر أيلول 2014 قرب مدينة حلب.", date(2014, 9, 8), "day"),
        ("وقعت الغارة في الثامن من يوليو تموز قرب مدينة حلب.", date(2015, 7, 8), "day"),
    ],
)
def test_a_month_and_its_levantine_name_with_a_bare_space_are_one_date(
    text: str, start: date, precision: str
) -> None:
    doc = doc_of(text)
    (found,) = [d for d in doc.dates if d.basis != "inferred"]
    assert (found.start_date, found.precision) == (start, precision)
    assert text[found.start : found.end] == found.text


def test_an_attack_of_years_ago_in_a_clause_about_the_victim_does_not_date_the_news() -> None:
    doc = doc_of(
        "القيادي في التنظيم محمد العلي قتل في ضربة جوية أمريكية قرب مدينة حلب، "
        "وهو من القادة الذين علموا مسبقا بهجمات 11 سبتمبر عام 2001."
    )
    strike = next(e for e in doc.events if e.plover_mode == "aerial")
    assert strike.date is None or doc.dates[strike.date].start_date != date(2001, 9, 11)


def test_a_circumstance_told_with_while_he_was_keeps_the_events_date_and_place() -> None:
    doc = doc_of(
        "القيادي في التنظيم محمد العلي قتل في ضربة جوية أمريكية في سوريا بينما كان يتنقل "
        "في سيارة قرب بلدة الدانا في الثامن من يوليو."
    )
    (strike,) = doc.events
    assert date_of(doc, strike.date) == date(2015, 7, 8)


def test_within_one_article_an_undated_report_does_not_join_one_dated_years_before() -> None:
    text = (
        "قتل خمسة أشخاص في تفجير بمدينة الموصل.\n"
        "وكانت المدينة قد شهدت تفجيرا مماثلا في مارس 2010 قتل فيه خمسة أشخاص في الموصل."
    )
    dataset = build_dataset([extract_document(text, SourceMeta(external_id="a", published=WEDNESDAY))])
    bombings = [e for e in dataset.events if e.type == "ASSAULT"]
    assert len(bombings) == 2
    assert any(e.date.start is None or e.date.start.year == 2015 for e in bombings)


def test_the_body_that_reports_the_dead_is_not_their_killer() -> None:
    doc = doc_of("وأوضحت وزارة الدفاع أنه استشهد تسعة عسكريين وجرح اثنان آخران في الهجوم.")
    (event,) = doc.events
    assert "وزارة الدفاع" not in {doc.entities[a.entity].name_ar for a in event.actors if a.role == "source"}
    assert event.killed == 9


def test_a_group_that_says_it_killed_stays_the_agent() -> None:
    doc = doc_of("أعلن تنظيم داعش أنه قتل خمسة جنود في هجوم على حاجز.")
    (event,) = doc.events
    assert "source" in {a.role for a in event.actors}


@pytest.mark.parametrize(
    "text",
    [
        "قررت الحكومة منع أفراد الجيش من السفر إلى الخارج خوفاً من استهدافهم من قبل الجماعات المسلحة.",
        "رفعت الشرطة حالة التأهب تحسبا لأي هجوم على المساجد.",
        "اتخذت السلطات إجراءات لمنع وقوع هجمات في العاصمة.",
    ],
)
def test_a_feared_or_prevented_attack_is_no_event(text: str) -> None:
    assert [e for e in doc_of(text).events if e.plover_type == "ASSAULT"] == []


def test_fear_after_the_attack_does_not_undo_it() -> None:
    (event,) = doc_of("قتل خمسة أشخاص في هجوم على حاجز أمني وسط مخاوف من هجمات جديدة.").events
    assert (event.plover_type, event.status) == ("ASSAULT", "occurred")


def test_a_campaigns_toll_in_words_does_not_join_another_outlets_bombing() -> None:
    campaign = "وقتل مئات من رجال الجيش في محافظة أبين أمس."
    bomb = "قتل أربعة جنود في انفجار عبوة ناسفة في محافظة أبين أمس."
    docs = [
        extract_document(campaign, SourceMeta(external_id="a", outlet="a", published=WEDNESDAY)),
        extract_document(bomb, SourceMeta(external_id="b", outlet="b", published=WEDNESDAY)),
    ]
    assert [e.plover_mode for d in docs for e in d.events] == ["kill", "bombing"]
    assert len([e for e in build_dataset(docs).events if e.type == "ASSAULT"]) == 2
