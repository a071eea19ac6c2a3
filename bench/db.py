"""The Postgres server benchmarks run against: DATABASE_URL's server when set, else an embedded
server of its own (``.data/bench-postgres``), so benchmarks never touch the dev or test data."""

from __future__ import annotations

import json
import os

import asyncpg

from service.config import PROJECT_ROOT
from service.db.admin import drop_database as drop_server_database
from service.db.admin import recreate_database
from service.db.embedded import database_dsn, start_embedded

BENCH_PGDATA = PROJECT_ROOT / ".data" / "bench-postgres"


def server_dsn() -> str:
    return os.environ.get("DATABASE_URL") or start_embedded(BENCH_PGDATA)


async def create_database(name: str) -> str:
    """Drop and create database ``name``; returns its DSN."""
    return await recreate_database(server_dsn(), name)


GENERATED_INFO = """
SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1
"""


async def generated_dataset(name: str) -> tuple[str, dict] | None:
    """(DSN, generator report) of database ``name`` when it holds a complete generated dataset."""
    base = server_dsn()
    admin = await asyncpg.connect(database_dsn(base, "postgres"))
    try:
        comment = await admin.fetchval(GENERATED_INFO, name)
    finally:
        await admin.close()
    if not comment or not comment.startswith("{"):
        return None
    return database_dsn(base, name), json.loads(comment)


async def drop_database(name: str) -> None:
    await drop_server_database(server_dsn(), name)


async def mark_generated(name: str, info: dict) -> None:
    """Record the generator report on the database, so later runs can reuse it."""
    admin = await asyncpg.connect(database_dsn(server_dsn(), "postgres"))
    try:
        literal = json.dumps(info).replace("'", "''")
        await admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{literal}'")
    finally:
        await admin.close()
