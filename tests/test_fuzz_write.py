"""Schemathesis over the write endpoints, with an admin key, against the real server (uvicorn in a thread,
a real pool, a database of its own): no 5xx, documented status codes and content types, responses that
match their schemas. Bounded: a few dozen examples per operation."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator

import asyncpg
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app
from service.auth import create_key
from service.config import Settings
from tests.conftest import create_seeded_database, drop_database
from tests.test_faults import free_port

pytestmark = pytest.mark.slow

TOKEN: dict[str, str] = {}


async def prepare_database(name: str) -> str:
    dsn = await create_seeded_database(name)
    conn = await asyncpg.connect(dsn)
    try:
        _, TOKEN["admin"] = await create_key(conn, "fuzzer", ["admin"])
    finally:
        await conn.close()
    return dsn


def _threaded_server(dsn: str) -> Iterator[str]:
    port = free_port()
    app = create_app(Settings(database_url=dsn, pool_min=1, pool_max=4, rate_limit_per_minute=100_000))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the API did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def write_api() -> Iterator[str]:
    """Base URL of a real server (uvicorn, real pool) over a database of its own with the seeds."""
    name = f"marsad_test_fuzz_{uuid.uuid4().hex[:8]}"
    dsn = asyncio.new_event_loop().run_until_complete(prepare_database(name))
    try:
        yield from _threaded_server(dsn)
    finally:
        asyncio.new_event_loop().run_until_complete(drop_database(name))


# The schema the app publishes (the same document /schema/openapi.json serves), write operations only.
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi_schema.to_schema()).include(
    method="POST"
)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_write_endpoints_hold_their_contract(case, write_api: str) -> None:
    case.call_and_validate(
        base_url=write_api,
        headers={"Authorization": f"Bearer {TOKEN['admin']}"},
        timeout=120,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
