"""Segmentation: paragraphs, sentences, headings, bylines, datelines, boilerplate, publication."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.extract.document import Document, Segment, SourceMeta
from service.extract.text.normalize import normalize
from service.extract.text.segment import segment

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def run(text: str, meta: SourceMeta | None = None) -> Document:
    doc = Document(text=text, meta=meta or SourceMeta(), sha256="test")
    normalize(doc)
    segment(doc)
    return doc


def seed(prefix: str) -> Document:
    return run(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"))


def texts(doc: Document, kind: str) -> list[str]:
    return [doc.text[s.start : s.end] for s in doc.segments if s.kind == kind]


def assert_well_formed(doc: Document) -> None:
    """Segments are ordered, disjoint, trimmed, and cover every non-blank character."""
    covered = [False] * len(doc.text)
    previous: Segment | None = None
    for seg in doc.segments:
        assert 0 <= seg.start < seg.end <= len(doc.text)
        assert not doc.text[seg.start].isspace() and not doc.text[seg.end - 1].isspace()
        if previous is not None:
            assert previous.end <= seg.start and previous.paragraph <= seg.paragraph
        for i in range(seg.start, seg.end):
            covered[i] = True
        previous = seg
    missing = [i for i, ch in enumerate(doc.text) if not ch.isspace() and not covered[i]]
    assert missing == []


WRAPPED = """قال وزير الخارجية الأردني في مؤتمر صحفي عقده في عمّان إن بلاده
ترحب بأي مبادرة تعيد الاستقرار إلى المنطقة، مشيراً إلى أن الحوار
هو السبيل الوحيد لحل الأزمة.
خلفية الأزمة
وتعود جذور الأزمة إلى خلافات قديمة حول ترسيم الحدود بين البلدين
ولم تنجح جولات التفاوض السابقة في التوصل إلى اتفاق نهائي. وتراجعت
حدة التوتر لاحقاً.
"""


def test_hard_wrapped_lines_join_and_headings_stay_apart() -> None:
    doc = run(WRAPPED)
    assert_well_formed(doc)
    body = texts(doc, "body")
    assert len(body) == 3
    assert body[0].startswith("قال وزير") and body[0].endswith("لحل الأزمة.") and body[0].count("\n") == 2
    assert body[1].endswith("اتفاق نهائي.") and body[2] == "وتراجعت\nحدة التوتر لاحقاً."
    assert texts(doc, "subheading") == ["خلفية الأزمة"]
    paragraphs = {s.paragraph for s in doc.segments if s.kind == "body"}
    assert len(paragraphs) == 2


def test_long_unpunctuated_paragraphs_are_not_taken_for_wrapped_lines() -> None:
    first = (
        "أعلنت وزارة الصحة في بيان رسمي صدر مساء اليوم أن حملة التلقيح الوطنية ستشمل جميع المحافظات "
        "وأن الفرق الطبية بدأت بالفعل توزيع اللقاحات على المراكز الصحية في المدن والأرياف"
    )
    second = (
        "وأوضح البيان أن الحملة تستهدف الأطفال دون سن الخامسة وأن المرحلة الأولى ستستمر أسبوعين "
        "على أن تتبعها مرحلة ثانية تشمل المناطق النائية التي لم تصلها الفرق في الحملات السابقة"
    )
    doc = run(f"{first}\n{second}\n{first}\n")
    assert_well_formed(doc)
    assert texts(doc, "body") == [first, second, first]
    assert len({s.paragraph for s in doc.segments}) == 3


UNWRAPPED = """الجيش اللبناني ينتشر في الجنوب

بيروت (رويترز) - أعلن الجيش اللبناني انتشار وحداته في عدد من البلدات الحدودية. وقال مصدر عسكري إن الانتشار سيستمر أسابيع؟ لم يحدد المصدر موعداً.
تفاصيل الانتشار
التقى د. سمير حداد قائد القطاع. وبحثا خطة العمل.
اقرأ أيضاً: الحكومة تقر الموازنة
شارك الخبر
"""


def test_headline_dateline_sentences_subheading_and_boilerplate() -> None:
    doc = run(UNWRAPPED)
    assert_well_formed(doc)
    assert texts(doc, "headline") == ["الجيش اللبناني ينتشر في الجنوب"]
    assert doc.title == "الجيش اللبناني ينتشر في الجنوب"
    assert texts(doc, "dateline") == ["بيروت (رويترز) -"]
    assert doc.outlet is None
    body = texts(doc, "body")
    assert body[:3] == [
        "أعلن الجيش اللبناني انتشار وحداته في عدد من البلدات الحدودية.",
        "وقال مصدر عسكري إن الانتشار سيستمر أسابيع؟",
        "لم يحدد المصدر موعداً.",
    ]
    assert "التقى د. سمير حداد قائد القطاع." in body
    assert texts(doc, "subheading") == ["تفاصيل الانتشار"]
    assert texts(doc, "boilerplate") == ["اقرأ أيضاً: الحكومة تقر الموازنة", "شارك الخبر"]


def test_timestamp_line_gives_the_publication_date() -> None:
    doc = run("نشر في: 12 مايو 2023 - 10:15 ص\nوصل الوفد التجاري إلى الرباط لبحث الاستثمارات.\n")
    assert_well_formed(doc)
    assert texts(doc, "dateline") == ["نشر في: 12 مايو 2023 - 10:15 ص"]
    assert (doc.publication.date, doc.publication.basis, doc.publication.precision) == (
        date(2023, 5, 12),
        "dateline",
        "day",
    )
    assert doc.publication.reason is not None and "12 مايو 2023" in doc.publication.reason


@pytest.mark.parametrize(
    "stamp",
    [
        "نُشر في 2025-10-05 الساعة 10:00",
        "تاريخ النشر: 05.10.2025",
        "آخر تحديث: الأحد، 5 تشرين الأول 2025 - 13:45 بتوقيت دمشق",
        "الأحد 5 أكتوبر 2025 | 10:30 ت.غ",
        "2025/10/05 17:58",
    ],
)
def test_timestamp_formats(stamp: str) -> None:
    doc = run(f"{stamp}\nأعلنت البلدية إغلاق الطريق الرئيسي للصيانة.")
    assert texts(doc, "dateline") == [stamp]
    assert (doc.publication.date, doc.publication.basis) == (date(2025, 10, 5), "dateline")


def test_a_sentence_with_a_date_is_not_a_timestamp() -> None:
    doc = run("وصل الوفد في 5 أكتوبر 2025.\nأعلنت البلدية إغلاق الطريق.")
    assert texts(doc, "dateline") == []
    assert doc.publication.date is None


def test_dated_dateline_gives_the_publication_date() -> None:
    doc = run("القاهرة، 3 تشرين الثاني 2022 (أ ف ب) - افتتح المتحف الكبير أبوابه أمام الزوار.")
    assert texts(doc, "dateline") == ["القاهرة، 3 تشرين الثاني 2022 (أ ف ب) -"]
    assert (doc.publication.date, doc.publication.basis) == (date(2022, 11, 3), "dateline")


def test_place_agency_datelines() -> None:
    doc = run("دمشق-سانا\nاستقبل الرئيس وفداً أوروبياً في القصر.")
    assert texts(doc, "dateline") == ["دمشق-سانا"]
    assert texts(doc, "body") == ["استقبل الرئيس وفداً أوروبياً في القصر."]
    doc = run("القامشلي - تاس: وصلت قافلة روسية إلى المطار.")
    assert texts(doc, "dateline") == ["القامشلي - تاس:"]
    doc = run("حلب: أعلنت المحافظة افتتاح مدرسة جديدة.")
    assert texts(doc, "dateline") == ["حلب:"]


def test_timestamp_with_hijri_date_and_source_label() -> None:
    doc = run("نشر: 14:20-12 مارس 2023 م ـ 20 شَعبان 1444 هـ\nأعلنت الحكومة خطة جديدة.\nالمصدر: وكالات")
    assert (doc.publication.date, doc.publication.basis) == (date(2023, 3, 12), "dateline")
    assert texts(doc, "boilerplate") == ["المصدر: وكالات"]


def test_quoted_outlet_after_a_dateline() -> None:
    doc = run("لندن- «القدس العربي»: قالت مصادر دبلوماسية إن المفاوضات ستستأنف قريباً.")
    assert texts(doc, "dateline") == ["لندن-"]
    assert texts(doc, "byline") == ["«القدس العربي»:"]
    assert doc.outlet == "القدس العربي"
    assert texts(doc, "body") == ["قالت مصادر دبلوماسية إن المفاوضات ستستأنف قريباً."]


def test_place_colon_topic_headline_stays_a_headline() -> None:
    doc = run("حلب: افتتاح مدرسة جديدة في الأحياء الشرقية\n\nافتتحت المحافظة اليوم مدرسة جديدة.")
    assert texts(doc, "headline") == ["حلب: افتتاح مدرسة جديدة في الأحياء الشرقية"]
    assert texts(doc, "dateline") == []


def test_quoted_outlet_line_after_a_place() -> None:
    doc = run("بغداد: «الشرق الأوسط»\nأعلنت الحكومة العراقية خطة لمكافحة الفساد.")
    assert texts(doc, "dateline") == ["بغداد:"]
    assert texts(doc, "byline") == ["«الشرق الأوسط»"]
    assert doc.outlet == "الشرق الأوسط"


def test_a_non_place_before_a_dash_is_not_a_dateline() -> None:
    doc = run("سوريا-روسيا: علاقات متجددة\nتتواصل الاتصالات بين البلدين.")
    assert texts(doc, "dateline") == []
    assert texts(doc, "headline") == ["سوريا-روسيا: علاقات متجددة"]


def test_list_items_are_body_not_headings() -> None:
    doc = run("أبرز النقاط:\n- وقف إطلاق النار\n- تبادل الأسرى\n1. فتح المعابر")
    assert texts(doc, "subheading") == [] and texts(doc, "headline") == []
    assert texts(doc, "body") == ["أبرز النقاط:", "- وقف إطلاق النار", "- تبادل الأسرى", "1. فتح المعابر"]


def test_metadata_wins_over_the_text() -> None:
    meta = SourceMeta(published=date(2024, 1, 2), outlet="Enab Baladi", title="عنوان من البيانات")
    doc = run("السبت, 4 أكتوبر 2025 05:58 PM\nخبر قصير عن زيارة الوفد إلى موسكو.", meta)
    assert (doc.publication.date, doc.publication.basis) == (date(2024, 1, 2), "metadata")
    assert (doc.outlet, doc.title) == ("Enab Baladi", "عنوان من البيانات")


def test_no_evidence_leaves_publication_unknown() -> None:
    doc = run("وصل الوفد أمس إلى العاصمة لبحث التعاون.")
    assert (doc.publication.date, doc.publication.basis, doc.publication.precision) == (
        None,
        "unknown",
        "unknown",
    )
    assert (doc.outlet, doc.author, doc.title) == (None, None, None)


def test_outlet_dash_author_byline() -> None:
    doc = run("الوطن – سامر الخطيب:\nأعلنت الحكومة خطة لإعادة الإعمار.")
    assert texts(doc, "byline") == ["الوطن – سامر الخطيب:"]
    assert (doc.outlet, doc.author) == ("الوطن", "سامر الخطيب")


def test_place_dash_author_byline_is_a_dateline_not_an_outlet() -> None:
    doc = run("عمّان – ليلى حسن:\nبحث الملك مع الوفد الأوروبي ملف اللاجئين.")
    assert texts(doc, "dateline") == ["عمّان –"]
    assert texts(doc, "byline") == ["ليلى حسن:"]
    assert (doc.outlet, doc.author) == (None, "ليلى حسن")


def test_cue_word_byline() -> None:
    doc = run("بقلم: رنا الأحمد\nتتسارع التطورات الميدانية في الشمال.")
    assert texts(doc, "byline") == ["بقلم: رنا الأحمد"]
    assert doc.author == "رنا الأحمد"


def test_line_ending_on_a_preposition_continues_even_when_not_wrapped() -> None:
    doc = run("انعقد الاجتماع في\nالعاصمة الأردنية بحضور الوزراء.\nتفاصيل أخرى")
    assert texts(doc, "body") == ["انعقد الاجتماع في\nالعاصمة الأردنية بحضور الوزراء."]
    assert texts(doc, "subheading") == ["تفاصيل أخرى"]


def test_seed_003_dateline_repeated_headline_and_boilerplate() -> None:
    doc = seed("003")
    assert_well_formed(doc)
    assert texts(doc, "dateline") == ["السبت, 4 أكتوبر 2025 05:58 PM"]
    assert (doc.publication.date, doc.publication.basis) == (date(2025, 10, 4), "dateline")
    headlines = texts(doc, "headline")
    assert len(headlines) == 2 and headlines[0] == headlines[1] and "S-400" in headlines[0]
    assert doc.title == headlines[0]
    assert texts(doc, "boilerplate") == ["مشاركة المقال:"]


def test_seed_002_wrapped_sentences_are_joined() -> None:
    doc = seed("002")
    assert_well_formed(doc)
    first = texts(doc, "body")[0]
    assert first.startswith("شهدت العاصمة الروسية\nموسكو") and first.endswith("أواخر عام 2024.")
    assert texts(doc, "subheading") == ["سياق الزيارة", "خلفية تاريخية"]
    assert texts(doc, "boilerplate") == ["اظهار أخبار متعلقة"]
    assert doc.publication.basis == "unknown"


def test_seed_001_dateline_and_seed_004_byline() -> None:
    doc = seed("001")
    assert_well_formed(doc)
    assert texts(doc, "dateline") == ["دمشق –"]
    assert doc.outlet is None
    doc = seed("004")
    assert_well_formed(doc)
    assert texts(doc, "byline") == ["الثور – جودي يوسف:"]
    assert (doc.outlet, doc.author) == ("الثور", "جودي يوسف")


def test_seed_000_subheadings_without_headline() -> None:
    doc = seed("000")
    assert_well_formed(doc)
    assert texts(doc, "headline") == []
    assert len(texts(doc, "subheading")) == 3
    assert doc.publication.date is None


def test_every_seed_is_fully_covered() -> None:
    for path in SEEDS.glob("*.txt"):
        doc = run(path.read_text(encoding="utf-8"))
        assert doc.segments, path.name
        assert_well_formed(doc)


@given(
    st.text(
        alphabet=st.sampled_from(list("ابت ثج.\n،؟:-–١2 ًـ\u200f\r\u2028")) | st.characters(), max_size=400
    )
)
def test_any_text_segments_without_crashing(text: str) -> None:
    doc = run(text)
    assert_well_formed(doc)
