"""Extraction in worker processes: the CPU-bound, pure part of ingest, kept off the event loop.

An ``Extractor`` runs ``extract_document`` in a pool of processes (one per core by default), so
articles are extracted in parallel and never under a lock nor on an API process's event loop;
results come back as msgpack (without the norm map, which the merge never reads). With
``processes=0`` it extracts in a thread of the calling process (tests, one-off tools).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

import msgspec

from service.errors import UnprocessableContent
from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document, text_sha256

logger = logging.getLogger("marsad.ingest")

_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(Document)


class ExtractionFailed(UnprocessableContent):
    type = "extraction-failed"
    title = "Extraction failed"


def _extract_bytes(text: str, meta: SourceMeta) -> bytes:
    """Extract one article in a worker process; the document as msgpack, or an error line."""
    try:
        doc = extract_document(text, meta)
    except Exception as exc:  # an extractor bug must not take the worker down; it is logged and reported
        logger.exception("extraction failed for %s", meta.external_id or text_sha256(text)[:12])
        return b"!" + f"{exc.__class__.__name__}".encode()
    return _encoder.encode(msgspec.structs.replace(doc, norm="", offsets=[]))


WORKER_NICE = 0
"""How much lower than the worker's own the priority of its extraction processes is (``worker
--extract-nice``). Extraction is parallel and has slack; the merge + write it feeds is serialised and
sets the rate, and with one extraction process per core the merging process and its Postgres backend
wait for a core at every statement. A positive value lets them go first, on a machine of the
worker's own; on a shared one it hands the cores to everything else as well (measured: on 2 cores at
load 7-13, a tenth of the CPU for extraction cut the rate of the first 1,000 articles from 27 to 11
articles/s; docs/benchmarks.md), hence 0 by default."""


def _start_process(nice: int) -> None:
    """Pool initializer: lower this process's priority by ``nice``; leave when the process that
    started the pool is gone (a killed worker must not leave its extraction processes behind)."""
    import threading
    import time

    if nice:
        os.nice(nice)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="marsad-parent-watch").start()


def default_processes() -> int:
    """One extraction process per core."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Extractor:
    """A pool of extraction processes (created on first use, closed by ``close``)."""

    def __init__(self, processes: int | None = None, nice: int = 0) -> None:
        self.processes = default_processes() if processes is None else processes
        self.nice = nice
        """Priority of the extraction processes below the caller's (``WORKER_NICE`` for a worker)."""
        self._pool: Executor | None = None

    def _executor(self) -> Executor:
        if self._pool is None:
            if self.processes <= 0:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="marsad-extract")
            else:
                # spawn: workers must not inherit the parent's event loop, connections or locks.
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(
                    max_workers=self.processes,
                    mp_context=context,
                    initializer=_start_process,
                    initargs=(self.nice,),
                )
        return self._pool

    async def extract(self, text: str, meta: SourceMeta) -> Document:
        """One article's extraction; ExtractionFailed when the extractor fails on it."""
        found = await asyncio.get_running_loop().run_in_executor(self._executor(), _extract_bytes, text, meta)
        if found.startswith(b"!"):
            raise ExtractionFailed(
                f"The extractor could not process this text ({found[1:].decode()}); it has been logged."
            )
        return _decoder.decode(found)

    async def extract_many(self, items: list[tuple[str, SourceMeta]]) -> list[Document | ExtractionFailed]:
        """Extractions of many articles, in parallel across the pool (failures in place)."""

        async def one(text: str, meta: SourceMeta) -> Document | ExtractionFailed:
            try:
                return await self.extract(text, meta)
            except ExtractionFailed as failed:
                return failed

        return list(await asyncio.gather(*(one(text, meta) for text, meta in items)))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
