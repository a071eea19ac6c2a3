"""The SQL every peer runs, built once per request shape.

Marsad's own SQL is imported from ``service.db`` (the filter allow-list with its drives, the keyset
composer, the event queries, the timeline and facet queries), so the FastAPI peer, the Starlette
floor and the in-process asyncpg floor execute exactly what Marsad executes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from service.db import rollups
from service.db.events import EVENT_LIST_SELECT, SELECT_EVENTS_BY_ID
from service.db.filters import EVENT_FILTERS, EVENT_SORTS, SqlQuery, keyset_sql
from service.db.series import axis
from service.db.stats import facet_statement, timeline_statement
from service.text import fold, match_key

SQL_ORIGIN = "service.db (Marsad's own SQL)"
FILTER_SQL = {name: f.sql for name, f in EVENT_FILTERS.items()}
ACTOR = EVENT_FILTERS["actor"]
TO = EVENT_FILTERS["to"]

# Marsad's default order for events: newest first, then id.
DEFAULT_SORT = "-date"
FACET_NAMES = ("type", "status", "location", "actor")
FACET_LIMIT = 10
GROUP_LIMIT = 20  # GET /v1/stats/timeline's default group_limit


@dataclass(frozen=True)
class EventFilter:
    """The event filters the workloads use, as already-resolved values (actor ids, dates)."""

    date_from: date | None = None
    date_to: date | None = None
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    q: str | None = None

    def query(self, drive: bool = True) -> Any:
        """The WHERE clause and its arguments, built by Marsad's allow-list (``drive``: for a list,
        as listing.parse_filters builds it; aggregates have no order to drive)."""
        query = SqlQuery()

        def add(name: str, template: str, values: list[Any]) -> None:
            query.add(template, values)
            query.named.append((name, values))  # as listing.filter_query names them (exports read it)

        actors = list(self.actors)
        if drive and actors and ACTOR.drive is not None:  # one actor id drives the date order
            query.drive = ACTOR.drive
            add("actor", ACTOR.drive.condition, [actors.pop(0)])
        if self.date_from:
            add("from", FILTER_SQL["from"], [self.date_from])
        if self.date_to:
            add("to", TO.driven if query.drive and TO.driven else FILTER_SQL["to"], [self.date_to])
        for actor in actors:  # actor_match=all: one condition per actor
            add("actor", FILTER_SQL["actor"], [[actor]])
        if self.types:
            add("type", FILTER_SQL["type"], [list(self.types)])
        if self.statuses:
            add("status", FILTER_SQL["status"], [list(self.statuses)])
        if self.q:
            add("q", FILTER_SQL["q"], [fold(self.q), self.q, match_key(self.q)])
        return query

    def cover(self) -> rollups.Cover | None:
        """What Marsad's stats answer from the rollups (service.db.rollups.cover), or None."""
        if self.q or len(self.actors) > 1:
            return None
        return rollups.Cover(
            date_from=self.date_from,
            date_to=self.date_to,
            types=self.types or None,
            statuses=self.statuses or None,
            dim=("actor", self.actors[0]) if self.actors else None,
        )

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
    sql = keyset_sql(EVENT_LIST_SELECT, query, EVENT_SORTS[DEFAULT_SORT], "e.id", after, limit)
    return Statement(sql, query.args)


def export_events(flt: EventFilter, limit: int | None) -> Statement:
    """The statement of a streamed export (GET /v1/events?format=ndjson): the stored documents."""
    query = flt.query()
    sql = keyset_sql(EVENT_LIST_SELECT, query, EVENT_SORTS[DEFAULT_SORT], "e.id", None, limit)
    return Statement(sql, query.args)


def events_by_id(ids: list[str]) -> Statement:
    return Statement(SELECT_EVENTS_BY_ID, [ids])


def timeline(
    flt: EventFilter, interval: str = "month", group_by: str = "type", extent: tuple[date, date] | None = None
) -> Statement:
    """GET /v1/stats/timeline's main statement: from the rollups when they cover the filter
    (``extent``: the data's first and last day, see rollups.window)."""
    cover = flt.cover()
    if cover is not None and rollups.covers_timeline(cover, group_by):
        window = rollups.Window(cover, *(extent or (date(2021, 1, 1), date(2025, 12, 31))))
        anchor, _ = axis(window, interval)
        sql, args = rollups.series_statement(window, interval, group_by, GROUP_LIMIT, anchor, None)
    else:
        sql, args = timeline_statement(flt.query(drive=False), interval, group_by, GROUP_LIMIT)
    return Statement(sql, args)


def facets(
    flt: EventFilter, names: list[str] | None = None, extent: tuple[date, date] | None = None
) -> Statement:
    """GET /v1/stats/facets: one statement for every facet (from the rollups when they cover it)."""
    names = names or list(FACET_NAMES)
    cover = flt.cover()
    if cover is not None and rollups.covers_facets(cover, names):
        window = rollups.Window(cover, *(extent or (date(2021, 1, 1), date(2025, 12, 31))))
        sql, args = rollups.facet_statement(window, names, FACET_LIMIT)
    else:
        sql, args, _ = facet_statement(flt.query(drive=False), names, FACET_LIMIT)
    return Statement(sql, args)
