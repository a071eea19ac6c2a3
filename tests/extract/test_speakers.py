"""Who said it, through whom, and whether it is a denial: speakers resolved to the person or
institution that spoke (never a country by default), relays, unnamed sources, and denial cues.

The sentences are written for these tests in the style of wire and newspaper reports; none is
copied from an article. Each class has tests that it reads what it should and that it does not
over-reach.
"""

from __future__ import annotations

import pytest

from service.extract.document import ClaimMention, Document
from service.extract.pipeline import extract_document


def claims(text: str) -> tuple[Document, list[ClaimMention]]:
    doc = extract_document(text)
    return doc, doc.claims


def kb(doc: Document, key: str | None) -> str | None:
    if key is None:
        return None
    entity = doc.entities[key]
    return entity.kb_id or entity.name_ar


# --- an outlet spoken to relays ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "وقال أحد الشهود لرويترز عبر الهاتف إن الانفجار كان هائلاً.",
        "وقالت المصادر لوكالة الأنباء الألمانية إن القوات علقت العمليات.",
        "وقال أحد المسؤولين ورفض نشر اسمه لرويترز إن التحقيق مستمر.",
    ],
)
def test_an_outlet_spoken_to_is_the_relay_never_the_speaker(text: str) -> None:
    doc, [c] = claims(text)
    assert c.speaker is None or kb(doc, c.speaker) not in ("org.reuters", "org.dpa")
    assert kb(doc, c.via) in ("org.reuters", "org.dpa")


def test_a_quoted_speaker_keeps_speaking_to_an_outlet() -> None:
    doc, found = claims(
        "وقالت النائبة سمية بلخير إن المسؤولين يحققون في الانفجار. "
        "وقالت لرويترز «حضر الشبان للمشاركة في الأنشطة»."
    )
    assert [kb(doc, c.speaker) for c in found] == ["سمية بلخير", "سمية بلخير"]
    assert kb(doc, found[1].via) == "org.reuters"


# --- unnamed sources -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ورجح مسؤولون أتراك أن يكون التنظيم وراء الهجوم.",
        "وقال دبلوماسيون روس إن المحادثات ستستأنف.",
        "وذكرت وسائل إعلام إيرانية أن الوفد وصل إلى مسقط.",
        "وقال مصدر في القنصلية السعودية إن الموظفين غادروا المبنى.",
    ],
)
def test_officials_or_media_of_a_country_are_not_the_country(text: str) -> None:
    doc, [c] = claims(text)
    assert c.speaker is None or doc.entities[c.speaker].kind != "country"


def test_officials_who_deem_something_likely_speculate() -> None:
    _, [c] = claims("ورجح مسؤولون أتراك أن يكون التنظيم وراء الهجوم.")
    assert c.stance == "speculates"


def test_a_named_country_still_speaks() -> None:
    doc, [c] = claims("وقالت البحرين إنها استدعت سفيرها لدى طهران للتشاور.")
    assert kb(doc, c.speaker) == "country.bh"


def test_the_source_named_before_keeps_its_relay() -> None:
    doc, found = claims(
        "وقال شهود عيان لوكالة فرانس برس إن خمس سيارات دمرت. "
        "ولم تذكر الشرطة أي تفاصيل عن المنفذين. "
        "وقال الشهود إن قنابل وضعت تحت السيارات."
    )
    assert [kb(doc, c.via) for c in found] == ["org.afp", "org.afp"]
    assert all(c.speaker is None for c in found)


def test_a_relay_clause_after_according_to() -> None:
    _, found = claims("وقتل ثلاثة جنود في الهجوم، وفق ما نقلت وسائل إعلام تركية.")
    assert found and found[0].speaker is None


# --- speakers with long titles, and speakers carried over ----------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "ونفى مساعد وزير الداخلية لقطاع السجون اللواء سامي الفرا ما تردد عن نقل السجين.",
            "سامي الفرا",
        ),
        (
            "وأوضح معالي رئيس ديوان المحاسبة رئيس مجلس الرقابة الشيخ الدكتور فهد بن سعد الراشد، "
            "أن الأمر تضمن ترقية عشرة موظفين.",
            "فهد بن سعد الراشد",
        ),
    ],
)
def test_a_speaker_behind_a_long_title(text: str, speaker: str) -> None:
    doc, found = claims(text)
    assert found and kb(doc, found[0].speaker) == speaker


def test_an_honorific_pronoun_refers_to_the_speaker_before() -> None:
    doc, found = claims(
        "وأوضح معالي الوزير الدكتور فهد بن سعد الراشد أن الأمر تضمن ترقية عشرة موظفين. "
        "وأكد معاليه أن القرار يدعم العمل."
    )
    assert [kb(doc, c.speaker) for c in found] == ["فهد بن سعد الراشد"] * 2


def test_a_sentence_with_a_subjectless_reporting_verb_continues_the_previous_subject() -> None:
    doc, found = claims(
        "ونسب رئيس الوزراء التركي أحمد داود أوغلو الهجوم إلى التنظيم. "
        "وقال أمام الصحافيين في أنقرة «إن التحقيق يتقدم»."
    )
    assert [kb(doc, c.speaker) for c in found] == ["person.ahmet_davutoglu"]


def test_a_subject_the_actor_stage_missed_is_not_replaced_by_the_previous_one() -> None:
    doc, found = claims(
        "وأصدر الملك سلمان أمراً ملكياً بتعيين القضاة. وأوضح رئيس الديوان أن الأمر يشمل عشرة قضاة."
    )
    assert [kb(doc, c.speaker) for c in found] == [None]


def test_a_statement_reported_by_an_agency_keeps_that_relay_in_the_next_sentence() -> None:
    doc, found = claims(
        "وأدانت المنامة بشدة في نبأ أوردته وكالة أنباء البحرين استمرار التصريحات. "
        "وشددت على أن تلك التصريحات لا تخدم العلاقات."
    )
    assert [(kb(doc, c.speaker), kb(doc, c.via)) for c in found] == [("country.bh", "org.bna")]


# --- denials -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "وقال المتحدث باسم الشرطة إنه لم يكن هناك أطفال في الحافلة.",
        "وأكد مصدر في الوزارة أن هذه الأنباء عارية تماماً عن الصحة.",
        "وقال المسؤول إن لا صحة لما تردد عن إغلاق المعبر.",
        "وأوضح المتحدث أنه لم يقع أي هجوم على القافلة.",
    ],
)
def test_denials_are_denials(text: str) -> None:
    _, [c] = claims(text)
    assert c.stance == "denies"


@pytest.mark.parametrize(
    "text",
    [
        "وقال إنه عندما زار الوزير بغداد لم تكن هناك فرصة للقاء.",
        "وقال الخبير إن الأسواق لم تشهد تراجعاً كبيراً.",
    ],
)
def test_a_negative_deep_in_a_statement_is_no_denial(text: str) -> None:
    _, [c] = claims(text)
    assert c.stance == "asserts"


@pytest.mark.parametrize(
    "text",
    [
        "ونفى شقيق الناشط أحمد منصور أن يكون أحمد منصور قد اعتقل.",
        "ونفى محامي الرئيس السابق أن يكون موكله قد نقل إلى المستشفى.",
    ],
)
def test_a_relative_s_denial_is_not_credited_to_the_person_it_is_about(text: str) -> None:
    doc, [c] = claims(text)
    assert c.stance == "denies"
    assert c.speaker is None or doc.entities[c.speaker].kind != "person"


def test_an_announced_delivery_is_not_denied_by_a_denial_of_another_deal() -> None:
    doc = extract_document(
        "وأعلنت وزارة الدفاع الروسية أن روسيا سلمت سوريا منظومة إس-300 الأسبوع الماضي. "
        "وفي سياق آخر، نفى مسؤول إيراني أن تكون روسيا قد سلمت إيران منظومة إس-400."
    )
    statuses = {
        tuple(sorted(doc.entities[a.entity].kb_id or "" for a in e.actors if a.role == "mentioned")): e.status
        for e in doc.events
        if e.plover_type == "AID"
    }
    assert statuses[("weapon.s300",)] == "occurred"
    assert statuses[("weapon.s400",)] == "denied"


def test_the_body_in_a_speaker_s_title_is_not_the_speaker() -> None:
    doc, found = claims(
        "وأوضح معالي رئيس ديوان المحاسبة رئيس مجلس الرقابة الشيخ الدكتور فهد بن سعد الراشد، "
        "أن الأمر تضمن ترقية عشرة موظفين."
    )
    assert [kb(doc, c.speaker) for c in found] == ["فهد بن سعد الراشد"]
