"""Typed loaders for the extractor's data files (``service/extract/data/``), one per file.

Every file is decoded into msgspec Structs that forbid unknown fields, once per process, so a
misspelt key or a wrong type fails loudly at load time instead of silently reading as a default.
Keys that start with "_" are notes for the people who edit the files (``"_about"``, ``"_doc"``,
``"_generic_institutions"``): they are dropped at every level before the file is typed, and a
note can never be read as data.

The modules that use a file fold and index its words themselves; this module only reads.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

import msgspec

from service.extract.document import ActorKind, EventRole

DATA_DIR = Path(__file__).parent / "data"


class DataFileError(ValueError):
    """A data file does not have the shape its loader expects."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the data files are loaded and indexed.

    Nearly every object built then lives as long as the process, so each collection during the
    load would only walk them again (a fifth of a cold start, measured: docs/benchmarks.md).
    Nested uses are fine: only the outermost one turns the collector back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def without_notes(value: Any) -> Any:
    """The decoded JSON without its notes (keys starting with "_"), at every level."""
    if isinstance(value, dict):
        return {k: without_notes(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [without_notes(v) for v in value]
    return value


def read(relative: str, shape: Any) -> Any:
    """Decode ``data/<relative>`` into ``shape`` (notes dropped); a mismatch names the file and field."""
    path = DATA_DIR / relative
    try:
        raw = msgspec.json.decode(path.read_bytes())
        return msgspec.convert(without_notes(raw), shape)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise DataFileError(f"{path}: {exc}") from exc


class _Data(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Base of every data-file Struct: unknown keys are an error."""


# --- titles.json -------------------------------------------------------------------------------


class ArEn(_Data, frozen=True):
    """An Arabic surface form and its English label (ranks, role heads)."""

    ar: str
    en: str


class OrgHeadData(_Data, frozen=True):
    ar: str
    en: str
    category: str
    located: bool = False
    names: bool = False
    refers: tuple[str, ...] = ()
    quoted: bool = False
    numbered: bool = False  # a unit only with a number or an ordinal ("الفرقة 30", "اللواء الرابع")
    organ: bool = False  # an organ only of a named body ("القيادة المشتركة لقوات التحالف")
    department: bool = False  # a sub-unit before "في/بـ" + a body ("إدارة الإعلام بوزارة الخارجية")
    qualifiers: tuple[str, ...] = ()  # a body only with a nisba, a body or one of these after it
    gender: str = ""  # "m" masculine singular, "f" feminine or a plural of things: its adjectives agree
    nisba_only: bool = False  # a body only with a country's nisba after it ("الرئاسة الفلسطينية")


class PlaceHeadData(_Data, frozen=True):
    ar: str
    category: str
    within_city: bool = False
    before_titles: bool = False
    whole_name: bool = False
    area: bool = False
    place_only: bool = False  # an area noun that heads only places ("محافظة"; not "ولاية الفقيه")


class PlaceListHead(_Data, frozen=True):
    ar: str
    category: str
    dual: bool = False


class Titles(_Data, frozen=True):
    """``titles.json``: ranks, honorifics, role and organisation heads, nisbas, place heads, the
    words around names, and capital-city metonymy."""

    ranks: list[ArEn]
    honorifics: list[str]
    role_heads: list[ArEn]
    role_nouns: list[str]
    role_links: list[str]
    org_heads: list[OrgHeadData]
    org_complement_words: dict[str, str]
    anaphora: list[str]
    side_nouns: list[str]
    side_modifiers: list[str]
    connectors: list[str]
    demonyms: dict[str, list[str]]
    demonym_plurals: dict[str, list[str]]
    generic_role_words: list[str]
    counterpart_heads: list[str]
    led_by: list[str]
    generic_force_words: list[str]
    org_adjectives: list[str]
    relation_adjectives: list[str]
    org_construct_nouns: list[str]
    honorific_place_nouns: list[str]
    speech_verbs: list[str]
    title_name_stops: list[str]
    ambiguous_titles: list[str]
    verb_templates: list[str]
    state_categories: list[str]
    name_complement_stops: list[str]
    place_heads: list[PlaceHeadData]
    quoted_name_nouns: list[str]
    place_list_heads: list[PlaceListHead]
    place_list_openers: list[str]
    place_adjectives: list[str]
    place_complement_stops: list[str]
    enclosing_cues: list[str]
    enclosing_nouns: list[str]
    place_name_starters: list[str]
    place_only_stops: list[str]
    participle_prepositions: list[str]
    place_descriptors: list[str]
    capitals: dict[str, str]
    metonymy_verbs: list[str]
    metonymy_blockers: list[str]
    theophoric_heads: list[str]
    family_particles: list[str]
    kunya_particles: list[str]
    single_name_heads: list[str]
    honorific_pronouns: dict[str, str]
    english_words: dict[str, str] = {}
    courtesy_titles: list[str] = []
    large_houses: list[str] = []
    large_tribes: list[str] = []
    pronoun_suffixes: list[str] = []
    place_list_asides: list[str] = []
    org_descriptor_heads: list[str] = []
    org_unit_ordinals: list[str] = []
    org_purpose_prepositions: list[str] = []
    ministry_domains: list[str] = []
    ministry_domain_cues: list[str] = []
    kingdom_countries: list[str] = []
    eponym_honorifics: list[str] = []
    eponym_heads: list[str] = []
    relative_pronouns: list[str] = []
    org_object_stops: list[str] = []
    nisba_body_categories: list[str] = []
    office_words: list[str] = []


@cache
def titles() -> Titles:
    return read("titles.json", Titles)


# --- actors/*.json -----------------------------------------------------------------------------


class KbRecord(_Data, frozen=True):
    """One entry of an ``actors/*.json`` file (its kind comes from the file)."""

    id: str
    name_ar: str
    name_en: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    wikidata: str | None = None
    category: str | None = None
    roles: tuple[str, ...] = ()


ACTOR_FILES: dict[str, ActorKind] = {
    "people": "person",
    "organizations": "organization",
    "countries": "country",
    "world_countries": "country",
    "places": "place",
    "world_cities": "place",
    "weapons": "weapon",
}


@cache
def actor_file(stem: str) -> tuple[KbRecord, ...]:
    """The records of ``actors/<stem>.json``."""
    return read(f"actors/{stem}.json", tuple[KbRecord, ...])


class TitleHolder(_Data, frozen=True):
    """A title that names one listed person from ``start`` (inclusive) to ``end`` (exclusive)."""

    title: str
    person: str
    start: date = msgspec.field(name="from")
    end: date | None = msgspec.field(default=None, name="to")


class TitleHolders(_Data, frozen=True):
    holders: tuple[TitleHolder, ...]


@cache
def title_holders() -> TitleHolders:
    """``actors/title_holders.json``: titles standing for the person who held them on a day."""
    return read("actors/title_holders.json", TitleHolders)


# --- names/*.tsv, names/*.txt ------------------------------------------------------------------


def _lines(relative: str) -> list[str]:
    text = (DATA_DIR / relative).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def name_table(stem: str) -> tuple[tuple[str, str], ...]:
    """``names/<stem>.tsv``: (Arabic, English) pairs; a row without a tab is an error."""
    rows: list[tuple[str, str]] = []
    for line in _lines(f"names/{stem}.tsv"):
        arabic, tab, english = line.partition("\t")
        if not tab or not arabic.strip() or not english.strip():
            raise DataFileError(f"{DATA_DIR / 'names' / stem}.tsv: not 'Arabic<TAB>English': {line!r}")
        rows.append((arabic.strip(), english.strip()))
    return tuple(rows)


@cache
def word_list(stem: str) -> tuple[str, ...]:
    """``names/<stem>.txt``: one word or phrase per line (``#`` comments)."""
    return tuple(line.strip() for line in _lines(f"names/{stem}.txt"))


# --- calendar.json -----------------------------------------------------------------------------


class Month(_Data, frozen=True):
    number: int
    names: list[str]


class Weekday(_Data, frozen=True):
    iso: int
    names: list[str]


class DurationUnit(_Data, frozen=True):
    one: list[str]
    two: list[str]
    many: list[str]


Part = Literal["early", "mid", "late"]


class Calendar(_Data, frozen=True):
    """``calendar.json``: month and weekday names, ordinals and the relative-date vocabulary."""

    months: list[Month]
    hijri_months: list[Month]
    hijri_marks: list[str]
    hijri_year_range: tuple[int, int]
    hijri_month_starts: dict[str, str]
    ambiguous_month_names: list[str]
    month_word: list[str]
    weekdays: list[Weekday]
    day_word: list[str]
    weekday_date_links: list[str]
    ordinal_days: dict[str, list[str]]
    day_month_fillers: list[str]
    max_filler_chars: int
    range_joiners: list[str]
    definite_article: str
    clitics: list[str]
    year_links: list[str]
    year_words: list[str]
    year_prepositions: list[str]
    year_range: tuple[int, int]
    relative_days: dict[str, int]
    today_not_before: list[str]
    today_not_after: list[str]
    named_by_date: list[str]
    period_units: dict[str, Literal["month", "year", "week"]]
    demonstratives: list[str]
    markers: dict[Literal["past", "current", "next"], list[str]]
    parts: dict[Part, list[str]]
    part_days: dict[Part, tuple[int, int]]
    part_months: dict[Part, tuple[int, int]]
    ago_words: dict[str, int]
    ago_anchor_words: list[str]
    duration_units: dict[Literal["day", "week", "month", "year"], DurationUnit]
    cardinals: dict[str, int]
    future_cues: list[str]
    night_words: list[str]
    night_joiners: list[str]
    setting_openers: list[str] = []
    lead_days_before: int = 1
    lead_days_before_by_outlet: dict[str, int] = {}


@cache
def calendar() -> Calendar:
    return read("calendar.json", Calendar)


class Layout(_Data, frozen=True):
    """``calendar_layout.json``: boilerplate, byline, timestamp and dateline cues; layout limits."""

    boilerplate: list[str]
    boilerplate_max_words: int
    trailers: list[str]
    trailer_tags: list[str]
    trailer_max_words: int
    byline_cues: list[str]
    byline_max_words: int
    timestamp_cues: list[str]
    time_suffixes: list[str]
    hijri_months: list[str]
    dateline_places: list[str]
    dateline_agencies: list[str]
    continuation_words: list[str]
    sentence_end: list[str]
    closers: list[str]
    sentence_conjunctions: list[str]
    bullets: list[str]
    wrap_max_chars: int
    heading_max_words: int
    heading_max_chars: int


@cache
def layout() -> Layout:
    return read("calendar_layout.json", Layout)


# --- claim_cues.json ---------------------------------------------------------------------------

StanceKey = Literal["asserts", "denies", "expects", "speculates"]
ChannelKey = Literal["press_conference", "social_media", "interview", "statement", "report"]


class GuardedCue(_Data, frozen=True):
    """Reporting forms that are also other words ('بين' between, 'مشددة' tight), and what must
    stand around them for a report: ``needs`` "opening" (the head of a clause and a follower) or
    "pause" (a comma or dash around it, or a follower); ``followers`` within ``reach`` tokens (and
    when ``objects`` are listed, a word opening with one of them right after the follower), or one
    of ``next_words`` right after the form."""

    forms: list[str]
    needs: Literal["opening", "pause"]
    reach: int
    followers: list[str]
    objects: list[str] = []
    next_words: list[str] = []


class ClaimCues(_Data, frozen=True):
    """``claim_cues.json``: reporting verbs, participles, relays, channels, stance and source cues."""

    verbs: dict[StanceKey, list[str]]
    social_verbs: list[str]
    continuations: list[str]
    participles: dict[StanceKey, list[str]]
    relay_verbs: list[str]
    according_to: list[str]
    impersonal: dict[StanceKey, list[str]]
    complementizers: list[str]
    strong_complementizers: list[str]
    channels: dict[ChannelKey, list[str]]
    outlet_names_en: list[str]
    unnamed_sources: list[str]
    anaphors: list[str]
    denial_phrases: list[str]
    non_claim: list[str]
    weak_cues: list[str]
    outlet_heads: list[str]
    broadcaster_heads: list[str]
    outlet_names: list[str]
    collective_subjects: list[str]
    dative_heads: list[str]
    complementizer_blockers: list[str]
    relay_source_marker: str
    content_openers: list[str]
    trailing_conjunctions: list[str]
    preposed_content_markers: list[str]
    dative_prefixes: list[str]
    non_frame_followers: list[str]
    np_breakers: list[str]
    np_max_gap_tokens: int
    svo_gap_words: list[str]
    content_stops: list[str]
    nisba_endings: list[str]
    calls: list[str]
    inline_relay: list[str]
    allegations: list[str]
    relay_clause_words: list[str]
    title_gap_words: list[str]
    object_prepositions: list[str]
    denial_openers: list[str]
    relatives: list[str]
    not_conjugations: list[str] = []
    guarded_cues: list[GuardedCue] = []
    guard_openers: list[str] = []
    honorific_pronouns: list[str] = []
    relative_openers: list[str] = []
    byline_dashes: int = 2
    trailing_markers: list[str] = []
    title_back_reference_words: int = 3
    title_links: list[str] = []
    negated_beliefs: list[str] = []


@cache
def claim_cues() -> ClaimCues:
    return read("claim_cues.json", ClaimCues)


# --- event_types.json --------------------------------------------------------------------------


class EventTypeData(_Data, frozen=True):
    cameo: str
    modes: dict[str, str]


class RoleFrameData(_Data, frozen=True):
    subject: EventRole
    object: EventRole
    genitive: EventRole
    preps: dict[str, EventRole] = {}


class TriggerData(_Data, frozen=True):
    """One trigger entry: surface forms and the event they signal."""

    pos: Literal["verb", "noun"]
    type: str
    mode: str
    frame: str
    forms: list[str]
    count_frame: str | None = None  # the frame when a count follows a verb: "قتل 3 من الشرطة" is passive
    confidence: float = 0.6
    needs: list[str] = []
    needs_for: dict[str, list[str]] = {}
    exclude_next: list[str] = []
    # the word after the form must be a number ("number") or in one of these wordlists ("إيقاف أربعة")
    next_in: list[str] = []
    # not an event when the word after the form is a number or in one of these wordlists: "نسبته
    # 25%" is a ratio (نسبة with a pronoun), "نسبته الحكومة إلى التنظيم" an attribution
    exclude_next_in: list[str] = []
    indefinite_only: bool = False
    # a verb whose forms with an attached pronoun are nouns: "سيطرته" is "his control", not "she
    # controlled it" ("منذ سيطرته على أجزاء من المحافظة")
    no_enclitics: bool = False
    # wordlists whose words in the sentence say the form means something else: "سيطرت فرق الدفاع
    # المدني على حريق" (a fire brought under control), "سيطر على الحكم" (power, not ground)
    vetoes: list[str] = []
    statement: bool = False
    # a noun naming the event's participants ("عشرات المحتجين"): the object of another event's verb
    # in the same clause ("اعتقلت الشرطة عشرات المحتجين") is that event's patient, not an event
    participants: bool = False


class StatusCues(_Data, frozen=True):
    planned: list[str]
    speculative: list[str]
    hypothetical: list[str]
    planned_for_consult: list[str]


class MorphologyData(_Data, frozen=True):
    conjunctions: list[str]
    verb_prefixes: list[str]
    future_prefix: str
    noun_prefixes: list[str]
    article: str
    li_article: str
    verb_suffixes: list[str]
    noun_suffixes: list[str]
    ta_marbuta: str
    ta_construct: str


class SlotWords(_Data, frozen=True):
    dative_prefixes: list[str]
    locative_prefixes: list[str]
    dative_slot: str
    locative_slot: str
    agent_phrase: str
    location_preps: list[str]
    place_heads: list[str]
    location_verbs: list[str]
    locative_preps: list[str]
    linking_words: list[str]
    span_trailers: list[str]
    np_continuers: list[str]
    collective_anaphors: list[str]
    nisba_endings: list[str]
    origin_preposition: str
    partitive_heads: list[str]
    during_words: list[str]
    generic_subjects: list[str]
    force_arms: list[str]
    relation_words: list[str]
    involvement_words: list[str]
    generic_institutions: list[str]
    light_verbs: list[str]
    time_after_stop: list[str]
    agent_types: list[str]
    agent_cues: list[str]
    locative_words: list[str]


class NeedSpecifics(_Data, frozen=True):
    types: list[str]
    except_modes: list[str]


class CasualtyWords(_Data, frozen=True):
    killed_cues: list[str]
    wounded_cues: list[str]
    killed_nouns: list[str]
    wounded_nouns: list[str]
    killed_after: list[str]
    wounded_after: list[str]
    modifiers: list[str]
    units: dict[str, int]
    ten: list[str]
    teens: dict[str, int]
    tens: dict[str, int]
    dual_nouns: list[str]
    dual_killed: list[str]
    dual_wounded: list[str]


class EventTypes(_Data, frozen=True):
    """``event_types.json``: PLOVER types and modes, role frames, triggers, slot and status words."""

    types: dict[str, EventTypeData]
    merge_groups: dict[str, str]
    mode_priority: list[str]
    role_frames: dict[str, RoleFrameData]
    prepositions: list[str]
    delegation_nouns: list[str]
    delegation_heads: list[str]
    object_markers: list[str]
    anaphoric_determiners: list[str]
    negators: list[str]
    clause_stops: list[str]
    status_cues: StatusCues
    status_window_after: int
    status_window_before: int
    wordlists: dict[str, list[str]]
    triggers: list[TriggerData]
    morphology: MorphologyData
    slot_words: SlotWords
    need_specifics: NeedSpecifics
    mode_modifiers: dict[str, list[str]]
    casualties: CasualtyWords
    patient_words: list[str]
    purpose_of: dict[str, list[str]] = {}
    background_days: int = 0


@cache
def event_types() -> EventTypes:
    return read("event_types.json", EventTypes)


def check_all() -> None:
    """Load every data file once (a test calls this: a malformed file fails the suite)."""
    titles()
    calendar()
    layout()
    claim_cues()
    event_types()
    for stem in ACTOR_FILES:
        actor_file(stem)
    title_holders()
    for stem in ("given", "parts", "romanised"):
        name_table(stem)
    for stem in ("stopwords", "ambiguous_given"):
        word_list(stem)
    from service.extract.events.lemmas import lemma_forms  # event_lemmas.json, typed in its own module

    lemma_forms()
