"""Claim classes read by extractor 0.6.10, counted on unannotated SaudiNewsNet days (2015-07-26 and
2015-07-27) before they were fixed: statements that go on after a quoted statement with no subject
of their own ("وحسب البيان، ...", "وبحسب المصدر فإنه ...", then "ولفت إلى أن"), and a source that
speaks to an agency or outlet ("وأضافت المصادر لوكالة ...") keeps that outlet as its relay.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import ClaimMention, Document, SourceMeta
from service.extract.pipeline import extract_document

MONDAY = date(2015, 7, 27)


def doc_of(text: str) -> Document:
    return extract_document(text, SourceMeta(published=MONDAY))


def claim_with(doc: Document, words: str) -> ClaimMention:
    return next(c for c in doc.claims if words in c.quote)


def name_of(doc: Document, key: str | None) -> str | None:
    return doc.entities[key].name_ar if key is not None else None


def test_according_to_the_statement_continues_its_speaker() -> None:
    text = (
        "وقالت وزارة الزراعة في بيان اليوم إن «فرق الرقابة أغلقت ثلاثة مستودعات مخالفة». "
        "وحسب البيان، صادرت الفرق أكثر من طنين من اللحوم الفاسدة. "
        "ولفت إلى أن المخالفين سيحالون إلى النيابة."
    )
    doc = doc_of(text)
    seized = claim_with(doc, "صادرت الفرق")
    referred = claim_with(doc, "المخالفين سيحالون")
    assert name_of(doc, seized.speaker) == "وزارة الزراعة"
    assert referred.speaker == seized.speaker
    for c in doc.claims:
        assert text[c.start : c.end] == c.quote


def test_according_to_the_source_keeps_the_unnamed_source() -> None:
    doc = doc_of(
        "وقال مصدر أمني لرويترز إن دورية تعرضت لإطلاق نار قرب الحدود. "
        "وبحسب المصدر فإنه «لم يصب أي من أفراد الدورية»."
    )
    hurt = claim_with(doc, "لم يصب")
    assert hurt.speaker is None
    assert doc.entities[hurt.via].kb_id == "org.reuters"


def test_according_to_a_statement_with_no_statement_before_is_no_claim() -> None:
    doc = doc_of("وحسب البيان، ارتفعت أسعار الخضار في الأسواق الشعبية.")
    assert doc.claims == []


def test_a_continuation_to_an_agency_keeps_the_agency_as_relay() -> None:
    doc = doc_of(
        "قالت مصادر طبية إن خمسة أشخاص أصيبوا في حادث سير على الطريق الساحلي. "
        "وأضافت المصادر لرويترز أن المصابين نقلوا إلى المستشفى, وقالت إن حالتهم مستقرة."
    )
    moved = claim_with(doc, "المصابين نقلوا")
    stable = claim_with(doc, "حالتهم مستقرة")
    for c in (moved, stable):
        assert c.speaker is None
        assert doc.entities[c.via].kb_id == "org.reuters"


def test_an_addressee_is_no_subject_of_a_participle() -> None:
    doc = doc_of(
        "وفي رسالة لوزارة التجارة شكر رئيس الغرفة سامي القحطاني الوزارة على تعاونها، "
        "مؤكدا أن المهلة تنتهي الشهر المقبل."
    )
    deadline = claim_with(doc, "المهلة تنتهي")
    assert name_of(doc, deadline.speaker) == "سامي القحطاني"


def test_an_unlisted_broadcaster_after_lam_is_the_relay() -> None:
    doc = doc_of(
        "وقال مصدر عسكري للإذاعة العامة الإسرائيلية إن الجنود انسحبوا من القرية. "
        "وقال الوزير خالد الحربي للتلفزيون المصري إن المعبر سيفتح غدا."
    )
    withdrawn = claim_with(doc, "الجنود انسحبوا")
    opened = claim_with(doc, "المعبر سيفتح")
    assert withdrawn.speaker is None
    assert name_of(doc, withdrawn.via) == "الإذاعة العامة الإسرائيلية"
    assert name_of(doc, opened.speaker) == "خالد الحربي"
    assert name_of(doc, opened.via) == "التلفزيون المصري"


def test_a_canal_or_an_agency_in_the_other_sense_is_no_outlet() -> None:
    doc = doc_of("وقال رئيس الهيئة سامي العتيبي إن القناة الجديدة ستفتح للملاحة الشهر المقبل.")
    claim = claim_with(doc, "ستفتح للملاحة")
    assert claim.via is None
    assert name_of(doc, claim.speaker) == "سامي العتيبي"


def test_the_headline_a_footer_repeats_makes_no_second_event_or_claim() -> None:
    text = (
        "أعلنت الشرطة مقتل ثلاثة أشخاص في انفجار عبوة ناسفة بسوق المدينة أمس. "
        "وقال المتحدث باسم الشرطة إن التحقيقات جارية. "
        "رابط الخبر بصحيفة الوئام: الشرطة: مقتل ثلاثة أشخاص في انفجار عبوة ناسفة"
    )
    doc = doc_of(text)
    footer = text.index("رابط الخبر")
    assert doc.events
    assert all(e.start < footer for e in doc.events)
    assert all(c.start < footer for c in doc.claims)
    for e in doc.events:
        assert text[e.start : e.end] == e.quote
    for c in doc.claims:
        assert text[c.start : c.end] == c.quote


def test_reporting_verbs_of_the_press_open_claims() -> None:
    doc = doc_of(
        "وعلمت «عكاظ» من مصادرها أن الوزارة ستعلن نتائج القبول الأسبوع المقبل. "
        "وأوردت وسائل إعلام محلية أن المهاجمين فروا إلى الجبال. "
        "ونشر الموقع خبرا عن الحادث، وجاء في الخبر أن الطريق أغلق ساعتين."
    )
    results = claim_with(doc, "الوزارة ستعلن")
    assert doc.entities[results.speaker].kb_id == "org.okaz"
    assert claim_with(doc, "المهاجمين فروا").speaker is None
    assert claim_with(doc, "الطريق أغلق")


def test_taught_is_no_reporting_verb() -> None:
    doc = doc_of("وعلمت المعلمة طالباتها الرسم في الفصل الصيفي.")
    assert doc.claims == []
