"""Actor resources and mention rows from the clusters of ``actor_merge``."""

from __future__ import annotations

from collections import defaultdict

from service.extract.document import Document
from service.merge.actor_clusters import ActorIndex
from service.merge.common import attribution, attribution_key, noisy_or, source_id
from service.merge.dataset import MentionRow
from service.merge.rules import merge_rules
from service.models.resources import Actor, Alias, Attribution, Event, Name, Role


def _aliases(actor_id: str, index: ActorIndex, docs: dict[str, Document]) -> list[Alias]:
    """Each distinct surface form with every span where it appears.

    Whitespace is collapsed, so a hard-wrapped name joins its one-line spelling (the
    attributions keep the verbatim quote); references that are not names (anaphora, a
    country's adjective) are left out, as ``alias_excluded_methods`` says.
    """
    rules = merge_rules()
    kind = index.refs[actor_id].kind
    forms: dict[str, list[Attribution]] = defaultdict(list)
    for sha, key in index.clusters[actor_id]:
        doc = docs[sha]
        for i in doc.entities[key].mentions:
            mention = doc.mentions[i]
            if rules.is_alias(kind, mention.method):
                text = " ".join(doc.text[mention.start : mention.end].split())
                forms[text].append(attribution(doc, mention.start, mention.end))
    return [
        Alias(text=text, origin="article", attributions=sorted(atts, key=attribution_key))
        for text, atts in sorted(forms.items())
    ]


def _roles(actor_id: str, index: ActorIndex, docs: dict[str, Document]) -> list[Role]:
    roles = []
    for sha, key in index.clusters[actor_id]:
        doc = docs[sha]
        for rm in doc.entities[key].roles:
            roles.append(
                Role(text=rm.role or rm.text, rank=rm.rank, attribution=attribution(doc, rm.start, rm.end))
            )
    return sorted(roles, key=lambda r: attribution_key(r.attribution))


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
    index: ActorIndex, docs: dict[str, Document], events: list[Event]
) -> tuple[list[Actor], list[MentionRow]]:
    """One Actor per cluster (aliases, roles, counts, first/last seen) and one row per mention."""
    counts = _event_counts(events)
    actors: list[Actor] = []
    rows: list[MentionRow] = []
    for actor_id in sorted(index.clusters):
        members = index.clusters[actor_id]
        ref = index.refs[actor_id]
        entities = [docs[sha].entities[key] for sha, key in members]
        mention_rows = [
            MentionRow(
                actor_id=actor_id,
                source_id=source_id(sha),
                start=docs[sha].mentions[i].start,
                end=docs[sha].mentions[i].end,
                quote=docs[sha].text[docs[sha].mentions[i].start : docs[sha].mentions[i].end],
                method=docs[sha].mentions[i].method,
            )
            for sha, key in members
            for i in docs[sha].entities[key].mentions
        ]
        rows.extend(mention_rows)
        seen = sorted(d for d in {docs[sha].publication.date for sha, _ in members} if d is not None)
        country_key = index.country_key(actor_id)
        country_id = index.kb_actor.get(country_key) if country_key else None
        if country_id is None and country_key in index.refs:
            country_id = country_key
        lat, lon = index.coords.get(actor_id, (None, None))
        actors.append(
            Actor(
                id=actor_id,
                kind=ref.kind,
                name=Name(ar=ref.name_ar, en=ref.name_en),
                aliases=_aliases(actor_id, index, docs),
                roles=_roles(actor_id, index, docs),
                country=index.refs[country_id] if country_id and country_id != actor_id else None,
                lat=lat,
                lon=lon,
                wikidata=min((e.wikidata for e in entities if e.wikidata), default=None),
                event_count=counts.get(actor_id, 0),
                mention_count=len(mention_rows),
                first_seen=seen[0] if seen else None,
                last_seen=seen[-1] if seen else None,
                confidence=noisy_or([e.confidence for e in entities]),
            )
        )
    rows.sort(key=lambda r: (r.source_id, r.start, r.end, r.actor_id))
    return actors, rows
