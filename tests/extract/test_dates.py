"""Date grammar: explicit and relative expressions, resolution, and publication inference."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.extract.document import DateMention, Document, RelativeDate, SourceMeta
from service.extract.pipeline import extract_document
from service.extract.text import dates
from service.extract.text.dates import find_dates, infer_publication, resolve_relative, scan_dates
from service.extract.text.normalize import normalize
from service.extract.text.segment import segment

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PUB = date(2024, 3, 6)  # a Wednesday


def run(text: str, published: date | None = None) -> Document:
    doc = Document(text=text, meta=SourceMeta(published=published), sha256="test")
    normalize(doc)
    segment(doc)
    find_dates(doc)
    *written, lead = (
        doc.dates
    )  # the lead day (``dates.lead_day``) is always last: the grammar's are before it
    assert lead.basis == "inferred" and lead.start == lead.end == len(text)
    doc.dates = written
    return doc


def only(text: str, published: date | None = None) -> DateMention:
    doc = run(text, published)
    assert len(doc.dates) == 1, [d.text for d in doc.dates]
    mention = doc.dates[0]
    assert doc.text[mention.start : mention.end] == mention.text
    return mention


def seed(prefix: str) -> Document:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return run(path.read_text(encoding="utf-8"))


def by_text(doc: Document, text: str) -> DateMention:
    matches = [d for d in doc.dates if d.text == text]
    assert len(matches) >= 1, (text, [d.text for d in doc.dates])
    return matches[0]


@pytest.mark.parametrize(
    ("sentence", "quote", "expected"),
    [
        ("وقّع الطرفان الاتفاق في 12 آذار 2023 بعد مفاوضات طويلة.", "12 آذار 2023", date(2023, 3, 12)),
        ("أعلنت الحكومة في 5 مارس 2021 عن خطة جديدة.", "5 مارس 2021", date(2021, 3, 5)),
        ("انطلقت القافلة في 3 آب 2019 من الحدود.", "3 آب 2019", date(2019, 8, 3)),
        ("عقدت الجلسة في ١٤ تموز ٢٠٢٢ بحضور الوزراء.", "١٤ تموز ٢٠٢٢", date(2022, 7, 14)),
        ("وصل الوفد في 20 شباط / فبراير 2020 إلى الرياض.", "20 شباط / فبراير 2020", date(2020, 2, 20)),
        ("صدر القرار في الحادي والعشرين من آذار 2017.", "الحادي والعشرين من آذار 2017", date(2017, 3, 21)),
        ("انتهت الحرب في الـ12 من حزيران 2016 رسمياً.", "الـ12 من حزيران 2016", date(2016, 6, 12)),
        ("اجتمع المجلس في الـ3 كم شباط 2022 لمناقشة الميزانية.", "الـ3 كم شباط 2022", date(2022, 2, 3)),
        ("وفي الأحد 5 أكتوبر 2025 افتتح المعرض.", "الأحد 5 أكتوبر 2025", date(2025, 10, 5)),
        (
            "وصل الوزير يوم الأحد الموافق 5 تشرين الأول 2025 إلى بغداد.",
            "يوم الأحد الموافق 5 تشرين الأول 2025",
            date(2025, 10, 5),
        ),
        ("نشر البيان بتاريخ 04/10/2025 على الموقع.", "04/10/2025", date(2025, 10, 4)),
        ("سجلت الواقعة في 2023-11-30 وفق المحضر.", "2023-11-30", date(2023, 11, 30)),
    ],
)
def test_explicit_day_dates(sentence: str, quote: str, expected: date) -> None:
    mention = only(sentence)
    assert (mention.text, mention.basis, mention.precision) == (quote, "explicit", "day")
    assert mention.start_date == mention.end_date == expected
    assert mention.relative is None


@pytest.mark.parametrize(
    ("sentence", "quote", "precision", "start", "end"),
    [
        (
            "تأسس الحزب في أيار (مايو) 2018 في بيروت.",
            "أيار (مايو) 2018",
            "month",
            date(2018, 5, 1),
            date(2018, 5, 31),
        ),
        (
            "ارتفعت الأسعار في يناير/كانون الثاني 2024 بشكل حاد.",
            "يناير/كانون الثاني 2024",
            "month",
            date(2024, 1, 1),
            date(2024, 1, 31),
        ),
        ("اندلعت الاحتجاجات عام 2011 في عدة مدن.", "عام 2011", "year", date(2011, 1, 1), date(2011, 12, 31)),
        ("تراجعت الليرة منذ 2019 أمام الدولار.", "2019", "year", date(2019, 1, 1), date(2019, 12, 31)),
        (
            "يتوقع افتتاح المطار مطلع عام 2023 بعد الترميم.",
            "مطلع عام 2023",
            "range",
            date(2023, 1, 1),
            date(2023, 4, 30),
        ),
        (
            "عقد المؤتمر من 9 إلى 11 أيلول 2023 في جنيف.",
            "9 إلى 11 أيلول 2023",
            "range",
            date(2023, 9, 9),
            date(2023, 9, 11),
        ),
        (
            "أغلقت المعابر بين 2-4 تموز 2020 بشكل كامل.",
            "2-4 تموز 2020",
            "range",
            date(2020, 7, 2),
            date(2020, 7, 4),
        ),
        ("جرت الانتخابات أواسط 2019 وسط مقاطعة.", "أواسط 2019", "range", date(2019, 5, 1), date(2019, 8, 31)),
        (
            "ستكتمل المرحلة الأولى أواخر شباط 2024 حسب الخطة.",
            "أواخر شباط 2024",
            "range",
            date(2024, 2, 21),
            date(2024, 2, 29),
        ),
    ],
)
def test_explicit_periods(sentence: str, quote: str, precision: str, start: date, end: date) -> None:
    mention = only(sentence)
    assert (mention.text, mention.basis, mention.precision) == (quote, "explicit", precision)
    assert (mention.start_date, mention.end_date) == (start, end)


@pytest.mark.parametrize(
    ("sentence", "quote", "start", "end", "precision"),
    [
        ("قال المتحدث أمس إن المفاوضات مستمرة.", "أمس", date(2024, 3, 5), date(2024, 3, 5), "day"),
        ("وقع الانفجار أول أمس قرب الميناء.", "أول أمس", date(2024, 3, 4), date(2024, 3, 4), "day"),
        ("وقع الانفجار أول من أمس قرب الميناء.", "أول من أمس", date(2024, 3, 4), date(2024, 3, 4), "day"),
        ("ووصل الوفد أول من امس إلى المدينة.", "أول من امس", date(2024, 3, 4), date(2024, 3, 4), "day"),
        ("يصل الوزير غداً إلى بغداد.", "غداً", date(2024, 3, 7), date(2024, 3, 7), "day"),
        ("أعلنت الوزارة اليوم عن حزمة مساعدات.", "اليوم", PUB, PUB, "day"),
        ("التقى الرئيسان الجمعة في القصر.", "الجمعة", date(2024, 3, 1), date(2024, 3, 1), "day"),
        ("عقد البرلمان جلسة الأربعاء لمناقشة القانون.", "الأربعاء", PUB, PUB, "day"),
        (
            "زار الوفد المدينة الخميس الماضي برفقة الحاكم.",
            "الخميس الماضي",
            date(2024, 2, 29),
            date(2024, 2, 29),
            "day",
        ),
        (
            "تبدأ المحادثات يوم الأحد المقبل في جنيف.",
            "يوم الأحد المقبل",
            date(2024, 3, 10),
            date(2024, 3, 10),
            "day",
        ),
        (
            "استقبل الأمير أمس الثلاثاء السفير الجديد.",
            "أمس الثلاثاء",
            date(2024, 3, 5),
            date(2024, 3, 5),
            "day",
        ),
        (
            "ارتفع التضخم الشهر الماضي إلى مستوى قياسي.",
            "الشهر الماضي",
            date(2024, 2, 1),
            date(2024, 2, 29),
            "month",
        ),
        (
            "تعقد القمة منتصف الشهر الجاري في الدوحة.",
            "منتصف الشهر الجاري",
            date(2024, 3, 11),
            date(2024, 3, 20),
            "range",
        ),
        (
            "تراجعت الصادرات أواخر العام الماضي بشكل ملحوظ.",
            "أواخر العام الماضي",
            date(2023, 9, 1),
            date(2023, 12, 31),
            "range",
        ),
        ("تنتهي الولاية هذا العام وفق الدستور.", "هذا العام", date(2024, 1, 1), date(2024, 12, 31), "year"),
        (
            "جرت المناورات الأسبوع الماضي قرب الحدود.",
            "الأسبوع الماضي",
            date(2024, 2, 26),
            date(2024, 3, 3),
            "range",
        ),
        (
            "تجرى الانتخابات السنة المقبلة على الأرجح.",
            "السنة المقبلة",
            date(2025, 1, 1),
            date(2025, 12, 31),
            "year",
        ),
        ("غادر السفير البلاد قبل يومين بشكل مفاجئ.", "قبل يومين", date(2024, 3, 4), date(2024, 3, 4), "day"),
        ("سقطت قذيفة على حي سكني قبل 3 أيام.", "قبل 3 أيام", date(2024, 3, 3), date(2024, 3, 3), "day"),
        (
            "بدأت الأزمة منذ ثلاثة أشهر تقريباً.",
            "منذ ثلاثة أشهر",
            date(2023, 12, 1),
            date(2023, 12, 31),
            "month",
        ),
        (
            "زار الوزير أنقرة في يونيو الماضي لبحث الملف.",
            "يونيو الماضي",
            date(2023, 6, 1),
            date(2023, 6, 30),
            "month",
        ),
        (
            "تفتتح السفارة في ديسمبر المقبل حسب الخارجية.",
            "ديسمبر المقبل",
            date(2024, 12, 1),
            date(2024, 12, 31),
            "month",
        ),
        (
            "وقعت الاشتباكات في 20 تشرين الثاني بين الطرفين.",
            "20 تشرين الثاني",
            date(2023, 11, 20),
            date(2023, 11, 20),
            "day",
        ),
        (
            "يبدأ المؤتمر في الأول من نيسان بمشاركة دولية.",
            "الأول من نيسان",
            date(2024, 4, 1),
            date(2024, 4, 1),
            "day",
        ),
        ("أصدرت المحكمة حكمها في 5 آذار الماضي.", "5 آذار الماضي", date(2024, 3, 5), date(2024, 3, 5), "day"),
        (
            "عاد الوفد من القاهرة في 28 شباط المنصرم.",
            "28 شباط المنصرم",
            date(2024, 2, 28),
            date(2024, 2, 28),
            "day",
        ),
        (
            "يصل المبعوث في 15 من الشهر الجاري إلى صنعاء.",
            "15 من الشهر الجاري",
            date(2024, 3, 15),
            date(2024, 3, 15),
            "day",
        ),
        (
            "وقع الهجوم في العاشر من الشهر الماضي قرب الحدود.",
            "العاشر من الشهر الماضي",
            date(2024, 2, 10),
            date(2024, 2, 10),
            "day",
        ),
        (
            "زار الوفد موسكو في أيلول من العام الماضي.",
            "أيلول من العام الماضي",
            date(2023, 9, 1),
            date(2023, 9, 30),
            "month",
        ),
        (
            "وقع الاتفاق في 3 آذار من هذا العام.",
            "3 آذار من هذا العام",
            date(2024, 3, 3),
            date(2024, 3, 3),
            "day",
        ),
        (
            "تنتهي المهلة أواخر حزيران من العام المقبل.",
            "أواخر حزيران من العام المقبل",
            date(2025, 6, 21),
            date(2025, 6, 30),
            "range",
        ),
        (
            "تجري المناورات بين 3 و5 آب المقبل في البحر.",
            "3 و5 آب المقبل",
            date(2024, 8, 1),
            date(2024, 8, 31),
            "month",
        ),
    ],
)
def test_relative_dates_resolve_against_publication(
    sentence: str, quote: str, start: date, end: date, precision: str
) -> None:
    mention = only(sentence, PUB)
    assert (mention.text, mention.basis, mention.precision) == (quote, "relative", precision)
    assert (mention.start_date, mention.end_date) == (start, end)
    assert mention.relative is not None
    assert resolve_relative(mention.relative, PUB) == (start, end, precision)


def test_relative_dates_stay_unresolved_without_publication() -> None:
    doc = run("وصل الوفد أمس إلى العاصمة، على أن يغادر في 15 أيار.")
    yesterday, may = doc.dates
    assert yesterday.relative == RelativeDate(unit="day", offset_days=-1)
    assert (yesterday.start_date, yesterday.precision) == (None, "day")
    assert may.relative == RelativeDate(unit="calendar", month=5, day=15)
    assert may.start_date is None


@pytest.mark.parametrize(
    "sentence",
    [
        "مارس الضغط على الحكومة طوال الجلسة.",
        "قال أب الضحية إن التحقيق متأخر.",
        "بلغ عدد القتلى 2061 شخصاً بينهم أطفال.",
        "حكم الحزب البلاد لمدة 53 عاماً متواصلة.",
        "نشرت منظومة S-400 في قاعدة جوية.",
        "تكثفت الزيارات خلال الأشهر الماضية بين البلدين.",
        "وصل الوزير بعد يومين من الحادث إلى الموقع.",
        "عقدت الجلسة قبل أسبوع من موعد الانتخابات.",
        "تكررت الحوادث في اليوم التالي للهدنة.",
        "عين اليوم – الرياض: قتل شخصان في حادث إطلاق نار.",
        "ونقلت صحيفة اليوم عن مصدر أمني أن الشرطة اعتقلت متهمين.",
        "وصلت بعثة الفريق إلى ضاحية 6 أكتوبر بالقاهرة لإقامة معسكر.",
        "شارك الآلاف في إحياء ذكرى ثورة 25 يناير في القاهرة.",
    ],
)
def test_non_dates_are_ignored(sentence: str) -> None:
    assert run(sentence, PUB).dates == []


def test_ambiguous_month_names_need_context() -> None:
    mention = only("عاد اللاجئون إلى قراهم في آب الماضي.", PUB)
    assert (mention.text, mention.start_date) == ("آب الماضي", date(2023, 8, 1))


def test_boilerplate_dates_are_skipped() -> None:
    doc = run("وصل الوفد في 3 أيار 2022 إلى دمشق.\nجميع الحقوق محفوظة منذ 2015")
    assert doc.segments[-1].kind == "boilerplate"
    assert [d.text for d in doc.dates] == ["3 أيار 2022"]


def test_seed_003_dates_resolve_from_its_dateline() -> None:
    doc = seed("003")
    assert (doc.publication.date, doc.publication.basis) == (date(2025, 10, 4), "dateline")
    assert by_text(doc, "2 تشرين الأول").start_date == date(2025, 10, 2)
    assert by_text(doc, "15 تشرين الأول").start_date == date(2025, 10, 15)
    assert by_text(doc, "9 أيلول الماضي").start_date == date(2025, 9, 9)
    assert by_text(doc, "31 تموز الماضي").start_date == date(2025, 7, 31)
    fixed = by_text(doc, "30 أيلول 2015")
    assert (fixed.basis, fixed.start_date) == ("explicit", date(2015, 9, 30))


def test_seed_000_yesterday_stays_unresolved() -> None:
    doc = seed("000")
    yesterday = by_text(doc, "أمس")
    assert yesterday.start_date is None
    assert yesterday.relative is not None and yesterday.relative.offset_days == -1
    summit = by_text(doc, "الخامس عشر من أكتوبر")
    assert summit.relative == RelativeDate(unit="calendar", month=10, day=15)


def test_seed_002_dual_and_ordinal_and_typo() -> None:
    doc = seed("002")
    fall = by_text(doc, "الثامن من كانون الأول / ديسمبر 2024")
    assert (fall.basis, fall.start_date) == ("explicit", date(2024, 12, 8))
    meeting = next(d for d in doc.dates if d.text.startswith("الـ9 كم أيلول"))
    assert meeting.relative == RelativeDate(unit="calendar", month=9, day=9, direction="past")


def test_seed_004_yesterday_sunday() -> None:
    doc = seed("004")
    assert by_text(doc, "أمس الأحد").relative == RelativeDate(unit="day", offset_days=-1, weekday=7)
    assert by_text(doc, "الشهر الماضي").relative == RelativeDate(unit="month", offset_months=-1)


def test_every_seed_span_slices_the_verbatim_text() -> None:
    seen = 0
    for path in SEEDS.glob("*.txt"):
        doc = run(path.read_text(encoding="utf-8"))
        seen += len(doc.dates)
        for mention in doc.dates:
            assert doc.text[mention.start : mention.end] == mention.text
    assert seen >= 20


days = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))
day_rels = st.builds(
    RelativeDate,
    unit=st.just("day"),
    offset_days=st.integers(-400, 400),
    weekday=st.one_of(st.none(), st.integers(1, 7)),
)
other_rels = st.one_of(
    st.builds(
        RelativeDate, unit=st.just("weekday"), weekday=st.integers(1, 7), offset_days=st.integers(-7, 7)
    ),
    st.builds(RelativeDate, unit=st.just("week"), offset_weeks=st.integers(-5, 5)),
    st.builds(
        RelativeDate,
        unit=st.just("month"),
        offset_months=st.integers(-30, 30),
        part=st.sampled_from([None, "early", "mid", "late"]),
    ),
    st.builds(
        RelativeDate,
        unit=st.just("calendar"),
        month=st.integers(1, 12),
        day=st.integers(1, 28),
        direction=st.sampled_from([None, "past", "next"]),
    ),
)


@given(day_rels, days)
def test_infer_publication_round_trips(rel: RelativeDate, event: date) -> None:
    published = infer_publication(rel, event)
    if rel.weekday is None or rel.weekday == event.isoweekday():
        assert published is not None
        assert resolve_relative(rel, published)[0] == event
    else:
        assert published is None


@given(other_rels, days)
def test_infer_publication_refuses_what_it_cannot_pin(rel: RelativeDate, event: date) -> None:
    assert infer_publication(rel, event) is None


@given(st.integers(1, 7), st.integers(-1, 7), days)
def test_weekday_resolves_to_that_weekday_within_a_week(weekday: int, shift: int, published: date) -> None:
    start, end, precision = resolve_relative(
        RelativeDate(unit="weekday", weekday=weekday, offset_days=shift), published
    )
    anchor = published + timedelta(days=shift)
    assert start == end and precision == "day"
    assert start.isoweekday() == weekday and 0 <= (anchor - start).days < 7


@given(st.integers(1, 12), st.integers(1, 31), st.sampled_from([None, "past", "next"]), days)
def test_yearless_dates_land_near_publication(
    month: int, day: int, direction: str | None, published: date
) -> None:
    rel = RelativeDate(unit="calendar", month=month, day=day, direction=direction)  # type: ignore[arg-type]
    try:
        start, end, precision = resolve_relative(rel, published)
    except ValueError:
        assert day > 29 or (month, day) == (2, 29)
        return
    assert (start.month, start.day, start == end, precision) == (month, day, True, "day")
    if direction == "past":
        assert start <= published and (published - start).days < 366 * 4
    elif direction == "next":
        assert start >= published and (start - published).days < 366 * 4
    elif (month, day) != (2, 29):
        assert abs((start - published).days) <= 184


def test_day_zero_is_not_a_day() -> None:
    mention = only("سجل النظام 0 أكتوبر 2025 تاريخاً للعقد.")
    assert (mention.text, mention.precision, mention.start_date) == (
        "أكتوبر 2025",
        "month",
        date(2025, 10, 1),
    )


DATE_WORDS = [
    "أمس",
    "اليوم",
    "غداً",
    "الأحد",
    "الخميس",
    "الماضي",
    "المقبل",
    "الجاري",
    "الشهر",
    "العام",
    "الأسبوع",
    "منتصف",
    "أواخر",
    "مطلع",
    "قبل",
    "منذ",
    "بعد",
    "يومين",
    "أيام",
    "ثلاثة",
    "عام",
    "سنة",
    "في",
    "من",
    "كم",
    "الموافق",
    "تشرين الأول",
    "كانون الثاني",
    "آب",
    "مارس",
    "أيلول",
    "سبتمبر",
    "/",
    "-",
    "،",
    ".",
    "\n",
    "0",
    "9",
    "29",
    "30",
    "31",
    "2024",
    "٢٠٢٣",
    "الـ9",
    "الخامس عشر",
    "الحادي والثلاثين",
    "12/13/2020",
    "2020-02-30",
    "29/2/2023",
]


@given(
    st.lists(st.sampled_from(DATE_WORDS), max_size=14),
    st.sampled_from([None, date(2024, 2, 29), date(2023, 1, 1)]),
)
def test_any_sequence_of_date_words_gives_consistent_mentions(
    words: list[str], published: date | None
) -> None:
    doc = run(" ".join(words), published)
    for mention in doc.dates:
        assert doc.text[mention.start : mention.end] == mention.text
        assert (mention.start_date is None) == (mention.end_date is None)
        if mention.start_date is not None and mention.end_date is not None:
            assert mention.start_date <= mention.end_date
        if mention.basis == "relative":
            assert mention.relative is not None
            resolved = mention.start_date is not None
            # only an impossible day (30 February) may stay unresolved once publication is known (from
            # the manifest, or from a timestamp line: "الخميس 12/13/2020" is dated 13 December, and its
            # Thursday is the one before); a weekday beside an explicit date ("الأحد 12/13/2020") is that date
            anchored = any(
                other.basis == "explicit" and other.start_date == mention.start_date for other in doc.dates
            )
            known = published is not None or doc.publication.date is not None
            assert (
                resolved == known
                or (not resolved and mention.relative.day is not None)
                or (resolved and anchored)
            )


@given(st.text(max_size=300))
def test_any_text_scans_without_crashing(text: str) -> None:
    doc = run(text, PUB)
    for mention in doc.dates:
        assert doc.text[mention.start : mention.end] == mention.text
    assert isinstance(scan_dates(doc.norm), list)


# --- a bare weekday resolved in the direction its clause requires ------------------------------

FRIDAY = date(2015, 7, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وتعقد الجلسة الثانية السبت في فيينا.", date(2015, 7, 25)),
        ("وأوضحت الوكالة أن مجلس الشورى سيعقد يومي الثلاثاء والأربعاء جلسات علنية.", date(2015, 7, 29)),
        ("ومن المقرر أن يلتقي الوزير نظيره الأحد في الرياض.", date(2015, 7, 26)),
        ("وتنطلق المباحثات الجمعة في مسقط.", FRIDAY),
    ],
)
def test_a_weekday_after_a_future_cue_is_the_coming_one(text: str, expected: date) -> None:
    doc = extract_document(text, SourceMeta(published=FRIDAY))
    assert [d for d in doc.dates if d.basis != "inferred"][-1].start_date == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وعقد المجلس جلسة السبت في فيينا.", date(2015, 7, 18)),
        ("وكان من المقرر أن يصل الوفد الخميس لكنه تأخر.", date(2015, 7, 23)),
        ("وقال الوزير الأحد إن الجلسة ستعقد في موعدها.", date(2015, 7, 19)),
    ],
)
def test_a_weekday_in_a_past_clause_stays_the_last_one(text: str, expected: date) -> None:
    doc = extract_document(text, SourceMeta(published=FRIDAY))
    assert doc.dates[0].start_date == expected


def test_an_article_older_than_its_date_counts_from_the_day_it_names() -> None:
    # carried on Wednesday 6 March; "اليوم السبت" says it was written on Saturday 2 March
    doc = run("أعلنت الوزارة اليوم السبت أن الوفد وصل أمس إلى العاصمة، وأن اللقاء يعقد الخميس المقبل.", PUB)
    assert by_text(doc, "اليوم السبت").start_date == date(2024, 3, 2)
    assert by_text(doc, "أمس").start_date == date(2024, 3, 1)
    assert by_text(doc, "الخميس المقبل").start_date == date(2024, 3, 7)


def test_weekdays_that_disagree_leave_the_carried_date() -> None:
    doc = run("قال الوزير اليوم السبت إن الوفد وصل أمس الاثنين، ويغادر غداً.", PUB)
    assert by_text(doc, "غداً").start_date == date(2024, 3, 7)


def test_a_named_weekday_more_than_five_days_off_is_not_the_day_written() -> None:
    doc = run("أعلنت الوزارة اليوم الخميس أن الوفد وصل أمس.", PUB)
    assert by_text(doc, "أمس").start_date == date(2024, 3, 5)


def test_every_date_opening_word_begins_with_a_word_character() -> None:
    # ``_ANCHOR_AFTER_RE`` finds an anchor from the non-word character before it: that is the same
    # search as ``_ANCHOR_RE`` only while every opening word begins with a word character
    assert all(re.match(r"\w", word) for word in dates._STARTS if word != dates._DIGITS)
    assert all(re.match(r"\w", clitic) for clitic in dates._DATA.clitics)


_ANCHOR_PIECES = st.sampled_from(
    [
        "في",
        "يوم",
        "الخميس",
        "وامس",
        "بعد",
        "12",
        "2015",
        "ال3",
        "يوليو",
        "_",
        "،",
        ".",
        "-",
        " ",
        "\n",
        "و",
        "س",
    ]
)


@given(st.lists(_ANCHOR_PIECES, max_size=12))
def test_anchors_skip_ahead_without_changing_what_they_find(pieces: list[str]) -> None:
    text = "".join(pieces)
    found = [(m.start("t"), m["t"]) for m in dates._anchors(text)]
    assert found == [(m.start("t"), m["t"]) for m in dates._ANCHOR_RE.finditer(text)]
