"""The extraction pipeline: per-document stages, then the cross-article merge.

The seed loader, the ingest API and ``python -m service extract`` all call ``extract_document``
and ``build_dataset`` from here, so they always agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from service.extract import actors, claims, dates, events, normalize, segment
from service.extract.dataset import Dataset
from service.extract.document import Document, SourceMeta
from service.extract.merge import build_dataset as merge_documents

EXTRACTOR_VERSION = "0.3.0"


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[Document], None]
    reads: tuple[str, ...]
    adds: tuple[str, ...]


STAGES: tuple[Stage, ...] = (
    Stage("normalize", normalize.normalize, reads=("text",), adds=("norm", "offsets")),
    Stage(
        "segment",
        segment.segment,
        reads=("text", "norm", "offsets", "meta"),
        adds=("segments", "publication", "outlet", "author", "title"),
    ),
    Stage("dates", dates.find_dates, reads=("norm", "offsets", "segments", "publication"), adds=("dates",)),
    Stage("actors", actors.find_actors, reads=("norm", "offsets", "segments"), adds=("mentions", "entities")),
    Stage(
        "events",
        events.find_events,
        reads=("norm", "segments", "dates", "mentions", "entities"),
        adds=("events",),
    ),
    Stage(
        "claims",
        claims.find_claims,
        reads=("norm", "segments", "dates", "mentions", "entities", "events"),
        adds=("claims",),
    ),
)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extract_document(text: str, meta: SourceMeta | None = None) -> Document:
    """Run every per-document stage over one article."""
    doc = Document(text=text, meta=meta or SourceMeta(), sha256=text_sha256(text))
    for stage in STAGES:
        stage.run(doc)
    return doc


def build_dataset(docs: list[Document]) -> Dataset:
    """Merge per-document results into global actors, events, claims and conflicts."""
    return merge_documents(docs, EXTRACTOR_VERSION)


def extract(articles: list[tuple[str, SourceMeta]]) -> Dataset:
    return build_dataset([extract_document(text, meta) for text, meta in articles])
