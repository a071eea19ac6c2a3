"""Liveness and readiness."""

from __future__ import annotations

import msgspec
from litestar import Request, Response, get

from service.errors import Problem, problem_response


class Health(msgspec.Struct):
    status: str


class Ready(msgspec.Struct):
    status: str
    database: str
    dataset_version: int


DATASET_VERSION = "SELECT version FROM dataset_state"


@get("/health", summary="Liveness: the process is up", tags=["health"], include_in_schema=True)
async def health() -> Health:
    return Health(status="ok")


@get("/ready", summary="Readiness: the database answers", tags=["health"])
async def ready(request: Request) -> Response[Ready] | Response[Problem]:
    connections = request.app.state.connections
    try:
        async with connections.acquire() as conn:
            version = await conn.fetchval(DATASET_VERSION, timeout=3)
    except Exception as exc:  # any failure to reach the database means "not ready"
        return problem_response(
            503,
            f"The database is not reachable: {exc.__class__.__name__}: {exc}",
            request,
            headers={"Retry-After": "5"},
        )
    return Response(Ready(status="ready", database="ok", dataset_version=int(version or 0)))
