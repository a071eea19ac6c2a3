"""A full build: every document merged at once, into nothing.

A full build is the incremental merge (``merge/engine.py``) of all the documents into the empty
state, so a full build and any sequence of ingests of the same documents agree by construction.
The inputs are copied first, so the caller's documents are left as they were, and every
collection is sorted by id, so the same documents in any order give byte-identical output.
"""

from __future__ import annotations

from service.extract.document import Document
from service.merge.actor_resources import build_actors
from service.merge.claims import build_claims
from service.merge.common import source_id, stable_id
from service.merge.dataset import Dataset
from service.merge.engine import merge, run_sync
from service.merge.sources import source_record
from service.merge.state import EmptyStore

__all__ = ["build_claims", "build_dataset", "source_id", "source_record", "stable_id"]


def build_dataset(docs: list[Document], extractor_version: str) -> Dataset:
    """Merge per-document extractions into one dataset. Deterministic in the set of docs.

    The same text given twice is one source (documents are identified by their sha256; of
    differing metadata for one text, the smallest encoding is kept, whatever the order).
    """
    delta = run_sync(merge(EmptyStore(), docs, [], extractor_version))
    merged = [delta.documents[s] for s in sorted(delta.documents)]
    return Dataset(
        sources=delta.sources,
        actors=build_actors(delta.infos, delta.country_ids, merged, delta.events),
        actor_records=delta.actors,
        roles=sorted(delta.roles, key=lambda r: (r.source_id, r.start, r.end, r.actor_id)),
        events=delta.events,
        claims=delta.claims,
        conflicts=delta.conflicts,
        mentions=sorted(delta.mentions, key=lambda r: (r.source_id, r.start, r.end, r.actor_id)),
        merges=delta.decisions,
    )
