"""Actor classes read by extractor 0.6.7, counted on unannotated SaudiNewsNet days (2015-07-26 and
2015-07-27) before they were fixed: an organisation head followed by a purpose ("لـ") or by a noun
with a possessive pronoun is no name, and one body written in several forms inside an article
(a descriptor head before a listed name, a trailing nisba) is one actor.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document

MONDAY = date(2015, 7, 27)


def doc_of(text: str) -> Document:
    return extract_document(text, SourceMeta(published=MONDAY))


def organisations(doc: Document) -> set[str]:
    return {e.name_ar for e in doc.entities.values() if e.kind == "organization"}


def entity_of(doc: Document, quote: str) -> str:
    return next(m.entity for m in doc.mentions if m.text == quote)


# --- a head followed by a purpose or a possessive noun -----------------------------------------


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("ودعت الوزارة للتفتيش على المحلات التجارية في المدينة.", "الوزارة للتفتيش"),
        ("وشكلت الحكومة لجنة للتحقيق في أسباب الحريق.", "لجنة للتحقيق"),
        ("وأكدت الجماعة لحكومة الرئيس أنها لن تنسحب من المدينة.", "الجماعة لحكومة"),
        ("وقدم الحزب للنظام دعما كبيرا خلال العام الماضي.", "الحزب للنظام"),
        ("وأعلنت الجماعة مسؤوليتها عن التفجير الذي وقع أمس.", "الجماعة مسؤوليتها"),
        ("وأعلنت الشركة نتائجها المالية للربع الثاني.", "الشركة نتائجها"),
    ],
)
def test_a_purpose_or_a_possessive_noun_after_a_head_is_no_name(text: str, wrong: str) -> None:
    assert not any(name.startswith(wrong) for name in organisations(doc_of(text)))


def test_a_name_still_goes_on_after_an_adjective() -> None:
    doc = doc_of("وقالت الهيئة العامة للإحصاء إن عدد السكان ارتفع.")
    assert "الهيئة العامة للإحصاء" in organisations(doc)


# --- one body in several forms ---------------------------------------------------------------


def test_a_descriptor_head_before_a_listed_name_is_the_listed_body() -> None:
    doc = doc_of("وقالت حركة الحوثي في بيان إن مقاتليها انسحبوا من المدينة.")
    assert doc.entities[entity_of(doc, "حركة الحوثي")].kb_id == "org.houthis"


def test_a_ministry_without_its_nisba_joins_the_one_with_it() -> None:
    doc = doc_of(
        "وقالت وزارة الداخلية الليبية في بيان إن قواتها اعتقلت ثلاثة مسلحين. "
        "وأضافت وزارة الداخلية أن التحقيق مستمر."
    )
    assert entity_of(doc, "وزارة الداخلية") == entity_of(doc, "وزارة الداخلية الليبية")


def test_a_bare_name_shortening_two_forms_stays_apart() -> None:
    doc = doc_of(
        "وقالت وزارة الخارجية المغربية إن الاجتماع تأجل. وردت وزارة الخارجية الجزائرية ببيان. "
        "وقالت وزارة الخارجية إن الموعد لم يحدد."
    )
    bare = entity_of(doc, "وزارة الخارجية")
    assert bare not in {entity_of(doc, "وزارة الخارجية المغربية"), entity_of(doc, "وزارة الخارجية الجزائرية")}


# --- places in a dual or with directions in parentheses --------------------------------------


def places(doc: Document) -> set[str]:
    return {e.name_ar for e in doc.entities.values() if e.kind == "place"}


def test_a_dual_noun_names_two_unlisted_places() -> None:
    doc = doc_of("واندلعت اشتباكات عنيفة في بلدتي المزرعة والقصيبة أمس.")
    assert {"المزرعة", "القصيبة"} <= places(doc)


def test_a_list_with_directions_in_parentheses_is_a_list() -> None:
    doc = doc_of("وشملت الحملة مدن أكادير (جنوب)، وتاونات (شمال) ومكناس.")
    assert {"أكادير", "تاونات", "مكناس"} <= places(doc)


@pytest.mark.parametrize(
    "text",
    [
        "وأنا أغادر مدينتي الجميلة، وحينما نزلت السيارة من الجبل بكيت.",
        "وزار الوفد محافظات المنطقة الشرقية، وتمثلت الزيارة في لقاءات عدة.",
    ],
)
def test_a_clause_after_a_comma_is_no_place(text: str) -> None:
    found = places(doc_of(text))
    assert not found & {"حينما", "وحينما", "تمثلت", "وتمثلت", "الجميلة"}


# --- content before its frame -------------------------------------------------------------------


def test_content_before_hasbama_is_the_speakers_claim() -> None:
    doc = doc_of("وارتفع عدد القتلى إلى عشرة أشخاص، حسبما أعلن المتحدث باسم الشرطة العقيد سامر النجار.")
    claims = [c for c in doc.claims if "عدد القتلى" in c.quote]
    assert claims, doc.claims
    assert doc.entities[claims[0].speaker].name_ar == "سامر النجار"
    assert all(doc.text[c.start : c.end] == c.quote for c in doc.claims)


# --- a quoted outlet after "لـ" ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("وأكد مدير الشرطة العقيد سامر النجار لـ«الوطن» أن التحقيقات مستمرة.", "org.alwatan_sa"),
        ('وقال الوزير خالد العتيبي لـ"الرياض" إن المشروع سينتهي قريبا.', "org.alriyadh_newspaper"),
    ],
)
def test_a_quoted_outlet_after_lam_is_the_relay(text: str, outlet: str) -> None:
    doc = doc_of(text)
    claim = next(c for c in doc.claims if c.via is not None)
    assert doc.entities[claim.via].kb_id == outlet
    assert "place.riyadh" not in {e.kb_id for e in doc.entities.values()}


def test_a_quoted_word_after_lam_without_a_speech_verb_is_no_outlet() -> None:
    doc = doc_of('ومنح الأمير جائزة لـ"الرياض" عن مشروعها الجديد.')
    assert "org.alriyadh_newspaper" not in {e.kb_id for e in doc.entities.values()}
