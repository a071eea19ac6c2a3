"""The derived tables, each defined once, and merged resources turned into their rows.

Each ``Table`` lists its columns with their types in the order rows are built here. The loader's
staging tables, upserts and COPY column lists are generated from these definitions (the migrations
create the tables themselves; ``tests/db/test_migrations.py`` checks the two agree).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import msgspec

from service.db.filters import UNDATED_VALUE
from service.extract.document import Document
from service.merge.common import stable_id
from service.merge.dataset import ActorRecord, Dataset, MentionRow, MergeDecision, RoleRow, SourceRecord
from service.models.resources import Claim, Conflict, Event
from service.text import fold as _fold
from service.text import match_key as _match_key

_encoder = msgspec.json.Encoder(order="deterministic")

# Quotes and names recur across ingests; fold each once per process.
fold = lru_cache(maxsize=1 << 16)(_fold)
match_key = lru_cache(maxsize=1 << 14)(_match_key)


@dataclass(frozen=True)
class Table:
    """A derived table: its columns (name, SQL type) in row order, and how its upsert works.

    ``computed`` maps a table column to the SQL expression that fills it from the staged row
    (a column that is staged but not stored, such as ``search_ar``, is listed in ``columns`` and
    read by the expression). Parents (with ``content_hash``) are upserted and only touched when
    their hash changes (``also_changed``: other columns that count as a change).
    """

    name: str
    columns: tuple[tuple[str, str], ...]
    computed: dict[str, str] = field(default_factory=dict)
    staged_only: tuple[str, ...] = ()
    also_changed: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    @property
    def stage_ddl(self) -> str:
        """The column list of the table's staging table."""
        return ", ".join(f"{name} {sql_type}" for name, sql_type in self.columns)

    @property
    def upsert(self) -> str:
        """INSERT the staged rows; update those whose content hash (or ``also_changed``) differs."""
        stored = [n for n in self.names if n not in self.staged_only]
        targets = stored + list(self.computed)
        values = stored + list(self.computed.values())
        updates = [f"{n} = EXCLUDED.{n}" for n in targets if n != "id"] + ["updated_at = now()"]
        # ``json`` has no equality operator: such a column counts as changed when its text does.
        types = dict(self.columns)
        text = {n: "::text" if types.get(n) == "json" else "" for n in ("content_hash", *self.also_changed)}
        changed = " OR ".join(f"{self.name}.{n}{t} IS DISTINCT FROM EXCLUDED.{n}{t}" for n, t in text.items())
        return (
            f"INSERT INTO {self.name} ({', '.join(targets)})\n"
            f"SELECT {', '.join(values)} FROM _stage_{self.name}\n"
            f"ON CONFLICT (id) DO UPDATE SET {', '.join(updates)}\n"
            f"WHERE {changed}\nRETURNING id"
        )


SOURCES = Table(
    "sources",
    (
        ("id", "text"),
        ("external_id", "text"),
        ("outlet", "text"),
        ("author", "text"),
        ("url", "text"),
        ("title", "text"),
        ("language", "text"),
        ("published_on", "date"),
        ("published_precision", "text"),
        ("published_basis", "text"),
        ("published_reason", "text"),
        ("sha256", "text"),
        ("text", "text"),
        ("extraction", "json"),  # the loader's JSON text as sent (migration 0015)
        ("extractor_version", "text"),
        ("content_hash", "text"),
    ),
    also_changed=("extraction",),
)
ACTORS = Table(
    "actors",
    (
        ("id", "text"),
        ("kind", "text"),
        ("name_ar", "text"),
        ("name_en", "text"),
        ("country_id", "text"),
        ("lat", "float8"),
        ("lon", "float8"),
        ("wikidata", "text"),
        ("confidence", "real"),
        ("content_hash", "text"),
    ),
)
EVENTS = Table(
    "events",
    (
        ("id", "text"),
        ("plover_type", "text"),
        ("plover_mode", "text"),
        ("cameo", "text"),
        ("status", "text"),
        ("date_start", "date"),
        ("date_end", "date"),
        ("date_precision", "text"),
        ("date_basis", "text"),
        ("date_reason", "text"),
        ("location_actor_id", "text"),
        ("summary_en", "text"),
        ("summary_ar", "text"),
        ("confidence", "real"),
        ("source_count", "int"),
        ("has_conflict", "bool"),
        ("search_ar", "text"),
        ("content_hash", "text"),
    ),
    computed={
        "search": "setweight(to_tsvector('english', coalesce(summary_en, '')), 'A') "
        "|| to_tsvector('arabic', coalesce(search_ar, ''))"
    },
    staged_only=("search_ar",),
)
CLAIMS = Table(
    "claims",
    (
        ("id", "text"),
        ("source_id", "text"),
        ("span_start", "int"),
        ("span_end", "int"),
        ("quote", "text"),
        ("speaker_actor_id", "text"),
        ("via_actor_id", "text"),
        ("channel", "text"),
        ("stance", "text"),
        ("said_on", "date"),
        ("event_id", "text"),
        ("confidence", "real"),
        ("search_ar", "text"),
        ("content_hash", "text"),
    ),
    computed={"search": "to_tsvector('arabic', coalesce(search_ar, ''))"},
    staged_only=("search_ar",),
)
CONFLICTS = Table(
    "conflicts",
    (
        ("id", "text"),
        ("kind", "text"),
        ("subject_actor_id", "text"),
        ("subject_event_id", "text"),
        ("field", "text"),
        ("content_hash", "text"),
    ),
)
ALIASES = Table(
    "actor_aliases",
    (("actor_id", "text"), ("text", "text"), ("match_key", "text"), ("language", "text"), ("origin", "text")),
)
MENTIONS = Table(
    "actor_mentions",
    (
        ("actor_id", "text"),
        ("source_id", "text"),
        ("span_start", "int"),
        ("span_end", "int"),
        ("quote", "text"),
        ("method", "text"),
    ),
)
ROLES = Table(
    "actor_roles",
    (
        ("id", "text"),
        ("actor_id", "text"),
        ("role", "text"),
        ("rank", "text"),
        ("source_id", "text"),
        ("span_start", "int"),
        ("span_end", "int"),
        ("quote", "text"),
    ),
)
EVENT_ACTORS = Table(
    "event_actors",
    (("event_id", "text"), ("actor_id", "text"), ("role", "text"), ("date_sort", "date")),
)
ATTRIBUTIONS = Table(
    "event_attributions",
    (
        ("id", "text"),
        ("event_id", "text"),
        ("source_id", "text"),
        ("span_start", "int"),
        ("span_end", "int"),
        ("quote", "text"),
        ("via_actor_id", "text"),
    ),
)
CLAIM_ABOUT = Table("claim_about", (("claim_id", "text"), ("actor_id", "text")))
CONTRADICTIONS = Table("claim_contradictions", (("claim_id", "text"), ("other_claim_id", "text")))
CONFLICT_VALUES = Table(
    "conflict_values",
    (
        ("conflict_id", "text"),
        ("value", "text"),
        ("source_id", "text"),
        ("span_start", "int"),
        ("span_end", "int"),
        ("quote", "text"),
        ("via_actor_id", "text"),
    ),
)
MERGES = Table(
    "merge_decisions",
    (
        ("id", "text"),
        ("kind", "text"),
        ("target_id", "text"),
        ("member", "text"),
        ("rule", "text"),
        ("evidence", "jsonb"),
    ),
)

PARENTS = (SOURCES, ACTORS, EVENTS, CLAIMS, CONFLICTS)
"""Resources with their own content hash, in the order they are written (referenced ones first)."""
TABLES = (
    SOURCES,
    ACTORS,
    ALIASES,
    MENTIONS,
    ROLES,
    EVENTS,
    EVENT_ACTORS,
    ATTRIBUTIONS,
    CLAIMS,
    CLAIM_ABOUT,
    CONTRADICTIONS,
    CONFLICTS,
    CONFLICT_VALUES,
    MERGES,
)
"""Every table the merge derives from the articles (the merge state's own tables aside)."""

SOURCE_COLUMNS = SOURCES.names
ACTOR_COLUMNS = ACTORS.names
ALIAS_COLUMNS = ALIASES.names
MENTION_COLUMNS = MENTIONS.names
ROLE_COLUMNS = ROLES.names
EVENT_COLUMNS = EVENTS.names
EVENT_ACTOR_COLUMNS = EVENT_ACTORS.names  # date_sort: the event's list order key
ATTRIBUTION_COLUMNS = ATTRIBUTIONS.names
CLAIM_COLUMNS = CLAIMS.names
CLAIM_ABOUT_COLUMNS = CLAIM_ABOUT.names
CONTRADICTION_COLUMNS = CONTRADICTIONS.names
CONFLICT_COLUMNS = CONFLICTS.names
CONFLICT_VALUE_COLUMNS = CONFLICT_VALUES.names
MERGE_COLUMNS = MERGES.names


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
    sources: list[tuple[Any, ...]] = []
    actors: list[tuple[Any, ...]] = []
    aliases: list[tuple[Any, ...]] = []
    mentions: list[tuple[Any, ...]] = []
    roles: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    event_actors: list[tuple[Any, ...]] = []
    attributions: list[tuple[Any, ...]] = []
    claims: list[tuple[Any, ...]] = []
    claim_about: list[tuple[Any, ...]] = []
    contradictions: list[tuple[Any, ...]] = []
    conflicts: list[tuple[Any, ...]] = []
    conflict_values: list[tuple[Any, ...]] = []
    merges: list[tuple[Any, ...]] = []


def source_rows(records: list[SourceRecord], extraction: dict[str, str]) -> list[tuple[Any, ...]]:
    out = []
    for record in records:
        s = record.source
        out.append(
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
    return out


def actor_rows(records: list[ActorRecord]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Rows of actors (countries first: others reference them) and of their aliases."""
    actors, aliases = [], []
    for a in sorted(records, key=lambda a: (a.kind != "country", a.id)):
        actors.append(
            (
                a.id,
                a.kind,
                a.name_ar,
                a.name_en,
                a.country_id,
                a.lat,
                a.lon,
                a.wikidata,
                a.confidence,
                content_hash(a),
            )
        )
        for text in a.aliases:
            aliases.append((a.id, text, match_key(text), "en" if text.isascii() else "ar", "article"))
    return actors, _dedupe(aliases, 2)


def mention_rows(mentions: list[MentionRow]) -> list[tuple[Any, ...]]:
    return _dedupe([(m.actor_id, m.source_id, m.start, m.end, m.quote, m.method) for m in mentions], 4)


def role_rows(roles: list[RoleRow]) -> list[tuple[Any, ...]]:
    return _dedupe(
        [
            (
                stable_id("rol", r.actor_id, r.source_id, str(r.start), r.role or "", r.rank or ""),
                r.actor_id,
                r.role,
                r.rank,
                r.source_id,
                r.start,
                r.end,
                r.quote,
            )
            for r in roles
        ],
        1,
    )


def event_rows(
    events: list[Event],
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    rows: list[tuple[Any, ...]] = []
    event_actors: list[tuple[Any, ...]] = []
    attributions: list[tuple[Any, ...]] = []
    for e in events:
        search = " ".join([e.summary.ar, *(fold(at.quote) for at in e.attributions)])
        rows.append(
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
    return rows, _dedupe(event_actors, 3), _dedupe(attributions, 1)


def claim_rows(
    claims: list[Claim],
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    rows: list[tuple[Any, ...]] = []
    about: list[tuple[Any, ...]] = []
    contradictions: list[tuple[Any, ...]] = []
    for c in claims:
        at = c.attribution
        rows.append(
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
    return rows, _dedupe(about, 2), _dedupe(contradictions, 2)


def conflict_rows(conflicts: list[Conflict]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    rows: list[tuple[Any, ...]] = []
    values: list[tuple[Any, ...]] = []
    for k in conflicts:
        subject_actor = k.subject.id if k.subject.kind == "actor" else None
        subject_event = k.subject.id if k.subject.kind == "event" else None
        rows.append((k.id, k.kind, subject_actor, subject_event, k.field, content_hash(k)))
        for v in k.values:
            values.extend(
                (k.id, v.value, at.source_id, at.span[0], at.span[1], at.quote, at.via.id if at.via else None)
                for at in v.attributions
            )
    return rows, _dedupe(values, 4)


def merge_rows(decisions: list[MergeDecision]) -> list[tuple[Any, ...]]:
    return _dedupe(
        [
            (m.id, m.kind, m.target_id, m.member, m.rule, _encoder.encode(m.evidence).decode())
            for m in decisions
        ],
        1,
    )


def table_rows(
    sources: list[SourceRecord],
    extraction: dict[str, str],
    actors: list[ActorRecord],
    mentions: list[MentionRow],
    roles: list[RoleRow],
    events: list[Event],
    claims: list[Claim],
    conflicts: list[Conflict],
    decisions: list[MergeDecision],
) -> TableRows:
    """Rows, in the column orders above, of the given resources."""
    actor_table, aliases = actor_rows(actors)
    event_table, event_actors, attributions = event_rows(events)
    claim_table, about, contradictions = claim_rows(claims)
    conflict_table, values = conflict_rows(conflicts)
    return TableRows(
        sources=source_rows(sources, extraction),
        actors=actor_table,
        aliases=aliases,
        mentions=mention_rows(mentions),
        roles=role_rows(roles),
        events=event_table,
        event_actors=event_actors,
        attributions=attributions,
        claims=claim_table,
        claim_about=about,
        contradictions=contradictions,
        conflicts=conflict_table,
        conflict_values=values,
        merges=merge_rows(decisions),
    )


def dataset_rows(dataset: Dataset, docs: list[Document]) -> TableRows:
    """All rows a whole dataset occupies."""
    return table_rows(
        dataset.sources,
        {d.sha256: stored_extraction(d) for d in docs},
        dataset.actor_records,
        dataset.mentions,
        dataset.roles,
        dataset.events,
        dataset.claims,
        dataset.conflicts,
        dataset.merges,
    )
