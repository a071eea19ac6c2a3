"""Claim stage: speaker, relay, channel, stance, content span, inheritance, non-claims.

Unit tests declare the upstream actor mentions and dates by surface form on a normalised
document (scaffolding for the stage under test); pipeline tests at the bottom run the real
per-document pipeline on the seeds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.extract.document import (
    ActorKind,
    ActorMention,
    ClaimMention,
    DateMention,
    Document,
    Entity,
    RoleMention,
    SourceMeta,
)
from service.extract.pipeline import run_stages
from service.extract.text.normalize import normalize

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def build(
    text: str,
    entities: dict[str, tuple[ActorKind, list[str]] | tuple[ActorKind, list[str], list[str]]],
    dates: list[str] = (),
) -> Document:  # type: ignore[assignment]
    """A normalised document with the given mentions (every occurrence of each surface form) and,
    optionally, the titles the actor stage would record for an entity (first occurrence)."""
    doc = Document(text=text, meta=SourceMeta(), sha256="test")
    normalize(doc)
    for key, (kind, surfaces, *titles) in entities.items():
        roles = [RoleMention(text.index(t), text.index(t) + len(t), t) for t in (titles[0] if titles else [])]
        doc.entities[key] = Entity(key=key, kind=kind, name_ar=surfaces[0], roles=roles)
        for surface in surfaces:
            at = text.find(surface)
            while at >= 0:
                doc.mentions.append(ActorMention(at, at + len(surface), surface, key, "kb"))
                at = text.find(surface, at + 1)
    doc.mentions.sort(key=lambda m: (m.start, -m.end))
    for surface in dates:
        at = text.index(surface)
        doc.dates.append(DateMention(at, at + len(surface), surface, "explicit", "day"))
    doc.dates.sort(key=lambda d: d.start)
    return doc


def claims_of(doc: Document) -> list[ClaimMention]:
    run_stages(doc, "clauses", "claims")
    for c in doc.claims:
        assert doc.text[c.start : c.end] == c.quote
        assert doc.text[c.cue_start : c.cue_start + len(c.cue)] == c.cue
    return doc.claims


def test_ministry_statement_with_complementizer() -> None:
    text = "وقالت وزارة الخارجية القطرية في بيان إن الدوحة ستواصل جهود الوساطة بين الطرفين."
    doc = build(
        text, {"mofa_qa": ("organization", ["وزارة الخارجية القطرية"]), "doha": ("place", ["الدوحة"])}
    )
    [c] = claims_of(doc)
    assert (c.speaker, c.via, c.channel, c.stance) == ("mofa_qa", None, "statement", "asserts")
    assert c.quote == "الدوحة ستواصل جهود الوساطة بين الطرفين"
    assert c.cue == "وقالت"
    assert c.about == ["doha"]


def test_participles_open_new_claims_with_the_same_speaker() -> None:
    text = (
        "أكد وزير الخارجية المصري بدر عبد العاطي أن القاهرة ترفض التهجير، مشيراً إلى أن الحل "
        "السياسي هو الطريق الوحيد، ومشدداً على أهمية وقف إطلاق النار."
    )
    doc = build(text, {"abdelatty": ("person", ["بدر عبد العاطي"]), "cairo": ("place", ["القاهرة"])})
    claims = claims_of(doc)
    assert [c.speaker for c in claims] == ["abdelatty"] * 3
    assert claims[0].quote == "القاهرة ترفض التهجير"
    assert claims[1].quote == "الحل السياسي هو الطريق الوحيد"
    assert claims[2].quote == "أهمية وقف إطلاق النار"


def test_continuation_in_next_sentence_inherits_speaker() -> None:
    text = (
        "قال رئيس الوزراء العراقي محمد شياع السوداني إن بغداد لن تكون ساحة للصراع. "
        "وأضاف أن الحكومة ماضية في حصر السلاح بيد الدولة."
    )
    doc = build(text, {"sudani": ("person", ["محمد شياع السوداني"]), "baghdad": ("place", ["بغداد"])})
    claims = claims_of(doc)
    assert [c.speaker for c in claims] == ["sudani", "sudani"]
    assert claims[1].cue == "وأضاف"
    assert claims[1].quote == "الحكومة ماضية في حصر السلاح بيد الدولة"


def test_relay_from_unnamed_sources() -> None:
    text = "ونقلت وكالة فرانس برس عن مصادر دبلوماسية أن المفاوضات ستستأنف الأسبوع المقبل في القاهرة."
    doc = build(text, {"afp": ("organization", ["وكالة فرانس برس"]), "cairo": ("place", ["القاهرة"])})
    [c] = claims_of(doc)
    assert (c.speaker, c.via, c.stance) == (None, "afp", "asserts")
    assert c.quote.startswith("المفاوضات ستستأنف")


def test_interview_with_an_outlet_is_the_relay() -> None:
    text = "وفي تصريح لقناة العربية، قال المتحدث باسم الجيش الإسرائيلي أفيخاي أدرعي إن العملية ستستمر."
    doc = build(text, {"arabiya": ("organization", ["قناة العربية"]), "adraee": ("person", ["أفيخاي أدرعي"])})
    [c] = claims_of(doc)
    assert (c.speaker, c.via, c.channel) == ("adraee", "arabiya", "interview")
    assert c.quote == "العملية ستستمر"


def test_statement_to_an_agency_is_an_interview_relayed_by_it() -> None:
    text = (
        "في 5 آذار الماضي، صرح السفير الروسي في بيروت ألكسندر روداكوف لوكالة نوفوستي بأن موسكو تدعم الحوار."
    )
    doc = build(
        text,
        {
            "rudakov": ("person", ["ألكسندر روداكوف"], ["السفير الروسي في بيروت"]),
            "beirut": ("place", ["بيروت"]),
            "novosti": ("organization", ["وكالة نوفوستي"]),
        },
        dates=["في 5 آذار الماضي"],
    )
    [c] = claims_of(doc)
    assert (c.speaker, c.via, c.channel) == ("rudakov", "novosti", "interview")
    assert c.said_on == 0
    assert c.quote == "موسكو تدعم الحوار"


def test_agency_as_subject_is_the_speaker_not_a_relay() -> None:
    text = "وقالت وكالة الأنباء الأردنية (بترا) إن الملك عبد الله الثاني استقبل المبعوث الأمريكي."
    doc = build(
        text,
        {
            "petra": ("organization", ["وكالة الأنباء الأردنية (بترا)"]),
            "abdullah": ("person", ["الملك عبد الله الثاني"]),
        },
    )
    [c] = claims_of(doc)
    assert (c.speaker, c.via, c.channel) == ("petra", None, "report")
    assert c.event is not None and doc.events[c.event].plover_mode == "host"
    assert doc.events[c.event].via == "petra"


def test_social_media_post_quote_is_the_content() -> None:
    text = 'وكتب المبعوث الأمريكي توم باراك عبر حسابه على منصة إكس: "لقد حان وقت السلام في المنطقة".'
    doc = build(text, {"barrack": ("person", ["توم باراك"])})
    [c] = claims_of(doc)
    assert (c.speaker, c.channel) == ("barrack", "social_media")
    assert c.quote == "لقد حان وقت السلام في المنطقة"


def test_press_conference_channel() -> None:
    text = "وأعلن وزير الخارجية الروسي سيرغي لافروف خلال مؤتمر صحفي في موسكو أن بلاده مستعدة للوساطة."
    doc = build(text, {"lavrov": ("person", ["سيرغي لافروف"]), "moscow": ("place", ["موسكو"])})
    [c] = claims_of(doc)
    assert (c.speaker, c.channel) == ("lavrov", "press_conference")


def test_denial_and_expectation_stances() -> None:
    text = (
        "ونفى المتحدث باسم الكرملين دميتري بيسكوف أن تكون موسكو قد تلقت طلباً رسمياً. "
        "وتوقع المحلل العسكري أحمد رحال أن تتوسع المواجهات في الشمال."
    )
    doc = build(text, {"peskov": ("person", ["دميتري بيسكوف"]), "rahhal": ("person", ["أحمد رحال"])})
    claims = claims_of(doc)
    assert [(c.speaker, c.stance) for c in claims] == [("peskov", "denies"), ("rahhal", "expects")]


def test_denial_phrase_in_content_makes_the_claim_a_denial() -> None:
    text = "وأكدت الخارجية التركية أن الأنباء عن سحب القوات من الشمال السوري غير صحيحة."
    doc = build(text, {"mfa_tr": ("organization", ["الخارجية التركية"])})
    [c] = claims_of(doc)
    assert (c.speaker, c.stance) == ("mfa_tr", "denies")


def test_no_comment_is_not_a_claim() -> None:
    text = (
        "ولم تعلق وزارة الدفاع التركية على هذه التقارير. "
        "وفشلت محاولات الحصول على تعليق من السفارة الإيرانية في بغداد، ولم تؤكد الوزارة الخبر."
    )
    doc = build(
        text,
        {
            "mod_tr": ("organization", ["وزارة الدفاع التركية"]),
            "emb_ir": ("organization", ["السفارة الإيرانية"]),
        },
    )
    assert claims_of(doc) == []


def test_unnamed_sources_keep_the_claim_without_speaker() -> None:
    text = "وبحسب مصادر أمنية عراقية، فإن الهجوم استهدف رتلاً للدعم اللوجستي قرب الحدود."
    doc = build(text, {"iraq": ("country", ["عراقية"])})
    [c] = claims_of(doc)
    assert c.speaker is None
    assert c.quote.startswith("الهجوم استهدف")


def test_postposed_attribution_covers_the_preceding_clause() -> None:
    text = "قتل ثلاثة مدنيين في قصف على ريف إدلب، بحسب الدفاع المدني السوري."
    doc = build(
        text, {"whitehelmets": ("organization", ["الدفاع المدني السوري"]), "idlib": ("place", ["إدلب"])}
    )
    [c] = claims_of(doc)
    assert c.speaker == "whitehelmets"
    assert c.quote == "قتل ثلاثة مدنيين في قصف على ريف إدلب"


def test_reporting_verbs_inside_a_quotation_are_not_new_claims() -> None:
    text = 'وقال الرئيس اللبناني جوزاف عون: "أكدنا لهم أن لبنان لن يكون منصة للاعتداء"، مضيفاً أن الجيش جاهز.'
    doc = build(text, {"aoun": ("person", ["جوزاف عون"])})
    claims = claims_of(doc)
    assert [c.cue for c in claims] == ["وقال", "مضيفاً"]
    assert claims[0].quote == "أكدنا لهم أن لبنان لن يكون منصة للاعتداء"


def test_impersonal_analysis_without_speaker_is_not_a_claim() -> None:
    text = "ويشير هذا التطور إلى تحول في موازين القوى، وتشير التطورات إلى تقارب بين البلدين."
    assert claims_of(build(text, {})) == []


def test_named_agency_after_according_to_is_the_speaker() -> None:
    text = "قصفت طائرات مسيرة مواقع في ريف حلب، بحسب وكالة الأناضول التركية."
    doc = build(text, {"aa": ("organization", ["وكالة الأناضول"]), "aleppo": ("place", ["حلب"])})
    [c] = claims_of(doc)
    assert c.speaker == "aa"
    assert c.quote == "قصفت طائرات مسيرة مواقع في ريف حلب"


def test_unnamed_newspaper_keeps_the_claim_without_speaker() -> None:
    text = "وذكرت صحيفة محلية أن الحكومة تدرس رفع أسعار الوقود."
    [c] = claims_of(build(text, {}))
    assert c.speaker is None and c.quote == "الحكومة تدرس رفع أسعار الوقود"


def test_channel_phrase_after_the_speaker_is_not_content() -> None:
    text = "ونفى المتحدث باسم الحكومة العراقية باسم العوادي في تصريح لوكالة الأنباء العراقية وجود أي خلاف مع أنقرة."
    doc = build(
        text,
        {
            "awadi": ("person", ["باسم العوادي"], ["المتحدث باسم الحكومة العراقية"]),
            "ina": ("organization", ["وكالة الأنباء العراقية"]),
        },
    )
    [c] = claims_of(doc)
    assert (c.speaker, c.via, c.channel, c.stance) == ("awadi", "ina", "interview", "denies")
    assert c.quote == "وجود أي خلاف مع أنقرة"


def test_contrast_ends_content_and_an_unnamed_subject_before_the_verb_speaks() -> None:
    text = (
        "وذكرت صحيفة الوطن أن الجانبين سيبحثان صفقة طائرات، غير أن مصدراً دبلوماسياً أكد أن "
        "هذه الأنباء عارية عن الصحة."
    )
    doc = build(text, {"watan": ("organization", ["صحيفة الوطن"])})
    first, second = claims_of(doc)
    assert first.speaker == "watan" and first.quote == "الجانبين سيبحثان صفقة طائرات"
    assert (second.speaker, second.stance) == (None, "denies")


def test_participle_after_a_non_reporting_verb_takes_the_main_subject() -> None:
    text = (
        "قال وزير الصحة اللبناني ركان ناصر الدين إن الغارات أوقعت ضحايا. "
        "واتهم رئيس الحكومة نواف سلام إسرائيل بخرق الاتفاق، مطالباً المجتمع الدولي بالتحرك."
    )
    doc = build(
        text,
        {
            "nasreddine": ("person", ["ركان ناصر الدين"]),
            "salam": ("person", ["نواف سلام"]),
            "israel": ("country", ["إسرائيل"]),
        },
    )
    claims = claims_of(doc)
    assert [c.speaker for c in claims] == ["nasreddine", "salam"]
    assert claims[1].quote == "المجتمع الدولي بالتحرك"


def test_reporting_verb_with_an_attached_pronoun_object_is_not_a_frame() -> None:
    text = 'وأكد الوزير أيمن الصفدي أن "الخطوات التي اتخذتها الحكومة وأعلن عنها الرئيس ستساعد البلاد".'
    doc = build(text, {"safadi": ("person", ["أيمن الصفدي"])})
    [c] = claims_of(doc)
    assert c.quote.endswith("ستساعد البلاد")


def test_passive_description_without_a_speaker_is_not_a_claim() -> None:
    text = "وشهدت العاصمة زيارة رسمية، في خطوة وصفت بأنها تحول في العلاقات."
    assert claims_of(build(text, {})) == []


def test_statement_about_an_event_already_reported_links_to_it() -> None:
    text = (
        "قصفت طائرات أمريكية مواقع في محافظة الحديدة فجر السبت. "
        "وأعلنت القيادة المركزية الأمريكية أن قواتها نفذت ضربات جوية في الحديدة."
    )
    doc = build(
        text,
        {
            "us": ("country", ["أمريكية"]),
            "hodeidah": ("place", ["الحديدة"]),
            "centcom": ("organization", ["القيادة المركزية الأمريكية"]),
        },
        dates=["فجر السبت"],
    )
    [c] = claims_of(doc)
    assert c.speaker == "centcom"
    assert c.event is not None and doc.events[c.event].plover_type == "ASSAULT"


def test_publishing_without_a_quote_or_account_is_not_a_claim() -> None:
    text = "ونشرت الولايات المتحدة حاملة طائرات إضافية في المنطقة."
    doc = build(text, {"us": ("country", ["الولايات المتحدة"])})
    assert claims_of(doc) == []


_WORDS = [
    "وقال",
    "وقالت",
    "إن",
    "أن",
    "مؤكداً",
    "وأضاف",
    "بحسب",
    "وفقاً",
    "لـ",
    "لوكالة",
    "نقلت",
    "عن",
    "مصادر",
    '"',
    "«",
    "»",
    "،",
    ".",
    "\n",
    "نفى",
    "غير صحيح",
    "لم تعلق",
    "من المتوقع أن",
    "في بيان",
    "الوزير",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=40), st.data())
def test_any_text_gives_claims_with_valid_spans(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    kinds = ["person", "organization", "country", "place", "weapon"]
    entities: dict[str, tuple[ActorKind, list[str]]] = {}
    for n, word in enumerate(w for w in words if w.strip() and w in text):
        if data.draw(st.booleans()):
            entities[f"e{n}"] = (data.draw(st.sampled_from(kinds)), [word])  # type: ignore[arg-type]
    doc = build(text, entities)
    for c in claims_of(doc):
        assert c.speaker is None or c.speaker in doc.entities
        assert c.event is None or 0 <= c.event < len(doc.events)


def test_headline_speaker_colon_content_is_a_claim() -> None:
    text = "الخارجية الروسية: لا صحة للأنباء عن سحب القوات من قاعدة حميميم\n\nوقال مصدر إن الوضع هادئ."
    doc = build(
        text, {"mfa_ru": ("organization", ["الخارجية الروسية"]), "hmeimim": ("place", ["قاعدة حميميم"])}
    )
    claims = claims_of(doc)
    assert (claims[0].speaker, claims[0].stance, claims[0].cue) == ("mfa_ru", "denies", ":")
    assert claims[0].quote == "لا صحة للأنباء عن سحب القوات من قاعدة حميميم"


def test_dateline_place_before_a_colon_is_not_a_speaker() -> None:
    text = "دمشق: شهدت العاصمة السورية أمس زيارة لوفد أردني."
    doc = build(text, {"damascus": ("place", ["دمشق"])})
    assert claims_of(doc) == []


def test_unnamed_official_with_adjectives_and_a_channel_before_the_content() -> None:
    text = 'ونفى مسؤول إسرائيلي في حديث لصحيفة "يديعوت أحرونوت" وجود أي اتصالات مباشرة مع دمشق.'
    [c] = claims_of(build(text, {"damascus": ("place", ["دمشق"])}))
    assert (c.speaker, c.stance, c.channel) == (None, "denies", "interview")
    assert c.quote == "وجود أي اتصالات مباشرة مع دمشق"


def test_the_source_again_keeps_the_relay_of_the_previous_statement() -> None:
    text = (
        'أكد مصدر مسؤول في وزارة الخارجية لـ"سانا" أن سوريا ترفض أي تدخل. '
        "ولفت المصدر إلى أن دمشق منفتحة على الحوار."
    )
    doc = build(text, {"sana": ("organization", ["سانا"]), "mfa": ("organization", ["وزارة الخارجية"])})
    first, second = claims_of(doc)
    assert (first.speaker, first.via, first.channel) == (None, "sana", "interview")
    assert (second.speaker, second.via) == (None, "sana")
    assert second.quote == "دمشق منفتحة على الحوار"


def test_a_call_is_both_a_demand_event_and_a_claim() -> None:
    text = "ودعا الأمين العام للأمم المتحدة أنطونيو غوتيريش إلى وقف فوري لإطلاق النار في السودان."
    doc = build(
        text,
        {
            "guterres": ("person", ["أنطونيو غوتيريش"], ["الأمين العام للأمم المتحدة"]),
            "un": ("organization", ["الأمم المتحدة"]),
        },
    )
    [c] = claims_of(doc)
    assert c.speaker == "guterres"
    assert c.quote.startswith("وقف فوري لإطلاق النار")
    assert c.event is not None and doc.events[c.event].plover_type == "DEMAND"


def test_a_crowds_demand_is_an_event_not_a_claim() -> None:
    text = "وطالب المحتجون حكومة رئيس الوزراء محمد شياع السوداني بمحاسبة الفاسدين، فيما انتشرت قوات الأمن."
    doc = build(text, {"sudani": ("person", ["محمد شياع السوداني"], ["رئيس الوزراء"])})
    assert claims_of(doc) == []
    [e] = doc.events
    assert e.plover_type == "DEMAND" and {a.entity: a.role for a in e.actors} == {"sudani": "target"}


def test_agency_reporting_from_a_source_relays_it() -> None:
    text = 'أفادت وكالة "تاس" نقلاً عن مصدر في وزارة الدفاع الروسية بأن طائرات روسية نفذت غارات في ريف إدلب.'
    doc = build(
        text,
        {
            "tass": ("organization", ["تاس"]),
            "mod_ru": ("organization", ["وزارة الدفاع الروسية"]),
            "idlib": ("place", ["إدلب"]),
        },
    )
    [c] = claims_of(doc)
    assert (c.speaker, c.via, c.channel) == (None, "tass", "report")
    assert c.quote == "طائرات روسية نفذت غارات في ريف إدلب"
    assert c.event is not None and doc.events[c.event].via == "tass"


def test_statement_to_a_quoted_outlet_is_an_interview() -> None:
    text = 'وقال الناشط حيدر الكعبي لـ"العربي الجديد" إن الاحتجاجات ستستمر.'
    [c] = claims_of(build(text, {"kaabi": ("person", ["حيدر الكعبي"], ["الناشط"])}))
    assert (c.speaker, c.channel) == ("kaabi", "interview")


# --- whole pipeline -------------------------------------------------------------------------


def seed(prefix: str) -> Document:
    from service.extract.pipeline import extract_document  # the whole per-document pipeline

    return extract_document(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_claim_spans_slice_the_text(prefix: str) -> None:
    doc = seed(prefix)
    assert doc.claims
    for c in doc.claims:
        assert doc.text[c.start : c.end] == c.quote
        assert c.quote.strip() == c.quote and c.quote
        assert c.speaker is None or c.speaker in doc.entities
        assert c.event is None or 0 <= c.event < len(doc.events)


def test_what_a_statement_says_is_its_issuer_s_claim() -> None:
    text = "وجاء في بيان صادر عن وزارة الداخلية البحرينية أن قوات الأمن اعتقلت خمسة مطلوبين."
    doc = build(text, {"moi_bh": ("organization", ["وزارة الداخلية البحرينية"])})
    [c] = claims_of(doc)
    assert (c.speaker, c.stance, c.quote) == ("moi_bh", "asserts", "قوات الأمن اعتقلت خمسة مطلوبين")


def test_the_statement_named_again_is_the_same_speaker_s() -> None:
    text = (
        "أعلنت وزارة الدفاع الأمريكية أن قيادياً قتل في غارة. وجاء في البيان أن القيادي أشرف على عمليات عدة."
    )
    doc = build(text, {"dod": ("organization", ["وزارة الدفاع الأمريكية"])})
    claims = claims_of(doc)
    assert [(c.speaker, c.quote) for c in claims][-1] == ("dod", "القيادي أشرف على عمليات عدة")


def test_a_quotation_after_the_speaker_s_description_is_what_was_said() -> None:
    text = "وقال سامر خليل وهو ناشط محلي لرويترز عبر الهاتف «سيارات الإسعاف تنقل الجرحى إلى المستشفى»."
    doc = build(text, {"samer": ("person", ["سامر خليل"]), "reuters": ("organization", ["رويترز"])})
    [c] = claims_of(doc)
    assert (c.speaker, c.quote) == ("samer", "سيارات الإسعاف تنقل الجرحى إلى المستشفى")


def test_a_word_quoted_inside_the_content_stays_in_it() -> None:
    text = "وأكد سامر خليل قصف الطائرات لـ«مواقعنا في الشريط الحدودي مع قصف مكثف»."
    doc = build(text, {"samer": ("person", ["سامر خليل"])})
    [c] = claims_of(doc)
    assert c.quote.startswith("قصف الطائرات")


def test_a_weak_cue_that_opens_its_content_continues_the_speaker() -> None:
    text = (
        "وقالت النائبة سارة علي إن المسؤولين يحققون في الانفجار. "
        "وذكرت أن الانفجار وقع أثناء اجتماع الشبان في المركز. "
        "وأشارت إلى أن سيارات الإسعاف نقلت الجرحى."
    )
    doc = build(text, {"sara": ("person", ["سارة علي"])})
    claims = claims_of(doc)
    assert [(c.cue, c.speaker) for c in claims] == [("وقالت", "sara"), ("وذكرت", "sara"), ("وأشارت", "sara")]


def test_a_weak_cue_before_a_noun_reports_nothing() -> None:
    text = "وقالت النائبة سارة علي إن المسؤولين يحققون في الانفجار. وكشفت الصور حجم الدمار في المركز."
    doc = build(text, {"sara": ("person", ["سارة علي"])})
    assert [c.cue for c in claims_of(doc)] == ["وقالت"]


def test_the_outlet_s_aside_is_no_claim_of_the_speaker_before() -> None:
    text = "وقالت النائبة سارة علي إن المسؤولين يحققون في الانفجار. ويذكر أن المركز افتتح العام الماضي."
    doc = build(text, {"sara": ("person", ["سارة علي"])})
    assert [c.cue for c in claims_of(doc)] == ["وقالت"]
