"""Reading stored articles back: per-document extractions (for the merge) and texts (for
re-extraction).

Decoding a stored extraction costs more than merging it, and a worker merges the same popular
articles again and again, so decoded documents are kept in a per-process cache. An entry is keyed
by what identifies the stored row version (database, source id, sha256, extractor version,
``updated_at`` and the row's ``xmin``); any rewrite of the extraction changes it, so a stale
document is never served.
"""

from __future__ import annotations

from collections import OrderedDict

import asyncpg
import msgspec

from service.extract.document import Document, SourceMeta

WRITE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('marsad.dataset.write'))"
PRIORITY_LOCK = "SELECT pg_advisory_xact_lock_shared(1298231923, 1)"
"""Taken (shared) by a synchronous write (``POST /v1/sources``) before it queues for ``WRITE_LOCK``
and held to its commit: the sign a bulk chunk reads between its sub-chunks (``PRIORITY_WAITING``) to
commit what it merged and let that write in (``ingest/jobs.py``, ``BULK_SUB_CHUNK``)."""
PRIORITY_WAITING = """
SELECT EXISTS (
    SELECT 1 FROM pg_locks
    WHERE locktype = 'advisory' AND classid = 1298231923 AND objid = 1 AND objsubid = 2 AND granted
      AND pid <> pg_backend_pid()
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
)
"""

SELECT_VERSIONS = """
SELECT sha256, current_database() || ':' || id || ':' || sha256 || ':' || extractor_version || ':'
       || updated_at::text || ':' || xmin::text AS version
FROM sources
WHERE sha256 = ANY($1::text[]) AND extraction IS NOT NULL
"""
SELECT_EXTRACTIONS = (
    "SELECT sha256, text, extraction::text AS extraction FROM sources WHERE sha256 = ANY($1::text[])"
)
SELECT_TEXTS = """
SELECT id, text, external_id, outlet, url, author, title, published_on, published_basis, language
FROM sources WHERE id = ANY($1::text[])
"""

_decoder = msgspec.json.Decoder(Document)

CACHE_LIMIT = 20_000
_cache: OrderedDict[str, Document] = OrderedDict()
"""Row version -> decoded document (least recently used first). The merge copies what it
changes, so cached documents are shared between merges unchanged."""


async def documents(conn: asyncpg.Connection, shas: list[str]) -> dict[str, Document]:
    """Stored extractions of these articles (with their text; the norm map is left empty: the merge
    never reads it)."""
    versions = {r["sha256"]: r["version"] for r in await conn.fetch(SELECT_VERSIONS, shas)}
    found: dict[str, Document] = {}
    missing = []
    for sha, version in versions.items():
        doc = _cache.get(version)
        if doc is None:
            missing.append(sha)
        else:
            _cache.move_to_end(version)
            found[sha] = doc
    if missing:
        for row in await conn.fetch(SELECT_EXTRACTIONS, missing):
            doc = _decoder.decode(row["extraction"])
            doc.text = row["text"]
            found[row["sha256"]] = doc
            _cache[versions[row["sha256"]]] = doc
        while len(_cache) > CACHE_LIMIT:
            _cache.popitem(last=False)
    return found


def clear_cache() -> None:
    """Forget every decoded document (tests, and callers that want the memory back)."""
    _cache.clear()


async def texts(conn: asyncpg.Connection, ids: list[str]) -> list[tuple[str, str, SourceMeta]]:
    """(source id, text, metadata as ingested) of these sources, in the order of ``ids``."""
    rows = {r["id"]: r for r in await conn.fetch(SELECT_TEXTS, ids)}
    out = []
    for i in ids:
        r = rows.get(i)
        if r is None:
            continue
        published = r["published_on"] if r["published_basis"] == "metadata" else None
        meta = SourceMeta(
            external_id=r["external_id"],
            outlet=r["outlet"],
            url=r["url"],
            author=r["author"],
            title=r["title"],
            published=published,
            language=r["language"],
        )
        out.append((r["id"], r["text"], meta))
    return out
