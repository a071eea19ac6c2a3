"""Event clauses: two events of one kind in one sentence, carriers of aid, coordinated verbs,
the speaker's own acts, events named after "بعد", and the side of a target's nationality.

Every sentence here was written for these tests; none comes from the seeds or the written test sets.
Each rule has a test that it reads what it should and one that it invents nothing.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document


def events_of(doc: Document) -> list[tuple[str, set[str], str | None]]:
    return [
        (
            e.plover_type,
            {doc.entities[a.entity].name_ar for a in e.actors},
            doc.entities[e.location].name_ar if e.location else None,
        )
        for e in doc.events
    ]


def test_an_aid_plane_arriving_is_aid_not_a_visit() -> None:
    doc = extract_document(
        "وصلت إلى مطار الملك خالد الدولي، اليوم، طائرة مساعدات قطرية تحمل 20 طناً من الأدوية."
    )
    assert [t for t, _, _ in events_of(doc)] == ["AID"]


def test_a_demand_participle_takes_the_speaker() -> None:
    doc = extract_document(
        "وقال المتحدث باسم الحركة سامر الخطيب إن الحركة جمعت آلاف التوقيعات، مطالباً الحكومة بالاستقالة."
    )
    assert ("DEMAND", {"سامر الخطيب"}, None) in [(t, a & {"سامر الخطيب"}, None) for t, a, _ in events_of(doc)]


def test_two_attacks_in_different_places_stay_two_events() -> None:
    doc = extract_document(
        "قتل 20 جندياً في هجوم شنه مسلحون من حركة الشباب على قاعدة في مدينة كيسمايو، "
        "فيما قتل 5 آخرون في هجوم شنه مسلحون من الحركة على مركز للشرطة في مدينة جوهر."
    )
    attacks = [loc for t, _, loc in events_of(doc) if t == "ASSAULT"]
    assert len(attacks) == 2 and len(set(attacks)) == 2


def test_two_reports_of_one_visit_stay_one_event() -> None:
    doc = extract_document(
        "زار وزير الخارجية التركي هاكان فيدان العاصمة دمشق اليوم، والتقى الرئيس أحمد الشرع."
    )
    assert len([t for t, _, _ in events_of(doc) if t == "CONSULT"]) == 1


def test_an_announced_act_named_by_its_noun_is_the_speaker_s() -> None:
    doc = extract_document("أعلنت جماعة الحوثي، مساء الجمعة، استهداف سفينة تجارية في البحر الأحمر.")
    attack = next(e for e in doc.events if e.plover_type == "ASSAULT")
    assert "جماعة الحوثي" in {doc.entities[a.entity].name_ar for a in attack.actors if a.role == "source"}


@pytest.mark.parametrize(
    "text",
    [
        "أعلنت وزارة الصحة مقتل 8 أشخاص في الهجوم.",
        "ونفى المتحدث باسم الوزارة سامر الخطيب صفقات السلاح مع الجانب الروسي.",
        "وقال المرصد إن الهجوم أسفر عن مقتل خمسة أشخاص.",
    ],
)
def test_a_counted_denied_or_reported_act_is_not_the_speaker_s(text: str) -> None:
    doc = extract_document(text)
    for event in doc.events:
        speakers = {"وزارة الصحة", "سامر الخطيب", "المرصد"}
        sources = {doc.entities[a.entity].name_ar for a in event.actors if a.role == "source"}
        assert not sources & speakers, event


def test_a_coordinated_verb_with_an_object_shares_the_subject() -> None:
    doc = extract_document("ووصل وزير الخارجية التركي هاكان فيدان إلى الدوحة أمس، ويزور مدينة الخور غداً.")
    visits = [e for e in doc.events if e.plover_type == "CONSULT"]
    assert all("هاكان فيدان" in {doc.entities[a.entity].name_ar for a in e.actors} for e in visits)


def test_two_meetings_with_different_parties_stay_two_events() -> None:
    doc = extract_document(
        "استقبل الرئيس التونسي قيس سعيد في قصر قرطاج وزير الخارجية الجزائري أحمد عطاف، "
        "ثم التقى رئيس حكومة الوحدة الوطنية الليبية عبد الحميد الدبيبة."
    )
    meetings = [
        {doc.entities[a.entity].name_ar for a in e.actors} for e in doc.events if e.plover_type == "CONSULT"
    ]
    assert len(meetings) == 2
    assert not any({"أحمد عطاف", "عبد الحميد الدبيبة"} <= m for m in meetings)


def test_an_event_after_baad_is_past_and_keeps_the_main_clause_s_future_out() -> None:
    doc = extract_document(
        "وقال المسؤول إن المفتشين سيعودون إلى الموقع الشهر المقبل، بعد اتفاق توصل إليه "
        "مع وزير الخارجية سامر الخطيب في فيينا.",
        SourceMeta(published=date(2025, 2, 13)),
    )
    deal = next(e for e in doc.events if e.plover_type == "AGREE")
    assert deal.status == "occurred" and deal.date is None


def test_the_nationality_of_a_targeted_ship_is_the_target_side() -> None:
    doc = extract_document("وأعلنت الجماعة، مساء الأحد، استهداف سفينة يونانية في البحر الأحمر.")
    attack = next(e for e in doc.events if e.plover_type == "ASSAULT")
    roles = {doc.entities[a.entity].name_ar: a.role for a in attack.actors}
    assert roles.get("اليونان") == "target"
