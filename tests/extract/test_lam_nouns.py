"""After a rank or a role, "ل" + noun names what the role belongs to, not a person.

"الفريق" is a rank and a team ("الفريق الأول لكرة القدم"); an executive's, director's or agent's
title is followed by "ل" + the body ("المدير التنفيذي لجمعية ..."). Foreign names that begin with
ل ("لوران", "لويس", "ليم") and listed names ("لطيفة", "لجين") are still names. Sentences written
for these tests.
"""

from __future__ import annotations

import pytest

from service.extract.pipeline import extract_document


def people(text: str) -> set[str]:
    return {e.name_ar for e in extract_document(text).entities.values() if e.kind == "person"}


@pytest.mark.parametrize(
    "text",
    [
        "وصلت بعثة الفريق الأول لكرة القدم بنادي الفتح ظهر اليوم.",
        "واصل الفريق الأول لكرة القدم تدريباته مساء أمس.",
        "قال المدير التنفيذي لجمعية إطعام إن البرنامج بدأ.",
        "ووصل الوكيل الحصري لإطارات ميشلان إلى جدة.",
        "وأبدى المدير الفني لفريق الفتح رضاه عن الأداء.",
    ],
)
def test_a_role_followed_by_lam_and_a_noun_names_no_person(text: str) -> None:
    assert not people(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وقال وزير الخارجية الفرنسي لوران فابيوس إن الاتفاق قوي.", "لوران فابيوس"),
        ("وقالت الدكتورة لطيفة الشثري إن الدراسة انتهت.", "لطيفة الشثري"),
        ("وندد النائب المعارض ليم كيت سيانج بالقرار.", "ليم كيت سيانج"),
        ("وقال المشرف العام على الفريق الأول لكرة القدم سمير اليوسف إن الفريق جاهز.", "سمير اليوسف"),
    ],
)
def test_names_that_begin_with_lam_stay_names(text: str, name: str) -> None:
    assert name in people(text)
