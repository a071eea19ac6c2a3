"""The write path: extract articles, then merge them into the dataset, incrementally.

The seed loader, ``python -m service ingest``, ``POST /v1/sources`` and the ingest jobs all come
through here, and run the same pipeline as ``python -m service extract``. Extraction runs before
any lock is taken; the merge of the extracted documents (``ingest.merging``) is the only
serialised part, under an advisory lock, and touches only what the new articles can affect.
Writes are idempotent by the text's sha256, so N identical submissions leave exactly one source.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Literal

import asyncpg
import msgspec

from service.articles import Article, InputItem
from service.db import corpus
from service.db.loader import LoadReport, sweep_orphans
from service.errors import DB_UNAVAILABLE, Conflict, NotFound, UnprocessableContent
from service.extract.document import Document, SourceMeta
from service.extract.pipeline import EXTRACTOR_VERSION, extract_document, text_sha256
from service.ingest.merging import merge_into
from service.merge.common import source_id

logger = logging.getLogger("marsad.ingest")

STORED_SHAS = "SELECT sha256 FROM sources WHERE sha256 = ANY($1::text[])"
SOURCE_IDS = "SELECT id FROM sources ORDER BY id"
EXTERNAL_IDS = "SELECT external_id, sha256 FROM sources WHERE external_id = ANY($1::text[])"
# Rows the loader recorded in the change feed in this transaction (now() is the transaction's start).
DELETED_NOW = "SELECT id, kind, merged_into FROM deleted WHERE deleted_at = now() ORDER BY kind, id"
EXTRACTED_IDS = """
SELECT 'event' AS kind, event_id AS id FROM event_attributions WHERE source_id = $1
UNION SELECT 'actor', actor_id FROM actor_mentions WHERE source_id = $1
UNION SELECT 'claim', id FROM claims WHERE source_id = $1
ORDER BY 1, 2
"""


class ExtractionFailed(UnprocessableContent):
    type = "extraction-failed"
    title = "Extraction failed"


class IngestResult(msgspec.Struct):
    source_id: str
    external_id: str | None
    created: bool


class IngestReport(msgspec.Struct):
    results: list[IngestResult]
    load: LoadReport | None


class Removed(msgspec.Struct):
    """An id that re-extraction removed; ``merged_into`` names the id that absorbed it, if any."""

    id: str
    kind: str
    merged_into: str | None


class ReextractReport(msgspec.Struct):
    sources: int
    extractor_version: str
    changed: dict[str, int]
    deleted: dict[str, int]
    totals: dict[str, int]
    removed: list[Removed]


class Extracted(msgspec.Struct):
    """Ids of what a source contributes to the dataset (events and actors may be shared with others)."""

    events: list[str]
    actors: list[str]
    claims: list[str]


def _extract(text: str, meta: SourceMeta) -> Document:
    try:
        return extract_document(text, meta)
    except Exception as exc:  # an extractor bug must not take the request down; it is logged and counted
        logger.exception("extraction failed for %s", meta.external_id or text_sha256(text)[:12])
        raise ExtractionFailed(
            f"The extractor could not process this text ({exc.__class__.__name__}); it has been logged."
        ) from exc


async def ingest(conn: asyncpg.Connection, items: list[tuple[str, SourceMeta]]) -> IngestReport:
    """Store new articles and everything derived from them; already-stored texts are left as they are.

    Raises Conflict when an external_id is already used for a different text, ExtractionFailed when
    the extractor fails on a text. Nothing is written unless everything is.
    """
    shas = [text_sha256(text) for text, _ in items]
    known = {r["sha256"] for r in await conn.fetch(STORED_SHAS, shas)}
    extracted: dict[str, Document] = {}
    for (text, meta), sha in zip(items, shas, strict=True):
        if sha not in known and sha not in extracted:
            extracted[sha] = await asyncio.to_thread(_extract, text, meta)
    async with conn.transaction():
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
            if doc is None:
                doc = await asyncio.to_thread(_extract, text, meta)
            ext = doc.meta.external_id
            if ext and ext in by_external and by_external[ext] != sha:
                raise Conflict(
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


async def ingest_articles(conn: asyncpg.Connection, articles: list[Article]) -> IngestReport:
    return await ingest(conn, [(a.text, a.meta) for a in articles])


async def extracted_ids(conn: asyncpg.Connection, src_id: str) -> Extracted:
    out: dict[str, list[str]] = {"event": [], "actor": [], "claim": []}
    for r in await conn.fetch(EXTRACTED_IDS, src_id):
        out[r["kind"]].append(r["id"])
    return Extracted(events=out["event"], actors=out["actor"], claims=out["claim"])


TOTALS = {
    "sources": "SELECT count(*) FROM sources",
    "actors": "SELECT count(*) FROM actors",
    "events": "SELECT count(*) FROM events",
    "claims": "SELECT count(*) FROM claims",
    "conflicts": "SELECT count(*) FROM conflicts",
}


async def rebuild(conn: asyncpg.Connection, source_ids: list[str] | None = None) -> ReextractReport:
    """Re-extract stored sources (all, or the given ids) with the current extractor and merge the
    new extractions in place of the old ones. Ids stay stable where the facts are the same; ids
    that disappear are recorded in the change feed (``deleted``, with the id they were merged
    into) and reported."""
    ids = source_ids if source_ids is not None else [r["id"] for r in await conn.fetch(SOURCE_IDS)]
    texts = await corpus.texts(conn, ids)
    missing = set(ids) - {i for i, _, _ in texts}
    if missing:
        raise NotFound(f"No source with id {', '.join(sorted(missing))}")
    fresh = [await asyncio.to_thread(_extract, text, meta) for _, text, meta in texts]
    async with conn.transaction():
        await conn.execute(corpus.WRITE_LOCK)
        old = await corpus.documents(conn, [d.sha256 for d in fresh])
        earlier = {r["id"] for r in await conn.fetch(DELETED_NOW)}  # from this transaction, before us
        _, load = await merge_into(conn, fresh, [old[d.sha256] for d in fresh if d.sha256 in old])
        if source_ids is None:
            for kind, n in (await sweep_orphans(conn)).items():
                load.deleted[kind] = load.deleted.get(kind, 0) + n
        removed = [
            Removed(r["id"], r["kind"], r["merged_into"])
            for r in await conn.fetch(DELETED_NOW)
            if r["id"] not in earlier
        ]
        totals = {name: int(await conn.fetchval(sql)) for name, sql in TOTALS.items()}
    return ReextractReport(
        sources=len(fresh),
        extractor_version=EXTRACTOR_VERSION,
        changed=load.changed,
        deleted=load.deleted,
        totals=totals,
        removed=removed,
    )


NEEDS_STATE = "SELECT EXISTS (SELECT 1 FROM sources) AND NOT EXISTS (SELECT 1 FROM merge_actors)"
ALL_SHAS = "SELECT sha256 FROM sources WHERE extraction IS NOT NULL ORDER BY sha256"


async def rebuild_state(conn: asyncpg.Connection) -> int:
    """Build the merge state of a database that has articles but no state (one upgraded from
    before migration 0005) by merging every stored extraction into it, once; 0 if not needed."""
    if not await conn.fetchval(NEEDS_STATE):
        return 0
    async with conn.transaction():
        await conn.execute(corpus.WRITE_LOCK)
        shas = [r["sha256"] for r in await conn.fetch(ALL_SHAS)]
        docs = await corpus.documents(conn, shas)
        await merge_into(conn, [docs[s] for s in shas])
        await sweep_orphans(conn)
    return len(shas)


# --- bulk ingestion (CLI and seed loader) ---------------------------------------------------------

Status = Literal["created", "exists", "failed"]


class Outcome(msgspec.Struct):
    label: str
    status: Status
    source_id: str | None = None
    error: str | None = None


Connect = Callable[[], Awaitable[asyncpg.Connection]]

# A connection cut while a statement is in flight can leave asyncpg's protocol mid-way, and the
# rollback that follows then fails with InternalClientError instead of a connection error. The
# connection is unusable either way; ingest is idempotent, so it is reopened and the batch retried.
RETRYABLE = (*DB_UNAVAILABLE, asyncpg.InternalClientError)


class Reconnecting:
    """A connection that is re-opened (with backoff) when the database goes away mid-way."""

    def __init__(self, connect: Connect, retries: int, first_delay: float = 0.5) -> None:
        self.connect = connect
        self.retries = retries
        self.first_delay = first_delay
        self.conn: asyncpg.Connection | None = None

    async def run(
        self, work: Callable[[asyncpg.Connection], Awaitable[IngestReport]], on_retry: Callable[[str], None]
    ) -> IngestReport:
        delay = self.first_delay
        for attempt in range(self.retries + 1):
            try:
                if self.conn is None or self.conn.is_closed():
                    self.conn = await self.connect()
                return await work(self.conn)
            except RETRYABLE as exc:
                await self.close()
                if attempt == self.retries:
                    raise
                on_retry(
                    f"database unavailable ({exc.__class__.__name__}: {exc}); retry {attempt + 1}/"
                    f"{self.retries} in {delay:g} s"
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        raise AssertionError("unreachable")

    async def close(self) -> None:
        if self.conn is not None:
            try:
                await self.conn.close(timeout=2)
            except Exception:
                self.conn.terminate()
            self.conn = None


async def ingest_bulk(
    connect: Connect,
    items: Iterable[InputItem],
    *,
    batch_size: int = 10,
    retries: int = 5,
    on_outcome: Callable[[Outcome], None] = lambda o: None,
    on_retry: Callable[[str], None] = lambda m: None,
) -> list[Outcome]:
    """Ingest many articles in batches (one transaction each), reporting one Outcome per item.

    Unreadable items fail alone; a batch refused for one item (external_id conflict, extractor
    failure) is retried item by item so the others still go in; a lost connection is retried with
    backoff. Committed batches stay committed, so running the same input again resumes where it
    stopped (stored texts are recognised by sha256 and reported as ``exists``)."""
    db = Reconnecting(connect, retries)
    outcomes: list[Outcome] = []

    def emit(outcome: Outcome) -> None:
        outcomes.append(outcome)
        on_outcome(outcome)

    async def run_batch(batch: list[InputItem]) -> None:
        articles = [item.article for item in batch if item.article is not None]
        try:
            report = await db.run(lambda conn: ingest_articles(conn, articles), on_retry)
        except (Conflict, UnprocessableContent) as exc:
            if len(batch) > 1:
                for item in batch:
                    await run_batch([item])
                return
            emit(Outcome(batch[0].label, "failed", error=f"{batch[0].label}: {exc.detail}"))
            return
        for item, result in zip(batch, report.results, strict=True):
            emit(Outcome(item.label, "created" if result.created else "exists", result.source_id))

    try:
        batch: list[InputItem] = []
        for item in items:
            if item.article is None:
                emit(Outcome(item.label, "failed", error=item.error))
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                await run_batch(batch)
                batch = []
        if batch:
            await run_batch(batch)
    finally:
        await db.close()
    return outcomes


def current_version() -> str:
    return EXTRACTOR_VERSION


__all__ = [
    "Extracted",
    "IngestReport",
    "IngestResult",
    "Outcome",
    "ReextractReport",
    "current_version",
    "extracted_ids",
    "ingest",
    "ingest_articles",
    "ingest_bulk",
    "rebuild",
    "text_sha256",
]
