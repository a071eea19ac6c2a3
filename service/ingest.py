"""Ingestion: extract new articles and re-merge them with the stored corpus, in one transaction.

The seed loader, ``python -m service ingest`` and ``POST /v1/sources`` all come through here,
and run the same pipeline as ``python -m service extract``.
"""

from __future__ import annotations

import asyncpg
import msgspec

from service.articles import Article
from service.db import corpus
from service.db.loader import LoadReport, write_dataset
from service.db.rows import dataset_rows
from service.errors import Conflict
from service.extract.document import Document, SourceMeta
from service.extract.merge import source_id
from service.extract.pipeline import EXTRACTOR_VERSION, build_dataset, extract_document, text_sha256


class IngestResult(msgspec.Struct):
    source_id: str
    external_id: str | None
    created: bool


class IngestReport(msgspec.Struct):
    results: list[IngestResult]
    load: LoadReport | None


async def ingest(conn: asyncpg.Connection, items: list[tuple[str, SourceMeta]]) -> IngestReport:
    """Store new articles and everything derived from them; already-stored texts are left as they are.

    Raises Conflict when an external_id is already used for a different text.
    """
    new_docs = [extract_document(text, meta) for text, meta in items]
    async with conn.transaction():
        await conn.execute(corpus.WRITE_LOCK)
        stored = await corpus.load_documents(conn)
        by_sha = {d.sha256: d for d in stored}
        by_external = {d.meta.external_id: d for d in stored if d.meta.external_id}
        results: list[IngestResult] = []
        added: list[Document] = []
        for doc in new_docs:
            ext = doc.meta.external_id
            if doc.sha256 in by_sha:
                results.append(IngestResult(source_id(doc.sha256), by_sha[doc.sha256].meta.external_id, False))
                continue
            if ext and ext in by_external and by_external[ext].sha256 != doc.sha256:
                raise Conflict(f"external_id {ext!r} is already used by source "
                               f"{source_id(by_external[ext].sha256)} with a different text")
            by_sha[doc.sha256] = doc
            if ext:
                by_external[ext] = doc
            added.append(doc)
            results.append(IngestResult(source_id(doc.sha256), ext, True))
        if not added:
            return IngestReport(results=results, load=None)
        docs = stored + added
        report = await write_dataset(conn, dataset_rows(build_dataset(docs), docs))
    return IngestReport(results=results, load=report)


async def ingest_articles(conn: asyncpg.Connection, articles: list[Article]) -> IngestReport:
    return await ingest(conn, [(a.text, a.meta) for a in articles])


async def rebuild(conn: asyncpg.Connection) -> LoadReport:
    """Re-extract every stored source with the current extractor and rewrite the derived rows."""
    async with conn.transaction():
        await conn.execute(corpus.WRITE_LOCK)
        docs = [extract_document(text, meta) for text, meta in await corpus.load_texts(conn)]
        return await write_dataset(conn, dataset_rows(build_dataset(docs), docs))


def current_version() -> str:
    return EXTRACTOR_VERSION


__all__ = ["IngestReport", "IngestResult", "current_version", "ingest", "ingest_articles", "rebuild", "text_sha256"]
