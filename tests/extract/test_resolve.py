"""Person-name matching with corroboration (used in-document and by the cross-article merge)."""

from __future__ import annotations

import pytest

from service.extract.actors.resolve import (
    blocking_keys,
    entity_match_key,
    match_kb_person,
    same_actor,
    skeleton,
    surname_keys,
)
from service.extract.document import Entity, RoleMention


def person(name: str, *roles: str, country: str | None = None, kb_id: str | None = None) -> Entity:
    return Entity(
        key="new:" + name,
        kind="person",
        name_ar=name,
        country=country,
        kb_id=kb_id,
        roles=[RoleMention(start=0, end=len(r), text=r, role=r) for r in roles],
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            person("علي النصّان", "رئيس أركان القوات المسلحة السورية", country="country.sy"),
            person("علي النعسان", "رئيس هيئة الأركان العامة"),
        ),
        (person("يونس بك يفكوروف", "نائب وزير الدفاع الروسي"), person("يونس بك يفكيروف", "نائب وزير الدفاع")),
        (person("ألكسندر نوفاك", country="country.ru"), person("ألكساندر نوفاك", country="country.ru")),
        (person("سيرغي شويغو", "أمين مجلس الأمن الروسي"), person("سيرجي شويجو", "سكرتير مجلس الأمن")),
        (person("خالد الصباغ", "محافظ حمص"), person("خالد السباغ", "محافظ حمص الجديد")),
        (person("مصطفى العبد الله", country="country.iq"), person("مصطفى العبدالله", country="country.iq")),
    ],
)
def test_spelling_variants_of_one_person_merge(a: Entity, b: Entity) -> None:
    result = same_actor(a, b)
    assert result.matched, result
    assert result.rule in {"skeleton", "skeleton_near", "equal_alias"}
    assert same_actor(b, a).matched


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            person("أحمد الشرع", "الرئيس السوري", country="country.sy"),
            person("رامي الشاعر", "المحلل السياسي", country="country.sy"),
        ),
        (person("أحمد الشرع", country="country.sy"), person("محمد الشرعي", country="country.sy")),
        (person("أحمد الشرع", country="country.sy"), person("أحمد الشرعي", country="country.sy")),
        (
            person("علي النعسان", "رئيس هيئة الأركان", country="country.sy"),
            person("علي الحسن", "رئيس هيئة الأركان", country="country.sy"),
        ),
        (person("محمد الحسن", country="country.sy"), person("محمد الحسين", country="country.sy")),
        (person("سمير الخطيب", country="country.lb"), person("سامر الخطيب", country="country.lb")),
    ],
)
def test_different_people_stay_apart(a: Entity, b: Entity) -> None:
    assert not same_actor(a, b).matched


def test_a_similar_name_without_corroboration_is_not_enough() -> None:
    result = same_actor(person("خالد النصار"), person("خالد النعصار"))
    assert not result.matched
    assert result.rule == "uncorroborated"
    with_role = same_actor(
        person("خالد النصار", "قائد الشرطة العسكرية"), person("خالد النعصار", "قائد الشرطة")
    )
    assert with_role.matched and with_role.evidence["corroboration"] == "role:شرطه"


def test_conflicting_countries_and_kb_ids_never_merge() -> None:
    assert (
        same_actor(person("علي حسن", country="country.iq"), person("علي حسن", country="country.lb")).rule
        == "country_differs"
    )
    a = person("سيرغي لافروف", kb_id="person.sergey_lavrov")
    b = person("سيرغي شويغو", kb_id="person.sergey_shoigu")
    assert not same_actor(a, b).matched
    assert same_actor(a, person("لافروف", kb_id="person.sergey_lavrov")).rule == "kb_id"


def test_an_equal_full_name_matches_without_corroboration() -> None:
    result = same_actor(person("باسل الخطيب"), person("باسل الخطيب"))
    assert result.matched and result.rule == "equal_alias"
    assert not same_actor(person("الخطيب"), person("الخطيب")).matched


def test_organisations_match_only_on_a_shared_alias() -> None:
    a = Entity(key="a", kind="organization", name_ar="هيئة التدريب", aliases=["هيئة التدريب"])
    b = Entity(key="b", kind="organization", name_ar="هيئة التدريب")
    c = Entity(key="c", kind="organization", name_ar="هيئة التفاوض")
    assert same_actor(a, b).matched
    assert not same_actor(a, c).matched
    assert not same_actor(a, person("هيئة التدريب")).matched


def test_skeleton_folds_confusable_letters_and_long_vowels() -> None:
    assert skeleton("النصّان") == skeleton("النعسان")
    assert skeleton("يفكوروف") == skeleton("يفكيروف")
    assert skeleton("الشرع") != skeleton("الشاعر")
    assert skeleton("الشرع") != skeleton("الشرعي")


def test_blocking_keys_bring_spelling_variants_together() -> None:
    a, b = person("علي النصّان"), person("علي النعسان")
    assert blocking_keys(a) & blocking_keys(b)
    assert entity_match_key(a) == entity_match_key(b)
    assert entity_match_key(person("x", kb_id="person.vladimir_putin")) == "kb:person.vladimir_putin"
    assert not blocking_keys(person("أحمد الشرع")) & blocking_keys(person("رامي الشاعر"))


def test_surname_keys_cover_connector_surnames() -> None:
    assert surname_keys("مرهف أبو قصرة") == ("ابو قصره", "قصره")
    assert surname_keys("أسعد الشيباني") == ("الشيباني",)
    assert surname_keys("بوتين") == ()


def test_an_unlisted_spelling_of_a_listed_person_is_found() -> None:
    found = match_kb_person(person("ديمتري بسكوف", "المتحدث باسم الكرملين"))
    assert found is not None and found[0].id == "person.dmitry_peskov"
    assert match_kb_person(person("ديمتري بسكوف")) is None
    assert match_kb_person(person("أحمد الشاعر", country="country.sy")) is None


def test_compare_names_without_corroboration() -> None:
    from service.extract.actors.resolve import compare_names

    assert compare_names("علي النصّان", "علي النعسان") == "skeleton"
    assert compare_names("محمد الحسن", "محمد الحسين") is None
    assert compare_names("أحمد الشرع", "أحمد الشاعر") is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("بريت ماكغيرك", "بريت مكجيرك"),
        ("أوهورو كينياتا", "أوهورو كيناتا"),
        ("ميخائيل غورباتشوف", "ميخائيل جورباتشوف"),
        ("ريك سانتوروم", "ريك سانتروم"),
    ],
)
def test_one_foreign_name_transliterated_twice_merges_without_corroboration(a: str, b: str) -> None:
    result = same_actor(person(a), person(b))
    assert result.matched and result.rule == "transliteration", result


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("أحمد السباعي", "أحمد السبيعي"),  # two Arabic family names
        ("علي العمري", "علي العامري"),
        ("محمد أمين", "محمد أمان"),  # too short to tell
        ("جون ستيوارت", "جون ستيورات"),  # a role on each side that shares nothing
    ],
)
def test_arabic_family_names_and_short_or_contradicted_names_stay_apart(a: str, b: str) -> None:
    if a.startswith("جون"):
        assert not same_actor(person(a, "لاعب كرة القدم"), person(b, "وزير المالية")).matched
    else:
        assert not same_actor(person(a), person(b)).matched


def test_a_family_name_compound_written_in_one_or_two_words_is_one_name() -> None:
    result = same_actor(person("تركي العبد الله الفيصل"), person("تركي العبدالله الفيصل"))
    assert result.matched and result.rule == "equal_alias", result
    # "العبد" followed by an indefinite word is a family name of its own, not a compound
    assert not same_actor(person("سعد العبد ناصر"), person("سعد العبدناصر")).matched


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("راشد بن عبدالمنعم الراشد", "راشد عبدالمنعم الراشد"),
        ("حمد بن محمد بن سالم الزعابي", "حمد محمد سالم الزعابي"),
    ],
)
def test_a_patronymic_chain_with_and_without_bin_is_one_person(a: str, b: str) -> None:
    result = same_actor(person(a), person(b))
    assert result.matched and result.rule == "equal_without_filiation", result


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("محمد بن سلمان", "محمد سلمان"),  # "محمد سلمان" may be of the Salman family
        ("راشد بن عبدالمنعم الراشد", "راشد بن عبدالله الراشد"),  # two fathers
        ("راشد بن عبدالمنعم الراشد", "ناصر عبدالمنعم الراشد"),  # two brothers
    ],
)
def test_dropping_bin_never_joins_short_names_or_other_fathers(a: str, b: str) -> None:
    assert not same_actor(person(a), person(b)).matched


def test_a_military_rank_does_not_contradict_an_office() -> None:
    from service.extract.actors.resolve import titles_contradict

    officer = person("حمد بن محمد الرميثي", "رئيس هيئة الأركان العامة")
    assert not titles_contradict(officer, person("حمد الرميثي", "الفريق ركن"))
    assert not titles_contradict(person("سعود المتحمي", "العقيد"), person("سعود المتحمي", "وكيل المحافظة"))
    # offices still contradict each other, with or without a rank beside them
    assert titles_contradict(
        person("جون ستيوارت", "لاعب كرة القدم"), person("جون ستيوارت", "اللواء وزير المالية")
    )


def test_role_words_and_names_are_computed_once_per_value_and_handed_out_as_copies() -> None:
    """``role_words`` and ``_names`` are cached by the entity's values (role texts, names, KB id):
    equal values give equal results, other values their own, and a caller changing what it got
    changes nothing for the next caller."""
    from service.extract.actors.resolve import _names, role_words

    a = person("سعد بن علي الحربي", "وزير الصحة")
    twin = person("سعد بن علي الحربي", "وزير الصحة")
    other = person("سعد بن علي الحربي", "سفير المملكة")
    assert role_words(a) == role_words(twin) and role_words(a)
    assert role_words(other) != role_words(a)
    words = role_words(a)
    words.add("مضاف")
    assert "مضاف" not in role_words(a)
    names = _names(a)
    assert names and names == _names(twin)
    names[0].append("مضاف")
    names.append(["مضاف"])
    assert _names(a) == _names(twin) and ["مضاف"] not in _names(a)
    aliased = msgspec_replace(a, aliases=["أبو علي"])
    assert len(_names(aliased)) == len(_names(a)) + 1


def msgspec_replace(entity: Entity, **changes: object) -> Entity:
    import msgspec

    return msgspec.structs.replace(entity, **changes)
