"""Actor classes read by extractor 0.6.2, found on unannotated SaudiNewsNet days (2015-07-25 and
2015-07-31): a listed person's name inside someone else's patronymic chain, institutions named
after a person, and how one person's names are linked inside an article.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document

SATURDAY = date(2015, 7, 25)


def doc_of(text: str) -> Document:
    return extract_document(text, SourceMeta(published=SATURDAY))


def people(doc: Document) -> set[str]:
    return {e.name_ar for e in doc.entities.values() if e.kind == "person"}


def listed(doc: Document) -> set[str]:
    return {e.kb_id for e in doc.entities.values() if e.kb_id}


# --- a listed name as the father's name ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وحضر الحفل الأمير سعود بن سلمان بن عبدالعزيز مساء أمس.", "سعود بن سلمان بن عبدالعزيز"),
        ("وشارك صاحب السمو الأمير راكان بن سلمان بن عبدالعزيز في الافتتاح.", "راكان بن سلمان بن عبدالعزيز"),
    ],
)
def test_a_listed_name_after_bin_is_the_fathers_name_not_a_mention(text: str, name: str) -> None:
    doc = doc_of(text)
    assert name in people(doc)
    assert "person.king_salman" not in listed(doc)


def test_a_listed_person_named_on_his_own_is_still_found() -> None:
    doc = doc_of("واستقبل الملك سلمان بن عبدالعزيز الوفد في جدة.")
    assert "person.king_salman" in listed(doc)


def test_a_name_cut_after_bin_gives_no_surname_mentions() -> None:
    doc = doc_of(
        "وحضر الأمير نايف بن سلمان بن عبدالعزيز الحفل، ثم وصل الأمير فهد بن سعود بن محمد. "
        "وقال ابن الوزير إن الحفل نجح."
    )
    surnames = [m.text for m in doc.mentions if m.method == "surname"]
    assert all(text not in {"بن", "ابن"} for text in surnames)


# --- institutions named after a person -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ونظمت جامعة الملك سعود ندوة عن المياه.",
        "وأعلنت جائزة الملك فيصل أسماء الفائزين.",
        "وقال مدير مركز الأمير سلطان للقلب إن العمليات نجحت.",
        "وعقدت دارة الملك عبدالعزيز معرضا للصور.",
    ],
)
def test_an_institution_named_after_a_person_names_no_person(text: str) -> None:
    assert people(doc_of(text)) == set()


def test_the_head_of_a_named_institution_is_still_a_person() -> None:
    doc = doc_of("وحضر مدير جامعة الملك عبدالعزيز الدكتور سامي الهزاني اللقاء.")
    assert people(doc) == {"سامي الهزاني"}


def test_an_untitled_name_after_an_institution_noun_names_no_person() -> None:
    assert people(doc_of("وأعلنت جامعة نايف العربية للعلوم الأمنية بدء التسجيل.")) == set()


# --- titles that name one person at a time -------------------------------------------------------


def mentions_of(doc: Document, kb_id: str) -> list[str]:
    return [m.text for m in doc.mentions if doc.entities[m.entity].kb_id == kb_id]


def test_the_kings_title_alone_is_a_mention_of_the_king_who_held_it() -> None:
    doc = doc_of("وأكد خادم الحرمين الشريفين أن المملكة ماضية في دعم اليمن.")
    assert mentions_of(doc, "person.king_salman") == ["خادم الحرمين الشريفين"]


def test_the_title_before_the_kings_name_adds_no_second_mention() -> None:
    doc = doc_of("واستقبل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز الوفد.")
    assert len(mentions_of(doc, "person.king_salman")) == 1


def test_the_title_inside_another_persons_role_is_part_of_that_role() -> None:
    doc = doc_of("وقال مستشار خادم الحرمين الشريفين الأمير خالد الفيصل إن الموسم ناجح.")
    assert mentions_of(doc, "person.king_salman") == []
    assert "خالد الفيصل" in people(doc)


def test_a_title_outside_its_holders_tenure_names_nobody() -> None:
    doc = extract_document(
        "وأكد خادم الحرمين الشريفين أن المملكة ماضية.", SourceMeta(published=date(2010, 5, 1))
    )
    assert mentions_of(doc, "person.king_salman") == []


def test_without_a_publication_day_the_holder_is_unknown() -> None:
    doc = extract_document("وأكد خادم الحرمين الشريفين أن المملكة ماضية.", SourceMeta())
    assert mentions_of(doc, "person.king_salman") == []


def test_the_second_deputy_crown_prince_alone_is_the_prince_who_held_it() -> None:
    doc = doc_of("وتقدم ولي ولي العهد المستقبلين في القصر.")
    assert mentions_of(doc, "person.mohammed_bin_salman") == ["ولي ولي العهد"]


# --- one person's names inside one article ---------------------------------------------------


def keys_of(doc: Document, text: str) -> set[str]:
    return {m.entity for m in doc.mentions if m.text == text}


def test_a_bare_given_name_refers_back_to_the_one_person_named_in_full() -> None:
    doc = doc_of("واعتقلت القوات عبد الخالق المرزوقي وهو قائد ميداني. وكان عبد الخالق من بين المطلوبين.")
    full, short = keys_of(doc, "عبد الخالق المرزوقي"), keys_of(doc, "عبد الخالق")
    assert full and full == short


def test_a_given_name_shared_by_two_people_named_before_is_left_alone() -> None:
    doc = doc_of("والتقى سامر القاسم مع سامر الحلبي أمس. وأضاف سامر أن اللقاء مثمر.")
    assert not keys_of(doc, "سامر") & (keys_of(doc, "سامر القاسم") | keys_of(doc, "سامر الحلبي"))


def test_a_kunya_is_not_a_given_name_reference() -> None:
    doc = doc_of("وقال سامر القاسم إن الوضع هادئ. وكانت أم سامر في البيت.")
    assert not keys_of(doc, "سامر") & keys_of(doc, "سامر القاسم")


def test_a_preposition_spelt_like_a_given_name_is_no_reference() -> None:
    doc = doc_of("وقال علي الهاشمي إن الوضع هادئ. وأكد على أهمية الحوار.")
    assert keys_of(doc, "على") == set()


def test_two_princes_with_different_fathers_stay_two_people() -> None:
    doc = doc_of("وحضر الحفل الأمير نايف بن سلطان بن عبدالعزيز، والأمير نايف بن سلمان بن عبدالعزيز.")
    assert {"نايف بن سلطان بن عبدالعزيز", "نايف بن سلمان بن عبدالعزيز"} <= people(doc)


def test_a_tagged_surname_joins_the_full_name_before_it() -> None:
    doc = doc_of("وقال وزير الخارجية الفرنسي لوران فابيوس إن الاتفاق جيد. وأضاف فابيوس أن باريس مستعدة.")
    assert keys_of(doc, "فابيوس") == keys_of(doc, "لوران فابيوس")


# --- across articles: "عبد" + a divine name, written apart or joined -------------------------------


def test_a_compound_given_name_written_apart_or_joined_is_one_name_across_articles() -> None:
    from merge_docs import DocBuilder

    from service.merge.build import build_dataset

    docs = []
    for name, outlet, day in (
        ("زياد عبد المحسن البازعي", "outlet-a", 1),
        ("زياد عبدالمحسن البازعي", "outlet-b", 9),
    ):
        b = DocBuilder(
            f"وقال {name} إن المشروع اكتمل.", published=date(2025, 3, day), outlet=outlet
        ).paragraphs()
        b.entity("p", [name])
        docs.append(b.build())
    data = build_dataset(docs, "test")
    assert len([a for a in data.actors if a.kind == "person"]) == 1


def test_two_princes_with_different_fathers_stay_apart_across_articles() -> None:
    from merge_docs import DocBuilder

    from service.merge.build import build_dataset

    docs = []
    for name, outlet in (
        ("نايف بن سلطان بن عبدالعزيز", "outlet-a"),
        ("نايف بن سلمان بن عبدالعزيز", "outlet-b"),
    ):
        b = DocBuilder(f"وقال الأمير {name} إن المشروع اكتمل.", published=date(2025, 3, 1), outlet=outlet)
        b.paragraphs().entity("p", [name], country="country.sa")
        docs.append(b.build())
    data = build_dataset(docs, "test")
    assert len([a for a in data.actors if a.kind == "person"]) == 2


# --- across articles: a family name alone ------------------------------------------------------


def _militant_docs(names: list[tuple[str, str]]) -> list[Document]:
    from merge_docs import DocBuilder

    docs = []
    for i, (name, outlet) in enumerate(names):
        text = f"وقالت مصادر محلية إن {name} قتل في غارة على مديرية المحفد."
        b = DocBuilder(text, published=date(2025, 3, 1 + i), outlet=outlet).paragraphs()
        b.entity("p", [name])
        b.entity("district", ["المحفد"], kind="place")
        docs.append(b.build())
    return docs


def _person_names(docs: list[Document]) -> list[list[str]]:
    from service.merge.build import build_dataset

    data = build_dataset(docs, "test")
    return sorted(
        sorted([a.name.ar, *(x.text for x in a.aliases)]) for a in data.actors if a.kind == "person"
    )


def test_a_family_name_alone_joins_the_one_full_name_beside_the_same_anchor() -> None:
    names = _person_names(_militant_docs([("القيادي جمال الزنداني", "outlet-a"), ("الزنداني", "outlet-b")]))
    assert len(names) == 1


def test_a_family_name_that_fits_two_full_names_joins_neither() -> None:
    docs = _militant_docs(
        [("جمال الزنداني", "outlet-a"), ("سامر الزنداني", "outlet-b"), ("الزنداني", "outlet-c")]
    )
    assert len(_person_names(docs)) == 3


def test_a_given_name_alone_is_no_family_name() -> None:
    assert len(_person_names(_militant_docs([("جمال الزنداني", "outlet-a"), ("جمال", "outlet-b")]))) == 2


# --- organisation heads ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وأعلنت جمعية الثقافة والفنون برنامجها الصيفي.", "جمعية الثقافة والفنون"),
        ("ووقعت جامعة تبوك اتفاقية للتدريب.", "جامعة تبوك"),
        ("وقالت رابطة العالم الإسلامي إن المؤتمر ينعقد الشهر المقبل.", "رابطة العالم الإسلامي"),
    ],
)
def test_societies_universities_and_leagues_are_organisations(text: str, name: str) -> None:
    doc = doc_of(text)
    assert name in {e.name_ar for e in doc.entities.values() if e.kind == "organization"}


# --- 0.6.2, second part: names read on the third development batch's classes ----------------------


def test_a_given_name_spelt_like_a_role_noun_before_bin_is_a_name() -> None:
    doc = doc_of("وحضر الدكتور مساعد بن محمد الرشيد اللقاء.")
    assert "مساعد بن محمد الرشيد" in people(doc)


def test_the_role_noun_before_a_ministry_is_still_a_role() -> None:
    doc = doc_of("وقال مساعد وزير الدفاع إن التدريبات انتهت.")
    assert people(doc) == set()


def test_a_listed_persons_patronymic_before_his_family_name_belongs_to_the_mention() -> None:
    doc = doc_of("وقال وزير الخارجية عادل بن أحمد الجبير إن المملكة ترحب.")
    assert mentions_of(doc, "person.adel_al_jubeir") == ["عادل بن أحمد الجبير"]
    assert people(doc) == {"عادل الجبير"}


def test_a_listed_name_extended_through_a_spaced_compound() -> None:
    doc = doc_of("واستقبل الأمير محمد بن سلمان بن عبد العزيز الوفد.")
    assert any(m.endswith("بن عبد العزيز") for m in mentions_of(doc, "person.mohammed_bin_salman"))


def test_a_compound_given_name_written_as_one_word_starts_a_name() -> None:
    assert "عبدالنور الحلاق" in people(doc_of("وقال عبدالنور الحلاق إن الأسعار ارتفعت."))


def test_the_first_three_words_of_a_patronymic_chain_are_the_same_person() -> None:
    doc = doc_of(
        "وحضر الحفل الأمير سلطان بن فهد بن عبدالعزيز، وقال الأمير سلطان بن فهد إن الرياضة تحظى بالدعم."
    )
    assert keys_of(doc, "سلطان بن فهد بن عبدالعزيز") == keys_of(doc, "سلطان بن فهد")


def test_an_unlisted_given_name_and_a_listed_family_name_after_a_role_are_a_name() -> None:
    doc = doc_of("وقال محافظ ديالى مثنى التميمي للصحفيين إن الهجوم أوقع قتلى.")
    assert "مثنى التميمي" in people(doc)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وقالت خلية الإعلام الحربي في بيان إن القوات تقدمت.", "خلية الإعلام الحربي"),
        ("وقتل ثلاثة من أفراد الدرك الوطني الجزائري في كمين.", "الدرك الوطني الجزائري"),
    ],
)
def test_cells_and_gendarmeries_are_organisations(text: str, name: str) -> None:
    assert name in {e.name_ar for e in doc_of(text).entities.values() if e.kind == "organization"}


def test_a_short_patronymic_chain_joins_the_full_one_across_articles() -> None:
    from merge_docs import DocBuilder

    from service.merge.build import build_dataset

    docs = []
    for i, name in enumerate(("سلطان بن فهد بن عبدالعزيز", "سلطان بن فهد")):
        text = f"وحضر الأمير {name} حفل افتتاح ملعب الجوهرة في جدة."
        b = DocBuilder(text, published=date(2025, 3, 1 + i), outlet=f"outlet-{i}").paragraphs()
        b.entity("p", [name])
        b.entity("stadium", ["ملعب الجوهرة"], kind="place")
        docs.append(b.build())
    data = build_dataset(docs, "test")
    assert len([a for a in data.actors if a.kind == "person"]) == 1
