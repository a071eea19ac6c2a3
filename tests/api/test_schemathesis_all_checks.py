"""The spec and the server agree: schemathesis's own runner, every check (``--checks all``) and every
phase (examples, coverage, fuzzing, stateful), against the real server (uvicorn, a real pool) over a
seeded database of its own, with an admin key so that writes are exercised too. Bounded in examples
and time so that it fits CI; the long run is in docs/operations.md.

Two rules no OpenAPI schema can state (an opaque cursor; ``from`` not after ``to``) are applied to the
generated cases by ``tests/api/schemathesis_hooks.py``.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from service.app import create_app
from service.auth import create_key
from service.config import PROJECT_ROOT, Settings
from tests.conftest import create_seeded_database, drop_database
from tests.test_server import serving

MAX_EXAMPLES = 5
MAX_SECONDS = 150
SEED = 20251004


@pytest.fixture(scope="module")
async def live_server() -> AsyncIterator[tuple[str, str]]:
    """(base URL, admin key) of a real server on its own seeded database."""
    name = f"marsad_test_st_{uuid.uuid4().hex[:8]}"
    dsn = await create_seeded_database(name)
    conn = await asyncpg.connect(dsn)
    try:
        _, token = await create_key(conn, "schemathesis", ["admin"])
    finally:
        await conn.close()
    settings = Settings(database_url=dsn, rate_limit_per_minute=0, auth_failures_per_minute=0, pool_max=4)
    try:
        async with serving(create_app(settings), 10) as port:
            yield f"http://127.0.0.1:{port}", token
    finally:
        await drop_database(name)


async def test_schemathesis_all_checks_all_phases_find_nothing(live_server: tuple[str, str]) -> None:
    base, token = live_server
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        f"{base}/schema/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--max-time",
        str(MAX_SECONDS),
        "--workers",
        "1",
        "--seed",
        str(SEED),
        "--request-timeout",
        "30",
        "--header",
        f"Authorization: Bearer {token}",
        "--no-color",
    ]
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks",
    }
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), MAX_SECONDS + 240)
    text = output.decode(errors="replace")
    assert process.returncode == 0, text[-6000:]
    assert "generated" in text and "Server error" not in text
