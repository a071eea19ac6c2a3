"""Small helpers shared by the API tests."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient


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
