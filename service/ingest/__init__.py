"""The write path: extract articles, then merge them into the dataset, incrementally.

The seed loader, ``python -m service ingest``, ``POST /v1/sources`` and the ingest jobs all come
through here, and run the same pipeline as ``python -m service extract``. Extraction runs before
any lock is taken; the merge of the extracted documents (``ingest.merging``) is the only
serialised part, under an advisory lock, and touches only what the new articles can affect.
Writes are idempotent by the text's sha256, so N identical submissions leave exactly one source.
"""

from __future__ import annotations

import logging

import asyncpg
import msgspec

from service.articles import Article
from service.db import corpus
from service.db.loader import LoadReport, sweep_orphans
from service.errors import StateConflict
from service.extract.document import Document, SourceMeta
from service.extract.pipeline import EXTRACTOR_VERSION, text_sha256
from service.ingest.extraction import ExtractionFailed, Extractor
from service.ingest.merging import merge_into
from service.ingest.reextract import ReextractReport, Removed, reextract
from service.merge.common import source_id

logger = logging.getLogger("marsad.ingest")

STORED_SHAS = "SELECT sha256 FROM sources WHERE sha256 = ANY($1::text[])"
SOURCE_IDS = "SELECT id FROM sources ORDER BY id"
EXTERNAL_IDS = "SELECT external_id, sha256 FROM sources WHERE external_id = ANY($1::text[])"
EXTRACTED_IDS = """
SELECT 'event' AS kind, event_id AS id FROM event_attributions WHERE source_id = $1
UNION SELECT 'actor', actor_id FROM actor_mentions WHERE source_id = $1
UNION SELECT 'claim', id FROM claims WHERE source_id = $1
ORDER BY 1, 2
"""


class IngestResult(msgspec.Struct):
    source_id: str
    external_id: str | None
    created: bool


class IngestReport(msgspec.Struct):
    results: list[IngestResult]
    load: LoadReport | None


class Extracted(msgspec.Struct):
    """Ids of what a source contributes to the dataset (events and actors may be shared with others)."""

    events: list[str]
    actors: list[str]
    claims: list[str]


_in_thread = Extractor(processes=0)
"""Extraction for callers without a process pool (tests, tools): a thread of this process."""


async def ingest(
    conn: asyncpg.Connection, items: list[tuple[str, SourceMeta]], extractor: Extractor | None = None
) -> IngestReport:
    """Store new articles and everything derived from them; already-stored texts are left as they are.

    The new articles are extracted first (in ``extractor``'s processes), outside any lock; then
    merged under the write lock. Raises Conflict when an external_id is already used for a
    different text, ExtractionFailed when the extractor fails on a text. Nothing is written unless
    everything is.
    """
    extractor = extractor or _in_thread
    shas = [text_sha256(text) for text, _ in items]
    known = {r["sha256"] for r in await conn.fetch(STORED_SHAS, shas)}
    extracted: dict[str, Document] = {}
    for (text, meta), sha in zip(items, shas, strict=True):
        if sha not in known and sha not in extracted:
            extracted[sha] = await extractor.extract(text, meta)
    async with conn.transaction():
        await conn.execute(corpus.PRIORITY_LOCK)  # a bulk chunk holding the lock lets this in soon
        await conn.execute(corpus.WRITE_LOCK)
        stored_shas = {r["sha256"] for r in await conn.fetch(STORED_SHAS, shas)}
        externals = sorted({m.external_id for _, m in items if m.external_id})
        by_external = {r["external_id"]: r["sha256"] for r in await conn.fetch(EXTERNAL_IDS, externals)}
        results: list[IngestResult] = []
        added: list[Document] = []
        seen: set[str] = set()
        for (text, meta), sha in zip(items, shas, strict=True):
            if sha in stored_shas or sha in seen:
                results.append(IngestResult(source_id(sha), meta.external_id, False))
                continue
            doc = extracted.get(sha)
            if doc is None:  # stored when we looked, gone since (only a re-extraction could do that)
                doc = await extractor.extract(text, meta)
            ext = doc.meta.external_id
            if ext and ext in by_external and by_external[ext] != sha:
                raise StateConflict(
                    f"external_id {ext!r} is already used by source "
                    f"{source_id(by_external[ext])} with a different text"
                )
            seen.add(sha)
            if ext:
                by_external[ext] = sha
            added.append(doc)
            results.append(IngestResult(source_id(sha), ext, True))
        if not added:
            return IngestReport(results=results, load=None)
        _, report = await merge_into(conn, added)
    return IngestReport(results=results, load=report)


async def ingest_articles(
    conn: asyncpg.Connection, articles: list[Article], extractor: Extractor | None = None
) -> IngestReport:
    return await ingest(conn, [(a.text, a.meta) for a in articles], extractor)


async def extracted_ids(conn: asyncpg.Connection, src_id: str) -> Extracted:
    out: dict[str, list[str]] = {"event": [], "actor": [], "claim": []}
    for r in await conn.fetch(EXTRACTED_IDS, src_id):
        out[r["kind"]].append(r["id"])
    return Extracted(events=out["event"], actors=out["actor"], claims=out["claim"])


async def rebuild(conn: asyncpg.Connection, source_ids: list[str] | None = None) -> ReextractReport:
    """Re-extract stored sources (all, or the given ids), batch by batch (``ingest.reextract``)."""
    return await reextract(conn, source_ids)


NEEDS_STATE = "SELECT EXISTS (SELECT 1 FROM sources) AND NOT EXISTS (SELECT 1 FROM merge_actors)"
ALL_SHAS = "SELECT sha256 FROM sources WHERE extraction IS NOT NULL ORDER BY sha256"


async def rebuild_state(conn: asyncpg.Connection) -> int:
    """Build the merge state of a database that has articles but no state (one upgraded from
    before migration 0007) by merging every stored extraction into it, once; 0 if not needed."""
    if not await conn.fetchval(NEEDS_STATE):
        return 0
    async with conn.transaction():
        await conn.execute(corpus.WRITE_LOCK)
        shas = [r["sha256"] for r in await conn.fetch(ALL_SHAS)]
        docs = await corpus.documents(conn, shas)
        await merge_into(conn, [docs[s] for s in shas])
        await sweep_orphans(conn)
    return len(shas)


def current_version() -> str:
    return EXTRACTOR_VERSION


__all__ = [
    "Extracted",
    "ExtractionFailed",
    "Extractor",
    "IngestReport",
    "IngestResult",
    "ReextractReport",
    "Removed",
    "current_version",
    "extracted_ids",
    "ingest",
    "ingest_articles",
    "rebuild",
    "rebuild_state",
    "text_sha256",
]
