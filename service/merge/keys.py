"""Blocking keys of event reports: which reports the merge compares at all.

A report (``EventUnit``) is only ever compared with reports it shares a key with, in a full build
and in an incremental one alike, so both give the same events by construction; the keys are stored
(indexed) with each report, and an incremental merge finds a new report's candidates by them.

- An *anchor* is a participant (``a:``) or the place (``l:``) of a report, with its type.
- Across articles a key is an anchor plus a *window*. A report dated to within ``precise_days``
  covers the fine windows (``window_days``) of its dates, plus ``date_tolerance_days``, so two such
  reports close enough to merge always share one. Every dated report also covers the coarse windows
  (``coarse_days``) of its dates, and an undated report in a dated article those within
  ``undated_days`` of publication; a coarse key only pairs two reports when one of them is *vague*
  (undated, or dated to a month, a year or a long range). So a key never spans years (no event
  gathers reports from 2015 and 2018), and a busy actor's reports split into short windows:
  two precisely dated reports are compared only when their dates are within days.
- An undated report in an article with no publication date (even after inference) has no window:
  it is a *wildcard*, compared with every report sharing a type and anchor (``cross``), whatever
  their dates (a yearless "9 أيلول" included; ``match_score`` checks the dates). Articles without
  a date are rare in a feed; each such report costs a look-up over its anchors' reports.
- Countries, and KB actors of the ``ubiquitous_categories`` (news agencies, outlets), are never
  anchors across articles: two articles' reports never meet through them alone.
- Three more kinds of anchor cross articles (``event_units``): a place also by its name across
  granularity (``l:p:<name>``: "محافظة ديالى" and "ديالى", "مرفأ عدن" and "ميناء عدن"), a toll of at
  least ``same_toll_min`` killed (``k:<killed>``), and ``copy_hashes`` min-hash keys of a sentence's
  content words (``q:<i>.<hash>``: one wire sentence relayed by several outlets). A pair met only
  through copy keys can be joined by the copy rule alone (``event_units.anchored``), and the copy
  rule needs the two reports' dates to overlap (``date_gap`` 0). So a copy key is *not* put in the
  fine windows: it is keyed by the report's coarse windows only, and two reports sharing one are
  compared whether or not one is vague (``copy_windows``; family ``s:`` in ``found_by``). Every pair
  the copy rule can join is still found: two dated reports whose dates overlap share a coarse
  window, and an undated report in a dated article meets a dated one on its coarse windows exactly
  as before; the pairs this adds (two precise reports in one coarse window, more than
  ``date_tolerance_days`` apart) are refused by ``match_score``'s first test, and the ones it drops
  (two precise reports a day apart across a coarse boundary, met by nothing but a copy key) could
  never be joined (not a copy: their dates do not overlap; not anchored). Without a copy key in the
  fine windows a report has a quarter fewer key rows (``merge_unit_keys``: 65 a report against 85
  on 5,000 SaudiNewsNet articles); the candidate pairs are about as many (docs/benchmarks.md).
- Within one article any shared anchor is enough (``anchors``), ubiquitous or not.
- Publication-date inference looks a relative date up by type and anchor without a window
  (``pins``): an undated article has no window to search.
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta
from functools import cache, lru_cache

from service.extract.actors.knowledge import knowledge
from service.merge.rules import MergeRules


@cache
def _category(kb_id: str) -> str | None:
    entry = knowledge().entries.get(kb_id)
    return entry.category if entry else None


def kb_category(kb_id: str | None) -> str | None:
    """The knowledge-base category of an actor's KB entry (None when it has none)."""
    return _category(kb_id) if kb_id else None


def cross_anchor(kind: str, kb_id: str | None, rules: MergeRules) -> bool:
    """Whether an actor of this kind (and KB id) may tie reports of different articles."""
    if kind == "country":
        return False
    return not (kb_id and _category(kb_id) in rules.blocking.ubiquitous_categories)


def windows(
    start: date | None, end: date | None, published: date | None, rules: MergeRules
) -> tuple[list[str], list[str], bool]:
    """A report's fine windows, its coarse windows, and whether it is vague (see the module
    docstring). An undated report in an undated article has neither (it is a wildcard)."""
    b = rules.blocking
    if start is not None:
        end = end or start
        hi = end + timedelta(days=rules.match.date_tolerance_days)
        vague = (end - start).days > b.precise_days
        fine = [] if vague else _buckets(start, hi, b.window_days)
        return fine, _buckets(start, hi, b.coarse_days), vague
    if published is not None:
        span = timedelta(days=b.undated_days)
        return [], _buckets(published - span, published + span, b.coarse_days), True
    return [], [], False


def _buckets(lo: date, hi: date, days: int) -> list[str]:
    return [str(w) for w in range(lo.toordinal() // days, hi.toordinal() // days + 1)]


def window_keys(plover_type: str, anchors: list[str], spans: list[str], copies: bool = True) -> list[str]:
    """Keys of the anchors that tie reports across articles, one per window; without ``copies``,
    not those of the copy keys (``q:``: they are keyed by coarse window only, ``copy_windows``)."""
    return [f"{plover_type}|{a}|{w}" for a in anchors if copies or not a.startswith("q:") for w in spans]


@lru_cache(maxsize=1 << 15)
def min_hash_keys(words: frozenset[str], hashes: int) -> tuple[str, ...]:
    """The ``hashes`` min-hash copy keys of a sentence's content words (``q:<i>.<hash>``, hash ``i``
    the least CRC-32 of ``"<i>:<word>"``). The CRC of the prefix ``"<i>:"`` is computed once and each
    word's is continued from it (``zlib.crc32(word, crc(prefix))`` is the CRC of the concatenation),
    so a word is encoded once, not once per hash: the same keys, a fraction of the work."""
    encoded = [w.encode() for w in words]
    return tuple(
        f"q:{i}.{min(zlib.crc32(b, prefix) for b in encoded)}" for i, prefix in enumerate(_prefixes(hashes))
    )


@cache
def _prefixes(hashes: int) -> tuple[int, ...]:
    return tuple(zlib.crc32(f"{i}:".encode()) for i in range(hashes))


def is_copy_key(key: str) -> bool:
    """Whether a ``type|anchor[|window]`` key is a copy key (anchor ``q:``)."""
    return key.split("|", 2)[1].startswith("q:")


@lru_cache(maxsize=1 << 16)
def copy_windows(coarse: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A report's coarse keys split into the plain ones (paired when one report is vague) and the
    copy keys' (paired whatever the vagueness: the copy rule's windows, see the module docstring)."""
    plain = tuple(k for k in coarse if not is_copy_key(k))
    return plain, tuple(k for k in coarse if is_copy_key(k))


def is_count_key(key: str) -> bool:
    """Whether a ``type|anchor[|window]`` key is a count anchor (``n:``, ``event_units.count_keys``)."""
    return key.split("|", 2)[1].startswith("n:")


@lru_cache(maxsize=1 << 16)
def copy_split(cross: tuple[str, ...]) -> tuple[bool, frozenset[str]]:
    """Whether a report's ``cross`` anchors hold a copy key or a count anchor (keys that pair
    reports only for the copy and near-count rules), and its other ``cross`` anchors (computed
    once per report, not once per pair: ``event_units.anchored``)."""
    plain = frozenset(k for k in cross if not (is_copy_key(k) or is_count_key(k)))
    return len(plain) < len(cross), plain


def pin_keys(plover_type: str, anchors: list[str]) -> list[str]:
    """Keys publication-date inference looks dated reports up by."""
    return [f"{plover_type}|{a}" for a in anchors]
