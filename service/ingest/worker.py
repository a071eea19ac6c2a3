"""The ingest worker: takes chunks of ingest jobs off the queue (pgqueuer, in Postgres) and runs them.

Any number of workers, on any machines that reach the database, can run at once: pgqueuer hands
each queue job to one worker (``FOR UPDATE SKIP LOCKED``), and the merges they do are serialised by
the dataset write lock, held only for the short merge-and-write of one chunk. The same queue carries
summary refreshes (``merging.REFRESH_ENTRYPOINT``): the events of a much-named actor whose
description changed, re-summarised after the merge that changed it. Each worker extracts
with its own pool of processes (``--concurrency``, one per core by default) and keeps one more chunk
in flight than it has processes, so extraction goes on while a chunk merges.

A worker heartbeats the jobs it holds; when one dies (killed, machine lost), its jobs stop beating
and, after ``heartbeat`` seconds, another worker takes them again. Nothing of a chunk is written
unless all of it is (one transaction), so a retried chunk starts clean. When the database goes
away, the worker reconnects with backoff and carries on.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Callable
from datetime import timedelta

import asyncpg
import msgspec

from service.db.pool import init_connection
from service.errors import DB_UNAVAILABLE
from service.ingest.extraction import WORKER_NICE, Extractor
from service.ingest.jobs import ENTRYPOINT, ChunkReport, process_chunk
from service.ingest.merging import REFRESH_ENTRYPOINT, refresh_stale

logger = logging.getLogger("marsad.worker")

# A connection cut while a statement is in flight can leave asyncpg's protocol mid-way; the rollback
# then fails with InternalClientError. The connection is unusable either way: reconnect and retry.
RETRYABLE = (*DB_UNAVAILABLE, asyncpg.InternalClientError)
HEARTBEAT_SECONDS = 30.0


async def _relay(stop: asyncio.Event, shutdown: asyncio.Event) -> None:
    await stop.wait()
    shutdown.set()


async def _serve(
    queue_conn: asyncpg.Connection,
    pool: asyncpg.Pool,
    extractor: Extractor,
    slots: int,
    drain: bool,
    heartbeat: float,
    stop: asyncio.Event,
    on_chunk: Callable[[ChunkReport], None] | None,
) -> None:
    """Run one queue manager over ``queue_conn`` until stopped (or drained)."""
    from pgqueuer import Queries, QueueManager
    from pgqueuer.errors import RetryRequested
    from pgqueuer.types import QueueExecutionMode

    manager = QueueManager(Queries.from_asyncpg_connection(queue_conn))

    @manager.entrypoint(ENTRYPOINT)
    async def handle(job: object) -> None:
        job_id, lo, hi = msgspec.msgpack.decode(job.payload)  # type: ignore[attr-defined]
        try:
            async with pool.acquire() as conn:
                report = await process_chunk(conn, job_id, lo, hi, extractor)
        except RETRYABLE as exc:
            raise RetryRequested(delay=timedelta(seconds=1), reason=str(exc)) from exc
        logger.info(
            "chunk %s[%d:%d]: %d articles, extract %.2f s, lock wait %.2f s, merge %.2f s, write %.2f s",
            job_id,
            lo,
            hi,
            report.articles,
            report.extract_seconds,
            report.lock_wait_seconds,
            report.timings.merge,
            report.timings.write,
        )
        if on_chunk:
            on_chunk(report)

    @manager.entrypoint(REFRESH_ENTRYPOINT)
    async def refresh(job: object) -> None:
        report = ChunkReport()
        try:
            async with pool.acquire() as conn:
                actors = await refresh_stale(conn, report.timings)
        except RETRYABLE as exc:
            raise RetryRequested(delay=timedelta(seconds=1), reason=str(exc)) from exc
        if actors:
            logger.info(
                "summaries of %d actors refreshed: merge %.2f s, write %.2f s",
                actors,
                report.timings.merge,
                report.timings.write,
            )
        if on_chunk:
            on_chunk(report)

    relay = asyncio.create_task(_relay(stop, manager.shutdown))
    try:
        await manager.run(
            dequeue_timeout=timedelta(seconds=2),
            batch_size=slots,
            max_concurrent_tasks=2 * slots,
            mode=QueueExecutionMode.drain if drain else QueueExecutionMode.continuous,
            heartbeat_timeout=timedelta(seconds=heartbeat),
            log_aggregation_interval=timedelta(0),
        )
    finally:
        relay.cancel()


async def run_worker(
    dsn: str,
    *,
    processes: int | None = None,
    stop: asyncio.Event | None = None,
    drain: bool = False,
    heartbeat: float = HEARTBEAT_SECONDS,
    application_name: str = "marsad-worker",
    retries: int | None = None,
    on_chunk: Callable[[ChunkReport], None] | None = None,
    on_retry: Callable[[str], None] | None = None,
    extractor: Extractor | None = None,
    extract_nice: int = WORKER_NICE,
) -> None:
    """Process queued ingest chunks until ``stop`` is set (``drain``: until the queue is empty).

    ``retries``: reconnect attempts in a row before giving up (None: forever); ``extract_nice``:
    see ``extraction.WORKER_NICE``.
    """

    stop = stop or asyncio.Event()
    own = extractor is None
    extractor = extractor or Extractor(processes, nice=extract_nice)
    # What is loaded by now (code, knowledge bases, the caller's data) lives as long as the worker:
    # left out of the full collections that follow merges, which would otherwise walk it each time.
    gc.freeze()
    slots = max(1, extractor.processes) + 1
    settings = {"application_name": application_name}
    delay, failures = 0.5, 0

    async def back_off(exc: BaseException) -> None:
        """Wait before reconnecting (doubling up to 10 s); re-raise past ``retries`` failures in a row."""
        nonlocal delay, failures
        failures += 1
        if retries is not None and failures > retries:
            raise exc
        message = f"database unavailable ({exc.__class__.__name__}: {exc}); retry {failures} in {delay:g} s"
        logger.warning(message)
        if on_retry:
            on_retry(message)
        await asyncio.sleep(delay)
        delay = min(delay * 2, 10.0)

    try:
        while not stop.is_set():
            try:
                queue_conn = await asyncpg.connect(dsn, timeout=10, server_settings=settings)
                pool = await asyncpg.create_pool(
                    dsn,
                    min_size=1,
                    max_size=slots,
                    init=init_connection,
                    server_settings=settings,
                    timeout=10,
                )
            except (*RETRYABLE, OSError, TimeoutError) as exc:
                await back_off(exc)
                continue
            try:
                await _serve(queue_conn, pool, extractor, slots, drain, heartbeat, stop, on_chunk)
                delay, failures = 0.5, 0
                if drain:
                    return
            except RETRYABLE as exc:
                await back_off(exc)
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(pool.close(), 5)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(queue_conn.close(), 5)
    finally:
        gc.unfreeze()
        if own:
            extractor.close()
