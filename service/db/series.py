"""Timelines as one series per group (``shape=dense`` or ``shape=sparse``): the counts of
``Timeline``'s buckets as integer arrays, one per group, instead of a JSON object per point.

A daily timeline of the 20 busiest actors over five years is 36,540 points: as bucket objects,
3.3 MB of JSON and, in the database, a sort of every point by period; as series, 20 arrays built
while the rollup rows of each value are read in (value, day) order from their index. The arrays are
positions on one axis: period ``i`` is ``start`` plus ``i`` intervals. ``dense`` has a count for
every period (zeros included), ``sparse`` only the periods with events and their ``offsets``.

The default shape (``Timeline``'s buckets) is read by the same statement when the rollups cover
the filter (``rollup_timeline``): the groups' arrays are laid out as buckets in Python (a sort of
small integers per period), which costs less than Postgres sorting every point by period and count
(at 1M events, Postgres CPU 25 -> 9 ms for the daily 20-actor timeline). The API sends that answer
as JSON built from the arrays (``rollup_timeline_json``: the same bytes as encoding the buckets,
without a Python object per bucket).

Both shapes hold at most ``MAX_TIMELINE_BUCKETS`` counts, as the buckets do: sparse counts the
periods with events, dense every period of every series (zeros too), so a dense daily timeline over
many years is refused where the sparse one is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import asyncpg
import msgspec

from service.db import rollups, stats
from service.models import Timeline, TimelineBucket, TimelineSeries, TimelineSeriesSet

SHAPES = ("buckets", "dense", "sparse")
# One group's points: key, label, offsets (intervals after the anchor, ascending), counts.
Points = tuple[str | None, str | None, list[int], list[int]]


def period_start(interval: str, d: date) -> date:
    """The first day of the ``interval`` period holding ``d`` (weeks start on Monday)."""
    if interval == "week":
        return d - timedelta(days=d.weekday())
    if interval == "month":
        return d.replace(day=1)
    if interval == "year":
        return d.replace(month=1, day=1)
    return d


def offset(interval: str, anchor: date, period: date) -> int:
    """How many intervals ``period`` lies after ``anchor`` (both first days of their periods)."""
    if interval == "month":
        return (period.year - anchor.year) * 12 + period.month - anchor.month
    if interval == "year":
        return period.year - anchor.year
    days = (period - anchor).days
    return days // 7 if interval == "week" else days


def shift(interval: str, anchor: date, n: int) -> date:
    """The period ``n`` intervals after ``anchor``."""
    if interval == "month":
        months = anchor.year * 12 + anchor.month - 1 + n
        return date(months // 12, months % 12 + 1, 1)
    if interval == "year":
        return date(anchor.year + n, 1, 1)
    return anchor + timedelta(days=7 * n if interval == "week" else n)


def axis(w: rollups.Window, interval: str) -> tuple[date, int]:
    """The anchor (the period of ``from``, else of the first year with data) and the offset of the
    last period (of ``to``, else of the last year with data)."""
    c = w.cover
    anchor = period_start(interval, c.date_from or w.first)
    return anchor, offset(interval, anchor, period_start(interval, c.date_to or w.last))


def build(
    interval: str,
    group_by: str,
    shape: str,
    totals: tuple[int, int, bool],
    anchor: date,
    last: int,
    groups: Iterable[Points],
) -> TimelineSeriesSet:
    """The answer from each group's points; totals = (total, undated, truncated). Raises the
    timeline's 400 (``stats.too_many``) over ``stats.MAX_TIMELINE_BUCKETS`` counts."""
    groups = list(groups)
    lo = min([0, *(offs[0] for _, _, offs, _ in groups if offs)])
    hi = max([last, *(offs[-1] for _, _, offs, _ in groups if offs)])
    periods = max(hi - lo + 1, 0)
    points = periods * len(groups) if shape == "dense" else sum(len(c) for _, _, _, c in groups)
    if points > stats.MAX_TIMELINE_BUCKETS:
        stats.too_many()
    series = []
    for key, label, offs, counts in groups:
        if shape == "dense":
            dense = [0] * periods
            for o, n in zip(offs, counts, strict=True):
                dense[o - lo] = n
            one = TimelineSeries(key=key, label=label, total=sum(counts), counts=dense)
        else:
            moved = [o - lo for o in offs] if lo else offs
            one = TimelineSeries(key=key, label=label, total=sum(counts), counts=counts, offsets=moved)
        series.append(one)
    series.sort(key=lambda s: (-s.total, s.key or ""))
    total, undated, truncated = totals
    return TimelineSeriesSet(
        interval=interval,  # type: ignore[arg-type]
        group_by=group_by,  # type: ignore[arg-type]
        shape=shape,  # type: ignore[arg-type]
        total=total,
        undated=undated,
        truncated=truncated and bool(series),
        start=shift(interval, anchor, lo),
        periods=periods,
        series=series,
    )


def from_buckets(timeline: Timeline, shape: str, anchor: date, last: int) -> TimelineSeriesSet:
    """The series shape of a bucket timeline (a filter counted from the events)."""
    groups: dict[str | None, Points] = {}
    for b in timeline.buckets:  # in period order
        _, _, offs, counts = groups.setdefault(b.key, (b.key, b.label, [], []))
        offs.append(offset(timeline.interval, anchor, b.period))
        counts.append(b.count)
    totals = (timeline.total, timeline.undated, timeline.truncated)
    return build(timeline.interval, timeline.group_by, shape, totals, anchor, last, groups.values())


async def rollup_points(
    conn: asyncpg.Connection, cover: rollups.Cover, interval: str, group_by: str, group_limit: int
) -> tuple[asyncpg.Record, date, int, list[asyncpg.Record]]:
    """rollups.series_statement's answer for a filter the rollups cover: its first row (totals,
    truncated), the axis (anchor, offset of the last period) and one row per group, in key order
    (``ord``). Raises the timeline's 400 over ``stats.MAX_TIMELINE_BUCKETS`` points."""
    w = await rollups.window(conn, cover)
    anchor, last = axis(w, interval)
    cap = stats.MAX_TIMELINE_BUCKETS
    groups = 1 if group_by == "none" else group_limit
    guard = cap if (last + 1) * groups > cap else None  # else the window alone bounds the points
    sql, args = rollups.series_statement(w, interval, group_by, group_limit, anchor, guard)
    records = await conn.fetch(sql, *args)
    head = next(r for r in records if r["head"])
    if head["points"] is not None and head["points"] > cap:
        stats.too_many()
    rows = sorted((r for r in records if not r["head"]), key=lambda r: r["ord"])
    return head, anchor, last, rows


async def rollup_series(
    conn: asyncpg.Connection,
    cover: rollups.Cover,
    interval: str,
    group_by: str,
    group_limit: int,
    shape: str,
) -> TimelineSeriesSet:
    """The series answer from the rollups, for a filter they cover (rollups.covers_timeline)."""
    head, anchor, last, records = await rollup_points(conn, cover, interval, group_by, group_limit)
    rows = [(r["key"], r["label"], r["offsets"], r["counts"]) for r in records]
    totals = (head["total"], head["undated"], bool(head["truncated"]))
    return build(interval, group_by, shape, totals, anchor, last, rows)


async def rollup_timeline(
    conn: asyncpg.Connection, cover: rollups.Cover, interval: str, group_by: str, group_limit: int
) -> Timeline:
    """The default (buckets) answer from the rollups, for a filter they cover: the series
    statement's arrays laid out as one bucket per (period, group), in the buckets' order (period,
    then count descending, then key). The series statement reads each group's rollup rows in
    index order; the per-period statement it replaced sorted every point by period and count in
    Postgres (40 of the 56 ms of the daily 20-actor timeline at 1M events)."""
    head, anchor, _, records = await rollup_points(conn, cover, interval, group_by, group_limit)
    buckets = to_buckets(
        interval, anchor, [(r["key"], r["label"], r["offsets"], r["counts"]) for r in records]
    )
    return Timeline(
        interval=interval,  # type: ignore[arg-type]
        group_by=group_by,  # type: ignore[arg-type]
        total=head["total"],
        undated=head["undated"],
        truncated=bool(buckets and head["truncated"]),
        buckets=buckets,
    )


def _period_span(groups: list[Points]) -> tuple[int, int] | None:
    """The first and last period offset of groups' points (None: no point). Raises the
    timeline's 400 over the bucket limit (``to_buckets`` and ``bucket_pieces``)."""
    if sum(len(counts) for _, _, _, counts in groups) > stats.MAX_TIMELINE_BUCKETS:
        stats.too_many()
    if not any(offs for _, _, offs, _ in groups):
        return None
    return min(offs[0] for _, _, offs, _ in groups if offs), max(offs[-1] for _, _, offs, _ in groups if offs)


def to_buckets(interval: str, anchor: date, groups: list[Points]) -> list[TimelineBucket]:
    """The buckets of groups' points (groups in key order): periods ascending, then count
    descending, then the group's place. Raises the timeline's 400 over the bucket limit.

    Each point becomes one sortable integer in its period's slot (count descending, then place),
    so a period's order is a sort of small integers, and a bucket is made from it directly."""
    bounds = _period_span(groups)
    if bounds is None:
        return []
    n, (lo, hi) = len(groups), bounds
    slots: list[list[int]] = [[] for _ in range(hi - lo + 1)]
    for place, (_, _, offs, counts) in enumerate(groups):
        for o, c in zip(offs, counts, strict=True):
            slots[o - lo].append(place - c * n)  # 0 <= place < n: (order // n, order % n) = (-c, place)
    keys = [key for key, _, _, _ in groups]
    labels = [label for _, label, _, _ in groups]
    out: list[TimelineBucket] = []
    extend = out.extend
    for i, slot in enumerate(slots):
        if slot:
            period = shift(interval, anchor, lo + i)
            slot.sort()
            extend(
                [
                    TimelineBucket(period=period, key=keys[o % n], label=labels[o % n], count=-(o // n))
                    for o in slot
                ]
            )
    return out


def bucket_pieces(interval: str, anchor: date, groups: list[Points]) -> list[bytes]:
    """The JSON of ``to_buckets(interval, anchor, groups)``'s buckets, in pieces to join between
    ``[`` and ``]``: the same bytes as encoding those buckets, made without a Python object per
    bucket. Raises the timeline's 400 over the bucket limit.

    Each point gets one integer whose order is the buckets' (period, then count descending, then
    the group's place); one sort of the point numbers by it gives the bucket order, and each
    bucket is two pieces shared by many: its period's ``{"period":...,`` and its group's
    ``"key":...,"label":...,"count":N},`` for that count. At 36,540 buckets (the daily timeline of
    20 actors over five years) this takes about three quarters of the CPU of making and encoding
    the buckets, and allocates no object the garbage collector tracks."""
    bounds = _period_span(groups)
    if bounds is None:
        return []
    n, (lo, hi) = len(groups), bounds
    top = max(max(counts) for _, _, _, counts in groups if counts)
    span = (top + 1) * n  # one period's order numbers: (top - count) * n + place
    heads = [
        b'{"period":"%s",' % shift(interval, anchor, lo + i).isoformat().encode() for i in range(hi - lo + 1)
    ]
    order: list[int] = []
    starts: list[bytes] = []
    rests: list[bytes] = []
    for place, (key, label, offs, counts) in enumerate(groups):
        first = place + top * n - lo * span
        order.extend([o * span + first - c * n for o, c in zip(offs, counts, strict=True)])
        starts.extend([heads[o - lo] for o in offs])
        tail = b'"key":%s,"label":%s,"count":' % (msgspec.json.encode(key), msgspec.json.encode(label))
        rest = {c: b"%s%d}," % (tail, c) for c in set(counts)}
        rests.extend(map(rest.__getitem__, counts))
    ranked = sorted(range(len(order)), key=order.__getitem__)
    pieces = [b""] * (2 * len(ranked))
    pieces[0::2] = map(starts.__getitem__, ranked)
    pieces[1::2] = map(rests.__getitem__, ranked)
    pieces[-1] = pieces[-1][:-1]  # no comma after the last bucket
    return pieces


async def rollup_timeline_json(
    conn: asyncpg.Connection, cover: rollups.Cover, interval: str, group_by: str, group_limit: int
) -> bytes:
    """``rollup_timeline``'s answer as JSON: the same bytes as encoding it (``bucket_pieces``)."""
    head, anchor, _, records = await rollup_points(conn, cover, interval, group_by, group_limit)
    pieces = bucket_pieces(
        interval, anchor, [(r["key"], r["label"], r["offsets"], r["counts"]) for r in records]
    )
    shell = Timeline(
        interval=interval,  # type: ignore[arg-type]
        group_by=group_by,  # type: ignore[arg-type]
        total=head["total"],
        undated=head["undated"],
        truncated=bool(pieces and head["truncated"]),
        buckets=[],
    )
    encoded = msgspec.json.encode(shell)  # ends with "buckets":[]}
    return b"".join([encoded[:-2], *pieces, b"]}"])
