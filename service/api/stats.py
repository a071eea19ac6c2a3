"""GET /v1/stats/timeline and /v1/stats/facets: what a dashboard needs, in one call, for any filter."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from service.api.caching import cached_body, cached_json, matches, not_modified, request_etag
from service.api.listing import Conditions, filter_query, read_filters, single_param
from service.api.openapi import control_parameter, filter_parameter, make_operation
from service.db import rollups
from service.db.filters import EVENT_FILTERS, not_one_of, parse_int, split_values
from service.db.series import SHAPES, axis, from_buckets, rollup_series, rollup_timeline, rollup_timeline_json
from service.db.stats import (
    FACETS,
    GROUPINGS,
    MAX_TIMELINE_BUCKETS,
    facet_counts,
    rollup_facet_counts,
    timeline,
)
from service.errors import InvalidParameter
from service.models import Facets, FacetValue, Timeline, TimelineSeriesSet

INTERVALS = ("day", "week", "month", "year")
ACTOR_MATCH = "With several actor/country values: any (default) or all must match."

GROUP_LIMIT, MAX_GROUP_LIMIT = 20, 1000

TIMELINE_PARAMS = {
    "interval": f"Bucket size: {', '.join(INTERVALS)} (default month). Weeks start on Monday.",
    "group_by": f"Split counts by: {', '.join(GROUPINGS)} (default none).",
    "group_limit": f"With group_by: the groups with the most events over the whole window, 1-{MAX_GROUP_LIMIT} "
    f"(default {GROUP_LIMIT}); `truncated` is true when there are more. A timeline holds at most "
    f"{MAX_TIMELINE_BUCKETS:,} buckets (periods x groups); beyond that, a 400.",
    "shape": "How the counts are laid out: `buckets` (default: one object per period and group), `dense` "
    "(one series per group, a count for every period from `start`, zeros included) or `sparse` (one series "
    "per group, the periods with events as `offsets` from `start`). Dense counts every period of every "
    f"series towards the {MAX_TIMELINE_BUCKETS:,} limit.",
    "actor_match": ACTOR_MATCH,
}
FACET_PARAMS = {
    "facet": f"Facets to compute (repeatable or comma-separated; default all): {', '.join(FACETS)}.",
    "facet_limit": "Values per facet, 1-100 (default 10).",
    "actor_match": ACTOR_MATCH,
}


def _choice(request: Request, name: str, choices: tuple[str, ...], default: str) -> str:
    value = single_param(request, name) or default
    if value not in choices:
        raise not_one_of(name, value, choices)
    return value


def _operation(params: dict[str, str]) -> Any:
    from litestar.openapi.spec import Schema
    from litestar.openapi.spec.enums import OpenAPIType

    controls = []
    for name, doc in params.items():
        p = control_parameter(name, doc, [], [], [], [])
        if name == "interval":
            p.schema = Schema(type=OpenAPIType.STRING, enum=list(INTERVALS))
        elif name == "shape":
            p.schema = Schema(type=OpenAPIType.STRING, enum=list(SHAPES))
        elif name == "group_by":
            p.schema = Schema(type=OpenAPIType.STRING, enum=list(GROUPINGS))
        elif name == "facet":
            p.schema = Schema(
                type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.STRING, enum=list(FACETS))
            )
        elif name == "facet_limit":
            p.schema = Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=100)
        elif name == "group_limit":
            p.schema = Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=MAX_GROUP_LIMIT)
        controls.append(p)
    return make_operation([filter_parameter(n, f) for n, f in EVENT_FILTERS.items()] + controls)


async def timeline_for(
    db: asyncpg.Connection, parsed: Conditions, interval: str, group_by: str, group_limit: int = GROUP_LIMIT
) -> Timeline:
    """The timeline for parsed event filters: from the rollups when they cover them, else from the events."""
    cover = rollups.cover(parsed.items)
    if cover is not None and rollups.covers_timeline(cover, group_by):
        return await rollup_timeline(db, cover, interval, group_by, group_limit)
    return await timeline(db, await filter_query(db, parsed), interval, group_by, group_limit)


async def series_for(
    db: asyncpg.Connection, parsed: Conditions, interval: str, group_by: str, group_limit: int, shape: str
) -> TimelineSeriesSet:
    """The timeline as one series per group (``shape`` dense or sparse), from the rollups when they
    cover the filter, else the buckets counted from the events laid out as series."""
    cover = rollups.cover(parsed.items)
    if cover is not None and rollups.covers_timeline(cover, group_by):
        return await rollup_series(db, cover, interval, group_by, group_limit, shape)
    counted = await timeline(db, await filter_query(db, parsed), interval, group_by, group_limit)
    dates = {name: values[0] for name, _, values in parsed.items if name in ("from", "to")}
    w = await rollups.window(db, rollups.Cover(date_from=dates.get("from"), date_to=dates.get("to")))
    anchor, last = axis(w, interval)
    return from_buckets(counted, shape, anchor, last)


async def facets_for(
    db: asyncpg.Connection, parsed: Conditions, names: list[str], limit: int
) -> tuple[int, dict[str, list[FacetValue]], list[str], float]:
    """Facets for parsed event filters: (total, values per facet, facets estimated from a sample,
    the sample's fraction). The rollups count what they cover; the rest is counted from the events."""
    names = list(dict.fromkeys(names))
    cover = rollups.cover(parsed.items)
    rolled = [n for n in names if cover is not None and rollups.covers_facets(cover, [n])]
    facets: dict[str, list[FacetValue]] = {}
    estimated: list[str] = []
    fraction, total = 1.0, 0
    if rolled:
        assert cover is not None
        total, facets = await rollup_facet_counts(db, cover, rolled, limit)
    if rest := [n for n in names if n not in rolled]:
        query = await filter_query(db, parsed)
        total, counted, estimated, fraction = await facet_counts(db, query, rest, limit)
        facets |= counted
    return total, {n: facets[n] for n in names}, estimated, fraction


class StatsController(Controller):
    path = "/v1/stats"
    tags = ["stats"]  # noqa: RUF012 - Litestar reads it as a class attribute

    @get(
        "/timeline",
        summary="Event counts per day/week/month/year, optionally grouped",
        operation_class=_operation(TIMELINE_PARAMS),
    )
    async def get_timeline(
        self, request: Request, db: NamedDependency[asyncpg.Connection]
    ) -> Response[Timeline | TimelineSeriesSet]:
        parsed = await read_filters(db, request, EVENT_FILTERS, set(TIMELINE_PARAMS))
        interval = _choice(request, "interval", INTERVALS, "month")
        group_by = _choice(request, "group_by", tuple(GROUPINGS), "none")
        shape = _choice(request, "shape", SHAPES, "buckets")
        raw_limit = request.query_params.getall("group_limit", [])
        group_limit = parse_int(1, MAX_GROUP_LIMIT)("group_limit", raw_limit)[0] if raw_limit else GROUP_LIMIT
        etag = await request_etag(db, request)
        if matches(request, etag):
            return not_modified(etag)
        if shape != "buckets":
            return cached_json(await series_for(db, parsed, interval, group_by, group_limit, shape), etag)
        cover = rollups.cover(parsed.items)
        if cover is not None and rollups.covers_timeline(cover, group_by):
            # timeline_for's answer, encoded from the rollups' arrays without an object per bucket
            body = await rollup_timeline_json(db, cover, interval, group_by, group_limit)
            return cached_body(body, etag)
        return cached_json(await timeline_for(db, parsed, interval, group_by, group_limit), etag)

    @get(
        "/facets",
        summary="Top values of each filterable event field for the current filter (exact from the rollups "
        "where they cover the filter; otherwise link facets of large sets estimated from a sample: see "
        "`estimated`)",
        operation_class=_operation(FACET_PARAMS),
    )
    async def get_facets(self, request: Request, db: NamedDependency[asyncpg.Connection]) -> Response[Facets]:
        parsed = await read_filters(db, request, EVENT_FILTERS, set(FACET_PARAMS))
        names = list(FACETS)
        if raw := request.query_params.getall("facet", []):
            names = split_values("facet", raw)
            for name in names:
                if name not in FACETS:
                    raise InvalidParameter(
                        f"Parameter 'facet' must be among {', '.join(FACETS)}; got {name!r}",
                        parameter="facet",
                    )
        raw_limit = request.query_params.getall("facet_limit", [])
        limit = parse_int(1, 100)("facet_limit", raw_limit)[0] if raw_limit else 10
        etag = await request_etag(db, request)
        if matches(request, etag):
            return not_modified(etag)
        total, facets, estimated, fraction = await facets_for(db, parsed, names, limit)
        body = Facets(
            total=total,
            facets={n: facets[n] for n in names},
            estimated=estimated,
            sample_fraction=fraction,
        )
        return cached_json(body, etag)
