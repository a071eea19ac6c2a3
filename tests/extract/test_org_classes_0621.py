"""Organisation classes of extractor 0.6.21, on sentences written for these tests: units and
bodies, organs of an institution, channels, parties, administrations, dotted abbreviations,
ministries named by their domain, the leader of a coalition, "المملكة"; and the spans that are
no organisation (a second party after "و", a purpose after "لل", an activity after "حركة")."""

from __future__ import annotations

import pytest

from service.extract.actors.find import find_actors
from service.extract.document import Document, SourceMeta
from service.extract.text.normalize import normalize


def run(text: str, outlet: str | None = None) -> Document:
    doc = Document(text=text, meta=SourceMeta(outlet=outlet), sha256="test")
    normalize(doc)
    find_actors(doc)
    return doc


def orgs(doc: Document) -> set[str]:
    """The texts of the organisation mentions."""
    return {m.text for m in doc.mentions if doc.entities[m.entity].kind == "organization"}


def kinds(doc: Document) -> dict[str, str]:
    return {m.text: doc.entities[m.entity].kind for m in doc.mentions}


def assert_spans(doc: Document) -> None:
    for m in doc.mentions:
        assert doc.text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقال قائد الفرقة 17 إن الهجوم صُد.", "الفرقة 17"),
        ("وانسحب عناصر الكتيبة 51 من المنطقة الصناعية.", "الكتيبة 51"),
        ("وتقدمت الفرقة الرابعة نحو أطراف المدينة.", "الفرقة الرابعة"),
        ("وأكدت القوات البرية للتعامل مع مصادر النيران جاهزيتها.", "القوات البرية"),
        ("وشاركت اللجان الشعبية في تأمين الطريق.", "اللجان الشعبية"),
        ("وأعلنت إدارة حماية البيئة إغلاق المصنع.", "إدارة حماية البيئة"),
        ("ونفذت القوات الجوية الملكية السعودية طلعات تدريبية.", "القوات الجوية الملكية السعودية"),
    ],
)
def test_units_and_bodies_are_organisations(text: str, expected: str) -> None:
    doc = run(text)
    assert expected in orgs(doc)
    assert_spans(doc)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("وعزفت فرقة موسيقية في الحفل.", "فرقة موسيقية"),
        ("وأحيت الفرقة الموسيقية الحفل.", "الفرقة الموسيقية"),
        ("وتم تفريق الحشود بقوة.", "بقوة"),
        ("واستغرقت قيادة السيارة ساعتين.", "قيادة السيارة"),
    ],
)
def test_unit_heads_without_a_number_name_nothing(text: str, absent: str) -> None:
    assert not any(absent in o for o in orgs(run(text)))


def test_an_organ_is_its_own_actor_not_its_parent() -> None:
    doc = run("وقالت القيادة المشتركة لقوات التحالف الدولي في بيان إن الغارات استمرت.")
    organ = [m for m in doc.mentions if m.text == "القيادة المشتركة لقوات التحالف الدولي"]
    assert len(organ) == 1
    entity = doc.entities[organ[0].entity]
    assert entity.kind == "organization" and entity.kb_id is None
    assert "kb:org.us_led_coalition" not in doc.entities
    assert_spans(doc)


def test_an_organ_of_a_body_built_from_heads() -> None:
    doc = run("وأصدرت القيادة العامة للقوات المسلحة بيانا.")
    assert "القيادة العامة للقوات المسلحة" in orgs(doc)


def test_the_leader_of_a_coalition_is_a_country_mention() -> None:
    doc = run("ونفذت قوات التحالف الدولي بقيادة الولايات المتحدة 20 غارة.")
    assert kinds(doc).get("الولايات المتحدة") == "country"
    assert "kb:org.us_led_coalition" in doc.entities
    assert_spans(doc)


def test_one_channel_under_two_heads() -> None:
    doc = run("وقال تلفزيون المنار إن الغارة قتلت عنصرين. وأضافت قناة المنار أن الطائرات عادت.")
    keys = {m.entity for m in doc.mentions if m.text in ("تلفزيون المنار", "قناة المنار")}
    assert keys == {"kb:org.al_manar"}


def test_a_dotted_abbreviation_is_the_listed_agency() -> None:
    doc = run("برلين (د.ب.أ) - أعلنت الحكومة الألمانية خطة جديدة.")
    assert "kb:org.dpa" in doc.entities
    assert_spans(doc)


def test_a_party_bloc_in_both_spellings() -> None:
    doc = run("وقال عضو اللقاء الديموقراطي إن الحوار مستمر، فيما رحب اللقاء الديمقراطي بالمبادرة.")
    ids = {m.entity for m in doc.mentions if "اللقاء" in m.text}
    assert ids == {"kb:org.democratic_gathering"}


@pytest.mark.parametrize(
    ("text", "mention", "name"),
    [
        ("وأوضح بيان للداخلية أن الخلية فككت.", "داخلية", "وزارة الداخلية"),
        ("وأفادت الخارجية الأردنية بأن السفير استدعي.", "الخارجية الأردنية", "وزارة الخارجية الأردنية"),
        ("وأعلنت الصحة الفلسطينية ارتفاع عدد الإصابات.", "الصحة الفلسطينية", "وزارة الصحة الفلسطينية"),
    ],
)
def test_a_ministry_named_by_its_domain(text: str, mention: str, name: str) -> None:
    doc = run(text)
    found = [m for m in doc.mentions if m.text.endswith(mention)]
    assert found, [m.text for m in doc.mentions]
    entity = doc.entities[found[0].entity]
    assert entity.kind == "organization" and entity.name_ar == name
    assert_spans(doc)


@pytest.mark.parametrize(
    "text",
    [
        "وارتفعت مؤشرات السوق المالية السعودية أمس.",
        "وقال وزير الداخلية إن التحقيقات مستمرة.",
        "وناقش المجلس الشؤون الداخلية للبلاد.",
    ],
)
def test_a_domain_word_that_is_no_ministry(text: str) -> None:
    doc = run(text)
    assert not any(
        doc.entities[m.entity].name_ar.startswith("وزارة") and "وزارة" not in m.text for m in doc.mentions
    )


def test_the_kingdom_is_the_kingdom_named_before() -> None:
    doc = run("وصل ملك الأردن إلى المملكة الأردنية الهاشمية. وأكد أن المملكة ماضية في الإصلاح.")
    bare = [m for m in doc.mentions if m.text == "المملكة"]
    assert [m.entity for m in bare] == ["kb:country.jo"]


def test_the_kingdom_of_a_saudi_outlet() -> None:
    doc = run("وأكد السفير أن المملكة تدعم الحل السياسي.", outlet="صحيفة سبق")
    assert [m.entity for m in doc.mentions if m.text == "المملكة"] == ["kb:country.sa"]


def test_the_united_kingdom_stays_itself_and_a_kingdom_without_context_is_nothing() -> None:
    doc = run("وزار الوفد المملكة المتحدة. وقال إن المملكة تدعم الحل.")
    assert {m.entity for m in doc.mentions if m.text.startswith("المملكة")} == {"kb:country.gb"}


def test_egypt_by_its_short_official_name() -> None:
    doc = run("ووصل ولي العهد إلى جمهورية مصر في زيارة رسمية.")
    assert [m.entity for m in doc.mentions if m.text == "جمهورية مصر"] == ["kb:country.eg"]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("واستمرت المناوشات بين الشرطة والمتظاهرين حتى المساء.", "الشرطة والمتظاهرين"),
        ("وتوقفت حركة المرور لعدة ساعات في قلب المدينة.", "حركة المرور"),
        ("وتجمهر أنصار الحركة وسط العاصمة.", "أنصار الحركة"),
        ("وكانت حركة حقوقية لم تحصل على ترخيص قد دعت إلى التظاهر.", "حركة حقوقية"),
        ("وضبطت عناصر من تنظيم الإخوان والمتطرفين.", "والمتطرفين"),
        ("وسمحت إدارة السجون لهم الزيارات الأسبوعية.", "لهم"),
    ],
)
def test_spans_that_are_no_organisation(text: str, absent: str) -> None:
    assert not any(absent in o for o in orgs(run(text)))


def test_a_listed_body_with_a_describing_adjective_is_the_listed_body() -> None:
    doc = run("وضبطت الشرطة عناصر من تنظيم الإخوان الإرهابي في القاهرة.")
    described = [m for m in doc.mentions if m.text.startswith("تنظيم الإخوان")]
    assert [m.entity for m in described] == ["kb:org.muslim_brotherhood"]


def test_a_department_of_a_named_body_is_no_actor_of_its_own() -> None:
    doc = run("وقال مدير إدارة الإعلام بوزارة الخارجية إن البيان صدر.")
    assert not any(o.startswith("إدارة") for o in orgs(doc))
    assert "إدارة حماية البيئة" in orgs(run("وقالت رئيسة إدارة حماية البيئة إن التلوث تراجع."))


def test_an_operations_command_named_by_its_area() -> None:
    doc = run("وأعلنت قيادة عمليات بغداد اعتقال خمسة مطلوبين.")
    assert "قيادة عمليات بغداد" in orgs(doc)
    assert_spans(doc)


def test_a_staff_of_a_listed_army_is_its_organ() -> None:
    doc = run("وقالت هيئة أركان الجيش التركي في بيان إن الطائرات قصفت مواقع.")
    assert "هيئة أركان الجيش التركي" in orgs(doc)


def test_an_agency_named_with_its_news_word() -> None:
    assert "وكالة أنباء المدى" in orgs(run("ونقلت وكالة أنباء المدى عن مصدر أمني قوله إن الطريق أغلق."))


def test_a_name_cut_short_later_in_the_article_is_the_same_body() -> None:
    doc = run("وتبنى حزب العمال الكردستاني الهجوم. وقال حزب العمال في بيان إن عناصره انسحبوا.")
    ids = {m.entity for m in doc.mentions if m.text.startswith("حزب العمال")}
    assert ids == {"kb:org.pkk"}


def test_an_office_of_a_named_body_and_an_office_alone() -> None:
    assert not any(
        o.startswith("مكتب") for o in orgs(run("وقال مدير مكتب الإعلام في وزارة الصحة إن الحصيلة ارتفعت."))
    )
    assert "المكتب المركزي للتحقيقات القضائية" in orgs(
        run("وأعلن المكتب المركزي للتحقيقات القضائية تفكيك خلية.")
    )


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("وتؤثر حركة الرياح على الملاحة.", "حركة الرياح"),
        ("وحصل على شهادة في إدارة الأعمال من جامعة أمريكية.", "إدارة الأعمال"),
        ("وقالت الحركة تعيين الأمين العام تم بالتوافق.", "الحركة تعيين"),
        ("وباشرت اللجان العاملة في الميدان أعمالها.", "اللجان العاملة"),
    ],
)
def test_activities_and_descriptions_after_a_head_are_no_body(text: str, absent: str) -> None:
    assert not any(absent in o for o in orgs(run(text)))


def test_a_world_body_keeps_its_adjective() -> None:
    assert "kb:org.wto" in run("وانضمت البلاد إلى منظمة التجارة العالمية.").entities
