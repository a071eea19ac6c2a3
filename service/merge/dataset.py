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
    sources: list[SourceRecord] = []
    actors: list[Actor] = []
    events: list[Event] = []
    claims: list[Claim] = []
    conflicts: list[Conflict] = []
    mentions: list[MentionRow] = []
    merges: list[MergeDecision] = []
