"""Whole databases on a server: create one (fresh, or only if missing) and drop one.

Used by the service (its own database on the embedded server), the tests, the benchmarks and
the docs generator. Database names cannot be query parameters, so they are quoted as identifiers.
"""

from __future__ import annotations

import contextlib

import asyncpg

from service.db.embedded import database_dsn

CREATE_DATABASE = "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
DROP_DATABASE = "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
DATABASE_EXISTS = "SELECT 1 FROM pg_database WHERE datname = $1"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextlib.asynccontextmanager
async def _maintenance(server_dsn: str):
    connection = await asyncpg.connect(database_dsn(server_dsn, "postgres"))
    try:
        yield connection
    finally:
        await connection.close()


async def ensure_database(server_dsn: str, name: str) -> str:
    """Create database ``name`` unless it exists; return its DSN."""
    async with _maintenance(server_dsn) as admin:
        if not await admin.fetchval(DATABASE_EXISTS, name):
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await admin.execute(CREATE_DATABASE.format(name=quote_identifier(name)))
    return database_dsn(server_dsn, name)


async def recreate_database(server_dsn: str, name: str) -> str:
    """Drop database ``name`` if it exists and create it empty; return its DSN."""
    async with _maintenance(server_dsn) as admin:
        await admin.execute(DROP_DATABASE.format(name=quote_identifier(name)))
        await admin.execute(CREATE_DATABASE.format(name=quote_identifier(name)))
    return database_dsn(server_dsn, name)


async def drop_database(server_dsn: str, name: str) -> None:
    """Drop database ``name`` (sessions on it are ended) if it exists."""
    async with _maintenance(server_dsn) as admin:
        await admin.execute(DROP_DATABASE.format(name=quote_identifier(name)))
