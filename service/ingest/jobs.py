"""Ingest jobs: a batch of articles submitted at once, processed by workers through the queue.

``submit`` stores the job, one row per article, and enqueues one pgqueuer job per chunk of
``CHUNK`` articles, all in the caller's transaction. ``process_chunk`` (run by a worker) extracts
the chunk's pending articles in the worker's extraction processes, outside any transaction, then
under the dataset write lock merges them (``BULK_SUB_CHUNK`` at a time while synchronous writes are
about, else all at once) and records each article's
outcome and the job's progress in the same transaction. That is one transaction for the chunk unless
a synchronous write (``POST /v1/sources``) waits for the lock: the chunk then commits after the
sub-chunk it is merging and queues for the lock again behind that write. What is committed is done
wholly: a worker killed before a commit leaves those articles pending, and the chunk is taken again
for them. ``job`` reads the job resource.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

import asyncpg
import msgspec

from service.articles import InputItem
from service.db import corpus
from service.db.loader import add_extractions, drop_extractions
from service.db.rows import stored_extraction
from service.extract.document import Document, SourceMeta
from service.extract.pipeline import text_sha256
from service.ingest.extraction import ExtractionFailed, Extractor
from service.ingest.merging import MergeTimings, merge_into, stage_added
from service.merge.common import source_id, stable_id

ENTRYPOINT = "marsad.ingest"
CHUNK = 25
"""Articles per queue job of an API submission: big enough to amortise a merge, small enough to
spread over workers and to report progress often."""
BULK_CHUNK = 100
"""Articles per queue job of a bulk ingest (``python -m service ingest``, ``bench/ingest_corpus.py``):
each merge has a fixed cost (some 60 statements, the lock, the commit, the actors and events a
chunk's articles share), which a bigger chunk pays once for more articles. The merge gives the same
dataset whatever the split (``tests/ingest/test_incremental.py``)."""
BULK_SUB_CHUNK = 25
"""Articles merged at a time inside a chunk's critical section while synchronous writes are about
(``SYNC_WINDOW``). Between two, a chunk that a synchronous write (``POST /v1/sources``) is waiting
behind commits and lets it in, so that write waits for one sub-chunk's merge, not a whole chunk's.
Sub-chunks cost: each merge pays its fixed cost (the hub actors and events a chunk's articles share
are loaded and rebuilt once per merge), +40 % CPU per article in 25s against 100s (docs/benchmarks.md),
so a chunk is merged whole unless a synchronous write was seen waiting lately."""
SYNC_WINDOW = 120.0
"""Seconds after a worker last saw a synchronous write waiting for the lock during which its chunks
merge in sub-chunks (``BULK_SUB_CHUNK``); a pure bulk load merges whole chunks."""
_sync_seen = [float("-inf")]
"""When this process last saw a synchronous write waiting (``time.monotonic``)."""

JobStatus = Literal["queued", "running", "done"]
ItemStatus = Literal["pending", "created", "exists", "failed"]

INSERT_JOB = """
INSERT INTO ingest_jobs (id, kind, status, total, key_id, sweep) VALUES ($1, $2, 'queued', $3, $4, $5)
"""
SELECT_KIND = "SELECT kind, sweep, changes::text AS changes FROM ingest_jobs WHERE id = $1"
RECORD_CHANGES = "UPDATE ingest_jobs SET changes = $2::jsonb WHERE id = $1 RETURNING status"
SELECT_JOB = """
SELECT id, kind, status, total, done, created, existing, failed, created_at, updated_at, finished_at
FROM ingest_jobs WHERE id = $1
"""
SELECT_RESULTS = """
SELECT seq, label, status, source_id, error FROM ingest_job_items
WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT $3
"""
SELECT_PENDING = """
SELECT seq, label, text, meta::text AS meta FROM ingest_job_items
WHERE job_id = $1 AND seq >= $2 AND seq < $3 AND status = 'pending' ORDER BY seq
"""
LOCK_PENDING = """
SELECT seq FROM ingest_job_items
WHERE job_id = $1 AND seq >= $2 AND seq < $3 AND status = 'pending' ORDER BY seq FOR UPDATE
"""
RECORD_ITEMS = """
UPDATE ingest_job_items i SET status = r.status, source_id = r.source_id, error = r.error, text = NULL
FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS r(seq, status, source_id, error)
WHERE i.job_id = $1 AND i.seq = r.seq
"""
RECORD_PROGRESS = """
UPDATE ingest_jobs SET
    done = done + $2, created = created + $3, existing = existing + $4, failed = failed + $5,
    status = CASE WHEN done + $2 >= total THEN 'done' ELSE 'running' END,
    finished_at = CASE WHEN done + $2 >= total THEN now() ELSE NULL END,
    updated_at = now()
WHERE id = $1
"""
STORED = "SELECT sha256, id FROM sources WHERE sha256 = ANY($1::text[])"
EXTERNAL_IDS = "SELECT external_id, sha256 FROM sources WHERE external_id = ANY($1::text[])"

_meta_encoder = msgspec.json.Encoder()
_meta_decoder = msgspec.json.Decoder(SourceMeta)


class ItemResult(msgspec.Struct):
    """What became of one submitted article."""

    seq: int
    label: str
    status: ItemStatus
    source_id: str | None = None
    error: str | None = None


class IngestJob(msgspec.Struct, kw_only=True):
    """An ingest job as the API serves it: status, progress and per-article results."""

    id: str
    kind: Literal["ingest", "reextract"]
    status: JobStatus
    total: int
    done: int
    created: int
    exists: int
    failed: int
    progress: float
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    results: list[ItemResult] = []
    next_after: int | None = None
    """Pass as ``after`` to read the next page of results (null on the last page)."""


def storable(text: str | None) -> str | None:
    """A label or reason as Postgres text can hold it: a reason may quote the input it refuses (an
    unknown field's name), NUL bytes and lone surrogates included; they are written escaped."""
    if text is None:
        return None
    return text.replace("\x00", "\\x00").encode("utf-8", "backslashreplace").decode("utf-8")


def new_job_id(seed: str) -> str:
    return stable_id("job", seed, str(time.time_ns()))


async def submit(
    conn: asyncpg.Connection,
    items: list[InputItem],
    *,
    kind: Literal["ingest", "reextract"] = "ingest",
    key_id: str | None = None,
    chunk: int = CHUNK,
    sweep: bool = False,
) -> str:
    """Store a job of these items and enqueue its chunks (in the caller's transaction, or one of
    its own). Items that could not be read are recorded as failed at once."""
    from pgqueuer import Queries

    job_id = new_job_id(f"{len(items)}:{items[0].label if items else ''}")
    records: list[tuple[Any, ...]] = []
    failed = 0
    claimed: dict[str, tuple[str, str]] = {}  # external_id -> (sha256, label) of its first article here
    for seq, item in enumerate(items):
        error = item.error
        if item.article is not None and (ext := item.article.meta.external_id):
            sha = text_sha256(item.article.text)
            first = claimed.setdefault(ext, (sha, item.label))
            if first[0] != sha:  # chunks run in any order: the batch's first claim wins, deterministically
                error = f"{item.label}: external_id {ext!r} is already used by {first[1]} in this batch, with a different text"
        if item.article is None or error:
            records.append((job_id, seq, storable(item.label), None, None, "failed", None, storable(error)))
            failed += 1
        else:
            meta = _meta_encoder.encode(item.article.meta).decode()
            records.append(
                (job_id, seq, storable(item.label), item.article.text, meta, "pending", None, None)
            )
    async with conn.transaction():
        await conn.execute(INSERT_JOB, job_id, kind, len(items), key_id, sweep)
        if records:
            await conn.copy_records_to_table(
                "ingest_job_items",
                records=records,
                columns=["job_id", "seq", "label", "text", "meta", "status", "source_id", "error"],
            )
        if failed:
            await conn.execute(RECORD_PROGRESS, job_id, failed, 0, 0, failed)
        pending = [r[1] for r in records if r[5] == "pending"]
        chunks = [(lo, min(lo + chunk, len(items))) for lo in range(0, len(items), chunk)]
        chunks = [(lo, hi) for lo, hi in chunks if any(lo <= s < hi for s in pending)]
        if chunks:
            payloads: list[bytes | None] = [msgspec.msgpack.encode((job_id, lo, hi)) for lo, hi in chunks]
            n = len(payloads)
            await Queries.from_asyncpg_connection(conn).enqueue(
                [ENTRYPOINT] * n, payloads, [0] * n, [None] * n, [None] * n, [None] * n
            )
    return job_id


async def job(conn: asyncpg.Connection, job_id: str, after: int = -1, limit: int = 1000) -> IngestJob | None:
    """The job resource with up to ``limit`` results after ``after`` (None: no such job)."""
    r = await conn.fetchrow(SELECT_JOB, job_id)
    if r is None:
        return None
    rows = await conn.fetch(SELECT_RESULTS, job_id, after, limit + 1)
    results = [
        ItemResult(
            seq=x["seq"], label=x["label"], status=x["status"], source_id=x["source_id"], error=x["error"]
        )
        for x in rows[:limit]
    ]
    return IngestJob(
        id=r["id"],
        kind=r["kind"],
        status=r["status"],
        total=r["total"],
        done=r["done"],
        created=r["created"],
        exists=r["existing"],
        failed=r["failed"],
        progress=round(r["done"] / r["total"], 4) if r["total"] else 1.0,
        created_at=r["created_at"],
        updated_at=r["updated_at"],
        finished_at=r["finished_at"],
        results=results,
        next_after=(results[-1].seq if results else after) if len(rows) > limit else None,
    )


class ChunkReport(msgspec.Struct):
    """What one chunk did, and where its time went (for logs and benchmarks)."""

    articles: int = 0
    extract_seconds: float = 0.0
    timings: MergeTimings = msgspec.field(default_factory=MergeTimings)
    lock_wait_seconds: float = 0.0
    yields: int = 0
    """Times the chunk committed between sub-chunks to let a waiting synchronous write in."""


async def process_chunk(
    conn: asyncpg.Connection,
    job_id: str,
    lo: int,
    hi: int,
    extractor: Extractor,
    sub_chunk: int | None = None,
) -> ChunkReport:
    """Extract and merge the pending articles of items [lo, hi) of a job (see the module docstring);
    ``sub_chunk``: articles merged between two looks for a waiting synchronous write (``BULK_SUB_CHUNK``)."""
    report = ChunkReport()
    rows = await conn.fetch(SELECT_PENDING, job_id, lo, hi)
    if not rows:
        return report
    kind = await conn.fetchrow(SELECT_KIND, job_id)
    if kind["kind"] == "reextract":
        return await _reextract_chunk(
            conn, job_id, lo, hi, [(r["seq"], r["label"]) for r in rows], extractor, kind["sweep"]
        )
    items = [(r["seq"], r["label"], r["text"], _meta_decoder.decode(r["meta"])) for r in rows]
    started = time.perf_counter()
    extracted = await extractor.extract_many([(text, meta) for _, _, text, meta in items])
    report.extract_seconds = time.perf_counter() - started
    report.articles = len(items)
    await _merge_chunk(conn, job_id, lo, hi, items, extracted, report, sub_chunk)
    return report


async def _merge_chunk(
    conn: asyncpg.Connection,
    job_id: str,
    lo: int,
    hi: int,
    items: list[tuple[int, str, str, SourceMeta]],
    extracted: list[Document | ExtractionFailed],
    report: ChunkReport,
    sub_chunk: int | None = None,
) -> None:
    """Merge a chunk's extracted articles and record their outcomes, under the write lock, in
    sub-chunks of ``sub_chunk`` articles (None: ``BULK_SUB_CHUNK`` while synchronous writes are about,
    else the whole chunk at once; a synchronous write seen waiting after any merge turns sub-chunks on
    for ``SYNC_WINDOW`` seconds). They share one transaction unless a
    synchronous write waits for the lock (``corpus.PRIORITY_WAITING``, read after each sub-chunk):
    then the chunk commits what it merged, and takes the lock again for the rest behind that write.
    Each commit records its articles' outcomes, so a chunk cut short by a crash is taken again for
    the articles still pending only."""
    adaptive = sub_chunk is None
    pending = list(zip(items, extracted, strict=True))
    staged: dict[str, Document] | None = None
    while pending:
        async with conn.transaction():
            if staged is None:  # staged once, outside the lock; the rows outlive this transaction
                staged = await stage_added(conn, [d for d in extracted if isinstance(d, Document)])
            waited = time.perf_counter()
            await conn.execute(corpus.WRITE_LOCK)
            report.lock_wait_seconds += time.perf_counter() - waited
            still = {r["seq"] for r in await conn.fetch(LOCK_PENDING, job_id, lo, hi)}
            pending = [(item, doc) for item, doc in pending if item[0] in still]
            while pending:
                size = sub_chunk or _sub_chunk_size(len(pending))
                part, pending = pending[:size], pending[size:]
                outcomes = await _merge_items(
                    conn,
                    [(seq, text, meta, doc) for (seq, _, text, meta), doc in part],
                    report.timings,
                    staged,
                )
                await _record(conn, job_id, outcomes)
                if (pending or adaptive) and await conn.fetchval(corpus.PRIORITY_WAITING):
                    _sync_seen[0] = time.monotonic()
                    if pending:
                        report.yields += 1
                        break


def _sub_chunk_size(remaining: int) -> int:
    """``BULK_SUB_CHUNK`` while synchronous writes are about (``SYNC_WINDOW``), else all that remains."""
    if time.monotonic() - _sync_seen[0] <= SYNC_WINDOW:
        return BULK_SUB_CHUNK
    return remaining


async def _record(
    conn: asyncpg.Connection, job_id: str, outcomes: list[tuple[int, ItemStatus, str | None, str | None]]
) -> None:
    """Record these articles' outcomes and the job's progress."""
    if not outcomes:
        return
    await conn.execute(
        RECORD_ITEMS,
        job_id,
        [seq for seq, _, _, _ in outcomes],
        [status for _, status, _, _ in outcomes],
        [sid for _, _, sid, _ in outcomes],
        [storable(error) for _, _, _, error in outcomes],
    )
    counts = {s: sum(o[1] == s for o in outcomes) for s in ("created", "exists", "failed")}
    await conn.execute(
        RECORD_PROGRESS, job_id, len(outcomes), counts["created"], counts["exists"], counts["failed"]
    )


async def _merge_items(
    conn: asyncpg.Connection,
    items: list[tuple[int, str, SourceMeta, Document | ExtractionFailed]],
    timings: MergeTimings,
    staged: dict[str, Document],
) -> list[tuple[int, ItemStatus, str | None, str | None]]:
    """Merge the extracted articles that are new; every item's outcome (inside the lock).
    ``staged``: the documents whose stored extractions are staged (``merging.stage_added``)."""
    shas = [text_sha256(text) for _, text, _, _ in items]
    stored = {r["sha256"]: r["id"] for r in await conn.fetch(STORED, shas)}
    externals = sorted({m.external_id for _, _, m, _ in items if m.external_id})
    owner = {r["external_id"]: r["sha256"] for r in await conn.fetch(EXTERNAL_IDS, externals)}
    outcomes: list[tuple[int, ItemStatus, str | None, str | None]] = []
    added: dict[str, Document] = {}
    for (seq, _, meta, doc), sha in zip(items, shas, strict=True):
        if sha in stored or sha in added:
            outcomes.append((seq, "exists", source_id(sha), None))
        elif isinstance(doc, ExtractionFailed):
            outcomes.append((seq, "failed", None, doc.detail))
        elif meta.external_id and owner.get(meta.external_id, sha) != sha:
            other = source_id(owner[meta.external_id])
            outcomes.append(
                (
                    seq,
                    "failed",
                    None,
                    f"external_id {meta.external_id!r} is already used by source {other} with a different text",
                )
            )
        else:
            added[sha] = doc
            if meta.external_id:
                owner[meta.external_id] = sha
            outcomes.append((seq, "created", source_id(sha), None))
    # The staged extractions of these items leave the staging table (and ``staged``) once merged or
    # refused: a later sub-chunk's merge, which may rewrite these sources, must not copy them again,
    # and a later copy of a refused text is staged anew.
    mine = sorted({sha for sha in shas if sha in staged})
    if added and all(staged.get(sha) is doc for sha, doc in added.items()):
        await _unstage(conn, staged, [sha for sha in mine if sha not in added])
        await merge_into(conn, list(added.values()), timings=timings, staged=True)
    elif added:  # a copy other than the staged one is added (the first was refused): stage it instead
        await _unstage(conn, staged, [sha for sha in mine if sha not in added])
        await add_extractions(conn, {sha: stored_extraction(doc) for sha, doc in added.items()})
        await merge_into(conn, list(added.values()), timings=timings, staged=True)
    await _unstage(conn, staged, sorted(set(mine) | set(added)))
    return outcomes


async def _unstage(conn: asyncpg.Connection, staged: dict[str, Document], shas: list[str]) -> None:
    await drop_extractions(conn, shas)
    for sha in shas:
        staged.pop(sha, None)


async def _reextract_chunk(
    conn: asyncpg.Connection,
    job_id: str,
    lo: int,
    hi: int,
    items: list[tuple[int, str]],
    extractor: Extractor,
    sweep: bool,
) -> ChunkReport:
    """Re-extract the sources of a re-extraction chunk (labels are source ids) and merge them in
    place of their stored extractions; the job's last chunk sweeps orphans when asked to."""
    from service.db.loader import sweep_orphans
    from service.ingest.reextract import add_counts, extract_sources, replace

    report = ChunkReport(articles=len(items))
    started = time.perf_counter()
    fresh, failed = await extract_sources(conn, [label for _, label in items], extractor)
    report.extract_seconds = time.perf_counter() - started
    async with conn.transaction():
        waited = time.perf_counter()
        await conn.execute(corpus.WRITE_LOCK)
        report.lock_wait_seconds = time.perf_counter() - waited
        still = {r["seq"] for r in await conn.fetch(LOCK_PENDING, job_id, lo, hi)}
        pending = {label for seq, label in items if seq in still}
        load = await replace(conn, [d for d in fresh if source_id(d.sha256) in pending], report.timings)
        outcomes = [
            (
                seq,
                "failed" if label in failed else "created",
                None if label in failed else label,
                failed.get(label),
            )
            for seq, label in items
            if seq in still
        ]
        if not outcomes:
            return report
        await conn.execute(
            RECORD_ITEMS,
            job_id,
            [o[0] for o in outcomes],
            [o[1] for o in outcomes],
            [o[2] for o in outcomes],
            [o[3] for o in outcomes],
        )
        n_failed = sum(o[1] == "failed" for o in outcomes)
        await conn.execute(RECORD_PROGRESS, job_id, len(outcomes), len(outcomes) - n_failed, 0, n_failed)
        changes = msgspec.json.decode((await conn.fetchrow(SELECT_KIND, job_id))["changes"])
        if load is not None:
            changes = {
                "changed": add_counts(changes.get("changed", {}), load.changed),
                "deleted": add_counts(changes.get("deleted", {}), load.deleted),
            }
        status = await conn.fetchval(RECORD_CHANGES, job_id, msgspec.json.encode(changes).decode())
        if status == "done" and sweep:
            swept = await sweep_orphans(conn)
            changes["deleted"] = add_counts(changes.get("deleted", {}), swept)
            await conn.execute(RECORD_CHANGES, job_id, msgspec.json.encode(changes).decode())
    return report


async def submit_reextract(
    conn: asyncpg.Connection, source_ids: list[str], *, sweep: bool, chunk: int = 100
) -> str:
    """A re-extraction job over these stored sources."""
    from pathlib import Path

    from service.articles import Article

    items = [InputItem(i, Article(Path(i), "", SourceMeta())) for i in source_ids]
    job_id = new_job_id(f"reextract:{len(items)}")
    async with conn.transaction():
        from pgqueuer import Queries

        await conn.execute(INSERT_JOB, job_id, "reextract", len(items), None, sweep)
        await conn.copy_records_to_table(
            "ingest_job_items",
            records=[(job_id, seq, item.label) for seq, item in enumerate(items)],
            columns=["job_id", "seq", "label"],
        )
        chunks = [(lo, min(lo + chunk, len(items))) for lo in range(0, len(items), chunk)]
        if chunks:
            n = len(chunks)
            payloads: list[bytes | None] = [msgspec.msgpack.encode((job_id, lo, hi)) for lo, hi in chunks]
            await Queries.from_asyncpg_connection(conn).enqueue(
                [ENTRYPOINT] * n, payloads, [0] * n, [None] * n, [None] * n, [None] * n
            )
        else:
            await conn.execute(RECORD_PROGRESS, job_id, 0, 0, 0, 0)
    return job_id


async def job_changes(conn: asyncpg.Connection, job_id: str) -> dict[str, dict[str, int]]:
    """What a re-extraction job changed so far (counts by table)."""
    row = await conn.fetchrow(SELECT_KIND, job_id)
    return msgspec.json.decode(row["changes"]) if row else {}


def items_of(labels: Iterable[tuple[str, str, SourceMeta]]) -> list[InputItem]:
    """InputItems from (label, text, metadata) triples (articles submitted over HTTP)."""
    from pathlib import Path

    from service.articles import Article

    return [InputItem(label, Article(Path(label), text, meta)) for label, text, meta in labels]
