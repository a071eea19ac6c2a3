"""Request dependencies: one connection and one transaction per request."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import asyncpg
from litestar.datastructures import State


async def provide_connection(state: State) -> AsyncGenerator[asyncpg.Connection, None]:
    """Lend one pooled connection for the request, inside one transaction."""
    async with state.connections.acquire() as conn, conn.transaction():
        yield conn
