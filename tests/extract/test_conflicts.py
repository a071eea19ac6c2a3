"""Conflicts between sources: ranks, dates, statuses and contradicting claims."""

from __future__ import annotations

from datetime import date

import pytest
from merge_docs import DocBuilder
from test_merge import moscow_talks, three_reports

from service.merge.build import build_dataset
from service.merge.conflicts import conflict_id
from service.merge.number_conflicts import _disputed, counts, noun_table
from service.merge.rules import merge_rules
from service.models.resources import Attribution


def test_a_person_given_different_ranks_is_a_rank_conflict() -> None:
    ds = build_dataset(three_reports(), "test")
    chief = next(a for a in ds.actors if a.name.ar == "خالد الحمود")
    conflicts = [c for c in ds.conflicts if c.subject.id == chief.id]
    assert len(conflicts) == 1
    conflict = conflicts[0]
    assert (conflict.kind, conflict.field, conflict.id) == (
        "attribute",
        "rank",
        conflict_id(chief.id, "rank"),
    )
    values = {v.value: len(v.attributions) for v in conflict.values}
    assert values == {"اللواء": 2, "الفريق": 1}
    for value in conflict.values:
        assert all(att.quote.endswith(value.value) for att in value.attributions)


def test_one_rank_everywhere_is_no_conflict() -> None:
    ds = build_dataset(three_reports()[:2], "test")
    assert [c for c in ds.conflicts if c.field == "rank"] == []


def test_reports_a_day_apart_merge_and_surface_a_date_conflict() -> None:
    first = moscow_talks(date(2025, 10, 3), "اللواء", "الحمود")
    text = first.doc.text.replace("2 تشرين الأول", "3 تشرين الأول")
    other = moscow_talks(date(2025, 10, 4), "اللواء", "الحمود")
    second = DocBuilder(text, published=date(2025, 10, 4))
    second.doc.entities, second.doc.mentions = other.doc.entities, other.doc.mentions
    d = second.date("3 تشرين الأول 2025", date(2025, 10, 3))
    second.event(
        text.split(".")[0],
        "CONSULT",
        "meet",
        actors=[("chief", "source"), ("yevkurov", "target")],
        location="moscow",
        date_index=d,
    )
    ds = build_dataset([first.build(), second.build()], "test")
    assert len(ds.events) == 1
    event = ds.events[0]
    assert [c.field for c in event.conflicts] == ["date"]
    assert sorted(v.value for v in event.conflicts[0].values) == ["2025-10-02", "2025-10-03"]
    assert event.conflicts[0].id == conflict_id(event.id, "date")


def _deal(text: str, clause: str, status: str, published: date | None) -> DocBuilder:
    b = DocBuilder(text, published=published)
    b.entity("f16", ["إف-16"], kind="weapon", kb_id="w.f16", name_en="F-16", method="kb")
    b.entity("egypt", ["مصر"], kind="country", kb_id="EG", name_en="Egypt", method="kb")
    b.entity("jordan", ["الأردن"], kind="country", kb_id="JO", name_en="Jordan", method="kb")
    b.event(
        clause,
        "AID",
        "military",
        status=status,
        actors=[("egypt", "source"), ("jordan", "target"), ("f16", "participant")],
    )
    return b


def deal_reports() -> tuple[DocBuilder, DocBuilder]:
    rumour = _deal(
        "تتداول تقارير إمكانية حصول الأردن على طائرات إف-16 من مصر خلال الأشهر المقبلة.",
        "إمكانية حصول الأردن على طائرات إف-16 من مصر",
        "speculative",
        None,
    )
    rumour.claim(
        "إمكانية حصول الأردن على طائرات إف-16 من مصر خلال الأشهر المقبلة",
        "speculates",
        event=0,
        about=["f16"],
        channel="report",
    )
    denial = _deal(
        "نفى المتحدث باسم الخارجية المصرية أحمد أبو زيد ما تردد عن صفقة طائرات إف-16 بين مصر والأردن، "
        "مؤكداً أن لا صحة لهذه الأنباء.",
        "صفقة طائرات إف-16 بين مصر والأردن",
        "denied",
        date(2024, 5, 2),
    )
    denial.entity(
        "spokesman",
        ["أحمد أبو زيد"],
        country="EG",
        roles=[("المتحدث باسم الخارجية المصرية", "المتحدث باسم الخارجية", None)],
    )
    denial.claim("لا صحة لهذه الأنباء", "denies", speaker="spokesman", event=0, about=["f16"])
    return rumour, denial


def test_a_denial_against_speculation_is_a_claim_conflict_with_contradicts_both_ways() -> None:
    rumour, denial = deal_reports()
    ds = build_dataset([rumour.build(), denial.build()], "test")
    assert len(ds.events) == 1
    event = ds.events[0]
    assert event.status == "denied"
    assert [c.field for c in event.conflicts] == ["status"]
    conflict = event.conflicts[0]
    assert conflict.kind == "claim"
    assert {v.value for v in conflict.values} == {"denied", "speculative"}
    claims = {c.stance: c for c in ds.claims}
    assert claims["denies"].contradicts == [claims["speculates"].id]
    assert claims["speculates"].contradicts == [claims["denies"].id]
    denied = next(v for v in conflict.values if v.value == "denied")
    assert denied.claim_ids == [claims["denies"].id]
    assert conflict in ds.conflicts


def test_status_disagreement_without_claims_is_an_attribute_conflict() -> None:
    rumour, denial = deal_reports()
    rumour.doc.claims.clear()
    denial.doc.claims.clear()
    ds = build_dataset([rumour.build(), denial.build()], "test")
    (conflict,) = ds.events[0].conflicts
    assert (conflict.kind, conflict.field) == ("attribute", "status")
    assert ds.claims == []


def test_plans_that_later_happen_are_no_conflict() -> None:
    planned = moscow_talks(date(2025, 10, 1), "اللواء", "الحمود")
    planned.doc.events[0].status = "planned"
    ds = build_dataset([planned.build(), three_reports()[1]], "test")
    assert len(ds.events) == 1
    assert ds.events[0].status == "occurred" and ds.events[0].conflicts == []


def _weapon_claim(text: str, content: str, stance: str, weapon: str, published: date | None) -> DocBuilder:
    b = DocBuilder(text, published=published)
    b.entity("w", [weapon], kind="weapon", kb_id=f"w.{weapon}", name_en=weapon, method="kb")
    b.claim(content, stance, about=["w"], channel="report")
    return b


def test_claims_about_the_same_weapon_without_an_event_contradict() -> None:
    talk = _weapon_claim(
        "تتحدث تقارير عن صفقة باتريوت وشيكة بين واشنطن والرياض.",
        "صفقة باتريوت وشيكة",
        "speculates",
        "باتريوت",
        None,
    )
    denial = _weapon_claim(
        "نفى مسؤول سعودي وجود أي صفقة باتريوت جديدة.",
        "وجود أي صفقة باتريوت جديدة",
        "denies",
        "باتريوت",
        date(2024, 6, 1),
    )
    other = _weapon_claim(
        "قال خبراء إن منظومة ثاد فعالة.", "منظومة ثاد فعالة", "asserts", "ثاد", date(2024, 6, 1)
    )
    ds = build_dataset([talk.build(), denial.build(), other.build()], "test")
    (conflict,) = ds.conflicts
    assert (conflict.kind, conflict.field, conflict.subject.name_en) == ("claim", "stance", "باتريوت")
    assert {v.value for v in conflict.values} == {"denies", "speculates"}
    by_stance = {c.stance: c for c in ds.claims}
    assert by_stance["denies"].contradicts == [by_stance["speculates"].id]
    assert by_stance["speculates"].contradicts == [by_stance["denies"].id]
    assert by_stance["asserts"].contradicts == []


def _strike(published: date, killed: str, wounded: str) -> DocBuilder:
    text = f"قصفت طائرات حربية بلدة معرة النعمان يوم 3 آب 2024 ما أسفر عن {killed} قتلى و{wounded} جريحاً."
    b = DocBuilder(text, published=published)
    b.entity(
        "town", ["معرة النعمان"], kind="place", kb_id="sy.maarat", name_en="Maarat al-Numan", country="SY"
    )
    d = b.date("3 آب 2024", date(2024, 8, 3))
    b.event(text[:-1], "ASSAULT", "aerial", location="town", date_index=d)
    return b


def test_reports_of_one_event_with_different_counts_conflict() -> None:
    ds = build_dataset(
        [_strike(date(2024, 8, 3), "7", "12").build(), _strike(date(2024, 8, 4), "9", "12").build()], "test"
    )
    (event,) = ds.events
    (conflict,) = event.conflicts
    assert (conflict.field, conflict.kind) == ("count:killed", "attribute")
    assert [v.value for v in conflict.values] == ["7", "9"]
    assert conflict in ds.conflicts


def test_equal_counts_in_arabic_and_latin_digits_agree() -> None:
    ds = build_dataset(
        [_strike(date(2024, 8, 3), "٧", "١٢").build(), _strike(date(2024, 8, 4), "7", "12").build()], "test"
    )
    assert ds.events[0].source_count == 2 and ds.conflicts == []


def test_counts_written_in_words_conflict_too() -> None:
    ds = build_dataset(
        [_strike(date(2024, 8, 3), "خمسة", "12").build(), _strike(date(2024, 8, 4), "أربعة", "12").build()],
        "test",
    )
    (conflict,) = ds.events[0].conflicts
    assert [v.value for v in conflict.values] == ["4", "5"]


def test_a_source_giving_two_counts_reports_two_things_not_a_disagreement() -> None:
    assert not _disputed(
        {
            "19": [Attribution(source_id="a", outlet=None, published_on=None, span=(0, 1), quote="x")],
            "33": [
                Attribution(source_id="a", outlet=None, published_on=None, span=(2, 3), quote="y"),
                Attribution(source_id="b", outlet=None, published_on=None, span=(0, 1), quote="y"),
            ],
        }
    )


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("أسفر الانفجار عن مقتل 30 شخصاً وإصابة نحو 100", [("killed", "30"), ("wounded", "100")]),
        ("هاجمت الطائرة سيارة وقتلت أربعة يشتبه بانتمائهم للتنظيم", [("killed", "4")]),
        ("أوقع 30 قتيلاً و100 جريح", [("killed", "30"), ("wounded", "100")]),
    ],
)
def test_counts_of_a_casualty_report(quote: str, expected: list[tuple[str, str]]) -> None:
    assert counts(quote, noun_table(merge_rules())) == expected


def test_attributions_of_one_span_with_and_without_a_relay_sort_the_same_whatever_the_input_order():
    """A conflict's side can hold one span twice: the event's own report and a claim relayed by an
    agency. Their order must not depend on the input (a set's hash order changes between processes,
    and the conflict's content hash with it)."""
    from service.merge.common import attribution_key
    from service.models.resources import ActorRef, Attribution

    agency = ActorRef(id="act_agency", kind="organization", name_ar="وكالة الأنباء", name_en="News Agency")
    plain = Attribution(source_id="src_1", outlet="x", published_on=None, span=(3, 9), quote="قُتل ثلاثة")
    relayed = Attribution(
        source_id="src_1", outlet="x", published_on=None, span=(3, 9), quote="قُتل ثلاثة", via=agency
    )
    assert sorted([plain, relayed], key=attribution_key) == sorted([relayed, plain], key=attribution_key)
