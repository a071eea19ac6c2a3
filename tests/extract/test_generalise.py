"""General rules for long and chained names, roles closed by a possessive,
regions inside role phrases, party and union names, the world gazetteer, protests with a stated
demand, coordinated reporting verbs and self-reports.

Every sentence here was written for these tests; none comes from the seeds or the written test sets.
"""

from __future__ import annotations

import pytest

from service.extract.actors.knowledge import lookup_alias
from service.extract.document import Document
from service.extract.pipeline import extract_document


def people(doc: Document) -> dict[str, list[str]]:
    return {e.name_ar: [r.text for r in e.roles] for e in doc.entities.values() if e.kind == "person"}


def names_of(doc: Document, kind: str) -> set[str]:
    return {e.name_ar for e in doc.entities.values() if e.kind == kind}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("أعلن رئيس الحزب أحمد ولد الشيخ محمد فال انسحابه من السباق.", "أحمد ولد الشيخ محمد فال"),
        ("وقال المتحدث باسم وزارة العدل عبد الودود الساعدي إن المحاكمة علنية.", "عبد الودود الساعدي"),
        ("واستقبل الوزير مستشاره يوسف إبراهيم علي الكعبي في مكتبه.", "يوسف إبراهيم علي الكعبي"),
        ("وقال نقيب الصحفيين ضياء رشوان إن النقابة ترفض القانون.", "ضياء رشوان"),
        ("ورحب رئيس إقليم أمهرة يلكال كيفالي بالقرار.", "يلكال كيفالي"),
        ("وقال المتحدث باسم الشرطة عبد الرحمن أويس نور إن التحقيق جار.", "عبد الرحمن أويس نور"),
    ],
)
def test_long_and_chained_names_are_read_whole(text: str, name: str) -> None:
    assert name in people(extract_document(text))


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("وصرح مدير مكتبه خالد العبيدي بأن الزيارة أجلت.", "خالد العبيدي", "مدير مكتبه"),
        ("وقالت المتحدثة باسمها رنا الحسيني إن الحملة مستمرة.", "رنا الحسيني", "المتحدثة باسمها"),
        ("وقال رئيس إقليم أمهرة يلكال كيفالي إن الوضع هادئ.", "يلكال كيفالي", "رئيس إقليم أمهرة"),
        (
            "التقى الدكتور سامر النجار وزير الدولة لشؤون الطاقة، وفدا تجاريا.",
            "سامر النجار",
            "وزير الدولة لشؤون الطاقة",
        ),
    ],
)
def test_roles_closed_by_a_possessive_or_after_an_honorific(text: str, name: str, role: str) -> None:
    assert role in people(extract_document(text))[name]


@pytest.mark.parametrize(
    "text",
    [
        "وعرض رئيس الوزراء التوسط بين الطرفين.",
        "وقال مدير مكتبه إن الموعد لم يحدد.",
        "وأكد الوزير، بالتنسيق مع الشركاء، أن الخطة جاهزة.",
        "وقال رئيس الوفد تقارير عن الاجتماع غير دقيقة.",
    ],
)
def test_no_person_is_invented_by_the_new_rules(text: str) -> None:
    assert people(extract_document(text)) == {}


def test_a_captain_is_still_a_rank() -> None:
    doc = extract_document("وقال النقيب أحمد سعيد إن الدورية عادت.")
    [person] = [e for e in doc.entities.values() if e.kind == "person"]
    assert person.name_ar == "أحمد سعيد" and [r.rank for r in person.roles] == ["النقيب"]


@pytest.mark.parametrize(
    ("text", "org"),
    [
        (
            "أعلن حزب التجمع من أجل الثقافة والديمقراطية مقاطعة الانتخابات.",
            "حزب التجمع من أجل الثقافة والديمقراطية",
        ),
        ("وتبنت الحركة الوطنية لتحرير أزواد الهجوم.", "الحركة الوطنية لتحرير أزواد"),
        ("وأعلنت نقابة المحامين التونسيين إضرابا عاما.", "نقابة المحامين التونسيين"),
    ],
)
def test_party_front_and_union_names(text: str, org: str) -> None:
    assert org in names_of(extract_document(text), "organization")


@pytest.mark.parametrize(
    ("surface", "kb_id"),
    [
        ("نيروبي", "place.nairobi"),
        ("العاصمة الكينية", "place.nairobi"),
        ("ستوكهولم", "place.stockholm"),
        ("إندونيسيا", "country.id"),
        ("جمهورية إندونيسيا", "country.id"),
        ("كراتشي", "place.karachi"),
        ("الاتحاد الأفريقي", "org.african_union"),
        ("الاتحاد العام التونسي للشغل", "org.ugtt"),
    ],
)
def test_world_gazetteer_and_bodies_are_listed(surface: str, kb_id: str) -> None:
    assert kb_id in {e.id for e in lookup_alias(surface)}


@pytest.mark.parametrize("word", ["سيول", "الأبيض", "مشهد", "سرت"])
def test_ordinary_words_are_not_city_aliases(word: str) -> None:
    assert not any(e.kind == "place" for e in lookup_alias(word))


def test_a_nisba_names_a_new_country() -> None:
    doc = extract_document("وقال وزير الخارجية الإندونيسي إن بلاده تدعم الحوار.")
    assert "country.id" in {e.kb_id for e in doc.entities.values()}


@pytest.mark.parametrize(
    "text",
    [
        "تظاهر آلاف في الرباط الأحد للمطالبة بإصلاحات سياسية.",
        "بدأ عمال الموانئ في مرسيليا الاثنين إضرابا عن العمل للمطالبة بزيادة الأجور.",
    ],
)
def test_a_protest_with_a_stated_demand_is_one_protest(text: str) -> None:
    assert [e.plover_type for e in extract_document(text).events] == ["PROTEST"]


def test_a_coordinated_reporting_verb_shares_the_subject() -> None:
    doc = extract_document("رفض الوزير خالد العبيدي القرار، وقال في مؤتمر صحفي إن الحكومة ستطعن فيه.")
    [claim] = doc.claims
    assert claim.speaker is not None and doc.entities[claim.speaker].name_ar == "خالد العبيدي"


def test_an_addressee_outlet_is_the_relay_not_the_speaker() -> None:
    doc = extract_document("انتقد المرشح سامي الحربي النتائج، وقال لوكالة الأنباء الألمانية إن التزوير واضح.")
    [claim] = doc.claims
    assert doc.entities[claim.speaker].name_ar == "سامي الحربي"
    assert claim.via == "kb:org.dpa"


def test_a_self_report_names_the_speaker_as_actor() -> None:
    doc = extract_document("أعلن رئيس الوزراء الكيني كمال موانغي أنه أمر بشن عملية عسكرية في مقاطعة لامو.")
    [event] = [e for e in doc.events if e.plover_type == "ASSAULT"]
    assert any(doc.entities[a.entity].name_ar == "كمال موانغي" for a in event.actors)


def test_the_accused_is_the_agent_of_the_act_named_after_bi() -> None:
    doc = extract_document(
        "واتهمت وزارة الداخلية الصومالية حركة الشباب المجاهدين بتفجير سيارة مفخخة في مدينة كيسمايو."
    )
    [attack] = [e for e in doc.events if e.plover_type == "ASSAULT"]
    assert {a.entity: a.role for a in attack.actors}.get("kb:org.al_shabaab") == "source"


def test_a_slashed_agency_dateline_is_not_the_subject() -> None:
    doc = extract_document("الدوحة في 3 مايو /قنا/ استقبل سعادة السيد محمد الخليفي وزير الدولة، اليوم، وفدا.")
    assert doc.segments[0].kind == "dateline"
    assert doc.text[doc.segments[0].start : doc.segments[0].end] == "الدوحة في 3 مايو /قنا/"


def test_an_honorific_pronoun_refers_to_the_person_it_introduced() -> None:
    doc = extract_document("التقى فخامة الرئيس أندريس مانويل لوبيز وفدا تجاريا، وأشاد فخامته بالتعاون.")
    [person] = [e for e in doc.entities.values() if e.kind == "person"]
    assert len(person.mentions) == 2


def test_an_unnamed_institution_after_the_verb_is_its_subject() -> None:
    doc = extract_document("واتهمت الحكومة حركة الشباب المجاهدين بتفجير سيارة مفخخة في مدينة كيسمايو.")
    [accusation] = [e for e in doc.events if e.plover_type == "ACCUSE"]
    assert {a.entity: a.role for a in accusation.actors} == {"kb:org.al_shabaab": "target"}
