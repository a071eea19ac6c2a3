"""Cross-article merge into global actors, events and claims with stable ids (stub)."""

from __future__ import annotations

import hashlib

from service.extract.dataset import Dataset, SourceRecord
from service.extract.document import Document
from service.models.resources import Published, Source


def stable_id(prefix: str, *parts: str) -> str:
    """A short, deterministic id: the same inputs always give the same id."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()
    return f"{prefix}_{digest}"


def source_id(sha256: str) -> str:
    return f"src_{sha256[:16]}"


def source_record(doc: Document, extractor_version: str) -> SourceRecord:
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


def build_dataset(docs: list[Document], extractor_version: str) -> Dataset:
    """Merge per-document extractions into one dataset. Deterministic in the set of docs."""
    ordered = sorted(docs, key=lambda d: d.sha256)
    return Dataset(sources=[source_record(d, extractor_version) for d in ordered])
