"""Classes of construction that extractor 0.6.0 reads, found on unseen SaudiNewsNet days and the
second development batch (real-dev2): where person names end and start, organisations named by a
place or another head, outlet footers, violent acts told by their victims' fate, the agent of an
air strike, actors tied to another noun, meetings told with a pronoun, and Hijri dates.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Document, EventMention, SourceMeta
from service.extract.pipeline import extract_document
from service.extract.text.dates import hijri_to_gregorian

SUNDAY = date(2015, 7, 26)


def doc_of(text: str) -> Document:
    return extract_document(text, SourceMeta(published=SUNDAY))


def names_of(doc: Document, kind: str) -> set[str]:
    return {e.name_ar for e in doc.entities.values() if e.kind == kind}


def roles_of(doc: Document, event: EventMention) -> dict[str, str]:
    return {doc.entities[a.entity].name_ar: a.role for a in event.actors}


def event_date(doc: Document, event: EventMention) -> date | None:
    return doc.dates[event.date].start_date if event.date is not None else None


# --- persons -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "وهنأ المحافظ المواطنين بمناسبة عيد الفطر المبارك.",
        "وأنفقت الجمعية مليوني ريال خلال شهر رمضان الماضي.",
        "وتبدأ الإجازة مع عيد الأضحى المقبل.",
    ],
)
def test_a_month_or_feast_spelt_like_a_given_name_is_no_person(text: str) -> None:
    assert names_of(doc_of(text), "person") == set()


def test_the_eulogy_after_a_name_of_early_islam_is_not_part_of_it() -> None:
    people = names_of(doc_of("وروى أنس بن مالك رضي الله عنه الحديث."), "person")
    assert not any("رضي" in name for name in people)


def test_a_relation_adjective_ends_a_persons_name() -> None:
    people = names_of(doc_of("وقصفت الطائرات منزل العميد سالم بن ناصر الموالي للمتمردين."), "person")
    assert "سالم بن ناصر" in people
    assert not any("الموالي" in name for name in people)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "وبحث الوزير مع مبعوث الأمين العام للأمم المتحدة إلى ليبيا برناردينو ليون سبل الحل.",
            "برناردينو ليون",
        ),
        ("وزار المنسق الإنساني للأمم المتحدة في سوريا يعقوب الحلو مدينة حمص.", "يعقوب الحلو"),
        ("ووصل المنسق المقيم للأمم المتحدة في العراق يوهانس كارلسون إلى أربيل.", "يوهانس كارلسون"),
    ],
)
def test_an_unlisted_name_after_a_role_of_a_role_or_a_role_in_a_country(text: str, name: str) -> None:
    assert name in names_of(doc_of(text), "person")


def test_a_name_between_a_speech_verb_and_its_role_needs_no_comma() -> None:
    doc = doc_of('وقال دافيد بيكر المتحدث باسم الحكومة "إن الوضع هادئ".')
    assert "دافيد بيكر" in names_of(doc, "person")


def test_a_foreign_name_opening_with_ki_is_not_a_preposition_on_a_verb() -> None:
    doc = doc_of("وقال المتحدث باسم الوزارة جون كيربي إن المحادثات مستمرة.")
    assert "جون كيربي" in names_of(doc, "person")


# --- organisations and places --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "org", "place"),
    [
        (
            "وقال الناطق باسم شرطة المنطقة الشرقية إن التحقيق مستمر.",
            "شرطة المنطقة الشرقية",
            "المنطقة الشرقية",
        ),
        ("وأعلنت شرطة القطيف القبض على الجناة.", "شرطة القطيف", "القطيف"),
    ],
)
def test_an_indefinite_head_before_a_listed_place_is_that_places_body(
    text: str, org: str, place: str
) -> None:
    doc = doc_of(text)
    assert org in names_of(doc, "organization")
    assert place in names_of(doc, "place")


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("وطالبت هيئة حقوق الإنسان بالإفراج عن المعتقلين.", "هيئة حقوق الإنسان"),
        ("وانتشرت قوات حفظ السلام على الحدود.", "قوات حفظ السلام"),
    ],
)
def test_a_verbal_noun_in_construct_continues_an_organisations_name(text: str, org: str) -> None:
    assert org in names_of(doc_of(text), "organization")


def test_a_head_in_construct_with_another_head_names_one_organisation() -> None:
    doc = doc_of("وتبنت جبهة حزب الخلاص الوطني الهجوم.")
    assert "جبهة حزب الخلاص الوطني" in names_of(doc, "organization")


# --- segmentation --------------------------------------------------------------------------------


def test_an_outlet_footer_on_the_last_line_is_boilerplate_with_the_headline_it_repeats() -> None:
    doc = doc_of("وقال الشهود إن الشرطة وصلت متأخرة. رابط الخبر بصحيفة الوئام: مقتل شرطي في هجوم")
    kinds = [(s.kind, doc.text[s.start : s.end]) for s in doc.segments]
    assert ("boilerplate", "رابط الخبر بصحيفة الوئام:") in kinds
    assert ("boilerplate", "مقتل شرطي في هجوم") in kinds


def test_a_closing_tag_list_is_boilerplate_and_names_nobody() -> None:
    doc = doc_of("وعقد المجلس جلسته الأسبوعية في الرياض. سمات المجلس خالد الحربي الرياض")
    assert doc.segments[-1].kind == "boilerplate"
    assert "خالد الحربي" not in names_of(doc, "person")


def test_a_word_tags_opens_no_footer_inside_a_sentence() -> None:
    doc = doc_of("وتحدث عن سمات المرحلة الجديدة في خطابه أمس.")
    assert all(s.kind != "boilerplate" for s in doc.segments)


# --- events --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "لقي شاب مطلوب مصرعه في بلدة العوامية أمس إثر إصابته بطلقات نارية.",
        "أصيب رجل بطلقات نارية أطلقها مجهولون في الدمام أمس.",
        "تعرض أحد الحراس للإصابة بطلق ناري صباح أمس.",
        "قتل فلسطيني برصاص الجيش الإسرائيلي في نابلس أمس.",
        "وقعت مواجهات اليوم بين شبان ملثمين والشرطة في القدس.",
    ],
)
def test_a_violent_act_told_by_its_victims_fate(text: str) -> None:
    assert [e.plover_type for e in doc_of(text).events] == ["ASSAULT"]


@pytest.mark.parametrize(
    "text",
    [
        "لقي شاب مصرعه أمس في حادث مروري على طريق الدمام.",
        "تعرض اللاعب للإصابة في مباراة أمس.",
        "وتتواصل مواجهات الدوري المحلي غداً.",
    ],
)
def test_an_accident_an_injury_in_sport_or_a_fixture_is_no_attack(text: str) -> None:
    assert doc_of(text).events == []


def test_the_definite_clashes_refer_back_and_open_no_new_event() -> None:
    doc = doc_of("وامتدت المواجهات إلى البلدة المجاورة في القدس.")
    assert doc.events == []


def test_an_air_strike_by_a_forces_unlisted_aircraft_hits_the_actor_after_it() -> None:
    doc = doc_of("وقصف طيران التحالف مواقع الحوثيين في صعدة أمس.")
    assert [roles_of(doc, e) for e in doc.events] == [{"جماعة الحوثي": "target"}]


def test_aircraft_of_a_force_named_by_its_nisba_keep_that_force_the_attacker() -> None:
    doc = doc_of("قصفت طائرات حربية أردنية أهدافاً لتنظيم داعش في سوريا أمس.")
    assert [roles_of(doc, e).get("الأردن") for e in doc.events] == ["source"]


def test_an_actor_after_a_relation_word_takes_no_part() -> None:
    doc = doc_of("قصفت الطائرات أمس منزل قائد موال لجماعة الحوثي في عتق.")
    (event,) = doc.events
    assert roles_of(doc, event).get("جماعة الحوثي") == "mentioned"


def test_a_meeting_told_with_a_pronoun_keeps_its_date() -> None:
    doc = doc_of("ودعا الرئيس خلال لقائه أمس في الرياض المبعوث الأممي إسماعيل ولد الشيخ إلى زيارة عدن.")
    meetings = [e for e in doc.events if e.plover_type == "CONSULT"]
    assert meetings and event_date(doc, meetings[0]) == date(2015, 7, 25)
    assert "إسماعيل ولد الشيخ" in names_of(doc, "person")


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hijri", "gregorian"),
    [
        ((1436, 9, 1), date(2015, 6, 18)),  # Ramadan 1436, arithmetic
        ((1436, 10, 1), date(2015, 7, 17)),  # Shawwal 1436, Umm al-Qura (the data's month start)
        ((1436, 12, 10), date(2015, 9, 24)),  # Eid al-Adha 1436
        ((1437, 1, 1), date(2015, 10, 14)),  # Muharram 1437, Umm al-Qura
    ],
)
def test_hijri_dates_convert_to_the_saudi_calendar(hijri: tuple[int, int, int], gregorian: date) -> None:
    assert hijri_to_gregorian(*hijri) == gregorian


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("وقع الهجوم في 9 شوال 1436هـ على نقطة تفتيش.", date(2015, 7, 25)),
        ("وقع الهجوم يوم الخميس 7 شوال 1436 هـ على نقطة تفتيش.", date(2015, 7, 23)),
        ("صدر القرار بتاريخ 8/ 2/ 1433هـ بأسماء المطلوبين.", date(2012, 1, 3)),
    ],
)
def test_a_hijri_date_with_its_year_is_an_explicit_day(text: str, day: date) -> None:
    found = [d for d in doc_of(text).dates if d.basis == "explicit"]
    assert [(d.start_date, d.precision) for d in found] == [(day, "day")]


def test_a_hijri_month_without_a_year_is_no_date() -> None:
    assert [
        d for d in doc_of("وأنفق الصندوق المبلغ في 9 شوال على الأسر.").dates if d.basis == "explicit"
    ] == []
