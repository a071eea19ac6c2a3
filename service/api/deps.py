"""Request dependencies: one connection and one transaction per request."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import asyncpg
from litestar import Request

from service.errors import WRITE_SCOPES


async def provide_connection(request: Request[Any, Any, Any]) -> AsyncGenerator[asyncpg.Connection, None]:
    """Lend one connection for the request, inside one transaction: from the write pool for routes
    that need a write or admin key, else from the read pool. The body was read before (see
    ``middleware.body``), so the connection is never held while the client sends."""
    state = request.app.state
    pool = (
        state.write_connections
        if request.route_handler.opt.get("scope") in WRITE_SCOPES
        else state.connections
    )
    async with pool.acquire() as conn, conn.transaction():
        yield conn
