"""Aggregates over the events matching a filter: a timeline and the top values of each facet."""

from __future__ import annotations

from typing import Any, NoReturn

import asyncpg

from service.db import rollups
from service.db.filters import SqlQuery
from service.errors import InvalidParameter
from service.models import FacetValue, Timeline, TimelineBucket

# A timeline answers at most this many buckets (periods x groups, about 80 bytes each in JSON):
# beyond it, a 400 that says to narrow the window, coarsen the interval or lower group_limit.
MAX_TIMELINE_BUCKETS = 50_000

# group_by -> (joins, key expression, label expression). Joins multiply rows: counts are DISTINCT e.id.
# An event without a value (no place, no outlet named) makes no group, as in the rollups.
GROUPINGS: dict[str, tuple[str, str, str]] = {
    "none": ("", "NULL::text", "NULL::text"),
    "type": ("", "e.plover_type", "e.plover_type"),
    "mode": ("", "e.plover_mode", "e.plover_mode"),
    "status": ("", "e.status", "e.status"),
    "actor": (
        "JOIN event_actors gea ON gea.event_id = e.id JOIN actors ga ON ga.id = gea.actor_id",
        "ga.id",
        "coalesce(ga.name_en, ga.name_ar)",
    ),
    "country": (
        "JOIN event_actors gea ON gea.event_id = e.id JOIN actors ga ON ga.id = gea.actor_id "
        "JOIN actors gc ON gc.id = CASE WHEN ga.kind = 'country' THEN ga.id ELSE ga.country_id END",
        "gc.id",
        "coalesce(gc.name_en, gc.name_ar)",
    ),
    "outlet": (
        "JOIN event_attributions gat ON gat.event_id = e.id "
        "JOIN sources gs ON gs.id = gat.source_id AND gs.outlet IS NOT NULL",
        "gs.outlet",
        "gs.outlet",
    ),
    "location": (
        "JOIN actors gl ON gl.id = e.location_actor_id",
        "gl.id",
        "coalesce(gl.name_en, gl.name_ar)",
    ),
}

# Facets: every filterable event field whose values can be counted.
FACETS: dict[str, tuple[str, str, str]] = {
    "type": GROUPINGS["type"],
    "mode": GROUPINGS["mode"],
    "status": GROUPINGS["status"],
    "cameo": ("", "left(e.cameo, 2)", "left(e.cameo, 2)"),
    "actor": GROUPINGS["actor"],
    "country": GROUPINGS["country"],
    "location": GROUPINGS["location"],
    "outlet": GROUPINGS["outlet"],
    "via": (
        "JOIN event_attributions gva ON gva.event_id = e.id JOIN actors gv ON gv.id = gva.via_actor_id",
        "gv.id",
        "coalesce(gv.name_en, gv.name_ar)",
    ),
    "has_conflict": ("", "e.has_conflict::text", "e.has_conflict::text"),
    "date_precision": ("", "e.date_precision", "e.date_precision"),
}


def multiplies(joins: str) -> bool:
    """Whether a grouping's joins can yield several rows per event (then counts must be DISTINCT e.id)."""
    return "event_actors" in joins or "event_attributions" in joins


# Groupings whose joins keep one row per event count rows: no DISTINCT (a sort of every matching
# event), and an index-only scan can serve type/status/date (6x faster at 1M events).
TIMELINE_ROWS_SQL = """
SELECT date_trunc({interval}, e.date_start::timestamp)::date AS period, {key} AS key, {label} AS label,
       count(*) AS count
FROM events e {joins}
WHERE {where} AND e.date_start IS NOT NULL
GROUP BY 1, 2, 3
"""
TIMELINE_SQL = """
SELECT date_trunc({interval}, e.date_start::timestamp)::date AS period, {key} AS key, {label} AS label,
       count(DISTINCT e.id) AS count
FROM events e {joins}
WHERE {where} AND e.date_start IS NOT NULL
GROUP BY 1, 2, 3
"""
# The top `group_limit` groups by their count over the whole window, and how many groups there were.
TIMELINE_TOP_SQL = """
WITH t AS ({rows}),
g AS (SELECT key, count(*) OVER () AS groups FROM t GROUP BY key ORDER BY sum(count) DESC, key NULLS FIRST
      LIMIT {group_limit})
SELECT t.period, t.key, t.label, t.count, g.groups > {group_limit} AS truncated
FROM t JOIN g ON g.key IS NOT DISTINCT FROM t.key
ORDER BY 1, 4 DESC, 2 LIMIT {cap}
"""
COUNT_SQL = "SELECT count(*) FILTER (WHERE e.date_start IS NULL) AS undated, count(*) AS total FROM events e WHERE {where}"

# Facets: the matching events are read once (materialised, only the columns facets group on) and
# every facet is counted over them in the same statement; rows-per-event facets count rows.
# Facets that join links (several rows per event) are the costly ones: above FACET_SAMPLE matching
# events they are counted on a sample of about FACET_SAMPLE of them, chosen by a hash of the id
# (deterministic: the same request gives the same answer), and scaled back up. The LIMIT (never
# reached: the sample holds about FACET_SAMPLE events) tells the planner the sample is small, so it
# probes the links of the sampled events instead of hashing the whole link table.
FACET_SAMPLE = 10_000
SAMPLE_BUCKETS = 1024
FACET_BASE_SQL = """
WITH e AS MATERIALIZED (
    SELECT e.id, e.plover_type, e.plover_mode, e.status, e.cameo, e.location_actor_id, e.has_conflict,
           e.date_precision
    FROM events e WHERE {where}),
n AS (SELECT count(*) AS total,
             least(1024, ceil(1024.0 * {sample} / greatest(count(*), 1)))::int AS buckets FROM e)
SELECT NULL::text AS facet, NULL::text AS value, NULL::text AS label, total AS count, buckets::bigint AS rank FROM n
"""
FACET_SAMPLED_PART_SQL = """
UNION ALL
SELECT {name}::text, t.value, t.label, t.count, row_number() OVER (ORDER BY t.count DESC, t.value)
FROM (SELECT {key} AS value, {label} AS label,
             round(count(DISTINCT e.id) * 1024.0 / (SELECT buckets FROM n))::bigint AS count
      FROM (SELECT * FROM e WHERE (hashtext(e.id) & 1023) < (SELECT buckets FROM n) LIMIT {cap}) e {joins}
      WHERE {key} IS NOT NULL
      GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT {limit}) t
"""
FACET_PART_SQL = """
UNION ALL
SELECT {name}::text, t.value, t.label, t.count, row_number() OVER (ORDER BY t.count DESC, t.value)
FROM (SELECT {key} AS value, {label} AS label, {count} AS count FROM e {joins} WHERE {key} IS NOT NULL
      GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT {limit}) t
"""


def timeline_statement(
    query: SqlQuery, interval: str, group_by: str, group_limit: int, cap: int = MAX_TIMELINE_BUCKETS
) -> tuple[str, list[Any]]:
    """From the events: period, key, label, count, groups (see TIMELINE_TOP_SQL)."""
    joins, key, label = GROUPINGS[group_by]
    args = [*query.args, interval, group_limit, cap + 1]
    template = TIMELINE_SQL if multiplies(joins) else TIMELINE_ROWS_SQL
    rows = template.format(
        interval=f"${len(args) - 2}", key=key, label=label, joins=joins, where=query.where_sql
    )
    return TIMELINE_TOP_SQL.format(rows=rows, group_limit=f"${len(args) - 1}", cap=f"${len(args)}"), args


async def timeline(
    conn: asyncpg.Connection, query: SqlQuery, interval: str, group_by: str, group_limit: int = 20
) -> Timeline:
    """From the events (a filter the rollups do not cover): distinct events per period of
    ``date.start`` and group; undated events are counted apart."""
    counts = await conn.fetchrow(COUNT_SQL.format(where=query.where_sql), *query.args)
    sql, args = timeline_statement(query, interval, group_by, group_limit)
    return _timeline(await conn.fetch(sql, *args), interval, group_by, counts["total"], counts["undated"])


def too_many() -> NoReturn:
    """The 400 of a timeline over MAX_TIMELINE_BUCKETS counts (any shape)."""
    raise InvalidParameter(
        f"The timeline has more than {MAX_TIMELINE_BUCKETS:,} buckets (periods x groups): use a coarser "
        "interval, a narrower from/to or a smaller group_limit (shape=dense counts every period, "
        "shape=sparse only those with events)",
        parameter="interval",
    )


def _timeline(
    records: list[asyncpg.Record], interval: str, group_by: str, total: int, undated: int
) -> Timeline:
    if len(records) > MAX_TIMELINE_BUCKETS:
        too_many()
    return Timeline(
        interval=interval,  # type: ignore[arg-type]
        group_by=group_by,  # type: ignore[arg-type]
        total=total,
        undated=undated,
        truncated=bool(records and records[0]["truncated"]),
        buckets=[
            TimelineBucket(period=r["period"], key=r["key"], label=r["label"], count=r["count"])
            for r in records
        ],
    )


async def rollup_facet_counts(
    conn: asyncpg.Connection, cover: rollups.Cover, names: list[str], limit: int
) -> tuple[int, dict[str, list[FacetValue]]]:
    """The total and each facet's most frequent values, from the rollups (exact)."""
    sql, args = rollups.facet_statement(await rollups.window(conn, cover), names, limit)
    total = 0
    out: dict[str, list[FacetValue]] = {name: [] for name in names}
    for r in await conn.fetch(sql, *args):
        if r["facet"] is None:
            total = r["count"]
        else:
            out[r["facet"]].append(FacetValue(value=r["value"], label=r["label"], count=r["count"]))
    for values in out.values():
        values.sort(key=lambda v: (-v.count, v.value or ""))
    return total, out


def facet_statement(query: SqlQuery, names: list[str], limit: int) -> tuple[str, list[Any], list[str]]:
    """The one statement that counts ``names`` (SQL, arguments, the facets it samples)."""
    args = [*query.args, limit, FACET_SAMPLE]
    limit_param, sample_param, cap_param = f"${len(args) - 1}", f"${len(args)}", None
    sql = FACET_BASE_SQL.format(where=query.where_sql, sample=sample_param)
    sampled = []
    for name in names:
        joins, key, label = FACETS[name]
        if multiplies(joins) and cap_param is None:  # bound only when used: Postgres cannot type an unused $n
            args.append(FACET_SAMPLE * 3 // 2)
            cap_param = f"${len(args)}"
        args.append(name)
        if multiplies(joins):
            sampled.append(name)
            sql += FACET_SAMPLED_PART_SQL.format(
                name=f"${len(args)}", key=key, label=label, joins=joins, limit=limit_param, cap=cap_param
            )
        else:
            sql += FACET_PART_SQL.format(
                name=f"${len(args)}", key=key, label=label, joins=joins, limit=limit_param, count="count(*)"
            )
    return sql, args, sampled


async def facet_counts(
    conn: asyncpg.Connection, query: SqlQuery, names: list[str], limit: int
) -> tuple[int, dict[str, list[FacetValue]], list[str], float]:
    """From the events (a filter the rollups do not cover): the total and, for each facet, its most
    frequent values among the matching events (one statement), the facets whose counts are
    estimated from a sample, and the sample's fraction of the events."""
    names = list(dict.fromkeys(names))
    sql, args, sampled = facet_statement(query, names, limit)
    total, buckets = 0, SAMPLE_BUCKETS
    out: dict[str, list[FacetValue]] = {name: [] for name in names}
    for r in sorted(await conn.fetch(sql, *args), key=lambda r: (r["facet"] or "", r["rank"])):
        if r["facet"] is None:
            total, buckets = r["count"], r["rank"]
        else:
            out[r["facet"]].append(FacetValue(value=r["value"], label=r["label"], count=r["count"]))
    if buckets >= SAMPLE_BUCKETS:
        return total, out, [], 1.0
    return total, out, sampled, buckets / SAMPLE_BUCKETS
