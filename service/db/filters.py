"""The allow-list of query-string filters: parameter -> SQL fragment, value type and documentation.

Every dynamic condition the API adds to a query comes from these tables; values are always bound
as ``$n`` parameters (the fragments only name placeholders ``{p0}``, ``{p1}`` ...). The same tables
feed the OpenAPI description of each list endpoint, so the documentation cannot drift from the code.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from service.errors import InvalidParameter
from service.text import fold, match_key

# ---------------------------------------------------------------------------------------------
# value parsers: raw query-string values -> bound parameter values (raise InvalidParameter)
# ---------------------------------------------------------------------------------------------

Parser = Callable[[str, list[str]], list[Any]]
MAX_REPEATS = 20  # values of one repeatable parameter

_PARTIAL_DATE = re.compile(
    r"^([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?$"
)  # ASCII digits, as the OpenAPI pattern says


def _one(name: str, values: list[str]) -> str:
    """The single value, as given (a date, number or boolean with spaces around it is malformed)."""
    if len(values) != 1:
        raise InvalidParameter(f"Parameter {name!r} may be given only once", parameter=name)
    if not values[0].strip():
        raise InvalidParameter(f"Parameter {name!r} must not be empty", parameter=name)
    return values[0]


def _partial_date(name: str, raw: str, end: bool) -> date:
    m = _PARTIAL_DATE.match(raw)
    if not m:
        raise InvalidParameter(
            f"Parameter {name!r} must be a date: YYYY, YYYY-MM or YYYY-MM-DD, got {raw!r}", parameter=name
        )
    year, month, day = int(m[1]), int(m[2] or (12 if end else 1)), m[3]
    try:
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return date(year, month, int(day))
    except ValueError:
        raise InvalidParameter(f"Parameter {name!r} is not a valid date: {raw!r}", parameter=name) from None


def parse_date_from(name: str, values: list[str]) -> list[Any]:
    """Start of the period: 2025 -> 2025-01-01, 2025-10 -> 2025-10-01."""
    return [_partial_date(name, _one(name, values), end=False)]


def parse_date_to(name: str, values: list[str]) -> list[Any]:
    """End of the period (inclusive): 2025 -> 2025-12-31, 2025-10 -> 2025-10-31."""
    return [_partial_date(name, _one(name, values), end=True)]


def parse_datetime(name: str, values: list[str]) -> list[Any]:
    raw = _one(name, values)
    try:
        value = datetime.fromisoformat(raw.replace(" ", "+") if "T" in raw else raw)
    except ValueError:
        raise InvalidParameter(
            f"Parameter {name!r} must be an ISO 8601 timestamp, got {raw!r}", parameter=name
        ) from None
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        value = value.astimezone(UTC)  # a year-1 or year-9999 time outside UTC's range fails here
    except OverflowError:
        raise InvalidParameter(
            f"Parameter {name!r} is out of range: {raw!r} is before year 1 or after year 9999 in UTC",
            parameter=name,
        ) from None
    return [value]


_INTEGER = re.compile(r"-?[0-9]+")


def strict_int(raw: str) -> int:
    """An integer as JSON and OpenAPI write it: ASCII digits and an optional minus, nothing else
    (int() would also take '+9', ' 9', '9_0' and other scripts' digits). ValueError otherwise."""
    if not _INTEGER.fullmatch(raw):
        raise ValueError(raw)
    return int(raw)


def parse_int(minimum: int, maximum: int) -> Parser:
    def parse(name: str, values: list[str]) -> list[Any]:
        raw = _one(name, values)
        try:
            value = strict_int(raw)
        except ValueError:
            raise InvalidParameter(
                f"Parameter {name!r} must be an integer, got {raw!r}", parameter=name
            ) from None
        if not minimum <= value <= maximum:
            raise InvalidParameter(
                f"Parameter {name!r} must be between {minimum} and {maximum}, got {value}", parameter=name
            )
        return [value]

    return parse


def parse_bool(name: str, values: list[str]) -> list[Any]:
    raw = _one(name, values)
    if raw == "true":
        return [True]
    if raw == "false":
        return [False]
    raise InvalidParameter(f"Parameter {name!r} must be true or false, got {raw!r}", parameter=name)


def split_values(name: str, values: list[str]) -> list[str]:
    """Repeated parameters and comma-separated lists, stripped; empty items are an error."""
    out = [v.strip() for raw in values for v in raw.split(",")]
    if not out or any(not v for v in out):
        raise InvalidParameter(f"Parameter {name!r} has an empty value", parameter=name)
    return out


def parse_texts(name: str, values: list[str]) -> list[Any]:
    return [split_values(name, values)]


def not_one_of(name: str, value: str, choices: tuple[str, ...] | list[str]) -> InvalidParameter:
    """The 400 for a value outside an enumeration: it lists the allowed values."""
    return InvalidParameter(
        f"Parameter {name!r} must be one of {', '.join(choices)}; got {value!r}",
        parameter=name,
        allowed=list(choices),
    )


def parse_choice(*choices: str, upper: bool = False) -> Parser:
    """Values from an enumeration (repeatable or comma-separated); ``upper``: matched in upper case."""

    def parse(name: str, values: list[str]) -> list[Any]:
        items = split_values(name, values)
        if upper:
            items = [v.upper() for v in items]
        for v in items:
            if v not in choices:
                raise not_one_of(name, v, choices)
        return [items]

    return parse


def parse_cameo(name: str, values: list[str]) -> list[Any]:
    """A CAMEO code prefix as a half-open range [prefix, prefix+1) for the text_pattern_ops index."""
    raw = _one(name, values)
    if not re.fullmatch(r"[0-9]{1,4}", raw):
        raise InvalidParameter(
            f"Parameter {name!r} must be 1-4 digits (a CAMEO code prefix), got {raw!r}", parameter=name
        )
    return [raw, raw[:-1] + chr(ord(raw[-1]) + 1)]


def _search_text(name: str, values: list[str]) -> str:
    raw = _one(name, values)
    if len(raw) > 200:
        raise InvalidParameter(f"Parameter {name!r} is longer than 200 characters", parameter=name)
    if not _SEARCHABLE.match(raw):
        raise InvalidParameter(f"Parameter {name!r} has no searchable characters", parameter=name)
    return raw.strip()


def parse_event_search(name: str, values: list[str]) -> list[Any]:
    """q for events: Arabic (folded) and English full text, plus exact alias matches of the actors."""
    raw = _search_text(name, values)
    return [fold(raw), raw, match_key(raw)]


def parse_arabic_search(name: str, values: list[str]) -> list[Any]:
    return [fold(_search_text(name, values))]


def parse_alias_tokens(name: str, values: list[str]) -> list[Any]:
    """Actor search: every token of the normalised query must be a token of one alias."""
    # A query the pattern accepts may still fold to nothing (a symbol, an emoji): it matches nothing,
    # as '' is never a word of an alias.
    return [match_key(_search_text(name, values)).split() or [""]]


def parse_actor_values(name: str, values: list[str]) -> list[Any]:
    """Actor ids or names (resolved to ids before the query runs; see refs.resolve_actor_values)."""
    out = [v.strip() for v in values]
    if any(not v for v in out):
        raise InvalidParameter(f"Parameter {name!r} has an empty value", parameter=name)
    if len(out) > MAX_REPEATS:
        raise InvalidParameter(f"Parameter {name!r} may be given at most {MAX_REPEATS} times", parameter=name)
    return out


# Filters on a related table (an actor's events, a source's events ...) leave the planner a choice it
# often gets wrong under LIMIT: walking the sort index and probing each row finds a rare actor's
# events only after scanning most of the table. A bounded count (at most FEW index entries) decides:
# few matches -> fetch exactly those rows by id and sort them; many -> the semi-join, which then
# finds a page of matches quickly.
FEW = 10_000


def member_filter(members: str, doc: str, parse: Parser, schema: dict[str, Any], **kw: Any) -> Filter:
    """A filter "e.id is one of ``members``" (a subquery over event ids with {p0} ...)."""
    return Filter(
        f"e.id IN ({members})",
        doc,
        parse,
        schema,
        few=f"e.id = ANY(ARRAY({members}))",
        count=f"SELECT count(*) FROM ({members} LIMIT {FEW}) AS few",
        **kw,
    )


# The English name in match_key form (for ASCII names: lower-cased, punctuation to single spaces);
# aliases carry their match_key already. Indexed in migration 0002.
EN_KEY = "btrim(regexp_replace(lower(coalesce({a}.name_en, '')), '[^[:alnum:]]+', ' ', 'g'))"


def en_key(alias: str) -> str:
    return EN_KEY.format(a=alias)


# ---------------------------------------------------------------------------------------------
# the allow-list
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drive:
    """An index that serves a filter and the list order at once (migration 0004): with a single
    value, the list query starts from the filter's table (alias ``d``) instead of ``replaces`` and
    pages on its copy of the sort key, so a page costs a range scan of about one page whatever
    the filter's selectivity (the planner cannot see that the copy equals the sorted expression)."""

    table: str  # "<driving table> d JOIN <listed table> <alias> ON ..."
    replaces: str  # the listed "<table> <alias>" in the list's SELECT
    condition: str  # the filter on the driving table, {p0}: the single value
    sort_expr: str  # the driving table's copy of the sort expression
    id_expr: str
    sorts: frozenset[str]  # the sort orders it serves

    def select(self, select: str) -> str:
        return select.replace(f"FROM {self.replaces}", f"FROM {self.table}", 1)


@dataclass(frozen=True)
class Filter:
    """One query-string filter: its SQL fragment (placeholders {p0}, {p1} ...), parser, type and doc.

    ``actor`` filters take ids or names; each value is resolved to a set of actor ids first and the
    fragment receives a text[] of ids. With ``actor_match=all`` the fragment is repeated per value.
    """

    sql: str
    doc: str
    parse: Parser
    schema: dict[str, Any]
    repeatable: bool = False
    actor: bool = False
    example: str | None = None
    single: str | None = None  # with exactly one value: this fragment gets the value itself (an index can
    # then serve both the equality and the sort order, which `= ANY(array)` cannot)
    few: str | None = None  # used instead of ``sql`` when ``count`` finds fewer than FEW matching rows
    count: str | None = None
    drive: Drive | None = None  # with one value (one actor id), this filter may drive the query
    driven: str | None = None  # this filter's fragment while another filter drives (on its table ``d``)
    outlet: bool = False  # values name outlets (see refs.resolve_outlets): resolved to stored names first

    def fragment(self, values: list[Any]) -> tuple[str, list[Any]]:
        """The SQL fragment and its parameters for parsed ``values``."""
        if (
            self.single is not None
            and len(values) == 1
            and isinstance(values[0], list)
            and len(values[0]) == 1
        ):
            return self.single, [values[0][0]]
        return self.sql, values


# What the parsers accept, as patterns (so that the OpenAPI document says what the server takes):
# a name has a character other than a space; each comma-separated item of a list does; a search
# has a letter or digit to search for; none holds NUL (Postgres text cannot). "Space" is what
# str.strip() removes, spelled out: regex engines disagree on what \s covers.
_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_ITEM = f"[^,\\x00]*[^,\\x00{_SPACE}][^,\\x00]*"
NAMES = {"type": "string", "pattern": f"^[^\\x00]*[^\\x00{_SPACE}][^\\x00]*$"}
TEXTS = {"type": "string", "pattern": f"^{_ITEM}(,{_ITEM})*$"}
# A search needs one character that is not a space, a control or format character, punctuation, a
# diacritic or tatweel, spelled out as ranges because \w is Unicode in Python but ASCII in ECMA-262
# (the OpenAPI dialect), where it would refuse every Arabic word. The server checks this very pattern.
_NOT_SEARCHABLE = (
    f"\\x00-\\x1f\\x7f-\\x9f{_SPACE}!-/:-@\\[-`{{-~\\xa1-\\xbf\\xd7\\xf7"
    "\\u060c\\u061b\\u061f\\u0640\\u064b-\\u065f\\u066a-\\u066d\\u0670\\u06d4\\u06d6-\\u06ed"
    "\\u200b-\\u200f\\u2010-\\u2027\\u2030-\\u205e\\u2060-\\u206f\\ufeff"
)
_SEARCH_PATTERN = f"^[^\\x00]*[^{_NOT_SEARCHABLE}][^\\x00]*$"
SEARCH = {"type": "string", "pattern": _SEARCH_PATTERN, "maxLength": 200}
_SEARCHABLE = re.compile(_SEARCH_PATTERN)
# Year 0001-9999, month 01-12, day 01-31 (a day past its month's end, e.g. 2025-02-30, is still a 400).
DATE = {
    "type": "string",
    "pattern": r"^(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|1[0-9]|2[0-8]))?)?$",
}
DATETIME = {"type": "string", "format": "date-time"}
BOOL = {"type": "boolean"}
STATUSES = ("occurred", "planned", "speculative", "denied")
STANCES = ("asserts", "denies", "expects", "speculates")
CHANNELS = ("statement", "press_conference", "social_media", "interview", "report")
KINDS = ("person", "organization", "country", "place", "weapon")


def _event_ontology() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """PLOVER types and modes, from the ontology in the event lexicon's data file."""
    path = Path(__file__).resolve().parents[1] / "extract" / "data" / "event_types.json"
    types = json.loads(path.read_text(encoding="utf-8"))["types"]
    return tuple(types), tuple(sorted({mode for t in types.values() for mode in t["modes"]}))


EVENT_TYPES, EVENT_MODES = _event_ontology()


def _enum(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _int_schema(minimum: int, maximum: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": minimum, "maximum": maximum}


# Events (alias e). Date filters: an event matches when [date_start, date_end] overlaps [from, to];
# events without a known date never match a date filter. `to` is written on the sort expression so
# the sort indexes can start their scan at `to`.
# An actor's events in list order: event_actors carries each event's sort key (migration 0004).
BY_ACTOR = Drive(
    "event_actors d JOIN events e ON e.id = d.event_id",
    "events e",
    "d.actor_id = {p0}",
    "d.date_sort",
    "d.event_id",
    frozenset({"-date", "date"}),
)

EVENT_FILTERS: dict[str, Filter] = {
    "from": Filter(
        "coalesce(e.date_end, e.date_start) >= {p0}",
        "Events ending on or after this date (YYYY, YYYY-MM or YYYY-MM-DD): the event's "
        "[start, end] overlaps [from, to].",
        parse_date_from,
        DATE,
        example="2025-10-01",
    ),
    "to": Filter(
        "coalesce(e.date_start, '-infinity'::date) <= {p0} AND e.date_start IS NOT NULL",
        "Events starting on or before this date (YYYY, YYYY-MM or YYYY-MM-DD; "
        "a month or year means its last day).",
        parse_date_to,
        DATE,
        example="2025-10-31",
        driven="d.date_sort <= {p0} AND d.date_sort > '-infinity'::date",
    ),
    "actor": member_filter(
        "SELECT ea.event_id FROM event_actors ea WHERE ea.actor_id = ANY({p0}::text[])",
        "Events with this actor (id, or any alias in Arabic or English). Repeatable; see actor_match.",
        parse_actor_values,
        NAMES,
        repeatable=True,
        actor=True,
        example="Syria",
        drive=BY_ACTOR,
    ),
    "country": member_filter(
        "SELECT ea.event_id FROM event_actors ea WHERE ea.actor_id = ANY(ARRAY("
        "SELECT ca.id FROM actors ca WHERE ca.id = ANY({p0}::text[]) "
        "OR ca.country_id = ANY({p0}::text[])))",
        "Events involving this country or any actor of it (id or name). Repeatable; see actor_match.",
        parse_actor_values,
        NAMES,
        repeatable=True,
        actor=True,
        example="Russia",
    ),
    "type": Filter(
        "e.plover_type = ANY({p0}::text[])",
        "PLOVER event type(s): " + ", ".join(EVENT_TYPES) + ". Repeatable or comma-separated.",
        parse_choice(*EVENT_TYPES, upper=True),
        {"type": "string", "enum": [*EVENT_TYPES, *(t.lower() for t in EVENT_TYPES)]},
        repeatable=True,
        example="CONSULT",
        single="e.plover_type = {p0}",
    ),
    "mode": Filter(
        "e.plover_mode = ANY({p0}::text[])",
        "PLOVER mode(s): " + ", ".join(EVENT_MODES) + ".",
        parse_choice(*EVENT_MODES),
        _enum(EVENT_MODES),
        repeatable=True,
        example="visit",
        single="e.plover_mode = {p0}",
    ),
    "cameo": Filter(
        "e.cameo ~>=~ {p0} AND e.cameo ~<~ {p1}",
        "CAMEO code prefix (1-4 digits): 04 matches 040-046.",
        parse_cameo,
        {"type": "string", "pattern": r"^[0-9]{1,4}$"},
        example="04",
    ),
    "location": member_filter(
        "SELECT le.id FROM events le WHERE le.location_actor_id = ANY({p0}::text[])",
        "Events located at this place (id or name).",
        parse_actor_values,
        NAMES,
        repeatable=True,
        actor=True,
    ),
    "status": Filter(
        "e.status = ANY({p0}::text[])",
        "occurred, planned, speculative or denied. Repeatable.",
        parse_choice(*STATUSES),
        _enum(STATUSES),
        repeatable=True,
        single="e.status = {p0}",
    ),
    "source": member_filter(
        "SELECT sa.event_id FROM event_attributions sa WHERE sa.source_id = ANY({p0}::text[])",
        "Events reported by this source (src_ id). Repeatable.",
        parse_texts,
        TEXTS,
        repeatable=True,
    ),
    "outlet": member_filter(
        "SELECT oa.event_id FROM event_attributions oa JOIN sources os ON os.id = oa.source_id "
        "WHERE os.outlet = ANY({p0}::text[])",
        "Events reported by this outlet: its name in any spelling that folds to the stored one "
        "(hamza, taa marbuta, diacritics, case), or its actor id. Repeatable.",
        parse_texts,
        TEXTS,
        repeatable=True,
        outlet=True,
    ),
    "via": member_filter(
        "SELECT va.event_id FROM event_attributions va WHERE va.via_actor_id = ANY({p0}::text[])",
        "Events relayed through this agency (id or name, e.g. SANA).",
        parse_actor_values,
        NAMES,
        repeatable=True,
        actor=True,
    ),
    "min_sources": Filter(
        "e.source_count >= {p0}",
        "Events reported by at least this many sources.",
        parse_int(1, 1000),
        _int_schema(1, 1000),
    ),
    "has_conflict": Filter(
        "e.has_conflict = {p0}",
        "Only events whose sources disagree (true) or agree (false).",
        parse_bool,
        BOOL,
    ),
    "has_location": Filter(
        "(e.location_actor_id IS NOT NULL) = {p0}",
        "Only events with (true) or without (false) a known location.",
        parse_bool,
        BOOL,
    ),
    "q": Filter(
        "(e.search @@ (websearch_to_tsquery('arabic', {p0}) || websearch_to_tsquery('english', {p1})) "
        "OR e.id = ANY(ARRAY(SELECT qa.event_id FROM actor_aliases qal "
        "JOIN event_actors qa ON qa.actor_id = qal.actor_id WHERE qal.match_key = {p2})))",
        "Full text over summaries and quotes (Arabic, normalised, and English; web-search syntax: "
        '"phrases", or, -not) and actor aliases.',
        parse_event_search,
        SEARCH,
        example="إس-400",
    ),
    "updated_since": Filter(
        "e.updated_at >= {p0}",
        "Events created or changed at or after this time (ISO 8601): incremental sync, with GET /v1/deleted.",
        parse_datetime,
        DATETIME,
    ),
}

CLAIM_FILTERS: dict[str, Filter] = {
    "from": Filter("c.said_on >= {p0}", "Claims said on or after this date.", parse_date_from, DATE),
    "to": Filter("c.said_on <= {p0}", "Claims said on or before this date.", parse_date_to, DATE),
    "speaker": Filter(
        "c.speaker_actor_id = ANY({p0}::text[])",
        "Claims by this speaker (id or name). Repeatable.",
        parse_actor_values,
        NAMES,
        repeatable=True,
        actor=True,
    ),
    "stance": Filter(
        "c.stance = ANY({p0}::text[])",
        "asserts, denies, expects or speculates. Repeatable.",
        parse_choice(*STANCES),
        _enum(STANCES),
        repeatable=True,
        example="denies",
        single="c.stance = {p0}",
    ),
    "channel": Filter(
        "c.channel = ANY({p0}::text[])",
        "statement, press_conference, social_media, interview, report.",
        parse_choice(*CHANNELS),
        _enum(CHANNELS),
        repeatable=True,
        single="c.channel = {p0}",
    ),
    "actor": Filter(
        "(c.speaker_actor_id = ANY({p0}::text[]) OR c.id IN (SELECT cb.claim_id FROM claim_about cb "
        "WHERE cb.actor_id = ANY({p0}::text[])))",
        "Claims by or about this actor (id or name). Repeatable; see actor_match.",
        parse_actor_values,
        NAMES,
        repeatable=True,
        actor=True,
    ),
    "via": Filter(
        "c.via_actor_id = ANY({p0}::text[])",
        "Claims relayed through this agency (id or name).",
        parse_actor_values,
        NAMES,
        repeatable=True,
        actor=True,
    ),
    "source": Filter(
        "c.source_id = ANY({p0}::text[])",
        "Claims in this source (src_ id). Repeatable.",
        parse_texts,
        TEXTS,
        repeatable=True,
    ),
    "outlet": Filter(
        "c.source_id IN (SELECT os.id FROM sources os WHERE os.outlet = ANY({p0}::text[]))",
        "Claims published by this outlet (name in any spelling that folds to the stored one, or actor "
        "id). Repeatable.",
        parse_texts,
        TEXTS,
        repeatable=True,
        outlet=True,
    ),
    "event": Filter(
        "c.event_id = ANY({p0}::text[])",
        "Claims about this event (evt_ id). Repeatable.",
        parse_texts,
        TEXTS,
        repeatable=True,
    ),
    "has_contradiction": Filter(
        "EXISTS (SELECT 1 FROM claim_contradictions cc WHERE cc.claim_id = c.id "
        "OR cc.other_claim_id = c.id) = {p0}",
        "Only claims contradicted by another claim (true) or not (false).",
        parse_bool,
        BOOL,
    ),
    "q": Filter(
        "c.search @@ websearch_to_tsquery('arabic', {p0})",
        "Full text over the quote (Arabic, normalised).",
        parse_arabic_search,
        SEARCH,
    ),
    "updated_since": Filter(
        "c.updated_at >= {p0}",
        "Claims created or changed at or after this time (ISO 8601).",
        parse_datetime,
        DATETIME,
    ),
}

ACTOR_FILTERS: dict[str, Filter] = {
    "q": Filter(
        "a.id IN (SELECT sal.actor_id FROM actor_aliases sal "
        "WHERE string_to_array(sal.match_key, ' ') @> {p0}::text[]) "
        f"OR string_to_array({en_key('a')}, ' ') @> {{p0}}::text[]",
        "Name search over every alias and the English name, Arabic or English, normalised (diacritics, hamza and "
        "alef forms folded): every word must occur in one alias.",
        parse_alias_tokens,
        SEARCH,
        example="Naasan",
    ),
    "kind": Filter(
        "a.kind = ANY({p0}::text[])",
        "person, organization, country, place or weapon. Repeatable.",
        parse_choice(*KINDS),
        _enum(KINDS),
        repeatable=True,
    ),
    "country": Filter(
        "a.country_id = ANY({p0}::text[])",
        "Actors of this country (id or name).",
        parse_actor_values,
        NAMES,
        repeatable=True,
        actor=True,
    ),
    "updated_since": Filter(
        "a.updated_at >= {p0}",
        "Actors created or changed at or after this time (ISO 8601).",
        parse_datetime,
        DATETIME,
    ),
}

SOURCE_FILTERS: dict[str, Filter] = {
    "from": Filter(
        "s.published_on >= {p0}", "Sources published on or after this date.", parse_date_from, DATE
    ),
    "to": Filter("s.published_on <= {p0}", "Sources published on or before this date.", parse_date_to, DATE),
    "outlet": Filter(
        "s.outlet = ANY({p0}::text[])",
        "Outlet: its name in any spelling that folds to the stored one (hamza, taa marbuta, diacritics, "
        "case), or its actor id. Repeatable.",
        parse_texts,
        TEXTS,
        repeatable=True,
        outlet=True,
    ),
    "language": Filter(
        "s.language = ANY({p0}::text[])", "Language code(s), e.g. ar.", parse_texts, TEXTS, repeatable=True
    ),
    "external_id": Filter(
        "s.external_id = ANY({p0}::text[])",
        "External id(s) given at ingestion.",
        parse_texts,
        TEXTS,
        repeatable=True,
    ),
    "updated_since": Filter(
        "s.updated_at >= {p0}",
        "Sources created or changed at or after this time (ISO 8601).",
        parse_datetime,
        DATETIME,
    ),
}

CONFLICT_FILTERS: dict[str, Filter] = {
    "kind": Filter(
        "k.kind = ANY({p0}::text[])",
        "attribute or claim.",
        parse_choice("attribute", "claim"),
        _enum(("attribute", "claim")),
        repeatable=True,
    ),
    "field": Filter(
        "k.field = ANY({p0}::text[])",
        "The disputed field, e.g. rank, date, status.",
        parse_texts,
        TEXTS,
        repeatable=True,
    ),
    "actor": Filter(
        "k.subject_actor_id = ANY({p0}::text[])",
        "Conflicts about this actor (id or name).",
        parse_actor_values,
        NAMES,
        repeatable=True,
        actor=True,
    ),
    "event": Filter(
        "k.subject_event_id = ANY({p0}::text[])",
        "Conflicts about this event (evt_ id).",
        parse_texts,
        TEXTS,
        repeatable=True,
    ),
    "source": Filter(
        "k.id IN (SELECT kv.conflict_id FROM conflict_values kv WHERE kv.source_id = ANY({p0}::text[]))",
        "Conflicts with a value from this source.",
        parse_texts,
        TEXTS,
        repeatable=True,
    ),
    "updated_since": Filter(
        "k.updated_at >= {p0}",
        "Conflicts created or changed at or after this time.",
        parse_datetime,
        DATETIME,
    ),
}

DELETED_FILTERS: dict[str, Filter] = {
    "since": Filter(
        "d.deleted_at >= {p0}",
        "Ids removed or merged at or after this time (ISO 8601).",
        parse_datetime,
        DATETIME,
    ),
    "kind": Filter(
        "d.kind = ANY({p0}::text[])",
        "source, actor, event, claim or conflict.",
        parse_choice("source", "actor", "event", "claim", "conflict"),
        _enum(("source", "actor", "event", "claim", "conflict")),
        repeatable=True,
    ),
}


# ---------------------------------------------------------------------------------------------
# sort orders (keyset): an expression + the id tie-break, both served by one index
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    """A stable order: ``expr`` (None: the id alone) then the id, ascending or descending."""

    expr: str | None
    cast: str
    descending: bool
    doc: str
    decode: Callable[[str], Any] = str
    column: str | None = None  # the record column holding the key (None: the id)
    null_value: Any = None  # what ``expr`` turns a NULL column into

    def key_of(self, record: Any) -> Any:
        if self.column is None:
            return None
        value = record[self.column]
        return self.null_value if value is None else value


UNDATED = "'-infinity'::date"
UNDATED_VALUE = date.min  # asyncpg maps date.min to and from -infinity


def _date(raw: str) -> date:
    return date.fromisoformat(raw)


def _timestamp(raw: str) -> datetime:
    return datetime.fromisoformat(raw)


def sorts_for(alias: str, date_col: str | None, updated: bool = True) -> dict[str, Sort]:
    out: dict[str, Sort] = {"id": Sort(None, "text", False, "By id.")}
    if date_col:
        expr = f"coalesce({alias}.{date_col}, {UNDATED})"
        out["-date"] = Sort(
            expr, "date", True, "Newest first (undated last), then id.", _date, date_col, UNDATED_VALUE
        )
        out["date"] = Sort(
            expr, "date", False, "Oldest first (undated first), then id.", _date, date_col, UNDATED_VALUE
        )
    if updated:
        out["updated"] = Sort(
            f"{alias}.updated_at",
            "timestamptz",
            False,
            "By last change, then id: for incremental sync.",
            _timestamp,
            "updated_at",
        )
    return out


EVENT_SORTS = sorts_for("e", "date_start")
CLAIM_SORTS = sorts_for("c", "said_on")
SOURCE_SORTS = sorts_for("s", "published_on")
ACTOR_SORTS = sorts_for("a", None)
CONFLICT_SORTS = sorts_for("k", None)
DELETED_SORTS = {
    "deleted": Sort(
        "d.deleted_at", "timestamptz", False, "By deletion time, then id.", _timestamp, "deleted_at"
    )
}


# ---------------------------------------------------------------------------------------------
# assembling a WHERE clause
# ---------------------------------------------------------------------------------------------


@dataclass
class SqlQuery:
    """Conditions and their bound values; fragments only ever contain ``$n`` placeholders."""

    where: list[str] = field(default_factory=list)
    args: list[Any] = field(default_factory=list)
    drive: Drive | None = None  # the filter the query starts from, if any (see Drive)
    # The allow-listed filters applied (name, parsed values), in order: one condition each unless
    # one drives the query. A caller's own conditions (nested endpoints) are not named.
    named: list[tuple[str, list[Any]]] = field(default_factory=list)

    def param(self, value: Any) -> str:
        self.args.append(value)
        return f"${len(self.args)}"

    def add(self, template: str, values: list[Any]) -> None:
        names = {f"p{i}": self.param(v) for i, v in enumerate(values)}
        self.where.append("(" + template.format(**names) + ")")

    @property
    def where_sql(self) -> str:
        return " AND ".join(self.where) or "TRUE"


__all__ = [
    "ACTOR_FILTERS",
    "ACTOR_SORTS",
    "CLAIM_FILTERS",
    "CLAIM_SORTS",
    "CONFLICT_FILTERS",
    "CONFLICT_SORTS",
    "DELETED_FILTERS",
    "DELETED_SORTS",
    "EVENT_FILTERS",
    "EVENT_SORTS",
    "SERIAL_PAGE",
    "SOURCE_FILTERS",
    "SOURCE_SORTS",
    "Drive",
    "Filter",
    "Sort",
    "SqlQuery",
    "keyset_sql",
    "split_values",
]


# Run before a keyset page (inside the request's transaction): a page reads about `limit` rows in
# index order, and a parallel plan's worker start-up (~15-20 ms at 1,000,000 events, measured)
# costs many times the page itself; the planner, costing the whole filtered set, sometimes picks one.
SERIAL_PAGE = "SET LOCAL max_parallel_workers_per_gather = 0"


def keyset_sql(
    select: str, query: SqlQuery, sort: Sort, id_expr: str, after: tuple[Any, str] | None, limit: int | None
) -> str:
    """``select`` + WHERE (filters, then the keyset position) + ORDER BY sort, id + LIMIT.

    ``after`` is (sort key, id) of the last row already served; rows strictly after it follow.
    When a filter drives the query (``query.drive``), it starts from that filter's table and
    orders by its copy of the sort key.
    """
    if query.drive is not None and sort.expr is not None:
        select, id_expr = query.drive.select(select), query.drive.id_expr
        sort = replace(sort, expr=query.drive.sort_expr)
    direction = "DESC" if sort.descending else "ASC"
    op = "<" if sort.descending else ">"
    if after is not None:
        key, last_id = after
        if sort.expr is None:
            query.where.append(f"{id_expr} {op} {query.param(last_id)}")
        else:
            query.where.append(
                f"({sort.expr}, {id_expr}) {op} ({query.param(key)}::{sort.cast}, {query.param(last_id)})"
            )
    order = (
        f"{id_expr} {direction}" if sort.expr is None else f"{sort.expr} {direction}, {id_expr} {direction}"
    )
    sql = f"{select}\nWHERE {query.where_sql}\nORDER BY {order}"
    if limit is not None:
        sql += f"\nLIMIT {query.param(limit)}"
    return sql
