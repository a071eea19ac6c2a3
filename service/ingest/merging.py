"""Merging extracted documents into the database: the short critical section of every write.

``merge_into`` runs the incremental merge (``service.merge.engine``) against the merge state in
Postgres and writes what it changed: the derived tables (``db/loader.py``) and the state itself
(``db/merge_state.py``). Callers hold the dataset write lock and a transaction; extraction has
happened before, outside both.

An actor in many events whose description changed (``engine.INLINE_EVENTS``) is not re-summarised
in the write: ``merge_into`` records it in ``merge_stale_summaries`` and queues a refresh job
(``REFRESH_ENTRYPOINT``) that a worker runs later (``refresh_stale``), in short transactions of a
few actors each under the same lock. Until then those events keep their previous summary.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import asyncpg
import msgspec

from service.db.corpus import WRITE_LOCK
from service.db.loader import LoadReport, stage_extractions, write_delta
from service.db.merge_state import DbStore, write_state
from service.db.rows import stored_extraction
from service.extract.datafiles import collector_paused
from service.extract.document import Document
from service.extract.pipeline import EXTRACTOR_VERSION
from service.merge.engine import Delta, merge

REFRESH_ENTRYPOINT = "marsad_refresh_summaries"
REFRESH_PRIORITY = 10
"""Queue priority of a summary refresh: above the ingest chunks (priority 0), so a refresh runs as
soon as a worker is free instead of waiting behind every chunk already queued (pgqueuer takes the
highest priority first)."""
REFRESH_BATCH = 8
"""Actors re-summarised per transaction of a refresh job."""
TAKE_STALE = """
DELETE FROM merge_stale_summaries WHERE actor_id IN (
    SELECT actor_id FROM merge_stale_summaries ORDER BY queued_at, actor_id LIMIT $1
) RETURNING actor_id
"""


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a merge runs: it allocates many short-lived objects (freed by
    reference counting), and each collection it triggered walked the whole heap, a third of the merge's
    time on a loaded worker. The next automatic collection after it runs as usual (a worker freezes
    what it loaded at start, ``worker.run_worker``, so that collection does not walk it). Used only
    under the write lock: a pause spanning a wait for the lock would overlap another task's pause in
    the same process, and the first to finish would turn collection back on under the other."""
    with collector_paused():
        yield


class MergeTimings(msgspec.Struct):
    """Where the critical section's time went (seconds): the merge, and the writes."""

    merge: float = 0.0
    write: float = 0.0


async def merge_into(
    conn: asyncpg.Connection,
    added: list[Document],
    removed: list[Document] | None = None,
    timings: MergeTimings | None = None,
    exact_limit: int | None = None,
    staged: bool = False,
) -> tuple[Delta, LoadReport]:
    """Merge ``added`` (new or re-extracted documents; ``removed``: the extractions they replace)
    into the dataset and write the result. Run inside a transaction holding the write lock.
    ``staged``: the caller staged the stored extractions of exactly ``added`` on ``conn``
    (``stage_added``), before it took the lock."""
    started = time.perf_counter()
    with gc_paused():
        delta = await merge(DbStore(conn), added, removed or [], EXTRACTOR_VERSION, exact_limit)
        merged = time.perf_counter()
        extraction = None if staged else {d.sha256: stored_extraction(d) for d in added}
        report = await write_delta(conn, delta, extraction)
        if await write_state(conn, delta.state):
            await enqueue_refresh(conn)
    if timings is not None:
        timings.merge += merged - started
        timings.write += time.perf_counter() - merged
    return delta, report


async def stage_added(conn: asyncpg.Connection, added: list[Document]) -> dict[str, Document]:
    """Stage the stored extractions of documents a merge may add (``loader.stage_extractions``),
    the first of each text; what was staged, by sha256. Outside the write lock: it is the costly
    part of writing a new article."""
    first: dict[str, Document] = {}
    for d in added:
        first.setdefault(d.sha256, d)
    await stage_extractions(conn, {s: stored_extraction(d) for s, d in first.items()})
    return first


async def enqueue_refresh(conn: asyncpg.Connection) -> None:
    """Queue a summary refresh (in the caller's transaction: it runs once the merge is committed)."""
    from pgqueuer import Queries

    await Queries.from_asyncpg_connection(conn).enqueue(REFRESH_ENTRYPOINT, None, priority=REFRESH_PRIORITY)


async def refresh_stale(conn: asyncpg.Connection, timings: MergeTimings | None = None) -> int:
    """Re-summarise the events of every actor waiting in ``merge_stale_summaries``, a few actors
    per transaction (each under the write lock); how many actors were refreshed."""
    done = 0
    while True:
        async with conn.transaction():
            await conn.execute(WRITE_LOCK)
            actors = sorted(r[0] for r in await conn.fetch(TAKE_STALE, REFRESH_BATCH))
            if not actors:
                return done
            started = time.perf_counter()
            with gc_paused():
                delta = await merge(DbStore(conn), [], [], EXTRACTOR_VERSION, refresh=actors)
                merged = time.perf_counter()
                await write_delta(conn, delta, {})
                await write_state(conn, delta.state)
            if timings is not None:
                timings.merge += merged - started
                timings.write += time.perf_counter() - merged
        done += len(actors)
