"""Event summaries generated from structure, in English and Arabic."""

from __future__ import annotations

from datetime import date

from merge_docs import DocBuilder
from test_conflicts import deal_reports

from service.merge.build import build_dataset
from service.merge.summaries import date_phrase, describe, summarize, summary_data
from service.models.resources import (
    Actor,
    ActorRef,
    Attribution,
    Event,
    EventActor,
    EventDate,
    Location,
    Name,
    Role,
    Summary,
)

ATT = Attribution(source_id="src_x", outlet=None, published_on=None, span=(0, 1), quote="x")
SYRIA = ActorRef(id="act_sy", kind="country", name_ar="سوريا", name_en="Syria")
RUSSIA = ActorRef(id="act_ru", kind="country", name_ar="روسيا", name_en="Russia")


def person(actor_id: str, ar: str, en: str | None, role: str | None, country: ActorRef | None) -> Actor:
    roles = [Role(text=role, rank=None, attribution=ATT)] if role else []
    return Actor(id=actor_id, kind="person", name=Name(ar=ar, en=en), roles=roles, country=country)


def ref(actor: Actor) -> ActorRef:
    return ActorRef(id=actor.id, kind=actor.kind, name_ar=actor.name.ar, name_en=actor.name.en)


def talks(
    status: str = "occurred", start: date | None = date(2025, 10, 2), with_target: bool = True
) -> tuple[Event, dict[str, Actor]]:
    chief = person("act_a", "علي النعسان", "Ali al-Naasan", "رئيس هيئة الأركان العامة", SYRIA)
    deputy = person("act_b", "يونس بك يفكوروف", "Yunus-Bek Yevkurov", "نائب وزير الدفاع الروسي", RUSSIA)
    actors = [EventActor(actor=ref(chief), role="source")]
    if with_target:
        actors.append(EventActor(actor=ref(deputy), role="target"))
    event = Event(
        id="evt_x",
        type="CONSULT",
        mode="visit",
        cameo="042",
        status=status,  # type: ignore[arg-type]
        date=EventDate(start=start, end=start, precision="day" if start else "unknown", basis="explicit"),
        location=Location(id="act_m", name_ar="موسكو", name_en="Moscow"),
        actors=actors,
        summary=Summary(en="", ar=""),
        confidence=0.9,
        attributions=[ATT],
        source_count=1,
    )
    return event, {chief.id: chief, deputy.id: deputy}


def test_english_summary_names_roles_countries_place_and_date() -> None:
    event, actors = talks()
    assert summarize(event, actors).en == (
        "Syrian chief of staff Ali al-Naasan met Russian deputy defence minister Yunus-Bek Yevkurov"
        " in Moscow on 2 October 2025."
    )


def test_arabic_summary_uses_arabic_names_and_roles() -> None:
    event, actors = talks()
    ar = summarize(event, actors).ar
    assert ar.startswith("التقى رئيس هيئة الأركان العامة علي النعسان نائب وزير الدفاع الروسي يونس بك يفكوروف")
    assert ar.endswith("في موسكو في 2 أكتوبر 2025.")


def test_status_changes_the_sentence() -> None:
    event, actors = talks(status="planned")
    assert summarize(event, actors).en.startswith("Syrian chief of staff Ali al-Naasan is due to meet")
    event, actors = talks(status="denied")
    assert summarize(event, actors).en.startswith("A reported meeting between")


def test_missing_slots_fall_back_to_a_shorter_template() -> None:
    event, actors = talks(with_target=False, start=None)
    assert summarize(event, actors).en == "Syrian chief of staff Ali al-Naasan visited Moscow."


def test_every_type_reads_as_a_sentence_without_status_labels() -> None:
    event, actors = talks()
    for kind in ("RETREAT", "REJECT", "THREATEN", "SANCTION", "MOBILIZE", "CONCEDE", "SUPPORT", "COERCE"):
        for status in ("occurred", "planned", "speculative", "denied"):
            event.type, event.mode, event.status = kind, None, status  # type: ignore[assignment]
            summary = summarize(event, actors)
            assert "(" not in summary.en and "(" not in summary.ar, (kind, status, summary)
            assert summary.en.endswith(".") and summary.en[0].isupper(), (kind, status, summary)


def test_a_withdrawal_reads_as_one() -> None:
    event, actors = talks()
    event.type, event.mode = "RETREAT", "withdraw"
    summary = summarize(event, actors)
    assert summary.en.startswith("Syrian chief of staff Ali al-Naasan withdrew")
    assert "انسحب" in summary.ar


def test_bare_events_still_say_what_happened() -> None:
    event, actors = talks()
    event.actors, event.location = [], None
    for kind, words in (("AID", "Aid was delivered"), ("DEMAND", "A public call was made")):
        event.type, event.mode = kind, None
        assert summarize(event, actors).en.startswith(words)


def test_an_attack_gives_its_toll() -> None:
    event, actors = talks()
    event.type, event.mode, event.actors = "ASSAULT", "bombing", []
    event.attributions = [
        Attribution(
            source_id="a",
            outlet=None,
            published_on=None,
            span=(0, 1),
            quote="أسفر عن مقتل 30 شخصاً وإصابة نحو 100",
        ),
        Attribution(source_id="b", outlet=None, published_on=None, span=(0, 1), quote="أوقع 30 قتيلاً"),
        Attribution(source_id="c", outlet=None, published_on=None, span=(0, 1), quote="سقوط 27 قتيلاً"),
    ]
    summary = summarize(event, actors)
    assert summary.en == "A bombing took place in Moscow on 2 October 2025 (30 killed, 100 wounded)."
    assert "القتلى: 30" in summary.ar


def test_english_summaries_carry_no_arabic() -> None:
    event, actors = talks()
    houthis = ActorRef(id="act_h", kind="organization", name_ar="ميليشيات الحوثي", name_en=None)
    town = Location(id="act_t", name_ar="بلدة المحفد", name_en=None)
    someone = ActorRef(id="act_p", kind="person", name_ar="سامر الخطيب", name_en=None)
    event.type, event.mode = "ASSAULT", "attack"
    event.actors = [EventActor(actor=houthis, role="source"), EventActor(actor=someone, role="target")]
    event.location = town
    en = summarize(event, actors).en
    assert en == "Houthi Militias attacked Samer al-Khatib in al-Mahfd on 2 October 2025."
    assert not any("\u0600" <= ch <= "\u06ff" for ch in en)


def test_month_precision_dates_read_as_months() -> None:
    event, _ = talks()
    event.date = EventDate(start=date(2025, 7, 1), end=date(2025, 7, 31), precision="month", basis="relative")
    assert date_phrase(event, "en", summary_data()) == " in July 2025"
    assert date_phrase(event, "ar", summary_data()) == " في يوليو 2025"


def test_merged_events_get_summaries_in_both_languages() -> None:
    rumour, denial = deal_reports()
    ds = build_dataset([rumour.build(), denial.build()], "test")
    summary = ds.events[0].summary
    assert summary.en == "A reported transfer of F-16 from Egypt to Jordan was denied."
    assert "إف-16" in summary.ar and summary.ar.startswith("نُفي")


def test_person_without_known_role_is_named_plainly() -> None:
    b = DocBuilder("التقى سامر الخطيب وفداً في حلب.")
    b.entity("p", ["سامر الخطيب"], name_en="Samer al-Khatib")
    b.entity("aleppo", ["حلب"], kind="place", kb_id="sy.aleppo", name_en="Aleppo", country="SY")
    b.event("التقى سامر الخطيب وفداً في حلب", "CONSULT", "meet", actors=[("p", "source")], location="aleppo")
    ds = build_dataset([b.build()], "test")
    assert ds.events[0].summary.en == "Samer al-Khatib held talks in Aleppo."


def test_a_place_that_is_also_a_participant_is_not_repeated() -> None:
    event, actors = talks()
    moscow = ActorRef(id="act_m", kind="place", name_ar="موسكو", name_en="Moscow")
    event.actors = [event.actors[0], EventActor(actor=moscow, role="target")]
    event.type, event.mode = "ASSAULT", None
    assert (
        summarize(event, actors).en
        == "Syrian chief of staff Ali al-Naasan attacked Moscow on 2 October 2025."
    )


def _with_actors(
    kind: str, *pairs: tuple[ActorRef, str], mode: str | None = None
) -> tuple[Event, dict[str, Actor]]:
    event, actors = talks()
    event.type, event.mode, event.location = kind, mode, None  # type: ignore[assignment]
    event.actors = [EventActor(actor=r, role=role) for r, role in pairs]  # type: ignore[arg-type]
    return event, actors


def _org(name_ar: str, name_en: str | None = None, kind: str = "organization") -> ActorRef:
    return ActorRef(id=f"act_{name_en or name_ar}", kind=kind, name_ar=name_ar, name_en=name_en)  # type: ignore[arg-type]


def test_arabic_verbs_agree_with_a_feminine_subject() -> None:
    egypt = _org("مصر", "Egypt", kind="country")
    iraq = _org("العراق", "Iraq", kind="country")
    for subject, verb in (
        (egypt, "أصدرت"),
        (iraq, "أصدر"),  # a masculine country
        (_org("وزارة الخارجية"), "أصدرت"),
        (_org("قوات الاحتلال"), "أصدرت"),
        (_org("الأمم المتحدة"), "أصدرت"),  # a broken plural of things
        (_org("مجلس الأمن"), "أصدر"),
        (_org("حزب الله"), "أصدر"),
        (_org("حماس"), "أصدرت"),  # a movement named alone
    ):
        event, actors = _with_actors("DEMAND", (subject, "source"))
        assert summarize(event, actors).ar.startswith(f"{verb} {subject.name_ar} دعوة"), subject.name_ar


def test_a_person_is_feminine_by_the_role_shown_with_the_name() -> None:
    merkel = person("act_am", "أنجيلا ميركل", "Angela Merkel", "المستشارة الألمانية", None)
    queen = person("act_q", "إليزابيث الثانية", "Elizabeth II", "جلالة الملكة", None)
    king = person("act_k", "سلمان بن عبدالعزيز", "Salman bin Abdulaziz", "جلالة الملك", None)
    plain = person("act_s", "سامر الخطيب", "Samer al-Khatib", None, None)
    for actor, verb in ((merkel, "التقت"), (queen, "التقت"), (king, "التقى"), (plain, "التقى")):
        event, _ = _with_actors(
            "CONSULT", (ref(actor), "source"), (_org("ليبيا", "Libya", kind="country"), "target")
        )
        assert summarize(event, {actor.id: actor}).ar.startswith(verb + " "), actor.name.ar


def test_the_verb_agrees_with_the_first_of_several_subjects_and_passives_with_the_target() -> None:
    event, actors = _with_actors(
        "CONSULT", (_org("تركيا", "Turkey", kind="country"), "source"), (_org("مجلس الأمن"), "target")
    )
    assert summarize(event, actors).ar.startswith("التقت تركيا مجلس الأمن")
    event, actors = _with_actors("ASSAULT", (_org("إيران", "Iran", kind="country"), "target"))
    assert summarize(event, actors).ar.startswith("تعرضت إيران لهجوم")
    event, actors = _with_actors(
        "ASSAULT", (_org("مجلس الأمن"), "source"), (_org("سوريا", "Syria", kind="country"), "target")
    )
    assert summarize(event, actors).ar.startswith("هاجم مجلس الأمن سوريا")  # the object does not decide


def test_a_feminine_subject_makes_its_possessives_feminine() -> None:
    event, actors = _with_actors("REJECT", (_org("روسيا", "Russia", kind="country"), "source"))
    assert summarize(event, actors).ar.startswith("أعلنت روسيا رفضها")
    event, actors = _with_actors("REJECT", (_org("العراق", "Iraq", kind="country"), "source"))
    assert summarize(event, actors).ar.startswith("أعلن العراق رفضه")


def test_english_be_forms_agree_in_number_with_the_subject() -> None:
    greece = _org("اليونان", "Greece", kind="country")
    italy = _org("إيطاليا", "Italy", kind="country")
    event, actors = _with_actors("CONSULT", (greece, "participant"))
    event.status = "planned"
    assert summarize(event, actors).en.startswith("Greece is due to hold talks")
    event, actors = _with_actors("CONSULT", (greece, "participant"), (italy, "participant"))
    event.status = "planned"
    assert summarize(event, actors).en.startswith("Greece and Italy are due to hold talks")
    militias = _org("ميليشيات الحوثي", "Houthi Militias")
    event, actors = _with_actors("ACCUSE", (militias, "target"))
    assert summarize(event, actors).en.startswith("Houthi Militias were accused")
    event, actors = _with_actors("COERCE", (_org("سامر الخطيب", "Samer al-Khatib", kind="person"), "target"))
    assert summarize(event, actors).en.startswith("Samer al-Khatib was detained")


def test_english_agreement_leaves_a_subject_that_is_not_the_slot_alone() -> None:
    event, actors = _with_actors(
        "ASSAULT", (_org("جهاز مكافحة الإرهاب", "Counter-Terrorism Service"), "target"), mode="kill"
    )
    assert summarize(event, actors).en.startswith("Members of Counter-Terrorism Service were killed")


def test_common_roles_have_english_labels() -> None:
    for role, label in (
        ("المستشارة الألمانية", "German chancellor Angela Merkel"),
        ("وزير الصحة", "German health minister Angela Merkel"),
        ("الأمير", "German prince Angela Merkel"),
        ("الناطق باسم الحكومة", "German spokesperson Angela Merkel"),
    ):
        actor = person(
            "act_am", "أنجيلا ميركل", "Angela Merkel", role, _org("ألمانيا", "Germany", kind="country")
        )
        assert describe(ref(actor), actor, "en", summary_data()) == label, role
