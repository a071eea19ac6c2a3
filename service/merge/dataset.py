"""The merged, cross-article result of extraction: what the loader writes and the CLI prints."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from service.models.resources import Actor, Claim, Conflict, Event, Source


class MentionRow(msgspec.Struct, frozen=True):
    """One mention of a global actor in one source (GDELT-style, with offsets)."""

    actor_id: str
    source_id: str
    start: int
    end: int
    quote: str
    method: str


class MergeDecision(msgspec.Struct, frozen=True):
    """Why a document-level mention joined a global actor or event (auditable, reversible)."""

    id: str
    kind: Literal["actor", "event"]
    target_id: str
    member: str
    rule: str
    evidence: dict[str, Any] = {}


class SourceRecord(msgspec.Struct):
    """A source as stored: its resource shape plus the verbatim text."""

    source: Source
    text: str


class Dataset(msgspec.Struct):
    """A whole merged dataset: what ``python -m service extract`` prints and a full load writes."""

    sources: list[SourceRecord] = []
    actors: list[Actor] = []
    actor_records: list[ActorRecord] = []
    roles: list[RoleRow] = []
    events: list[Event] = []
    claims: list[Claim] = []
    conflicts: list[Conflict] = []
    mentions: list[MentionRow] = []
    merges: list[MergeDecision] = []


class ActorRecord(msgspec.Struct, frozen=True):
    """An actor as stored: its row, its alias texts, and digests of its mentions and roles.

    Its content hash (``rows.content_hash``) moves whenever any of these change, so an actor's
    ``updated_at`` follows its names, country, place, aliases, mentions and roles; its event count
    and first/last seen are counted when read and do not move it.
    """

    id: str
    kind: str
    name_ar: str
    name_en: str | None
    country_id: str | None
    lat: float | None
    lon: float | None
    wikidata: str | None
    confidence: float
    aliases: list[str]
    mentions: int
    mention_digest: int
    role_digest: int


class RoleRow(msgspec.Struct, frozen=True):
    """One role an article gives an actor (a row of ``actor_roles``)."""

    actor_id: str
    source_id: str
    start: int
    end: int
    quote: str
    role: str | None
    rank: str | None
