"""Datelines, names, organisations and places in their less common forms: agency datelines with a
bracketed agency, Gulf names with several definite parts and family names after particles, long
unlisted organisation names, bodies of water, places named after people, quoted names of ships,
outlets named in their own byline, place lists.

Every sentence here was written for these tests; none comes from the seeds or the written test sets.
Each rule has a test that it reads what it should and one that it invents nothing.
"""

from __future__ import annotations

import pytest

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document


def names_of(doc: Document, kind: str) -> set[str]:
    return {e.name_ar for e in doc.entities.values() if e.kind == kind}


def aliases_of(doc: Document, kind: str) -> set[str]:
    return {a for e in doc.entities.values() if e.kind == kind for a in [e.name_ar, *e.aliases]}


# --- datelines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "الدوحة - 12 - 5 (كونا) -- بحث وزير الخارجية الكويتي مع نظيره القطري العلاقات الثنائية.",
        "عمان 5 آذار 2019 (بترا) - بحث وزير الخارجية الأردني مع نظيره المصري العلاقات الثنائية.",
    ],
)
def test_a_bracketed_agency_dateline_is_not_body_text(text: str) -> None:
    doc = extract_document(text)
    dateline = [doc.text[s.start : s.end] for s in doc.segments if s.kind == "dateline"]
    assert len(dateline) == 1 and ")" in dateline[0]
    for event in doc.events:
        assert all(doc.entities[a.entity].kind != "organization" for a in event.actors), event


def test_a_dated_bracketed_dateline_gives_the_publication_date() -> None:
    doc = extract_document("عمان 5 آذار 2019 (بترا) - بحث وزير الخارجية الأردني مع نظيره المصري العلاقات.")
    assert doc.publication.date is not None and doc.publication.date.isoformat() == "2019-03-05"


def test_a_sentence_with_an_agency_in_brackets_is_no_dateline() -> None:
    doc = extract_document("دمشق تستعد لاستقبال الوفد (رويترز) - وقال مسؤول إن الزيارة مهمة.")
    assert not any(s.kind == "dateline" for s in doc.segments)


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وترأس أمير الدولة الشيخ صباح الجابر الأحمد الصباح الاجتماع الوزاري.", "صباح الجابر الأحمد الصباح"),
        ("وأكد رئيس الغرفة خالد عبيد غانم الجابر أن الاستثمارات ستزداد.", "خالد عبيد غانم الجابر"),
        ("وكان في استقباله سعادة سالم عبيد إبراهيم حمد الكعبي سفير الدولة.", "سالم عبيد إبراهيم حمد الكعبي"),
    ],
)
def test_gulf_names_with_several_parts_are_read_whole(text: str, name: str) -> None:
    assert name in names_of(extract_document(text), "person")


def test_a_name_stops_before_the_next_title() -> None:
    doc = extract_document("والتقى أمير الدولة الشيخ صباح الجابر الأحمد الصباح ورئيس الوزراء في القصر.")
    assert "صباح الجابر الأحمد الصباح" in names_of(doc, "person")
    assert not any("رئيس" in n for n in names_of(doc, "person"))


@pytest.mark.parametrize(
    "text",
    [
        "وقال الوزير صباح الخميس إن الاتفاق جاهز.",
        "وأعلن الشيخ صباح اليوم أن الاجتماع تأجل.",
        "وصل الوفد صباح الأحمد إلى العاصمة.",
    ],
)
def test_a_common_word_that_is_a_given_name_invents_no_person(text: str) -> None:
    doc = extract_document(text)
    assert not any("صباح" in n for n in names_of(doc, "person"))


# --- organisations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وأعلنت الهيئة الوطنية لإدارة الطوارئ أن الفرق وصلت.", "الهيئة الوطنية لإدارة الطوارئ"),
        ("وقالت هيئة الهلال الأحمر السعودي إن القافلة انطلقت.", "هيئة الهلال الأحمر السعودي"),
        ("وقال رئيس غرفة تجارة وصناعة البحرين إن المعرض ناجح.", "غرفة تجارة وصناعة البحرين"),
        ("وأكدت شركة ميرسك للشحن أن السفن غيرت مسارها.", "شركة ميرسك للشحن"),
    ],
)
def test_long_unlisted_organisation_names_are_read_whole(text: str, name: str) -> None:
    assert name in names_of(extract_document(text), "organization")


def test_a_campaign_takes_its_quoted_name() -> None:
    doc = extract_document('ودعت حملة "ارحل" أنصارها إلى التظاهر يوم الجمعة.')
    assert 'حملة "ارحل"' in names_of(doc, "organization")


@pytest.mark.parametrize(
    "text",
    [
        "وشنت القوات حملة اعتقالات واسعة في المدينة.",
        "وأطلقت الوزارة حملة تطعيم في المدارس.",
    ],
)
def test_a_campaign_without_a_quoted_name_is_no_organisation(text: str) -> None:
    doc = extract_document(text)
    assert not any(n.startswith("حملة") for n in names_of(doc, "organization"))


def test_the_outlet_in_its_own_byline_is_an_organisation() -> None:
    text = "بيروت - النهار اليومية\nوقال وزير الداخلية اللبناني إن الانتخابات ستجري في موعدها."
    doc = extract_document(text, SourceMeta(outlet="النهار اليومية"))
    assert "النهار اليومية" in names_of(doc, "organization")


def test_an_outlet_not_named_in_the_text_adds_nothing() -> None:
    doc = extract_document(
        "وقال وزير الداخلية اللبناني إن الانتخابات ستجري في موعدها.", SourceMeta(outlet="النهار")
    )
    assert "النهار" not in names_of(doc, "organization")


# --- places ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "not_place"),
    [
        ("ورصدت البحرية سفينة في خليج الدوحة صباح أمس.", "خليج الدوحة", "الدوحة"),
        ("وأبحرت القافلة عبر مضيق تيران نحو الشمال.", "مضيق تيران", None),
        ("وتعرضت ناقلة لهجوم في البحر الأحمر قبالة السواحل.", "البحر الأحمر", None),
        ("وعبرت الشحنة خليج عدن متجهة إلى أوروبا.", "خليج عدن", "عدن"),
    ],
)
def test_bodies_of_water_are_places_and_keep_their_city_out(
    text: str, place: str, not_place: str | None
) -> None:
    doc = extract_document(text)
    assert place in names_of(doc, "place")
    if not_place:
        assert not_place not in names_of(doc, "place")


@pytest.mark.parametrize(
    ("text", "place", "not_person"),
    [
        (
            "وهبطت الطائرة في مطار خالد بن سلطان الدولي مساء أمس.",
            "مطار خالد بن سلطان الدولي",
            "خالد بن سلطان",
        ),
        ("واعتصم المحتجون في ساحة جمال عبد الناصر وسط المدينة.", "ساحة جمال عبد الناصر", "جمال عبد الناصر"),
        ("وتجمع المئات في ميدان رابعة العدوية بالعاصمة.", "ميدان رابعة العدوية", None),
    ],
)
def test_places_named_after_people(text: str, place: str, not_person: str | None) -> None:
    doc = extract_document(text)
    assert place in names_of(doc, "place")
    if not_person:
        assert not_person not in names_of(doc, "person")


@pytest.mark.parametrize(
    "text",
    [
        "وسيعقد الاجتماع في بحر الأسبوع المقبل.",
        "وقال الأمين العام خالد بن سلطان إن المطار جاهز.",
    ],
)
def test_water_and_airport_rules_invent_no_place(text: str) -> None:
    doc = extract_document(text)
    assert not any(n.startswith(("بحر", "مطار")) for n in names_of(doc, "place"))


def test_a_city_in_a_quoted_ship_name_is_not_a_place() -> None:
    doc = extract_document('وأصاب الصاروخ السفينة "نجمة بيروت" قبالة السواحل اليمنية.')
    assert "بيروت" not in names_of(doc, "place")


def test_a_quoted_statement_keeps_its_places() -> None:
    doc = extract_document('وقال الوزير إن "الوفد وصل إلى بيروت أمس".')
    assert "بيروت" in names_of(doc, "place")


# --- more names and places -------------------------------------------------------------------


def test_a_monarch_takes_a_one_word_name() -> None:
    doc = extract_document("ويلتقي الضيف خلال الزيارة الإمبراطور ناروهيتو في القصر.")
    assert "ناروهيتو" in names_of(doc, "person")


def test_a_bare_king_title_with_a_common_word_after_it_invents_no_person() -> None:
    doc = extract_document("وقال الملك إن الحكومة ستعمل على الإصلاح.")
    assert not names_of(doc, "person")


def test_a_foreign_name_stops_before_a_feminine_noun() -> None:
    doc = extract_document("وعقد رئيس الوزراء الكوري يون سوك جلسة مباحثات مع الوفد.")
    assert "يون سوك" in names_of(doc, "person")
    assert not any("جلسة" in n for n in names_of(doc, "person"))


def test_a_shortened_name_is_the_same_person() -> None:
    doc = extract_document(
        "وكان في استقباله سعادة سالم عبيد إبراهيم حمد الكعبي سفير الدولة. "
        "وقال سعادة سالم عبيد الكعبي إن الرحلات ستستمر."
    )
    assert [n for n in names_of(doc, "person") if "الكعبي" in n] == ["سالم عبيد إبراهيم حمد الكعبي"]


def test_an_honorific_role_refers_back_to_the_ruler() -> None:
    doc = extract_document(
        "وعقد أمير الدولة الشيخ صباح الجابر الأحمد الصباح اجتماعاً أمس. "
        "وكان سمو الأمير قد وصل إلى المدينة صباح الأحد."
    )
    person = next(e for e in doc.entities.values() if e.name_ar == "صباح الجابر الأحمد الصباح")
    assert any(doc.mentions[i].text == "سمو الأمير" for i in person.mentions)


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("وضربت الفيضانات أقاليم السند وبلوشستان وخيبر بختونخوا.", {"السند", "بلوشستان", "خيبر بختونخوا"}),
        ("وخرجت مسيرات في ميادين الإسكندرية والمنصورة والزقازيق.", {"المنصورة", "الزقازيق"}),
    ],
)
def test_coordinated_names_after_a_plural_place_noun(text: str, places: set[str]) -> None:
    assert places <= names_of(extract_document(text), "place")


@pytest.mark.parametrize(
    "text",
    [
        "وخرج المحتجون في مدن عديدة وقرى كثيرة.",
        "وسيطرت القوات على مدن بكاملها وبلدات أخرى.",
        "وتنتشر الحواجز في محافظات الشمال والجنوب.",
    ],
)
def test_descriptions_after_a_plural_place_noun_are_no_places(text: str) -> None:
    assert not names_of(extract_document(text), "place")


def test_a_province_and_its_bare_name_are_one_place() -> None:
    doc = extract_document(
        "وضربت الفيضانات أقاليم السند وبلوشستان وخيبر بختونخوا. وسيفتح المكتب في إقليم السند."
    )
    assert "السند" not in names_of(doc, "place") and "إقليم السند" in names_of(doc, "place")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وأدان رئيس الوزراء الصومالي حسن علي خيري الهجوم، متعهداً بملاحقة المنفذين.", "حسن علي خيري"),
        ("بعد لقاء مع نائب وزير الخارجية الإيراني علي باقري كني في جنيف.", "علي باقري كني"),
    ],
)
def test_a_titled_name_takes_a_family_nisba_before_an_object_or_preposition(text: str, name: str) -> None:
    assert name in names_of(extract_document(text), "person")


def test_a_street_named_after_a_person_with_a_definite_given_name() -> None:
    doc = extract_document("وتظاهر المئات في شارع الحبيب ثامر وسط العاصمة.")
    assert "شارع الحبيب ثامر" in names_of(doc, "place")


def test_a_place_list_opened_by_baynaha() -> None:
    doc = extract_document(
        "واستهدفت التفجيرات مدناً عراقية عدة، بينها كركوك والشطرة والكحلاء، وفق مصادر أمنية."
    )
    assert {"كركوك", "الشطرة", "الكحلاء"} <= names_of(doc, "place")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وقال المرشح الرئاسي عبد القادر بن قرينة إن الانتخابات ستجرى في موعدها.", "عبد القادر بن قرينة"),
        ("وقال الوزير حسن بن زيادة إن الاتفاق مهم.", "حسن بن زيادة"),
    ],
)
def test_a_family_name_in_ta_marbuta_after_a_particle_stays_in_the_name(text: str, name: str) -> None:
    """ة ends an open name (a feminine noun follows it), except right after بن/ولد ..., where the
    family name may end in ة."""
    assert names_of(extract_document(text), "person") == {name}


def test_a_given_name_walk_keeps_a_family_name_in_ta_marbuta_after_a_particle() -> None:
    doc = extract_document("وحل ثانياً عبد القادر بن قرينة رئيس حركة البناء الوطني في الانتخابات.")
    assert "عبد القادر بن قرينة" in names_of(doc, "person")
