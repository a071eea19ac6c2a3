"""Classes of event construction that extractor 0.6.2 reads, found by reading its output against
unannotated SaudiNewsNet days (2015-07-24, 07-25, 07-31) and the arabic_event_gsr dev split:
arson, battles and clashes told by a verb, dual nouns of violence, fire opened with the subject
between verb and object, assassinations and abductions, arrests told by "ضبط" and by "ألقت X
القبض على" when the name reader runs into the phrase, relief flights and convoys, and a talk
"by phone" that is a phone call, not a meeting.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document

SUNDAY = date(2015, 7, 26)


def doc_of(text: str) -> Document:
    return extract_document(text, SourceMeta(published=SUNDAY))


def kinds(text: str) -> list[tuple[str, str | None]]:
    return [(e.plover_type, e.plover_mode) for e in doc_of(text).events]


def test_every_new_trigger_keeps_its_quote_verbatim() -> None:
    text = "أضرم مستوطنون النار في منزل قرب نابلس فجر اليوم. وخطف مسلحون ثلاثة صحفيين في بنغازي أمس."
    doc = doc_of(text)
    assert len(doc.events) == 2
    for e in doc.events:
        assert text[e.start : e.end] == e.quote
        assert text[e.trigger_start : e.trigger_start + len(e.trigger)] == e.trigger


@pytest.mark.parametrize(
    "text",
    [
        "أضرم مستوطنون النار في منزل عائلة في قرية قرب نابلس فجر اليوم.",
        "أضرم متطرفون النيران في منزل في الضفة الغربية مما أدى إلى مقتل طفل أمس.",
        "ودانت الجامعة العربية جريمة إحراق منزل العائلة في الضفة الغربية.",
        "أحرق متطرفون مسجداً في بلدة قرب رام الله أمس.",
    ],
)
def test_arson_is_an_attack_and_its_toll_is_the_same_event(text: str) -> None:
    assert kinds(text) == [("ASSAULT", "attack")]


@pytest.mark.parametrize(
    "text",
    [
        "خاضت القوات الحكومية معارك عنيفة مع المسلحين في تعز أمس.",
        "اندلعت معارك عنيفة بين المقاومة الشعبية وميليشيات الحوثي في لحج اليوم.",
        "اشتبكت قوات الأمن مع مسلحين في بلدة رفح أمس.",
        "وتبادلت قوات الأمن إطلاق النار مع مهربين قرب الحدود أمس.",
    ],
)
def test_battles_and_clashes_told_by_a_noun_or_a_verb(text: str) -> None:
    assert kinds(text) == [("ASSAULT", "attack")]


def test_the_sides_of_a_battle_between_two_named_forces_take_part() -> None:
    doc = doc_of("اندلعت معارك عنيفة بين المقاومة الشعبية وميليشيات الحوثي في لحج اليوم.")
    (event,) = doc.events
    assert {doc.entities[a.entity].name_ar for a in event.actors} == {"المقاومة الشعبية", "جماعة الحوثي"}
    assert event.location == "kb:place.lahij"
    assert doc.dates[event.date].start_date == SUNDAY if event.date is not None else False


@pytest.mark.parametrize(
    "text",
    [
        "ويخوض الحزب معركة سياسية مع الحكومة في البرلمان منذ أشهر.",
        "وتتجه الأنظار إلى المعركة الانتخابية المقبلة.",
    ],
)
def test_a_figurative_or_definite_battle_is_no_attack(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("نفذ التنظيم تفجيرين انتحاريين في قريتين قرب الحدود أمس.", ("ASSAULT", "bombing")),
        ("شنت الطائرات غارتين على مواقع المسلحين في صعدة أمس.", ("ASSAULT", "aerial")),
        ("وأسفر هجومين على نقطتين للجيش في العريش أمس عن مقتل جنديين.", ("ASSAULT", "attack")),
    ],
)
def test_dual_nouns_of_violence(text: str, expected: tuple[str, str]) -> None:
    assert kinds(text)[:1] == [expected]


def test_fire_opened_with_the_subject_between_verb_and_object() -> None:
    assert kinds("أطلق مسلحون النار على دورية للشرطة في الرياض أمس.") == [("ASSAULT", "attack")]


@pytest.mark.parametrize(
    "text",
    [
        "وأطلقت الوزارة أمس حملة توعية في الرياض.",
        "وأطلق الشاعر ديوانه الجديد في جدة أمس.",
        "وأعلنت الحكومة وقف إطلاق النار في المدينة أمس.",
    ],
)
def test_launching_a_campaign_or_a_ceasefire_is_no_attack(text: str) -> None:
    assert ("ASSAULT", "attack") not in kinds(text)


def test_an_assassination_verb_is_a_killing_and_its_anniversary_no_event() -> None:
    assert kinds("اغتال مسلحون ضابطا في الشرطة في بنغازي أمس.") == [("ASSAULT", "kill")]
    assert kinds("وتحل اليوم ذكرى اغتيال رئيس الوزراء عام 2005.") == []


@pytest.mark.parametrize(
    "text",
    [
        "خطف مسلحون ثلاثة صحفيين في بنغازي أمس.",
        "خطفت جماعة مسلحة خمسة عمال في ليبيا أمس.",
    ],
)
def test_an_abduction_of_people_is_a_seizure_of_persons(text: str) -> None:
    assert kinds(text) == [("COERCE", "arrest")]


@pytest.mark.parametrize(
    "text",
    [
        "خطف اللاعب الأنظار في مباراة أمس.",
        "وخطف المهاجم هدف الفوز في الدقيقة الأخيرة من مباراة أمس.",
    ],
)
def test_snatching_a_goal_or_the_limelight_is_no_abduction(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "ألقت الشرطة القبض على ثلاثة مطلوبين في جدة أمس.",
        "أعلنت الداخلية ضبط خمسة أشخاص في المنطقة الحدودية أمس.",
        "تمكنت قوات الأمن من ضبط 20 متسللا على الحدود أمس.",
    ],
)
def test_arrests_told_by_seizing_people(text: str) -> None:
    assert kinds(text) == [("COERCE", "arrest")]


def test_controlling_prices_is_no_arrest() -> None:
    assert kinds("وقال المحافظ إن الفرق الميدانية تعمل على ضبط الأسعار في الأسواق.") == []


def test_a_relief_flight_arriving_is_aid_not_a_visit() -> None:
    doc = doc_of("وصلت طائرة إغاثة سعودية إلى عدن أمس محملة بالمواد الطبية.")
    (event,) = doc.events
    assert (event.plover_type, event.plover_mode) == ("AID", "humanitarian")
    assert event.location == "kb:place.aden"
    assert [doc.entities[a.entity].name_ar for a in event.actors] == ["السعودية"]


@pytest.mark.parametrize(
    "text",
    [
        "بحث الملك سلمان مع الرئيس المصري عبد الفتاح السيسي في اتصال هاتفي أمس العلاقات الثنائية.",
        "أجرى الملك سلمان اتصالاً هاتفياً بالرئيس المصري عبد الفتاح السيسي أمس.",
        "بحث الملك سلمان هاتفيا مع الرئيس المصري عبد الفتاح السيسي أمس العلاقات الثنائية.",
    ],
)
def test_talks_held_by_phone_are_a_phone_call_in_every_wording(text: str) -> None:
    assert kinds(text) == [("CONSULT", "phone")]
