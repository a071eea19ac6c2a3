"""Claim classes read by extractor 0.6.29, from the claims part of "Failure classes seen on
real-dev5" (docs/extraction.md) and counted on the unannotated SaudiNewsNet days
(``bench/data/claims_0629_constructions.json``): a source speaking to an outlet named in quotes
with a quotation after a colon, an agency's dateline as the relay of the article's statements
(and no statement of its own), the frames "وبين أن", "اعترف ... بأن", "عبر ... عن أمله/قلقه",
dual verbs ("أكدا"، "شددا") and "وتشير المعلومات إلى أن", and a participle that is also an
adjective ("إجراءات أمنية مشددة").

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import ClaimMention, Document, SourceMeta
from service.extract.pipeline import extract_document

FRIDAY = date(2015, 7, 31)


def doc_of(text: str) -> Document:
    doc = extract_document(text, SourceMeta(published=FRIDAY))
    for c in doc.claims:
        assert text[c.start : c.end] == c.quote
    return doc


def claim_with(doc: Document, words: str) -> ClaimMention:
    return next(c for c in doc.claims if words in c.quote)


def kb_of(doc: Document, key: str | None) -> str | None:
    return doc.entities[key].kb_id if key is not None else None


# 1. relays to an outlet named in quotes


def test_sources_to_a_quoted_outlet_with_a_quotation_keep_the_outlet_as_relay() -> None:
    doc = doc_of('وقالت مصادر لـ "سبق": "تعرض مركز حدودي صباح اليوم لقذائف أطلقت من خارج الحدود دون إصابات".')
    shelled = claim_with(doc, "تعرض مركز حدودي")
    assert not shelled.quote.startswith("لـ")
    assert shelled.speaker is None
    assert kb_of(doc, shelled.via) == "org.sabq"


def test_a_continuation_after_a_quoted_outlet_keeps_the_relay() -> None:
    doc = doc_of(
        'وقالت مصادر لـ "سبق": "بدأت فرق الدفاع المدني إخلاء المباني المجاورة للمستودع المحترق". '
        'وأضافت: "لم تسجل أي إصابات بين السكان حتى الآن في الحي".'
    )
    added = claim_with(doc, "لم تسجل أي إصابات")
    assert kb_of(doc, added.via) == "org.sabq"


def test_a_short_quoted_word_that_is_no_outlet_name_stays_in_the_content() -> None:
    doc = doc_of('وقال المتحدث باسم الشرطة إن "المخالفين" سيحالون إلى النيابة العامة خلال أيام.')
    referred = claim_with(doc, "سيحالون")
    assert referred.via is None


# 2. an agency's dateline


def test_an_agency_first_dateline_is_no_speaker_and_relays_the_statements() -> None:
    doc = doc_of(
        "واس- القدس: اعتقلت قوات الاحتلال الإسرائيلي، اليوم، خمسة شبان من بلدة سلوان.\n"
        "وذكرت مصادر فلسطينية في المدينة، أن المعتقلين نقلوا إلى مركز تحقيق في القدس."
    )
    assert not any(kb_of(doc, c.speaker) == "org.spa" for c in doc.claims)
    assert not any("اعتقلت قوات الاحتلال" in c.quote for c in doc.claims)
    moved = claim_with(doc, "المعتقلين نقلوا")
    assert kb_of(doc, moved.via) == "org.spa"


def test_an_agency_closing_the_dateline_line_relays_the_statements() -> None:
    doc = doc_of(
        "بغداد 16 شوال 1436 هـ الموافق 1 أغسطس 2015 م واس\n"
        "أعلنت القوات العراقية اليوم تحرير ثلاث قرى شمال المدينة.\n"
        "وقالت قيادة العمليات المشتركة في بيان إن القوات فككت عشرات العبوات الناسفة في القرى."
    )
    defused = claim_with(doc, "فككت عشرات العبوات")
    assert kb_of(doc, defused.via) == "org.spa"


def test_an_agency_named_in_the_body_is_no_dateline() -> None:
    doc = doc_of(
        "أعلنت وزارة الصحة افتتاح ثلاثة مستشفيات جديدة في المنطقة الشرقية.\n"
        "وقال وزير الصحة إن المستشفيات ستستقبل المرضى ابتداء من الشهر المقبل."
    )
    opened = claim_with(doc, "المستشفيات ستستقبل")
    assert opened.via is None


# 3. frames


def test_wa_bayyana_anna_is_a_frame_and_bayna_the_preposition_is_not() -> None:
    doc = doc_of(
        "وقال محافظ المنطقة إن العمل في المشروع سينتهي خلال عامين. "
        "وبين أن الشركة المنفذة تعمل على ثلاث مراحل متتالية."
    )
    assert claim_with(doc, "الشركة المنفذة تعمل")
    between = doc_of("وتم الاتفاق بين الجانبين على أن تستمر المحادثات الأسبوع المقبل.")
    assert between.claims == []


def test_admitted_that_is_a_frame() -> None:
    doc = doc_of("واعترف وزير المالية بأن العجز في الميزانية تجاوز التوقعات هذا العام.")
    admitted = claim_with(doc, "العجز في الميزانية")
    assert admitted.stance == "asserts"


def test_expressed_hope_is_a_frame_and_abra_across_is_not() -> None:
    doc = doc_of("وعبر وزير الخارجية الفرنسي عن أمله في أن تنجح المفاوضات قبل نهاية الشهر.")
    assert claim_with(doc, "تنجح المفاوضات")
    worried = doc_of("وعبر الأمين العام للمنظمة عن قلقه من تصاعد العنف في المدينة.")
    assert claim_with(worried, "تصاعد العنف")
    crossed = doc_of("وعبر مئات المهاجرين عن طريق البحر إلى الجزر اليونانية خلال الليل.")
    assert crossed.claims == []
    via_account = doc_of("وقال الوزير عبر حسابه على تويتر إن الاجتماع كان مثمرا للغاية.")
    assert [c.quote for c in via_account.claims] == ["الاجتماع كان مثمرا للغاية"]


def test_dual_verbs_of_a_joint_statement_are_frames() -> None:
    doc = doc_of(
        "واستقبل ولي العهد وزير الخارجية الأردني في الرياض أمس. "
        "وأكدا أن التعاون بين البلدين سيتوسع في مجالات الطاقة والنقل."
    )
    assert claim_with(doc, "التعاون بين البلدين سيتوسع")
    stressed = doc_of("والتقى الوزير نظيره المغربي، وشددا على أهمية تعزيز التبادل التجاري.")
    assert claim_with(stressed, "تعزيز التبادل التجاري")


def test_the_information_indicates_is_an_unnamed_source() -> None:
    doc = doc_of("وتشير المعلومات إلى أن المتهمين غادروا البلاد قبل أسبوع من الحادث.")
    left = claim_with(doc, "المتهمين غادروا")
    assert left.speaker is None


# the adjective that is also a participle


def test_a_participle_after_the_noun_it_describes_is_no_cue() -> None:
    doc = doc_of("وفرضت الشرطة إجراءات أمنية مشددة حول مبنى المحكمة طوال اليوم.")
    assert doc.claims == []
    confirmed = doc_of("ووصلت إلى الجهات المختصة معلومات مؤكدة عن مكان المطلوبين.")
    assert confirmed.claims == []


def test_a_participle_after_a_comma_or_before_its_complement_still_reports() -> None:
    doc = doc_of("وقالت وزيرة الزراعة إن الحكومة ستدعم المزارعين، مشددة على أهمية الأمن الغذائي للبلاد.")
    assert claim_with(doc, "أهمية الأمن الغذائي")
    glued = doc_of("وقال وزير الداخلية إن الدوريات ستزيد في الأحياء مشددا على أن الأمن أولوية.")
    assert claim_with(glued, "الأمن أولوية")


def test_an_outlet_in_the_speakers_description_is_no_relay() -> None:
    doc = doc_of(
        'وقال الكاتب سامي العمري المذيع بقناة الجزيرة: "إن الصبر هو الطريق الوحيد لعبور هذه المرحلة".'
    )
    patience = claim_with(doc, "الصبر هو الطريق")
    assert patience.via is None


def test_a_participle_before_a_parenthesis_or_a_complementizer_further_on_reports() -> None:
    doc = doc_of("واستقبل الملك السفير في جدة مؤكداً – حفظه الله – متانة العلاقات بين البلدين الشقيقين.")
    assert claim_with(doc, "متانة العلاقات")
    further = doc_of("وأعلنت الجمعية أنها وزعت ألف سلة غذائية مؤكدة في بيان أن التوزيع سيستمر طوال الشهر.")
    assert claim_with(further, "التوزيع سيستمر")


def test_an_expected_value_is_no_prediction() -> None:
    doc = doc_of("وجاء سعر البرميل أقل من السعر الذي كان متوقعا في الموازنة العامة للعام الحالي.")
    assert doc.claims == []


def test_information_centre_as_a_source_keeps_its_institution() -> None:
    doc = doc_of("وقدر المؤشر، وفقاً لمركز المعلومات في الغرفة التجارية، ارتفاع الأسعار بنسبة 12 بالمئة.")
    rise = claim_with(doc, "وقدر المؤشر")
    assert rise.speaker is not None
