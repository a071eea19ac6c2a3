"""Classes of false event that extractor 0.7.1 drops (docs/extraction.md, "Extractor 0.7.1
(events and dates)"): a ratio read as an attribution ("بانخفاض نسبته 51 في المائة": نسبة with a
pronoun, not the verb نسب), and a verb in the imperfect right after a relative pronoun, which
characterises its antecedent ("المشروعات التي تستهدف المحتاجين") rather than reporting an act.
Each class has negative tests: the attribution itself, and past verbs in a relative clause.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document

SUNDAY = date(2015, 7, 26)


def doc_of(text: str) -> Document:
    return extract_document(text, SourceMeta(published=SUNDAY))


def kinds(text: str) -> list[tuple[str, str]]:
    return [(e.plover_type, e.trigger) for e in doc_of(text).events]


# a ratio is no attribution


@pytest.mark.parametrize(
    "text",
    [
        "وحقق البنك الأهلي التجاري صافي ربح بارتفاع نسبته 14.9% عن الربع المماثل من العام السابق.",
        "وارتفعت قروض مؤسسة النقد العربي السعودي بزيادة نسبتها 9% خلال العام.",
    ],
)
def test_a_ratio_with_a_pronoun_is_no_accusation(text: str) -> None:
    assert not [k for k in kinds(text) if k[0] == "ACCUSE"]


def test_an_attribution_with_a_pronoun_stays_an_accusation() -> None:
    text = "وفي بيان على موقعها نسبت هيئة الأركان الهجوم إلى المنظمة الانفصالية."
    assert ("ACCUSE", "نسبت") in kinds(text)


# an imperfect verb in a relative clause characterises, it does not report


@pytest.mark.parametrize(
    "text",
    [
        "وكشف طلعات طائرات التحالف الدولي التي تستهدف تنظيم داعش في العراق وسوريا.",
        "أثار التفجير غضب أكراد تركيا الذين يتهمون الحكومة التركية بالتساهل مع تنظيم داعش.",
        "ويدعم المركز المشروعات التي تستهدف المحتاجين في جمهورية مصر.",
        "وحضر الأمير خالد الفيصل المعرض الذي تستضيفه أمانة الطائف في متنزه الردف.",
    ],
)
def test_an_imperfect_verb_after_a_relative_pronoun_is_no_event(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ومنذ تولي الرئيس النيجيري محمد بخاري الذي توعد بسحق التمرد الحكم.", "THREATEN"),
        ("وتستهدف طائرات التحالف الدولي مواقع تنظيم داعش في العراق منذ صباح اليوم.", "ASSAULT"),
    ],
)
def test_a_past_verb_after_a_relative_pronoun_or_an_imperfect_elsewhere_is_still_read(
    text: str, kind: str
) -> None:
    assert kind in [k for k, _ in kinds(text)]
