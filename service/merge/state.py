"""What the incremental merge keeps between runs, and how it asks for it (``Store``).

The merge state is the part of the cross-article merge that is expensive to recompute and is read
by key: identity groups with their profiles and comparison signatures, the links ``same_actor``
found between person groups, each actor's info, each event report (``EventUnit``) with its
blocking keys and event, the links between reports, what publication-date inference keeps for
undated articles, and which claims contradict which, by origin. ``service/db/merge_state.py``
keeps it in Postgres (indexed by blocking key); ``EmptyStore`` is the state before any article,
so a full build is the incremental merge of every article into nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

import msgspec

from service.extract.document import Document
from service.merge.actor_clusters import ActorInfo, ActorLink
from service.merge.actor_groups import Contribution, Profile, Signature
from service.merge.dataset import MergeDecision
from service.merge.event_units import EventUnit, UnitKey


class GroupState(msgspec.Struct):
    """A stored identity group: its profile, signature (people) and actor."""

    key: str
    profile: Profile
    signature: Signature | None
    actor_id: str


class UnitState(msgspec.Struct):
    """A stored event report and the event it belongs to."""

    unit: EventUnit
    event_id: str
    found_by: tuple[str, ...] = ()
    """From ``Store.unit_candidates`` only: the looked-up keys this report is found by (the others
    are empty), so the merge pairs it with the reports looking them up without computing its keys."""


class UndatedState(msgspec.Struct):
    """An article with no publication date of its own: what inference looks up and found."""

    sha: str
    probe_keys: list[str]
    anchor_pins: list[str]
    published: date | None
    reason: str | None


class StoredActor(msgspec.Struct):
    """A stored actor: its info, and what its summary description and country reference were."""

    info: ActorInfo
    descriptor: tuple[str, str]
    country_id: str | None


class Store(Protocol):
    """Read access to the merge state (all lookups are batched; missing keys are left out)."""

    async def documents(self, shas: list[str]) -> dict[str, Document]:
        """Stored extractions with their text, publication as merged (inferred dates applied)."""
        ...

    async def groups(self, keys: list[str]) -> dict[str, GroupState]: ...

    async def actor_ids(self, groups: list[str]) -> dict[str, str]:
        """The actor of each of these groups (no profiles read)."""
        ...

    async def contributions(self, keys: list[str]) -> dict[str, list[Contribution]]: ...

    async def group_candidates(
        self, signatures: dict[str, Signature], exclude: set[str]
    ) -> dict[str, list[tuple[str, Profile, Signature]]]:
        """For each signature, the stored person groups (not in ``exclude``) sharing a blocking key
        with it and passing ``may_match``."""
        ...

    async def actor_links(self, groups: list[str]) -> list[ActorLink]: ...

    async def actor_groups(self, actor_ids: list[str]) -> dict[str, list[str]]: ...

    async def actors(self, actor_ids: list[str]) -> dict[str, StoredActor]:
        """Stored actors (their infos without profiles: ``actor_profiles`` reads those)."""
        ...

    async def actor_profiles(self, actor_ids: list[str]) -> dict[str, Profile]: ...

    async def actors_in_buckets(
        self, buckets: list[str]
    ) -> dict[str, list[tuple[tuple[str, str, str], str]]]: ...

    async def actors_of_country(self, country_keys: list[str]) -> list[str]: ...

    async def docs_of_groups(self, groups: list[str]) -> set[str]: ...

    async def units_of_docs(self, shas: list[str]) -> dict[UnitKey, UnitState]: ...

    async def units_of_events(self, event_ids: list[str]) -> dict[UnitKey, UnitState]: ...

    async def unit_candidates(self, keys: list[str]) -> dict[UnitKey, UnitState]:
        """Stored reports found by one of these keys (``event_clusters.looks_up``, across articles),
        each with those of the keys it is found by (``UnitState.found_by``)."""
        ...

    async def unit_links(self, units: list[UnitKey]) -> list[tuple[UnitKey, UnitKey]]: ...

    async def pinned_units(self, pins: list[str]) -> dict[UnitKey, UnitState]: ...

    async def undated(self, shas: list[str]) -> dict[str, UndatedState]: ...

    async def undated_related(self, probe_keys: list[str], anchor_pins: list[str]) -> set[str]:
        """Undated articles whose probe keys meet ``anchor_pins`` or whose anchor pins meet
        ``probe_keys``."""
        ...

    async def events_of_actors(self, actor_ids: list[str]) -> set[str]: ...

    async def event_counts(self, actor_ids: list[str]) -> dict[str, int]:
        """How many events each of these actors is in (as a participant or the place)."""
        ...

    async def claims_of_docs(self, shas: list[str]) -> dict[str, list[str]]:
        """Stored claim ids by document."""
        ...

    async def claim_subjects(self, shas: list[str], kinds: list[str]) -> set[str]:
        """Actors of these kinds that stored claims of these documents are about."""
        ...

    async def docs_about(self, subjects: list[str]) -> set[str]:
        """Documents with stored claims about these actors."""
        ...

    async def claim_pairs(self, claim_ids: list[str]) -> list[tuple[str, str, str]]:
        """Stored (origin, claim, other claim) contradiction pairs involving these claims."""
        ...

    async def conflicts_of(self, subject_ids: list[str]) -> list[str]: ...

    async def rank_roles(self, actor_ids: list[str], exclude_docs: set[str]) -> dict[str, list[RankRole]]: ...

    async def decisions_of(self, target_ids: list[str], kind: str, exclude_rules: list[str]) -> list[str]:
        """Stored merge decision ids of this kind with these targets, but for the excluded rules."""
        ...

    async def event_decisions(self, event_ids: list[str]) -> list[MergeDecision]:
        """The stored decisions that joined reports into these events."""
        ...


class RankRole(msgspec.Struct, frozen=True):
    """A stored role with a rank (for rank conflicts): its text, rank and where it was said."""

    text: str | None
    rank: str
    source_id: str
    outlet: str | None
    published_on: date | None
    start: int
    end: int
    quote: str


class EmptyStore:
    """The merge state before any article: every lookup finds nothing."""

    async def documents(self, shas: list[str]) -> dict[str, Document]:
        return {}

    async def groups(self, keys: list[str]) -> dict[str, GroupState]:
        return {}

    async def actor_ids(self, groups: list[str]) -> dict[str, str]:
        return {}

    async def contributions(self, keys: list[str]) -> dict[str, list[Contribution]]:
        return {}

    async def group_candidates(
        self, signatures: dict[str, Signature], exclude: set[str]
    ) -> dict[str, list[tuple[str, Profile, Signature]]]:
        return {}

    async def actor_links(self, groups: list[str]) -> list[ActorLink]:
        return []

    async def actor_groups(self, actor_ids: list[str]) -> dict[str, list[str]]:
        return {}

    async def actors(self, actor_ids: list[str]) -> dict[str, StoredActor]:
        return {}

    async def actor_profiles(self, actor_ids: list[str]) -> dict[str, Profile]:
        return {}

    async def actors_in_buckets(
        self, buckets: list[str]
    ) -> dict[str, list[tuple[tuple[str, str, str], str]]]:
        return {}

    async def actors_of_country(self, country_keys: list[str]) -> list[str]:
        return []

    async def docs_of_groups(self, groups: list[str]) -> set[str]:
        return set()

    async def units_of_docs(self, shas: list[str]) -> dict[UnitKey, UnitState]:
        return {}

    async def units_of_events(self, event_ids: list[str]) -> dict[UnitKey, UnitState]:
        return {}

    async def unit_candidates(self, keys: list[str]) -> dict[UnitKey, UnitState]:
        return {}

    async def unit_links(self, units: list[UnitKey]) -> list[tuple[UnitKey, UnitKey]]:
        return []

    async def pinned_units(self, pins: list[str]) -> dict[UnitKey, UnitState]:
        return {}

    async def undated(self, shas: list[str]) -> dict[str, UndatedState]:
        return {}

    async def undated_related(self, probe_keys: list[str], anchor_pins: list[str]) -> set[str]:
        return set()

    async def events_of_actors(self, actor_ids: list[str]) -> set[str]:
        return set()

    async def event_counts(self, actor_ids: list[str]) -> dict[str, int]:
        return {}

    async def claims_of_docs(self, shas: list[str]) -> dict[str, list[str]]:
        return {}

    async def claim_subjects(self, shas: list[str], kinds: list[str]) -> set[str]:
        return set()

    async def docs_about(self, subjects: list[str]) -> set[str]:
        return set()

    async def claim_pairs(self, claim_ids: list[str]) -> list[tuple[str, str, str]]:
        return []

    async def conflicts_of(self, subject_ids: list[str]) -> list[str]:
        return []

    async def rank_roles(self, actor_ids: list[str], exclude_docs: set[str]) -> dict[str, list[RankRole]]:
        return {}

    async def decisions_of(self, target_ids: list[str], kind: str, exclude_rules: list[str]) -> list[str]:
        return []

    async def event_decisions(self, event_ids: list[str]) -> list[MergeDecision]:
        return []
