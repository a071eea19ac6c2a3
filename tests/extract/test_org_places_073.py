"""Organisation and place classes of extractor 0.7.3, on sentences written for these tests: areas
named after a generic area noun ("منطقة"، "ناحية"، "محافظة"، "ولاية") and institutions named after a
king, prince or sheikh; and the phrases that are neither (a common noun after "منطقة", an adjective
in ة, a government or a council led by the person)."""

from __future__ import annotations

import pytest

from service.extract.actors.find import find_actors
from service.extract.document import Document, SourceMeta
from service.extract.text.normalize import normalize


def run(text: str) -> Document:
    doc = Document(text=text, meta=SourceMeta(), sha256="test")
    normalize(doc)
    find_actors(doc)
    for m in doc.mentions:
        assert doc.text[m.start : m.end] == m.text
    return doc


def of_kind(doc: Document, kind: str) -> set[str]:
    return {m.text for m in doc.mentions if doc.entities[m.entity].kind == kind}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وانفجرت عبوة ناسفة في ناحية برهان شرقي المدينة.", "برهان"),
        ("وتجمع المحتجون في منطقة كارتال على الضفة الآسيوية.", "كارتال"),
        ("وقتل ثلاثة في منطقة الحسينية (شمال) مساء أمس.", "الحسينية"),
        ("ودارت اشتباكات في منطقة الوادعة جنوب غرب المدينة.", "الوادعة"),
        ("وسقطت قذيفة في منطقة الربوة بمديرية المنصورة.", "الربوة"),
        ("وقتل جنديان في كمين بولاية تيزي وزو.", "تيزي"),
        ("وقتل جنديان في كمين بولاية عين تموشنت.", "عين تموشنت"),
    ],
)
def test_an_area_noun_names_a_place(text: str, expected: str) -> None:
    doc = run(text)
    assert expected in of_kind(doc, "place")
    assert not any(t.startswith(("منطقة", "ناحية", "ولاية")) for t in of_kind(doc, "place"))


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("ووقعت اشتباكات في منطقة الحدود مع الجارة.", "الحدود"),
        ("وطالب بإقامة منطقة عازلة على الحدود.", "عازلة"),
        ("ودعا إلى منطقة آمنة للمدنيين.", "آمنة"),
        ("وانتهت ولاية الرئيس الأولى العام الماضي.", "الرئيس"),
        ("وتشهد المنطقة العربية توترا.", "العربية"),
        ("وتقع المحطة في منطقة صناعية قرب الميناء.", "صناعية"),
    ],
)
def test_a_common_noun_after_an_area_noun_is_no_place(text: str, absent: str) -> None:
    doc = run(text)
    assert not any(absent in t for t in of_kind(doc, "place"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وأعلنت جامعة الأمير سطام عن قبول الطلاب.", "جامعة الأمير سطام"),
        ("وقال مدير جامعة الملك عبدالعزيز إن العام الدراسي يبدأ غدا.", "جامعة الملك عبدالعزيز"),
        ("وتبرعت مؤسسة الملك فيصل الخيرية بمليون ريال.", "مؤسسة الملك فيصل الخيرية"),
        ("وتخرج الضباط في كلية الملك فهد الأمنية.", "كلية الملك فهد الأمنية"),
    ],
)
def test_an_institution_named_after_a_person(text: str, expected: str) -> None:
    doc = run(text)
    assert expected in of_kind(doc, "organization")
    assert not any(expected.split(" ", 1)[1] == t for t in of_kind(doc, "person"))


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("وأقرت حكومة الشيخ جابر الموازنة.", "جابر"),
        ("وحضر الوزراء مجلس الشيخ حمدان.", "حمدان"),
    ],
)
def test_a_body_the_person_leads_keeps_the_person(text: str, person: str) -> None:
    doc = run(text)
    assert any(person in t for t in of_kind(doc, "person"))
    assert not any(person in t for t in of_kind(doc, "organization"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وكانت مجلة «نيو ستيتسمان» قد نشرت التقرير.", "نيو ستيتسمان"),
        ('وكشفت شركة "كوداك" عن جهاز جديد.', "كوداك"),
        ('بحسب موقع "ميدل إيست آي" البريطاني.', "ميدل إيست آي"),
    ],
)
def test_a_head_and_a_quoted_name(text: str, expected: str) -> None:
    doc = run(text)
    assert any(expected in t for t in of_kind(doc, "organization"))


def test_the_arabian_peninsula_is_no_channel() -> None:
    doc = run("وتمتد الصحراء في شمال شبه الجزيرة العربية.")
    assert "شبه الجزيرة العربية" in of_kind(doc, "place")
    assert not of_kind(doc, "organization")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('قتل مدني في قصف شنته ميليشيات "صالح" على حي سكني.', "صالح"),
        ('وتقدمت قوات "خالد" نحو الجبل.', "خالد"),
        ('وهاجمت عناصر "علي عبدالله صالح" المدينة.', "علي عبدالله صالح"),
    ],
)
def test_a_quoted_leader_is_no_new_body(text: str, name: str) -> None:
    doc = run(text)
    assert not any(name in t for t in of_kind(doc, "organization"))
