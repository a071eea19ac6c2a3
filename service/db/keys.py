"""API keys: SQL and typed functions. Only the SHA-256 of a key is stored; the key itself is shown once."""

from __future__ import annotations

from datetime import datetime

import asyncpg
import msgspec

INSERT_KEY = """
INSERT INTO api_keys (id, name, key_hash, scopes) VALUES ($1, $2, $3, $4::text[])
RETURNING id, name, scopes, created_at, last_used_at, revoked_at
"""

SELECT_KEYS = """
SELECT id, name, scopes, created_at, last_used_at, revoked_at FROM api_keys
WHERE $1::bool OR revoked_at IS NULL
ORDER BY created_at, id
"""

REVOKE_KEY = """
UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
RETURNING id, name, scopes, created_at, last_used_at, revoked_at
"""

SELECT_ACTIVE_KEY = "SELECT id, name, scopes FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL"

# last_used_at is coarse on purpose: at most one write per key and minute.
TOUCH_KEY = """
UPDATE api_keys SET last_used_at = now()
WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
"""


class ApiKey(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    scopes: tuple[str, ...]
    created_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


def _key(r: asyncpg.Record) -> ApiKey:
    return ApiKey(
        id=r["id"],
        name=r["name"],
        scopes=tuple(r["scopes"]),
        created_at=r["created_at"],
        last_used_at=r["last_used_at"],
        revoked_at=r["revoked_at"],
    )


async def insert_key(
    conn: asyncpg.Connection, key_id: str, name: str, key_hash: str, scopes: list[str]
) -> ApiKey:
    return _key(await conn.fetchrow(INSERT_KEY, key_id, name, key_hash, scopes))


async def list_keys(conn: asyncpg.Connection, include_revoked: bool = False) -> list[ApiKey]:
    return [_key(r) for r in await conn.fetch(SELECT_KEYS, include_revoked)]


async def revoke_key(conn: asyncpg.Connection, key_id: str) -> ApiKey | None:
    row = await conn.fetchrow(REVOKE_KEY, key_id)
    return _key(row) if row else None


async def find_active_key(conn: asyncpg.Connection, key_hash: str) -> ApiKey | None:
    """The unrevoked key with this hash, marking it used."""
    row = await conn.fetchrow(SELECT_ACTIVE_KEY, key_hash)
    if row is None:
        return None
    try:
        async with conn.transaction():
            await conn.execute(TOUCH_KEY, row["id"])
    except asyncpg.exceptions.ReadOnlySQLTransactionError:  # a read replica: the key still works
        pass
    return ApiKey(id=row["id"], name=row["name"], scopes=tuple(row["scopes"]))
