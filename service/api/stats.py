"""GET /v1/stats/timeline and /v1/stats/facets: what a dashboard needs, in one call, for any filter."""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from service.api.caching import cache_headers, matches, not_modified, request_etag
from service.api.formats import encoder
from service.api.listing import parse_filters, single_param
from service.api.openapi import control_parameter, filter_parameter, make_operation
from service.db.filters import EVENT_FILTERS, not_one_of, parse_int, split_values
from service.db.stats import FACETS, GROUPINGS, facet_counts, timeline
from service.errors import InvalidParameter
from service.models import Facets, Timeline

INTERVALS = ("day", "week", "month", "year")
ACTOR_MATCH = "With several actor/country values: any (default) or all must match."

TIMELINE_PARAMS = {
    "interval": f"Bucket size: {', '.join(INTERVALS)} (default month). Weeks start on Monday.",
    "group_by": f"Split counts by: {', '.join(GROUPINGS)} (default none).",
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
        elif name == "group_by":
            p.schema = Schema(type=OpenAPIType.STRING, enum=list(GROUPINGS))
        elif name == "facet":
            p.schema = Schema(
                type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.STRING, enum=list(FACETS))
            )
        elif name == "facet_limit":
            p.schema = Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=100)
        controls.append(p)
    return make_operation([filter_parameter(n, f) for n, f in EVENT_FILTERS.items()] + controls)


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
    ) -> Response[Timeline]:
        query = await parse_filters(db, request, EVENT_FILTERS, set(TIMELINE_PARAMS))
        interval = _choice(request, "interval", INTERVALS, "month")
        group_by = _choice(request, "group_by", tuple(GROUPINGS), "none")
        etag = await request_etag(db, request)
        if matches(request, etag):
            return not_modified(etag)
        result = await timeline(db, query, interval, group_by)
        return Response(encoder.encode(result), media_type="application/json", headers=cache_headers(etag))

    @get(
        "/facets",
        summary="Top values of each filterable event field for the current filter (link facets of "
        "large sets estimated from a sample: see `estimated`)",
        operation_class=_operation(FACET_PARAMS),
    )
    async def get_facets(self, request: Request, db: NamedDependency[asyncpg.Connection]) -> Response[Facets]:
        query = await parse_filters(db, request, EVENT_FILTERS, set(FACET_PARAMS))
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
        total, facets, estimated, fraction = await facet_counts(db, query, names, limit)
        body = Facets(total=total, facets=facets, estimated=estimated, sample_fraction=fraction)
        return Response(encoder.encode(body), media_type="application/json", headers=cache_headers(etag))
