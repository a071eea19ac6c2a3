"""Connection management: resolve the DSN (embedded or DATABASE_URL), create the pool, hand out
connections. Tests pass their own ``Connections`` so each request nests in the test's transaction."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import asyncpg

from service.config import Settings
from service.db.admin import ensure_database
from service.db.embedded import start_embedded
from service.errors import ConfigError, DatabaseUnavailable, MarsadError, Overloaded, WriteBudgetExceeded

logger = logging.getLogger("marsad.db")


class Connections(Protocol):
    """Anything that lends a connection: an asyncpg pool, or one test connection."""

    def acquire(self) -> contextlib.AbstractAsyncContextManager[asyncpg.Connection]: ...


class SingleConnection:
    """Lends the same connection to every caller (tests: one transaction rolled back per test)."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection
        self._lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def acquire(
        self, wait: float | None = None, refusal: object = None
    ) -> AsyncIterator[asyncpg.Connection]:
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


class Pool:
    """An asyncpg pool whose acquisition waits at most ``timeout`` seconds, then raises ``refusal()``
    (a 503 with Retry-After) instead of queueing the request without end."""

    def __init__(
        self, pool: asyncpg.Pool, name: str, timeout: float, refusal: Callable[[], MarsadError]
    ) -> None:
        self.pool = pool
        self.name = name
        self.timeout = timeout
        self.refusal = refusal

    @contextlib.asynccontextmanager
    async def acquire(
        self, wait: float | None = None, refusal: Callable[[], MarsadError] | None = None
    ) -> AsyncIterator[asyncpg.Connection]:
        """A connection within ``wait`` seconds (default: the pool's timeout), else ``refusal()``
        (default: the pool's)."""
        try:
            connection = await self.pool.acquire(timeout=self.timeout if wait is None else wait)
        except TimeoutError:
            raise (refusal or self.refusal)() from None
        try:
            yield connection
        finally:
            try:
                await self.pool.release(connection)
            except (
                Exception
            ) as exc:  # asyncpg has closed it (cut mid-statement); the request's outcome stands
                logger.warning(
                    "a connection could not be reset and was closed: %s: %s", type(exc).__name__, exc
                )

    def get_size(self) -> int:
        return self.pool.get_size()

    def get_idle_size(self) -> int:
        return self.pool.get_idle_size()

    def get_max_size(self) -> int:
        return self.pool.get_max_size()

    async def close(self) -> None:
        await self.pool.close()

    def terminate(self) -> None:
        self.pool.terminate()


@dataclass(frozen=True)
class Pools:
    """One pool per kind of work, so that writes and exports can never take every connection reads need."""

    reads: Pool
    writes: Pool
    exports: Pool

    async def close(self) -> None:
        await asyncio.gather(self.reads.close(), self.writes.close(), self.exports.close())


async def _asyncpg_pool(
    dsn: str, min_size: int, max_size: int, statement_ms: int, idle_ms: int, lock_ms: int | None = None
) -> asyncpg.Pool:
    server_settings = {
        "statement_timeout": str(statement_ms),
        "idle_in_transaction_session_timeout": str(idle_ms),
        "application_name": "marsad",
    }
    if lock_ms is not None:
        server_settings["lock_timeout"] = str(lock_ms)
    try:
        return await asyncpg.create_pool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            init=init_connection,
            server_settings=server_settings,
            # the server cancels first (a clean QueryCanceledError); this only catches a silent server
            command_timeout=statement_ms / 1000 + 5,
        )
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        raise DatabaseUnavailable(f"The database cannot be reached: {exc.__class__.__name__}.") from exc


async def create_pool(dsn: str, settings: Settings) -> Pool:
    """The read pool: statement and idle-in-transaction timeouts on the server, a bounded wait for a
    connection (MARSAD_POOL_TIMEOUT_MS, then 503)."""
    timeout = settings.pool_timeout_ms / 1000
    pool = await _asyncpg_pool(
        dsn,
        settings.pool_min,
        settings.pool_max,
        settings.statement_timeout_ms,
        settings.idle_in_transaction_ms,
    )
    return Pool(
        pool,
        "reads",
        timeout,
        lambda: Overloaded(
            f"No database connection came free within {timeout:g} s (MARSAD_POOL_TIMEOUT_MS): "
            "the API is busy; retry shortly.",
            retry_after=1,
        ),
    )


async def create_pools(dsn: str, settings: Settings) -> Pools:
    """Reads, writes and exports, each with its own connections and timeouts.

    Writes wait, not fail: for a connection, the dataset lock and their statements they have
    MARSAD_WRITE_BUDGET_S; exports wait MARSAD_POOL_TIMEOUT_MS for one of their connections."""
    budget = settings.write_budget_s
    timeout = settings.pool_timeout_ms / 1000
    reads = await create_pool(dsn, settings)
    writes_pool = await _asyncpg_pool(
        dsn, 1, settings.write_pool_max, budget * 1000, budget * 1000, lock_ms=budget * 1000
    )
    exports_pool = await _asyncpg_pool(
        dsn, 1, settings.export_pool_max, settings.statement_timeout_ms, settings.idle_in_transaction_ms
    )
    writes = Pool(
        writes_pool,
        "writes",
        budget,
        lambda: WriteBudgetExceeded(
            f"The write waited {budget} s (MARSAD_WRITE_BUDGET_S) for a database connection: "
            f"{settings.write_pool_max} writes are running; retry later.",
            retry_after=min(60, budget),
        ),
    )
    exports = Pool(
        exports_pool,
        "exports",
        timeout,
        lambda: Overloaded(
            f"All {settings.export_pool_max} export connections (MARSAD_EXPORT_POOL_MAX) are busy; "
            "retry shortly or page through the list instead.",
            retry_after=5,
        ),
    )
    return Pools(reads, writes, exports)
