"""API envelopes around the resource shapes: pages, embedded resources, statistics, the change feed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec

from service.models.resources import Actor, ActorRef, Claim, Conflict, Event, Source

CountMethod = Literal["exact", "estimated"]


class Included(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Resources referenced by a page, embedded on request (``include=``), each listed once."""

    actors: list[Actor] = []
    sources: list[Source] = []
    claims: list[Claim] = []
    events: list[Event] = []


class EventPage(msgspec.Struct, kw_only=True, omit_defaults=True):
    data: list[Event]
    next: str | None
    count: int | None = None
    count_method: CountMethod | None = None
    included: Included | None = None


class ActorPage(msgspec.Struct, kw_only=True, omit_defaults=True):
    data: list[Actor]
    next: str | None
    count: int | None = None
    count_method: CountMethod | None = None
    included: Included | None = None


class ClaimPage(msgspec.Struct, kw_only=True, omit_defaults=True):
    data: list[Claim]
    next: str | None
    count: int | None = None
    count_method: CountMethod | None = None
    included: Included | None = None


class SourcePage(msgspec.Struct, kw_only=True, omit_defaults=True):
    data: list[Source]
    next: str | None
    count: int | None = None
    count_method: CountMethod | None = None
    included: Included | None = None


class ConflictPage(msgspec.Struct, kw_only=True, omit_defaults=True):
    data: list[Conflict]
    next: str | None
    count: int | None = None
    count_method: CountMethod | None = None
    included: Included | None = None


class CoActor(msgspec.Struct, kw_only=True):
    """Another actor that shares events with the subject: how many and which."""

    actor: ActorRef
    count: int
    event_ids: list[str]


class ActorNetwork(msgspec.Struct, kw_only=True):
    actor: ActorRef
    event_count: int
    co_actors: list[CoActor]


class TimelineBucket(msgspec.Struct, kw_only=True):
    period: date
    key: str | None
    label: str | None
    count: int


class Timeline(msgspec.Struct, kw_only=True):
    """Event counts per period (by ``date.start``), optionally split by one grouping: the top
    ``group_limit`` groups by their count over the whole window (``truncated``: there are more)."""

    interval: Literal["day", "week", "month", "year"]
    group_by: Literal["none", "type", "mode", "status", "actor", "country", "outlet", "location"]
    total: int
    undated: int
    truncated: bool = False
    buckets: list[TimelineBucket]


class TimelineSeries(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One group's counts per period (``shape=dense``: one count per period from the answer's
    ``start``, zeros included; ``shape=sparse``: only the periods with events, at ``offsets``)."""

    key: str | None
    label: str | None
    total: int  # the sum of ``counts``: this group's dated events in the answer
    counts: list[int]
    offsets: list[int] | None = None  # sparse: each count's period, in intervals after ``start``


class TimelineSeriesSet(msgspec.Struct, kw_only=True):
    """A timeline as one series per group (``shape=dense`` or ``sparse``): the same counts as the
    buckets of ``Timeline``, without a JSON object per point. Period ``i`` of a series is ``start``
    plus ``i`` intervals (days, weeks, months or years); ``periods`` is how many there are."""

    interval: Literal["day", "week", "month", "year"]
    group_by: Literal["none", "type", "mode", "status", "actor", "country", "outlet", "location"]
    shape: Literal["dense", "sparse"]
    total: int
    undated: int
    truncated: bool = False
    start: date
    periods: int
    series: list[TimelineSeries]


class FacetValue(msgspec.Struct, kw_only=True):
    value: str | None
    label: str | None
    count: int


class Facets(msgspec.Struct, kw_only=True):
    """Top values of each filterable event field among the events matching the filter."""

    total: int
    facets: dict[str, list[FacetValue]]
    # Facets over links (actor, country, outlet, via) are counted on a deterministic sample of the
    # matching events when more than FACET_SAMPLE match (their counts scaled up: estimates). Other
    # facets and `total` are always exact.
    estimated: list[str] = []
    sample_fraction: float = 1.0


class DeletedEntry(msgspec.Struct, kw_only=True):
    id: str
    kind: Literal["source", "actor", "event", "claim", "conflict"]
    merged_into: str | None
    deleted_at: datetime


class DeletedPage(msgspec.Struct, kw_only=True, omit_defaults=True):
    data: list[DeletedEntry]
    next: str | None
    count: int | None = None
    count_method: CountMethod | None = None
