"""Test fixtures: a real Postgres (embedded, or the server in DATABASE_URL), one fresh database per
session migrated to head and loaded with the seeds through the real pipeline, and one transaction
per test that is rolled back."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from service.app import create_app
from service.articles import read_articles
from service.config import PROJECT_ROOT, Settings, load_settings
from service.db import migrate
from service.db.admin import drop_database as drop_server_database
from service.db.admin import recreate_database
from service.db.embedded import start_embedded
from service.db.pool import SingleConnection, init_connection
from service.ingest import ingest_articles

SEEDS = PROJECT_ROOT / "seeds"
TEST_PGDATA = PROJECT_ROOT / ".data" / "test-postgres"


def server_dsn() -> str:
    """The server tests run against: DATABASE_URL if set, else the embedded test server."""
    return os.environ.get("DATABASE_URL") or start_embedded(TEST_PGDATA)


async def create_database(name: str) -> str:
    return await recreate_database(server_dsn(), name)


async def drop_database(name: str) -> None:
    await drop_server_database(server_dsn(), name)


@pytest.fixture(scope="session")
async def fresh_database() -> AsyncIterator[tuple[str, str]]:
    """Factory-free helper: yields (name, dsn) of an empty, unmigrated database for this session."""
    name = f"marsad_test_empty_{uuid.uuid4().hex[:8]}"
    dsn = await create_database(name)
    yield name, dsn
    await drop_database(name)


async def create_seeded_database(name: str) -> str:
    """Create database ``name``, migrate it to head and load the seeds through the pipeline; its DSN."""
    dsn = await create_database(name)
    await migrate.upgrade(dsn)
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    try:
        await ingest_articles(conn, read_articles([SEEDS]))
    finally:
        await conn.close()
    return dsn


@pytest.fixture(scope="session")
async def database() -> AsyncIterator[str]:
    """DSN of this session's database: migrated to head, seeds loaded through the pipeline."""
    name = f"marsad_test_{uuid.uuid4().hex[:8]}"
    yield await create_seeded_database(name)
    await drop_database(name)


@pytest.fixture
async def conn(database: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    connection = await asyncpg.connect(database)
    await init_connection(connection)
    transaction = connection.transaction()
    await transaction.start()
    try:
        yield connection
    finally:
        await transaction.rollback()
        await connection.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"MARSAD_DATA_DIR": str(tmp_path / "data")})


@pytest.fixture
async def client(conn: asyncpg.Connection, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the app, in this event loop, whose requests run inside the test's transaction.

    The connections are injected into the app, so its lifespan has nothing to open; Litestar's own
    test client would run the app in another thread's event loop, away from this connection."""
    app = create_app(settings, connections=SingleConnection(conn))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://marsad.test"
    ) as test_client:
        yield test_client
