"""HTTP behaviour shared by every read endpoint: ETag/304, Cache-Control, gzip, and one error shape."""

from __future__ import annotations

import asyncpg
import pytest
from api_articles import ingest_articles
from api_helpers import assert_problem, get_json
from httpx import AsyncClient

from service.app import READ_HANDLERS, create_app
from service.config import load_settings


def read_paths() -> list[str]:
    """Every GET route of the read API (taken from the app, so new routes are covered automatically)."""
    app = create_app(load_settings({}), connections=object())  # type: ignore[arg-type]
    paths = {
        route.path.replace(":str}", "}") for route in app.routes if "GET" in getattr(route, "methods", ())
    }
    read = [p for p in paths if p.startswith("/v1/")]
    handler_paths = set()
    for handler in READ_HANDLERS:
        handler_paths |= {p for p in read if p.startswith(getattr(handler, "path", "/v1/deleted"))}
    return sorted(p for p in read if p in handler_paths)


READ_PATHS = read_paths()
ID_PATHS = [p for p in READ_PATHS if "{" in p]
LIST_PATHS = [p for p in READ_PATHS if "{" not in p]


async def real_path(client: AsyncClient, path: str) -> str:
    """Fill {id} placeholders with a real id of that kind."""
    if "{" not in path:
        return path
    collection = "/" + "/".join(path.split("/")[1:3])
    item = (await get_json(client, collection, {"limit": 1}))["data"][0]
    return path.split("{")[0] + item["id"] + path.split("}")[1]


def test_every_read_route_is_covered() -> None:
    assert {
        "/v1/events",
        "/v1/events/{event_id}",
        "/v1/actors",
        "/v1/actors/{actor_id}",
        "/v1/actors/{actor_id}/events",
        "/v1/actors/{actor_id}/network",
        "/v1/sources",
        "/v1/sources/{source_id}",
        "/v1/claims",
        "/v1/claims/{claim_id}",
        "/v1/conflicts",
        "/v1/conflicts/{conflict_id}",
        "/v1/stats/timeline",
        "/v1/stats/facets",
        "/v1/deleted",
    } <= set(READ_PATHS)


@pytest.mark.parametrize("path", READ_PATHS)
async def test_unknown_parameter_is_one_problem_shape(client: AsyncClient, path: str) -> None:
    url = await real_path(client, path)
    assert_problem(await client.get(url, params={"no_such_parameter": "1"}), 400, "no_such_parameter")


@pytest.mark.parametrize("path", ID_PATHS)
async def test_unknown_id_is_one_problem_shape(client: AsyncClient, path: str) -> None:
    url = path.split("{")[0] + "xyz_missing" + path.split("}")[1]
    body = assert_problem(await client.get(url), 404)
    assert "xyz_missing" in body["detail"]


@pytest.mark.parametrize("path", [p for p in LIST_PATHS if not p.startswith("/v1/stats")])
async def test_bad_limit_is_one_problem_shape(client: AsyncClient, path: str) -> None:
    assert_problem(await client.get(path, params={"limit": "-1"}), 400, "limit")


async def test_unknown_route_and_method_are_problems(client: AsyncClient) -> None:
    assert_problem(await client.get("/v1/nothing-here"), 404)
    assert_problem(await client.delete("/v1/events"), 405)


@pytest.mark.parametrize("path", READ_PATHS)
async def test_etag_304_and_cache_control(client: AsyncClient, path: str) -> None:
    url = await real_path(client, path)
    first = await client.get(url)
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and "must-revalidate" in first.headers["cache-control"]
    again = await client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    stale = await client.get(url, headers={"if-none-match": 'W/"0-stale"'})
    assert stale.status_code == 200


async def test_etag_depends_on_query_format_and_dataset_version(
    client: AsyncClient, conn: asyncpg.Connection
) -> None:
    a = (await client.get("/v1/events", params={"type": "CONSULT", "limit": 5})).headers["etag"]
    b = (await client.get("/v1/events", params={"limit": 5, "type": "CONSULT"})).headers["etag"]
    c = (await client.get("/v1/events", params={"type": "AID", "limit": 5})).headers["etag"]
    d = (await client.get("/v1/events", params={"type": "CONSULT", "limit": 5, "format": "csv"})).headers[
        "etag"
    ]
    assert a == b and len({a, c, d}) == 3
    await ingest_articles(conn, "guler")
    after = await client.get(
        "/v1/events", params={"type": "CONSULT", "limit": 5}, headers={"if-none-match": a}
    )
    assert after.status_code == 200 and after.headers["etag"] != a


async def test_gzip_when_asked(client: AsyncClient) -> None:
    response = await client.get("/v1/events", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["data"]
    plain = await client.get("/v1/events", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers


async def test_cors_from_settings(conn: asyncpg.Connection, tmp_path: object) -> None:
    import httpx

    from service.db.pool import SingleConnection

    settings = load_settings({"MARSAD_CORS_ORIGINS": "https://dash.example"})
    app = create_app(settings, connections=SingleConnection(conn))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://marsad.test") as c:
        response = await c.get("/v1/events", headers={"origin": "https://dash.example"}, params={"limit": 1})
        assert response.headers["access-control-allow-origin"] == "https://dash.example"


def all_routes() -> list[tuple[str, str]]:
    app = create_app(load_settings({}), connections=object())  # type: ignore[arg-type]
    out = []
    for route in app.routes:
        for method in sorted(getattr(route, "methods", ())):
            # /schema/* is Litestar's documentation UI (its missing-page answer is the framework's own);
            # the explorer's pages answer people with the same problem as an HTML page (tests/web)
            explorer = any(h.name and h.name.startswith("web:") for h in getattr(route, "route_handlers", []))
            if method not in {"OPTIONS", "HEAD"} and not route.path.startswith("/schema") and not explorer:
                out.append((method, route.path.replace(":str}", "}")))
    return sorted(set(out))


@pytest.mark.parametrize(("method", "path"), all_routes())
async def test_every_route_answers_errors_as_problems(client: AsyncClient, method: str, path: str) -> None:
    """Whatever a route does with a malformed request, any 4xx/5xx it returns is problem+json."""
    url = path.replace("{", "missing_").replace("}", "")
    probes = [
        await client.request(
            method,
            url,
            params={"no_such_parameter": "1"},
            content=b"{not json",
            headers={"content-type": "application/json"},
        )
    ]
    probes.append(await client.request("PATCH", url))  # no route accepts PATCH
    for response in probes:
        if response.status_code >= 400:
            assert_problem(response, response.status_code)
    assert probes[-1].status_code == 405
