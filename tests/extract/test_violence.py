"""Violent events as news reports them: nominal and passive events, casualty counts, the sides of
an attack (attacker, target, victims) and the date of an event told in a statement.

The sentences are written for these tests in the style of wire reports (several per class); none
is copied from an article. Each class has tests that it reads what it should and that nothing is
invented from ordinary words.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Document, EventMention, SourceMeta
from service.extract.events.casualties import read_casualties
from service.extract.pipeline import extract_document
from service.text import fold

FRIDAY = date(2015, 7, 24)


def violent(doc: Document) -> list[EventMention]:
    return [e for e in doc.events if e.plover_type == "ASSAULT"]


def sides(doc: Document, e: EventMention) -> dict[str, str]:
    return {doc.entities[a.entity].name_ar: a.role for a in e.actors}


def kb_sides(doc: Document, e: EventMention) -> dict[str, str]:
    return {doc.entities[a.entity].kb_id or a.entity: a.role for a in e.actors}


# --- nominal and passive events ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "وقال مسؤول محلي إن انفجاراً في سوق شعبية بمدينة الحلة أسفر عن مقتل 12 شخصاً.",
        "وأفاد شهود بمقتل تسعة أشخاص بانفجار سيارة مفخخة قرب حاجز للشرطة في كركوك.",
        "وقُتل أربعة جنود وأصيب سبعة آخرون في هجوم على نقطة تفتيش قرب العريش.",
        "واستشهد اثنان من رجال الأمن في تفجير إرهابي استهدف دورية في القطيف.",
        "ولقي خمسة مدنيين مصرعهم إثر سقوط قذائف على حي سكني في تعز.",
        "وأعلنت الشرطة مقتل ثلاثة عناصر من تنظيم داعش في اشتباكات مع قوات الأمن.",
    ],
)
def test_nominal_and_passive_violence_is_an_event(text: str) -> None:
    assert violent(extract_document(text))


@pytest.mark.parametrize(
    "text",
    [
        "وشهدت المدينة انفجاراً سكانياً كبيراً خلال العقد الماضي.",
        "وسجل اللاعب هدف الفوز من ضربة جزاء في الدقيقة الأخيرة.",
        "وأصيب اللاعب بكسر في قدمه خلال التدريبات.",
        "وقال الخبير إن الأسعار ستشهد انفجاراً في الأشهر المقبلة.",
        "وانطلقت الرحلة فجر الخميس من مطار الملك خالد.",
    ],
)
def test_ordinary_words_give_no_violent_event(text: str) -> None:
    assert not violent(extract_document(text))


def test_a_bombing_has_the_bombing_mode() -> None:
    doc = extract_document("وأسفر انفجار عبوة ناسفة على طريق رئيسي في بعقوبة عن مقتل ثلاثة أشخاص.")
    assert [e.plover_mode for e in violent(doc)] == ["bombing"]


# --- casualty counts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("أسفر الهجوم عن مقتل 30 شخصاً وإصابة نحو 100 آخرين", 30, 100),
        ("هجوم انتحاري أوقع 27 قتيلاً على الأقل و80 جريحاً", 27, 80),
        ("استشهد اثنان من رجال الشرطة وأصيب ستة آخرون", 2, 6),
        ("تسبب التفجير بإصابة ستة من رجال الأمن", None, 6),
        ("مقتل خمسة وعشرين شخصاً في غارة جوية", 25, None),
        ("لقي ثلاثة عشر مدنياً مصرعهم", 13, None),
        ("هاجمت الطائرة سيارة وقتلت أربعة يشتبه بانتمائهم للتنظيم", 4, None),
        ("أكد أن اثنين من عناصر الأمن قتلا بينما أصيب ثلاثة بجروح", 2, 3),
        ("وقع الهجوم في 20 يوليو في المدينة", None, None),
    ],
)
def test_casualty_counts(text: str, killed: int | None, wounded: int | None) -> None:
    found = read_casualties(fold(text).split())
    assert (found.killed, found.wounded) == (killed, wounded)


def test_counts_are_attributes_of_the_event_they_belong_to() -> None:
    doc = extract_document(
        "وقال مصدر أمني إن انفجار عبوة ناسفة في سوق بمدينة الموصل أدى إلى مقتل 7 أشخاص وإصابة 15 آخرين. "
        "وفي حادث منفصل، قتل جنديان وأصيب أربعة في هجوم على دورية في تكريت."
    )
    counted = {(e.killed, e.wounded) for e in violent(doc)}
    assert (7, 15) in counted
    assert all(k != 7 or w == 15 for k, w in counted)


def test_two_attacks_with_different_tolls_stay_two_events() -> None:
    doc = extract_document(
        "وأفاد مصدر أمني بمقتل 10 مدنيين في انفجار سيارة مفخخة في سوق بعقوبة. "
        "وأضاف المصدر أن تفجيراً مماثلاً قرب مسجد في المقدادية أدى إلى مقتل شخص واحد وإصابة سبعة."
    )
    assert len(violent(doc)) == 2


# --- sides of an attack ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "وأدان الرئيس التركي الهجوم الانتحاري الذي استهدف المركز الثقافي.",
        "ونسب رئيس الوزراء التركي الهجوم إلى تنظيم داعش.",
        "وشهدت تركيا أمس هجوماً انتحارياً دامياً.",
    ],
)
def test_the_subject_of_another_verb_is_not_the_attacker(text: str) -> None:
    doc = extract_document(text)
    for e in violent(doc):
        assert "source" not in {r for k, r in kb_sides(doc, e).items() if k == "country.tr"}, e


@pytest.mark.parametrize(
    "text",
    [
        "وقتل 30 شخصاً في انفجار ببلدة حدودية بجنوب شرق تركيا قرب الحدود مع سوريا.",
        "ووقع التفجير في مدينة قريبة من الحدود السورية.",
        "وانفجرت سيارة مفخخة في البحرين فجر الثلاثاء وأسفرت عن مقتل شرطيين.",
    ],
)
def test_a_country_named_as_where_is_not_a_side(text: str) -> None:
    doc = extract_document(text)
    assert violent(doc)
    for e in violent(doc):
        assert not any(doc.entities[a.entity].kind == "country" for a in e.actors), kb_sides(doc, e)


@pytest.mark.parametrize(
    ("text", "victims"),
    [
        ("وقتل ثلاثة جنود أتراك في هجوم على قافلة عسكرية.", "country.tr"),
        ("وأعلن الجيش مقتل ثلاثة جنود أتراك في كمين.", "country.tr"),
        ("وأفاد شهود بمقتل 33 مسلحاً من تنظيم داعش بانفجار سيارة مفخخة.", "org.isis"),
        ("وقتل عنصر من حزب العمال الكردستاني على يد قوات الأمن.", "org.pkk"),
    ],
)
def test_victims_are_the_target_side(text: str, victims: str) -> None:
    doc = extract_document(text)
    roles = {k: r for e in violent(doc) for k, r in kb_sides(doc, e).items()}
    assert roles.get(victims) == "target", roles


@pytest.mark.parametrize(
    ("text", "attacker"),
    [
        ("وقال الجيش إن ثلاثة جنود قتلوا في هجوم نفذه حزب العمال الكردستاني.", "org.pkk"),
        ("وقتل شرطي في هجوم على مركز للشرطة تم نسبه إلى حزب العمال الكردستاني.", "org.pkk"),
        ("وأصيب خمسة أشخاص في تفجير قام به تنظيم داعش في المدينة.", "org.isis"),
    ],
)
def test_an_agent_phrase_after_the_act_names_the_attacker(text: str, attacker: str) -> None:
    doc = extract_document(text)
    roles = {k: r for e in violent(doc) for k, r in kb_sides(doc, e).items()}
    assert roles.get(attacker) == "source", roles


def test_an_aircraft_shot_down_belongs_to_the_target_side() -> None:
    doc = extract_document("وأعلن الجيش الباكستاني أن قواته أسقطت طائرة تجسس هندية فوق إقليم كشمير.")
    roles = {k: r for e in violent(doc) for k, r in kb_sides(doc, e).items()}
    assert roles.get("country.in") != "source"


def test_an_outlet_is_never_a_side() -> None:
    doc = extract_document("وذكرت وكالة رويترز أن مسلحين هاجموا مركزاً للشرطة في مدينة العريش.")
    for e in doc.events:
        assert not any(doc.entities[a.entity].kb_id == "org.reuters" for a in e.actors)


# --- dates of violent events -------------------------------------------------------------------


def test_an_event_told_in_a_dated_statement_takes_the_statement_s_date() -> None:
    doc = extract_document(
        "قالت وزارة الداخلية في بيان أمس الخميس إن انفجاراً في بلدة حدودية أسفر عن مقتل 12 شخصاً.",
        SourceMeta(published=FRIDAY),
    )
    [e] = violent(doc)
    assert e.date is not None and doc.dates[e.date].start_date == date(2015, 7, 23)


def test_a_planned_event_does_not_take_the_statement_s_date() -> None:
    doc = extract_document(
        "وقال الوزير أمس الخميس إن الجيش سيشن هجوماً واسعاً على معاقل التنظيم.",
        SourceMeta(published=FRIDAY),
    )
    assert all(e.date is None for e in violent(doc) if e.status == "planned")


def test_today_with_a_weekday_keeps_the_weekday_when_the_article_carries_the_next_day() -> None:
    doc = extract_document(
        "وقال مسؤولان لرويترز إن الانفجار الذي هز البلدة اليوم الاثنين أسفر عن سقوط 27 قتيلاً.",
        SourceMeta(published=date(2015, 7, 21)),
    )
    [mention] = [d for d in doc.dates if "الاثنين" in d.text]
    assert mention.start_date == date(2015, 7, 20)


@pytest.mark.parametrize(
    "text",
    [
        "وقال المرصد إن قوات النظام السوري هاجمت مواقع للمعارضة السورية في درعا.",
        "وقصف الجيش السوري أحياء المعارضة السورية في ريف حماة.",
    ],
)
def test_an_attacker_s_own_country_is_not_the_other_side(text: str) -> None:
    doc = extract_document(text)
    for e in violent(doc):
        assert kb_sides(doc, e).get("country.sy") != "target", kb_sides(doc, e)


@pytest.mark.parametrize(
    ("text", "side", "role"),
    [
        ("وقصفت القوات التركية مواقع لحزب العمال الكردستاني في شمال العراق.", "org.pkk", "target"),
        (
            "وقصفت القوات التركية مواقع لحزب العمال الكردستاني في شمال العراق.",
            "org.tr_armed_forces",
            "source",
        ),
        ("وقتل ثلاثة جنود في هجوم لحزب العمال الكردستاني جنوب البلاد.", "org.pkk", "source"),
    ],
)
def test_whose_positions_and_whose_attack(text: str, side: str, role: str) -> None:
    doc = extract_document(text)
    roles = {k: r for e in violent(doc) for k, r in kb_sides(doc, e).items()}
    assert roles.get(side) == role, roles


def test_counted_victims_before_a_kill_verb_are_victims() -> None:
    doc = extract_document("وأفاد مسؤول بأن خمسة عناصر من تنظيم القاعدة قتلوا أمس في غارة جوية.")
    roles = {k: r for e in violent(doc) for k, r in kb_sides(doc, e).items()}
    assert roles.get("org.aqap", roles.get("org.al_qaeda")) == "target", roles
    assert any(e.killed == 5 for e in violent(doc))


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("وقع الانفجار في مدينة سوروتش القريبة من الحدود.", "مدينة سوروتش"),
        ("وتظاهر المئات في بلدة إمزورن المجاورة.", "بلدة إمزورن"),
    ],
)
def test_a_place_name_stops_before_adjectives_of_position(text: str, place: str) -> None:
    doc = extract_document(text)
    assert place in {e.name_ar for e in doc.entities.values() if e.kind == "place"}


def test_the_place_an_explosion_shook_is_where_it_happened() -> None:
    doc = extract_document("وأسفر الانفجار الذي هز بلدة تل أبيض الحدودية عن مقتل 12 شخصاً.")
    [e] = violent(doc)
    assert e.location is not None and doc.entities[e.location].name_ar.endswith("تل أبيض")
