"""Aggregates over the events matching a filter: a timeline and the top values of each facet."""

from __future__ import annotations

import asyncpg

from service.db.filters import SqlQuery
from service.models import FacetValue, Timeline, TimelineBucket

# group_by -> (joins, key expression, label expression). Joins multiply rows: counts are DISTINCT e.id.
GROUPINGS: dict[str, tuple[str, str, str]] = {
    "none": ("", "NULL::text", "NULL::text"),
    "type": ("", "e.plover_type", "e.plover_type"),
    "mode": ("", "e.plover_mode", "e.plover_mode"),
    "status": ("", "e.status", "e.status"),
    "actor": ("JOIN event_actors gea ON gea.event_id = e.id JOIN actors ga ON ga.id = gea.actor_id",
              "ga.id", "coalesce(ga.name_en, ga.name_ar)"),
    "country": ("JOIN event_actors gea ON gea.event_id = e.id JOIN actors ga ON ga.id = gea.actor_id "
                "JOIN actors gc ON gc.id = CASE WHEN ga.kind = 'country' THEN ga.id ELSE ga.country_id END",
                "gc.id", "coalesce(gc.name_en, gc.name_ar)"),
    "outlet": ("JOIN event_attributions gat ON gat.event_id = e.id JOIN sources gs ON gs.id = gat.source_id",
               "gs.outlet", "gs.outlet"),
    "location": ("JOIN actors gl ON gl.id = e.location_actor_id", "gl.id", "coalesce(gl.name_en, gl.name_ar)"),
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
    "via": ("JOIN event_attributions gva ON gva.event_id = e.id JOIN actors gv ON gv.id = gva.via_actor_id",
            "gv.id", "coalesce(gv.name_en, gv.name_ar)"),
    "has_conflict": ("", "e.has_conflict::text", "e.has_conflict::text"),
    "date_precision": ("", "e.date_precision", "e.date_precision"),
}

TIMELINE_SQL = """
SELECT date_trunc({interval}, e.date_start::timestamp)::date AS period, {key} AS key, {label} AS label,
       count(DISTINCT e.id) AS count
FROM events e {joins}
WHERE {where} AND e.date_start IS NOT NULL
GROUP BY 1, 2, 3
ORDER BY 1, 4 DESC, 2
"""
TOTAL_SQL = "SELECT count(*) FROM events e WHERE {where}"
COUNT_SQL = "SELECT count(*) FILTER (WHERE e.date_start IS NULL) AS undated, count(*) AS total FROM events e WHERE {where}"

FACET_SQL = """
SELECT {key} AS value, {label} AS label, count(DISTINCT e.id) AS count
FROM events e {joins}
WHERE {where} AND {key} IS NOT NULL
GROUP BY 1, 2
ORDER BY 3 DESC, 1
LIMIT {limit}
"""


async def timeline(conn: asyncpg.Connection, query: SqlQuery, interval: str, group_by: str) -> Timeline:
    """Distinct events per period of ``date.start`` (and per group); undated events are counted apart."""
    counts = await conn.fetchrow(COUNT_SQL.format(where=query.where_sql), *query.args)
    joins, key, label = GROUPINGS[group_by]
    args = [*query.args, interval]
    sql = TIMELINE_SQL.format(interval=f"${len(args)}", key=key, label=label, joins=joins, where=query.where_sql)
    buckets = [TimelineBucket(period=r["period"], key=r["key"], label=r["label"], count=r["count"])
               for r in await conn.fetch(sql, *args)]
    return Timeline(interval=interval, group_by=group_by, total=counts["total"], undated=counts["undated"],  # type: ignore[arg-type]
                    buckets=buckets)


async def facet_counts(conn: asyncpg.Connection, query: SqlQuery, names: list[str],
                       limit: int) -> tuple[int, dict[str, list[FacetValue]]]:
    """The total and, for each facet, its most frequent values among the matching events."""
    total = await conn.fetchval(TOTAL_SQL.format(where=query.where_sql), *query.args)
    args = [*query.args, limit]
    out = {}
    for name in names:
        joins, key, label = FACETS[name]
        sql = FACET_SQL.format(key=key, label=label, joins=joins, where=query.where_sql, limit=f"${len(args)}")
        out[name] = [FacetValue(value=r["value"], label=r["label"], count=r["count"])
                     for r in await conn.fetch(sql, *args)]
    return total, out
