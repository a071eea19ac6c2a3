"""Re-extraction: a new extractor version applied to stored articles, batch by batch.

Each batch is extracted in the extraction processes, outside any transaction, then merged in place
of the stored extractions (``merge_into(new, old)``) in one short transaction under the write lock.
There is no corpus-wide transaction: readers see the dataset before or after each batch, never in
between, and a re-extraction interrupted midway is resumed by running it again (a queue job's
remaining chunks are taken by any worker; ``python -m service reextract`` re-runs what is left).
A re-extraction of every source ends by sweeping events and actors that no extraction produced
(rows an older version left), recording where they went in the change feed.
"""

from __future__ import annotations

import re
from datetime import datetime

import asyncpg
import msgspec

from service.db import corpus
from service.db.loader import LoadReport, sweep_orphans
from service.errors import NotFound
from service.extract.document import Document
from service.extract.pipeline import EXTRACTOR_VERSION
from service.ingest.extraction import ExtractionFailed, Extractor
from service.ingest.merging import MergeTimings, merge_into

BATCH = 200
SOURCE_ID = re.compile(r"src_[0-9a-f]{16}")
SOURCE_IDS = "SELECT id FROM sources ORDER BY id"
DELETED_SINCE = "SELECT id, kind, merged_into, deleted_at FROM deleted WHERE deleted_at >= $1"
TOTALS = {
    "sources": "SELECT count(*) FROM sources",
    "actors": "SELECT count(*) FROM actors",
    "events": "SELECT count(*) FROM events",
    "claims": "SELECT count(*) FROM claims",
    "conflicts": "SELECT count(*) FROM conflicts",
}


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


async def extract_sources(
    conn: asyncpg.Connection, ids: list[str], extractor: Extractor
) -> tuple[list[Document], dict[str, str]]:
    """Fresh extractions of these stored sources (outside any transaction); failures by source id."""
    texts = await corpus.texts(conn, ids)
    found = await extractor.extract_many([(text, meta) for _, text, meta in texts])
    docs = [d for d in found if not isinstance(d, ExtractionFailed)]
    failed = {
        i: f.detail for (i, _, _), f in zip(texts, found, strict=True) if isinstance(f, ExtractionFailed)
    }
    failed |= {i: f"No source with id {i}" for i in set(ids) - {i for i, _, _ in texts}}
    return docs, failed


async def replace(
    conn: asyncpg.Connection, fresh: list[Document], timings: MergeTimings | None = None
) -> LoadReport | None:
    """Merge fresh extractions in place of the stored ones (the caller holds the lock in a transaction)."""
    if not fresh:
        return None
    old = await corpus.documents(conn, [d.sha256 for d in fresh])
    _, load = await merge_into(conn, fresh, [old[d.sha256] for d in fresh if d.sha256 in old], timings)
    return load


def add_counts(total: dict[str, int], more: dict[str, int]) -> dict[str, int]:
    return {k: total.get(k, 0) + more.get(k, 0) for k in sorted(set(total) | set(more))}


async def reextract(
    conn: asyncpg.Connection,
    source_ids: list[str] | None = None,
    extractor: Extractor | None = None,
    batch: int = BATCH,
) -> ReextractReport:
    """Re-extract stored sources (all, or the given ids) with the current extractor, one batch per
    transaction. Ids stay stable where the facts are the same; ids that disappear are recorded in
    the change feed (with the id they were merged into) and reported."""
    extractor = extractor or Extractor(processes=0)
    ids = source_ids if source_ids is not None else [r["id"] for r in await conn.fetch(SOURCE_IDS)]
    wellformed = [i for i in ids if SOURCE_ID.fullmatch(i)]
    stored = {i for i, _, _ in await corpus.texts(conn, wellformed)} if source_ids is not None else set(ids)
    missing = set(ids) - stored
    if missing:
        raise NotFound(f"No source with id {', '.join(sorted(missing))}")
    start: datetime = await conn.fetchval("SELECT now()")
    before = {tuple(r) for r in await conn.fetch(DELETED_SINCE, start)}
    changed: dict[str, int] = {}
    deleted: dict[str, int] = {}
    for at in range(0, len(ids), batch):
        fresh, _ = await extract_sources(conn, ids[at : at + batch], extractor)
        async with conn.transaction():
            await conn.execute(corpus.WRITE_LOCK)
            load = await replace(conn, fresh)
            if source_ids is None and at + batch >= len(ids):
                deleted = add_counts(deleted, await sweep_orphans(conn))
        if load is not None:
            changed, deleted = add_counts(changed, load.changed), add_counts(deleted, load.deleted)
    return await report(conn, len(ids), changed, deleted, start, before)


async def report(
    conn: asyncpg.Connection,
    sources: int,
    changed: dict[str, int],
    deleted: dict[str, int],
    start: datetime,
    before: set[tuple[object, ...]] = frozenset(),  # type: ignore[assignment]
) -> ReextractReport:
    """The report of a re-extraction that started at ``start`` (what the change feed got since)."""
    removed = sorted(
        (
            Removed(r["id"], r["kind"], r["merged_into"])
            for r in await conn.fetch(DELETED_SINCE, start)
            if tuple(r) not in before
        ),
        key=lambda r: (r.kind, r.id),
    )
    totals = {name: int(await conn.fetchval(sql)) for name, sql in TOTALS.items()}
    return ReextractReport(
        sources=sources,
        extractor_version=EXTRACTOR_VERSION,
        changed=changed,
        deleted=deleted,
        totals=totals,
        removed=removed,
    )
