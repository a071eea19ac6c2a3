"""The timeline and facets from the rollups (migration 0005), when they cover the filter.

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


class Statement:
    """A statement over the rollups, its ``$n`` parameters bound as they are added."""

    def __init__(self) -> None:
        self.args: list[Any] = []

    def param(self, value: Any) -> str:
        self.args.append(value)
        return f"${len(self.args)}"


def _rows(st: Statement, c: Cover, dims: list[str], coarsest: str, value: str | None = None) -> str:
    """SELECT bucket, dim, value, plover_type, status, n: the rollup rows of ``dims`` in the window
    (periods from grains up to ``coarsest``), with the events running at ``from`` (bucket: their start)."""
    where = [f"dim = ANY({st.param(dims)}::text[])"]
    if c.types is not None:
        where.append(f"plover_type = ANY({st.param(list(c.types))}::text[])")
    if c.statuses is not None:
        where.append(f"status = ANY({st.param(list(c.statuses))}::text[])")
    if value is not None:
        where.append(f"value = {st.param(value)}")
    common = " AND ".join(where)
    if not c.dated:
        return (
            "SELECT bucket, dim, value, plover_type, status, n FROM stats_rollup "
            f"WHERE grain = '{coarsest}' AND {common}"
        )
    spans = window_spans(c.date_from or _FIRST, c.date_to or _LAST, coarsest)
    periods = " OR ".join(
        f"(grain = '{grain}' AND bucket BETWEEN {st.param(lo)}::date AND {st.param(hi)}::date)"
        for grain, lo, hi in spans
    )
    # date.min is how asyncpg passes -infinity (the undated bucket), which no window holds
    sql = (
        "SELECT bucket, dim, value, plover_type, status, n FROM stats_rollup "
        f"WHERE ({periods or 'FALSE'}) AND bucket > '-infinity'::date AND {common}"
    )
    if c.date_from is not None:
        start = st.param(c.date_from)
        before = f" AND day <= {st.param(c.date_to)}::date" if c.date_to is not None else ""
        sql += (
            "\nUNION ALL\nSELECT day, dim, value, plover_type, status, n FROM stats_ranges "
            f"WHERE daterange(day, day_end, '[]') @> {start}::date AND day < {start}::date{before} AND {common}"
        )
    return sql


def _base(c: Cover) -> tuple[list[str], str | None]:
    """The rows that count each matching event once: '*', or the dimension filter's value."""
    if c.dim is None:
        return ["*"], None
    return [c.dim[0]], c.dim[1]


def covers_facets(c: Cover, names: list[str]) -> bool:
    """With a dimension filter, only counts by type and status come from that value's rows."""
    return c.dim is None or all(n in COLUMN_DIMS for n in names)


def covers_timeline(c: Cover, group_by: str) -> bool:
    return c.dim is None or group_by == "none" or group_by in COLUMN_DIMS


LABEL = "coalesce(la.name_en, la.name_ar, la.id)"


def facet_statement(c: Cover, names: list[str], limit: int) -> tuple[str, list[Any]]:
    """facet, value, label, count, ranked by count then value (``limit`` per facet); the total
    comes as facet NULL."""
    st = Statement()
    base, value = _base(c)
    dims = [DIMS[n] for n in names if n in DIMS]
    rows = _rows(st, c, base + dims if value is None else base, "y", value)
    base_rows = f"dim = {st.param(base[0])}"
    parts = [f"SELECT dim AS facet, value, sum(n) AS count FROM r WHERE NOT ({base_rows}) GROUP BY 1, 2"]
    for name, column in COLUMN_DIMS.items():
        if name in names:
            parts.append(
                f"SELECT {st.param(name)}::text, {column}, sum(n) FROM r WHERE {base_rows} GROUP BY 2"
            )
    lim = st.param(limit)
    actor_dims = st.param(list(ACTOR_DIMS))
    sql = f"""
WITH r AS MATERIALIZED ({rows})
SELECT x.facet, x.value, CASE WHEN x.facet = ANY({actor_dims}::text[]) THEN {LABEL} ELSE x.value END AS label,
       x.count
FROM (SELECT facet, value, count, row_number() OVER (PARTITION BY facet ORDER BY count DESC, value) AS rank
      FROM ({" UNION ALL ".join(parts)}) t WHERE count > 0) x
LEFT JOIN actors la ON la.id = x.value AND x.facet = ANY({actor_dims}::text[])
WHERE x.rank <= {lim}
UNION ALL
SELECT NULL, NULL, NULL, coalesce(sum(n), 0) FROM r WHERE {base_rows}
"""
    return sql, st.args


def totals_statement(c: Cover) -> tuple[str, list[Any]]:
    """total, undated: the matching events, and those without a date (none when a window is set)."""
    st = Statement()
    base, value = _base(c)
    rows = _rows(st, c, base, "y", value)
    sql = (
        f"SELECT coalesce(sum(n), 0) AS total, "
        f"coalesce(sum(n) FILTER (WHERE bucket = '-infinity'::date), 0) AS undated FROM ({rows}) r"
    )
    return sql, st.args


def timeline_statement(
    c: Cover, interval: str, group_by: str, group_limit: int, cap: int
) -> tuple[str, list[Any]]:
    """period, key, label, count, groups (the number of groups in the window): the top
    ``group_limit`` groups by their count over the window, at most ``cap`` + 1 rows."""
    st = Statement()
    base, value = _base(c)
    grain = INTERVAL_GRAIN[interval]
    if group_by == "none":
        key, dims = "NULL::text", base
    elif group_by in COLUMN_DIMS:
        key, dims = COLUMN_DIMS[group_by], base
    else:
        key, dims, value = "value", [DIMS[group_by]], None
    series = _rows(st, c, dims, grain, value)
    whole = _rows(st, c, dims, "y", value)
    label = f"CASE WHEN {st.param(group_by)} = ANY({st.param(list(ACTOR_DIMS))}::text[]) THEN {LABEL} ELSE x.key END"
    among = "" if group_by == "none" else f" AND {key} = ANY(ARRAY(SELECT key FROM g))"
    sql = f"""
WITH g AS (SELECT {key} AS key, count(*) OVER () AS groups FROM ({whole}) w
           WHERE bucket > '-infinity'::date GROUP BY 1 HAVING sum(n) > 0
           ORDER BY sum(n) DESC, 1 LIMIT {st.param(group_limit)}),
x AS (SELECT date_trunc({st.param(interval)}, bucket::timestamp)::date AS period, {key} AS key, sum(n) AS count
      FROM ({series}) s WHERE bucket > '-infinity'::date{among}
      GROUP BY 1, 2 HAVING sum(n) > 0)
SELECT x.period, x.key, {label} AS label, x.count, (SELECT max(groups) FROM g) AS groups
FROM x LEFT JOIN actors la ON la.id = x.key
ORDER BY 1, 4 DESC, 2 LIMIT {st.param(cap + 1)}
"""
    return sql, st.args


# ---- checks -------------------------------------------------------------------------------------

# Rows of the rollups (and facts) that differ from counting every event's facts from the tables now.
MISMATCHES = """
WITH facts AS (SELECT * FROM stats_facts),
expected AS (
    SELECT g.grain, date_trunc(g.unit, f.day::timestamp)::date AS bucket, split_part(k, chr(31), 1) AS dim,
           substr(k, strpos(k, chr(31)) + 1) AS value, f.plover_type, f.status, count(*)::int AS n
    FROM facts f, unnest(f.keys) k, (VALUES ('d'::"char", 'day'), ('m', 'month'), ('y', 'year')) g(grain, unit)
    GROUP BY 1, 2, 3, 4, 5, 6),
ranges AS (
    SELECT f.day, f.day_end, split_part(k, chr(31), 1) AS dim, substr(k, strpos(k, chr(31)) + 1) AS value,
           f.plover_type, f.status, count(*)::int AS n
    FROM facts f, unnest(f.keys) k WHERE f.day > '-infinity'::date AND f.day_end > f.day
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
