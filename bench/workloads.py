"""The read workloads: each is a list of request paths (the same for Marsad, the FastAPI peer and the
Starlette floor) drawn deterministically from the generated dataset, the equivalent Datasette
requests where Datasette can answer them, and the in-process floor that runs the same statements
through asyncpg without HTTP. Exports are measured apart (``Export``)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import asyncpg

from bench.peers import data

FACET_PARAM = "type,status,location,actor"
EXPORT_ROWS = 100_000
DATASETTE_DB = "/bench"
# Marsad's scalar fields: the columns of a CSV row before its JSON cells (what Datasette's rows hold).
SCALAR_FIELDS = "type,mode,cameo,status,date,location,summary,confidence,source_count,updated_at"
SEARCH_TERMS = ("زيارة", "عقوبات", "اتفاقية", "هجوماً", "تعزيزات")


@dataclass
class Workload:
    name: str
    title: str
    paths: list[str]
    walk: bool = False  # paths are first pages: follow `next` to build the replayed list
    filtered_list: bool = False  # counts towards the "filtered event lists" target
    datasette: list[str] | None = None  # the same question asked of Datasette (None: it has no answer)
    aggregate: bool = False  # counts towards the "timeline and facets" target


@dataclass
class Export:
    """One streamed export: the path per server (None: not served) and the rows it matches."""

    name: str
    title: str
    paths: dict[str, str]
    rows: int


def _windows(
    rng: random.Random, months: int, n: int, span: tuple[date, date] = (date(2021, 1, 1), date(2025, 12, 31))
) -> list[tuple[date, date]]:
    """``n`` windows of ``months`` months within ``span`` (the generated data's five years by default)."""
    out = []
    days = max(1, (span[1] - span[0]).days - months * 31)
    for _ in range(n):
        start = span[0] + timedelta(days=rng.randrange(0, days))
        start = start.replace(day=1)
        end = (start + timedelta(days=months * 31)).replace(day=1) - timedelta(days=1)
        out.append((start, end))
    return out


def _path(base: str, params: list[tuple[str, str]]) -> str:
    return base + ("?" + urlencode(params) if params else "")


def _sql(query: str) -> str:
    """A Datasette SQL request over the copy (read-only SQL is part of its API)."""
    return f"{DATASETTE_DB}.json?_shape=array&sql=" + quote(" ".join(query.split()))


def _datasette_window(lo: date | None, hi: date | None) -> list[tuple[str, str]]:
    """Marsad's overlap filter on Datasette's column filters: ends on or after lo, starts by hi."""
    out = [("date_end__gte", str(lo))] if lo else []
    return out + ([("date_start__lte", str(hi))] if hi else [])


def _datasette_actor_page(window: tuple[date, date], actor: str, extra: list[tuple[str, str]]) -> str:
    params = [
        *_datasette_window(*window),
        ("_where", f"id in (select event_id from event_actors where actor_id = '{actor}')"),
        *extra,
        ("_sort_desc", "date_start"),
        ("_size", "50"),
    ]
    return _path(f"{DATASETTE_DB}/events.json", params)


def _datasette_facets(window: tuple[date, date] | None) -> str:
    params = [*(_datasette_window(*window) if window else []), ("_size", "1")]
    params += [("_facet", f) for f in ("plover_type", "status", "location_actor_id")]
    return _path(f"{DATASETTE_DB}/events.json", params)


async def build(conn: asyncpg.Connection, info: dict[str, Any], seed: int = 1) -> dict[str, Workload]:
    """The workloads over the dataset described by ``info`` (the generator's report)."""
    rng = random.Random(seed)
    sample_ids = [
        r["id"]
        for r in await conn.fetch(
            "SELECT id FROM events WHERE id >= $1 ORDER BY id LIMIT 200",
            f"evt_{rng.getrandbits(64):016x}"[:8],
        )
    ]
    actors = [*list(info["top_actors"]), info["mid_actor"]]
    span = tuple(date.fromisoformat(d) for d in info["span"]) if "span" in info else None
    windows = _windows(rng, 6, 12, span) if span else _windows(rng, 6, 12)  # type: ignore[arg-type]
    pairs = [(w, actors[i % len(actors)]) for i, w in enumerate(windows)]

    wl = [
        Workload(
            "event_by_id",
            "GET /v1/events/{id}",
            [f"/v1/events/{i}" for i in sample_ids],
            datasette=[f"{DATASETTE_DB}/events/{i}.json" for i in sample_ids],
        ),
        Workload(
            "events_date_actor",
            "events by date range (6 months) + actor",
            [_path("/v1/events", [("from", str(w[0])), ("to", str(w[1])), ("actor", a)]) for w, a in pairs],
            filtered_list=True,
            datasette=[_datasette_actor_page(w, a, []) for w, a in pairs],
        ),
        Workload(
            "events_date_actor_type_status",
            "... + type=CONSULT + status=occurred",
            [
                _path(
                    "/v1/events",
                    [
                        ("from", str(w[0])),
                        ("to", str(w[1])),
                        ("actor", a),
                        ("type", "CONSULT"),
                        ("status", "occurred"),
                    ],
                )
                for w, a in pairs
            ],
            filtered_list=True,
            datasette=[
                _datasette_actor_page(w, a, [("plover_type", "CONSULT"), ("status", "occurred")])
                for w, a in pairs
            ],
        ),
        Workload(
            "page_200_cursor",
            "pages of 200 by cursor (type=CONSULT), walked from page 1",
            [_path("/v1/events", [("type", "CONSULT"), ("limit", "200")])],
            walk=True,
            filtered_list=True,
        ),
        Workload(
            "event_embedded",
            "events with attributions + claims embedded (include=claims, 10 per page)",
            [
                _path(
                    "/v1/events",
                    [
                        ("from", str(w[0])),
                        ("to", str(w[1])),
                        ("actor", a),
                        ("include", "claims"),
                        ("limit", "10"),
                    ],
                )
                for w, a in pairs
            ],
        ),
        Workload(
            "search_q",
            "Arabic full-text q= (newest 50)",
            [_path("/v1/events", [("q", t)]) for t in SEARCH_TERMS],
        ),
        Workload(
            "timeline",
            "monthly timeline by type over five years",
            [_path("/v1/stats/timeline", [("interval", "month"), ("group_by", "type")])],
            datasette=[
                _sql(
                    "select substr(date_start, 1, 7) as month, plover_type, count(*) as n from events "
                    "where date_start is not null group by 1, 2 order by 1, 3 desc"
                )
            ],
            aggregate=True,
        ),
        Workload(
            "timeline_daily_actor",
            "daily timeline of the 20 busiest actors over five years",
            [_path("/v1/stats/timeline", [("interval", "day"), ("group_by", "actor")])],
            datasette=[
                _sql(
                    "select e.date_start as day, ea.actor_id, count(distinct e.id) as n "
                    "from event_actors ea join events e on e.id = ea.event_id "
                    "where e.date_start is not null and ea.actor_id in "
                    "(select actor_id from event_actors group by actor_id order by count(*) desc limit 20) "
                    "group by 1, 2 order by 1"
                )
            ],
            aggregate=True,
        ),
        Workload(
            "timeline_dense",
            "monthly timeline by type over five years, as series (shape=dense)",
            [_path("/v1/stats/timeline", [("interval", "month"), ("group_by", "type"), ("shape", "dense")])],
            aggregate=True,
        ),
        Workload(
            "timeline_daily_actor_dense",
            "daily timeline of the 20 busiest actors over five years, as series (shape=dense)",
            [_path("/v1/stats/timeline", [("interval", "day"), ("group_by", "actor"), ("shape", "dense")])],
            aggregate=True,
        ),
        Workload(
            "timeline_daily_actor_sparse",
            "daily timeline of the 20 busiest actors over five years, as series (shape=sparse)",
            [_path("/v1/stats/timeline", [("interval", "day"), ("group_by", "actor"), ("shape", "sparse")])],
            aggregate=True,
        ),
        Workload(
            "timeline_window_type",
            "weekly timeline of one type over a 6-month window",
            [
                _path(
                    "/v1/stats/timeline",
                    [("from", str(w[0])), ("to", str(w[1])), ("type", "ASSAULT"), ("interval", "week")],
                )
                for w in windows[:6]
            ],
            aggregate=True,
        ),
        Workload(
            "facets",
            "facets (type, status, location, actor) over 6 months",
            [
                _path("/v1/stats/facets", [("from", str(w[0])), ("to", str(w[1])), ("facet", FACET_PARAM)])
                for w in windows[:6]
            ],
            datasette=[_datasette_facets(w) for w in windows[:6]],
            aggregate=True,
        ),
        Workload(
            "facets_5y",
            "facets (type, status, location, actor) over five years",
            [_path("/v1/stats/facets", [("facet", FACET_PARAM)])],
            datasette=[_datasette_facets(None)],
            aggregate=True,
        ),
        Workload(
            "facets_actor",
            "one actor's facets by type and status over a year",
            [
                _path(
                    "/v1/stats/facets",
                    [
                        ("from", f"{2021 + i % 5}-01-01"),
                        ("to", f"{2021 + i % 5}-12-31"),
                        ("actor", a),
                        ("facet", "type,status"),
                    ],
                )
                for i, a in enumerate(actors)
            ],
            aggregate=True,
        ),
    ]
    return {w.name: w for w in wl}


async def exports(conn: asyncpg.Connection, info: dict[str, Any]) -> list[Export]:
    """The streamed exports: the newest ~EXPORT_ROWS events (and a tenth of them, for memory)."""
    out = []
    for rows in (min(EXPORT_ROWS, info["events"]), min(EXPORT_ROWS, info["events"]) // 10):
        day = await conn.fetchval(
            "SELECT coalesce(date_end, date_start) FROM events WHERE date_start IS NOT NULL "
            "ORDER BY coalesce(date_end, date_start) DESC LIMIT 1 OFFSET $1",
            rows - 1,
        )
        window = [("from", str(day))] if day is not None and rows < info["events"] else []
        matched = (
            await conn.fetchval("SELECT count(*) FROM events WHERE coalesce(date_end, date_start) >= $1", day)
            if window
            else info["events"]
        )
        links = (
            await conn.fetchval(
                "SELECT count(*) FROM event_attributions a JOIN events e ON e.id = a.event_id "
                "WHERE coalesce(e.date_end, e.date_start) >= $1",
                day,
            )
            if window
            else await conn.fetchval("SELECT count(*) FROM event_attributions")
        )
        suffix = "" if rows == min(EXPORT_ROWS, info["events"]) else "_small"
        datasette = (
            _path(
                f"{DATASETTE_DB}/events.csv",
                [*_datasette_window(day, None), ("_stream", "on"), ("_size", "max")],
            )
            if window
            else f"{DATASETTE_DB}/events.csv?_stream=on&_size=max"
        )

        def same(fmt: str, *extra: tuple[str, str], window: list[tuple[str, str]] = window) -> str:
            return _path("/v1/events", [("format", fmt), *window, *extra])

        out += [
            Export(
                f"ndjson{suffix}", f"NDJSON, the newest {matched:,} events", {"*": same("ndjson")}, matched
            ),
            Export(
                f"csv{suffix}",
                f"CSV, the newest {matched:,} events (lists as JSON cells); Datasette: its events table",
                {"*": same("csv"), "datasette": datasette},
                matched,
            ),
        ]
        if not suffix:
            out += [
                Export(
                    "csv_fields",
                    f"CSV cut to the scalar fields (fields=...), {matched:,} events",
                    {"marsad": same("csv", ("fields", SCALAR_FIELDS))},
                    matched,
                ),
                Export(
                    "csv_attributions",
                    f"CSV, one record per attribution (rows=attributions), {links:,} records",
                    {"*": same("csv", ("rows", "attributions"))},
                    links,
                ),
            ]
    return out


async def floor_call(conn: asyncpg.Connection, path: str) -> int:
    """Run, in-process, what the servers run for ``path``; returns the number of rows read (for a
    timeline the rollups cover, the size of the JSON body the server would send)."""
    parts = urlsplit(path)
    params = parse_qsl(parts.query)
    route = parts.path
    if route == "/v1/events":
        rows, _ = await data.event_page(conn, params)
        return len(rows.events)
    if route.startswith("/v1/events/"):
        one = await data.event_one(conn, route.rsplit("/", 1)[1], dict(params).get("include", ""))
        return 1 if one else 0
    if route == "/v1/stats/timeline" and dict(params).get("shape", "buckets") != "buckets":
        return len(await data.timeline_series(conn, params))
    if route == "/v1/stats/timeline":
        body = await data.timeline_body(conn, params)  # the server's own path where the rollups cover
        return len(body) if body is not None else len(await data.timeline_rows(conn, params))
    if route == "/v1/stats/facets":
        total, _ = await data.facet_rows(conn, params)
        return total
    raise ValueError(route)
