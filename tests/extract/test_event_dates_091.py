"""Classes of event dating that extractor 0.9.1 reads (docs/extraction.md, "Extractor 0.9.1
(events and dates)"): an arrest or dispersal that names the protesters takes the date of the
protest told before it ("المظاهرة التي انطلقت صباح الأربعاء" ... "فرقت المظاهرة"), and a verbal
noun joined by "و" to a dated act of the same sentence shares its date ("أسفرت عن مقتل X
وإيقاف Y"), the day a later sentence says the act took place beats the statement's day
("العملية التي جرت في 11 يوليو"); and one event class, a plane or ship arriving with relief
cargo is aid delivered, not a visit.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from test_date_classes_0619 import THURSDAY, WEDNESDAY, date_of, doc_of, events_of

from service.extract.document import Document, EventMention


def coerce_by_trigger(doc: Document, trigger: str) -> EventMention:
    (found,) = [e for e in events_of(doc, "COERCE") if e.trigger == trigger]
    return found


# an arrest or dispersal of the protesters: the protest's date


def test_a_dispersal_of_the_protest_takes_the_protest_date() -> None:
    text = (
        "نظم مئات العمال مظاهرة أمام وزارة العمل في الخرطوم يوم الأربعاء للمطالبة بزيادة الأجور. "
        "وقال شهود إن الشرطة فرقت المتظاهرين بالقوة."
    )
    doc = doc_of(text)
    (protest,) = events_of(doc, "PROTEST")
    assert date_of(doc, protest) == WEDNESDAY
    assert date_of(doc, coerce_by_trigger(doc, "فرقت")) == WEDNESDAY


def test_an_arrest_that_ends_the_protest_takes_its_date() -> None:
    text = (
        "خرج آلاف الطلاب في مسيرة وسط العاصمة أمس (الخميس) احتجاجا على رفع الرسوم الجامعية. "
        "ورفع المشاركون لافتات تطالب باستقالة الوزير. "
        "واستمرت المواجهات ساعات وانتهت باعتقال عشرات المحتجين."
    )
    doc = doc_of(text)
    assert date_of(doc, coerce_by_trigger(doc, "باعتقال")) == THURSDAY


def test_an_arrest_that_names_no_protester_stays_undated() -> None:
    text = (
        "خرج آلاف الطلاب في مسيرة وسط العاصمة أمس (الخميس) احتجاجا على رفع الرسوم الجامعية. "
        "ورفع المشاركون لافتات تطالب باستقالة الوزير. "
        "واعتقلت الشرطة ثلاثة مسلحين في مدينة أخرى."
    )
    doc = doc_of(text)
    assert date_of(doc, coerce_by_trigger(doc, "واعتقلت")) is None


def test_a_dispersal_after_a_topic_shift_stays_undated() -> None:
    text = (
        "خرج آلاف الطلاب في مسيرة وسط العاصمة أمس (الخميس) احتجاجا على رفع الرسوم الجامعية. "
        "ورفع المشاركون لافتات تطالب باستقالة الوزير. "
        "وفي سياق آخر، فرقت الشرطة المتظاهرين في مدينة أخرى."
    )
    doc = doc_of(text)
    assert date_of(doc, coerce_by_trigger(doc, "فرقت")) is None


def test_an_arrest_of_protesters_told_in_the_pluperfect_is_older_news() -> None:
    text = (
        "خرج آلاف الطلاب في مسيرة وسط العاصمة أمس (الخميس) احتجاجا على رفع الرسوم الجامعية. "
        "وكانت الشرطة قد اعتقلت عشرات المتظاهرين في احتجاجات سابقة."
    )
    doc = doc_of(text)
    assert date_of(doc, coerce_by_trigger(doc, "اعتقلت")) is None


# a verbal noun joined by "و" to a dated act


def test_a_joined_outcome_of_a_dated_operation_shares_its_date() -> None:
    text = (
        "نفذت قوات الأمن فجر الأربعاء عملية في ريف المدينة أسفرت عن مقتل مسلح مطلوب "
        "واعتقال خمسة آخرين وضبط كمية من الذخيرة."
    )
    doc = doc_of(text)
    assert date_of(doc, coerce_by_trigger(doc, "واعتقال")) == WEDNESDAY


def test_an_act_after_a_clause_stop_does_not_take_the_date() -> None:
    text = "قتل مسلح مطلوب فجر الأربعاء في ريف المدينة، بينما تواصل اعتقال المشتبه بهم في أحياء أخرى."
    doc = doc_of(text)
    arrests = [e for e in events_of(doc, "COERCE") if e.trigger.endswith("اعتقال")]
    assert all(date_of(doc, e) != WEDNESDAY for e in arrests)


# the sentence that says when the act took place ("العملية التي جرت في 11 يوليو")


def test_the_day_the_operation_took_place_beats_the_statement_day() -> None:
    text = (
        "أعلنت وزارة الدفاع الأردنية، اليوم (الجمعة)، أن قائدا ميدانيا في جماعة مسلحة قتل في غارة جوية قرب مدينة إدلب. "
        "وأوضحت الوزارة أن العملية التي جرت في 20 يوليو (تموز) أدت إلى مقتل ثلاثة مسلحين آخرين."
    )
    doc = doc_of(text)
    strikes = events_of(doc, "ASSAULT")
    assert strikes and date_of(doc, strikes[0]) == date(2015, 7, 20)


def test_an_incident_that_happened_on_a_day_dates_the_attack_told_before() -> None:
    text = (
        "قال مسؤول أمني أمس إن سبعة جنود قتلوا بنيران مسلحين في منطقة جبلية. "
        "وأضاف أن الحادث وقع مساء الأحد 26 يوليو عند نقطة تفتيش."
    )
    doc = doc_of(text)
    strikes = events_of(doc, "ASSAULT")
    assert strikes and date_of(doc, strikes[0]) == date(2015, 7, 26)


def test_a_day_that_is_no_happening_of_an_incident_does_not_date_the_attack() -> None:
    text = (
        "أعلنت وزارة الدفاع الأردنية، اليوم (الجمعة)، أن قائدا ميدانيا في جماعة مسلحة قتل في غارة جوية قرب مدينة إدلب. "
        "وأوضحت الوزارة أن الاجتماع الذي عقد في 20 يوليو (تموز) بحث الوضع الأمني."
    )
    doc = doc_of(text)
    strikes = events_of(doc, "ASSAULT")
    assert strikes and date_of(doc, strikes[0]) != date(2015, 7, 20)


def test_an_old_happening_is_background_and_does_not_date_the_news() -> None:
    text = (
        "أعلنت وزارة الدفاع الأردنية، اليوم (الجمعة)، أن قائدا ميدانيا في جماعة مسلحة قتل في غارة جوية قرب مدينة إدلب. "
        "وكان القائد قد نجا من هجوم وقع في 20 مارس 2014."
    )
    doc = doc_of(text)
    strikes = events_of(doc, "ASSAULT")
    assert strikes and date_of(doc, strikes[0]) != date(2014, 3, 20)


# a carrier arriving with relief cargo: aid delivered, not a visit


def test_a_plane_arriving_with_relief_is_aid_not_a_visit() -> None:
    text = "وصلت إلى مطار صنعاء الدولي صباح أمس طائرة عسكرية أردنية محملة بالمساعدات الطبية والغذائية."
    doc = doc_of(text)
    assert not [e for e in events_of(doc, "CONSULT") if e.trigger == "وصلت"]
    (aid,) = [e for e in events_of(doc, "AID") if e.trigger == "وصلت"]
    assert aid.plover_mode == "humanitarian"
    assert date_of(doc, aid) == THURSDAY


def test_a_ship_whose_cargo_is_named_after_the_arrival_is_aid() -> None:
    text = (
        "وصلت أمس سفينة ثالثة إلى ميناء الحديدة بعد أسابيع من الانتظار في عرض البحر، "
        "تحمل على متنها أكثر من ألفي طن من المواد الغذائية."
    )
    doc = doc_of(text)
    assert not [e for e in events_of(doc, "CONSULT") if e.trigger == "وصلت"]
    assert events_of(doc, "AID")


def test_a_minister_arriving_is_still_a_visit() -> None:
    text = "وصل وزير الخارجية الأردني إلى مطار صنعاء الدولي صباح أمس في زيارة لبحث المساعدات الإنسانية."
    doc = doc_of(text)
    assert events_of(doc, "CONSULT")


def test_a_plane_arriving_without_relief_is_no_aid() -> None:
    text = "وصلت إلى مطار صنعاء الدولي صباح أمس طائرة عسكرية أردنية تقل وفدا رسميا."
    doc = doc_of(text)
    assert not [e for e in events_of(doc, "AID") if e.trigger == "وصلت"]
