"""Reading the stored corpus back: per-document extractions to re-merge with new articles."""

from __future__ import annotations

import asyncpg
import msgspec

from service.extract.document import Document, SourceMeta
from service.extract.normalize import normalize
from service.extract.pipeline import EXTRACTOR_VERSION, extract_document

WRITE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('marsad.dataset.write'))"

SELECT_CORPUS = """
SELECT id, text, extraction::text AS extraction, extractor_version
FROM sources
WHERE extraction IS NOT NULL
ORDER BY sha256
"""

SELECT_TEXTS = """
SELECT text, external_id, outlet, url, author, title, published_on, published_basis, language
FROM sources
ORDER BY sha256
"""

_decoder = msgspec.json.Decoder(Document)


async def load_documents(conn: asyncpg.Connection) -> list[Document]:
    """Stored per-document extractions; sources from an older extractor are extracted again."""
    docs = []
    for row in await conn.fetch(SELECT_CORPUS):
        if row["extractor_version"] == EXTRACTOR_VERSION:
            doc = _decoder.decode(row["extraction"])
            doc.text = row["text"]
            normalize(doc)
        else:
            stored = _decoder.decode(row["extraction"])
            doc = extract_document(row["text"], stored.meta)
        docs.append(doc)
    return docs


async def load_texts(conn: asyncpg.Connection) -> list[tuple[str, SourceMeta]]:
    """Every stored text with the metadata it was ingested with."""
    out = []
    for r in await conn.fetch(SELECT_TEXTS):
        published = r["published_on"] if r["published_basis"] == "metadata" else None
        out.append((r["text"], SourceMeta(external_id=r["external_id"], outlet=r["outlet"], url=r["url"],
                                          author=r["author"], title=r["title"], published=published,
                                          language=r["language"])))
    return out
