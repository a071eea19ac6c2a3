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


FRIDAY = SourceMeta(published=date(2026, 3, 7))  # a Saturday: "الجمعة" is the day before


def _dated(doc: Document) -> list[tuple[str, date | None]]:
    """Each event's type and the date the text gives it (None for the lead day, ``dates.lead_day``)."""
    return [
        (
            e.plover_type,
            doc.dates[e.date].start_date
            if e.date is not None and doc.dates[e.date].basis != "inferred"
            else None,
        )
        for e in doc.events
    ]


def test_the_protesters_a_verb_acts_on_share_its_date() -> None:
    doc = extract_document(
        "فرقت قوات الأمن مساء الجمعة في مدينة البصرة مئات المحتجين الذين كانوا يطالبون بتحسين الخدمات.",
        FRIDAY,
    )
    assert ("PROTEST", date(2026, 3, 6)) in _dated(doc)
    doc = extract_document("فضت الشرطة أمس في بغداد اعتصام مئات المعلمين المطالبين برفع الرواتب.", FRIDAY)
    assert ("COERCE", date(2026, 3, 6)) in _dated(doc)


def test_an_undated_object_of_an_undated_verb_stays_undated() -> None:
    doc = extract_document(
        "فضت قوات الأمن في مدينة البصرة مئات المحتجين الذين كانوا يطالبون بتحسين الخدمات.", FRIDAY
    )
    assert ("PROTEST", None) in _dated(doc)


def test_a_form_whose_needs_are_unmet_does_not_end_the_clause_before_it() -> None:
    # "وقع" signs only an agreement; here it is the attack happening, and the date after it is the attack's
    doc = extract_document(
        "أعلنت الشرطة توقيف عدد من المشتبه بتورطهم في تفجير وقع الثلاثاء في مدينة الموصل.", FRIDAY
    )
    assert ("ASSAULT", date(2026, 3, 3)) in _dated(doc)
    assert "AGREE" not in [t for t, _ in _dated(doc)]


def test_signing_still_needs_its_agreement() -> None:
    doc = extract_document("وقع وزيرا الخارجية الثلاثاء اتفاقية للتعاون الأمني في مدينة الرياض.", FRIDAY)
    assert "AGREE" in [t for t, _ in _dated(doc)]


def test_a_sentence_on_another_matter_does_not_take_the_date_of_the_one_before() -> None:
    doc = extract_document(
        "وتكررت الهجمات منذ الهجوم الانتحاري في 3 مارس في مدينة ماردين. "
        "ومن جهة ثانية، قتل عنصر من الحزب على يد قوات الأمن في مدينة سعرت.",
        FRIDAY,
    )
    assert [d for t, d in _dated(doc) if t == "ASSAULT"][-1] is None


def test_the_next_sentence_still_elaborates_the_event_before() -> None:
    doc = extract_document(
        "وتكررت الهجمات منذ الهجوم الانتحاري في 3 مارس في مدينة ماردين. "
        "وقتل عنصر من الحزب على يد قوات الأمن في مدينة سعرت.",
        FRIDAY,
    )
    assert [d for t, d in _dated(doc) if t == "ASSAULT"][-1] == date(2026, 3, 3)


def test_a_death_in_a_road_accident_is_no_attack() -> None:
    doc = extract_document("لقي شخص مصرعه وأصيب آخران في حادث مروري صباح أمس على طريق المدينة.", FRIDAY)
    assert "ASSAULT" not in [t for t, _ in _dated(doc)]
    doc = extract_document("توفي شاب غرقاً أمس في شاطئ المدينة.", FRIDAY)
    assert "ASSAULT" not in [t for t, _ in _dated(doc)]


def test_an_attack_that_names_a_collision_is_still_an_attack() -> None:
    doc = extract_document(
        "قتل ثلاثة جنود في هجوم بسيارة مفخخة بعد اصطدام سيارة المهاجمين بحافلة عسكرية.", FRIDAY
    )
    assert "ASSAULT" in [t for t, _ in _dated(doc)]
    doc = extract_document("وأدت الأحداث إلى تصادم أهلي ومقتل 58 شخصاً في المدينة.", FRIDAY)
    assert "ASSAULT" in [t for t, _ in _dated(doc)]
