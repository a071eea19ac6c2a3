"""The change feed: ids removed or merged away (``deleted``), for incremental sync."""

from __future__ import annotations

import asyncpg

from service.models import DeletedEntry

# The list query: filters, keyset and order are appended by filters.keyset_sql.
DELETED_SELECT = "SELECT d.id, d.kind, d.merged_into, d.deleted_at FROM deleted d"


async def deleted_from_records(conn: asyncpg.Connection, records: list[asyncpg.Record]) -> list[DeletedEntry]:
    return [
        DeletedEntry(id=r["id"], kind=r["kind"], merged_into=r["merged_into"], deleted_at=r["deleted_at"])
        for r in records
    ]
