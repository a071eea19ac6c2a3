"""Reading the stored corpus back: per-document extractions to re-merge with new articles.

Decoding every stored extraction on every ingest costs more than the merge of a new article,
so decoded documents are kept in a per-process cache. An entry is keyed by what identifies
the stored row version — database, source id, sha256, extractor version, ``updated_at`` and
the row's ``xmin`` (the transaction that wrote it) — which any rewrite of the extraction, by
this or another process, changes; a stale document can therefore never be served.
"""

from __future__ import annotations

import asyncpg
import msgspec

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import EXTRACTOR_VERSION, extract_document

WRITE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('marsad.dataset.write'))"

SELECT_VERSIONS = """
SELECT id, current_database() || ':' || id || ':' || sha256 || ':' || extractor_version || ':'
       || updated_at::text || ':' || xmin::text AS version
FROM sources
WHERE extraction IS NOT NULL
ORDER BY sha256
"""

SELECT_EXTRACTIONS = """
SELECT id, text, extraction::text AS extraction, extractor_version
FROM sources
WHERE id = ANY($1::text[])
"""

SELECT_TEXTS = """
SELECT text, external_id, outlet, url, author, title, published_on, published_basis, language
FROM sources
ORDER BY sha256
"""

_decoder = msgspec.json.Decoder(Document)

CACHE_LIMIT = 20_000
_cache: dict[str, Document] = {}
"""Row version (see SELECT_VERSIONS) -> decoded document. Documents are never mutated by the
merge (``build_dataset`` copies what it changes), so they can be shared between ingests."""


def _decode(row: asyncpg.Record) -> tuple[Document, bool]:
    """The stored document, and whether it is current (older extractions are extracted again)."""
    stored = _decoder.decode(row["extraction"])
    if row["extractor_version"] != EXTRACTOR_VERSION:
        return extract_document(row["text"], stored.meta), False
    stored.text = row["text"]  # the norm map is left empty: the merge never reads it (tested)
    return stored, True


async def load_documents(conn: asyncpg.Connection) -> list[Document]:
    """Stored per-document extractions; sources from an older extractor are extracted again."""
    versions = [(r["id"], r["version"]) for r in await conn.fetch(SELECT_VERSIONS)]
    found = {source: _cache.get(version) for source, version in versions}  # taken before any await
    missing = [source for source, doc in found.items() if doc is None]
    if missing:
        known = dict(versions)
        if len(_cache) + len(missing) > CACHE_LIMIT:
            _cache.clear()
        for row in await conn.fetch(SELECT_EXTRACTIONS, missing):
            doc, current = _decode(row)
            found[row["id"]] = doc
            if current:
                _cache[known[row["id"]]] = doc
    return [doc for doc in found.values() if doc is not None]


def clear_cache() -> None:
    """Forget every decoded document (tests, and callers that want the memory back)."""
    _cache.clear()


async def load_texts(conn: asyncpg.Connection) -> list[tuple[str, SourceMeta]]:
    """Every stored text with the metadata it was ingested with."""
    out = []
    for r in await conn.fetch(SELECT_TEXTS):
        published = r["published_on"] if r["published_basis"] == "metadata" else None
        out.append(
            (
                r["text"],
                SourceMeta(
                    external_id=r["external_id"],
                    outlet=r["outlet"],
                    url=r["url"],
                    author=r["author"],
                    title=r["title"],
                    published=published,
                    language=r["language"],
                ),
            )
        )
    return out
