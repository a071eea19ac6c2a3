"""Copy keys in coarse windows only (``keys.copy_windows``, family ``s:``) find every pair the copy
rule can join that copy keys in every window found, and no other such pair.

The oracle is the keying of 0.6.14-0.6.17, kept here: copy keys windowed like every anchor (fine,
coarse, cross) and paired by ``w:``/``v:``/``u:``/``c:``/``x:``. Reports sharing only a copy key can
be joined by the copy rule alone, which needs a date gap of 0 (``match_score``); over a grid of
report dates (day-precise, a few days, a month, undated in a dated article, undated in an undated
article) and publication dates, the copy-joinable pairs the two keyings find are the same, with
``candidate_pairs`` over all reports and with ``only`` (the incremental look-up)."""

from __future__ import annotations

import zlib
from datetime import date, timedelta
from itertools import product

from service.merge import keys as K
from service.merge.event_clusters import candidate_pairs
from service.merge.event_units import EventUnit, date_gap
from service.merge.pair_index import shared_key_pairs
from service.merge.rules import merge_rules

COPY = "q:0.123"


def unit(n: int, start: date | None, end: date | None, published: date | None) -> EventUnit:
    """A report that names nothing but a copy key (as ``event_units.unit_of`` keys it)."""
    rules = merge_rules()
    fine, coarse, vague = K.windows(start, end, published, rules)
    cross = [COPY]
    return EventUnit(
        key=(f"doc{n:03d}", 0),
        type="CONSULT",
        mode=None,
        status="occurred",
        actors=(),
        core=frozenset(),
        countries=frozenset(),
        location=None,
        start=start,
        end=end,
        precision="day" if start is not None and start == end else "unknown",
        basis=None,
        keys=tuple(sorted(K.window_keys("CONSULT", cross, fine, copies=False))),
        coarse=tuple(sorted(K.window_keys("CONSULT", cross, coarse))),
        vague=vague,
        cross=tuple(sorted(K.pin_keys("CONSULT", cross))),
        wildcard=not coarse,
        published=published,
    )


def old_keys(u: EventUnit) -> tuple[list[str], list[str]]:
    """``found_by`` and ``looks_up`` of 0.6.17: the copy key in every window family."""
    fine, _, _ = K.windows(u.start, u.end, u.published, merge_rules())
    keys = K.window_keys(u.type, [COPY], fine)
    found = [f"w:{k}" for k in keys] + [f"v:{k}" for k in u.coarse] + [f"c:{k}" for k in u.cross]
    looks = [f"w:{k}" for k in keys] + [f"x:{k}" for k in u.cross]
    found += [f"u:{k}" for k in u.coarse] if u.vague else []
    found += [f"x:{k}" for k in u.cross] if u.wildcard else []
    looks += [f"v:{k}" for k in u.coarse] if u.vague else [f"u:{k}" for k in u.coarse]
    looks += [f"c:{k}" for k in u.cross] if u.wildcard else []
    return found, looks


def reports() -> list[EventUnit]:
    base = date(2015, 7, 1)
    units: list[EventUnit] = []
    for day, span, pub in product(range(0, 30, 1), (None, 0, 3, 30), (0, 1, 3)):
        published = base + timedelta(days=day + pub)
        if span is None:
            units.append(unit(len(units), None, None, published))
        else:
            start = base + timedelta(days=day)
            units.append(unit(len(units), start, start + timedelta(days=span), published))
    units.append(unit(len(units), None, None, None))  # a wildcard
    units.append(unit(len(units), base + timedelta(days=9), base + timedelta(days=9), None))
    return units


def copyable(pairs: list[tuple[EventUnit, EventUnit]]) -> set[tuple[tuple[str, int], tuple[str, int]]]:
    """The pairs the copy rule can join: a date gap of 0 (``match_score`` refuses any other)."""
    return {(a.key, b.key) for a, b in pairs if date_gap(a, b) == 0}


def test_copy_keys_in_coarse_windows_find_the_same_copyable_pairs() -> None:
    units = reports()
    old = {u.key: old_keys(u) for u in units}
    before = shared_key_pairs(units, None, lambda u: old[u.key][0], lambda u: old[u.key][1])
    after = candidate_pairs(units)
    assert copyable(after) == copyable(before)
    assert len(copyable(before)) > 1000  # the grid exercises the rule
    # Incremental: the newest tenth of the reports looking up the others finds the same pairs.
    only = {u.key for u in units[-len(units) // 10 :]}
    assert copyable(candidate_pairs(units, only)) == copyable(
        shared_key_pairs(units, only, lambda u: old[u.key][0], lambda u: old[u.key][1])
    )


def test_copy_keys_are_stored_in_fewer_rows() -> None:
    units = reports()
    old_rows = sum(len(old_keys(u)[0]) for u in units)
    from service.merge.event_clusters import found_by

    assert sum(len(found_by(u, within=False)) for u in units) < old_rows


def test_min_hash_keys_are_the_reference_min_hashes() -> None:
    words = frozenset(["الملك", "يستقبل", "وزير", "خارجية", "فرنسا", "قصر", "السلام", "جدة"])
    reference = [f"q:{i}.{min(zlib.crc32(f'{i}:{w}'.encode()) for w in words)}" for i in range(4)]
    assert list(K.min_hash_keys(words, 4)) == reference
