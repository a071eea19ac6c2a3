"""Classes of events and dates that extractor 0.10.1 reads (docs/extraction.md, "Extractor 0.10.1
(events and dates)"): a numeric date written with spaces around its slashes ("بتاريخ 25 / 7 /
2015م") and a bare year in a relative clause about another noun ("في ولاية البنجاب التي تم
تقسيمها في 1947": no date of the act); ground taken ("حررت القوات بلدة ..."، "انتزعت السيطرة
على"، "سيطرت على معسكر"), an ASSAULT of mode capture whose target is the side the ground was taken from, never a fire brought under
control, power or a market, nor a noun with a pronoun ("منذ سيطرته على"); and a foiled smuggling
("أحبط الجمرك محاولة تهريب"), a COERCE seizure, never a foiled attack.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

from test_date_classes_0619 import date_of, doc_of, events_of

from service.extract.document import Document
from service.extract.text.dates import scan_dates
from service.extract.text.normalize import fold

MONDAY = date(2015, 7, 27)


def _explicit_days(text: str) -> list[date | None]:
    return [f.start_date for f in scan_dates(fold(text)) if f.basis == "explicit" and f.precision == "day"]


def _actors(doc: Document, kind: str) -> list[dict[str, str]]:
    return [{a.entity: a.role for a in e.actors} for e in events_of(doc, kind)]


# numeric dates with spaced slashes


def test_a_numeric_date_with_spaces_around_its_slashes_is_read() -> None:
    assert _explicit_days("وقع الحادث في حديقة المنزل بتاريخ 14 / 6 / 2015م") == [date(2015, 6, 14)]
    assert _explicit_days("ولد الرجل في 3/ 9/ 1975 في قرية صغيرة") == [date(1975, 9, 3)]
    assert _explicit_days("صدر العدد بتاريخ 11 /5 /2015، وفيه خبر") == [date(2015, 5, 11)]


def test_a_spaced_gregorian_date_beside_its_hijri_date_gives_the_same_day() -> None:
    days = _explicit_days("يبدأ الدوام يوم الأحد 8 / 11 / 1436 هـ الموافق 23 / 8 / 2015 م في المدارس")
    assert days == [date(2015, 8, 23), date(2015, 8, 23)]


def test_spaced_numbers_that_are_no_date_stay_unread() -> None:
    assert _explicit_days("فاز الفريق بنتيجة 3 / 1 في مباراة الأمس") == []
    assert _explicit_days("المادة 4 / 2 / 7 من النظام") == []
    assert _explicit_days("بين 10 - 12 - 2015 وما بعده") == []  # a spaced dash is a range, not a date


def test_an_explicit_spaced_date_dates_the_event() -> None:
    doc = doc_of("تعرض مركز للشرطة في مدينة الرقة لهجوم بقذائف الهاون بتاريخ 21 / 7 / 2015م.", MONDAY)
    (attack,) = events_of(doc, "ASSAULT")
    assert date_of(doc, attack) == date(2015, 7, 21)


# ground taken


def test_ground_taken_from_a_group_is_an_assault_on_that_group() -> None:
    doc = doc_of("حررت قوات البيشمركة بلدة زمار في شمال العراق من تنظيم داعش بعد معارك عنيفة.", MONDAY)
    (capture,) = events_of(doc, "ASSAULT")
    assert capture.plover_mode == "capture"
    assert capture.cameo == "192"
    roles = {a.entity: a.role for a in capture.actors}
    assert roles.get("kb:org.isis") == "target"


def test_control_wrested_on_a_weekday_is_a_capture_of_that_day() -> None:
    doc = doc_of(
        "أعلن المرصد أن فصائل المعارضة انتزعت اليوم الاثنين السيطرة على قرية في ريف حلب من يد "
        "مقاتلي تنظيم داعش.",
        MONDAY,
    )
    (capture,) = [e for e in events_of(doc, "ASSAULT") if e.plover_mode == "capture"]
    assert date_of(doc, capture) == MONDAY
    assert {a.entity: a.role for a in capture.actors}.get("kb:org.isis") == "target"


def test_a_camp_taken_by_the_resistance_is_a_capture() -> None:
    doc = doc_of("وسيطرت المقاومة الشعبية أمس على معسكر للحوثيين قرب قاعدة العند.", MONDAY)
    assert [e.plover_mode for e in events_of(doc, "ASSAULT")] == ["capture"]


def test_a_fire_brought_under_control_is_no_capture() -> None:
    doc = doc_of("سيطرت فرق الدفاع المدني في محافظة الطائف على حريق شب في مستودع أمس.", MONDAY)
    assert events_of(doc, "ASSAULT") == []


def test_power_a_situation_or_a_market_taken_is_no_capture() -> None:
    for text in (
        "سيطر العقيد على الحكم في العاصمة بعد انقلاب عسكري.",
        "دخلت الشرطة حي الشاطئ وسيطرت على الموقف خلال دقائق.",
        "استعاد المؤشر العام في السوق السعودية مستوى 9 آلاف نقطة.",
    ):
        assert [e for e in events_of(doc_of(text, MONDAY), "ASSAULT") if e.plover_mode == "capture"] == []


def test_a_noun_of_control_with_a_pronoun_is_no_capture() -> None:
    doc = doc_of("ويمنع التنظيم السكان من مغادرة المدينة منذ سيطرته على أجزاء من محافظة كركوك.", MONDAY)
    assert [e for e in events_of(doc, "ASSAULT") if e.plover_mode == "capture"] == []


def test_security_restored_in_a_city_is_no_capture() -> None:
    doc = doc_of("استعاد السكان الأمن والاستقرار في مدينة عدن بعد أشهر من المعاناة.", MONDAY)
    assert events_of(doc, "ASSAULT") == []


# foiled smuggling


def test_a_foiled_smuggling_attempt_is_a_seizure() -> None:
    doc = doc_of(
        "أحبط جمرك ميناء جدة الإسلامي محاولة مسافر تهريب كمية من الحبوب المخدرة مخبأة في حقيبته.",
        MONDAY,
    )
    (seizure,) = events_of(doc, "COERCE")
    assert seizure.plover_mode == "seize"
    assert seizure.cameo == "171"


def test_drugs_seized_by_the_police_are_a_seizure() -> None:
    doc = doc_of("ضبطت شرطة المنطقة الشرقية أمس كمية من الحشيش في مستودع مهجور.", MONDAY)
    assert [e.plover_mode for e in events_of(doc, "COERCE")] == ["seize"]


def test_a_foiled_attack_is_no_seizure() -> None:
    doc = doc_of("أحبطت قوات الأمن هجوما انتحاريا على مسجد في مدينة الدمام أمس.", MONDAY)
    assert all(e.plover_mode != "seize" for e in events_of(doc, "COERCE"))


def test_frustration_with_no_contraband_is_no_seizure() -> None:
    doc = doc_of("أحبط الحارس آمال المهاجمين في المباراة الأخيرة للفريق.", MONDAY)
    assert events_of(doc, "COERCE") == []


# a bare year in a relative clause about another noun


def test_a_year_in_a_relative_clause_about_another_noun_does_not_date_the_act() -> None:
    doc = doc_of(
        "قتل ثلاثة أشخاص في هجوم شنه مسلحون على مركز للشرطة في إقليم كشمير الذي تم تقسيمه في 1947 "
        "بين الهند وباكستان.",
        MONDAY,
    )
    (attack,) = events_of(doc, "ASSAULT")
    assert date_of(doc, attack) is None


def test_a_year_in_the_relative_clause_of_the_act_itself_still_dates_it() -> None:
    doc = doc_of("وقتل 60 شخصا في الهجوم الذي شنه مسلحون على المركز التجاري في 2013.", MONDAY)
    (attack,) = events_of(doc, "ASSAULT")
    assert date_of(doc, attack) == date(2013, 1, 1)
