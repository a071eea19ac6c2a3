"""Whole Actor resources (aliases and roles with their attributions, counts, first and last seen),
as ``python -m service extract`` prints them; the API assembles the same from the stored rows."""

from __future__ import annotations

from collections import defaultdict
from typing import cast

from service.extract.document import ActorKind, Document
from service.merge.actor_clusters import ActorInfo
from service.merge.actor_groups import confidence, group_key
from service.merge.common import attribution, attribution_key
from service.merge.rules import merge_rules
from service.models.resources import Actor, Alias, Attribution, Event, Name, Role


def _event_counts(events: list[Event]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for event in events:
        involved = {ea.actor.id for ea in event.actors}
        if event.location is not None:
            involved.add(event.location.id)
        for actor_id in involved:
            counts[actor_id] += 1
    return counts


def build_actors(
    infos: dict[str, ActorInfo], country_ids: dict[str, str | None], docs: list[Document], events: list[Event]
) -> list[Actor]:
    """One Actor per actor of ``infos``, from the documents that mention it."""
    rules = merge_rules()
    actor_of_group = {g: aid for aid, info in infos.items() for g in info.groups}
    forms: dict[str, dict[str, list[Attribution]]] = defaultdict(lambda: defaultdict(list))
    roles: dict[str, list[Role]] = defaultdict(list)
    mentions: dict[str, int] = defaultdict(int)
    seen: dict[str, set] = defaultdict(set)
    for doc in docs:
        for key, entity in doc.entities.items():
            aid = actor_of_group.get(group_key(doc.sha256, key, entity))
            if aid is None:
                continue
            kind = infos[aid].kind
            for i in entity.mentions:
                m = doc.mentions[i]
                mentions[aid] += 1
                if rules.is_alias(kind, m.method):
                    text = " ".join(doc.text[m.start : m.end].split())
                    forms[aid][text].append(attribution(doc, m.start, m.end))
            for rm in entity.roles:
                roles[aid].append(
                    Role(
                        text=rm.role or rm.text, rank=rm.rank, attribution=attribution(doc, rm.start, rm.end)
                    )
                )
            if doc.publication.date is not None:
                seen[aid].add(doc.publication.date)
    counts = _event_counts(events)
    out = []
    for aid in sorted(infos):
        info = infos[aid]
        cid = country_ids.get(aid)
        dates = sorted(seen[aid])
        profile = info.profile
        assert profile is not None  # every actor written has been profiled by its group
        out.append(
            Actor(
                id=aid,
                kind=cast("ActorKind", info.kind),
                name=Name(ar=info.name_ar, en=info.name_en),
                aliases=[
                    Alias(text=text, origin="article", attributions=sorted(atts, key=attribution_key))
                    for text, atts in sorted(forms[aid].items())
                ],
                roles=sorted(roles[aid], key=lambda r: attribution_key(r.attribution)),
                country=infos[cid].ref if cid and cid in infos else None,
                lat=info.coords[0] if info.coords else None,
                lon=info.coords[1] if info.coords else None,
                wikidata=profile.wikidata,
                event_count=counts.get(aid, 0),
                mention_count=mentions[aid],
                first_seen=dates[0] if dates else None,
                last_seen=dates[-1] if dates else None,
                confidence=confidence(profile),
            )
        )
    return out
