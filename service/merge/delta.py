"""What one merge changes: the rows to write (``Delta``) and the merge state to keep (``StateDelta``).

``service/merge/engine.py`` computes them; ``service/db/loader.py`` writes a ``Delta``,
``service/db/merge_state.py`` its ``StateDelta``.
"""

from __future__ import annotations

import msgspec

from service.extract.document import Document
from service.merge.actor_clusters import ActorInfo, ActorLink
from service.merge.actor_groups import (
    Contribution,
)
from service.merge.dataset import ActorRecord, MentionRow, MergeDecision, RoleRow, SourceRecord
from service.merge.event_units import UnitKey
from service.merge.state import GroupState, StoredActor, UndatedState, UnitState
from service.models.resources import Claim, Conflict, Event


class StateDelta(msgspec.Struct):
    """How the merge state changes (``service/db/merge_state.py`` writes it)."""

    groups: list[GroupState] = []
    gone_groups: list[str] = []
    member_docs: list[str] = []
    """Documents whose members are replaced by ``members``."""
    members: list[tuple[str, Contribution]] = []
    link_groups: list[str] = []
    """Person groups whose links are replaced by those of ``links`` touching them."""
    links: list[ActorLink] = []
    actors: list[StoredActor] = []
    gone_actors: list[str] = []
    unit_docs: list[str] = []
    """Documents whose reports are replaced by ``units`` (of those documents)."""
    units: list[UnitState] = []
    unit_events: list[tuple[UnitKey, str]] = []
    """New event ids of stored reports of other documents."""
    linked_units: list[UnitKey] = []
    """Reports whose links are replaced by those of ``unit_links`` touching them."""
    unit_links: list[tuple[UnitKey, UnitKey]] = []
    undated: list[UndatedState] = []
    stale_actors: list[str] = []
    """Actors whose description changed and whose many events are re-summarised later
    (``service/ingest/merging.refresh_stale``)."""
    pair_origins: list[str] = []
    """Origins whose contradiction pairs are replaced by ``pairs``."""
    pairs: list[tuple[str, str, str]] = []


class Delta(msgspec.Struct):
    """What one merge changes in the dataset: rows to write, and ids that are gone (and where to)."""

    sources: list[SourceRecord] = []
    actors: list[ActorRecord] = []
    gone_actors: dict[str, str | None] = {}
    events: list[Event] = []
    gone_events: dict[str, str | None] = {}
    claims: list[Claim] = []
    gone_claims: list[str] = []
    conflicts: list[Conflict] = []
    gone_conflicts: list[str] = []
    docs: list[str] = []
    """Source ids whose mentions and roles are replaced by ``mentions`` and ``roles``."""
    mentions: list[MentionRow] = []
    roles: list[RoleRow] = []
    decisions: list[MergeDecision] = []
    gone_decisions: list[str] = []
    state: StateDelta = msgspec.field(default_factory=StateDelta)
    documents: dict[str, Document] = {}
    """The merged documents (publication dates as merged), by sha256."""
    infos: dict[str, ActorInfo] = {}
    """The actors this merge recomputed, with their country ids in ``country_ids``."""
    country_ids: dict[str, str | None] = {}
    timings: dict[str, float] = {}
    """Seconds spent in each layer (for benchmarks)."""
    counts: dict[str, int] = {}
    """How much each layer recomputed (reports re-clustered, events rebuilt; for benchmarks)."""
