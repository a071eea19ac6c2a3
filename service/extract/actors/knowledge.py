"""The actor knowledge base and name lexicons, loaded once from ``data/`` and indexed for lookup.

Everything the actor stage knows lives in data files: ``data/actors/*.json`` (one file per kind),
``data/names/given.tsv`` and ``parts.tsv`` (name parts with English forms),
``data/names/stopwords.txt`` and ``data/titles.json`` (ranks, roles, organisation heads,
demonyms). The files stay readable; this module folds every surface form with
``normalize.match_key`` at load time so lookups are plain dict hits on folded token n-grams.

Two token forms are used: the *folded* form (``doc.norm``) for aliases and titles, and the
*light* form, which is the folded form with a word-final alef maqsura kept, because folding
makes the preposition "على" identical to the given name "علي".
"""

from __future__ import annotations

import re
from functools import lru_cache

import msgspec

from service.extract import datafiles
from service.extract.document import ActorKind
from service.text import match_key

ARTICLE = "ال"


class KbEntry(datafiles.KbRecord, frozen=True, kw_only=True):
    """One curated actor: stable id, names, aliases, what is known about it, and its kind (from
    the file it is listed in)."""

    kind: ActorKind


# A noun that starts an organisation name ("وزارة", "وكالة") and what it denotes; ``quoted`` heads take
# only a name in quotes ("حملة \"تمرد\"": a bare "حملة عسكرية" is no name).
OrgHead = datafiles.OrgHeadData


class Knowledge(msgspec.Struct):
    """All lexicons, folded and indexed. Built once per process by ``knowledge()``."""

    entries: dict[str, KbEntry]
    alias_index: dict[str, tuple[str, ...]]
    alias_first: dict[str, int]
    given: dict[str, str]
    given_first: dict[str, int]
    theophoric_heads: frozenset[str]
    family_particles: frozenset[str]
    kunya_particles: frozenset[str]
    honorific_pronouns: dict[str, str]
    single_name_heads: frozenset[str]
    parts: dict[str, str]
    stopwords: frozenset[str]
    ranks: dict[str, str]
    honorifics: frozenset[str]
    role_heads: dict[str, str]
    role_first: dict[str, int]
    role_nouns: frozenset[str]
    role_links: frozenset[str]
    org_heads: dict[str, OrgHead]
    org_words: dict[str, str]
    anaphora: frozenset[str]
    side_nouns: frozenset[str]
    side_modifiers: frozenset[str]
    connectors: frozenset[str]
    demonyms: dict[str, str]
    generic_role_words: frozenset[str]
    counterpart_heads: frozenset[str]
    led_by: frozenset[str]
    ambiguous_given: frozenset[str]
    generic_force_words: frozenset[str]
    org_adjectives: frozenset[str]
    speech_verbs: frozenset[str]
    state_categories: frozenset[str]
    name_stops: frozenset[str]
    title_name_stops: frozenset[str] = frozenset()
    ambiguous_titles: frozenset[str] = frozenset()
    relation_adjectives: frozenset[str] = frozenset()
    org_construct_nouns: frozenset[str] = frozenset()
    honorific_place_nouns: frozenset[str] = frozenset()
    verb_shape: re.Pattern[str] = re.compile("(?!)")
    pronoun_suffixes: tuple[str, ...] = ()
    org_descriptor_heads: frozenset[str] = frozenset()
    courtesy_titles: frozenset[str] = frozenset()
    large_houses: frozenset[str] = frozenset()
    large_tribes: frozenset[str] = frozenset()
    unit_ordinals: frozenset[str] = frozenset()
    purpose_prepositions: frozenset[str] = frozenset()
    ministry_domains: frozenset[str] = frozenset()
    ministry_domain_cues: frozenset[str] = frozenset()
    kingdom_countries: tuple[str, ...] = ()
    eponym_honorifics: frozenset[str] = frozenset()
    eponym_heads: frozenset[str] = frozenset()
    relative_pronouns: frozenset[str] = frozenset()
    org_object_stops: frozenset[str] = frozenset()
    nisba_body_categories: frozenset[str] = frozenset()
    office_words: frozenset[str] = frozenset()


def light_key(text: str) -> str:
    """``match_key`` that keeps a word-final alef maqsura (ى), which tells "على" from "علي"."""
    words = []
    for raw in text.split():
        key = match_key(raw)
        stripped = raw.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640")
        if key and stripped.endswith("ى") and key.endswith("ي"):
            key = key[:-1] + "ى"
        if key:
            words.append(key)
    return " ".join(words)


def clitic_variants(token: str) -> list[tuple[int, str]]:
    """The token and its stems without proclitics (و ف, then ب ل ك; "لل" is ل + ال, and
    ل + ال + a word starting with ل, as in "للجنة").

    Each variant is ``(chars stripped from the start, stem)``; stems keep at least 3 letters.
    """
    variants = [(0, token)]
    if token[:1] in ("و", "ف") and len(token) >= 4:
        variants.append((1, token[1:]))
    for offset, stem in list(variants):
        if stem[:1] in ("ب", "ل", "ك") and len(stem) >= 4:
            if stem.startswith("لل"):
                variants.append((offset + 1, "ا" + stem[1:]))
                variants.append((offset + 1, "ال" + stem[1:]))
            else:
                variants.append((offset + 1, stem[1:]))
    return variants


def strip_article(word: str) -> str:
    """The word without a leading definite article, if what remains is a word."""
    return word[2:] if word.startswith(ARTICLE) and len(word) > 3 else word


def _name_table(stem: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for arabic, english in datafiles.name_table(stem):
        key = light_key(arabic)
        if key and key not in table:
            table[key] = english
    return table


def _first_index(keys: list[str]) -> dict[str, int]:
    first: dict[str, int] = {}
    for key in keys:
        tokens = key.split(" ")
        first[tokens[0]] = max(first.get(tokens[0], 0), len(tokens))
    return first


def _demonym_forms(base: str) -> list[str]:
    """Inflected forms of a masculine singular nisba: feminine, plural, accusative, definite."""
    stem = match_key(base)
    words = stem.split(" ")
    forms = []
    for suffix in ("", "ه", "ين", "ون", "ا"):
        inflected = [w + suffix for w in words]
        forms.append(" ".join(inflected))
        forms.append(" ".join(ARTICLE + w for w in inflected))
    return forms


AGENCY = "وكاله"  # folded
NEWS = ("انباء", "الانباء", "للانباء")  # folded: "news" in an agency's name


def _agency_forms(entry: KbEntry) -> list[str]:
    """The usual spellings of a listed news agency named "وكالة X": "وكالة أنباء X" (for an
    indefinite X: "وكالة أنباء فارس") and "وكالة X للأنباء" ("وكالة الأناضول للأنباء"), so that an
    article's longer form is the listed agency, not a new body."""
    if entry.kind != "organization" or entry.category != "agency":
        return []
    forms = []
    for surface in (entry.name_ar, *entry.aliases):
        words = match_key(surface).split(" ")
        if len(words) < 2 or words[0] != AGENCY or any(w in NEWS for w in words):
            continue
        rest = " ".join(words[1:])
        forms.append(f"{AGENCY} {rest} {NEWS[2]}")
        if not words[1].startswith(ARTICLE):
            forms.append(f"{AGENCY} {NEWS[0]} {rest}")
    return forms


def _load_entries() -> list[KbEntry]:
    return [
        KbEntry(kind=kind, **msgspec.structs.asdict(record))
        for stem, kind in datafiles.ACTOR_FILES.items()
        for record in datafiles.actor_file(stem)
    ]


def build_knowledge() -> Knowledge:
    """Read and index every data file (use ``knowledge()`` for the cached instance)."""
    entries = _load_entries()
    by_id: dict[str, KbEntry] = {}
    alias_lists: dict[str, list[str]] = {}
    for entry in entries:
        if entry.id in by_id:
            raise ValueError(f"duplicate knowledge-base id {entry.id}")
        by_id[entry.id] = entry
        for surface in (entry.name_ar, entry.name_en, *entry.aliases, *_agency_forms(entry)):
            key = match_key(surface)
            if key and entry.id not in alias_lists.setdefault(key, []):
                alias_lists[key].append(entry.id)
    alias_index = {k: tuple(v) for k, v in alias_lists.items()}

    titles = datafiles.titles()
    given = _name_table("given")
    stopwords = frozenset(light_key(line) for line in datafiles.word_list("stopwords"))
    ambiguous = frozenset(light_key(line) for line in datafiles.word_list("ambiguous_given"))
    role_heads: dict[str, str] = {}
    for head in titles.role_heads:
        words = match_key(head.ar).split(" ")
        words[0] = strip_article(words[0])
        role_heads.setdefault(" ".join(words), head.en)
    demonyms: dict[str, str] = {}
    for country, bases in titles.demonyms.items():
        for base in bases:
            for form in _demonym_forms(base):
                demonyms.setdefault(form, country)
    for country, forms in titles.demonym_plurals.items():
        for form in forms:
            demonyms.setdefault(match_key(form), country)
    org_heads = {match_key(h.ar): h for h in titles.org_heads}

    def keys(words: list[str]) -> frozenset[str]:
        return frozenset(match_key(w) for w in words)

    return Knowledge(
        entries=by_id,
        alias_index=alias_index,
        alias_first=_first_index(list(alias_index)),
        given=given,
        given_first=_first_index(list(given)),
        theophoric_heads=keys(titles.theophoric_heads),
        family_particles=keys(titles.family_particles),
        kunya_particles=keys(titles.kunya_particles),
        honorific_pronouns={match_key(k): match_key(v) for k, v in titles.honorific_pronouns.items()},
        single_name_heads=frozenset(strip_article(match_key(w)) for w in titles.single_name_heads),
        parts={match_key(k): v for k, v in _name_table("parts").items()},
        stopwords=stopwords,
        ranks={match_key(r.ar): r.en for r in titles.ranks},
        honorifics=keys(titles.honorifics),
        role_heads=role_heads,
        role_first=_first_index(list(role_heads)),
        role_nouns=keys(titles.role_nouns),
        role_links=keys(titles.role_links),
        org_heads=org_heads,
        org_words={match_key(k): v for k, v in titles.org_complement_words.items()},
        anaphora=keys(titles.anaphora),
        side_nouns=keys(titles.side_nouns),
        side_modifiers=keys(titles.side_modifiers),
        connectors=keys(titles.connectors),
        demonyms=demonyms,
        generic_role_words=keys(titles.generic_role_words)
        | frozenset(head for head in role_heads if " " not in head),
        counterpart_heads=keys(titles.counterpart_heads),
        led_by=keys(titles.led_by),
        ambiguous_given=ambiguous,
        generic_force_words=keys(titles.generic_force_words),
        org_adjectives=keys(titles.org_adjectives) | keys(titles.generic_force_words),
        relation_adjectives=keys(titles.relation_adjectives),
        org_construct_nouns=keys(titles.org_construct_nouns),
        honorific_place_nouns=keys(titles.honorific_place_nouns),
        speech_verbs=keys(titles.speech_verbs),
        state_categories=frozenset(titles.state_categories),
        name_stops=keys(titles.name_complement_stops),
        title_name_stops=keys(titles.title_name_stops),
        ambiguous_titles=frozenset(strip_article(match_key(w)) for w in titles.ambiguous_titles),
        verb_shape=verb_pattern(titles.verb_templates),
        pronoun_suffixes=tuple(match_key(w) for w in titles.pronoun_suffixes),
        org_descriptor_heads=keys(titles.org_descriptor_heads),
        courtesy_titles=frozenset(strip_article(match_key(w)) for w in titles.courtesy_titles),
        large_houses=keys(titles.large_houses),
        large_tribes=keys(titles.large_tribes),
        unit_ordinals=keys(titles.org_unit_ordinals),
        purpose_prepositions=keys(titles.org_purpose_prepositions),
        ministry_domains=keys(titles.ministry_domains),
        ministry_domain_cues=keys(titles.ministry_domain_cues),
        kingdom_countries=tuple(titles.kingdom_countries),
        eponym_honorifics=keys(titles.eponym_honorifics),
        eponym_heads=keys(titles.eponym_heads),
        relative_pronouns=keys(titles.relative_pronouns),
        org_object_stops=keys(titles.org_object_stops),
        nisba_body_categories=frozenset(titles.nisba_body_categories),
        office_words=keys(titles.office_words),
    )


def verb_pattern(templates: list[str]) -> re.Pattern[str]:
    """One regular expression for verb shapes such as "يCاCC" (C: a letter other than ا و ي),
    matched against light word forms (a final ى kept)."""
    consonant = "[^\\Wاويىة\\d_]"
    shapes = [re.escape(t).replace("C", consonant) for t in templates]
    return re.compile("(?:" + "|".join(shapes) + ")") if shapes else re.compile("(?!)")


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """The process-wide knowledge base (loaded on first use, then cached)."""
    with datafiles.collector_paused():
        return build_knowledge()


def entry(kb_id: str) -> KbEntry:
    """The knowledge-base entry with this id (KeyError when unknown)."""
    return knowledge().entries[kb_id]


def lookup_alias(text: str) -> tuple[KbEntry, ...]:
    """The entries one of whose names or aliases has the same match key as ``text``."""
    kb = knowledge()
    return tuple(kb.entries[i] for i in kb.alias_index.get(match_key(text), ()))


def entries_of_kind(kind: ActorKind) -> list[KbEntry]:
    """All entries of one kind, in id order."""
    return sorted((e for e in knowledge().entries.values() if e.kind == kind), key=lambda e: e.id)


def country_of_demonym(word: str) -> str | None:
    """The country id a nisba adjective points to ("الروسية" -> "country.ru"), else None."""
    return knowledge().demonyms.get(match_key(word))
