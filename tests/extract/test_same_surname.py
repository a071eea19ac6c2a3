"""One family name alone in two articles, beside the same anchor, is one person
(``actor_variants`` rule ``same_surname``); a given name alone, a tribal nisba, a name without a
shared anchor, and a join that would put two full names with different given names into one
actor (``actor_clusters.SURNAME_RULES``) are not.

Every sentence here was written for these tests; none comes from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Entity, SourceMeta
from service.merge import extract
from service.merge.actor_variants import variant_match
from service.merge.dataset import Dataset

THURSDAY = date(2015, 7, 23)
SHARED = {"\x1dctx:kb:place.aden@1"}


def _data(texts: list[str]) -> Dataset:
    return extract(
        [
            (text, SourceMeta(external_id=f"t{i}", outlet=f"outlet-{i}", published=THURSDAY, language="ar"))
            for i, text in enumerate(texts)
        ]
    )


def _people_named(data: Dataset, word: str) -> list[set[str]]:
    names = [{a.name.ar, *(x.text for x in a.aliases)} for a in data.actors if a.kind == "person"]
    return [n for n in names if any(word in x for x in n)]


def _person(name: str) -> Entity:
    return Entity(key=name, kind="person", name_ar=name, aliases=[name])


def test_one_family_name_alone_in_two_articles_beside_one_anchor_is_one_person() -> None:
    data = _data(
        [
            "وقال الجنرال كوفمانسكي إن القصف على مدينة عدن أصاب منازل المدنيين.",
            "وأضاف الجنرال كوفمانسكي أن القذائف سقطت على أحياء مدينة عدن خلال الليل.",
        ]
    )
    people = _people_named(data, "كوفمانسكي")
    assert len(people) == 1


def test_one_family_name_alone_without_a_shared_anchor_stays_two_people() -> None:
    data = _data(
        [
            "وقال الجنرال كوفمانسكي إن القصف على مدينة عدن أصاب منازل المدنيين.",
            "وأضاف الجنرال كوفمانسكي أن المهرجان في مدينة ميلانو يفتتح غدا.",
        ]
    )
    assert len(_people_named(data, "كوفمانسكي")) == 2


@pytest.mark.parametrize(
    ("a", "b", "rule"),
    [
        ("كوفمانسكي", "كوفمانسكى", "same_surname"),
        ("سولفاني", "سولفاني", "same_surname"),
        ("محمد", "محمد", None),  # a given name alone
        ("الغامدي", "الغامدي", None),  # a large tribe's nisba
        ("بن", "بن", None),
    ],
)
def test_same_surname_needs_a_word_that_can_only_be_a_family_name(a: str, b: str, rule: str | None) -> None:
    found = variant_match(_person(a), _person(b), SHARED, SHARED)
    assert (found.rule if found else None) == rule


def test_same_surname_needs_a_shared_anchor() -> None:
    assert (
        variant_match(_person("كوفمانسكي"), _person("كوفمانسكي"), SHARED, {"\x1dctx:kb:place.aden@9"}) is None
    )


def test_two_family_names_alone_never_join_two_full_names_with_other_given_names() -> None:
    data = _data(
        [
            "وقال الجنرال بيتر كوفمانسكي إن القصف على مدينة عدن أصاب منازل المدنيين.",
            "وقال الجنرال كوفمانسكي إن القصف على مدينة عدن ومدينة تعز أصاب منازل المدنيين.",
            "وقال الجنرال كوفمانسكي إن الاشتباكات في مدينة تعز ومدينة مأرب مستمرة.",
            "وقال الجنرال ماركوس كوفمانسكي إن الاشتباكات في مدينة مأرب مستمرة.",
        ]
    )
    people = _people_named(data, "كوفمانسكي")
    peter = [n for n in people if "بيتر كوفمانسكي" in n]
    markus = [n for n in people if "ماركوس كوفمانسكي" in n]
    assert len(peter) == 1 and len(markus) == 1
    assert peter[0] != markus[0]
