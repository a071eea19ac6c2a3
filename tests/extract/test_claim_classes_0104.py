"""Claim classes read by extractor 0.10.4, from the claim misses of the eighth batch, real-dev8
(docs/extraction.md, "Extractor 0.10.4 (claims: speakers and frames)"), counted on the unannotated
SaudiNewsNet days 2015-07-21..26: a reporting verb after a comma and "كما" with only its subject
after it ("...، كما أعلنت الشرطة") reports the clause before it; "بحسبما" is "حسبما"; and a
nameless role as subject ("وأكد مدير عام جمرك المطار") is the person the article named before with
that role.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from service.extract.document import ClaimMention, Document, SourceMeta
from service.extract.pipeline import extract_document

MONDAY = date(2015, 7, 20)


def doc_of(text: str) -> Document:
    doc = extract_document(text, SourceMeta(published=MONDAY))
    for c in doc.claims:
        assert text[c.start : c.end] == c.quote
    return doc


def claims_with(doc: Document, words: str) -> list[ClaimMention]:
    return [c for c in doc.claims if words in c.quote]


def name_of(doc: Document, key: str | None) -> str | None:
    return doc.entities[key].name_ar if key is not None else None


def test_a_trailing_kama_frame_reports_the_clause_before_it() -> None:
    doc = doc_of("قتل ثلاثة أشخاص في انفجار سيارة مفخخة قرب سوق شعبي، كما قال وزير الداخلية سعيد المحمدي.")
    found = claims_with(doc, "قتل ثلاثة أشخاص")
    assert found, [c.quote for c in doc.claims]
    assert name_of(doc, found[0].speaker) == "سعيد المحمدي"
    assert "كما" not in found[0].quote


def test_a_trailing_kama_frame_with_unnamed_officials_is_an_unnamed_source() -> None:
    doc = doc_of("اعتقلت الشرطة عشرة أشخاص في حملة على تجار المخدرات في العاصمة، كما ذكرت مصادر أمنية.")
    found = claims_with(doc, "اعتقلت الشرطة عشرة")
    assert found and found[0].speaker is None


def test_bihasabma_is_hasabma() -> None:
    doc = doc_of("أصيب خمسة جنود في هجوم على نقطة تفتيش شمال البلاد، بحسبما أعلن مسؤولون محليون.")
    assert claims_with(doc, "أصيب خمسة جنود")


def test_kama_with_a_complementizer_still_reports_forward() -> None:
    doc = doc_of(
        "افتتح الوزير سعيد المحمدي المستشفى الجديد في المدينة، كما أوضح المحمدي أن المشروع سيكتمل العام المقبل."
    )
    assert claims_with(doc, "المشروع سيكتمل")
    assert not claims_with(doc, "افتتح الوزير")


def test_kama_also_with_an_object_is_no_trailing_frame() -> None:
    doc = doc_of("وصل الوفد إلى العاصمة صباح اليوم، كما أعلن سعيد المحمدي عن إطلاق مبادرة جديدة للشباب.")
    assert not claims_with(doc, "وصل الوفد")


def test_a_nameless_role_refers_back_to_the_person_named_with_it() -> None:
    doc = doc_of(
        "قال سعيد المحمدي مدير عام جمرك ميناء جدة الإسلامي إن رجال الجمارك ضبطوا كمية من الحبوب المخدرة. "
        "وأكد مدير عام جمرك ميناء جدة الإسلامي على أهمية التعاون مع المواطنين في الإبلاغ عن المهربين."
    )
    found = claims_with(doc, "أهمية التعاون")
    assert found and name_of(doc, found[0].speaker) == "سعيد المحمدي"


def test_a_role_named_before_its_holder_also_refers_back() -> None:
    doc = doc_of(
        "أعلن مدير شرطة محافظة القطيف العميد خالد العتيبي أن الشرطة قبضت على مطلق النار. "
        "وقال مدير شرطة محافظة القطيف إن التحقيقات مستمرة مع الموقوف."
    )
    found = claims_with(doc, "التحقيقات مستمرة")
    assert found and name_of(doc, found[0].speaker) == "خالد العتيبي"


def test_a_role_that_no_one_held_before_gets_no_person() -> None:
    doc = doc_of(
        "قال سعيد المحمدي مدير عام جمرك ميناء جدة الإسلامي إن رجال الجمارك ضبطوا كمية من الحبوب. "
        "وأكد مدير عام التعليم في المنطقة على أهمية الانضباط في المدارس."
    )
    for c in claims_with(doc, "أهمية الانضباط"):
        assert name_of(doc, c.speaker) != "سعيد المحمدي"


def test_a_later_name_in_the_roles_clause_is_not_its_holder() -> None:
    doc = doc_of(
        "رحب أمير منطقة تبوك بالزوار في افتتاح المهرجان. "
        "وقدم أمير منطقة تبوك الشكر لرئيس هيئة السياحة الأمير سلطان بن سلمان على دعمه. "
        "وأكد أمير منطقة تبوك أن المهرجان سيستمر أسبوعين."
    )
    for c in claims_with(doc, "المهرجان سيستمر"):
        assert name_of(doc, c.speaker) != "سلطان بن سلمان"


def test_a_parenthetical_kama_frame_is_no_trailing_frame() -> None:
    doc = doc_of("ومن الممكن، كما يتوقع المحلل سعيد المحمدي، أن ترتفع أسعار النفط خلال الأشهر المقبلة.")
    assert not claims_with(doc, "ومن الممكن")


def test_a_role_of_another_country_is_not_the_same_person() -> None:
    doc = doc_of(
        "قال وزير الموارد المائية والري السوداني معتز موسى إن الاجتماعات ستبحث تقرير المكتبين. "
        "وقال وزير الموارد المائية والري المصري إن المكتبين قدما عروضهما الفنية."
    )
    for c in claims_with(doc, "قدما عروضهما"):
        assert name_of(doc, c.speaker) != "معتز موسى"


def test_a_negated_belief_before_the_content_denies_it() -> None:
    doc = doc_of(
        "ونفى نائب وزير الداخلية سعيد المحمدي الأنباء عن الرهائن، قائلا "
        '"لا نعتقد أن هناك رهائن في المبنى". '
        "وقال المحمدي إنه لا يعتقد أن المهاجمين سيتمكنون من الفرار."
    )
    assert all(c.stance == "denies" for c in claims_with(doc, "رهائن في المبنى"))
    assert claims_with(doc, "رهائن في المبنى")
    fled = claims_with(doc, "سيتمكنون من الفرار")
    assert fled and fled[0].stance == "denies"


def test_a_belief_that_is_not_negated_asserts() -> None:
    doc = doc_of(
        "وقال وزير الداخلية سعيد المحمدي إنه يعتقد أن المهاجمين فروا إلى الجبال. "
        "وأضاف أن الشرطة تلاحق من لا يعتقدون أن القانون يطالهم."
    )
    fled = claims_with(doc, "فروا إلى الجبال")
    assert fled and fled[0].stance == "asserts"
    chase = claims_with(doc, "الشرطة تلاحق")
    assert chase and chase[0].stance == "asserts"
