"""Merging extracted documents into the database: the short critical section of every write.

``merge_into`` runs the incremental merge (``service.merge.engine``) against the merge state in
Postgres and writes what it changed: the derived tables (``db/loader.py``) and the state itself
(``db/merge_state.py``). Callers hold the dataset write lock and a transaction; extraction has
happened before, outside both.
"""

from __future__ import annotations

import time

import asyncpg
import msgspec

from service.db.loader import LoadReport, write_delta
from service.db.merge_state import DbStore, write_state
from service.db.rows import stored_extraction
from service.extract.document import Document
from service.extract.pipeline import EXTRACTOR_VERSION
from service.merge.engine import Delta, merge


class MergeTimings(msgspec.Struct):
    """Where the critical section's time went (seconds): the merge, and the writes."""

    merge: float = 0.0
    write: float = 0.0


async def merge_into(
    conn: asyncpg.Connection,
    added: list[Document],
    removed: list[Document] | None = None,
    timings: MergeTimings | None = None,
) -> tuple[Delta, LoadReport]:
    """Merge ``added`` (new or re-extracted documents; ``removed``: the extractions they replace)
    into the dataset and write the result. Run inside a transaction holding the write lock."""
    started = time.perf_counter()
    delta = await merge(DbStore(conn), added, removed or [], EXTRACTOR_VERSION)
    merged = time.perf_counter()
    report = await write_delta(conn, delta, {d.sha256: stored_extraction(d) for d in added})
    await write_state(conn, delta.state)
    if timings is not None:
        timings.merge += merged - started
        timings.write += time.perf_counter() - merged
    return delta, report
