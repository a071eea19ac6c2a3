"""One error shape: every 4xx/5xx the API can give, from the handlers, the framework and the ASGI
layers alike, is the same RFC 9457 problem, of one of the error classes in service.errors."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import asyncpg
import httpx
import msgspec

from service.app import create_app
from service.config import Settings
from service.db.pool import create_pool, create_pools
from service.errors import BY_STATUS, PROBLEM_BASE, MarsadError, Problem, as_marsad_error
from tests.api.test_auth import bearer
from tests.api.test_ingest import client_for

PROBLEM_FIELDS = set(Problem.__struct_fields__)


def error_classes(cls: type[MarsadError] = MarsadError) -> list[type[MarsadError]]:
    out = [cls]
    for sub in cls.__subclasses__():
        out += error_classes(sub)
    return out


TYPES = {PROBLEM_BASE + cls.type: cls for cls in error_classes()}


def assert_one_shape(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code >= 400
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body = response.json()
    assert set(body) <= PROBLEM_FIELDS and {"type", "title", "status", "detail"} <= set(body), body
    msgspec.convert(body, Problem)
    cls = TYPES[body["type"]]
    assert (body["status"], body["title"]) == (cls.status, cls.title) == (response.status_code, cls.title)
    assert body["request_id"] == response.headers["x-request-id"]
    assert body["instance"] == response.request.url.path
    if response.status_code in (429, 503):
        assert int(response.headers["retry-after"]) >= 1
    return body


def test_error_classes_have_one_type_each_and_cover_the_statuses() -> None:
    classes = error_classes()[1:]  # the base shares InternalError's type
    assert len({c.type for c in classes}) == len(classes)
    assert {400, 401, 403, 404, 405, 406, 408, 409, 413, 415, 422, 429, 500, 503} <= set(BY_STATUS)
    cut = as_marsad_error(asyncpg.InternalClientError("cannot switch to state 15"))
    assert (cut.status, cut.type) == (503, "database-unavailable")
    for not_the_database in (OSError("disk"), TimeoutError(), PermissionError("x")):
        assert as_marsad_error(not_the_database).status == 500
    unexpected = as_marsad_error(RuntimeError("boom"))
    assert (unexpected.status, "boom" in unexpected.detail) == (500, False)  # no internal text leaks


async def test_every_refusal_has_the_one_shape(client: httpx.AsyncClient, conn: asyncpg.Connection) -> None:
    writer, reader = await bearer(conn, "write"), await bearer(conn, "read")
    catalogue = [
        (400, client.get("/v1/events", params={"no_such": "1"})),
        (400, client.get("/v1/events", params={"cursor": "AAAA"})),
        (
            400,
            client.post(
                "/v1/sources", content=b"{not json", headers={**writer, "content-type": "application/json"}
            ),
        ),
        (401, client.get("/v1/events", headers={"Authorization": "Bearer mk_nope"})),
        (403, client.post("/v1/sources", json={"text": "نص"}, headers=reader)),
        (404, client.get("/v1/events/evt_missing")),
        (404, client.get("/no/such/route")),
        (405, client.patch("/v1/events")),
        (413, client.post("/v1/sources", content=b"x" * 2_000_000, headers=writer)),
        (415, client.post("/v1/sources", content=b"<a/>", headers={**writer, "content-type": "text/xml"})),
        (422, client.post("/v1/sources", json={"text": "<p>نص</p>"}, headers=writer)),
    ]
    for status, request in catalogue:
        response = await request
        assert response.status_code == status, (status, response.text)
        assert_one_shape(response)


async def test_openapi_problem_schema_is_generated_from_the_struct(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for status, response in operation.get("responses", {}).items():
                if int(status) < 400:
                    continue
                schema = response["content"]["application/problem+json"]["schema"]
                if "$ref" in schema:
                    schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
                assert set(schema["properties"]) == PROBLEM_FIELDS, (path, method, status)


async def test_rate_limit_and_slow_body_refusals_have_the_one_shape(conn: asyncpg.Connection) -> None:
    async with client_for(conn, Settings(rate_limit_per_minute=1)) as limited:
        await limited.get("/v1/sources")
        assert_one_shape(await limited.get("/v1/sources"))

    app = create_app(Settings(body_timeout_s=0.2), connections=object())  # type: ignore[arg-type]
    sent: list[dict[str, Any]] = []

    async def trickle() -> dict[str, Any]:
        await asyncio.sleep(10)  # the client never sends its declared body
        return {"type": "http.disconnect"}

    async def record(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/sources",
        "raw_path": b"/v1/sources",
        "query_string": b"",
        "headers": [(b"content-length", b"100000"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1),
        "server": ("marsad.test", 80),
        "scheme": "http",
        "http_version": "1.1",
        "asgi": {"version": "3.0"},
    }
    await app(scope, trickle, record)  # type: ignore[arg-type]
    assert sent[0]["status"] == 408
    body = json.loads(sent[1]["body"])
    assert body["type"] == PROBLEM_BASE + "request-timeout" and "0.2 s" in body["detail"]


async def test_an_exhausted_pool_answers_503_and_ready_tells_the_truth(database: str) -> None:
    pool = await create_pool(database, Settings(pool_max=1, pool_timeout_ms=200))
    app = create_app(Settings(), connections=pool)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            assert (await client.get("/ready")).status_code == 200
            async with pool.acquire():  # a request holding the only connection
                for path in ("/v1/events", "/ready"):
                    body = assert_one_shape(await client.get(path))
                    assert body["type"].endswith("/overloaded") and "MARSAD_POOL_TIMEOUT_MS" in body["detail"]
            assert (await client.get("/ready")).status_code == 200
    finally:
        await pool.close()


async def test_ready_never_shows_internal_error_text(database: str) -> None:
    pool = await create_pool(database, Settings())
    app = create_app(Settings(), connections=pool)
    await pool.close()  # every acquisition now fails inside asyncpg
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.get("/ready")
    body = assert_one_shape(response)
    assert body["detail"] == "The database is not reachable."


async def test_writes_cannot_take_the_read_connections(database: str) -> None:
    pools = await create_pools(database, Settings(pool_max=1, write_pool_max=1, write_budget_s=1))
    app = create_app(Settings(), connections=pools.reads)
    app.state.write_connections = pools.writes
    conn = await asyncpg.connect(database)
    try:
        writer = await bearer(conn, "write")
    finally:
        await conn.close()
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://t") as client,
            pools.writes.acquire(),
        ):
            # every write connection is busy
            assert (await client.get("/v1/events", params={"limit": 1})).status_code == 200
            assert (await client.get("/ready")).status_code == 200
            waited = await client.post("/v1/sources", json={"text": "نص"}, headers=writer)
            body = assert_one_shape(waited)
            assert (
                body["type"].endswith("/write-budget-exceeded") and "MARSAD_WRITE_BUDGET_S" in body["detail"]
            )
    finally:
        await pools.close()


async def test_the_request_id_reaches_every_log_line_of_the_request(
    client: httpx.AsyncClient, caplog: Any
) -> None:
    from service.api.middleware.request_id import RequestIdFilter

    handler = caplog.handler
    handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO):
        response = await client.get("/v1/events", params={"limit": 1}, headers={"x-request-id": "trace-42"})
    assert response.headers["x-request-id"] == "trace-42"
    access = [r for r in caplog.records if r.name == "marsad.access"]
    assert access and all(r.request_id == "trace-42" for r in access)
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "outside", None, None)
    RequestIdFilter().filter(outside)
    assert outside.request_id is None
