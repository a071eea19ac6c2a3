"""Connection management: resolve the DSN (embedded or DATABASE_URL), create the pool, hand out
connections. Tests pass their own ``Connections`` so each request nests in the test's transaction."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Protocol
from urllib.parse import urlsplit

import asyncpg

from service.config import Settings
from service.db.admin import ensure_database
from service.db.embedded import start_embedded
from service.errors import ConfigError, DatabaseUnavailable


class Connections(Protocol):
    """Anything that lends a connection: an asyncpg pool, or one test connection."""

    def acquire(self) -> contextlib.AbstractAsyncContextManager[asyncpg.Connection]: ...


class SingleConnection:
    """Lends the same connection to every caller (tests: one transaction rolled back per test)."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection
        self._lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def acquire(self) -> AsyncIterator[asyncpg.Connection]:
        async with self._lock:
            yield self.connection


def describe_dsn(dsn: str) -> str:
    """host:port/db of a DSN, without credentials, for error messages."""
    parts = urlsplit(dsn)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path or '/'}"


def _encode_jsonb(value: object) -> bytes:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return b"\x01" + text.encode()


def _decode_jsonb(data: bytes) -> object:
    return json.loads(data[1:])


async def init_connection(connection: asyncpg.Connection) -> None:
    """Codecs for every connection: jsonb as Python objects (pre-encoded JSON strings pass through),
    in binary format so COPY works too."""
    await connection.set_type_codec(
        "jsonb", encoder=_encode_jsonb, decoder=_decode_jsonb, schema="pg_catalog", format="binary"
    )


async def resolve_dsn(settings: Settings) -> str:
    """The DSN to use: DATABASE_URL as given, or the embedded server's database (created if needed)."""
    if settings.database_url:
        return settings.database_url
    base = await asyncio.to_thread(start_embedded, settings.pgdata)
    return await ensure_database(base, settings.db_name)


async def check_connection(dsn: str, connect_timeout: float = 10.0) -> None:
    """Connect once and fail with one clear line when the database is unreachable or wrong."""
    try:
        connection = await asyncpg.connect(dsn, timeout=connect_timeout)
    except (TimeoutError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or exc.__class__.__name__
        raise ConfigError(f"cannot connect to the database at {describe_dsn(dsn)}: {reason}") from None
    except asyncpg.PostgresError as exc:
        raise ConfigError(f"the database at {describe_dsn(dsn)} refused the connection: {exc}") from None
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL is not a valid Postgres URL: {exc}") from None
    await connection.close()


async def create_pool(dsn: str, settings: Settings) -> asyncpg.Pool:
    """The application pool, with a statement timeout on every connection."""
    try:
        return await asyncpg.create_pool(
            dsn,
            min_size=settings.pool_min,
            max_size=settings.pool_max,
            init=init_connection,
            server_settings={
                "statement_timeout": str(settings.statement_timeout_ms),
                "application_name": "marsad",
            },
            command_timeout=max(settings.statement_timeout_ms / 1000 * 2, 5),
        )
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        raise DatabaseUnavailable(str(exc)) from exc
