"""Turn a merged Dataset into table rows (tuples in column order) for the loader."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

import msgspec

from service.db.filters import UNDATED_VALUE
from service.extract.document import Document
from service.extract.text import normalize
from service.merge.build import stable_id
from service.merge.dataset import Dataset

_encoder = msgspec.json.Encoder(order="deterministic")

# Every ingest writes rows for the whole corpus, whose quotes and names are mostly the ones the
# previous ingest folded already.
fold = lru_cache(maxsize=1 << 16)(normalize.fold)
match_key = lru_cache(maxsize=1 << 14)(normalize.match_key)

SOURCE_COLUMNS = (
    "id",
    "external_id",
    "outlet",
    "author",
    "url",
    "title",
    "language",
    "published_on",
    "published_precision",
    "published_basis",
    "published_reason",
    "sha256",
    "text",
    "extraction",
    "extractor_version",
    "content_hash",
)
ACTOR_COLUMNS = (
    "id",
    "kind",
    "name_ar",
    "name_en",
    "country_id",
    "lat",
    "lon",
    "wikidata",
    "confidence",
    "content_hash",
)
ALIAS_COLUMNS = ("actor_id", "text", "match_key", "language", "origin")
MENTION_COLUMNS = ("actor_id", "source_id", "span_start", "span_end", "quote", "method")
ROLE_COLUMNS = ("id", "actor_id", "role", "rank", "source_id", "span_start", "span_end", "quote")
EVENT_COLUMNS = (
    "id",
    "plover_type",
    "plover_mode",
    "cameo",
    "status",
    "date_start",
    "date_end",
    "date_precision",
    "date_basis",
    "date_reason",
    "location_actor_id",
    "summary_en",
    "summary_ar",
    "confidence",
    "source_count",
    "has_conflict",
    "search_ar",
    "content_hash",
)
EVENT_ACTOR_COLUMNS = ("event_id", "actor_id", "role", "date_sort")  # date_sort: the event's list order key
ATTRIBUTION_COLUMNS = ("id", "event_id", "source_id", "span_start", "span_end", "quote", "via_actor_id")
CLAIM_COLUMNS = (
    "id",
    "source_id",
    "span_start",
    "span_end",
    "quote",
    "speaker_actor_id",
    "via_actor_id",
    "channel",
    "stance",
    "said_on",
    "event_id",
    "confidence",
    "search_ar",
    "content_hash",
)
CLAIM_ABOUT_COLUMNS = ("claim_id", "actor_id")
CONTRADICTION_COLUMNS = ("claim_id", "other_claim_id")
CONFLICT_COLUMNS = ("id", "kind", "subject_actor_id", "subject_event_id", "field", "content_hash")
CONFLICT_VALUE_COLUMNS = (
    "conflict_id",
    "value",
    "source_id",
    "span_start",
    "span_end",
    "quote",
    "via_actor_id",
)
MERGE_COLUMNS = ("id", "kind", "target_id", "member", "rule", "evidence")


def content_hash(resource: msgspec.Struct) -> str:
    """Hash of a resource's full content (children included), so updated_at moves only on change."""
    data = msgspec.to_builtins(resource)
    if isinstance(data, dict):
        data.pop("updated_at", None)
    return hashlib.blake2b(_encoder.encode(data), digest_size=16).hexdigest()


def stored_extraction(doc: Document) -> str:
    """The per-document extraction as stored in sources.extraction (without the derived norm map)."""
    return _encoder.encode(msgspec.structs.replace(doc, norm="", offsets=[], text="")).decode()


def _dedupe(rows: list[tuple[Any, ...]], key_len: int) -> list[tuple[Any, ...]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for row in rows:
        key = row[:key_len]
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


class TableRows(msgspec.Struct):
    sources: list[tuple[Any, ...]]
    actors: list[tuple[Any, ...]]
    aliases: list[tuple[Any, ...]]
    mentions: list[tuple[Any, ...]]
    roles: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]
    event_actors: list[tuple[Any, ...]]
    attributions: list[tuple[Any, ...]]
    claims: list[tuple[Any, ...]]
    claim_about: list[tuple[Any, ...]]
    contradictions: list[tuple[Any, ...]]
    conflicts: list[tuple[Any, ...]]
    conflict_values: list[tuple[Any, ...]]
    merges: list[tuple[Any, ...]]


def dataset_rows(dataset: Dataset, docs: list[Document]) -> TableRows:
    """All rows the dataset occupies, in the column orders above."""
    extraction = {d.sha256: stored_extraction(d) for d in docs}
    sources = []
    for record in dataset.sources:
        s = record.source
        sources.append(
            (
                s.id,
                s.external_id,
                s.outlet,
                s.author,
                s.url,
                s.title,
                s.language,
                s.published.date,
                s.published.precision,
                s.published.basis,
                s.published.reason,
                s.sha256,
                record.text,
                extraction.get(s.sha256),
                s.extractor_version,
                content_hash(s),
            )
        )

    actors, aliases, roles = [], [], []
    # Countries first: other actors reference them.
    for a in sorted(dataset.actors, key=lambda a: (a.kind != "country", a.id)):
        actors.append(
            (
                a.id,
                a.kind,
                a.name.ar,
                a.name.en,
                a.country.id if a.country else None,
                a.lat,
                a.lon,
                a.wikidata,
                a.confidence,
                content_hash(a),
            )
        )
        for alias in a.aliases:
            language = "en" if alias.text.isascii() else "ar"
            aliases.append((a.id, alias.text, match_key(alias.text), language, alias.origin))
        for role in a.roles:
            at = role.attribution
            roles.append(
                (
                    stable_id("rol", a.id, at.source_id, str(at.span[0]), role.text or "", role.rank or ""),
                    a.id,
                    role.text,
                    role.rank,
                    at.source_id,
                    at.span[0],
                    at.span[1],
                    at.quote,
                )
            )
    mentions = [(m.actor_id, m.source_id, m.start, m.end, m.quote, m.method) for m in dataset.mentions]

    events, event_actors, attributions = [], [], []
    for e in dataset.events:
        search = " ".join([e.summary.ar, *(fold(at.quote) for at in e.attributions)])
        events.append(
            (
                e.id,
                e.type,
                e.mode,
                e.cameo,
                e.status,
                e.date.start,
                e.date.end,
                e.date.precision,
                e.date.basis,
                e.date.reason,
                e.location.id if e.location else None,
                e.summary.en,
                e.summary.ar,
                e.confidence,
                e.source_count,
                bool(e.conflicts),
                search,
                content_hash(e),
            )
        )
        date_sort = e.date.start or UNDATED_VALUE
        event_actors.extend((e.id, ea.actor.id, ea.role, date_sort) for ea in e.actors)
        for at in e.attributions:
            attributions.append(
                (
                    stable_id("att", e.id, at.source_id, str(at.span[0]), str(at.span[1])),
                    e.id,
                    at.source_id,
                    at.span[0],
                    at.span[1],
                    at.quote,
                    at.via.id if at.via else None,
                )
            )

    claims, about, contradictions = [], [], []
    for c in dataset.claims:
        at = c.attribution
        claims.append(
            (
                c.id,
                at.source_id,
                at.span[0],
                at.span[1],
                at.quote,
                c.speaker.id if c.speaker else None,
                c.via.id if c.via else None,
                c.channel,
                c.stance,
                c.said_on,
                c.event_id,
                c.confidence,
                fold(at.quote),
                content_hash(c),
            )
        )
        about.extend((c.id, ref.id) for ref in c.about)
        contradictions.extend((c.id, other) for other in c.contradicts if other != c.id)

    conflicts, values = [], []
    for k in dataset.conflicts:
        subject_actor = k.subject.id if k.subject.kind == "actor" else None
        subject_event = k.subject.id if k.subject.kind == "event" else None
        conflicts.append((k.id, k.kind, subject_actor, subject_event, k.field, content_hash(k)))
        for v in k.values:
            values.extend(
                (k.id, v.value, at.source_id, at.span[0], at.span[1], at.quote, at.via.id if at.via else None)
                for at in v.attributions
            )

    merges = [
        (m.id, m.kind, m.target_id, m.member, m.rule, _encoder.encode(m.evidence).decode())
        for m in dataset.merges
    ]
    return TableRows(
        sources=sources,
        actors=actors,
        aliases=_dedupe(aliases, 2),
        mentions=_dedupe(mentions, 4),
        roles=_dedupe(roles, 1),
        events=events,
        event_actors=_dedupe(event_actors, 3),
        attributions=_dedupe(attributions, 1),
        claims=claims,
        claim_about=_dedupe(about, 2),
        contradictions=_dedupe(contradictions, 2),
        conflicts=conflicts,
        conflict_values=_dedupe(values, 4),
        merges=_dedupe(merges, 1),
    )
