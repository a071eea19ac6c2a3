"""Sources as stored: a document's Source resource and verbatim text."""

from __future__ import annotations

from service.extract.document import Document
from service.merge.common import source_id
from service.merge.dataset import SourceRecord
from service.models.resources import Published, Source


def source_record(doc: Document, extractor_version: str) -> SourceRecord:
    """The stored form of a document: its Source resource and its verbatim text."""
    meta = doc.meta
    pub = doc.publication
    source = Source(
        id=source_id(doc.sha256),
        external_id=meta.external_id,
        outlet=meta.outlet or doc.outlet,
        author=meta.author or doc.author,
        url=meta.url,
        title=meta.title or doc.title,
        language=meta.language or "ar",
        published=Published(date=pub.date, precision=pub.precision, basis=pub.basis, reason=pub.reason),  # type: ignore[arg-type]
        sha256=doc.sha256,
        extractor_version=extractor_version,
        length=len(doc.text),
    )
    return SourceRecord(source=source, text=doc.text)
