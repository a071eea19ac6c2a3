"""Date grammar: explicit and relative date expressions with precision, basis and resolution.

The grammar runs over ``doc.norm`` (folded text) and maps each match back to the verbatim
text. Vocabulary (month names in both families, weekdays, ordinal day words, relative-day
words, period units, past/next markers, part-of-period words) lives in
``data/calendar.json``; this module only knows how those pieces combine.

Basis is "explicit" when the year is written, so the date does not depend on the publication
date; everything else is "relative" and carries a ``RelativeDate`` that ``resolve_relative``
turns into dates once a publication date is known (here, or later in the cross-article merge).
The arithmetic lives in ``date_resolution.py``; ``resolve_relative`` and ``infer_publication``
are re-exported here.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from collections.abc import Iterator
from datetime import date
from typing import Any, Literal

import msgspec

from service.extract import datafiles
from service.extract.document import DateBasis, DateMention, DatePrecision, Document, RelativeDate
from service.extract.text.date_resolution import (
    infer_publication,
    month_range,
    resolve_relative,
    written_on,
    year_range,
)
from service.text import fold, fold_char

__all__ = ["FoundDate", "find_dates", "infer_publication", "resolve_relative", "scan_dates"]

Part = Literal["early", "mid", "late"]


_DATA = datafiles.calendar()


def _index(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return {fold(word): value for word, value in pairs}


MONTHS: dict[str, int] = _index([(n, m.number) for m in _DATA.months for n in m.names])
AMBIGUOUS_MONTHS = frozenset(fold(n) for n in _DATA.ambiguous_month_names)
WEEKDAYS: dict[str, int] = _index([(n, w.iso) for w in _DATA.weekdays for n in w.names])
ORDINALS: dict[str, int] = _index([(n, int(d)) for d, ns in _DATA.ordinal_days.items() for n in ns])
RELATIVE_DAYS: dict[str, int] = _index(list(_DATA.relative_days.items()))
TODAY_NOT_BEFORE = frozenset(fold(w) for w in _DATA.today_not_before)
TODAY_NOT_AFTER = frozenset(fold(w) for w in _DATA.today_not_after)
NAMED_BY_DATE = frozenset(fold(w) for w in _DATA.named_by_date)
PERIOD_UNITS: dict[str, str] = _index(list(_DATA.period_units.items()))
MARKERS: dict[str, str] = _index([(w, kind) for kind, ws in _DATA.markers.items() for w in ws])
PARTS: dict[str, Part] = _index([(w, part) for part, ws in _DATA.parts.items() for w in ws])
AGO_WORDS: dict[str, int] = _index(list(_DATA.ago_words.items()))
CARDINALS: dict[str, int] = _index(list(_DATA.cardinals.items()))
DURATION_UNITS: dict[str, tuple[str, int | None]] = _index(
    [
        (w, (unit, {"one": 1, "two": 2, "many": None}[size]))
        for unit, sizes in _DATA.duration_units.items()
        for size, ws in msgspec.structs.asdict(sizes).items()
        for w in ws
    ]
)
YEAR_MIN, YEAR_MAX = _DATA.year_range
HIJRI_MONTHS: dict[str, int] = _index([(n, m.number) for m in _DATA.hijri_months for n in m.names])
HIJRI_MIN, HIJRI_MAX = _DATA.hijri_year_range
HIJRI_STARTS: dict[tuple[int, int], date] = {
    (int(k[:4]), int(k[5:])): date.fromisoformat(v) for k, v in _DATA.hijri_month_starts.items()
}


def _alt(words: Any) -> str:
    """A regex alternation of folded words, longest first so the longest spelling wins."""
    unique = sorted({fold(w) for w in words}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in unique)


_RB = r"(?!\w)"
_MONTH = rf"(?:{_alt(MONTHS)}){_RB}"
# "سبتمبر/ أيلول 2014", "سبتمبر (أيلول)", and with a bare space "سبتمبر أيلول 2014": a month and
# its name in the other family (a year after the pair belongs to both)
_MONTHX = rf"(?P<m1>{_MONTH})(?: ?[/(-] ?(?P<m2>{_MONTH})\)?| (?P<m3>{_MONTH}))?"
_YEAR_WORDS = _alt(_DATA.year_words)
_ART = _alt([_DATA.definite_article])
_YEAR_LINK = _alt(_DATA.year_links)
_YEAR_TAIL = rf",? (?:(?:{_YEAR_LINK}) )?(?:(?:{_YEAR_WORDS}) )?(?P<y>\d{{4}})(?!\d)"
_MARK = rf"(?P<mk>{_alt(MARKERS)}){_RB}"
_PART = rf"(?P<pt>{_alt(PARTS)}) "
_WEEKDAY = rf"(?P<wd>{_alt(WEEKDAYS)}){_RB}"
_DAY_WORD = _alt(_DATA.day_word)
_YEAR_UNIT = _alt(w for w, unit in PERIOD_UNITS.items() if unit == "year")
_REL_YEAR = (
    rf",? (?:(?:{_YEAR_LINK}) )?(?:(?P<ydem>{_alt(_DATA.demonstratives)}) (?P<yu>{_YEAR_UNIT})"
    rf"|(?P<yu2>{_YEAR_UNIT}) (?P<ymk>{_alt(MARKERS)})){_RB}"
)
_MONTH_UNIT = _alt(w for w, unit in PERIOD_UNITS.items() if unit == "month")
_FILL = rf"(?: (?:{_alt(_DATA.day_month_fillers)}|[^\W\d_]{{1,{int(_DATA.max_filler_chars)}}}))?"

_PATTERNS: dict[str, re.Pattern[str]] = {
    "day": re.compile(
        rf"(?:(?:{_DAY_WORD} )?{_WEEKDAY},? (?:(?:{_alt(_DATA.weekday_date_links)}) )?)?"
        rf"(?:(?:{_ART})?(?P<d>\d{{1,2}})(?!\d)|(?P<od>{_alt(ORDINALS)}))"
        rf"{_FILL} {_MONTHX}(?:{_YEAR_TAIL}|{_REL_YEAR}| {_MARK})?"
    ),
    "month": re.compile(
        rf"(?:{_PART})?(?:{_alt(_DATA.month_word)} )?{_MONTHX}(?:{_YEAR_TAIL}|{_REL_YEAR}| {_MARK})?"
    ),
    "year": re.compile(
        rf"(?:{_PART})?(?:(?P<yw>{_YEAR_WORDS}) |(?P<prep>{_alt(_DATA.year_prepositions)}) )?"
        rf"(?P<y>\d{{4}})(?!\d|[:/.-]\d)"
    ),
    "period": re.compile(
        rf"(?:{_PART})?(?:(?P<dem>{_alt(_DATA.demonstratives)}) )?"
        rf"(?P<u>{_alt(PERIOD_UNITS)})(?: {_MARK})?{_RB}"
    ),
    # "أمس الجمعة", "اليوم (الاثنين)": a relative day named with its weekday, bare or in brackets
    "weekday": re.compile(
        rf"(?:(?P<rd>{_alt(RELATIVE_DAYS)}) (?P<po>\( ?)?)?(?:{_DAY_WORD} )?{_WEEKDAY}(?(po) ?\))(?: {_MARK})?"
    ),
    "day_of_period": re.compile(
        rf"(?:(?:{_ART})?(?P<d>\d{{1,2}})(?!\d)|(?P<od>{_alt(ORDINALS)})){_FILL} (?P<u>{_MONTH_UNIT}) {_MARK}"
    ),
    "day_range": re.compile(
        rf"(?:{_ART})?(?P<d1>\d{{1,2}}) ?(?:{_alt(_DATA.range_joiners)}) ?(?:{_ART})?(?P<d>\d{{1,2}})(?!\d)"
        rf"{_FILL} {_MONTHX}(?:{_YEAR_TAIL}| {_MARK})?"
    ),
    "relday": re.compile(rf"(?P<rd>{_alt(RELATIVE_DAYS)}){_RB}(?:(?= (?P<next>\w+)))?"),
    "ago": re.compile(
        rf"(?P<dir>{_alt(AGO_WORDS)}) (?:(?P<n>\d{{1,2}}|{_alt(CARDINALS)}) )?(?P<unit>{_alt(DURATION_UNITS)})"
        rf"{_RB}(?! ?\d)(?:(?= (?P<next>\w+)))?"
    ),
    # "25/7/2015", "25 / 7 / 2015م", "24/ 4/ 1981", "2015-07-25": a slash may have a space on either side
    "numeric": re.compile(
        r"(?<![\d/.-])(?P<a>\d{1,4})(?:(?P<sl> ?/ ?)|(?P<sep>[.-]))(?P<b>\d{1,2})(?(sl) ?/ ?|(?P=sep))"
        r"(?P<c>\d{1,4})(?![\d/.-])"
    ),
    # "9 شوال 1436هـ", "الخميس 7 شوال 1436 هـ", "8/ 2/ 1433هـ": a Hijri date needs its year
    "hijri": re.compile(
        rf"(?:(?:{_DAY_WORD} )?{_WEEKDAY},? )?(?:{_ART})?(?P<d>\d{{1,2}})(?!\d) (?P<hm>{_alt(HIJRI_MONTHS)}),?"
        rf" (?P<y>\d{{4}})(?!\d)(?: ?(?:{_alt(_DATA.hijri_marks)}){_RB})?"
    ),
    # "ليل الخميس الجمعة", "ليلة الخميس/الجمعة": the night that ended on the second weekday
    "night_pair": re.compile(
        rf"(?:{_alt(_DATA.night_words)}) (?P<wd1>{_alt(WEEKDAYS)})"
        rf"(?: ?(?:{_alt(_DATA.night_joiners)}) ?| )(?P<wd>{_alt(WEEKDAYS)}){_RB}"
    ),
    "hijri_numeric": re.compile(
        rf"(?<![\d/.-])(?P<d>\d{{1,2}}) ?/ ?(?P<hmn>\d{{1,2}}) ?/ ?(?P<y>\d{{4}})(?!\d)"
        rf" ?(?:{_alt(_DATA.hijri_marks)}){_RB}"
    ),
}


class FoundDate(msgspec.Struct):
    """A date expression found in a folded string: [start, end) index that string."""

    start: int
    end: int
    basis: DateBasis
    precision: DatePrecision
    start_date: date | None = None
    end_date: date | None = None
    relative: RelativeDate | None = None


def _valid_year(text: str | None) -> int | None:
    if text is None:
        return None
    year = int(text)
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def _direction(marker: str | None) -> Literal["past", "next"] | None:
    kind = MARKERS.get(marker) if marker else None
    return kind if kind in ("past", "next") else None  # type: ignore[return-value]


def _year_offset(m: re.Match[str]) -> int:
    """The year offset of "of last year" / "of this year" written after a month."""
    return {"past": -1, "current": 0, "next": 1}[MARKERS[m["ymk"]]] if m["ymk"] else 0


def _from_day(m: re.Match[str]) -> FoundDate | None:
    day = int(m["d"]) if m["d"] else ORDINALS[m["od"]]
    month = MONTHS[m["m1"]]
    year = _valid_year(m["y"])
    if m["y"] and year is None:
        return None
    if year is not None:
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        d = date(year, month, day)
        return FoundDate(m.start(), m.end(), "explicit", "day", d, d)
    if not 1 <= day <= 31:
        return None
    if _named_by_date(m.string, m.start()):
        return None
    if m["yu"] or m["yu2"]:
        rel = RelativeDate(unit="year", offset_years=_year_offset(m), month=month, day=day)
        return FoundDate(m.start(), m.end(), "relative", "day", relative=rel)
    rel = RelativeDate(unit="calendar", month=month, day=day, direction=_direction(m["mk"]))
    return FoundDate(m.start(), m.end(), "relative", "day", relative=rel)


def _from_day_of_period(m: re.Match[str]) -> FoundDate | None:
    day = int(m["d"]) if m["d"] else ORDINALS[m["od"]]
    if not 1 <= day <= 31:
        return None
    offset = {"past": -1, "current": 0, "next": 1}[MARKERS[m["mk"]]]
    rel = RelativeDate(unit="month", offset_months=offset, day=day)
    return FoundDate(m.start(), m.end(), "relative", "day", relative=rel)


def _from_day_range(m: re.Match[str]) -> FoundDate | None:
    first, last, month = int(m["d1"]), int(m["d"]), MONTHS[m["m1"]]
    if not 1 <= first < last <= 31:
        return None
    year = _valid_year(m["y"])
    if m["y"] and year is None:
        return None
    if year is not None:
        if last > calendar.monthrange(year, month)[1]:
            return None
        return FoundDate(
            m.start(), m.end(), "explicit", "range", date(year, month, first), date(year, month, last)
        )
    rel = RelativeDate(unit="calendar", month=month, direction=_direction(m["mk"]))
    return FoundDate(m.start(), m.end(), "relative", "month", relative=rel)


def _named_by_date(text: str, start: int) -> bool:
    """Whether a yearless day and month at ``start`` (or a month after a day number) names a place
    or a movement ("ضاحية 6 أكتوبر", "ثورة 25 يناير"; ``named_by_date`` in calendar.json)."""
    words = text[max(0, start - 20) : start].split()
    if words and words[-1].isdigit():
        words = words[:-1]
    return bool(words) and words[-1].lstrip("وب") in NAMED_BY_DATE


def _from_month(m: re.Match[str]) -> FoundDate | None:
    month, part = MONTHS[m["m1"]], PARTS.get(m["pt"]) if m["pt"] else None
    if not m["y"] and _named_by_date(m.string, m.start()) and m.string[: m.start()].rstrip()[-1:].isdigit():
        return None
    if m["m1"] in AMBIGUOUS_MONTHS and not (m["m2"] or m["y"] or m["mk"]):
        return None
    precision: DatePrecision = "range" if part else "month"
    year = _valid_year(m["y"])
    if m["y"] and year is None:
        return None
    if year is not None:
        start, end = month_range(year, month, part)
        return FoundDate(m.start(), m.end(), "explicit", precision, start, end)
    if m["yu"] or m["yu2"]:
        rel = RelativeDate(unit="year", offset_years=_year_offset(m), month=month, part=part)
    else:
        rel = RelativeDate(unit="calendar", month=month, part=part, direction=_direction(m["mk"]))
    return FoundDate(m.start(), m.end(), "relative", precision, relative=rel)


def _from_year(m: re.Match[str]) -> FoundDate | None:
    year = _valid_year(m["y"])
    if year is None or not (m["pt"] or m["yw"] or m["prep"]):
        return None
    part = PARTS.get(m["pt"]) if m["pt"] else None
    start = m.start() if (m["pt"] or m["yw"]) else m.start("y")
    first, last = year_range(year, part)
    return FoundDate(start, m.end(), "explicit", "range" if part else "year", first, last)


def _from_period(m: re.Match[str]) -> FoundDate | None:
    if not (m["dem"] or m["mk"]):
        return None
    offset = {"past": -1, "current": 0, "next": 1}[MARKERS[m["mk"]]] if m["mk"] else 0
    unit, part = PERIOD_UNITS[m["u"]], PARTS.get(m["pt"]) if m["pt"] else None
    if unit == "week":
        rel = RelativeDate(unit="week", offset_weeks=offset)
        return FoundDate(m.start(), m.end(), "relative", "range", relative=rel)
    precision: DatePrecision = "range" if part else unit  # type: ignore[assignment]
    if unit == "month":
        rel = RelativeDate(unit="month", offset_months=offset, part=part)
    else:
        rel = RelativeDate(unit="year", offset_years=offset, part=part)
    return FoundDate(m.start(), m.end(), "relative", precision, relative=rel)


def _from_weekday(m: re.Match[str]) -> FoundDate | None:
    weekday = WEEKDAYS[m["wd"]]
    if m["rd"]:
        rel = RelativeDate(unit="day", offset_days=RELATIVE_DAYS[m["rd"]], weekday=weekday)
        end = m.end() if m["po"] else m.end("wd")
    else:
        shift = {"past": -1, "next": 7}.get(MARKERS[m["mk"]], 0) if m["mk"] else 0
        rel = RelativeDate(unit="weekday", weekday=weekday, offset_days=shift)
        end = m.end()
    return FoundDate(m.start(), end, "relative", "day", relative=rel)


def _from_night_pair(m: re.Match[str]) -> FoundDate | None:
    if WEEKDAYS[m["wd"]] != WEEKDAYS[m["wd1"]] % 7 + 1:
        return None  # two weekdays that are not one night apart: left to the weekday reader
    rel = RelativeDate(unit="weekday", weekday=WEEKDAYS[m["wd"]], offset_days=0)
    return FoundDate(m.start(), m.end(), "relative", "day", relative=rel)


def _from_relday(m: re.Match[str]) -> FoundDate | None:
    if m["next"] and m["next"] in TODAY_NOT_BEFORE:
        return None
    if m["next"] in _AGO_ANCHORS and m["rd"].split()[0] in AGO_WORDS:
        return None  # "قبل قليل من بدء المحاكمة": a moment before another event, not before publication
    before = m.string[max(0, m.start() - 12) : m.start()].split()
    if before and before[-1] in TODAY_NOT_AFTER:
        return None  # "عين اليوم": a title
    rel = RelativeDate(unit="day", offset_days=RELATIVE_DAYS[m["rd"]])
    return FoundDate(m.start(), m.end("rd"), "relative", "day", relative=rel)


def _from_ago(m: re.Match[str]) -> FoundDate | None:
    if m["next"] and m["next"] in _AGO_ANCHORS:
        return None
    unit, size = DURATION_UNITS[m["unit"]]
    if m["n"]:
        if size is not None and size != 1:
            return None
        count = int(m["n"]) if m["n"].isdigit() else CARDINALS[m["n"]]
    elif size is None:
        return None
    else:
        count = size
    offset = AGO_WORDS[m["dir"]] * count
    end = m.end("unit")
    if unit == "day":
        return FoundDate(
            m.start(), end, "relative", "day", relative=RelativeDate(unit="day", offset_days=offset)
        )
    if unit == "week":
        return FoundDate(
            m.start(), end, "relative", "range", relative=RelativeDate(unit="week", offset_weeks=offset)
        )
    if unit == "month":
        rel = RelativeDate(unit="month", offset_months=offset)
        return FoundDate(m.start(), end, "relative", "month", relative=rel)
    return FoundDate(
        m.start(), end, "relative", "year", relative=RelativeDate(unit="year", offset_years=offset)
    )


def _from_numeric(m: re.Match[str]) -> FoundDate | None:
    a, b, c = m["a"], int(m["b"]), m["c"]
    if len(a) == 4 and len(c) <= 2:
        year, month, day = int(a), b, int(c)
    elif len(c) == 4 and len(a) <= 2:
        year, month, day = int(c), b, int(a)
        if month > 12 >= day:
            month, day = day, month
    else:
        return None
    if not (
        YEAR_MIN <= year <= YEAR_MAX and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
    ):
        return None
    d = date(year, month, day)
    return FoundDate(m.start(), m.end(), "explicit", "day", d, d)


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """The Gregorian day of a Hijri date: from the first day of its month where the data gives it
    (Umm al-Qura), else by the arithmetic (tabular) Islamic calendar."""
    first = HIJRI_STARTS.get((year, month))
    if first is not None:
        return date.fromordinal(first.toordinal() + day - 1)
    julian_day = day + -(-59 * (month - 1) // 2) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439.5 - 1
    return date.fromordinal(int(julian_day - 1721424.5))


def _from_hijri(m: re.Match[str]) -> FoundDate | None:
    year, day = int(m["y"]), int(m["d"])
    month = HIJRI_MONTHS[m["hm"]] if m.groupdict().get("hm") else int(m["hmn"])
    if not (HIJRI_MIN <= year <= HIJRI_MAX and 1 <= month <= 12 and 1 <= day <= 30):
        return None
    d = hijri_to_gregorian(year, month, day)
    return FoundDate(m.start(), m.end(), "explicit", "day", d, d)


_AGO_ANCHORS = frozenset(fold(w) for w in _DATA.ago_anchor_words)
_BUILDERS = {
    "day": _from_day,
    "day_of_period": _from_day_of_period,
    "day_range": _from_day_range,
    "month": _from_month,
    "year": _from_year,
    "period": _from_period,
    "weekday": _from_weekday,
    "relday": _from_relday,
    "ago": _from_ago,
    "numeric": _from_numeric,
    "hijri": _from_hijri,
    "hijri_numeric": _from_hijri,
    "night_pair": _from_night_pair,
}


def _first_tokens(words: Any) -> set[str]:
    return {fold(w).split()[0] for w in words}


_DIGITS = "<digits>"
_PARTS_T, _RELDAY_T, _WEEKDAY_T = _first_tokens(PARTS), _first_tokens(RELATIVE_DAYS), _first_tokens(WEEKDAYS)
_DAY_WORD_T = _first_tokens(_DATA.day_word)
_PATTERN_STARTS: dict[str, set[str]] = {
    "day": _WEEKDAY_T | _DAY_WORD_T | _first_tokens(ORDINALS) | {_DIGITS},
    "day_of_period": _first_tokens(ORDINALS) | {_DIGITS},
    "day_range": {_DIGITS},
    "month": _PARTS_T | _first_tokens(_DATA.month_word) | _first_tokens(MONTHS),
    "year": _PARTS_T | _first_tokens(_DATA.year_words) | _first_tokens(_DATA.year_prepositions) | {_DIGITS},
    "period": _PARTS_T | _first_tokens(_DATA.demonstratives) | _first_tokens(PERIOD_UNITS),
    "weekday": _RELDAY_T | _DAY_WORD_T | _WEEKDAY_T,
    "relday": _RELDAY_T,
    "ago": _first_tokens(AGO_WORDS),
    "numeric": {_DIGITS},
    "hijri": _WEEKDAY_T | _DAY_WORD_T | {_DIGITS},
    "hijri_numeric": {_DIGITS},
    "night_pair": _first_tokens(_DATA.night_words),
}
_STARTS: dict[str, tuple[str, ...]] = {
    token: tuple(name for name, starts in _PATTERN_STARTS.items() if token in starts)
    for token in set().union(*_PATTERN_STARTS.values())
}


def _trie_regex(words: Any) -> str:
    """A regex matching any of ``words``, factored as a prefix tree (much faster than a flat alternation)."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = (
            branches[0] if len(branches) == 1 and len(branches[0]) == 1 else "(?:" + "|".join(branches) + ")"
        )
        return body + "?" if "" in node else body

    return build(root)


_ANCHOR = (
    rf"\b(?:{_alt(_DATA.clitics)})?(?P<t>{_trie_regex(t for t in _STARTS if t != _DIGITS)}|(?:{_ART})?\d+)\b"
)
_ANCHOR_RE = re.compile(_ANCHOR)
# The same anchor after the non-word character before it: a pattern that begins with a character
# class lets the search skip to the next such character, where one that begins with ``\b`` is
# tried at every character. Every opening word begins with a word character (tested), so past the
# start of the text the two find the same anchors.
_ANCHOR_AFTER_RE = re.compile(r"\W" + _ANCHOR)


def _anchors(norm: str) -> Iterator[re.Match[str]]:
    """``_ANCHOR_RE.finditer(norm)``, found by ``_ANCHOR_AFTER_RE`` past the start of the text."""
    first = _ANCHOR_RE.match(norm)
    if first is not None:
        yield first
    yield from _ANCHOR_AFTER_RE.finditer(norm, first.end() if first is not None else 0)


def _candidates(norm: str) -> list[tuple[int, str]]:
    """(position, pattern name) pairs: every word (after at most one clitic) that can open a date."""
    out: list[tuple[int, str]] = []
    for m in _anchors(norm):
        token = m["t"]
        key = _DIGITS if token[-1].isdigit() else token
        at = m.start("t")
        out.extend((at, name) for name in _STARTS[key])
    return out


def scan_dates(norm: str) -> list[FoundDate]:
    """Every date expression in a folded string, longest match first on overlaps, in text order.

    Used by ``find_dates`` on ``doc.norm`` and by the segmenter on single timestamp lines.
    Patterns are only tried where a word that can open a date expression stands.
    """
    found: list[FoundDate] = []
    for pos, name in _candidates(norm):
        m = _PATTERNS[name].match(norm, pos)
        item = _BUILDERS[name](m) if m else None
        if item is not None and item.end > item.start:
            found.append(item)
    found.sort(key=lambda f: (f.start - f.end, f.start))
    taken: list[FoundDate] = []
    for item in found:
        if all(item.end <= t.start or item.start >= t.end for t in taken):
            taken.append(item)
    taken.sort(key=lambda f: f.start)
    return taken


FUTURE_CUES = frozenset(fold(w) for w in _DATA.future_cues)
FUTURE_REACH = 10  # words before a bare weekday, in its clause, in which a future cue turns it forward
UPCOMING = 6  # a weekday within the six days after publication, or that very day
_WAS = frozenset({"كان", "كانت", "كانوا", "كانا"})
_DAY_FILLERS = frozenset({"و", "يوم", "يومي"}) | frozenset(fold(w) for w in _DATA.day_word)


def _forward_if_upcoming(norm: str, item: FoundDate) -> FoundDate:
    """A bare weekday after a future cue in the same clause ("سيعقد المجلس يومي الثلاثاء والأربعاء")
    is the coming one: in a Friday article "تعقد الجلسة السبت" is the next day, not six days ago."""
    rel = item.relative
    if rel is None or rel.unit != "weekday" or rel.offset_days != 0 or rel.offset_weeks != 0:
        return item
    before = norm[max(0, item.start - 80) : item.start]
    clause = re.split(r"[.,:;!?()]", before)[-1].split()
    words = [w for w in clause if w not in _DAY_FILLERS and w.lstrip("و") not in WEEKDAYS][-FUTURE_REACH:]
    if not any(w in FUTURE_CUES or (w[:1] in ("و", "ف") and w[1:] in FUTURE_CUES) for w in words):
        return item
    if any(w.lstrip("وف") in _WAS for w in clause):
        return item  # "وكان من المقرر أن يصل الوفد الخميس": what was planned, seen afterwards
    return msgspec.structs.replace(item, relative=msgspec.structs.replace(rel, offset_days=UPCOMING))


def find_dates(doc: Document) -> None:
    """Fill ``doc.dates`` with every date expression, resolved against the publication date.

    Expressions inside boilerplate segments are skipped; relative ones stay unresolved (with
    their ``relative`` kept) when the publication date is unknown.
    """
    boiler = [(s.start, s.end) for s in doc.segments if s.kind == "boilerplate"]
    published = doc.publication.date
    items = [_forward_if_upcoming(doc.norm, item) for item in scan_dates(doc.norm)]
    if published is not None:
        published = written_on([i.relative for i in items if i.relative is not None], published)
    mentions: list[DateMention] = []
    for item in items:
        start, end = doc.span_of_norm(item.start, item.end)
        while end < len(doc.text) and not fold_char(doc.text[end]):
            end += 1  # keep trailing diacritics/tatweel with their word
        if any(b0 <= start < b1 for b0, b1 in boiler):
            continue
        first, last, precision = item.start_date, item.end_date, item.precision
        if item.relative is not None and first is None and published is not None:
            with contextlib.suppress(ValueError):
                first, last, precision = resolve_relative(item.relative, published)
        mentions.append(
            DateMention(
                start=start,
                end=end,
                text=doc.text[start:end],
                basis=item.basis,
                precision=precision,
                start_date=first,
                end_date=last,
                relative=item.relative,
            )
        )
    mentions.append(lead_day(doc, published))
    doc.dates = mentions


LEAD_TEXT = ""  # the lead day is written nowhere: a zero-width mention at the end of the text


def lead_day(doc: Document, published: date | None) -> DateMention:
    """The day an article's lead tells of when the article names none: ``lead_days_before`` its
    publication day (``calendar.json``, by outlet), as one zero-width ``inferred`` mention at the
    end of the text, always the last of ``doc.dates``. Only the event stage's lead pass gives it to
    an event (``events.find._date_from_lead``); it starts after every sentence, so no pass that
    looks for dates inside a sentence sees it. Unresolved (its ``relative`` kept) when the
    publication day is unknown; the cross-article merge resolves it once it infers that day."""
    outlet = (doc.meta.outlet or "").lower()
    back = _DATA.lead_days_before_by_outlet.get(outlet, _DATA.lead_days_before)
    relative = RelativeDate(unit="day", offset_days=-back)
    first: date | None = None
    last: date | None = None
    precision: DatePrecision = "unknown"
    if published is not None:
        first, last, precision = resolve_relative(relative, published)
    end = len(doc.text)
    return DateMention(
        start=end,
        end=end,
        text=LEAD_TEXT,
        basis="inferred",
        precision=precision,
        start_date=first,
        end_date=last,
        relative=relative,
    )
