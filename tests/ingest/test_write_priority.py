"""A synchronous write does not wait behind a whole bulk chunk: a chunk merging under the write lock
commits after the sub-chunk it is merging when a ``POST /v1/sources`` write waits, and lets it in.

Real concurrent writers on committed transactions (no per-test rollback), ordered by Postgres's
lock queue, not by timing: a test connection holds the write lock while a bulk chunk, then a
synchronous ingest, then an observer queue behind it; once it lets go, the observer (third in the
queue) sees what had committed before it: one sub-chunk of the chunk, and the synchronous write.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from service.db import corpus, migrate
from service.db.pool import init_connection
from service.extract.document import SourceMeta
from service.extract.pipeline import text_sha256
from service.ingest import ingest, jobs
from service.ingest.extraction import Extractor
from service.ingest.jobs import items_of
from tests.api.test_ingest import ARTICLE
from tests.conftest import create_database, drop_database

WAITING = (
    """SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND NOT granted)"""
)


@pytest.fixture
async def dsn() -> AsyncIterator[str]:
    name = f"marsad_test_prio_{uuid.uuid4().hex[:8]}"
    found = await create_database(name)
    await migrate.upgrade(found)
    try:
        yield found
    finally:
        await drop_database(name)


async def connect(dsn: str) -> asyncpg.Connection:
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    return conn


async def queued(watch: asyncpg.Connection, conn: asyncpg.Connection, task: asyncio.Task) -> None:
    """Wait until ``conn`` waits for an advisory lock (the task that uses it has got that far)."""
    pid = conn.get_server_pid()
    for _ in range(6000):
        if task.done():
            task.result()
            raise AssertionError("the task finished instead of waiting for the write lock")
        if await watch.fetchval(WAITING, pid):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the task never queued for the write lock")


async def chunk_with_a_write_waiting(
    dsn: str, tag: str, sub_chunk: int | None
) -> tuple[int, bool, jobs.ChunkReport, jobs.IngestJob]:
    """A chunk of 6 articles queued for the write lock, then a synchronous write, then an observer:
    (the chunk's articles done when the observer got the lock, whether the write was stored by
    then, the chunk's report, the job at the end)."""
    holder, bulk, post, observer = [await connect(dsn) for _ in range(4)]
    extractor = Extractor(processes=0)
    texts = [f"{ARTICLE}\nدفعة {tag} رقم {i}." for i in range(6)]
    single = f"{ARTICLE}\nخبر عاجل منفرد {tag}."
    try:
        items = items_of([(f"{tag}{i}", t, SourceMeta()) for i, t in enumerate(texts)])
        job_id = await jobs.submit(holder, items, chunk=6)

        async def observe() -> tuple[int, bool]:
            async with observer.transaction():
                await observer.execute(corpus.WRITE_LOCK)
                found = await jobs.job(observer, job_id, limit=0)
                assert found is not None
                stored = await observer.fetchval(
                    "SELECT count(*) FROM sources WHERE sha256 = $1", text_sha256(single)
                )
                return found.done, stored == 1

        async with holder.transaction():
            await holder.execute(corpus.WRITE_LOCK)
            chunk = asyncio.create_task(
                jobs.process_chunk(bulk, job_id, 0, 6, extractor, sub_chunk=sub_chunk)
            )
            await queued(holder, bulk, chunk)
            write = asyncio.create_task(ingest(post, [(single, SourceMeta())], extractor))
            await queued(holder, post, write)
            seen = asyncio.create_task(observe())
            await queued(holder, observer, seen)
        done_before, single_stored = await seen
        report = await chunk
        assert (await write).results[0].created
        found = await jobs.job(holder, job_id)
        assert found is not None
        assert await holder.fetchval("SELECT count(*) FROM sources WHERE extraction IS NULL") == 0
        return done_before, single_stored, report, found
    finally:
        for conn in (holder, bulk, post, observer):
            await conn.close()


async def test_a_synchronous_write_waits_for_one_sub_chunk_not_the_whole_chunk(dsn: str) -> None:
    done_before, single_stored, report, found = await chunk_with_a_write_waiting(dsn, "a", 2)
    # The chunk merged one sub-chunk, then let the waiting write in before the rest.
    assert (done_before, single_stored) == (2, True)
    assert report.yields == 1 and report.articles == 6
    assert found.status == "done" and found.created == 6


async def test_sub_chunks_start_once_a_synchronous_write_was_seen(
    dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pure bulk load merges whole chunks (sub-chunks cost CPU); a synchronous write seen waiting
    turns sub-chunks on for the chunks after it (``jobs.SYNC_WINDOW``)."""
    monkeypatch.setattr(jobs, "_sync_seen", [float("-inf")])
    monkeypatch.setattr(jobs, "BULK_SUB_CHUNK", 2)
    done_before, single_stored, report, _ = await chunk_with_a_write_waiting(dsn, "q", None)
    assert (done_before, single_stored, report.yields) == (6, True, 0)  # the first waits for the chunk
    done_before, single_stored, report, found = await chunk_with_a_write_waiting(dsn, "r", None)
    assert (done_before, single_stored, report.yields) == (2, True, 1)  # the next for one sub-chunk
    assert found.status == "done" and found.created == 6


async def test_with_nobody_waiting_a_chunk_is_one_transaction(dsn: str) -> None:
    """Sub-chunks without a waiting write share the chunk's transaction: an observer queued behind
    the chunk sees all of it or nothing."""
    holder, bulk, observer = [await connect(dsn) for _ in range(3)]
    extractor = Extractor(processes=0)
    texts = [f"{ARTICLE}\nجزء رقم {i}." for i in range(5)]
    try:
        job_id = await jobs.submit(
            holder, items_of([(f"c{i}", t, SourceMeta()) for i, t in enumerate(texts)]), chunk=5
        )

        async def observe() -> int:
            async with observer.transaction():
                await observer.execute(corpus.WRITE_LOCK)
                found = await jobs.job(observer, job_id, limit=0)
                assert found is not None
                return found.done

        async with holder.transaction():
            await holder.execute(corpus.WRITE_LOCK)
            chunk = asyncio.create_task(jobs.process_chunk(bulk, job_id, 0, 5, extractor, sub_chunk=2))
            await queued(holder, bulk, chunk)
            seen = asyncio.create_task(observe())
            await queued(holder, observer, seen)
        assert await seen == 5
        report = await chunk
        assert report.yields == 0
        assert await holder.fetchval("SELECT count(*) FROM sources WHERE extraction IS NULL") == 0
    finally:
        for conn in (holder, bulk, observer):
            await conn.close()
