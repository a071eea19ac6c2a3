"""Concurrent submissions through a real connection pool and committed transactions (not the per-test
rollback): N identical articles at once leave exactly one source."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from service.db import migrate
from tests.api.api_helpers import write_client
from tests.api.test_ingest import ARTICLE
from tests.conftest import create_database, drop_database


@pytest.fixture(scope="module")
async def pooled() -> AsyncIterator[tuple[httpx.AsyncClient, str, str]]:
    """(client on an app with a real pool, write key, dsn) over an empty, migrated database."""
    name = f"marsad_test_conc_{uuid.uuid4().hex[:8]}"
    dsn = await create_database(name)
    await migrate.upgrade(dsn)
    try:
        async with write_client(dsn, "concurrency", pool_min=2, pool_max=8, client_timeout=120) as (
            client,
            token,
        ):
            yield client, token, dsn
    finally:
        await drop_database(name)


async def post_many(client: httpx.AsyncClient, token: str, bodies: list[dict]) -> list[httpx.Response]:
    headers = {"Authorization": f"Bearer {token}"}
    return await asyncio.gather(*(client.post("/v1/sources", json=b, headers=headers) for b in bodies))


async def test_identical_submissions_at_once_make_one_source(pooled) -> None:
    client, token, dsn = pooled
    responses = await post_many(client, token, [{"text": ARTICLE, "outlet": "بترا"}] * 8)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 7 + [201], [r.text for r in responses if r.status_code >= 300]
    assert len({r.json()["source"]["id"] for r in responses}) == 1
    conn = await asyncpg.connect(dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM sources WHERE text = $1", ARTICLE) == 1
    finally:
        await conn.close()


async def test_different_submissions_at_once_all_land(pooled) -> None:
    client, token, dsn = pooled
    texts = [f"{ARTICLE}\nتحديث رقم {i}." for i in range(5)]
    responses = await post_many(client, token, [{"text": t} for t in texts])
    for _ in range(3):  # a write that waited past its budget is a 503 to retry, as a client does
        retry = [i for i, r in enumerate(responses) if r.status_code == 503]
        if not retry:
            break
        assert all(responses[i].headers.get("retry-after") for i in retry), [responses[i].text for i in retry]
        again = await post_many(client, token, [{"text": texts[i]} for i in retry])
        for i, r in zip(retry, again, strict=True):
            responses[i] = r
    assert [r.status_code for r in responses] == [201] * 5, [r.text for r in responses]
    conn = await asyncpg.connect(dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM sources WHERE text = ANY($1::text[])", texts) == 5
        # every source's spans still slice its text exactly, after the concurrent re-merges
        bad = await conn.fetchval("""SELECT count(*) FROM event_attributions a JOIN sources s ON s.id = a.source_id
                                     WHERE substr(s.text, a.span_start + 1, a.span_end - a.span_start) <> a.quote""")
        assert bad == 0
    finally:
        await conn.close()


async def test_one_external_id_claimed_by_different_texts_at_once(pooled) -> None:
    client, token, _ = pooled
    bodies = [{"text": f"{ARTICLE}\nنسخة {i}.", "external_id": "race-1"} for i in range(4)]
    responses = await post_many(client, token, bodies)
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]


async def test_metrics_report_pool_usage(pooled) -> None:
    client, _, _ = pooled
    text = (await client.get("/metrics")).text
    assert 'marsad_db_pool_max{pool="reads"} 8.0' in text
    lines = text.splitlines()
    size = float(
        next(line for line in lines if line.startswith('marsad_db_pool_size{pool="reads"}')).split()[1]
    )
    idle = float(
        next(line for line in lines if line.startswith('marsad_db_pool_idle{pool="reads"}')).split()[1]
    )
    assert 1 <= size <= 8 and 0 <= idle <= size
