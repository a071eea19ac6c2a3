"""The event merge rules, read once from ``data/merge_rules.json``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import msgspec

_PATH = Path(__file__).parent / "data" / "merge_rules.json"


class MatchWeights(msgspec.Struct, frozen=True):
    """Scores and limits of the event match (see ``event_merge.match_score``)."""

    shared_participant: float
    same_location: float
    shared_country: float
    same_day: float
    same_mode: float
    shared_context: float
    proximity: float
    proximity_chars: int
    recency: float
    recency_days: int
    date_tolerance_days: int
    inference_margin: float
    same_toll_min: int = 0
    background_days: int = 0
    cross_toll_ratio: float = 0.0
    relative_gap_shared: int = 0
    same_tolls_min: int = 0
    news_days: int = 0
    copy_similarity: float = 0.0
    copy_min_words: int = 0
    copy_hashes: int = 0
    copy_days: int = 0
    unplaced_toll_min: int = 0
    undated_tolls_min: int = 0
    undated_placed_toll_min: int = 0
    claimed_count_ratio: float = 0
    relative_gap_unlisted: int = 0
    near_copy_similarity: float = 0.0
    near_copy_day_apart: bool = False
    near_count_ratio: float = 0.0
    near_count_min: int = 0
    near_count_words: int = 0
    near_count_words_undated: int = 0
    near_count_common_words: list[str] = []
    near_count_scale_words: list[str] = []


class Places(msgspec.Struct, frozen=True):
    """How place names of different granularity compare (see ``event_units.place_scope``)."""

    admin_heads: list[str]
    facility_heads: list[str]
    synonyms: list[list[str]]
    quote_head_prefixes: list[str] = []
    """Letters an administrative head may carry in a report's sentence ("بمنطقة", "وبولاية")."""
    quote_name_stopwords: list[str] = []
    """Words after a head that are no place name ("منطقة شمال ...", "منطقة الشرق الأوسط")."""
    quote_compound_words: list[str] = []
    """First words of two-word place names ("جبل العليقة", "عين العرب"): the key takes both."""


class Blocking(msgspec.Struct, frozen=True):
    """Which reports are compared at all (see ``merge/keys.py``)."""

    window_days: int
    coarse_days: int
    precise_days: int
    undated_days: int
    ubiquitous_categories: list[str]


class Variants(msgspec.Struct, frozen=True):
    """Name variants joined on context evidence (see ``merge/actor_variants.py``)."""

    context_days: int
    anchor_kinds: list[str]
    kunya_particles: list[str]
    kunya: float
    short_name: float
    skeleton_context: float
    surname_only: float
    short_name_unlisted_family: float = 0.0
    same_surname: float = 0.0


class MergeRules(msgspec.Struct, frozen=True):
    """Which modes are compatible, which statuses contradict, how a merged event is summarised."""

    compatible_modes: dict[str, list[list[str]]]
    inverse_modes: dict[str, list[list[str]]]
    mode_precedence: list[str]
    status_precedence: list[str]
    contradicting_statuses: list[list[str]]
    stance_status: dict[str, str]
    contradicting_stances: list[list[str]]
    core_roles: list[str]
    core_kinds_any_role: list[str]
    claim_subject_kinds: list[str]
    strong_kinds: list[str]
    alias_excluded_methods: dict[str, list[str]]
    counted_nouns: dict[str, list[str]]
    home_roles: dict[str, dict[str, str]]
    match: MatchWeights
    blocking: Blocking
    variants: Variants
    two_party_modes: list[str] = []
    cross_article_modes: dict[str, list[list[str]]] = {}
    toll_modes: list[str] = []
    places: Places = Places([], [], [])
    copy_stopwords: list[str] = []
    claimant_categories: list[str] = []

    def modes_compatible(self, plover_type: str, a: str | None, b: str | None, across: bool = False) -> bool:
        """Unknown modes are compatible with any; otherwise equal or listed in one group, or, for
        reports of different articles (``across``), in one group of ``cross_article_modes``."""
        if a is None or b is None or a == b:
            return True
        groups = self.compatible_modes.get(plover_type, [])
        if across:
            groups = groups + self.cross_article_modes.get(plover_type, [])
        return any(a in group and b in group for group in groups)

    def inverse(self, plover_type: str, a: str | None, b: str | None) -> bool:
        """True when mode ``a`` is mode ``b`` seen from the other side (source and target swap)."""
        return any({a, b} == set(pair) for pair in self.inverse_modes.get(plover_type, []) if a != b)

    def is_alias(self, kind: str, method: str) -> bool:
        """Whether a mention found by ``method`` names an actor of ``kind`` (not a mere reference)."""
        excluded = self.alias_excluded_methods
        return method not in excluded.get("*", []) and method not in excluded.get(kind, [])

    def statuses_contradict(self, a: str, b: str) -> bool:
        """Whether two reported statuses of one event cannot both be true (a denial and a report)."""
        return any({a, b} == set(pair) for pair in self.contradicting_statuses)

    def stances_contradict(self, a: str, b: str) -> bool:
        """Whether two claims with these stances about one thing contradict each other."""
        return any({a, b} == set(pair) for pair in self.contradicting_stances)


@cache
def merge_rules() -> MergeRules:
    """The rules from the data file (cached; the file is part of the package). Keys starting with
    ``_`` are documentation."""
    raw = json.loads(_PATH.read_text(encoding="utf-8"))
    for key in [k for k in raw if k.startswith("_")]:
        raw.pop(key)
    raw["blocking"].pop("_doc", None)
    raw["variants"].pop("_doc", None)
    if "places" in raw:
        raw["places"].pop("_doc", None)
        raw["places"].pop("_quote_doc", None)
    return msgspec.convert(raw, MergeRules)
