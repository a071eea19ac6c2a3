"""Liveness and readiness."""

from __future__ import annotations

import msgspec
from litestar import Request, Response, get

from service.errors import DatabaseUnavailable, MarsadError, Problem, handle_exception

READY_TIMEOUT = 3.0


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


@get(
    "/ready",
    summary="Readiness: a read connection is free and the database answers",
    description="503 (with Retry-After) when no read connection comes free within MARSAD_POOL_TIMEOUT_MS "
    "or the database does not answer: send load-balancer health checks here.",
    tags=["health"],
)
async def ready(request: Request) -> Response[Ready] | Response[Problem]:
    try:
        async with request.app.state.connections.acquire() as conn:
            version = await conn.fetchval(DATASET_VERSION, timeout=READY_TIMEOUT)
    except MarsadError as exc:  # no connection came free: the pool cannot serve
        return handle_exception(request, exc)
    except Exception:  # any failure to reach the database means "not ready"; its text stays in the log
        return handle_exception(request, DatabaseUnavailable("The database is not reachable."))
    return Response(Ready(status="ready", database="ok", dataset_version=int(version or 0)))
