"""Event stage: triggers, roles, place, date, status, relay, noise control.

Unit tests build a Document by running ``normalize`` and declaring the actor mentions and date
expressions by their surface forms (scaffolding for the stage under test, so each test pins down
what the event stage does with a given set of upstream facts). Pipeline tests at the bottom run
the real per-document pipeline.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.extract.document import (
    ActorKind,
    ActorMention,
    DateMention,
    Document,
    Entity,
    EventMention,
    Publication,
    RoleMention,
    SourceMeta,
)
from service.extract.pipeline import run_stages
from service.extract.text.normalize import normalize

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def build(
    text: str,
    entities: dict[str, tuple[ActorKind, list[str]] | tuple[ActorKind, list[str], list[str]]],
    dates: dict[str, date | None] | None = None,
    published: date | None = None,
) -> Document:
    """A normalised document with the given mentions (every occurrence of each surface form) and,
    optionally, the titles the actor stage would record for an entity (first occurrence)."""
    doc = Document(text=text, meta=SourceMeta(), sha256="test")
    normalize(doc)
    mentions: list[ActorMention] = []
    for key, (kind, surfaces, *titles) in entities.items():
        roles = [RoleMention(text.index(t), text.index(t) + len(t), t) for t in (titles[0] if titles else [])]
        doc.entities[key] = Entity(key=key, kind=kind, name_ar=surfaces[0], roles=roles)
        for surface in surfaces:
            at = text.find(surface)
            while at >= 0:
                mentions.append(ActorMention(at, at + len(surface), surface, key, "kb"))
                at = text.find(surface, at + 1)
    mentions.sort(key=lambda m: (m.start, -m.end))
    doc.mentions = mentions
    for surface, resolved in (dates or {}).items():
        at = text.index(surface)
        doc.dates.append(
            DateMention(
                at, at + len(surface), surface, "relative", "day", start_date=resolved, end_date=resolved
            )
        )
    doc.dates.sort(key=lambda d: d.start)
    if published is not None:
        doc.publication = Publication(date=published, precision="day", basis="metadata")
    return doc


def events_of(doc: Document) -> list[EventMention]:
    run_stages(doc, "clauses", "events")
    for e in doc.events:
        assert doc.text[e.start : e.end] == e.quote
        assert doc.text[e.trigger_start : e.trigger_start + len(e.trigger)] == e.trigger
    return doc.events


def roles(e: EventMention) -> dict[str, str]:
    return {a.entity: a.role for a in e.actors}


def date_text(doc: Document, e: EventMention) -> str | None:
    return doc.dates[e.date].text if e.date is not None else None


def test_hosted_delegation_host_is_source_and_delegation_head_is_target() -> None:
    text = (
        "استقبل وزير الخارجية التركي هاكان فيدان في أنقرة أمس وفداً إيرانياً برئاسة وزير الخارجية عباس عراقجي."
    )
    doc = build(
        text,
        {
            "fidan": ("person", ["هاكان فيدان"]),
            "araghchi": ("person", ["عباس عراقجي"]),
            "ankara": ("place", ["أنقرة"]),
        },
        {"أمس": None},
    )
    [e] = events_of(doc)
    assert (e.plover_type, e.plover_mode, e.cameo, e.status) == ("CONSULT", "host", "043", "occurred")
    assert roles(e) == {"fidan": "source", "araghchi": "target"}  # CAMEO 043: the host acts
    assert e.location == "ankara"
    assert date_text(doc, e) == "أمس"
    assert e.trigger == "استقبل"


def test_arrival_and_visit_noun_merge_into_one_visit() -> None:
    text = "وصل رئيس الوزراء العراقي محمد شياع السوداني إلى طهران يوم الثلاثاء في زيارة رسمية تستمر يومين."
    doc = build(
        text,
        {"sudani": ("person", ["محمد شياع السوداني"]), "tehran": ("place", ["طهران"])},
        {"يوم الثلاثاء": None},
    )
    [e] = events_of(doc)
    assert (e.plover_type, e.plover_mode) == ("CONSULT", "visit")
    assert roles(e) == {"sudani": "source"}
    assert e.location == "tehran"
    assert date_text(doc, e) == "يوم الثلاثاء"


def test_meeting_with_counterpart_subject_source_object_target() -> None:
    text = "والتقى وزير الدفاع العراقي ثابت العباسي في بغداد نظيره الأردني يوسف الحنيطي لبحث أمن الحدود."
    doc = build(
        text,
        {
            "abbasi": ("person", ["ثابت العباسي"]),
            "hnaiti": ("person", ["يوسف الحنيطي"]),
            "baghdad": ("place", ["بغداد"]),
        },
    )
    [e] = events_of(doc)
    assert (e.plover_type, e.plover_mode) == ("CONSULT", "meet")
    assert roles(e) == {"abbasi": "source", "hnaiti": "target"}
    assert e.location == "baghdad"


def test_planned_visit_from_schedule_cue() -> None:
    text = "ومن المقرر أن يزور الرئيس الفرنسي إيمانويل ماكرون القاهرة الشهر المقبل لإجراء محادثات."
    doc = build(text, {"macron": ("person", ["إيمانويل ماكرون"]), "cairo": ("place", ["القاهرة"])})
    [e] = events_of(doc)
    assert e.status == "planned"
    assert roles(e) == {"macron": "source"}
    assert e.location == "cairo"


def test_resolved_date_after_publication_makes_event_planned() -> None:
    text = "يلتقي وزير الخارجية السعودي فيصل بن فرحان نظيره الصيني وانغ يي في الرياض يوم 20 مايو."
    doc = build(
        text,
        {
            "faisal": ("person", ["فيصل بن فرحان"]),
            "wang": ("person", ["وانغ يي"]),
            "riyadh": ("place", ["الرياض"]),
        },
        {"يوم 20 مايو": date(2024, 5, 20)},
        published=date(2024, 5, 10),
    )
    [e] = events_of(doc)
    assert e.status == "planned"
    assert roles(e) == {"faisal": "source", "wang": "target"}


def test_summit_is_multilateral_and_planned() -> None:
    text = "ويشارك أمير قطر تميم بن حمد في قمة مجموعة العشرين المقررة في جوهانسبرغ."
    doc = build(text, {"tamim": ("person", ["تميم بن حمد"]), "joburg": ("place", ["جوهانسبرغ"])})
    [e] = events_of(doc)
    assert (e.plover_type, e.plover_mode, e.status) == ("CONSULT", "multilateral", "planned")
    assert e.location == "joburg"
    assert roles(e) == {"tamim": "participant"}


def test_speculated_arms_deal_is_speculative_aid_with_weapon_mentioned() -> None:
    text = "وتدور تكهنات حول صفقة محتملة لتزويد مصر بمقاتلات سو-35 الروسية."
    doc = build(text, {"egypt": ("country", ["مصر"]), "su35": ("weapon", ["سو-35"])})
    events = events_of(doc)
    assert events, "the speculated deal is an event"
    e = events[0]
    assert (e.plover_type, e.plover_mode, e.cameo, e.status) == ("AID", "arms", "072", "speculative")
    assert roles(e).get("su35") == "mentioned"


def test_denied_deal_is_denied_and_the_denial_claim_points_to_it() -> None:
    text = (
        "ذكرت صحيفة محلية أن الجزائر اشترت منظومة إس-400 الروسية. "
        "لكن وزارة الدفاع الجزائرية نفت ذلك، مؤكدة أن ما نشر عن صفقة المنظومة غير صحيح."
    )
    doc = build(
        text,
        {
            "algeria": ("country", ["الجزائر"]),
            "s400": ("weapon", ["إس-400"]),
            "mod_dz": ("organization", ["وزارة الدفاع الجزائرية"]),
        },
    )
    events = events_of(doc)
    aid = [e for e in events if e.plover_type == "AID"]
    assert aid and all(e.status == "denied" for e in aid)
    assert roles(aid[0])["algeria"] == "target"
    run_stages(doc, "claims", "claims")
    denials = [c for c in doc.claims if c.stance == "denies"]
    assert denials and denials[0].speaker == "mod_dz"
    assert denials[0].event is not None and doc.events[denials[0].event].plover_type == "AID"


def test_false_friends_and_negation_give_no_event() -> None:
    text = (
        "أعلنت وزارة الخارجية الليبية عن خطة المستقبل للتنمية. "
        "ولم يزر المبعوث الأممي هانس غروندبرغ صنعاء هذا العام."
    )
    doc = build(text, {"grundberg": ("person", ["هانس غروندبرغ"]), "sanaa": ("place", ["صنعاء"])})
    assert events_of(doc) == []


def test_anaphoric_mention_of_a_reported_visit_is_not_a_new_event() -> None:
    text = (
        "زار وزير الخارجية الإيراني عباس عراقجي بيروت أمس. "
        "وتناولت هذه الزيارة ملفات إعادة الإعمار، كما ركزت المحادثات على الحدود."
    )
    doc = build(
        text, {"araghchi": ("person", ["عباس عراقجي"]), "beirut": ("place", ["بيروت"])}, {"أمس": None}
    )
    [e] = events_of(doc)
    assert e.trigger == "زار"
    assert e.location == "beirut"


def test_accusation_source_and_target() -> None:
    text = "واتهمت إيران الولايات المتحدة بزعزعة الاستقرار في المنطقة."
    doc = build(text, {"iran": ("country", ["إيران"]), "usa": ("country", ["الولايات المتحدة"])})
    [e] = events_of(doc)
    assert (e.plover_type, e.cameo) == ("ACCUSE", "112")
    assert roles(e) == {"iran": "source", "usa": "target"}


def test_request_from_is_target() -> None:
    text = "وطلبت الحكومة اللبنانية من فرنسا دعماً عاجلاً للجيش."
    doc = build(text, {"lb_gov": ("organization", ["الحكومة اللبنانية"]), "france": ("country", ["فرنسا"])})
    [e] = events_of(doc)
    assert e.plover_type == "DEMAND"
    assert roles(e) == {"lb_gov": "source", "france": "target"}


def test_event_reported_by_an_agency_carries_it_as_via() -> None:
    text = (
        "وقالت وكالة الأنباء العراقية (واع) إن وزير الدفاع العراقي ثابت العباسي التقى في بغداد "
        "نظيره الأردني يوسف الحنيطي."
    )
    doc = build(
        text,
        {
            "ina": ("organization", ["وكالة الأنباء العراقية (واع)"]),
            "abbasi": ("person", ["ثابت العباسي"]),
            "hnaiti": ("person", ["يوسف الحنيطي"]),
            "baghdad": ("place", ["بغداد"]),
        },
    )
    [e] = events_of(doc)
    assert e.via == "ina"
    assert roles(e) == {"abbasi": "source", "hnaiti": "target"}
    assert "ina" not in roles(e)


def test_two_dated_visits_in_one_sentence_stay_apart() -> None:
    text = "زار وفد أردني دمشق في أيار الماضي، تلتها زيارة ثانية أمس من قبل وفد عسكري."
    doc = build(
        text,
        {"jordan": ("country", ["أردني"]), "damascus": ("place", ["دمشق"])},
        {"في أيار الماضي": None, "أمس": None},
    )
    events = events_of(doc)
    assert [date_text(doc, e) for e in events] == ["في أيار الماضي", "أمس"]


def test_past_military_intervention_is_an_assault_event_with_its_date() -> None:
    text = "وجاءت الذكرى بعد عشر سنوات من التدخل العسكري التركي في ليبيا في كانون الثاني 2020."
    doc = build(text, {"libya": ("country", ["ليبيا"])}, {"في كانون الثاني 2020": date(2020, 1, 1)})
    [e] = events_of(doc)
    assert (e.plover_type, e.status) == ("ASSAULT", "occurred")
    assert date_text(doc, e) == "في كانون الثاني 2020"


def test_no_mentions_and_no_segments_do_not_crash() -> None:
    doc = build("بحث الجانبان سبل تطوير التعاون.\n\n", {})
    assert events_of(doc) == []


def test_parties_of_a_meeting_sign_an_agreement() -> None:
    text = (
        "استقبل الرئيس الجزائري عبد المجيد تبون في الجزائر العاصمة رئيس الوزراء الإيطالي جورجيا ميلوني. "
        "ووقع الجانبان اتفاقية لتوريد الغاز."
    )
    doc = build(
        text,
        {
            "tebboune": ("person", ["عبد المجيد تبون"]),
            "meloni": ("person", ["جورجيا ميلوني"]),
            "algiers": ("place", ["الجزائر العاصمة"]),
        },
    )
    host, agree = events_of(doc)
    assert roles(host) == {"tebboune": "source", "meloni": "target"}
    assert agree.plover_type == "AGREE"
    assert roles(agree) == {"tebboune": "participant", "meloni": "participant"}


def test_same_kind_with_both_sides_is_the_same_event_not_a_new_one() -> None:
    text = (
        "استقبل وزير الدفاع الأردني يوسف الحنيطي في عمان أمس نظيره العراقي ثابت العباسي. "
        "وبحث الجانبان سبل تعزيز التعاون."
    )
    doc = build(
        text,
        {
            "hnaiti": ("person", ["يوسف الحنيطي"]),
            "abbasi": ("person", ["ثابت العباسي"]),
            "amman": ("place", ["عمان"]),
        },
        {"أمس": None},
    )
    assert len(events_of(doc)) == 1


def test_country_noun_after_the_subject_is_the_object() -> None:
    text = "واتهم وزير الخارجية الإيراني عباس عراقجي إسرائيل بتقويض المفاوضات."
    doc = build(
        text,
        {
            "araghchi": ("person", ["عباس عراقجي"]),
            "israel": ("country", ["إسرائيل"]),
            "iran": ("country", ["الإيراني"]),
        },
    )
    [e] = events_of(doc)
    assert roles(e) == {"iran": "source", "araghchi": "source", "israel": "target"}


def test_meeting_during_a_planned_visit_is_planned_too() -> None:
    text = "وسيتوجه وزير الخارجية الهندي إلى موسكو الأسبوع المقبل في زيارة يلتقي خلالها سيرغي لافروف."
    doc = build(
        text,
        {"moscow": ("place", ["موسكو"]), "lavrov": ("person", ["سيرغي لافروف"])},
        {"الأسبوع المقبل": None},
    )
    # the meeting told with "خلالها" is its own event inside the visit, as the real annotations
    # count it (docs/extraction.md, "Extractor 0.6.18 (events)"), and shares the visit's status
    visit, meeting = events_of(doc)
    assert (visit.plover_mode, visit.status, visit.location) == ("visit", "planned", "moscow")
    assert (meeting.plover_mode, meeting.status, meeting.location) == ("meet", "planned", "moscow")
    assert roles(meeting) == {"lavrov": "target"}


def test_supplying_someone_makes_them_the_recipient() -> None:
    text = "وزودت روسيا إيران بمنظومات إس-300 عام 2016."
    doc = build(
        text,
        {"russia": ("country", ["روسيا"]), "iran": ("country", ["إيران"]), "s300": ("weapon", ["إس-300"])},
        {"عام 2016": date(2016, 1, 1)},
    )
    [e] = events_of(doc)
    assert e.plover_type == "AID"
    assert roles(e) == {"russia": "source", "iran": "target", "s300": "mentioned"}


def test_denial_of_these_reports_denies_the_report_but_not_a_dated_fact() -> None:
    text = (
        "وتسلم الجيش المصري في آذار الماضي دفعة من طائرات رافال. "
        "وذكرت صحيفة محلية أن القاهرة ستتسلم مقاتلات سو-35 قريباً. "
        "غير أن مصدراً عسكرياً أكد أن هذه الأنباء عارية عن الصحة."
    )
    doc = build(
        text,
        {
            "army_eg": ("organization", ["الجيش المصري"]),
            "rafale": ("weapon", ["رافال"]),
            "su35": ("weapon", ["سو-35"]),
            "cairo": ("place", ["القاهرة"]),
        },
        {"في آذار الماضي": None},
    )
    events = events_of(doc)
    status = {next(a.entity for a in e.actors if a.role == "mentioned"): e.status for e in events}
    assert status == {"rafale": "occurred", "su35": "denied"}


def test_a_city_in_a_genitive_is_not_the_location() -> None:
    text = "وزار وفد تركي العراق أمس ضمن استراتيجية أنقرة الجديدة."
    doc = build(
        text,
        {"turkey": ("country", ["تركي"]), "iraq": ("country", ["العراق"]), "ankara": ("place", ["أنقرة"])},
        {"أمس": None},
    )
    [e] = events_of(doc)
    assert e.location is None


def test_next_sentence_elaborating_an_event_inherits_its_place() -> None:
    text = (
        "وبحث مسؤولون عسكريون ليبيون، الاثنين، مع وفد مصري، بالعاصمة طرابلس، سبل التعاون. "
        "وقال بيان رسمي إن رئيس الأركان الليبي محمد الحداد استقبل اليوم الوفد المصري برئاسة اللواء أحمد فتحي."
    )
    doc = build(
        text,
        {
            "libya": ("country", ["ليبيون", "الليبي"]),
            "egypt": ("country", ["مصري", "المصري"]),
            "tripoli": ("place", ["طرابلس"]),
            "haddad": ("person", ["محمد الحداد"]),
            "fathi": ("person", ["أحمد فتحي"]),
        },
        {"الاثنين": None, "اليوم": None},
    )
    events = events_of(doc)
    host = next(e for e in events if e.plover_mode == "host")
    assert host.location == "tripoli"
    assert roles(host)["haddad"] == "source" and roles(host)["fathi"] == "target"


def test_talks_between_two_countries_with_nothing_specific_are_background() -> None:
    text = "وتأتي هذه الخطوة ضمن مباحثات سعودية إيرانية تناولت ملفات إقليمية."
    doc = build(text, {"sa": ("country", ["سعودية"]), "ir": ("country", ["إيرانية"])})
    assert events_of(doc) == []


def test_an_organisation_inside_a_person_title_is_not_a_party() -> None:
    text = (
        "والتقى رئيس هيئة الأركان التركية متين غوراك قائد القيادة المركزية الأمريكية مايكل كوريلا في أنقرة."
    )
    doc = build(
        text,
        {
            "gurak": ("person", ["متين غوراك"], ["رئيس هيئة الأركان التركية"]),
            "tgs": ("organization", ["هيئة الأركان التركية"]),
            "kurilla": ("person", ["مايكل كوريلا"], ["قائد القيادة المركزية الأمريكية"]),
            "centcom": ("organization", ["القيادة المركزية الأمريكية"]),
            "ankara": ("place", ["أنقرة"]),
        },
    )
    [e] = events_of(doc)
    assert roles(e) == {"gurak": "source", "kurilla": "target"}


def test_events_named_in_a_no_comment_sentence_are_not_reported() -> None:
    text = "ولم تصدر وزارة الخارجية الروسية أي تفاصيل حول زيارة الوفد الإيراني إلى موسكو."
    doc = build(
        text,
        {
            "mfa_ru": ("organization", ["وزارة الخارجية الروسية"]),
            "iran": ("country", ["الإيراني"]),
            "moscow": ("place", ["موسكو"]),
        },
    )
    assert events_of(doc) == []


def test_hypothetical_deployment_is_not_an_event() -> None:
    text = "وتخشى إسرائيل من تقييد عملياتها في حال نشر منظومات دفاع جوي روسية في سوريا."
    doc = build(text, {"israel": ("country", ["إسرائيل"]), "syria": ("country", ["سوريا"])})
    assert events_of(doc) == []


def test_ministry_written_with_ta_marbuta_is_not_a_visit() -> None:
    text = "ونقل مسؤولون في وزارة الدفاع الفرنسية إلى باريس تقارير عن الوضع أمس."
    doc = build(text, {"paris": ("place", ["باريس"])}, {"أمس": None})
    assert [e for e in events_of(doc) if e.plover_type == "CONSULT"] == []


def test_demonym_phrase_over_the_trigger_names_the_actor() -> None:
    text = "وأدانت الحكومة اليمنية الغارات البريطانية على مدينة الحديدة فجر الاثنين."
    doc = build(
        text,
        {
            "uk": ("country", ["الغارات البريطانية"]),
            "hodeidah": ("place", ["الحديدة"]),
            "ye_gov": ("organization", ["الحكومة اليمنية"]),
        },
        {"فجر الاثنين": None},
    )
    strike = next(e for e in events_of(doc) if e.plover_type == "ASSAULT")
    assert roles(strike) == {"uk": "source"}
    assert strike.location == "hodeidah"
    assert date_text(doc, strike) == "فجر الاثنين"


def test_deploying_forces_is_mobilize_and_publishing_is_not() -> None:
    text = "ونشرت بريطانيا مدمرة إضافية في البحر الأحمر الأسبوع الماضي. ونشرت الصحيفة تقريراً عن الاقتصاد."
    doc = build(text, {"uk": ("country", ["بريطانيا"])}, {"الأسبوع الماضي": None})
    [e] = events_of(doc)
    assert (e.plover_type, e.cameo) == ("MOBILIZE", "154")
    assert roles(e) == {"uk": "source"}


_WORDS = [
    "استقبل",
    "وزير",
    "الدفاع",
    "في",
    "دمشق",
    "أمس",
    "وفداً",
    "برئاسة",
    "زار",
    "موسكو",
    "صفقة",
    "إس-400",
    "نفى",
    "غير صحيح",
    "،",
    ".",
    "\n",
    "وقالت",
    "إن",
    '"',
    "التقى",
    "مع",
    "هذه",
    "الزيارة",
    "لم",
    "S-400",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=40), st.data())
def test_any_text_with_any_mentions_gives_valid_spans(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    kinds = ["person", "organization", "country", "place", "weapon"]
    entities: dict[str, tuple[ActorKind, list[str]]] = {}
    for n, word in enumerate(w for w in words if w.strip() and w in text):
        if data.draw(st.booleans()):
            entities[f"e{n}"] = (data.draw(st.sampled_from(kinds)), [word])  # type: ignore[arg-type]
    doc = build(text, entities)
    events = events_of(doc)
    for e in events:
        assert all(a.entity in doc.entities for a in e.actors)
        assert e.status in ("occurred", "planned", "speculative", "denied")


def test_meeting_named_in_a_statement_frame_is_reported_with_its_guest() -> None:
    text = (
        "وأكد الرئيس اللبناني جوزاف عون خلال استقباله المبعوث الأمريكي توم باراك في بعبدا، "
        "اليوم الثلاثاء، أن لبنان ملتزم بالقرار 1701."
    )
    doc = build(
        text,
        {
            "aoun": ("person", ["جوزاف عون"], ["الرئيس اللبناني"]),
            "barrack": ("person", ["توم باراك"], ["المبعوث الأمريكي"]),
            "baabda": ("place", ["بعبدا"]),
        },
        {"اليوم الثلاثاء": None},
    )
    [e] = events_of(doc)
    assert (e.plover_mode, e.location) == ("host", "baabda")
    assert roles(e) == {"aoun": "source", "barrack": "target"}
    assert date_text(doc, e) == "اليوم الثلاثاء"


def test_phone_call_mode_from_the_adverb() -> None:
    text = "وبحث وزير الخارجية العراقي فؤاد حسين هاتفياً مع نظيره التركي هاكان فيدان ملف المياه."
    doc = build(text, {"hussein": ("person", ["فؤاد حسين"]), "fidan": ("person", ["هاكان فيدان"])})
    [e] = events_of(doc)
    assert (e.plover_mode, e.cameo) == ("phone", "041")
    assert roles(e) == {"hussein": "source", "fidan": "target"}


def test_arrest_by_a_unit_of_the_army() -> None:
    text = "أفاد مصدر أمني بأن قوة من الجيش العراقي اعتقلت ثلاثة عناصر من تنظيم داعش جنوب الموصل."
    doc = build(text, {"army": ("organization", ["الجيش العراقي"]), "isis": ("organization", ["تنظيم داعش"])})
    [e] = events_of(doc)
    assert (e.plover_type, e.cameo) == ("COERCE", "173")
    assert roles(e) == {"army": "source", "isis": "target"}


def test_agreement_signed_during_a_meeting_takes_its_place_and_date() -> None:
    text = "ووقعت قطر وتركيا اتفاقية للتعاون الدفاعي خلال اجتماع اللجنة العليا في الدوحة يوم الأحد."
    doc = build(
        text,
        {"qa": ("country", ["قطر"]), "tr": ("country", ["تركيا"]), "doha": ("place", ["الدوحة"])},
        {"يوم الأحد": None},
    )
    agree = next(e for e in events_of(doc) if e.plover_type == "AGREE")
    assert roles(agree) == {"qa": "participant", "tr": "participant"}
    assert (agree.location, date_text(doc, agree)) == ("doha", "يوم الأحد")


def test_next_sentence_about_other_people_is_not_an_elaboration() -> None:
    text = (
        "اختتم وزير الخارجية الأردني أيمن الصفدي زيارته إلى بغداد أمس. "
        "وأجرى الرئيس المصري عبد الفتاح السيسي مباحثات مع الرئيس الفرنسي إيمانويل ماكرون."
    )
    doc = build(
        text,
        {
            "safadi": ("person", ["أيمن الصفدي"]),
            "baghdad": ("place", ["بغداد"]),
            "sisi": ("person", ["عبد الفتاح السيسي"]),
            "macron": ("person", ["إيمانويل ماكرون"]),
        },
        {"أمس": None},
    )
    visit, talks = events_of(doc)
    assert (visit.location, date_text(doc, visit)) == ("baghdad", "أمس")
    assert (talks.location, talks.date) == (None, None)
    assert roles(talks) == {"sisi": "source", "macron": "target"}


def test_a_tour_of_capitals_starting_tomorrow_is_a_planned_visit() -> None:
    text = "ويبدأ وزير الخارجية الإيراني عباس عراقجي غداً جولة خليجية تشمل الرياض والدوحة."
    doc = build(
        text,
        {
            "araghchi": ("person", ["عباس عراقجي"]),
            "riyadh": ("place", ["الرياض"]),
            "doha": ("place", ["الدوحة"]),
        },
    )
    [e] = events_of(doc)
    assert (e.plover_mode, e.status) == ("visit", "planned")
    assert roles(e) == {"araghchi": "source"}


def test_summit_of_three_countries_being_prepared_is_planned() -> None:
    text = "وأكد مصدر دبلوماسي أن التحضيرات جارية لعقد قمة ثلاثية تجمع روسيا وتركيا وإيران."
    doc = build(
        text, {"ru": ("country", ["روسيا"]), "tr": ("country", ["تركيا"]), "ir": ("country", ["إيران"])}
    )
    [e] = events_of(doc)
    assert (e.plover_mode, e.status) == ("multilateral", "planned")
    assert roles(e) == {"ru": "participant", "tr": "participant", "ir": "participant"}


def test_rerunning_after_new_mentions_reads_the_new_mentions() -> None:
    text = "زار وزير الخارجية الإيراني عباس عراقجي بيروت أمس."
    doc = build(text, {"araghchi": ("person", ["عباس عراقجي"])}, {"أمس": None})
    [first] = events_of(doc)
    assert first.location is None
    at = text.index("بيروت")
    doc.entities["beirut"] = Entity(key="beirut", kind="place", name_ar="بيروت")
    doc.mentions = [*doc.mentions, ActorMention(at, at + len("بيروت"), "بيروت", "beirut", "kb")]
    [again] = events_of(doc)
    assert again.location == "beirut"


def test_an_accused_arms_supply_is_speculative() -> None:
    text = (
        "وقال المتحدث باسم التحالف تركي المالكي إن الدفاعات اعترضت الطائرة، متهماً إيران بتزويد الحوثيين "
        "بالأسلحة."
    )
    doc = build(
        text,
        {
            "maliki": ("person", ["تركي المالكي"]),
            "iran": ("country", ["إيران"]),
            "houthis": ("organization", ["الحوثيين"]),
        },
    )
    aid = next(e for e in events_of(doc) if e.plover_type == "AID")
    assert aid.status == "speculative"
    assert roles(aid) == {"iran": "source", "houthis": "target"}


# --- whole pipeline -------------------------------------------------------------------------


def seed(prefix: str) -> Document:
    from service.extract.pipeline import extract_document  # the whole per-document pipeline

    return extract_document(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"))


def names(doc: Document, e: EventMention, role: str) -> set[str]:
    """Arabic names (with aliases) of the event's actors in a role, for robust seed checks."""
    out: set[str] = set()
    for a in e.actors:
        if a.role == role:
            entity = doc.entities[a.entity]
            out |= {entity.name_ar, *entity.aliases}
    return out


def named(doc: Document, key: str | None) -> str:
    return doc.entities[key].name_ar if key else ""


def test_seed_004_hosted_talks_and_last_month_visit() -> None:
    doc = seed("004")
    host = next(e for e in doc.events if e.plover_mode == "host")
    assert host.status == "occurred"
    assert any("قصرة" in n for n in names(doc, host, "source"))
    assert any("يفك" in n for n in names(doc, host, "target"))
    assert named(doc, host.location) == "دمشق"
    assert host.date is not None and "أمس" in doc.dates[host.date].text
    visit = next(e for e in doc.events if e.plover_mode == "visit")
    assert any("قصرة" in n for n in names(doc, visit, "source"))
    # "قام بزيارة ...، التقى خلالها": the meeting is its own event inside the visit (0.6.18)
    meeting = next(e for e in doc.events if any("بيلوسوف" in n for n in names(doc, e, "target")))
    assert meeting.plover_mode == "meet"
    assert any("قصرة" in n for n in names(doc, meeting, "source"))


def test_seed_003_arms_deal_is_denied_and_the_denial_points_to_it() -> None:
    doc = seed("003")
    deals = [e for e in doc.events if e.plover_type == "AID"]
    assert deals and all(e.status == "denied" for e in deals)
    denial = next(c for c in doc.claims if c.stance == "denies")
    assert "غير صحيح" in denial.quote
    assert denial.event is not None and doc.events[denial.event].plover_type == "AID"
    summit = [e for e in doc.events if e.plover_mode == "multilateral"]
    assert summit and all(e.status == "planned" for e in summit)


def test_seed_002_visit_in_july_and_meeting_in_september() -> None:
    doc = seed("002")
    july = next(e for e in doc.events if e.date is not None and "يوليو" in doc.dates[e.date].text)
    assert july.plover_mode == "visit" and named(doc, july.location) == "موسكو"
    assert any("بوتين" in n for n in names(doc, july, "target"))
    sept = next(e for e in doc.events if e.date is not None and "أيلول" in doc.dates[e.date].text)
    assert named(doc, sept.location) == "دمشق"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_event_spans_slice_the_text(prefix: str) -> None:
    doc = seed(prefix)
    assert doc.events
    for e in doc.events:
        assert doc.text[e.start : e.end] == e.quote
        assert e.start <= e.trigger_start < e.end
        assert e.date is None or 0 <= e.date < len(doc.dates)
        assert e.location is None or doc.entities[e.location].kind in ("place", "country")
        assert all(a.entity in doc.entities for a in e.actors)
