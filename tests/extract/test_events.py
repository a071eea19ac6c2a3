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

from service.extract.claims import find_claims
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
from service.extract.events import find_events
from service.extract.normalize import normalize

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def build(text: str, entities: dict[str, tuple[ActorKind, list[str]] | tuple[ActorKind, list[str], list[str]]],
          dates: dict[str, date | None] | None = None, published: date | None = None) -> Document:
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
        doc.dates.append(DateMention(at, at + len(surface), surface, "relative", "day", start_date=resolved,
                                     end_date=resolved))
    doc.dates.sort(key=lambda d: d.start)
    if published is not None:
        doc.publication = Publication(date=published, precision="day", basis="metadata")
    return doc


def events_of(doc: Document) -> list[EventMention]:
    find_events(doc)
    for e in doc.events:
        assert doc.text[e.start:e.end] == e.quote
        assert doc.text[e.trigger_start:e.trigger_start + len(e.trigger)] == e.trigger
    return doc.events


def roles(e: EventMention) -> dict[str, str]:
    return {a.entity: a.role for a in e.actors}


def date_text(doc: Document, e: EventMention) -> str | None:
    return doc.dates[e.date].text if e.date is not None else None


def test_hosted_delegation_host_is_target_and_delegation_head_is_source() -> None:
    text = "استقبل وزير الخارجية التركي هاكان فيدان في أنقرة أمس وفداً إيرانياً برئاسة وزير الخارجية عباس عراقجي."
    doc = build(text, {"fidan": ("person", ["هاكان فيدان"]), "araghchi": ("person", ["عباس عراقجي"]),
                       "ankara": ("place", ["أنقرة"])}, {"أمس": None})
    [e] = events_of(doc)
    assert (e.plover_type, e.plover_mode, e.cameo, e.status) == ("CONSULT", "host", "043", "occurred")
    assert roles(e) == {"fidan": "target", "araghchi": "source"}
    assert e.location == "ankara"
    assert date_text(doc, e) == "أمس"
    assert e.trigger == "استقبل"


def test_arrival_and_visit_noun_merge_into_one_visit() -> None:
    text = "وصل رئيس الوزراء العراقي محمد شياع السوداني إلى طهران يوم الثلاثاء في زيارة رسمية تستمر يومين."
    doc = build(text, {"sudani": ("person", ["محمد شياع السوداني"]), "tehran": ("place", ["طهران"])},
                {"يوم الثلاثاء": None})
    [e] = events_of(doc)
    assert (e.plover_type, e.plover_mode) == ("CONSULT", "visit")
    assert roles(e) == {"sudani": "source"}
    assert e.location == "tehran"
    assert date_text(doc, e) == "يوم الثلاثاء"


def test_meeting_with_counterpart_subject_source_object_target() -> None:
    text = "والتقى وزير الدفاع العراقي ثابت العباسي في بغداد نظيره الأردني يوسف الحنيطي لبحث أمن الحدود."
    doc = build(text, {"abbasi": ("person", ["ثابت العباسي"]), "hnaiti": ("person", ["يوسف الحنيطي"]),
                       "baghdad": ("place", ["بغداد"])})
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
    doc = build(text, {"faisal": ("person", ["فيصل بن فرحان"]), "wang": ("person", ["وانغ يي"]),
                       "riyadh": ("place", ["الرياض"])}, {"يوم 20 مايو": date(2024, 5, 20)},
                published=date(2024, 5, 10))
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
    text = ("ذكرت صحيفة محلية أن الجزائر اشترت منظومة إس-400 الروسية. "
            "لكن وزارة الدفاع الجزائرية نفت ذلك، مؤكدة أن ما نشر عن صفقة المنظومة غير صحيح.")
    doc = build(text, {"algeria": ("country", ["الجزائر"]), "s400": ("weapon", ["إس-400"]),
                       "mod_dz": ("organization", ["وزارة الدفاع الجزائرية"])})
    events = events_of(doc)
    aid = [e for e in events if e.plover_type == "AID"]
    assert aid and all(e.status == "denied" for e in aid)
    assert roles(aid[0])["algeria"] == "target"
    find_claims(doc)
    denials = [c for c in doc.claims if c.stance == "denies"]
    assert denials and denials[0].speaker == "mod_dz"
    assert denials[0].event is not None and doc.events[denials[0].event].plover_type == "AID"


def test_false_friends_and_negation_give_no_event() -> None:
    text = ("أعلنت وزارة الخارجية الليبية عن خطة المستقبل للتنمية. "
            "ولم يزر المبعوث الأممي هانس غروندبرغ صنعاء هذا العام.")
    doc = build(text, {"grundberg": ("person", ["هانس غروندبرغ"]), "sanaa": ("place", ["صنعاء"])})
    assert events_of(doc) == []


def test_anaphoric_mention_of_a_reported_visit_is_not_a_new_event() -> None:
    text = ("زار وزير الخارجية الإيراني عباس عراقجي بيروت أمس. "
            "وتناولت هذه الزيارة ملفات إعادة الإعمار، كما ركزت المحادثات على الحدود.")
    doc = build(text, {"araghchi": ("person", ["عباس عراقجي"]), "beirut": ("place", ["بيروت"])},
                {"أمس": None})
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
    text = ("وقالت وكالة الأنباء العراقية (واع) إن وزير الدفاع العراقي ثابت العباسي التقى في بغداد "
            "نظيره الأردني يوسف الحنيطي.")
    doc = build(text, {"ina": ("organization", ["وكالة الأنباء العراقية (واع)"]),
                       "abbasi": ("person", ["ثابت العباسي"]), "hnaiti": ("person", ["يوسف الحنيطي"]),
                       "baghdad": ("place", ["بغداد"])})
    [e] = events_of(doc)
    assert e.via == "ina"
    assert roles(e) == {"abbasi": "source", "hnaiti": "target"}
    assert "ina" not in roles(e)


def test_two_dated_visits_in_one_sentence_stay_apart() -> None:
    text = "زار وفد أردني دمشق في أيار الماضي، تلتها زيارة ثانية أمس من قبل وفد عسكري."
    doc = build(text, {"jordan": ("country", ["أردني"]), "damascus": ("place", ["دمشق"])},
                {"في أيار الماضي": None, "أمس": None})
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


# --- whole pipeline -------------------------------------------------------------------------


def seed(prefix: str) -> Document:
    from service.extract.pipeline import extract_document  # the whole per-document pipeline

    return extract_document(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_event_spans_slice_the_text(prefix: str) -> None:
    doc = seed(prefix)
    assert doc.events
    for e in doc.events:
        assert doc.text[e.start:e.end] == e.quote
        assert e.start <= e.trigger_start < e.end
        assert e.date is None or 0 <= e.date < len(doc.dates)
        assert e.location is None or doc.entities[e.location].kind in ("place", "country")
        assert all(a.entity in doc.entities for a in e.actors)
