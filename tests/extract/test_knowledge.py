"""The knowledge base and lexicons: well-formed data, folded lookups, demonyms, clitics."""

from __future__ import annotations

import re

import pytest

from service.extract.actors.knowledge import (
    build_knowledge,
    clitic_variants,
    country_of_demonym,
    entries_of_kind,
    knowledge,
    light_key,
    lookup_alias,
)
from service.extract.datafiles import ACTOR_FILES


def test_every_entry_is_well_formed() -> None:
    kb = build_knowledge()
    assert len(kb.entries) >= 300
    kinds = set(ACTOR_FILES.values())
    for entry in kb.entries.values():
        assert entry.kind in kinds
        assert entry.id.split(".")[0] in {"person", "org", "country", "place", "weapon"}
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+", entry.id), entry.id
        assert entry.name_ar and entry.name_en
        if entry.country is not None:
            assert entry.country in kb.entries and kb.entries[entry.country].kind == "country", entry.id
        if entry.wikidata is not None:
            assert re.fullmatch(r"Q[1-9][0-9]*", entry.wikidata), entry.id
        if entry.lat is not None or entry.lon is not None:
            assert entry.kind == "place" and entry.lat is not None and entry.lon is not None
            assert -90 <= entry.lat <= 90 and -180 <= entry.lon <= 180


def test_every_demonym_points_to_a_listed_country_or_body() -> None:
    kb = knowledge()
    targets = set(kb.demonyms.values())
    assert targets <= {e.id for e in entries_of_kind("country")} | {
        e.id for e in entries_of_kind("organization")
    }
    assert sum(t.startswith("country.") for t in targets) >= 40
    assert country_of_demonym("الأممية") == "org.un"


@pytest.mark.parametrize(
    ("surface", "kb_id"),
    [
        ("موسكو", "place.moscow"),
        ("وكالة الأنباء السورية", "org.sana"),
        ("سانا", "org.sana"),
        ("S-400", "weapon.s400"),
        ("إس 400", "weapon.s400"),
        ("الجامعة العربية", "org.arab_league"),
        ("يونس بك يفكيروف", "person.yunus_bek_yevkurov"),
        ("حلف الناتو", "org.nato"),
        ("مطار حميميم", "place.hmeimim"),
        ("الجولان", "place.golan"),
    ],
)
def test_aliases_are_found_under_their_folded_form(surface: str, kb_id: str) -> None:
    assert [e.id for e in lookup_alias(surface)] == [kb_id]


def test_alias_lookup_ignores_diacritics_and_hamza_forms() -> None:
    assert (
        [e.id for e in lookup_alias("إسرائيلَ")] == [e.id for e in lookup_alias("اسرائيل")] == ["country.il"]
    )


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("الروسية", "country.ru"),
        ("السوريين", "country.sy"),
        ("تركي", "country.tr"),
        ("الأميركي", "country.us"),
        ("الإسرائيلية", "country.il"),
        ("الأتراك", "country.tr"),
    ],
)
def test_nisba_adjectives_name_their_country(word: str, country: str) -> None:
    assert country_of_demonym(word) == country


def test_an_ordinary_word_is_no_demonym() -> None:
    assert country_of_demonym("المباحثات") is None


def test_clitic_variants_strip_conjunctions_prepositions_and_lam_alif() -> None:
    stems = {stem for _, stem in clitic_variants("وللجيش")}
    assert "الجيش" in stems
    assert (2, "الرئيس") in clitic_variants("وبالرئيس")
    assert clitic_variants("بر") == [(0, "بر")]


def test_light_key_tells_the_preposition_from_the_name() -> None:
    assert light_key("على") != light_key("علي")
    assert light_key("عليّ") == "علي"


def test_given_name_spellings_share_an_english_form() -> None:
    kb = knowledge()
    assert kb.given[light_key("ألكسندر")] == kb.given[light_key("ألكساندر")] == "Alexander"
    assert kb.given[light_key("يحيى")] == "Yahya"
    assert light_key("على") not in kb.given
