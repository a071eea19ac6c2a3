"""Resource shapes that integrators read (see the design brief): the extract CLI prints them
and the API serves them, so the two always agree."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec

ActorKind = Literal["person", "organization", "country", "place", "weapon"]


class ActorRef(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    kind: ActorKind
    name_ar: str
    name_en: str | None = None


class Attribution(msgspec.Struct, frozen=True, kw_only=True):
    """Where a fact comes from: article, outlet, span of its verbatim text, and the relay."""

    source_id: str
    outlet: str | None
    published_on: date | None
    span: tuple[int, int]
    quote: str
    via: ActorRef | None = None


class Name(msgspec.Struct, frozen=True):
    ar: str
    en: str | None = None


class Alias(msgspec.Struct, kw_only=True):
    text: str
    origin: Literal["kb", "article", "transliteration"]
    attributions: list[Attribution] = []


class Role(msgspec.Struct, kw_only=True):
    text: str | None
    rank: str | None
    attribution: Attribution


class Actor(msgspec.Struct, kw_only=True):
    id: str
    kind: ActorKind
    name: Name
    aliases: list[Alias] = []
    roles: list[Role] = []
    country: ActorRef | None = None
    lat: float | None = None
    lon: float | None = None
    wikidata: str | None = None
    event_count: int = 0
    mention_count: int = 0
    first_seen: date | None = None
    last_seen: date | None = None
    confidence: float = 1.0
    updated_at: datetime | None = None


class EventDate(msgspec.Struct, kw_only=True):
    start: date | None
    end: date | None
    precision: Literal["day", "month", "year", "range", "unknown"]
    basis: Literal["explicit", "relative", "inferred"] | None
    reason: str | None = None


class Location(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name_ar: str
    name_en: str | None
    lat: float | None = None
    lon: float | None = None


class EventActor(msgspec.Struct, frozen=True, kw_only=True):
    actor: ActorRef
    role: Literal["source", "target", "participant", "mentioned"]


class Summary(msgspec.Struct, frozen=True):
    en: str
    ar: str


class ConflictValue(msgspec.Struct, kw_only=True):
    value: str
    attributions: list[Attribution]
    claim_ids: list[str] = []


class SubjectRef(msgspec.Struct, frozen=True, kw_only=True):
    kind: Literal["actor", "event"]
    id: str
    name_en: str | None = None
    name_ar: str | None = None


class Conflict(msgspec.Struct, kw_only=True):
    id: str
    kind: Literal["attribute", "claim"]
    subject: SubjectRef
    field: str
    values: list[ConflictValue]
    updated_at: datetime | None = None


class Event(msgspec.Struct, kw_only=True):
    id: str
    type: str
    mode: str | None
    cameo: str | None
    status: Literal["occurred", "planned", "speculative", "denied"]
    date: EventDate
    location: Location | None
    actors: list[EventActor]
    summary: Summary
    confidence: float
    attributions: list[Attribution]
    source_count: int
    conflicts: list[Conflict] = []
    updated_at: datetime | None = None


class Claim(msgspec.Struct, kw_only=True):
    id: str
    speaker: ActorRef | None
    via: ActorRef | None
    channel: Literal["statement", "press_conference", "social_media", "interview", "report"]
    stance: Literal["asserts", "denies", "expects", "speculates"]
    said_on: date | None
    about: list[ActorRef]
    event_id: str | None
    attribution: Attribution
    contradicts: list[str] = []
    confidence: float = 1.0
    updated_at: datetime | None = None


class Published(msgspec.Struct, frozen=True, kw_only=True):
    date: date | None
    precision: Literal["day", "month", "year", "unknown"]
    basis: Literal["metadata", "dateline", "inferred", "unknown"]
    reason: str | None = None


class Source(msgspec.Struct, kw_only=True):
    id: str
    external_id: str | None
    outlet: str | None
    author: str | None
    url: str | None
    title: str | None
    language: str
    published: Published
    sha256: str
    extractor_version: str
    ingested_at: datetime | None = None
    updated_at: datetime | None = None
    length: int = 0


class SpanRef(msgspec.Struct, frozen=True, kw_only=True):
    """One extracted span in a source, for highlighting: what kind of fact and which row."""

    kind: Literal["actor", "role", "event", "claim", "date"]
    id: str
    span: tuple[int, int]
    quote: str


class SourceDetail(Source, kw_only=True):
    text: str
    spans: list[SpanRef] = []
