"""API keys: hashed at rest, scoped, revocable; 401/403 problems; optional keys for reads; rate limits
with RateLimit headers; Prometheus metrics."""

from __future__ import annotations

import hashlib

import asyncpg
import httpx
import pytest

from service.auth import create_key
from service.config import Settings
from service.db.keys import revoke_key
from tests.api.test_ingest import ARTICLE, assert_problem, client_for


async def bearer(conn: asyncpg.Connection, *scopes: str) -> dict[str, str]:
    _, token = await create_key(conn, f"{'+'.join(scopes)} key", list(scopes))
    return {"Authorization": f"Bearer {token}"}


async def test_writes_need_a_key(client: httpx.AsyncClient, conn: asyncpg.Connection) -> None:
    response = await client.post("/v1/sources", json={"text": ARTICLE})
    assert_problem(response, 401, "API key", "write")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert await conn.fetchval("SELECT count(*) FROM sources WHERE text = $1", ARTICLE) == 0


@pytest.mark.parametrize("header", ["Bearer", "Basic dXNlcjpwYXNz", "Bearer mk_not-a-real-key", "Token abc"])
async def test_malformed_or_unknown_keys_are_401(client: httpx.AsyncClient, header: str) -> None:
    response = await client.post("/v1/sources", json={"text": ARTICLE}, headers={"Authorization": header})
    assert_problem(response, 401)
    # a bad key is refused even where no key is needed
    assert_problem(await client.get("/v1/sources", headers={"Authorization": header}), 401)


async def test_read_key_cannot_write_and_write_key_cannot_administer(client: httpx.AsyncClient, conn) -> None:
    reader = await bearer(conn, "read")
    assert_problem(await client.post("/v1/sources", json={"text": ARTICLE}, headers=reader), 403, "'write'")
    writer = await bearer(conn, "write")
    assert_problem(await client.post("/v1/admin/reextract", json={}, headers=writer), 403, "'admin'")
    created = await client.post("/v1/sources", json={"text": ARTICLE}, headers=writer)
    assert created.status_code == 201


async def test_admin_key_reextracts_and_reports(client: httpx.AsyncClient, conn) -> None:
    admin = await bearer(conn, "admin")
    one = (await client.get("/v1/sources", params={"limit": 1})).json()["data"][0]["id"]
    partial = await client.post("/v1/admin/reextract", json={"source_ids": [one]}, headers=admin)
    assert partial.status_code == 200, partial.text
    body = partial.json()
    assert body["sources"] == 1 and set(body) >= {"changed", "deleted", "totals", "removed"}
    assert (
        body["removed"] == [] and sum(body["deleted"].values()) == 0
    )  # same extractor, same facts, same ids
    unknown = await client.post("/v1/admin/reextract", json={"source_ids": ["src_nope"]}, headers=admin)
    assert_problem(unknown, 404, "src_nope")
    assert_problem(await client.post("/v1/admin/reextract", json={"ids": []}, headers=admin), 400)
    assert_problem(await client.post("/v1/admin/reextract", content=b"{", headers=admin), 400)
    assert_problem(
        await client.post(
            "/v1/admin/reextract",
            content=b'{"source_ids": ["\xff"]}',
            headers=admin | {"Content-Type": "application/json"},
        ),
        400,
    )


async def test_revoked_key_is_refused(client: httpx.AsyncClient, conn) -> None:
    key, token = await create_key(conn, "soon revoked", ["write"])
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.post("/v1/sources", json={"text": ARTICLE}, headers=headers)).status_code == 201
    await revoke_key(conn, key.id)
    assert_problem(
        await client.post("/v1/sources", json={"text": ARTICLE + "."}, headers=headers), 401, "revoked"
    )


async def test_keys_are_stored_only_as_hashes(conn: asyncpg.Connection) -> None:
    key, token = await create_key(conn, "hash check", ["read", "write"])
    row = await conn.fetchrow("SELECT * FROM api_keys WHERE id = $1", key.id)
    assert row["key_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(value) for value in row.values())
    assert list(row["scopes"]) == ["read", "write"]


async def test_reads_can_require_a_key(conn: asyncpg.Connection) -> None:
    async with client_for(conn, Settings(require_read_key=True)) as strict:
        assert_problem(await strict.get("/v1/sources"), 401, "'read'")
        assert (await strict.get("/health")).status_code == 200
        assert (await strict.get("/ready")).status_code == 200
        assert (await strict.get("/schema/openapi.json")).status_code == 200
        assert (await strict.get("/v1/sources", headers=await bearer(conn, "read"))).status_code == 200
        assert (await strict.get("/v1/sources", headers=await bearer(conn, "write"))).status_code == 200
    async with client_for(conn, Settings()) as open_:
        assert (await open_.get("/v1/sources")).status_code == 200


async def test_rate_limits_per_address_and_per_key_with_headers(conn: asyncpg.Connection) -> None:
    async with client_for(conn, Settings(rate_limit_per_minute=3)) as limited:
        responses = [await limited.get("/v1/sources", params={"limit": 1}) for _ in range(3)]
        assert [r.status_code for r in responses] == [200, 200, 200]
        assert [r.headers["ratelimit-remaining"] for r in responses] == ["2", "1", "0"]
        assert responses[0].headers["ratelimit-limit"] == "3"
        assert responses[0].headers["ratelimit-policy"] == "3;w=60"
        refused = await limited.get("/v1/sources")
        body = assert_problem(refused, 429, "3 requests")
        assert body["type"].endswith("/too-many-requests") and int(refused.headers["retry-after"]) >= 1
        # a key has its own budget, apart from the address it comes from
        key = await bearer(conn, "read")
        assert (await limited.get("/v1/sources", headers=key)).status_code == 200
        # liveness is never limited; readiness and metrics count like any other route
        assert (await limited.get("/health")).status_code == 200
        assert_problem(await limited.get("/ready"), 429)
        metrics = await limited.get("/metrics", headers=key)
        assert 'marsad_rate_limited_total{by="ip"} 2.0' in metrics.text


async def test_failed_authentications_are_limited_per_address_before_any_lookup(
    conn: asyncpg.Connection,
) -> None:
    async with client_for(conn, Settings(auth_failures_per_minute=3)) as client:
        bad = {"Authorization": "Bearer mk_not_a_key"}
        statuses = [(await client.get("/v1/sources", headers=bad)).status_code for _ in range(3)]
        assert statuses == [401, 401, 401]
        refused = await client.get("/v1/sources", headers=bad)
        body = assert_problem(refused, 429)
        assert "failed authentications" in body["detail"] and int(refused.headers["retry-after"]) >= 1
        # a valid key from the same address is refused too until the window ends: the address is
        # guessing; requests without a key still pass
        assert (await client.get("/v1/sources", headers=await bearer(conn, "read"))).status_code == 429
        assert (await client.get("/v1/sources", params={"limit": 1})).status_code == 200
        metrics = (await client.get("/metrics")).text
        assert "marsad_auth_failures_total 3.0" in metrics


async def test_metrics_expose_latency_by_route_ingests_and_pool(client: httpx.AsyncClient, conn) -> None:
    writer = await bearer(conn, "write")
    await client.get("/v1/sources/src_missing")
    await client.post("/v1/sources", json={"text": ARTICLE}, headers=writer)
    await client.post("/v1/sources", json={"text": ARTICLE}, headers=writer)
    await client.post("/v1/sources", json={"text": "<p>x</p>"}, headers=writer)
    response = await client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert "# TYPE marsad_http_request_duration_seconds histogram" in text
    assert 'method="GET",route="/v1/sources/{source_id}",status="4xx"} 1.0' in text
    assert (
        'marsad_http_request_duration_seconds_count{method="POST",route="/v1/sources",status="2xx"} 2.0'
        in text
    )
    assert 'marsad_ingest_sources_total{result="created"} 1.0' in text
    assert 'marsad_ingest_sources_total{result="exists"} 1.0' in text
    assert 'marsad_ingest_sources_total{result="rejected"} 1.0' in text
    assert "marsad_extraction_failures_total 0.0" in text
    assert "process_cpu_seconds_total" in text  # process metrics from prometheus-client
    assert "/v1/sources/src_missing" not in text  # route templates, never raw paths


async def test_openapi_says_which_operations_need_a_key(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    assert spec["components"]["securitySchemes"]["apiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": spec["components"]["securitySchemes"]["apiKey"]["description"],
    }
    assert spec["paths"]["/v1/sources"]["post"]["security"] == [{"apiKey": []}]
    assert spec["paths"]["/v1/admin/reextract"]["post"]["security"] == [{"apiKey": []}]
    assert "security" not in spec["paths"]["/v1/sources"]["get"]
    body = spec["paths"]["/v1/sources"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "text/plain"}
    assert body["application/json"]["schema"]["required"] == ["text"]


@pytest.mark.parametrize("require_read_key", [False, True])
def test_every_route_with_a_scope_is_guarded(require_read_key: bool) -> None:
    """Routes declaring a scope carry the guard themselves (the app-wide guard exists only when
    reads need a key): a scoped route without it would be open to anyone."""
    from service.app import create_app
    from service.auth import authorize

    app = create_app(Settings(require_read_key=require_read_key), connections=object())  # type: ignore[arg-type]
    handlers = [h for route in app.routes for h in getattr(route, "route_handlers", [])]
    scoped = [h for h in handlers if h.opt.get("scope")]
    assert {h.opt["scope"] for h in scoped} == {"write", "admin"}
    for handler in scoped:
        assert authorize in handler.resolve_guards(), handler
    unscoped = [h for h in handlers if not h.opt.get("scope")]
    assert all((authorize in h.resolve_guards()) == require_read_key for h in unscoped)
