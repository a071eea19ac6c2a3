"""How the name tagger and the name rules share an article (``actors/tagged.py``): the rules read
first, the tagger adds persons, organisations and (since 0.12.1) places over what they left,
and a tagger-first policy exists only for measuring (docs/extraction.md, "Names: tagger first
(eighth session)").

Every sentence here was written for these tests; none comes from the corpora or the dev sets.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.extract.actors import tagged
from service.extract.document import Document
from service.extract.pipeline import extract_document


def mentions_of(doc: Document, kind: str) -> dict[str, str]:
    """{mention text: method} of one kind of actor."""
    return {m.text: m.method for m in doc.mentions if doc.entities[m.entity].kind == kind}


@pytest.fixture
def tagger_first() -> Iterator[None]:
    tagged.use_policy(tagged.TaggerPolicy(first=("PER", "ORG", "LOC")))
    try:
        yield
    finally:
        tagged.use_policy(tagged.SHIPPED)


def test_the_shipped_policy_lets_the_rules_read_first_and_the_tagger_add_places() -> None:
    assert tagged.current_policy() == tagged.SHIPPED
    assert tagged.SHIPPED.first == ()
    assert set(tagged.SHIPPED.thresholds) == {"PER", "ORG", "LOC"}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("يتوقع الخبراء أن يزداد الطلب على النفط في دارفور العام المقبل.", "دارفور"),
        ("وقال المزارع إن الأمطار غمرت الحقول قرب النيل هذا الموسم.", "النيل"),
    ],
)
def test_an_unlisted_place_the_tagger_reads_is_a_place(text: str, place: str) -> None:
    doc = extract_document(text)
    assert mentions_of(doc, "place").get(place) == "model"
    for m in doc.mentions:
        assert doc.text[m.start : m.end] == m.text


def test_a_word_of_ordinary_prose_the_tagger_marks_is_no_organisation() -> None:
    # the tagger reads "عجل" ("in haste") as an organisation with confidence above the threshold;
    # the ordinary-word list (words its training sentences never use inside a name) vetoes it
    doc = extract_document("وعاد البشير علي عجل من نيجيريا في يوليو.")
    assert not any("عجل" in m.text for m in doc.mentions)
    assert mentions_of(doc, "country") == {"نيجيريا": "kb"}


def test_a_place_head_read_by_the_rules_wins_over_the_tagger_reading_a_person(tagger_first: None) -> None:
    # the class of error that made tagger-first lose on the real dev sets: a governorate named
    # after a person is a person to the tagger, a place to the rules' place-head reading
    text = "قتل ثلاثة جنود في هجوم على قرية في محافظة صلاح الدين أمس."
    assert mentions_of(extract_document(text), "person").get("صلاح الدين") == "model"
    tagged.use_policy(tagged.SHIPPED)
    doc = extract_document(text)
    assert mentions_of(doc, "place").get("صلاح الدين") == "pattern"
    assert "صلاح الدين" not in mentions_of(doc, "person")


def test_tagger_first_never_overrides_a_knowledge_base_match(tagger_first: None) -> None:
    doc = extract_document("وعاد البشير علي عجل من نيجيريا في يوليو.")
    assert mentions_of(doc, "country") == {"نيجيريا": "kb"}


def test_a_policy_parses_from_json_and_rejects_unknown_fields() -> None:
    policy = tagged.parse_policy('{"first": ["LOC"], "thresholds": {"LOC": 0.95}}')
    assert policy.first == ("LOC",) and policy.thresholds == {"LOC": 0.95} and policy.gated
    with pytest.raises(Exception, match="unknown field"):
        tagged.parse_policy('{"firts": ["LOC"]}')
