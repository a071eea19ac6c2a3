"""Cross-article merge: per-document extractions become one dataset with stable ids.

Order of work (each step in its own module): global actors (``actor_merge``), publication
dates inferred across articles (``inference``), events merged across and within articles
(``event_merge`` + ``event_build``), actor resources (``actor_build``), summaries
(``summaries``), claims (here), conflicts (``conflicts``). The inputs are copied first,
so the caller's documents are left as they were, and every collection is sorted by id, so
the same documents in any order give byte-identical output.
"""

from __future__ import annotations

import msgspec

from service.extract.document import Document
from service.merge.actor_clusters import ActorIndex, cluster_actors
from service.merge.actor_resources import build_actors
from service.merge.common import attribution, source_id, stable_id
from service.merge.conflicts import claim_conflicts, event_conflicts, rank_conflicts, unit_groups
from service.merge.dataset import Dataset, SourceRecord
from service.merge.event_clusters import cluster_events
from service.merge.event_resources import build_events
from service.merge.event_units import UnitKey, units_of
from service.merge.number_conflicts import count_conflicts
from service.merge.publications import infer_publications
from service.merge.rules import merge_rules
from service.merge.summaries import summarize
from service.models.resources import Claim, Published, Source

__all__ = ["build_claims", "build_dataset", "source_id", "source_record", "stable_id"]


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


def _copy(doc: Document) -> Document:
    """A copy whose publication and dates the merge may change without touching the input."""
    return msgspec.structs.replace(
        doc,
        publication=msgspec.structs.replace(doc.publication),
        dates=[msgspec.structs.replace(d) for d in doc.dates],
    )


def build_claims(docs: list[Document], actors: ActorIndex, event_of: dict[UnitKey, str]) -> list[Claim]:
    """Claims with stable ids (source sha256 + span), actor refs and merged event ids."""
    claims = []
    for doc in docs:
        for c in doc.claims:
            said = doc.dates[c.said_on] if c.said_on is not None and 0 <= c.said_on < len(doc.dates) else None
            about = {r.id: r for key in c.about if (r := actors.ref(doc.sha256, key)) is not None}
            via = actors.ref(doc.sha256, c.via)
            claims.append(
                Claim(
                    id=stable_id("clm", doc.sha256, str(c.start), str(c.end)),
                    speaker=actors.ref(doc.sha256, c.speaker),
                    via=via,
                    channel=c.channel,
                    stance=c.stance,
                    said_on=said.start_date if said is not None and said.precision == "day" else None,
                    about=[about[k] for k in sorted(about)],
                    event_id=event_of.get((doc.sha256, c.event)) if c.event is not None else None,
                    attribution=attribution(doc, c.start, c.end, via),
                    confidence=c.confidence,
                )
            )
    return sorted(claims, key=lambda c: c.id)


def build_dataset(docs: list[Document], extractor_version: str) -> Dataset:
    """Merge per-document extractions into one dataset. Deterministic in the set of docs.

    The same text given twice is one source (documents are identified by their sha256; of
    differing metadata for one text, the smallest encoding is kept, whatever the order).
    """
    rules = merge_rules()
    unique: dict[str, Document] = {}
    for d in sorted(docs, key=lambda d: (d.sha256, msgspec.json.encode(d.meta))):
        unique.setdefault(d.sha256, d)
    ordered = [_copy(d) for d in unique.values()]
    by_sha = {d.sha256: d for d in ordered}
    actor_index = cluster_actors(ordered)
    infer_publications(ordered, actor_index, rules)
    units = units_of(ordered, actor_index, rules)
    events, event_of, event_merges = build_events(
        cluster_events(units, actor_index, rules, {d.sha256: d.publication.date for d in ordered}),
        by_sha,
        actor_index,
        rules,
    )
    actors, mentions = build_actors(actor_index, by_sha, events)
    by_id = {a.id: a for a in actors}
    for event in events:
        event.summary = summarize(event, by_id)
    claims = build_claims(ordered, actor_index, event_of)
    conflicts = rank_conflicts(actors) + event_conflicts(
        events, unit_groups(event_of, units), by_sha, claims, rules
    )
    conflicts += claim_conflicts(claims, rules) + count_conflicts(events, claims, rules)
    return Dataset(
        sources=[source_record(d, extractor_version) for d in ordered],
        actors=actors,
        events=events,
        claims=claims,
        conflicts=sorted(conflicts, key=lambda c: c.id),
        mentions=mentions,
        merges=sorted(actor_index.decisions + event_merges, key=lambda m: m.id),
    )
