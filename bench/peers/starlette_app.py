"""The HTTP floor: the same endpoints and SQL as Marsad behind bare Starlette routes, with no
validation layer and plain dicts encoded by msgspec. What HTTP + the SQL cost, and little else."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import msgspec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from bench.peers import data

encoder = msgspec.json.Encoder()


def _json(body: object, status: int = 200) -> Response:
    return Response(encoder.encode(body), status_code=status, media_type="application/json")


async def list_events(request: Request) -> Response:
    pairs = list(request.query_params.multi_items())
    if request.query_params.get("format") == "ndjson":
        return StreamingResponse(_ndjson(request, pairs), media_type="application/x-ndjson")
    if request.query_params.get("format") == "csv":
        chunks = data.export_chunks(request.app.state.pool, [p for p in pairs if p[0] != "format"], "csv")
        return StreamingResponse(chunks, media_type="text/csv")
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        rows, token = await data.event_page(conn, pairs)
        include = request.query_params.get("include") or ""
        body = {
            "data": data.event_items(rows),
            "next": token,
            "included": {"claims": data.claim_dicts(rows)} if "claims" in include else None,
        }
    return _json(body)


async def _ndjson(request: Request, pairs: list[tuple[str, str]]) -> AsyncIterator[bytes]:
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        async for rows in data.export_batches(conn, [p for p in pairs if p[0] != "format"]):
            yield b"".join(encoder.encode(e) + b"\n" for e in data.event_items(rows))


async def get_event(request: Request) -> Response:
    include = request.query_params.get("include") or ""
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        rows = await data.event_one(conn, request.path_params["event_id"], include)
    if rows is None:
        return _json({"title": "Not Found", "status": 404}, 404)
    if "claims" in include:
        body = data.event_dicts(rows)[0]
        body["included"] = {"claims": data.claim_dicts(rows)}
        return _json(body)
    return _json(data.event_items(rows)[0])


async def get_timeline(request: Request) -> Response:
    pairs = list(request.query_params.multi_items())
    interval = request.query_params.get("interval", "month")
    group_by = request.query_params.get("group_by", "none")
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        records = await data.timeline_rows(conn, pairs)
    return _json(data.timeline_dict(records, interval, group_by))


async def get_facets(request: Request) -> Response:
    pairs = list(request.query_params.multi_items())
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        total, facets = await data.facet_rows(conn, pairs)
    return _json(data.facets_dict(total, facets))


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    app.state.pool = await data.create_pool(os.environ["BENCH_DSN"])
    yield
    await app.state.pool.close()


app = Starlette(
    routes=[
        Route("/v1/events", list_events),
        Route("/v1/events/{event_id}", get_event),
        Route("/v1/stats/timeline", get_timeline),
        Route("/v1/stats/facets", get_facets),
    ],
    lifespan=lifespan,
)
