"""Forms of one unlisted organisation or place across articles (merge, ``actor_groups.body_name``):
a body named with its country as a nisba, as a construct complement or with the state's title is
one actor; a place named with and without a generic noun before it is one actor. Bodies sharing a
head noun, bodies of two countries, an embassy *in* a country and a camp named after a place stay
apart; and the person variant rules still keep a father and his son apart.

Every sentence here was written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

from datetime import date

import pytest

from service.extract.document import Entity, SourceMeta
from service.merge import extract
from service.merge.actor_groups import body_name
from service.merge.actor_variants import variant_match
from service.merge.dataset import Dataset
from service.text import match_key

THURSDAY = date(2015, 7, 23)


def _data(texts: list[str]) -> Dataset:
    return extract(
        [
            (text, SourceMeta(external_id=f"t{i}", outlet=f"outlet-{i}", published=THURSDAY, language="ar"))
            for i, text in enumerate(texts)
        ]
    )


def _actors(data: Dataset, kind: str) -> list[set[str]]:
    return [{a.name.ar, *(x.text for x in a.aliases)} for a in data.actors if a.kind == kind]


def test_a_ministry_named_with_its_country_three_ways_is_one_actor() -> None:
    data = _data(
        [
            "وأعربت وزارة الخارجية البحرينية عن إدانتها للهجوم على السفارة.",
            "وأعربت وزارة خارجية مملكة البحرين عن قلقها من التصعيد.",
            "ونددت وزارة خارجية البحرين بالتفجير الذي وقع أمس.",
        ]
    )
    bodies = [names for names in _actors(data, "organization") if any("خارجية" in n for n in names)]
    assert bodies == [{"وزارة الخارجية البحرينية", "وزارة خارجية مملكة البحرين", "وزارة خارجية البحرين"}]
    assert "same_name" in {m.rule for m in data.merges if m.kind == "actor"}


def test_bodies_sharing_a_head_noun_or_of_two_countries_stay_apart() -> None:
    data = _data(
        [
            "وأعربت وزارة الخارجية البحرينية عن إدانتها للهجوم على السفارة.",
            "وقالت وزارة الداخلية البحرينية إنها أوقفت ثلاثة متهمين.",
            "وقالت وزارة الخارجية الكويتية إنها تتابع القضية.",
        ]
    )
    assert len([n for n in _actors(data, "organization") if any("وزارة" in x for x in n)]) == 3


@pytest.mark.parametrize(
    ("kind", "name", "key"),
    [
        ("organization", "وزارة الخارجية البحرينية", "وزاره الخارجيه|country.bh"),
        ("organization", "وزارة خارجية البحرين", "وزاره الخارجيه|country.bh"),
        ("organization", "وزارة خارجية مملكة البحرين", "وزاره الخارجيه|country.bh"),
        ("organization", "وزارة العدل الأمريكية", "وزاره العدل|country.us"),
        ("organization", "وزارة العدل الاميركية", "وزاره العدل|country.us"),
        ("organization", "السفارة الأمريكية في البحرين", "السفاره الامريكيه في البحرين"),
        ("organization", "حزب العدالة", "حزب العداله"),
        ("organization", "شرطة محافظة حفر الباطن", "شرطه حفر الباطن"),
        ("organization", "شرطة منطقة جازان", "شرطه منطقه جازان"),
        ("organization", "جامعة ولاية واشنطن", "جامعه ولايه واشنطن"),
        ("organization", "محافظة جدة", "محافظه جده"),
        ("place", "مدينة الضباب", "الضباب"),
        ("place", "بلدة خان بني سعد", "خان بني سعد"),
        ("place", "مخيم اليرموك", "مخيم اليرموك"),
        ("place", "جزيرة الوراق", "جزيره الوراق"),
        ("place", "مدينة", "مدينه"),
    ],
)
def test_body_names(kind: str, name: str, key: str) -> None:
    assert body_name(kind, match_key(name)) == key


def test_a_police_named_with_and_without_the_governorate_is_one_actor() -> None:
    data = _data(
        [
            "وأعلنت شرطة محافظة القطيف القبض على مطلق النار أمس.",
            "وأوضح المتحدث باسم شرطة القطيف أن المتهم أحيل إلى النيابة.",
            "وأعلنت شرطة محافظة جدة القبض على ثلاثة متهمين.",
        ]
    )
    police = [n for n in _actors(data, "organization") if any("شرطة" in x for x in n)]
    assert sorted(len(n) for n in police) == [1, 2]


def test_a_place_with_and_without_its_generic_noun_is_one_actor() -> None:
    data = _data(
        [
            "وقصفت الطائرات مدينة الضباب غرب تعز.",
            "واشتبك المسلحون في منطقة الضباب غرب تعز.",
        ]
    )
    places = [n for n in _actors(data, "place") if any("الضباب" in x for x in n)]
    assert len(places) == 1 and "مدينة الضباب" in places[0]


def test_a_father_and_his_son_stay_two_people() -> None:
    data = _data(
        [
            "وفي جازان، استقبل الشيخ خالد بن سعد القحطاني وفد الهلال الأحمر أمس.",
            "وفي جازان، استقبل الشيخ سعد بن خالد القحطاني وفد الهلال الأحمر أمس.",
        ]
    )
    people = [n for n in _actors(data, "person") if any("القحطاني" in x for x in n)]
    assert len(people) == 2


def _person(name: str) -> Entity:
    return Entity(key=name, kind="person", name_ar=name, aliases=[name])


@pytest.mark.parametrize(
    ("short", "full", "rule"),
    [
        ("علي الشهراني", "علي بن عمير آل حرمان الشهراني", "short_name"),
        ("خليل السوداني", "أبو خليل السوداني", "kunya"),
    ],
)
def test_full_forms_join_their_short_form_on_a_shared_anchor(short: str, full: str, rule: str) -> None:
    shared = {"\x1dctx:kb:place.najran@1"}
    found = variant_match(_person(short), _person(full), shared, shared)
    assert found is not None and found.rule == rule


def test_two_chains_with_another_father_are_no_variants() -> None:
    shared = {"\x1dctx:kb:place.najran@1"}
    a, b = _person("علي بن عمير آل حرمان الشهراني"), _person("علي بن سعيد آل حرمان الشهراني")
    assert variant_match(a, b, shared, shared) is None


def test_a_kunya_needs_a_shared_anchor() -> None:
    a, b = _person("خليل السوداني"), _person("أبو خليل السوداني")
    assert variant_match(a, b, {"\x1dctx:kb:place.najran@1"}, {"\x1dctx:kb:place.najran@9"}) is None
