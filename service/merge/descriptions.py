"""How the merge describes and stores an actor: its summary view, the descriptor whose change
re-summarises its events, and its stored row.
"""

from __future__ import annotations

from service.merge.actor_clusters import ActorInfo
from service.merge.actor_groups import (
    confidence,
)
from service.merge.dataset import ActorRecord
from service.merge.summaries import describe, summary_data
from service.models.resources import Actor, ActorRef, Attribution, Name, Role

_NO_ATTRIBUTION = Attribution(source_id="", outlet=None, published_on=None, span=(0, 0), quote="")


def summary_actor(info: ActorInfo, country: ActorRef | None) -> Actor:
    """The actor as summaries read it: kind, role texts (each as often as given), country."""
    assert info.profile is not None
    roles = [
        Role(text=text, rank=None, attribution=_NO_ATTRIBUTION)
        for text, n in sorted(info.profile.roles.items())
        for _ in range(n)
    ]
    name = Name(ar=info.name_ar, en=info.name_en)
    return Actor(id=info.id, kind=info.kind, name=name, roles=roles, country=country)  # type: ignore[arg-type]


def descriptor(info: ActorInfo, country: ActorRef | None) -> tuple[str, str]:
    """How summaries describe the actor, in English and Arabic (a change re-summarises its events)."""
    data = summary_data()
    actor = summary_actor(info, country)
    return (describe(info.ref, actor, "en", data), describe(info.ref, actor, "ar", data))


def actor_record(info: ActorInfo, country_id: str | None) -> ActorRecord:
    """The stored row of an actor."""
    p = info.profile
    assert p is not None
    return ActorRecord(
        id=info.id,
        kind=info.kind,
        name_ar=info.name_ar,
        name_en=info.name_en,
        country_id=country_id,
        lat=info.coords[0] if info.coords else None,
        lon=info.coords[1] if info.coords else None,
        wikidata=p.wikidata,
        confidence=confidence(p),
        aliases=sorted(p.alias_forms),
        mentions=p.mentions,
        mention_digest=p.mention_digest,
        role_digest=p.role_digest,
    )
