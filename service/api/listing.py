"""One way to serve every list endpoint: parse the allow-listed parameters, revalidate (ETag),
page with keyset cursors, count on request, project and embed, and render JSON, NDJSON, CSV or
GeoJSON. NDJSON and CSV stream every matching row in constant memory (service.api.exports)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import msgspec
from litestar import Request, Response

from service.api.caching import cache_headers, matches, not_modified, request_etag
from service.api.exports import CsvWalk, Export, LinkRows, stream_export
from service.api.formats import MEDIA_TYPES, encoder, geo_feature, negotiate, project, struct_fields
from service.api.paging import decode_cursor, encode_cursor, next_url
from service.db.filters import (
    FEW,
    MAX_REPEATS,
    SERIAL_PAGE,
    Filter,
    Sort,
    SqlQuery,
    keyset_sql,
    not_one_of,
    split_values,
    strict_int,
)
from service.db.refs import resolve_actor_values, resolve_outlets
from service.errors import InvalidParameter

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000

Builder = Callable[[asyncpg.Connection, list[asyncpg.Record]], Awaitable[list[Any]]]
Includer = Callable[[asyncpg.Connection, list[Any]], Awaitable[list[Any]]]


@dataclass(frozen=True)
class ListSpec:
    """What a list endpoint serves: its table, filters, orders, loaders, embeddings and formats."""

    name: str
    item: type[msgspec.Struct]
    page: type[msgspec.Struct]
    select: str  # SELECT ... FROM <table> <alias> [joins]: filters and order are appended
    table: str  # "<table> <alias>" for counts
    id_expr: str
    filters: dict[str, Filter]
    sorts: dict[str, Sort]
    default_sort: str
    build: Builder
    includes: dict[str, Includer] = field(default_factory=dict)
    formats: tuple[str, ...] = ("json", "ndjson", "csv")
    geo_condition: str | None = None
    extra_params: dict[str, str] = field(default_factory=dict)  # endpoint-specific, parsed by the handler
    # Streamed exports (NDJSON, CSV): makes a builder for one export (it may keep state between
    # batches, e.g. caches); the same resources as ``build``, faster over many batches.
    exporter: Callable[[], Builder] | None = None
    # The record column holding each item's rendered JSON, when stored (events.document): pages and
    # NDJSON exports of whole items then pass it through instead of building and encoding the item.
    document: str | None = None
    # The same for its CSV record (event_csv.record), read by ``csv_select`` in CSV exports: a select
    # whose {record} is ``csv_record`` (the whole record) or ``csv_cut(column indexes)`` (SQL cutting
    # it to those columns), and that names it ``flat``; ``csv_by_id`` reads the same for a batch of
    # ids ($1) in their order.
    flat: str | None = None
    csv_select: str | None = None
    csv_record: str = ""
    csv_cut: Callable[[list[int]], str] | None = None
    csv_by_id: str | None = None
    keys_select: str | None = None  # the ids and sort keys alone (rows= exports)
    csv_walk: CsvWalk | None = None  # whole records read in order from their own table (exports.CsvWalk)
    # CSV exports with one record per link of each item: ``rows=<name>``.
    link_rows: dict[str, LinkRows] = field(default_factory=dict)

    @property
    def has_actor_filters(self) -> bool:
        return any(f.actor for f in self.filters.values())

    def control_params(self) -> dict[str, str]:
        """Parameters besides the filters, with their documentation."""
        params = {
            "limit": f"Page size, 1-{MAX_LIMIT} (default {DEFAULT_LIMIT}). NDJSON and CSV exports stream every "
            "matching row unless a limit is given.",
            "cursor": "The `next` token of the previous page (opaque; keep the other parameters unchanged).",
            "sort": "Order: "
            + "; ".join(f"`{k}` {s.doc}" for k, s in self.sorts.items())
            + f" Default `{self.default_sort}`.",
            "count": "`exact` or `estimated` (from the query plan): adds `count` to the body. Off by default.",
            "fields": "Comma-separated top-level fields to return (`id` is always included).",
            "format": "Representation: "
            + ", ".join(self.formats)
            + ". Default: from the Accept header, else json.",
        }
        if self.includes:
            params["include"] = (
                "Embed referenced resources once under `included`: " + ", ".join(self.includes) + "."
            )
        if self.has_actor_filters:
            params["actor_match"] = "With several actor/country values: `any` (default) or `all` must match."
        if self.link_rows:
            params["rows"] = (
                "CSV only: `"
                + self.name
                + "` (default, one record per item, its lists as JSON cells) or one record per "
                + " / per ".join(f"`{name}`" for name in self.link_rows)
                + " link of each item, paired by `event_id`."
            )
        return params


@dataclass
class ListRequest:
    query: SqlQuery
    sort_name: str
    sort: Sort
    after: tuple[Any, str] | None
    limit: int | None
    count: str | None
    fields: list[str] | None
    include: list[str]
    format: str
    rows: LinkRows | None = None


@dataclass
class Conditions:
    """The filters of a request, parsed: (name, spec, values), actor values resolved to id lists
    (one condition per actor value with ``actor_match=all``, else one for all of them)."""

    items: list[tuple[str, Filter, list[Any]]]


async def read_filters(
    db: asyncpg.Connection, request: Request[Any, Any, Any], filters: dict[str, Filter], allowed: set[str]
) -> Conditions:
    """Check every parameter against ``allowed`` and the filters, and parse the filters' values."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if key not in allowed and key not in filters:
            valid = sorted({*filters, *allowed})
            raise InvalidParameter(
                f"Unknown parameter {key!r}; this endpoint takes: {', '.join(valid)}",
                parameter=key,
                allowed=valid,
            )
        if "\x00" in value:  # Postgres text cannot hold NUL
            raise InvalidParameter(f"Parameter {key!r} contains a NUL character", parameter=key)
        params.setdefault(key, []).append(value)
    match_all = False
    if "actor_match" in params:
        match = params["actor_match"]
        if match not in (["all"], ["any"]):
            raise InvalidParameter("Parameter 'actor_match' must be 'all' or 'any'", parameter="actor_match")
        match_all = match == ["all"]
    items: list[tuple[str, Filter, list[Any]]] = []
    bounds: dict[str, Any] = {}
    for name, spec in filters.items():
        if name not in params:
            continue
        values = params[name]
        if not spec.repeatable and len(values) > 1:
            raise InvalidParameter(f"Parameter {name!r} may be given only once", parameter=name)
        if len(values) > MAX_REPEATS:
            raise InvalidParameter(
                f"Parameter {name!r} may be given at most {MAX_REPEATS} times", parameter=name
            )
        parsed = spec.parse(name, values)
        bounds[name] = parsed[0]
        if spec.outlet:
            parsed = [await resolve_outlets(db, parsed[0])]
        if not spec.actor:
            items.append((name, spec, parsed))
            continue
        resolved = await resolve_actor_values(db, parsed)
        groups = resolved if match_all else [sorted({i for ids in resolved for i in ids})]
        items += [(name, spec, [ids]) for ids in groups]
    if "from" in bounds and "to" in bounds and bounds["from"] > bounds["to"]:
        raise InvalidParameter(
            f"Parameter 'from' ({params['from'][0]}) is after 'to' ({params['to'][0]}): the period is empty",
            parameter="from",
        )
    return Conditions(items)


async def parse_filters(
    db: asyncpg.Connection,
    request: Request[Any, Any, Any],
    filters: dict[str, Filter],
    allowed: set[str],
    query: SqlQuery | None = None,
    sort_name: str | None = None,
) -> SqlQuery:
    """Check every parameter against ``allowed`` and add the filters' fragments to ``query``."""
    return await filter_query(db, await read_filters(db, request, filters, allowed), query, sort_name)


async def filter_query(
    db: asyncpg.Connection, parsed: Conditions, query: SqlQuery | None = None, sort_name: str | None = None
) -> SqlQuery:
    """The parsed filters' fragments added to ``query``.

    With ``sort_name``, the first filter that can drive that order with its single value does
    (see filters.Drive); the other filters then take their ``driven`` form where they have one.
    """
    query = query or SqlQuery()
    conditions = [(spec, values) for _, spec, values in parsed.items]
    driver = next((c for c in conditions if _drives(c, sort_name)), None) if query.drive is None else None
    if driver is not None:
        spec, values = driver
        query.drive = spec.drive
        query.add(spec.drive.condition, [values[0][0]])  # type: ignore[union-attr]
    for (name, _, _), condition in zip(parsed.items, conditions, strict=True):
        spec, values = condition
        query.named.append((name, values))
        if condition is driver:
            continue
        if query.drive is not None and spec.driven is not None:
            query.add(spec.driven, values)
        else:
            query.add(*await _fragment(db, spec, values))
    return query


def _drives(condition: tuple[Filter, list[Any]], sort_name: str | None) -> bool:
    spec, values = condition
    return (
        spec.drive is not None
        and sort_name in spec.drive.sorts
        and len(values) == 1
        and isinstance(values[0], list)
        and len(values[0]) == 1
    )


async def _fragment(db: asyncpg.Connection, spec: Filter, values: list[Any]) -> tuple[str, list[Any]]:
    """The filter's fragment for these values: its ``few`` form when a bounded count finds few rows."""
    if spec.count is not None and spec.few is not None:
        names = {f"p{i}": f"${i + 1}" for i in range(len(values))}
        if await db.fetchval(spec.count.format(**names), *values) < FEW:
            return spec.few, values
        return spec.sql, values
    return spec.fragment(values)


def single_param(request: Request[Any, Any, Any], name: str) -> str | None:
    values = request.query_params.getall(name, [])
    if not values:
        return None
    if len(values) > 1:
        raise InvalidParameter(f"Parameter {name!r} may be given only once", parameter=name)
    if not values[0].strip():
        raise InvalidParameter(
            f"Parameter {name!r} must not be empty (leave it out for the default)", parameter=name
        )
    return values[0]


def parse_limit(request: Request[Any, Any, Any], default: int | None, maximum: int = MAX_LIMIT) -> int | None:
    raw = single_param(request, "limit")
    if raw is None:
        return default
    try:
        limit = strict_int(raw)
    except ValueError:
        raise InvalidParameter(
            f"Parameter 'limit' must be an integer, got {raw!r}", parameter="limit"
        ) from None
    if not 1 <= limit <= maximum:
        raise InvalidParameter(
            f"Parameter 'limit' must be between 1 and {maximum}, got {limit}", parameter="limit"
        )
    return limit


async def parse_list_request(
    db: asyncpg.Connection, request: Request[Any, Any, Any], spec: ListSpec, query: SqlQuery | None = None
) -> ListRequest:
    controls = set(spec.control_params()) | set(spec.extra_params)
    sort_name = single_param(request, "sort") or spec.default_sort
    query = await parse_filters(
        db, request, spec.filters, controls, query, sort_name if sort_name in spec.sorts else None
    )
    fmt = negotiate(request, single_param(request, "format"), spec.formats)
    if sort_name not in spec.sorts:
        raise not_one_of("sort", sort_name, list(spec.sorts))
    sort = spec.sorts[sort_name]
    token = single_param(request, "cursor")
    after = decode_cursor(token, sort_name, sort) if token else None
    limit = parse_limit(request, None if fmt in ("ndjson", "csv") else DEFAULT_LIMIT)
    count = single_param(request, "count")
    if count not in (None, "exact", "estimated"):
        raise not_one_of("count", count, ["exact", "estimated"])
    fields = None
    if (raw_fields := single_param(request, "fields")) is not None:
        fields = split_values("fields", [raw_fields])
        known = struct_fields(spec.item)
        for f in fields:
            if f not in known:
                raise InvalidParameter(
                    f"Parameter 'fields': unknown field {f!r} (known: {', '.join(known)})", parameter="fields"
                )
    include: list[str] = []
    if raw_include := request.query_params.getall("include", []):
        include = split_values("include", raw_include)
        for name in include:
            if name not in spec.includes:
                raise InvalidParameter(
                    f"Parameter 'include' must be among {', '.join(spec.includes) or 'nothing'};"
                    f" got {name!r}",
                    parameter="include",
                )
    if fmt == "geojson" and spec.geo_condition:
        query.where.append(spec.geo_condition)
    rows = None
    if spec.link_rows and (raw_rows := single_param(request, "rows")) not in (None, spec.name):
        if raw_rows not in spec.link_rows:
            choices = ", ".join([spec.name, *spec.link_rows])
            raise InvalidParameter(
                f"Parameter 'rows' must be one of {choices}; got {raw_rows!r}", parameter="rows"
            )
        if fmt != "csv" or fields is not None:
            raise InvalidParameter("Parameter 'rows' applies to format=csv without fields", parameter="rows")
        rows = spec.link_rows[raw_rows]
    return ListRequest(
        query=query,
        sort_name=sort_name,
        sort=sort,
        after=after,
        limit=limit,
        count=count,
        fields=fields,
        include=include,
        format=fmt,
        rows=rows,
    )


async def count_rows(db: asyncpg.Connection, spec: ListSpec, query: SqlQuery, method: str) -> int:
    """Exact count, or the planner's estimate (cheap on any table size, approximate)."""
    table = query.drive.table if query.drive else spec.table
    sql = f"SELECT count(*) FROM {table} WHERE {query.where_sql}"
    if method == "exact":
        return int(await db.fetchval(sql, *query.args))
    plan = await db.fetchval(
        f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} WHERE {query.where_sql}", *query.args
    )
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


async def serve_list(
    db: asyncpg.Connection, request: Request[Any, Any, Any], spec: ListSpec, query: SqlQuery | None = None
) -> Response[Any]:
    """The whole list endpoint: see the module docstring."""
    lr = await parse_list_request(db, request, spec, query)
    etag = await request_etag(db, request, lr.format)
    if matches(request, etag):
        return not_modified(etag)
    headers = cache_headers(etag)
    count = await count_rows(db, spec, lr.query, lr.count) if lr.count else None
    if lr.format in ("ndjson", "csv"):
        if count is not None:
            headers["X-Total-Count"] = str(count)
        export = Export(spec, lr.query, lr.sort, lr.after, lr.limit, lr.format, lr.fields, lr.rows)
        return await stream_export(db, request, export, headers)

    records, token = await fetch_page(db, spec, lr)
    if token is not None:
        headers["Link"] = f'<{next_url(request, token)}>; rel="next"'
    documents = _stored_documents(spec, lr, records) if lr.format == "json" and not lr.include else None
    if documents is not None:
        tail: dict[str, Any] = {"next": token}
        if count is not None:
            tail |= {"count": count, "count_method": lr.count}
        # the bytes encoder.encode({"data": items, **tail}) writes, without decoding the items
        content = b'{"data":[' + b",".join(documents) + b"]," + encoder.encode(tail)[1:]
        return Response(content, media_type=MEDIA_TYPES[lr.format], headers=headers)
    items = await spec.build(db, records)
    body: dict[str, Any] = {}
    if lr.format == "geojson":
        body = {"type": "FeatureCollection", "features": [geo_feature(i, lr.fields) for i in items]}
    else:
        body = {"data": [project(i, lr.fields) for i in items]}
    body["next"] = token
    if count is not None:
        body["count"] = count
        body["count_method"] = lr.count
    if lr.include:
        body["included"] = {name: await spec.includes[name](db, items) for name in lr.include}
    return Response(encoder.encode(body), media_type=MEDIA_TYPES[lr.format], headers=headers)


async def fetch_page(
    db: asyncpg.Connection, spec: ListSpec, lr: ListRequest
) -> tuple[list[asyncpg.Record], str | None]:
    """One keyset page of ``spec``'s records and the cursor of the next page (None on the last).

    Reads one row more than the limit to know whether another page follows. The explorer's
    pages read through it too, so their paging is the API's."""
    assert lr.limit is not None
    sql = keyset_sql(spec.select, lr.query, lr.sort, spec.id_expr, lr.after, lr.limit + 1)
    await db.execute(SERIAL_PAGE)
    records = await db.fetch(sql, *lr.query.args)
    more = len(records) > lr.limit
    records = records[: lr.limit]
    token = None
    if more and records:
        last = records[-1]
        token = encode_cursor(lr.sort_name, lr.sort.key_of(last), last["id"])
    return records, token


def _stored_documents(spec: ListSpec, lr: ListRequest, records: list[asyncpg.Record]) -> list[bytes] | None:
    """The records' stored JSON when whole items are wanted and every one is rendered, else None."""
    if spec.document is None or lr.fields is not None or not records:
        return None
    documents = [r[spec.document] for r in records]
    return None if any(d is None for d in documents) else documents
