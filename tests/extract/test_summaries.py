"""Event summaries generated from structure, in English and Arabic."""

from __future__ import annotations

from datetime import date

from merge_docs import DocBuilder
from test_conflicts import deal_reports

from service.merge.build import build_dataset
from service.merge.summaries import date_phrase, summarize, summary_data
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


def test_unknown_types_use_the_generic_template() -> None:
    event, actors = talks()
    event.type, event.mode = "RETREAT", None
    summary = summarize(event, actors)
    assert summary.en.startswith("Withdrawal") and "(occurred)" in summary.en
    assert "انسحاب" in summary.ar


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
