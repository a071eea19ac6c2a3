"""Sub-city places and settlements: listed landmarks, unlisted ones after a place head, and the
enclosing city. Sentences written for these tests."""

from __future__ import annotations

from service.extract.actors.find import find_actors
from service.extract.document import Document, Entity, SourceMeta
from service.extract.text.normalize import normalize


def run(text: str) -> Document:
    doc = Document(text=text, meta=SourceMeta(), sha256="test")
    normalize(doc)
    find_actors(doc)
    return doc


def places(doc: Document) -> dict[str, Entity]:
    return {doc.mentions[e.mentions[0]].text: e for e in doc.entities.values() if e.kind == "place"}


def test_listed_landmarks() -> None:
    doc = run("وأعيد فتح معبر نصيب في أيار 2018 بعد إغلاق مرفأ بيروت، ونُقل السجناء من سجن أبو غريب.")
    assert {"kb:place.nasib_crossing", "kb:place.beirut_port", "kb:place.abu_ghraib_prison"} <= set(
        doc.entities
    )


def test_unlisted_square_in_the_city_the_text_names() -> None:
    doc = run("واحتشد المتظاهرون عام 2011 في ساحة الساعة وسط مدينة حمص هاتفين ضد الحكومة.")
    square = places(doc)["ساحة الساعة"]
    homs = doc.entities["kb:place.homs"]
    assert square.country == "country.sy"
    assert (square.lat, square.lon) == (homs.lat, homs.lon)


def test_unlisted_airport_named_after_a_listed_city() -> None:
    doc = run("أعلنت سلطة الطيران العراقية استئناف الرحلات في مطار الموصل الدولي الشهر المقبل.")
    airport = places(doc)["مطار الموصل الدولي"]
    assert airport.country == "country.iq"


def test_undefined_name_with_a_definite_word_and_a_province() -> None:
    doc = run("وقالت شبكة محلية إن قصفاً طال معبر باب الهوى وقرية كفر نبودة بريف حماة.")
    found = places(doc)
    assert "kb:place.bab_al_hawa" in doc.entities
    assert found["قرية كفر نبودة"].country == "country.sy"


def test_figures_of_speech_and_descriptions_are_not_places() -> None:
    doc = run(
        "ورأى المحلل أن الساحة السياسية باتت ساحة لتصفية الحسابات، وأن حي سكني تضرر، "
        "ودعا إلى جسر جوي، وحُكم على المتهم بالسجن مدى الحياة، وزار الوفد مخيم اللاجئين في بلدة مجاورة."
    )
    assert places(doc) == {}


def test_a_listed_city_after_a_settlement_head_is_that_city() -> None:
    doc = run("ووصل الموفد الأممي إلى مدينة حلب صباح الأحد.")
    assert [m.entity for m in doc.mentions if doc.entities[m.entity].kind == "place"] == ["kb:place.aleppo"]


def test_a_capital_that_speaks_is_its_government() -> None:
    doc = run(
        "بكين ترفض الاتهامات، وقالت باريس في بيان صدر عام 2023 إنها تدرس الرد، واعتبرت الرياض الخطوة تصعيداً."
    )
    assert [(m.text, m.entity) for m in doc.mentions] == [
        ("بكين", "kb:country.cn"),
        ("باريس", "kb:country.fr"),
        ("الرياض", "kb:country.sa"),
    ]
    assert all(doc.entities[m.entity].kind == "country" for m in doc.mentions)


def test_a_capital_after_a_preposition_or_place_noun_stays_a_place() -> None:
    doc = run("وفي القاهرة أعلنت الحكومة المصرية الخطة، وقالت سفارة لندن إن الوزير وصل إلى بغداد.")
    kinds = {m.text: doc.entities[m.entity].kind for m in doc.mentions}
    assert kinds["القاهرة"] == "place" and kinds["بغداد"] == "place"
    assert "kb:country.gb" not in doc.entities


def test_unlisted_palace_is_a_place() -> None:
    doc = run("واستقبل الرئيس الجزائري بقصر المرادية في تشرين الأول 2024 وزير الخارجية الإيطالي.")
    assert "قصر المرادية" in places(doc)
