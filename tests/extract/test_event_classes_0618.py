"""Classes of event construction that extractor 0.6.18 reads (docs/extraction.md, "Extractor 0.6.18
(events)"): coming under shells ("تعرض X لقذائف"), the Maghrebi arrest noun "إيقاف" before persons
or a number, an operation's results as its events, an announced verbal noun with its victims
("أعلنت ... عن مقتل عنصر واعتقال 13 آخرين"), raids that are no arrests, a toll clause after its
cause ("ما أسفر عن مقتل"), retellings in a relative clause ("الذين استشهدوا هم"), a meeting inside a
visit ("زيارة ... يلتقي خلالها"), a protest as the object of its dispersal, and the group of counted
victims ("عضوين من حزب الله") as the target.

Every sentence here was written for these tests; none is copied from the corpus. Each class has a
positive and a negative case.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import Document, EventMention, SourceMeta
from service.extract.pipeline import extract_document

SATURDAY = date(2015, 7, 25)


def doc_of(text: str, published: date = SATURDAY) -> Document:
    doc = extract_document(text, SourceMeta(published=published))
    for e in doc.events:
        assert text[e.start : e.end] == e.quote
    return doc


def of_type(doc: Document, plover: str, mode: str | None = None) -> list[EventMention]:
    return [e for e in doc.events if e.plover_type == plover and (mode is None or e.plover_mode == mode)]


def roles(doc: Document, e: EventMention) -> dict[str, str]:
    return {a.entity: a.role for a in e.actors}


# coming under shells: "تعرض X لقذائف"


def test_exposure_to_shells_is_an_attack_on_the_exposed() -> None:
    doc = doc_of("تعرض مركز حدودي بمنطقة جازان لقذائف كثيفة من داخل الأراضي اليمنية صباح اليوم.")
    attacks = of_type(doc, "ASSAULT")
    assert len(attacks) == 1
    assert attacks[0].date is not None


def test_shells_without_exposure_are_no_attack_of_their_own() -> None:
    doc = doc_of("عرض المتحف قذائف قديمة من الحرب العالمية الأولى.")
    assert not of_type(doc, "ASSAULT")


# Maghrebi arrest nouns


def test_iqaf_before_a_number_is_an_arrest() -> None:
    doc = doc_of("وفي مدينة بنزرت تم إيقاف أربعة إرهابيين بعد ساعات من المحاصرة.")
    assert len(of_type(doc, "COERCE", "arrest")) == 1


def test_tawqif_of_protesters_is_an_arrest() -> None:
    doc = doc_of("استمرت المناوشات بين الشرطة والمتظاهرين في نواكشوط وانتهت بتوقيف متظاهرين.")
    assert of_type(doc, "COERCE", "arrest")


def test_iqaf_of_a_thing_is_no_arrest() -> None:
    doc = doc_of("قررت الوزارة إيقاف العمل في المشروع بمدينة بنزرت أمس.")
    assert not of_type(doc, "COERCE")


# an operation's results; an announced verbal noun with its victims


def test_the_results_of_an_operation_are_its_events_where_it_took_place() -> None:
    doc = doc_of(
        "نفذت الوحدات الأمنية منذ فجر الخميس عملية أمنية في مدينة بنزرت أسفرت عن مقتل أحد "
        "الإرهابيين المطلوبين وإيقاف ثمانية آخرين."
    )
    kills, arrests = of_type(doc, "ASSAULT", "kill"), of_type(doc, "COERCE", "arrest")
    assert len(kills) == 1 and len(arrests) == 1
    assert arrests[0].location is not None and arrests[0].location == kills[0].location


def test_an_announced_killing_and_arrests_are_events_dated_by_the_announcement() -> None:
    doc = doc_of("أعلنت وزارة الداخلية أمس الجمعة عن مقتل عنصر إرهابي واعتقال 13 آخرين أثناء عملية أمنية.")
    kills, arrests = of_type(doc, "ASSAULT", "kill"), of_type(doc, "COERCE", "arrest")
    assert len(kills) == 1 and len(arrests) == 1
    assert doc.dates[arrests[0].date].start_date == date(2015, 7, 24)


def test_an_announced_plan_without_victims_is_no_violent_event() -> None:
    doc = doc_of("أعلنت وزارة الداخلية أمس عن خطة جديدة لتنظيم المرور في العاصمة.")
    assert not doc.events


# raids are no arrests unless arrests are stated


def test_a_raid_with_its_toll_is_one_assault_and_no_arrest() -> None:
    doc = doc_of("قتل 12 مسلحا في حملة مداهمات شنتها القوات المسلحة بمدينة العريش.")
    assert not of_type(doc, "COERCE")
    assert len(of_type(doc, "ASSAULT")) == 1


def test_a_raid_with_stated_arrests_is_an_arrest() -> None:
    doc = doc_of("شنت الشرطة حملة مداهمات في مدينة العريش واعتقلت خمسة مطلوبين.")
    assert len(of_type(doc, "COERCE", "arrest")) == 1
    assert not of_type(doc, "ASSAULT")


# a toll clause after its cause


def test_a_toll_clause_after_its_cause_is_no_new_event() -> None:
    doc = doc_of(
        "قتل 12 مسلحا في هجوم للجيش على مواقع بمدينة العريش أمس. "
        "وقال المتحدث إن القوات داهمت مخبأ للمسلحين، ما أسفر عن مقتل سبعة منهم، بالإضافة إلى مقتل خمسة آخرين."
    )
    assert len(of_type(doc, "ASSAULT")) == 1


def test_a_toll_with_its_own_cause_stays_an_event() -> None:
    doc = doc_of(
        "قتل 12 مسلحا في هجوم للجيش على مواقع بمدينة العريش أمس. "
        "وفي الموصل انفجرت سيارة مفخخة قرب سوق شعبي، ما أسفر عن مقتل سبعة أشخاص."
    )
    assert len(of_type(doc, "ASSAULT")) == 2


# retellings in a relative clause


def test_a_relative_clause_retelling_a_killing_is_no_new_event() -> None:
    doc = doc_of(
        "استشهد ثلاثة جنود في هجوم على مركز حدودي بمنطقة جازان أمس. "
        "والجنود الذين استشهدوا هم العريف سالم الحربي والجندي فهد العنزي."
    )
    assert len(of_type(doc, "ASSAULT")) == 1


def test_a_killing_in_a_relative_clause_after_an_event_noun_is_kept() -> None:
    doc = doc_of("وكانت إسرائيل قد شنت غارات عديدة، آخرها الغارة التي استشهد فيها قائد ميداني في القنيطرة.")
    assert of_type(doc, "ASSAULT")


# a meeting inside a visit


def test_a_meeting_during_a_visit_is_its_own_event_with_the_visitor_as_source() -> None:
    doc = doc_of(
        "وصل وزير الخارجية الفرنسي لوران فابيوس يوم الأربعاء إلى طهران في زيارة لمدة يوم واحد "
        "يلتقي خلالها مع الرئيس الإيراني حسن روحاني."
    )
    visits, meetings = of_type(doc, "CONSULT", "visit"), of_type(doc, "CONSULT", "meet")
    assert len(visits) == 1 and len(meetings) == 1
    meeting = roles(doc, meetings[0])
    assert "source" in meeting.values() and "target" in meeting.values()
    assert set(roles(doc, meetings[0])) - set(roles(doc, visits[0])), "the host met is not the visit's"
    assert meetings[0].date == visits[0].date


def test_a_meeting_told_without_during_folds_into_the_visit() -> None:
    doc = doc_of(
        "زار وزير الخارجية الفرنسي لوران فابيوس طهران يوم الأربعاء والتقى الرئيس الإيراني حسن روحاني."
    )
    assert len(of_type(doc, "CONSULT")) == 1


# a protest as the object of its dispersal


def test_a_dispersed_protest_takes_the_date_of_its_dispersal() -> None:
    doc = doc_of(
        "استخدمت الشرطة، أمس الجمعة، القوة من أجل تفريق مظاهرة نظمها عشرات الناشطين في العاصمة نواكشوط."
    )
    (protest,) = of_type(doc, "PROTEST")
    (dispersal,) = of_type(doc, "COERCE", "repress")
    assert protest.date is not None and doc.dates[protest.date].start_date == date(2015, 7, 24)
    assert dispersal.location == protest.location is not None


def test_a_protest_not_dispersed_keeps_its_own_date() -> None:
    # (a dated statement right after an undated act dates it: test_date_classes_0619; a sentence
    # that is no statement does not)
    doc = doc_of("نظم عشرات الناشطين مظاهرة في العاصمة نواكشوط. ولم تتدخل الشرطة أمس الجمعة.")
    (protest,) = of_type(doc, "PROTEST")
    assert protest.date is None or doc.dates[protest.date].basis == "inferred"  # at most the lead day


# counted victims of a group are the target


def test_the_group_of_counted_victims_is_the_target() -> None:
    doc = doc_of("قتلت غارة إسرائيلية عضوين من حزب الله الذي يقاتل إلى جانب القوات الحكومية في القنيطرة أمس.")
    (strike,) = of_type(doc, "ASSAULT")
    by_role = roles(doc, strike)
    assert by_role.get("kb:org.hezbollah") == "target"


def test_an_attackers_group_after_a_support_verb_stays_the_source() -> None:
    doc = doc_of("شن مسلحون من تنظيم داعش هجوما على بلدة في الأنبار أمس.")
    (attack,) = of_type(doc, "ASSAULT")
    assert "source" in roles(doc, attack).values()


def test_a_meeting_named_in_a_relative_clause_is_not_a_retelling() -> None:
    # only violent acts, arrests and protests are retold by a relative clause
    doc = doc_of(
        "زار وزير التجارة الياباني واشنطن أمس. "
        "وقال الوزير إن الدول التي تلتقي اعتبارا من غد الأحد في هاواي ستبحث اتفاق التجارة."
    )
    assert len(of_type(doc, "CONSULT")) == 2
