"""Classes of event dating that extractor 0.6.19 reads (docs/extraction.md, "Extractor 0.6.19
(dates and places)"): the occasion sentence after the event ("جاء ذلك خلال محادثات ... أمس"),
the dated statement that follows an undated event ("وقالت الوزارة في بيان اليوم"), a
meeting planned inside a dated visit ("ومن المقرر أن يلتقي"), and a protest named as the object
of its dispersal ("استخدمت الشرطة، أمس، ... من أجل تفريق مظاهرة"); and one place class, a
two-word town name after a place noun whose first word is definite ("مدينة الشيخ زويد").

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import Document, EventMention, SourceMeta
from service.extract.pipeline import extract_document

FRIDAY = date(2015, 7, 31)
THURSDAY = date(2015, 7, 30)
WEDNESDAY = date(2015, 7, 29)


def doc_of(text: str, published: date = FRIDAY) -> Document:
    return extract_document(text, SourceMeta(published=published))


def date_of(doc: Document, event: EventMention) -> date | None:
    """The date the text gives (None for none, or for the lead day: test_lead_day.py)."""
    return (
        None
        if event.date is None or doc.dates[event.date].basis == "inferred"
        else doc.dates[event.date].start_date
    )


def events_of(doc: Document, kind: str) -> list[EventMention]:
    found = [e for e in doc.events if e.plover_type == kind]
    for e in found:
        assert doc.text[e.start : e.end] == e.quote
    return found


# the occasion sentence: "جاء ذلك خلال ..."


def test_the_occasion_sentence_dates_the_event_told_before_it() -> None:
    text = (
        "اتفق الأردن والعراق على توسيع التعاون الاقتصادي بين البلدين. جاء ذلك خلال مباحثات أجراها "
        "وزير الخارجية الأردني ونظيره العراقي في عمان أمس، بحضور عدد من المسؤولين."
    )
    doc = doc_of(text)
    (agreement,) = events_of(doc, "AGREE")
    assert date_of(doc, agreement) == THURSDAY
    assert agreement.location == "kb:place.amman"
    talks = events_of(doc, "CONSULT")
    assert talks and date_of(doc, talks[0]) == THURSDAY


def test_a_sentence_that_is_no_occasion_does_not_date_the_event_before_it() -> None:
    text = (
        "اتفق الأردن والعراق على توسيع التعاون الاقتصادي بين البلدين. وأشار مراقبون إلى أن "
        "الاتفاق يأتي بعد سنوات من الجمود، وسط أجواء إقليمية متوترة أمس."
    )
    doc = doc_of(text)
    agreements = events_of(doc, "AGREE")
    assert agreements and date_of(doc, agreements[0]) is None


def test_the_occasion_of_a_statement_does_not_date_what_the_speaker_said_of_others() -> None:
    text = "قال الجيش إن قواته قصفت مواقع المسلحين. جاء ذلك في بيان نشره الجيش على موقعه أمس."
    doc = doc_of(text)
    assert all(date_of(doc, e) is None for e in events_of(doc, "ASSAULT"))


# the dated statement in the next sentence


def test_a_dated_statement_right_after_an_undated_event_dates_it() -> None:
    text = (
        "قتل ضابط في الشرطة الليبية جراء اشتباكات في مدينة بنغازي. وقالت وزارة الداخلية في بيان "
        "اليوم إن الضابط كان يؤدي واجبه."
    )
    doc = doc_of(text)
    killings = events_of(doc, "ASSAULT")
    assert killings and date_of(doc, killings[0]) == FRIDAY


def test_a_statement_dated_long_before_does_not_date_the_event() -> None:
    text = (
        "قتل ضابط في الشرطة الليبية جراء اشتباكات في مدينة بنغازي. وقالت وزارة الداخلية في بيان "
        "في الثالث من مايو 2015 إن الوضع في المدينة خطير."
    )
    doc = doc_of(text)
    killings = events_of(doc, "ASSAULT")
    assert killings and date_of(doc, killings[0]) is None


def test_an_accusation_in_the_past_takes_the_next_statement_date_one_in_the_imperfect_does_not() -> None:
    statement = " وقالت وزارة الداخلية في بيان اليوم إن الشرطة اعتقلت عشرة أشخاص."
    past = doc_of("واتهم المسؤولون الأتراك تنظيم داعش بالوقوف خلف الهجمات على الحدود." + statement)
    (accusation,) = events_of(past, "ACCUSE")
    assert date_of(past, accusation) == FRIDAY
    standing = doc_of("ويتهم المسؤولون الأتراك تنظيم داعش بالوقوف خلف الهجمات على الحدود." + statement)
    (accusation,) = events_of(standing, "ACCUSE")
    assert date_of(standing, accusation) is None


# a meeting planned inside a dated visit


def test_a_meeting_planned_during_a_dated_visit_takes_the_visit_day_and_place() -> None:
    text = (
        "وصل وزير الخارجية الألماني فرانك فالتر شتاينماير يوم الأربعاء إلى القاهرة في زيارة "
        "تستغرق يوما واحدا. ومن المقرر أن يلتقي شتاينماير مع الرئيس المصري عبد الفتاح السيسي."
    )
    doc = doc_of(text)
    meetings = [e for e in events_of(doc, "CONSULT") if e.plover_mode != "visit"]
    assert meetings
    assert meetings[0].status == "planned"
    assert date_of(doc, meetings[0]) == WEDNESDAY
    assert meetings[0].location == "kb:place.cairo"


def test_a_meeting_of_someone_else_does_not_take_the_visit_day() -> None:
    text = (
        "وصل وزير الخارجية الألماني فرانك فالتر شتاينماير يوم الأربعاء إلى القاهرة في زيارة "
        "تستغرق يوما واحدا. ومن المقرر أن يلتقي رئيس الوزراء الإيطالي ماتيو رينزي مع الرئيس "
        "المصري عبد الفتاح السيسي."
    )
    doc = doc_of(text)
    meetings = [e for e in events_of(doc, "CONSULT") if e.plover_mode != "visit"]
    assert meetings and date_of(doc, meetings[0]) is None


# a protest inside its dispersal's sentence


def test_a_protest_dispersed_takes_the_dispersal_date_and_gives_its_place() -> None:
    text = (
        "استخدمت الشرطة، أمس الخميس، الغاز المسيل للدموع من أجل تفريق مظاهرة نظمها مئات العمال "
        "في العاصمة عمان."
    )
    doc = doc_of(text)
    (protest,) = events_of(doc, "PROTEST")
    assert date_of(doc, protest) == THURSDAY
    dispersals = [e for e in events_of(doc, "COERCE") if e.plover_mode == "repress"]
    assert dispersals and dispersals[0].location == "kb:place.amman"


def test_a_protest_in_another_sentence_than_the_dispersal_keeps_its_own_date() -> None:
    text = (
        "فرقت قوات الأمن أمس الخميس تجمعا للعمال أمام الوزارة. ونظم مئات الطلاب مظاهرة في مدينة "
        "الخرطوم للمطالبة بالإفراج عن زملائهم."
    )
    doc = doc_of(text)
    protests = [e for e in events_of(doc, "PROTEST") if "مظاهرة" in e.quote]
    assert protests and date_of(doc, protests[0]) is None


# places: a definite first word of a two-word settlement name ("مدينة الشيخ زويد")


def test_a_town_named_by_two_words_after_a_place_noun_is_one_place() -> None:
    text = "اعتقلت الشرطة أربعة أشخاص في مدينة منزل بورقيبة التابعة لولاية بنزرت أمس."
    doc = doc_of(text)
    assert "مدينة منزل بورقيبة" in {m.text for m in doc.mentions}
    # an unlisted one ("الشيخ زويد" has been listed since 0.9.3 and is matched as the listed town)
    text = "قتل سبعة مسلحين في حملة أمنية بمدينة الشيخ مسكين التابعة لمحافظة درعا أمس."
    doc = doc_of(text)
    assert "مدينة الشيخ مسكين" in {m.text for m in doc.mentions}


def test_a_starter_word_alone_ends_the_name() -> None:
    doc = doc_of("اعتقلت الشرطة أربعة أشخاص في مدينة الشيخ، وأفرجت عنهم أمس.")
    assert not any(m.text.startswith("مدينة الشيخ ") for m in doc.mentions)
