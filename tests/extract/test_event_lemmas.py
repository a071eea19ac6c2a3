"""Event triggers matched on lemmas: the inflections in data/event_lemmas.json join the surface
forms, keep their trigger's part of speech, and can be switched off."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
import pytest

from service.extract.events import lemmas
from service.extract.pipeline import extract_document
from service.text import fold


@pytest.fixture
def surface_only() -> Iterator[None]:
    lemmas.use_lemmas(False)
    yield
    lemmas.use_lemmas(True)


def _types(text: str) -> list[tuple[str, str]]:
    return [(e.plover_type, e.trigger) for e in extract_document(text).events]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقال المرصد إن مسلحين قصفوا مواقع للجيش السوري في حلب أمس.", ("ASSAULT", "قصفوا")),
        ("وكان المسلحون يقصفون مواقع الجيش السوري في حلب أمس.", ("ASSAULT", "يقصفون")),
        ("واعتقلوا عشرات المحتجين في القاهرة أمس.", ("COERCE", "واعتقلوا")),
    ],
)
def test_an_inflection_triggers_what_its_lemma_does(text: str, expected: tuple[str, str]) -> None:
    assert expected in _types(text)


def test_surface_forms_only_when_switched_off(surface_only: None) -> None:
    assert _types("وقال المرصد إن مسلحين قصفوا مواقع للجيش السوري في حلب أمس.") == []


def test_shape_keeps_the_part_of_speech() -> None:
    assert lemmas.same_shape("قصف", "يقصفون", "verb")
    assert lemmas.same_shape("استهدف", "يستهدفان", "verb")
    assert not lemmas.same_shape("تدين", "يتدين", "verb")  # an imperfect form is not expanded
    assert not lemmas.same_shape("اشتباك", "اشتباكات", "noun")  # nouns are not expanded by default
    assert not lemmas.same_shape("تفجير", "فجر", "noun", nouns=True)  # a verbal noun does not bring its root
    assert not lemmas.same_shape(fold("معاهدة"), "معاهد", "noun", nouns=True)  # treaty is not institutes
    assert lemmas.same_shape(fold("معاهدة"), "المعاهدات", "noun", nouns=True)
    assert lemmas.same_shape("اشتباك", "اشتباكات", "noun", nouns=True)


def test_no_event_from_a_plural_in_a_venue_name() -> None:
    assert _types("قدمها في مؤتمر صحفي بالمركز الدولي للمؤتمرات أمس.") == _types("قدمها في مؤتمر صحفي أمس.")


def test_the_lemma_file_is_typed_and_folded() -> None:
    data = msgspec.json.decode(lemmas.LEMMAS_PATH.read_bytes(), type=lemmas.LemmaForms)
    assert data.source.startswith("simplemma ")
    for form, more in data.forms.items():
        assert form == fold(form) and more == sorted(set(more))
        assert all(m == fold(m) and m != form for m in more)


def test_the_file_matches_simplemma() -> None:
    """Each listed inflection shares its trigger form's lemma (needs the dev dependency)."""
    simplemma = pytest.importorskip("simplemma")
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    dictionary = DefaultDictionaryFactory().get_dictionary("ar")
    folded_lemmas: dict[str, set[str]] = {}
    for word, lemma in dictionary.items():
        folded_lemmas.setdefault(fold(word), set()).add(lemma)
    data = lemmas.lemma_forms()
    assert data, "event_lemmas.json is empty"
    for form in list(data)[:40]:
        for other in data[form]:
            assert folded_lemmas.get(other), f"{other} is not in simplemma's dictionary"
    assert simplemma.lemmatize("هاجموا", lang="ar")
