"""Claim classes read by extractor 0.7.5, from the claim misses of the sixth batch, real-dev6
(docs/extraction.md, "Extractor 0.7.5 (claims)"), counted on the unannotated SaudiNewsNet days
(``bench/data/claims_075_constructions.json``): a byline "Author- Outlet- City:" that is no
statement, a reporting verb inside a relative clause ("ما أشار إليه"), an honorific pronoun as
subject ("وأكد سموه"), a verb whose content follows it at once ("وعبر عن استغرابه"), an agency
relaying inside the frame ("وشدد X، وفقاً لما نقلته وكالة Y، على"), a statement's relative
clause ("في بيان نشر اليوم") and a definite head noun for an institution named before ("الهيئة").

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import ClaimMention, Document, SourceMeta
from service.extract.pipeline import extract_document

TUESDAY = date(2015, 7, 21)


def doc_of(text: str) -> Document:
    doc = extract_document(text, SourceMeta(published=TUESDAY))
    for c in doc.claims:
        assert text[c.start : c.end] == c.quote
    return doc


def claim_with(doc: Document, words: str) -> ClaimMention:
    return next(c for c in doc.claims if words in c.quote)


def name_of(doc: Document, key: str | None) -> str | None:
    return doc.entities[key].name_ar if key is not None else None


def test_a_byline_with_outlet_and_city_is_no_speaker() -> None:
    doc = doc_of(
        "سلطان الشمري- سبق- جدة: أكد أمير منطقة تبوك الأمير فهد بن سلطان أن المشروعات الجديدة ستنجز خلال العام المقبل."
    )
    done = claim_with(doc, "المشروعات الجديدة ستنجز")
    assert name_of(doc, done.speaker) == "فهد بن سلطان"
    assert not done.quote.startswith("أكد")


def test_a_headline_statement_with_a_colon_is_still_read() -> None:
    doc = doc_of("الخارجية الروسية: لا صحة للأنباء عن سحب السفير الروسي من العاصمة الليبية طرابلس.")
    assert any("لا صحة للأنباء" in c.quote for c in doc.claims)


def test_a_reporting_verb_after_the_relative_ma_opens_no_frame() -> None:
    doc = doc_of(
        "أعرب الأمين العام لجامعة الدول العربية الدكتور نبيل العربي عن قلقه من التصعيد في المنطقة. "
        "وعبر عن استغرابه من التناقض بين ما أشار إليه الرئيس الإيراني حسن روحاني وما قاله غيره، "
        "مؤكدا أن هذا التصريح مرفوض تماما."
    )
    speakers = {name_of(doc, c.speaker) for c in doc.claims}
    assert "حسن روحاني" not in speakers
    assert name_of(doc, claim_with(doc, "هذا التصريح مرفوض").speaker) == "نبيل العربي"
    # the verb with no subject, its content right after it, continues the speaker quoted before
    assert name_of(doc, claim_with(doc, "استغرابه من التناقض").speaker) == "نبيل العربي"


def test_kama_before_a_verb_still_reports() -> None:
    doc = doc_of("كما أكد وزير الخارجية عادل الجبير أن المملكة ستواصل دعم الحكومة الشرعية في اليمن.")
    assert name_of(doc, claim_with(doc, "ستواصل دعم").speaker) == "عادل الجبير"


def test_an_honorific_pronoun_is_the_person_named_before() -> None:
    doc = doc_of(
        "وجه أمير المنطقة الأمير فيصل بن خالد بإنهاء المشروع قبل نهاية العام. "
        "وأكد سموه على الجهات المعنية بسرعة تنفيذ الأعمال في الحدائق العامة."
    )
    urged = claim_with(doc, "بسرعة تنفيذ الأعمال")
    assert name_of(doc, urged.speaker) == "فيصل بن خالد"
    assert "سموه" not in urged.quote


def test_an_agency_named_inside_the_frame_relays_the_speaker() -> None:
    for text in (
        "وشدد السفير خالد سعيد الحمدان، وفقاً لما نقلته وكالة الأنباء الكويتية، على ضرورة الكف فورا عن هذه التصريحات.",
        "وشدد السفير خالد سعيد الحمدان وفقاً لما نقلته وكالة الأنباء الكويتية على ضرورة الكف فورا عن هذه التصريحات.",
    ):
        doc = doc_of(text)
        urged = claim_with(doc, "الكف فورا")
        assert name_of(doc, urged.speaker) == "خالد سعيد الحمدان"
        assert name_of(doc, urged.via) == "وكالة الأنباء الكويتية"
        assert "وكالة" not in urged.quote


def test_an_agency_reporting_in_its_own_name_stays_the_speaker() -> None:
    doc = doc_of("وبحسب وكالة رويترز، فإن المفاوضات بين الطرفين ستستأنف الأسبوع المقبل في جنيف.")
    resumed = claim_with(doc, "المفاوضات بين الطرفين")
    assert name_of(doc, resumed.speaker) == "رويترز"
    assert resumed.via is None


def test_a_statement_published_today_is_no_frame_of_its_own() -> None:
    doc = doc_of(
        'وقال محمد سالم الكعبي، المتحدث باسم الحركة، في بيان نشر اليوم: "لا صحة لما تناقلته المواقع عن انسحاب الحركة من الاتفاق".'
    )
    denied = claim_with(doc, "لا صحة لما تناقلته")
    assert name_of(doc, denied.speaker) == "محمد سالم الكعبي"
    assert denied.stance == "denies"


def test_a_definite_head_noun_is_the_institution_named_before() -> None:
    doc = doc_of(
        "كشفت هيئة الرقابة والتحقيق عن ضبط موظفين في البلدية. وقال رئيس البلدية أحمد سالم العتيبي إن العمل "
        "مستمر في جميع الإدارات. وأوضحت الهيئة أنه تمت إحالتهم إلى المحكمة."
    )
    referred = claim_with(doc, "إحالتهم إلى المحكمة")
    assert name_of(doc, referred.speaker) == "هيئة الرقابة والتحقيق"


def test_a_head_noun_no_institution_of_the_article_starts_with_is_not_resolved() -> None:
    doc = doc_of("كشفت وزارة الصحة عن حالات جديدة في المدينة. وأوضحت الهيئة أنه تمت معالجة المصابين جميعا.")
    treated = claim_with(doc, "معالجة المصابين")
    assert name_of(doc, treated.speaker) != "وزارة الصحة"
