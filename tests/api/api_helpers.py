"""Small helpers shared by the API tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from httpx import ASGITransport, AsyncClient

from service.app import create_app
from service.auth import create_key
from service.config import Settings
from service.db.pool import create_pool, init_connection


async def get_json(client: AsyncClient, path: str, params: Any = None, status: int = 200) -> Any:
    response = await client.get(path, params=params)
    assert response.status_code == status, (path, params, response.text[:500])
    return response.json()


async def fetch_all(
    client: AsyncClient, path: str, params: Any = None, limit: int = 1000
) -> list[dict[str, Any]]:
    """Every item of a list endpoint, following `next` cursors."""
    items: list[dict[str, Any]] = []
    base = list((params or {}).items()) if isinstance(params, dict) else list(params or [])
    cursor = None
    for _ in range(200):
        query = [*base, ("limit", limit)] + ([("cursor", cursor)] if cursor else [])
        body = await get_json(client, path, query)
        items += body["data"]
        cursor = body["next"]
        if cursor is None:
            return items
    raise AssertionError(f"{path}: paging did not end")


async def ids(client: AsyncClient, path: str, params: Any = None) -> list[str]:
    return [item["id"] for item in await fetch_all(client, path, params)]


def assert_problem(response: Any, status: int, parameter: str | None = None) -> dict[str, Any]:
    """The one error shape: RFC 9457 problem details."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://marsad.dev/problems/")
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body.get("detail"), str) and body["detail"]
    assert body["instance"] == response.request.url.path
    if parameter is not None:
        assert body["parameter"] == parameter, body
    return body


@asynccontextmanager
async def write_client(
    dsn: str, key_name: str, pool_min: int = 1, pool_max: int = 4, client_timeout: float = 60
) -> AsyncIterator[tuple[AsyncClient, str]]:
    """An in-process client on the app with a real pool over ``dsn``, and the token of a new write key."""
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    _, token = await create_key(conn, key_name, ["write"])
    await conn.close()
    settings = Settings(database_url=dsn, pool_min=pool_min, pool_max=pool_max)
    pool = await create_pool(dsn, settings)
    try:
        transport = ASGITransport(app=create_app(settings, connections=pool))
        async with AsyncClient(
            transport=transport, base_url="http://marsad.test", timeout=client_timeout
        ) as client:
            yield client, token
    finally:
        pool.terminate()  # whatever the test did to the server, nothing waits on its connections
