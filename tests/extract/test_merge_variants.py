"""Cross-outlet merges that need evidence from the articles (hand-built documents, Arabic written for
the tests): person name variants joined on a shared anchor within a date window, one article's two
tolls kept as two events, a report naming no participant joined to a fuller one at the same place
and day."""

from __future__ import annotations

from datetime import date

from merge_docs import DocBuilder

from service.merge.build import build_dataset
from service.merge.dataset import Dataset


def strike(name: str, place: str, published: date, outlet: str, lead: str = "") -> DocBuilder:
    """An article naming a militant leader killed in a drone strike on a district."""
    text = f"{lead}قالت مصادر محلية إن القيادي {name} قتل في غارة لطائرة بدون طيار على مديرية {place}."
    b = DocBuilder(text, published=published, outlet=outlet).paragraphs()
    b.entity("leader", [name])
    b.entity("district", [place], kind="place")
    return b


def people(data: Dataset) -> dict[str, list[str]]:
    """Each person actor's aliases (by the actor's Arabic name)."""
    return {a.name.ar: sorted(x.text for x in a.aliases) for a in data.actors if a.kind == "person"}


def test_a_kunya_and_a_spelling_variant_join_when_both_name_the_same_place_days_apart() -> None:
    a = strike("أبو أحمد الكازمي", "المحفد", date(2025, 3, 1), "outlet-a").build()
    b = strike("أحمد الكاظمي", "المحفد", date(2025, 3, 2), "outlet-b").build()
    data = build_dataset([a, b], "test")
    assert len(people(data)) == 1
    assert "kunya" in {m.rule for m in data.merges if m.kind == "actor"}


def test_no_variant_join_without_a_shared_anchor_or_outside_the_window() -> None:
    elsewhere = [
        strike("أبو أحمد الكازمي", "المحفد", date(2025, 3, 1), "outlet-a").build(),
        strike("أحمد الكاظمي", "لودر", date(2025, 3, 2), "outlet-b").build(),
    ]
    assert len(people(build_dataset(elsewhere, "test"))) == 2
    later = [
        strike("أبو أحمد الكازمي", "المحفد", date(2025, 3, 1), "outlet-a").build(),
        strike("أحمد الكاظمي", "المحفد", date(2025, 5, 1), "outlet-b").build(),
    ]
    assert len(people(build_dataset(later, "test"))) == 2


def test_a_country_alone_is_no_anchor() -> None:
    docs = []
    for name, outlet in (("أبو أحمد الكازمي", "outlet-a"), ("أحمد الكاظمي", "outlet-b")):
        text = f"قال مسؤول في اليمن إن {name} وصل أمس."
        b = DocBuilder(text, published=date(2025, 3, 1), outlet=outlet).paragraphs()
        b.entity("p", [name])
        b.entity("yemen", ["اليمن"], kind="country", kb_id="country.ye")
        docs.append(b.build())
    assert len(people(build_dataset(docs, "test"))) == 2


def test_a_short_name_joins_one_full_name_never_two_that_differ_in_the_middle() -> None:
    docs = [
        strike("سالم الحارثي", "المحفد", date(2025, 3, 1), "outlet-a").build(),
        strike("سالم بن علي الحارثي", "المحفد", date(2025, 3, 1), "outlet-b").build(),
        strike("سالم بن حسن الحارثي", "المحفد", date(2025, 3, 2), "outlet-c").build(),
    ]
    found = people(build_dataset(docs, "test"))
    assert len(found) == 2
    assert any("سالم الحارثي" in aliases and len(aliases) == 2 for aliases in found.values())


def test_one_articles_two_tolls_are_two_events() -> None:
    text = "أعلنت الشرطة مقتل 33 مسلحا من التنظيم في انفجار بالبلدة. وفي هجوم آخر أعلنت مقتل 19 مسلحا من التنظيم."
    b = DocBuilder(text, published=date(2025, 3, 2), outlet="outlet-a").paragraphs()
    b.entity("group", ["التنظيم", "التنظيم#1"], kind="organization")
    day = b.date("أعلنت الشرطة", date(2025, 3, 1))
    b.event("مقتل 33 مسلحا من التنظيم", "ASSAULT", "kill", actors=[("group", "target")], date_index=day)
    b.event("مقتل 19 مسلحا من التنظيم", "ASSAULT", "kill", actors=[("group", "target")], date_index=day)
    data = build_dataset([b.build()], "test")
    assert len([e for e in data.events if e.type == "ASSAULT"]) == 2


def test_a_report_naming_no_participant_joins_one_naming_the_perpetrator_at_the_same_place_and_day() -> None:
    docs = []
    for outlet, clause, perpetrator in (
        ("outlet-a", "انفجار في بلدة سروج", None),
        ("outlet-b", "هجوم انتحاري نفذه التنظيم في بلدة سروج", "التنظيم"),
    ):
        text = f"قتل العشرات يوم الاثنين في {clause}."
        b = DocBuilder(text, published=date(2025, 3, 4), outlet=outlet).paragraphs()
        b.entity("town", ["سروج"], kind="place")
        actors = []
        if perpetrator:
            b.entity("group", [perpetrator], kind="organization")
            actors = [("group", "source")]
        day = b.date("يوم الاثنين", date(2025, 3, 3))
        b.event(clause, "ASSAULT", "bombing", actors=actors, location="town", date_index=day)
        docs.append(b.build())
    data = build_dataset(docs, "test")
    assert len(data.events) == 1
    assert len({a.source_id for a in data.events[0].attributions}) == 2


def test_an_unlisted_spelling_of_a_listed_person_joins_him_beside_a_place_of_his_country() -> None:
    def talks(name: str, outlet: str, place: str, place_id: str, country: str, kb: str | None) -> DocBuilder:
        b = DocBuilder(
            f"التقى {name} في {place} بوفد من المعارضة.", published=date(2025, 3, 1), outlet=outlet
        )
        b.paragraphs()
        b.entity("p", [name], kb_id=kb, country="country.ru" if kb else None)
        b.entity("m", [place], kind="place", kb_id=place_id, country=country)
        return b

    listed = talks(
        "ميخائيل بوغدانوف", "outlet-a", "موسكو", "place.moscow", "country.ru", "person.mikhail_bogdanov"
    )
    beside = talks("ميخائيل بوجدانوف", "outlet-b", "موسكو", "place.moscow", "country.ru", None)
    assert len(people(build_dataset([listed.build(), beside.build()], "test"))) == 1
    elsewhere = talks("ميخائيل بوجدانوف", "outlet-b", "القاهرة", "place.cairo", "country.eg", None)
    assert len(people(build_dataset([listed.build(), elsewhere.build()], "test"))) == 2
