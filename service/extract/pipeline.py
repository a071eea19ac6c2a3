"""The per-article extraction pipeline: declared stages over one ``Document``.

The seed loader, the ingest path and ``python -m service extract`` all call ``extract_document``
from here, so they always agree. The cross-article merge is ``service.merge``.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from service.extract import datafiles
from service.extract.actors import find as actors
from service.extract.claims import find as claims
from service.extract.claims import reporting
from service.extract.document import Document, SourceMeta
from service.extract.events import find as events
from service.extract.text import clauses, dates, normalize, segment

EXTRACTOR_VERSION = "0.12.2"


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
    Stage(
        "dates",
        dates.find_dates,
        reads=("text", "norm", "offsets", "segments", "publication", "meta"),
        adds=("dates",),
    ),
    Stage(
        "actors",
        actors.find_actors,
        reads=("text", "norm", "offsets", "segments", "publication", "outlet", "meta"),
        adds=("mentions", "entities"),
    ),
    Stage(
        "clauses",
        clauses.analyse,
        reads=("text", "norm", "offsets", "segments", "dates", "mentions", "entities"),
        adds=("sentences", "mention_spans", "title_spans", "date_starts"),
    ),
    Stage(
        "reporting",
        reporting.find_frames,
        reads=(
            "norm",
            "offsets",
            "segments",
            "dates",
            "entities",
            "sentences",
            "mention_spans",
            "title_spans",
            "date_starts",
        ),
        adds=("cues", "frames"),
    ),
    Stage(
        "events",
        events.find_events,
        reads=(
            "text",
            "norm",
            "offsets",
            "dates",
            "entities",
            "publication",
            "sentences",
            "mention_spans",
            "date_starts",
            "cues",
            "frames",
        ),
        adds=("events",),
    ),
    Stage(
        "claims",
        claims.find_claims,
        reads=("text", "offsets", "mention_spans", "frames", "events"),
        adds=("claims",),
    ),
)
"""The per-article stages in order. Each reads only fields that the document starts with
(``INITIAL_FIELDS``) or that an earlier stage adds; ``check_stages`` verifies the declarations
and ``tests/extract/test_stages.py`` verifies that the stages keep to them."""

INITIAL_FIELDS = ("text", "meta", "sha256")


def check_stages(stages: tuple[Stage, ...] = STAGES) -> list[str]:
    """Problems with the stage declarations (empty when sound): a read that no earlier stage
    adds, a field added twice, or a name that is no ``Document`` field."""
    fields = set(Document.__struct_fields__)
    available = set(INITIAL_FIELDS)
    problems: list[str] = []
    for stage in stages:
        for name in (*stage.reads, *stage.adds):
            if name not in fields:
                problems.append(f"{stage.name}: {name!r} is not a Document field")
        for name in stage.reads:
            if name not in available:
                problems.append(f"{stage.name} reads {name!r} before any stage adds it")
        for name in stage.adds:
            if name in available:
                problems.append(f"{stage.name} adds {name!r}, which is already there")
        available |= set(stage.adds)
    return problems


def run_stages(doc: Document, first: str, last: str) -> Document:
    """Run the stages from ``first`` to ``last`` (inclusive) over a document whose earlier fields
    are already filled (tests build such documents by hand)."""
    names = [stage.name for stage in STAGES]
    for stage in STAGES[names.index(first) : names.index(last) + 1]:
        stage.run(doc)
    return doc


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_settled = False
"""Whether the first document has been extracted (``extract_document``)."""


def extract_document(text: str, meta: SourceMeta | None = None) -> Document:
    """Run every per-document stage over one article.

    The first call loads the lexicons and the tagger's model with the garbage collector paused,
    then freezes everything loaded so far (``gc.freeze``): those objects live as long as the
    process, and a full collection that walked them again at every turn cost a twentieth of the
    extraction time (docs/benchmarks.md). Output is the same either way."""
    global _settled
    doc = Document(text=text, meta=meta or SourceMeta(), sha256=text_sha256(text))
    if _settled:
        for stage in STAGES:
            stage.run(doc)
        return doc
    with datafiles.collector_paused():
        for stage in STAGES:
            stage.run(doc)
    gc.freeze()
    _settled = True
    return doc
