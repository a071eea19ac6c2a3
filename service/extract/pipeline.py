"""The per-article extraction pipeline: declared stages over one ``Document``.

The seed loader, the ingest path and ``python -m service extract`` all call ``extract_document``
from here, so they always agree. The cross-article merge is ``service.merge``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from service.extract.actors import find as actors
from service.extract.claims import find as claims
from service.extract.document import Document, SourceMeta
from service.extract.events import find as events
from service.extract.text import dates, normalize, segment

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
