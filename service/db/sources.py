"""Sources: SQL and typed reads."""

from __future__ import annotations

from typing import Any

import asyncpg

from service.models import Published, Source, SourceDetail, SpanRef

SOURCE_FIELDS = """
    id, external_id, outlet, author, url, title, language, published_on, published_precision, published_basis,
    published_reason, sha256, extractor_version, ingested_at, updated_at, length(text) AS length
"""

SELECT_SOURCE = f"SELECT {SOURCE_FIELDS}, text FROM sources WHERE id = $1"

SELECT_SOURCE_SPANS = """
SELECT 'actor' AS kind, actor_id AS id, span_start, span_end, quote FROM actor_mentions WHERE source_id = $1
UNION ALL
SELECT 'role', actor_id, span_start, span_end, quote FROM actor_roles WHERE source_id = $1
UNION ALL
SELECT 'event', event_id, span_start, span_end, quote FROM event_attributions WHERE source_id = $1
UNION ALL
SELECT 'claim', id, span_start, span_end, quote FROM claims WHERE source_id = $1
ORDER BY span_start, span_end, kind, id
"""


def source_from_record(r: asyncpg.Record | dict[str, Any]) -> Source:
    return Source(
        id=r["id"],
        external_id=r["external_id"],
        outlet=r["outlet"],
        author=r["author"],
        url=r["url"],
        title=r["title"],
        language=r["language"],
        published=Published(
            date=r["published_on"],
            precision=r["published_precision"],
            basis=r["published_basis"],
            reason=r["published_reason"],
        ),
        sha256=r["sha256"],
        extractor_version=r["extractor_version"],
        ingested_at=r["ingested_at"],
        updated_at=r["updated_at"],
        length=r["length"],
    )


async def get_source(conn: asyncpg.Connection, source_id: str) -> SourceDetail | None:
    """One source with its verbatim text and every span extracted from it."""
    r = await conn.fetchrow(SELECT_SOURCE, source_id)
    if r is None:
        return None
    spans = [
        SpanRef(kind=s["kind"], id=s["id"], span=(s["span_start"], s["span_end"]), quote=s["quote"])
        for s in await conn.fetch(SELECT_SOURCE_SPANS, source_id)
    ]
    base = source_from_record(r)
    return SourceDetail(**{f: getattr(base, f) for f in base.__struct_fields__}, text=r["text"], spans=spans)


# The list query: filters, keyset and order are appended by filters.keyset_sql.
SOURCE_LIST_SELECT = f"SELECT {SOURCE_FIELDS} FROM sources s"

SELECT_SOURCES_BY_ID = f"SELECT {SOURCE_FIELDS} FROM sources WHERE id = ANY($1::text[]) ORDER BY id"
SELECT_TEXTS_BY_ID = f"SELECT {SOURCE_FIELDS}, text FROM sources WHERE id = ANY($1::text[]) ORDER BY id"


async def sources_from_records(conn: asyncpg.Connection, records: list[asyncpg.Record]) -> list[Source]:
    """Source resources for rows of SOURCE_LIST_SELECT (no further queries: the signature matches the
    other resources' loaders)."""
    return [source_from_record(r) for r in records]


async def sources_by_id(conn: asyncpg.Connection, ids: list[str]) -> list[Source]:
    return [source_from_record(r) for r in await conn.fetch(SELECT_SOURCES_BY_ID, ids)]


async def sources_with_text(conn: asyncpg.Connection, ids: list[str]) -> dict[str, tuple[Source, str]]:
    """Sources by id with their verbatim text (the explorer shows several articles side by side)."""
    return {r["id"]: (source_from_record(r), r["text"]) for r in await conn.fetch(SELECT_TEXTS_BY_ID, ids)}
