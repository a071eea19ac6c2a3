"""Person classes of extractor 0.8.3: a three-word name closed by the role after it, the same full
name where the article repeats it, and a lone given name spelt like a role.

Every sentence here was written for these tests; none comes from the corpus.
"""

from __future__ import annotations

import pytest

from service.extract.document import Document
from service.extract.pipeline import extract_document


def persons(doc: Document) -> set[str]:
    return {e.name_ar for e in doc.entities.values() if e.kind == "person"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the last word is also a title ("أمين") or a common noun, and the role vouches for it
        ("وقال سالم زهران أمين محافظ الإقليم إن الطريق مغلق.", "سالم زهران أمين"),
        ("وقال سالم زهران أمين، محافظ الإقليم، إن الطريق مغلق.", "سالم زهران أمين"),
        ("وأعلن يوسف دلشاد قندوز مدير المستشفى وصول الجرحى.", "يوسف دلشاد قندوز"),
        ("وقالت ليلى بهرام ساهر، المتحدثة باسم البلدية، إن المياه عادت.", "ليلى بهرام ساهر"),
    ],
)
def test_a_role_after_the_third_word_closes_the_name(text: str, name: str) -> None:
    assert name in persons(extract_document(text))


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        # a word of prose before the role ("آخر رئيس") is not the name's third word
        ("قال عنه يوسف كرمان آخر رئيس للمجلس إن العمل انتهى.", "يوسف كرمان آخر"),
        # a verb or a preposition on its noun before the role is no name word either
        ("وقال خالد زهران يعين رئيس اللجنة أمس.", "خالد زهران يعين"),
        ("وأكد خالد زهران بالأمس رئيس اللجنة ذلك.", "خالد زهران بالأمس"),
        # an honorific after the word opens another name, it is no role of this one
        ("وعرض الرسام خالد زهران بقاعة الملك سعود لوحاته.", "خالد زهران بقاعة"),
    ],
)
def test_prose_before_a_role_does_not_join_the_name(text: str, cut: str) -> None:
    assert cut not in persons(extract_document(text))


def test_the_full_name_where_the_article_repeats_it() -> None:
    doc = extract_document(
        "وقال سالم زهران أمين محافظ الإقليم إن الطريق مغلق. وأوضح سالم زهران أمين أن الأمطار غزيرة."
    )
    people = [e for e in doc.entities.values() if e.kind == "person"]
    assert [p.name_ar for p in people] == ["سالم زهران أمين"]
    assert len(people[0].mentions) == 2
    assert "سالم زهران" not in persons(doc)


def test_a_repeated_short_name_stays_short_without_the_rest() -> None:
    doc = extract_document(
        "وقال سالم زهران أمين محافظ الإقليم إن الطريق مغلق. وأوضح سالم زهران أن الأمطار غزيرة."
    )
    assert "سالم زهران أمين" in persons(doc)
    for mention in doc.mentions:
        assert doc.text[mention.start : mention.end] == mention.text
    assert not any(m.text.endswith("أن") for m in doc.mentions)


def test_a_given_name_spelt_like_a_role_before_another_role_is_no_person() -> None:
    doc = extract_document("وأكد هذه الأرقام محمد كامل، مساعد قائد الشرطة في الإقليم.")
    assert "مساعد" not in persons(doc)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a family name that opens with و, between a listed given name and a role
        ("وأكد هذه الأرقام محمد وارا، مساعد قائد الشرطة في الإقليم.", "محمد وارا"),
        ("وقال جون ويلموث رئيس قسم السكان إن العدد سيرتفع.", "جون ويلموث"),
    ],
)
def test_a_family_name_opening_with_waw_before_a_role(text: str, name: str) -> None:
    assert name in persons(extract_document(text))


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        # "و" + a noun: a second thing, not a family name
        ("ونقل إليهم سلام وتحيات رئيس الاتحاد.", "سلام وتحيات"),
        ("وحضر خالد ووزير الخارجية الاجتماع أمس.", "خالد ووزير"),
        ("وقال خالد وزملاؤه، رئيس الفريق إن العمل انتهى.", "خالد وزملاؤه"),
    ],
)
def test_waw_and_a_noun_after_a_given_name_is_no_family_name(text: str, cut: str) -> None:
    assert cut not in persons(extract_document(text))
