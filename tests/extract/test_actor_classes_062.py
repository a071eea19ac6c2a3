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
