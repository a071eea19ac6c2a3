"""Cross-article merge of actors, events and claims (hand-built documents, Arabic written for the tests)."""

from __future__ import annotations

import random
from datetime import date

import msgspec
from merge_docs import DocBuilder

from service.extract.document import RelativeDate
from service.merge.build import build_dataset, source_id, stable_id
from service.merge.dataset import Dataset


def moscow_talks(
    published: date | None, rank: str, surname: str, with_date: bool = True, lead: str = ""
) -> DocBuilder:
    """An article on talks in Moscow between a Libyan chief of staff and a Russian deputy minister."""
    person = f"{rank} خالد {surname}"
    text = (
        f"{lead}التقى رئيس الأركان الليبي {person} نائب وزير الدفاع الروسي يونس بك يفكوروف في موسكو"
        f"{' يوم 2 تشرين الأول 2025' if with_date else ''}. وقال {surname.removeprefix('ال')} إن المباحثات "
        "تناولت التدريب."
    )
    b = DocBuilder(text, published=published, outlet=f"outlet-{rank}")
    b.entity(
        "chief",
        [f"خالد {surname}"],
        name_en=None,
        country="LY",
        roles=[(f"رئيس الأركان الليبي {rank}", "رئيس الأركان", rank)],
    )
    b.entity(
        "yevkurov",
        ["يونس بك يفكوروف"],
        kb_id="ru.yevkurov",
        name_en="Yunus-Bek Yevkurov",
        country="RU",
        roles=[("نائب وزير الدفاع الروسي", "نائب وزير الدفاع الروسي", None)],
        method="kb",
    )
    b.entity(
        "moscow",
        ["موسكو"],
        kind="place",
        kb_id="ru.moscow",
        name_en="Moscow",
        country="RU",
        lat=55.75,
        lon=37.62,
        method="kb",
    )
    d = b.date("2 تشرين الأول 2025", date(2025, 10, 2)) if with_date else None
    b.event(
        text.split(".")[0],
        "CONSULT",
        "meet",
        actors=[("chief", "source"), ("yevkurov", "target")],
        location="moscow",
        date_index=d,
    )
    return b


def three_reports() -> list:
    return [
        moscow_talks(date(2025, 10, 3), "اللواء", "الحمود").build(),
        moscow_talks(date(2025, 10, 4), "اللواء", "الحمود", lead="(خاص) ").build(),
        moscow_talks(None, "الفريق", "الحمود", with_date=False).build(),
    ]


def encode(ds: Dataset) -> bytes:
    return msgspec.json.encode(ds)


def test_kb_actors_merge_by_kb_id_with_a_stable_id() -> None:
    ds = build_dataset(three_reports(), "test")
    yevkurov = [a for a in ds.actors if a.name.en == "Yunus-Bek Yevkurov"]
    assert len(yevkurov) == 1
    assert yevkurov[0].id == stable_id("act", "ru.yevkurov")
    assert yevkurov[0].mention_count == 3 and yevkurov[0].event_count == 1
    assert (yevkurov[0].first_seen, yevkurov[0].last_seen) == (date(2025, 10, 3), date(2025, 10, 4))


def test_unlisted_people_merge_across_articles_with_decisions() -> None:
    ds = build_dataset(three_reports(), "test")
    people = [a for a in ds.actors if a.kind == "person" and a.name.ar == "خالد الحمود"]
    assert len(people) == 1
    chief = people[0]
    assert [alias.text for alias in chief.aliases] == ["خالد الحمود"]
    assert len(chief.aliases[0].attributions) == 3
    assert {r.rank for r in chief.roles} == {"اللواء", "الفريق"}
    actor_merges = [m for m in ds.merges if m.kind == "actor" and m.target_id == chief.id]
    assert len(actor_merges) == 2 and all(m.rule for m in actor_merges)


def test_different_people_with_similar_names_stay_apart() -> None:
    first = moscow_talks(date(2025, 10, 3), "اللواء", "الشرع").build()
    second = moscow_talks(date(2025, 10, 3), "اللواء", "الشاعر").build()
    ds = build_dataset([first, second], "test")
    names = sorted(a.name.ar for a in ds.actors if a.kind == "person" and a.name.en is None)
    assert names == ["خالد الشاعر", "خالد الشرع"]


def test_the_same_event_in_three_articles_is_one_event_with_three_attributions() -> None:
    docs = three_reports()
    ds = build_dataset(docs, "test")
    assert len(ds.events) == 1
    event = ds.events[0]
    assert event.source_count == 3 and len(event.attributions) == 3
    assert event.date.start == date(2025, 10, 2) and event.date.basis == "explicit"
    assert event.location is not None and (event.location.name_en, event.location.lat) == ("Moscow", 55.75)
    by_source = {source_id(d.sha256): d for d in docs}
    for att in event.attributions:
        assert by_source[att.source_id].text[att.span[0] : att.span[1]] == att.quote
    assert len([m for m in ds.merges if m.kind == "event"]) == 2


def test_confidence_grows_with_independent_sources() -> None:
    one = build_dataset(three_reports()[:1], "test").events[0].confidence
    three = build_dataset(three_reports(), "test").events[0].confidence
    assert 0 < one < three <= 1


def test_same_people_in_another_city_is_another_event() -> None:
    text = "استقبل اللواء خالد الحمود في طرابلس نائب وزير الدفاع الروسي يونس بك يفكوروف."
    b = DocBuilder(text)
    b.entity("chief", ["خالد الحمود"], country="LY")
    b.entity("yevkurov", ["يونس بك يفكوروف"], kb_id="ru.yevkurov", name_en="Yunus-Bek Yevkurov", country="RU")
    b.entity("tripoli", ["طرابلس"], kind="place", kb_id="ly.tripoli", name_en="Tripoli", country="LY")
    b.event(
        text[:-1], "CONSULT", "host", actors=[("chief", "source"), ("yevkurov", "target")], location="tripoli"
    )
    ds = build_dataset([*three_reports(), b.build()], "test")
    assert sorted(e.source_count for e in ds.events) == [1, 3]


def test_far_apart_dates_are_different_events() -> None:
    later = moscow_talks(date(2025, 12, 20), "اللواء", "الحمود", with_date=False)
    text = later.doc.text.replace("موسكو.", "موسكو يوم 19 كانون الأول 2025.")
    b = DocBuilder(text, published=date(2025, 12, 20))
    b.doc.entities, b.doc.mentions = later.doc.entities, later.doc.mentions
    d = b.date("19 كانون الأول 2025", date(2025, 12, 19))
    b.event(
        text.split(".")[0],
        "CONSULT",
        "meet",
        actors=[("chief", "source"), ("yevkurov", "target")],
        location="moscow",
        date_index=d,
    )
    ds = build_dataset([*three_reports()[:2], b.build()], "test")
    assert sorted(e.source_count for e in ds.events) == [1, 2]


def test_visit_and_host_reports_merge_with_roles_seen_from_the_visit() -> None:
    host = moscow_talks(date(2025, 10, 3), "اللواء", "الحمود")
    host.doc.events[0] = msgspec.structs.replace(host.doc.events[0], plover_mode="host")
    host.doc.events[0].actors.reverse()
    host.doc.events[0].actors[:] = [
        type(a)(entity=a.entity, role="source" if a.role == "target" else "target")
        for a in host.doc.events[0].actors
    ]
    visit = moscow_talks(date(2025, 10, 4), "اللواء", "الحمود", lead="(خاص) ")
    visit.doc.events[0] = msgspec.structs.replace(visit.doc.events[0], plover_mode="visit")
    ds = build_dataset([host.build(), visit.build()], "test")
    assert len(ds.events) == 1
    event = ds.events[0]
    assert event.mode == "visit"
    roles = {ea.actor.name_en or ea.actor.name_ar: ea.role for ea in event.actors}
    assert roles == {"خالد الحمود": "source", "Yunus-Bek Yevkurov": "target"}


def test_repeated_mentions_within_one_article_merge() -> None:
    b = moscow_talks(date(2025, 10, 3), "اللواء", "الحمود")
    b.event("وقال حمود إن المباحثات", "CONSULT", "meet", actors=[("chief", "participant")])
    start, end = b.span("حمود", 1)
    b.doc.mentions.append(
        type(b.doc.mentions[0])(start=start, end=end, text="حمود", entity="chief", method="surname")
    )
    b.doc.entities["chief"].mentions.append(len(b.doc.mentions) - 1)
    ds = build_dataset([b.build()], "test")
    assert len(ds.events) == 1 and len(ds.events[0].attributions) == 2 and ds.events[0].source_count == 1
    chief = next(a for a in ds.actors if a.name.ar == "خالد الحمود")
    assert sorted(alias.text for alias in chief.aliases) == ["حمود", "خالد الحمود"]


def test_mention_rows_slice_the_text() -> None:
    docs = three_reports()
    ds = build_dataset(docs, "test")
    texts = {source_id(d.sha256): d.text for d in docs}
    assert len(ds.mentions) == sum(len(d.mentions) for d in docs)
    for row in ds.mentions:
        assert texts[row.source_id][row.start : row.end] == row.quote


def test_claims_get_stable_ids_actor_refs_and_the_merged_event() -> None:
    b = moscow_talks(date(2025, 10, 3), "اللواء", "الحمود")
    content = "إن المباحثات تناولت التدريب"
    b.claim(content, "asserts", speaker="chief", event=0, about=["yevkurov"])
    docs = [b.build(), *three_reports()[1:]]
    ds = build_dataset(docs, "test")
    assert len(ds.claims) == 1
    claim = ds.claims[0]
    start = docs[0].text.index(content)
    assert claim.id == stable_id("clm", docs[0].sha256, str(start), str(start + len(content)))
    assert claim.speaker is not None and claim.speaker.name_ar == "خالد الحمود"
    assert [r.name_en for r in claim.about] == ["Yunus-Bek Yevkurov"]
    assert claim.event_id == ds.events[0].id
    assert claim.attribution.quote == content


def test_same_inputs_in_any_order_give_identical_bytes() -> None:
    docs = [*three_reports(), moscow_talks(date(2025, 10, 5), "العميد", "الشاعر").build()]
    expected = encode(build_dataset(docs, "test"))
    rng = random.Random(7)
    for _ in range(5):
        shuffled = docs[:]
        rng.shuffle(shuffled)
        assert encode(build_dataset(shuffled, "test")) == expected


def test_ids_do_not_depend_on_which_documents_come_first() -> None:
    docs = three_reports()
    ids = {a.name.ar: a.id for a in build_dataset(docs, "test").actors}
    reversed_ids = {a.name.ar: a.id for a in build_dataset(docs[::-1], "test").actors}
    assert ids == reversed_ids
    event_ids = [e.id for e in build_dataset(docs, "test").events]
    first_key = min((d.sha256, d.events[0].start) for d in docs)
    assert event_ids == [stable_id("evt", first_key[0], str(first_key[1]))]


def test_a_yearless_date_in_an_undated_article_still_separates_months() -> None:
    text = "وكان اللواء خالد الحمود قد التقى يونس بك يفكوروف في موسكو في 5 تموز."
    b = DocBuilder(text)
    b.entity("chief", ["خالد الحمود"], country="LY")
    b.entity("yevkurov", ["يونس بك يفكوروف"], kb_id="ru.yevkurov", name_en="Yunus-Bek Yevkurov", country="RU")
    b.entity("moscow", ["موسكو"], kind="place", kb_id="ru.moscow", name_en="Moscow", country="RU")
    july = b.date("5 تموز", relative=RelativeDate(unit="calendar", month=7, day=5))
    b.event(
        text[:-1],
        "CONSULT",
        "meet",
        actors=[("chief", "source"), ("yevkurov", "target")],
        location="moscow",
        date_index=july,
    )
    ds = build_dataset([*three_reports(), b.build()], "test")
    assert sorted(e.source_count for e in ds.events) == [1, 3]
    october = b.doc.text.replace("5 تموز", "2 تشرين الأول")
    c = DocBuilder(october)
    c.doc.entities, c.doc.mentions = b.doc.entities, b.doc.mentions
    c.event(
        october[:-1],
        "CONSULT",
        "meet",
        actors=[("chief", "source"), ("yevkurov", "target")],
        location="moscow",
        date_index=c.date("2 تشرين الأول", relative=RelativeDate(unit="calendar", month=10, day=2)),
    )
    ds = build_dataset([*three_reports(), c.build()], "test")
    assert [e.source_count for e in ds.events] == [4]


def test_spelling_variants_of_one_person_merge_when_corroborated() -> None:
    first = moscow_talks(date(2025, 10, 3), "اللواء", "النصّان").build()
    second = moscow_talks(date(2025, 10, 4), "اللواء", "النعسان", lead="(خاص) ").build()
    ds = build_dataset([first, second], "test")
    people = [a for a in ds.actors if a.kind == "person" and a.name.en is None]
    assert len(people) == 1
    assert sorted(alias.text for alias in people[0].aliases) == ["خالد النصّان", "خالد النعسان"]
    (decision,) = [m for m in ds.merges if m.kind == "actor" and m.target_id == people[0].id]
    assert decision.rule.startswith("skeleton") and "corroboration" in decision.evidence
    assert len(ds.events) == 1 and ds.events[0].source_count == 2


def test_the_same_text_twice_is_one_source() -> None:
    docs = three_reports()
    twice = build_dataset([*docs, moscow_talks(date(2025, 10, 3), "اللواء", "الحمود").build()], "test")
    assert encode(twice) == encode(build_dataset(docs, "test"))


def test_one_text_with_two_manifests_keeps_the_same_one_in_any_order() -> None:
    first = moscow_talks(date(2025, 10, 3), "اللواء", "الحمود").build()
    other = msgspec.structs.replace(first, meta=msgspec.structs.replace(first.meta, outlet="another outlet"))
    assert encode(build_dataset([first, other], "test")) == encode(build_dataset([other, first], "test"))
    assert len(build_dataset([first, other], "test").sources) == 1


def test_aliases_are_names_with_wrapped_lines_joined() -> None:
    text = "وصل علي\nالنعسان إلى موسكو. وقال المسؤول إن علي النعسان التقى مسؤولين روس."
    b = DocBuilder(text)
    b.entity("naasan", ["علي\nالنعسان", "علي النعسان"], country="SY")
    b.doc.mentions.append(
        type(b.doc.mentions[0])(
            start=b.span("المسؤول")[0],
            end=b.span("المسؤول")[1],
            text="المسؤول",
            entity="naasan",
            method="anaphora",
        )
    )
    b.doc.entities["naasan"].mentions.append(len(b.doc.mentions) - 1)
    b.entity("russia", ["روس"], kind="country", kb_id="RU", name_en="Russia", method="pattern")
    ds = build_dataset([b.build()], "test")
    naasan = next(a for a in ds.actors if a.kind == "person")
    assert [alias.text for alias in naasan.aliases] == ["علي النعسان"]
    assert [att.quote for att in naasan.aliases[0].attributions] == ["علي\nالنعسان", "علي النعسان"]
    assert naasan.mention_count == 3
    assert next(a for a in ds.actors if a.kind == "country").aliases == []
