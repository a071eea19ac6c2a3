"""The document object that flows through the extraction pipeline.

Each stage is a callable ``stage(doc: Document) -> None`` that reads some fields of the
document and fills others; the ``reads``/``adds`` declarations in ``pipeline.STAGES`` list
them. All offsets (``start``/``end``) index the *verbatim* text ``Document.text``, so
``doc.text[start:end] == quote`` holds for every span.

Entities are per-document clusters of mentions, keyed by a document-local ``key``; the
cross-article merge (``service.merge``) turns them into global actors with stable ids.

The clause units (``Sentence``, ``Token``, ``MentionSpan``) and reporting frames are in *norm*
coordinates (indices of ``Document.norm``): they are what the clause and reporting stages hand
to the event and claim stages, and never leave the pipeline.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import Literal

import msgspec

ActorKind = Literal["person", "organization", "country", "place", "weapon"]
SegmentKind = Literal["headline", "byline", "dateline", "subheading", "body", "boilerplate"]
DatePrecision = Literal["day", "month", "year", "range", "unknown"]
DateBasis = Literal["explicit", "relative", "inferred"]
PublishedBasis = Literal["metadata", "dateline", "inferred", "unknown"]
EventStatus = Literal["occurred", "planned", "speculative", "denied"]
EventRole = Literal["source", "target", "participant", "mentioned"]
Channel = Literal["statement", "press_conference", "social_media", "interview", "report"]
Stance = Literal["asserts", "denies", "expects", "speculates"]
CueKind = Literal["verb", "call", "social", "continuation", "participle", "relay", "according", "impersonal"]


class SourceMeta(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """What is known about an article besides its text (manifest entry or API request)."""

    external_id: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    title: str | None = None
    published: date | None = None
    language: str | None = None


class Segment(msgspec.Struct, frozen=True):
    """A sentence-like unit of the text (hard-wrapped lines are joined into one segment)."""

    start: int
    end: int
    kind: SegmentKind
    paragraph: int


class Publication(msgspec.Struct):
    """When the article was published, and how we know."""

    date: date | None = None
    precision: DatePrecision = "unknown"
    basis: PublishedBasis = "unknown"
    reason: str | None = None


class RelativeDate(msgspec.Struct, frozen=True, omit_defaults=True):
    """A date expressed relative to the publication date, kept so it can be resolved later.

    unit: "day" (offset_days from publication, e.g. أمس = -1), "weekday" (the most recent
    ``weekday`` on or before publication, ISO 1=Mon..7=Sun, shifted by offset_weeks),
    "month" (offset_months from the publication month; ``part`` early/mid/late),
    "year" (offset_years; ``part`` early/mid/late; with ``month`` and optionally ``day``, that
    month or day of the year: "in September of last year"; likewise "month" with ``day``), "week" (the ISO week offset_weeks from
    the publication week), "calendar" (a named ``month``, optionally ``day``, written without a
    year: the year follows from publication and ``direction``: "past" = the latest such day
    on/before publication (a month alone: the latest such month before the publication month),
    "next" = the earliest on/after (after), None = the nearest). For "weekday", offset_days
    shifts the anchor first ("last Thursday" = -1, "next Thursday" = +7); for "day",
    ``weekday`` checks the offset ("yesterday, Sunday"): when the day it gives is one or two days
    after that weekday, the article was written before the date it carries, and the weekday wins.
    """

    unit: Literal["day", "weekday", "month", "year", "week", "calendar"]
    offset_days: int = 0
    offset_weeks: int = 0
    offset_months: int = 0
    offset_years: int = 0
    weekday: int | None = None
    day: int | None = None
    month: int | None = None
    part: Literal["early", "mid", "late"] | None = None
    direction: Literal["past", "next"] | None = None


class DateMention(msgspec.Struct):
    """A date or period written in the text. Resolved dates are filled when computable."""

    start: int
    end: int
    text: str
    basis: DateBasis
    precision: DatePrecision
    start_date: date | None = None
    end_date: date | None = None
    relative: RelativeDate | None = None


class RoleMention(msgspec.Struct, frozen=True, omit_defaults=True):
    """A title, rank or role an article gives an actor at one mention ("اللواء", "وزير الدفاع")."""

    start: int
    end: int
    text: str
    role: str | None = None
    rank: str | None = None


class ActorMention(msgspec.Struct):
    """One place where the text names (or refers back to) an actor."""

    start: int
    end: int
    text: str
    entity: str
    method: Literal["kb", "title", "given_name", "surname", "anaphora", "pattern", "model"]
    confidence: float = 1.0


class Entity(msgspec.Struct):
    """A per-document cluster of mentions of one actor."""

    key: str
    kind: ActorKind
    name_ar: str
    name_en: str | None = None
    kb_id: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    wikidata: str | None = None
    aliases: list[str] = []
    roles: list[RoleMention] = []
    mentions: list[int] = []
    confidence: float = 1.0


class EventActor(msgspec.Struct, frozen=True):
    entity: str
    role: EventRole


class EventMention(msgspec.Struct):
    """One report of an event in this article: the clause that states it and what it says.
    ``repeats`` are the verbatim trigger offsets of later reports of the same event in the
    article that add nothing (not listed again; a claim about one of them links here)."""

    start: int
    end: int
    quote: str
    trigger: str
    trigger_start: int
    plover_type: str
    plover_mode: str | None
    cameo: str | None
    status: EventStatus
    actors: list[EventActor] = []
    location: str | None = None
    date: int | None = None
    via: str | None = None
    confidence: float = 0.5
    repeats: list[int] = []
    killed: int | None = None
    wounded: int | None = None


class ClaimMention(msgspec.Struct):
    """One reported statement: who said it, through whom, how, and its content span."""

    start: int
    end: int
    quote: str
    cue: str
    cue_start: int
    speaker: str | None
    via: str | None
    channel: Channel
    stance: Stance
    said_on: int | None = None
    about: list[str] = []
    event: int | None = None
    confidence: float = 0.5


class Token(msgspec.Struct, frozen=True):
    """A word of ``doc.norm``: [start, end) in norm coordinates."""

    start: int
    end: int
    text: str


class Sentence(msgspec.Struct, frozen=True):
    """A sentence in norm coordinates: its tokens, quotations, and per-token facts the event
    stage looks up repeatedly (a comma before the token; a mention, date or recorded title
    starting at or covering it)."""

    start: int
    end: int
    kind: str
    tokens: list[Token]
    quotes: list[tuple[int, int]]
    ends: list[int] = []
    comma_before: frozenset[int] = frozenset()
    mention_starts: frozenset[int] = frozenset()
    date_tokens: frozenset[int] = frozenset()
    title_tokens: frozenset[int] = frozenset()

    def token_index(self, pos: int) -> int:
        """Index of the first token that ends after ``pos``."""
        return bisect_right(self.ends, pos)

    def in_quote(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a quotation of this sentence."""
        return any(qs < pos < qe for qs, qe in self.quotes)


class MentionSpan(msgspec.Struct, frozen=True):
    """An actor mention in norm coordinates with the kind of its entity (None if unknown).

    ``title_of`` is the entity whose title/role span contains this mention ("هيئة الأركان" in
    "رئيس هيئة الأركان العامة اللواء علي النعسان" is part of Naasan's title)."""

    start: int
    end: int
    entity: str
    kind: ActorKind | None
    title_of: str | None = None


class CueSpan(msgspec.Struct, frozen=True):
    """A reporting cue of a sentence: tokens [first, last] and its kind."""

    first: int
    last: int
    kind: CueKind


class ReportingFrame(msgspec.Struct):
    """A reporting frame in norm coordinates: a cue with its speaker, relay, channel, stance,
    date said, and the content it introduces (``content_*``)."""

    sentence: int
    cue_start: int
    cue_end: int
    kind: CueKind
    stance: Stance
    content_start: int
    content_end: int
    speaker: str | None
    via: str | None
    channel: Channel
    said_on: int | None
    unnamed: bool = False
    emit: bool = True
    confidence: float = 0.6
    alleges: bool = False


class Document(msgspec.Struct):
    """The article and everything the stages have found in it so far."""

    text: str
    meta: SourceMeta
    sha256: str
    norm: str = ""
    offsets: list[int] = []
    segments: list[Segment] = []
    publication: Publication = msgspec.field(default_factory=Publication)
    outlet: str | None = None
    author: str | None = None
    title: str | None = None
    dates: list[DateMention] = []
    mentions: list[ActorMention] = []
    entities: dict[str, Entity] = {}
    sentences: list[Sentence] = []
    mention_spans: list[MentionSpan] = []
    title_spans: list[tuple[int, int]] = []
    date_starts: list[int] = []
    cues: list[list[CueSpan]] = []
    frames: list[ReportingFrame] = []
    events: list[EventMention] = []
    claims: list[ClaimMention] = []

    def span_of_norm(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of ``norm`` back to the verbatim text."""
        return self.offsets[start], self.offsets[end - 1] + 1 if end > start else self.offsets[start]
