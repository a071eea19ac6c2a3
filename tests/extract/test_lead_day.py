"""The lead day (extractor 0.8.1): an undated act of an article's first body sentence happened on
the outlet's lead day (``calendar.json`` ``lead_days_before``), an ``inferred`` date; the merge
treats such a report as undated and dates an event by it only when no report has a text date."""

from __future__ import annotations

from datetime import date

from service.extract.document import Document, EventMention, SourceMeta
from service.extract.pipeline import extract_document
from service.merge.build import build_dataset
from service.models.resources import Event

SUNDAY = date(2015, 7, 26)
LEAD = "قتل ثلاثة جنود في هجوم مسلح على حاجز للجيش في مدينة العريش."


def doc_of(text: str, outlet: str = "alriyadh", published: date = SUNDAY) -> Document:
    return extract_document(
        text, SourceMeta(outlet=outlet, published=published, external_id=f"{outlet}:{text}")
    )


def first_attack(doc: Document) -> EventMention:
    return next(e for e in doc.events if e.plover_type == "ASSAULT")


def test_an_undated_lead_of_a_print_daily_happened_the_day_before_publication() -> None:
    doc = doc_of(LEAD + " وأدانت الحكومة الهجوم بشدة.")
    attack = first_attack(doc)
    assert attack.date is not None
    lead = doc.dates[attack.date]
    assert (lead.basis, lead.start_date, lead.precision) == ("inferred", date(2015, 7, 25), "day")
    assert lead.start == lead.end == len(doc.text) and doc.text[lead.start : lead.end] == lead.text == ""


def test_an_undated_lead_of_a_web_outlet_happened_on_the_publication_day() -> None:
    doc = doc_of(LEAD, outlet="3alyoum")
    attack = first_attack(doc)
    assert attack.date is not None and doc.dates[attack.date].start_date == SUNDAY


def test_an_article_that_writes_another_recent_day_gives_its_lead_no_day() -> None:
    # its news may be of the day it writes ("الأربعاء" is neither the lead day nor the publication day)
    doc = doc_of(LEAD + " وكانت قوات الأمن قد اعتقلت مشتبها به يوم الأربعاء في المدينة.")
    assert first_attack(doc).date is None


def test_the_publication_day_written_in_the_article_does_not_block_the_lead_day() -> None:
    doc = doc_of(LEAD + " وأعلن الجيش اليوم الأحد حظر التجول في المدينة.")
    attack = first_attack(doc)
    assert attack.date is not None and doc.dates[attack.date].basis == "inferred"


def test_an_undated_act_after_the_lead_gets_no_lead_day() -> None:
    doc = doc_of("أعلنت الحكومة خطة جديدة للتنمية. " + LEAD)
    assert first_attack(doc).date is None


def test_a_dated_lead_keeps_its_own_date() -> None:
    doc = doc_of("قتل ثلاثة جنود مساء الخميس في هجوم مسلح على حاجز للجيش في مدينة العريش.")
    attack = first_attack(doc)
    assert attack.date is not None and doc.dates[attack.date].basis == "relative"
    assert doc.dates[attack.date].start_date == date(2015, 7, 23)


def attacks(*docs: Document) -> list[Event]:
    return [e for e in build_dataset(list(docs), "test").events if e.type == "ASSAULT"]


def test_an_event_only_leads_report_takes_the_lead_day() -> None:
    (event,) = attacks(doc_of(LEAD))
    assert (event.date.start, event.date.precision, event.date.basis) == (
        date(2015, 7, 25),
        "day",
        "inferred",
    )
    assert event.date.reason and "lead day" in event.date.reason


def test_a_text_date_of_another_report_dates_the_event_not_the_lead_day() -> None:
    dated = doc_of("قتل ثلاثة جنود مساء الخميس في هجوم مسلح على حاجز للجيش في مدينة العريش.", outlet="okaz")
    (event,) = attacks(doc_of(LEAD), dated)
    assert {a.outlet for a in event.attributions} == {"alriyadh", "okaz"}  # undated to the merge: one event
    assert (event.date.start, event.date.basis) == (date(2015, 7, 23), "relative")
