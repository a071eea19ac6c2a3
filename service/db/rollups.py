"""The timeline and facets from the rollups (migrations 0005 and 0006), when they cover the filter.

The rollups count events per (grain, period, dim, value, type, status): ``stats_rollup`` by the
day, month and year of ``date.start``, ``stats_ranges`` by exact (start, end) for events that span
several days. Triggers keep them exact in every write transaction, so an answer from them is the
same as counting the events, at a cost that depends on the number of periods and values, not on the
number of events:

- a window [from, to] is the union of whole years, months and days (``window_spans``), summed from
  the coarsest grain that fits; events that start before ``from`` and still run at ``from`` also
  overlap it, and come from ``stats_ranges`` (a GiST index finds the ranges that contain a day);
- ``type`` and ``status`` are columns of every row, so they filter any facet or grouping;
- one more dimension filter with one value (``actor``, ``country``, ``location``, ``via``,
  ``outlet``, ``mode``, ``has_conflict``) is covered when the counts asked for are by type, status
  or in total: the rows of that value carry them.

Any other filter (``q``, ``source``, ``min_sources``, ``updated_since``, several actors ...) is not
covered: those requests count the events themselves (``service.db.stats``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import asyncpg

from service.db.filters import Filter

# facet or grouping name -> its rollup dim; type and status are columns of every row (dim '*').
DIMS = {
    "mode": "mode",
    "cameo": "cameo",
    "date_precision": "date_precision",
    "has_conflict": "has_conflict",
    "location": "location",
    "actor": "actor",
    "country": "country",
    "outlet": "outlet",
    "via": "via",
}
COLUMN_DIMS = {"type": "plover_type", "status": "status"}
ACTOR_DIMS = ("location", "actor", "country", "via")  # values are actor ids: labelled by name
# Filters that can be the one dimension filter, and how their parsed value becomes the dim's value.
DIM_FILTERS = ("actor", "country", "location", "via", "outlet", "mode", "has_conflict")
GRAINS = ("d", "m", "y")
INTERVAL_GRAIN = {"day": "d", "week": "d", "month": "m", "year": "y"}


@dataclass(frozen=True)
class Cover:
    """A filter the rollups answer exactly: a date window, types, statuses, and one dimension value."""

    date_from: date | None = None
    date_to: date | None = None
    types: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None
    dim: tuple[str, str] | None = None

    @property
    def dated(self) -> bool:
        return self.date_from is not None or self.date_to is not None


def cover(conditions: list[tuple[str, Filter, list[Any]]]) -> Cover | None:
    """The Cover of these parsed filters (name, spec, values; actor values resolved to id lists,
    one list per condition), or None when a filter is outside what the rollups count."""
    found: dict[str, Any] = {}
    dims: list[tuple[str, str]] = []
    for name, _, values in conditions:
        if name in ("from", "to"):
            found[name] = values[0]
        elif name in ("type", "status"):
            if name in found:
                return None
            found[name] = tuple(values[0])
        elif name in DIM_FILTERS:
            value = _dim_value(name, values)
            if value is None:
                return None
            dims.append((DIMS[name], value))
        else:
            return None
    if len(dims) > 1:
        return None
    return Cover(
        date_from=found.get("from"),
        date_to=found.get("to"),
        types=found.get("type"),
        statuses=found.get("status"),
        dim=dims[0] if dims else None,
    )


def _dim_value(name: str, values: list[Any]) -> str | None:
    """The one value of a dimension filter, or None when it has several (their counts overlap)."""
    value = values[0]
    if name == "has_conflict":
        return "true" if value else "false"
    if isinstance(value, list):
        return value[0] if len(value) == 1 else None
    return None


# ---- windows ------------------------------------------------------------------------------------

_FIRST, _LAST = date(1, 1, 1), date(9999, 12, 31)


def _start(grain: str, d: date) -> date:
    """The first day of the ``grain`` period holding ``d``."""
    if grain == "y":
        return d.replace(month=1, day=1)
    if grain == "m":
        return d.replace(day=1)
    return d


def _next(grain: str, d: date) -> date | None:
    """The first day of the period after the one starting at ``d`` (None past year 9999)."""
    try:
        if grain == "y":
            return d.replace(year=d.year + 1)
        if grain == "m":
            return d.replace(year=d.year + 1, month=1) if d.month == 12 else d.replace(month=d.month + 1)
        return d + timedelta(days=1)
    except (ValueError, OverflowError):
        return None


def window_spans(first: date, last: date, coarsest: str) -> list[tuple[str, date, date]]:
    """(grain, first bucket, last bucket) ranges whose periods cover exactly the days [first, last],
    each from the coarsest grain (up to ``coarsest``) whose whole periods fit."""
    if first > last:
        return []
    grains = GRAINS[: GRAINS.index(coarsest) + 1]
    grain = grains[-1]
    if grain == "d":
        return [("d", first, last)]
    finer = grains[-2]
    begin = first if _start(grain, first) == first else _next(grain, _start(grain, first))
    holding_last = _start(grain, last)
    after_last = _next(grain, holding_last)
    if (after_last - timedelta(days=1) if after_last else _LAST) == last:
        end: date | None = holding_last
    else:
        end = _start(grain, holding_last - timedelta(days=1)) if holding_last > _FIRST else None
    if begin is None or end is None or begin > end:
        return window_spans(first, last, finer)
    after = _next(grain, end)
    head = window_spans(first, begin - timedelta(days=1), finer) if begin > first else []
    tail = window_spans(after, last, finer) if after is not None and after <= last else []
    return [*head, (grain, begin, end), *tail]


# ---- statements ---------------------------------------------------------------------------------

LINK_DIMS = ("actor", "country", "outlet", "via", "location")  # with rows for all types and statuses
STEP = {"d": timedelta(days=1)}


class Statement:
    """A statement over the rollups, its ``$n`` parameters bound as they are added."""

    def __init__(self) -> None:
        self.args: list[Any] = []

    def param(self, value: Any) -> str:
        self.args.append(value)
        return f"${len(self.args)}"


@dataclass(frozen=True)
class Window:
    """A Cover's dates as rollup periods: the spans of whole periods (up to a grain), and the
    events running at ``from`` (started before it) that also overlap."""

    cover: Cover
    first: date  # the extent of the data bounds an open end
    last: date

    def spans(self, coarsest: str) -> list[tuple[str, date, date]]:
        c = self.cover
        return window_spans(
            max(c.date_from or self.first, _FIRST), min(c.date_to or self.last, _LAST), coarsest
        )

    def ranges(self, coarsest: str, undated: bool = True) -> list[tuple[str, date, date]]:
        """``buckets`` as (grain, first bucket, last bucket) ranges."""
        if not self.cover.dated:
            years = (coarsest, _start(coarsest, self.first), _start(coarsest, self.last))
            return [(coarsest, date.min, date.min), years] if undated else [years]
        return self.spans(coarsest)

    def buckets(self, coarsest: str, undated: bool = True) -> list[tuple[str, date]]:
        """Every period of ``spans(coarsest)`` (and the undated events' bucket, when there is no window)."""
        if not self.cover.dated:
            dated = self._expand(coarsest, self.first, self.last)
            return [(coarsest, date.min), *dated] if undated else dated
        return [b for grain, lo, hi in self.spans(coarsest) for b in self._expand(grain, lo, hi)]

    @staticmethod
    def _expand(grain: str, lo: date, hi: date) -> list[tuple[str, date]]:
        out: list[tuple[str, date]] = []
        bucket: date | None = _start(grain, lo)
        while bucket is not None and bucket <= hi:
            out.append((grain, bucket))
            bucket = _next(grain, bucket)
        return out


EXTENT = """
SELECT min(bucket) AS first, max(bucket) AS last FROM stats_rollup
WHERE grain = 'y' AND dim = '*' AND bucket > '-infinity'::date
"""


async def window(conn: asyncpg.Connection, cover: Cover) -> Window:
    """The Cover over the years the data spans (what an open end of the window stops at)."""
    r = await conn.fetchrow(EXTENT)
    first = r["first"] or date(2000, 1, 1)
    last = (r["last"] or first).replace(month=12, day=31)
    return Window(cover, first, last)


def _types(st: Statement, c: Cover, link: bool) -> str:
    """Which type/status rows to read: the filter's, else the rows of all types together (link
    dims) or every row (the other dims have no such rows)."""
    where = []
    if c.types is not None:
        where.append(f"plover_type = ANY({st.param(list(c.types))}::text[])")
    if c.statuses is not None:
        where.append(f"status = ANY({st.param(list(c.statuses))}::text[])")
    if not where:
        where.append("plover_type = ''" if link else "plover_type <> ''")
    return " AND ".join(where)


def _rows(
    st: Statement, w: Window, dim: str, coarsest: str, value: str | None = None, values: str | None = None
) -> str:
    """SELECT bucket, value, plover_type, status, n: the rows of ``dim`` in the window (periods from
    grains up to ``coarsest``), and of the events running at ``from`` (bucket: their start).
    ``value`` (a dimension filter) or ``values`` (an array parameter) restrict the values; with
    ``value``, the rows per type and status are read."""
    c = w.cover
    link = dim in LINK_DIMS and value is None
    common = f"dim = {st.param(dim)} AND {_types(st, c, link)}"
    if value is not None:
        common += f" AND value = {st.param(value)}"
    if values is not None:
        common += f" AND value = ANY({values}::text[])"
    columns = "bucket, value, plover_type, status, n"
    if not c.dated:
        return f"SELECT {columns} FROM stats_rollup WHERE grain = '{coarsest}' AND {common}"
    periods = " OR ".join(
        f"(grain = '{grain}' AND bucket BETWEEN {st.param(lo)}::date AND {st.param(hi)}::date)"
        for grain, lo, hi in w.spans(coarsest)
    )
    # date.min is how asyncpg passes -infinity (the undated bucket), which no window holds
    sql = f"SELECT {columns} FROM stats_rollup WHERE ({periods or 'FALSE'}) AND bucket > '-infinity'::date AND {common}"
    if c.date_from is not None:
        start = c.date_from
        for grain in ("M", "Y"):  # whole months and years that began before `from`
            unit = _start("m" if grain == "M" else "y", start)
            if unit < start:
                upto = f" AND bucket <= {st.param(c.date_to)}::date" if c.date_to is not None else ""
                sql += (
                    f"\nUNION ALL SELECT {columns} FROM stats_rollup "
                    f"WHERE grain = '{grain}' AND bucket = {st.param(unit)}::date{upto} AND {common}"
                )
        at = st.param(start)
        until = f" AND day <= {st.param(c.date_to)}::date" if c.date_to is not None else ""
        sql += (
            f"\nUNION ALL SELECT day, value, plover_type, status, n FROM stats_ranges "
            f"WHERE daterange(day, day_end, '[]') @> {at}::date AND day < {at}::date{until} AND {common}"
        )
    return sql


def _top(st: Statement, w: Window, dim: str, k: str, undated: bool = True) -> str:
    """SELECT value, n: the top ``k`` values of ``dim`` over the window, by count (of the dated
    events only, unless ``undated``)."""
    c = w.cover
    if c.types is None and c.statuses is None and dim in LINK_DIMS:
        buckets, ranges = w.buckets("y", undated), w.ranges("y", undated)
        grains = st.param([g for g, _ in buckets])
        days = st.param([b for _, b in buckets])
        lo, hi = st.param(c.date_from), st.param(c.date_to)
        range_grains = st.param([g for g, _, _ in ranges])
        firsts, lasts = st.param([f for _, f, _ in ranges]), st.param([t for _, _, t in ranges])
        return (
            f'SELECT value, n FROM stats_top({st.param(dim)}::text, {grains}::text[]::"char"[], {days}::date[], '
            f'{lo}::date, {hi}::date, {k}::int, {range_grains}::text[]::"char"[], {firsts}::date[], {lasts}::date[])'
        )
    dated = "" if undated else " WHERE bucket > '-infinity'::date"
    return (
        f"SELECT value, sum(n) AS n FROM ({_rows(st, w, dim, 'y')}) r{dated} "
        f"GROUP BY value HAVING sum(n) > 0 ORDER BY 2 DESC, 1 LIMIT {k}"
    )


def _base(c: Cover) -> tuple[str, str | None]:
    """The rows that count each matching event once: '*', or the dimension filter's value."""
    return ("*", None) if c.dim is None else c.dim


def covers_facets(c: Cover, names: list[str]) -> bool:
    """With a dimension filter, only counts by type and status come from that value's rows."""
    return c.dim is None or all(n in COLUMN_DIMS for n in names)


def covers_timeline(c: Cover, group_by: str) -> bool:
    return c.dim is None or group_by == "none" or group_by in COLUMN_DIMS


LABEL = "coalesce(la.name_en, la.name_ar, la.id)"


def facet_statement(w: Window, names: list[str], limit: int) -> tuple[str, list[Any]]:
    """facet, value, label, count for each facet's top ``limit`` values, and the total as facet NULL."""
    st = Statement()
    dim, value = _base(w.cover)
    base = _rows(st, w, dim, "y", value)
    lim = st.param(limit)
    parts = ["SELECT NULL::text AS facet, NULL::text AS value, sum(n)::bigint AS count FROM b"]
    for name, column in COLUMN_DIMS.items():
        if name in names:
            parts.append(
                f"(SELECT {st.param(name)}::text, {column}, sum(n)::bigint FROM b "
                f"GROUP BY 2 HAVING sum(n) > 0 ORDER BY 3 DESC, 2 LIMIT {lim})"
            )
    for name in names:
        if name in DIMS:
            parts.append(
                f"(SELECT {st.param(name)}::text, value, n::bigint FROM ({_top(st, w, DIMS[name], lim)}) t)"
            )
    actor_dims = st.param(list(ACTOR_DIMS))
    sql = f"""
WITH b AS MATERIALIZED ({base})
SELECT x.facet, x.value, CASE WHEN x.facet = ANY({actor_dims}::text[]) THEN {LABEL} ELSE x.value END AS label,
       coalesce(x.count, 0) AS count
FROM ({" UNION ALL ".join(parts)}) x
LEFT JOIN actors la ON la.id = x.value AND x.facet = ANY({actor_dims}::text[])
"""
    return sql, st.args


def _totals(st: Statement, w: Window) -> str:
    dim, value = _base(w.cover)
    rows = _rows(st, w, dim, "y", value)
    return (
        f"SELECT coalesce(sum(n), 0) AS total, "
        f"coalesce(sum(n) FILTER (WHERE bucket = '-infinity'::date), 0) AS undated FROM ({rows}) r"
    )


def totals_statement(w: Window) -> tuple[str, list[Any]]:
    """total, undated: the matching events, and those without a date (none when a window is set)."""
    st = Statement()
    return _totals(st, w), st.args


@dataclass(frozen=True)
class Grouped:
    """The parts of a timeline statement: ``groups`` (a CTE choosing the top groups, or ''),
    ``counted`` (SELECT period, key, count: one row per period and group with events), ``keys``
    (SELECT key: the groups kept), ``joined`` (how a label row ``l`` joins a counted row ``x``) and
    ``truncated`` (there are more groups)."""

    groups: str
    counted: str
    keys: str
    joined: str
    truncated: str
    is_actor: str


def _grouped(st: Statement, w: Window, interval: str, group_by: str, group_limit: int) -> Grouped:
    dim, value = _base(w.cover)
    grain = INTERVAL_GRAIN[interval]
    if group_by == "none":
        series, key, truncated = _rows(st, w, dim, grain, value), "NULL::text", "false"
        groups, keys, joined = "", "SELECT NULL::text AS key", "true"
    elif group_by in COLUMN_DIMS:
        column = COLUMN_DIMS[group_by]
        k = st.param(group_limit + 1)
        groups = (
            f"g AS (SELECT {column} AS key, row_number() OVER (ORDER BY sum(n) DESC, {column}) AS rank "
            f"FROM ({_rows(st, w, dim, 'y', value)}) w WHERE bucket > '-infinity'::date "
            f"GROUP BY 1 HAVING sum(n) > 0 ORDER BY sum(n) DESC, 1 LIMIT {k}),"
        )
        keep = st.param(group_limit)
        series, key, truncated = (
            _rows(st, w, dim, grain, value),
            column,
            f"(SELECT count(*) > {keep} FROM g)",
        )
        series = f"SELECT * FROM ({series}) s WHERE {column} IN (SELECT key FROM g WHERE rank <= {keep})"
        keys, joined = f"SELECT key FROM g WHERE rank <= {keep}", "l.key = x.key"
    else:
        group_dim = DIMS[group_by]
        k = st.param(group_limit + 1)
        top = _top(st, w, group_dim, k, undated=False)
        groups = (
            f"g AS (SELECT value AS key, row_number() OVER (ORDER BY n DESC, value) AS rank FROM ({top}) t),"
        )
        keep = st.param(group_limit)
        series = _rows(st, w, group_dim, grain, None, f"ARRAY(SELECT key FROM g WHERE rank <= {keep})")
        key, truncated = "value", f"(SELECT count(*) > {keep} FROM g)"
        keys, joined = f"SELECT key FROM g WHERE rank <= {keep}", "l.key = x.key"
    is_actor = "true" if group_by in ACTOR_DIMS else "false"
    # daily rows (and the ranges', by their first day) are their own period: no date_trunc per row
    period = "bucket" if interval == "day" else f"date_trunc({st.param(interval)}, bucket::timestamp)::date"
    c = w.cover
    if (
        interval == "day"
        and group_by in LINK_DIMS
        and c.types is None
        and c.statuses is None
        and c.date_from is None
    ):
        # one row per day and value already (all types together, no running ranges): no grouping
        counted = f"SELECT bucket AS period, value AS key, n::bigint AS count FROM ({series}) s WHERE n > 0"
    else:
        counted = (
            f"SELECT {period} AS period, {key} AS key, sum(n) AS count FROM ({series}) s "
            "GROUP BY 1, 2 HAVING sum(n) > 0"
        )
    return Grouped(groups, counted, keys, joined, truncated, is_actor)


def _labels(g: Grouped) -> str:
    return f"""labels AS MATERIALIZED (SELECT k.key, CASE WHEN {g.is_actor} THEN {LABEL} ELSE k.key END AS label,
                               row_number() OVER (ORDER BY k.key)::int AS ord
                        FROM ({g.keys}) k LEFT JOIN actors la ON la.id = k.key)"""


# A period's place after an anchor period, in intervals (both are first days of their periods).
OFFSET = {
    "day": "(x.period - {a}::date)",
    "week": "((x.period - {a}::date) / 7)",
    "month": "((date_part('year', x.period) * 12 + date_part('month', x.period))::int - {k})",
    "year": "(date_part('year', x.period)::int - {k})",
}


def series_statement(
    w: Window, interval: str, group_by: str, group_limit: int, anchor: date, guard: int | None
) -> tuple[str, list[Any]]:
    """A first row with key NULL, ``points`` (how many (period, group) counts there are; only
    with ``guard``), ``truncated`` and the filter's total and undated events; then one row per group
    kept with events: key, label, ord (the group's place in key order, from 1: what breaks ties
    between equal counts in the buckets shape), offsets
    (each period with events, in intervals after ``anchor``: negative for events running at
    ``from`` that began before it) and counts. Over ``guard`` points, only the first row (the
    caller refuses); without it, nothing is counted twice.

    A row per group, not per period: the rollup rows of one value come in (value, bucket) order
    from its index, so each group's arrays are aggregated as they are read, without sorting the
    points of every group by period."""
    st = Statement()
    totals = _totals(st, w)
    g = _grouped(st, w, interval, group_by, group_limit)
    if interval in ("month", "year"):
        number = anchor.year * 12 + anchor.month if interval == "month" else anchor.year
        offset = OFFSET[interval].format(k=st.param(number))
    else:
        offset = OFFSET[interval].format(a=st.param(anchor))
    if guard is not None:
        materialized, points = "MATERIALIZED ", "(SELECT count(*) FROM x)"
        within = f"WHERE (SELECT count(*) FROM x) <= {st.param(guard)}"
    else:
        materialized, points, within = "", "NULL::bigint", ""
    joined = g.joined.replace("x.key", "s.key")
    sql = f"""
WITH {g.groups}
t AS MATERIALIZED ({totals}),
x AS {materialized}(SELECT * FROM ({g.counted}) c WHERE period > '-infinity'::date),
{_labels(g)},
s AS (SELECT x.key, array_agg({offset} ORDER BY x.period) AS offsets, array_agg(x.count ORDER BY x.period) AS counts
      FROM x {within} GROUP BY x.key)
SELECT true AS head, NULL::text AS key, NULL::text AS label, NULL::int AS ord, NULL::int[] AS offsets,
       NULL::bigint[] AS counts, {points} AS points, {g.truncated} AS truncated, t.total, t.undated FROM t
UNION ALL
SELECT false, s.key, l.label, l.ord, s.offsets, s.counts, NULL, NULL, NULL, NULL FROM s JOIN labels l ON {joined}
"""
    return sql, st.args


# ---- checks -------------------------------------------------------------------------------------

# Rows of the rollups (and facts) that differ from counting every event's facts from the tables now.
MISMATCHES = """
WITH facts AS MATERIALIZED (SELECT * FROM stats_facts),
cells AS MATERIALIZED (
    SELECT f.day, f.day_end, c.* FROM facts f, unnest(f.keys) k,
         stats_cells(f.day, f.day_end, f.plover_type, f.status, k) c),
expected AS (
    SELECT grain, bucket, dim, value, cell_type AS plover_type, cell_status AS status, count(*)::int AS n
    FROM cells GROUP BY 1, 2, 3, 4, 5, 6),
ranges AS (
    SELECT day, day_end, dim, value, cell_type AS plover_type, cell_status AS status, count(*)::int AS n
    FROM cells WHERE grain = 'd' AND day > '-infinity'::date AND day_end > day AND stats_aligned(day, day_end) IS NULL
    GROUP BY 1, 2, 3, 4, 5, 6)
SELECT (SELECT count(*) FROM expected e FULL JOIN (SELECT * FROM stats_rollup WHERE n <> 0) r
        USING (grain, bucket, dim, value, plover_type, status) WHERE e.n IS DISTINCT FROM r.n)
     + (SELECT count(*) FROM ranges e FULL JOIN (SELECT * FROM stats_ranges WHERE n <> 0) r
        USING (day, day_end, dim, value, plover_type, status) WHERE e.n IS DISTINCT FROM r.n)
     + (SELECT count(*) FROM facts f FULL JOIN stats_event_facts s USING (event_id)
        WHERE (f.day, f.day_end, f.plover_type, f.status, f.keys) IS DISTINCT FROM
              (s.day, s.day_end, s.plover_type, s.status, s.keys))
"""


async def mismatches(conn: asyncpg.Connection) -> int:
    """How many rollup rows differ from a rebuild (0: exact; the tests check it after every kind of write)."""
    return int(await conn.fetchval(MISMATCHES))
