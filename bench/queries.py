"""The SQL every peer runs, built once per request shape.

Marsad's own SQL is imported from ``service.db`` (the filter allow-list, the keyset composer, the
event, actor, attribution and conflict queries, the timeline and facet queries), so the FastAPI
peer, the Starlette floor and the in-process asyncpg floor execute exactly what Marsad executes.
When a build of Marsad does not have those modules yet, the copies below (taken from the query
API's design) are used instead, and ``SQL_ORIGIN`` says so in the results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from service.extract.normalize import fold, match_key

try:
    from service.db.events import EVENT_SELECT, SELECT_EVENT_ACTORS, SELECT_EVENT_ATTRIBUTIONS
    from service.db.filters import EVENT_FILTERS, EVENT_SORTS, SqlQuery, keyset_sql
    from service.db.stats import COUNT_SQL, FACET_SQL, FACETS, GROUPINGS, TIMELINE_SQL, TOTAL_SQL

    SQL_ORIGIN = "service.db (Marsad's own SQL)"
    FILTER_SQL = {name: f.sql for name, f in EVENT_FILTERS.items()}
except ImportError:  # a build without the query API: the same SQL, copied
    SQL_ORIGIN = "bench/queries.py (copy of the query API's SQL)"
    EVENT_SELECT = """
SELECT e.id, e.plover_type, e.plover_mode, e.cameo, e.status, e.date_start, e.date_end, e.date_precision,
       e.date_basis, e.date_reason, e.summary_en, e.summary_ar, e.confidence, e.source_count, e.updated_at,
       l.id AS loc_id, l.name_ar AS loc_name_ar, l.name_en AS loc_name_en, l.lat AS loc_lat, l.lon AS loc_lon
FROM events e
LEFT JOIN actors l ON l.id = e.location_actor_id"""
    SELECT_EVENT_ACTORS = """
SELECT ea.event_id, ea.role, a.id, a.kind, a.name_ar, a.name_en
FROM event_actors ea
JOIN actors a ON a.id = ea.actor_id
WHERE ea.event_id = ANY($1::text[])
ORDER BY ea.event_id, array_position(ARRAY['source', 'target', 'participant', 'mentioned'], ea.role), a.id
"""
    SELECT_EVENT_ATTRIBUTIONS = """
SELECT at.event_id, at.source_id, at.span_start, at.span_end, at.quote, s.outlet, s.published_on,
       v.id AS via_id, v.kind AS via_kind, v.name_ar AS via_name_ar, v.name_en AS via_name_en
FROM event_attributions at
JOIN sources s ON s.id = at.source_id
LEFT JOIN actors v ON v.id = at.via_actor_id
WHERE at.event_id = ANY($1::text[])
ORDER BY at.event_id, s.published_on NULLS LAST, at.source_id, at.span_start
"""
    FILTER_SQL = {
        "from": "coalesce(e.date_end, e.date_start) >= {p0}",
        "to": "e.date_start <= {p0}",
        "actor": "e.id IN (SELECT ea.event_id FROM event_actors ea WHERE ea.actor_id = ANY({p0}::text[]))",
        "type": "e.plover_type = ANY({p0}::text[])",
        "status": "e.status = ANY({p0}::text[])",
        "q": "(e.search @@ (websearch_to_tsquery('arabic', {p0}) || websearch_to_tsquery('english', {p1})) "
             "OR e.id = ANY(ARRAY(SELECT qa.event_id FROM actor_aliases qal "
             "JOIN event_actors qa ON qa.actor_id = qal.actor_id WHERE qal.match_key = {p2})))",
    }
    DATE_SORT_EXPR = "coalesce(e.date_start, DATE '0001-01-01')"
    GROUPINGS = {"none": ("", "NULL::text", "NULL::text"), "type": ("", "e.plover_type", "e.plover_type"),
                 "actor": ("JOIN event_actors gea ON gea.event_id = e.id JOIN actors ga ON ga.id = gea.actor_id",
                           "ga.id", "coalesce(ga.name_en, ga.name_ar)")}
    FACETS = {"type": GROUPINGS["type"], "status": ("", "e.status", "e.status"), "actor": GROUPINGS["actor"],
              "location": ("JOIN actors gl ON gl.id = e.location_actor_id", "gl.id", "coalesce(gl.name_en, gl.name_ar)")}
    TIMELINE_SQL = """
SELECT date_trunc({interval}, e.date_start::timestamp)::date AS period, {key} AS key, {label} AS label,
       count(DISTINCT e.id) AS count
FROM events e {joins}
WHERE {where} AND e.date_start IS NOT NULL
GROUP BY 1, 2, 3
ORDER BY 1, 4 DESC, 2
"""
    TOTAL_SQL = "SELECT count(*) FROM events e WHERE {where}"
    COUNT_SQL = ("SELECT count(*) FILTER (WHERE e.date_start IS NULL) AS undated, count(*) AS total "
                 "FROM events e WHERE {where}")
    FACET_SQL = """
SELECT {key} AS value, {label} AS label, count(DISTINCT e.id) AS count
FROM events e {joins}
WHERE {where} AND {key} IS NOT NULL
GROUP BY 1, 2
ORDER BY 3 DESC, 1
LIMIT {limit}
"""

    class SqlQuery:  # type: ignore[no-redef]
        def __init__(self) -> None:
            self.where: list[str] = []
            self.args: list[Any] = []

        def param(self, value: Any) -> str:
            self.args.append(value)
            return f"${len(self.args)}"

        def add(self, template: str, values: list[Any]) -> None:
            names = {f"p{i}": self.param(v) for i, v in enumerate(values)}
            self.where.append("(" + template.format(**names) + ")")

        @property
        def where_sql(self) -> str:
            return " AND ".join(self.where) or "TRUE"

    def keyset_sql(select: str, query: Any, sort: Any, id_expr: str, after: Any, limit: int | None) -> str:
        if after is not None:
            key, last_id = after
            query.where.append(f"({DATE_SORT_EXPR}, {id_expr}) < ({query.param(key)}::date, {query.param(last_id)})")
        sql = f"{select}\nWHERE {query.where_sql}\nORDER BY {DATE_SORT_EXPR} DESC, {id_expr} DESC"
        if limit is not None:
            sql += f"\nLIMIT {query.param(limit)}"
        return sql

    EVENT_SORTS = {"-date": None}

# Marsad's default order for events: newest first, then id.
DEFAULT_SORT = "-date"
FACET_NAMES = ("type", "status", "location", "actor")
FACET_LIMIT = 10


@dataclass(frozen=True)
class EventFilter:
    """The event filters the workloads use, as already-resolved values (actor ids, dates)."""

    date_from: date | None = None
    date_to: date | None = None
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    q: str | None = None

    def query(self) -> Any:
        """The WHERE clause and its arguments, built by Marsad's allow-list."""
        query = SqlQuery()
        if self.date_from:
            query.add(FILTER_SQL["from"], [self.date_from])
        if self.date_to:
            query.add(FILTER_SQL["to"], [self.date_to])
        for actor in self.actors:  # actor_match=all: one condition per actor
            query.add(FILTER_SQL["actor"], [[actor]])
        if self.types:
            query.add(FILTER_SQL["type"], [list(self.types)])
        if self.statuses:
            query.add(FILTER_SQL["status"], [list(self.statuses)])
        if self.q:
            query.add(FILTER_SQL["q"], [fold(self.q), self.q, match_key(self.q)])
        return query

    def params(self) -> list[tuple[str, str]]:
        """The same filter as query-string parameters."""
        out: list[tuple[str, str]] = []
        if self.date_from:
            out.append(("from", self.date_from.isoformat()))
        if self.date_to:
            out.append(("to", self.date_to.isoformat()))
        out += [("actor", a) for a in self.actors]
        out += [("type", t) for t in self.types]
        out += [("status", s) for s in self.statuses]
        if self.q:
            out.append(("q", self.q))
        return out


@dataclass
class Statement:
    sql: str
    args: list[Any] = field(default_factory=list)


def list_events(flt: EventFilter, limit: int | None, after: tuple[date, str] | None = None) -> Statement:
    """The page query of GET /v1/events (newest first, then id; ``limit`` rows, None: all)."""
    query = flt.query()
    sql = keyset_sql(EVENT_SELECT, query, EVENT_SORTS[DEFAULT_SORT], "e.id", after, limit)
    return Statement(sql, query.args)


def events_by_id(ids: list[str]) -> Statement:
    return Statement(EVENT_SELECT + "\nWHERE e.id = ANY($1::text[]) ORDER BY e.id", [ids])


def timeline_counts(flt: EventFilter) -> Statement:
    query = flt.query()
    return Statement(COUNT_SQL.format(where=query.where_sql), query.args)


def timeline(flt: EventFilter, interval: str = "month", group_by: str = "type") -> Statement:
    query = flt.query()
    joins, key, label = GROUPINGS[group_by]
    args = [*query.args, interval]
    sql = TIMELINE_SQL.format(interval=f"${len(args)}", key=key, label=label, joins=joins, where=query.where_sql)
    return Statement(sql, args)


def facets(flt: EventFilter) -> list[tuple[str, Statement]]:
    query = flt.query()
    out = [("total", Statement(TOTAL_SQL.format(where=query.where_sql), list(query.args)))]
    args = [*query.args, FACET_LIMIT]
    for name in FACET_NAMES:
        joins, key, label = FACETS[name]
        sql = FACET_SQL.format(key=key, label=label, joins=joins, where=query.where_sql, limit=f"${len(args)}")
        out.append((name, Statement(sql, list(args))))
    return out
