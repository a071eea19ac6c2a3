"""Armed groups, coalitions and movements; given names that are ordinary words; "للـ" spans.

Sentences written for these tests (outlets, countries and years beyond the seeds)."""

from __future__ import annotations

from service.extract.actors.find import find_actors
from service.extract.document import Document, SourceMeta
from service.extract.text.normalize import normalize


def run(text: str) -> Document:
    doc = Document(text=text, meta=SourceMeta(), sha256="test")
    normalize(doc)
    find_actors(doc)
    return doc


def mentions(doc: Document) -> list[tuple[str, str, str]]:
    return [(m.text, m.entity, doc.entities[m.entity].kind) for m in doc.mentions]


def test_listed_armed_groups_in_the_region() -> None:
    doc = run(
        "وقالت مصادر ميدانية عام 2019 إن كتائب حزب الله وعصائب أهل الحق وقوات البيشمركة "
        "تبادلت الاتهامات مع قوات الدعم السريع."
    )
    found = set(doc.entities)
    assert {
        "kb:org.kataib_hezbollah",
        "kb:org.asaib_ahl_al_haq",
        "kb:org.peshmerga",
        "kb:org.rsf_sudan",
    } <= found


def test_coalition_led_by_a_country_and_its_bare_reference() -> None:
    doc = run("أعلن التحالف بقيادة الولايات المتحدة في آذار 2021 مقتل قيادي، وقال التحالف إن العملية نجحت.")
    coalition = [m for m in doc.mentions if m.entity == "kb:org.us_led_coalition"]
    assert [m.text for m in coalition] == ["التحالف بقيادة الولايات المتحدة", "التحالف"]
    assert coalition[1].method == "anaphora"


def test_unlisted_coalition_led_by_a_country_is_an_organisation() -> None:
    doc = run("نشر التحالف بقيادة بريطانيا سفناً في البحر الأحمر، وأكد التحالف أن المهمة دفاعية.")
    orgs = [m for m in doc.mentions if doc.entities[m.entity].kind == "organization"]
    assert [m.text for m in orgs] == ["التحالف بقيادة بريطانيا", "التحالف"]
    assert orgs[0].entity == orgs[1].entity
    assert doc.entities[orgs[0].entity].country == "country.gb"


def test_unlisted_group_after_a_name_taking_head() -> None:
    doc = run(
        "تبنّت جماعة نصرة المستضعفين الهجوم على الحاجز، ونفت ميليشيا الكرامة أي صلة لها به. "
        "وقالت الجماعة في بيان إن مقاتليها عادوا."
    )
    texts = [t for t, _, kind in mentions(doc) if kind == "organization"]
    assert texts[:2] == ["جماعة نصرة المستضعفين", "ميليشيا الكرامة"]
    bare = [m for m in doc.mentions if m.text == "الجماعة"]
    assert bare and bare[0].entity == doc.mentions[0].entity


def test_descriptions_after_the_head_are_not_names() -> None:
    doc = run(
        "هاجمت جماعة مسلحة قافلة إغاثة قرب الحدود، وشهدت البلدة حركة نزوح واسعة، "
        "فيما انتشرت فصائل موالية لأنقرة."
    )
    assert not [m for m in doc.mentions if doc.entities[m.entity].kind == "organization"]


def test_ambiguous_given_name_before_an_organisation_or_definite_noun() -> None:
    doc = run(
        "وتحدث باسم الجماعة أحد قادتها، ثم تحدث باسم حركة التغيير نائب رئيسها، وأكد الوزير على حسن الجوار."
    )
    assert not [e for e in doc.entities.values() if e.kind == "person"]


def test_ambiguous_given_name_with_a_family_name_is_a_person() -> None:
    doc = run("وقال الإعلامي المصري باسم يوسف في مقابلة عام 2014 إنه غادر القاهرة.")
    assert any(e.kind == "person" and e.name_ar == "باسم يوسف" for e in doc.entities.values())


def test_assimilated_article_span_takes_the_whole_word() -> None:
    text = "وأشاد الوزير الأردني بدور للجيش العراقي وللحشد الشعبي في تأمين الحدود."
    doc = run(text)
    spans = {m.entity: m for m in doc.mentions}
    army, pmf = spans["kb:org.iq_army"], spans["kb:org.pmf"]
    assert (army.text, pmf.text) == ("للجيش العراقي", "وللحشد الشعبي")
    for m in doc.mentions:
        assert text[m.start : m.end] == m.text
    assert "الحشد الشعبي" in doc.entities["kb:org.pmf"].aliases


def test_ambiguous_given_name_with_a_nisba_family_name_is_a_person() -> None:
    doc = run(
        "وقال كمال اللبواني، المعارض السوري المقيم في باريس منذ 2012، إن الحل سياسي، مشيداً بحسن الجوار."
    )
    people = [e.name_ar for e in doc.entities.values() if e.kind == "person"]
    assert people == ["كمال اللبواني"]


def test_verbal_nouns_and_common_phrases_after_heads_are_not_names() -> None:
    doc = run(
        "ساهمت الوزارة عام 2018 في تنظيم انتخابات حرة، وأعلنت تحالف استراتيجي مع شركة ناشئة، "
        "وأنشأت قاعدة بيانات، وشهد الميناء حركة طيران ومخيم صيفي للأطفال."
    )
    assert not [m.text for m in doc.mentions if doc.entities[m.entity].kind in ("organization", "place")]


def test_unlisted_group_whose_name_opens_with_a_kunya() -> None:
    doc = run("وتبنت جماعة أبو سياف الهجوم في جزيرة جولو الفلبينية عام 2019.")
    kinds = {m.text: doc.entities[m.entity].kind for m in doc.mentions}
    assert kinds["جماعة أبو سياف"] == "organization"
    assert kinds["جزيرة جولو"] == "place"
