"""The read workloads: each is a list of request paths (the same for every server) drawn
deterministically from the generated dataset, plus the in-process floor that runs the same
statements through asyncpg without HTTP."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import asyncpg

from bench.peers import data

FACET_PARAM = "type,status,location,actor"
EXPORT_ROWS = 100_000
SEARCH_TERMS = ("زيارة", "عقوبات", "اتفاقية", "هجوماً", "تعزيزات")


@dataclass
class Workload:
    name: str
    title: str
    paths: list[str]
    walk: bool = False  # paths are first pages: follow `next` to build the replayed list
    filtered_list: bool = False  # counts towards the "filtered event lists" target


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


async def build(conn: asyncpg.Connection, info: dict[str, Any], seed: int = 1) -> dict[str, Workload]:
    """The workloads over the dataset described by ``info`` (the generator's report)."""
    rng = random.Random(seed)
    events = info["events"]
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

    async def newest(n: int) -> list[tuple[str, str]]:
        """A `from` filter matching about the ``n`` newest events (no filter: all of them)."""
        day = await conn.fetchval(
            "SELECT coalesce(date_end, date_start) FROM events WHERE date_start IS NOT NULL "
            "ORDER BY coalesce(date_end, date_start) DESC LIMIT 1 OFFSET $1",
            n - 1,
        )
        return [("from", str(day))] if day is not None and n < events else []

    export = min(EXPORT_ROWS, events)
    wl = [
        Workload("event_by_id", "GET /v1/events/{id}", [f"/v1/events/{i}" for i in sample_ids]),
        Workload(
            "events_date_actor",
            "events by date range (6 months) + actor",
            [_path("/v1/events", [("from", str(w[0])), ("to", str(w[1])), ("actor", a)]) for w, a in pairs],
            filtered_list=True,
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
        ),
        Workload(
            "facets",
            "facets (type, status, location, actor) over 6 months",
            [
                _path("/v1/stats/facets", [("from", str(w[0])), ("to", str(w[1])), ("facet", FACET_PARAM)])
                for w in windows[:6]
            ],
        ),
    ]
    out = {w.name: w for w in wl}
    out["_export"] = Workload(
        "export_ndjson",
        f"NDJSON export of the newest ~{export:,} events",
        [_path("/v1/events", [("format", "ndjson"), *await newest(export)])],
    )
    out["_export_small"] = Workload(
        "export_ndjson_small",
        f"NDJSON export of the newest ~{export // 10:,} events",
        [_path("/v1/events", [("format", "ndjson"), *await newest(export // 10)])],
    )
    return out


async def floor_call(conn: asyncpg.Connection, path: str) -> int:
    """Run, in-process, what the servers run for ``path``; returns the number of rows read."""
    parts = urlsplit(path)
    params = parse_qsl(parts.query)
    route = parts.path
    if route == "/v1/events":
        rows, _ = await data.event_page(conn, params)
        return len(rows.events)
    if route.startswith("/v1/events/"):
        one = await data.event_one(conn, route.rsplit("/", 1)[1], dict(params).get("include", ""))
        return 1 if one else 0
    if route == "/v1/stats/timeline":
        return len(await data.timeline_rows(conn, params))
    if route == "/v1/stats/facets":
        total, _ = await data.facet_rows(conn, [p for p in params if p[0] != "facet"])
        return total
    raise ValueError(route)
