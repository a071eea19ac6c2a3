"""Claims from per-document claim mentions: stable ids, actor references, merged event ids."""

from __future__ import annotations

from service.extract.document import Document
from service.merge.actor_clusters import ActorIndex
from service.merge.common import attribution, stable_id
from service.merge.event_units import UnitKey
from service.models.resources import Claim


def build_claims(docs: list[Document], actors: ActorIndex, event_of: dict[UnitKey, str]) -> list[Claim]:
    """Claims with stable ids (source sha256 + span), actor refs and merged event ids."""
    claims = []
    for doc in docs:
        for c in doc.claims:
            said = doc.dates[c.said_on] if c.said_on is not None and 0 <= c.said_on < len(doc.dates) else None
            about = {r.id: r for key in c.about if (r := actors.ref(doc.sha256, key)) is not None}
            via = actors.ref(doc.sha256, c.via)
            claims.append(
                Claim(
                    id=stable_id("clm", doc.sha256, str(c.start), str(c.end)),
                    speaker=actors.ref(doc.sha256, c.speaker),
                    via=via,
                    channel=c.channel,
                    stance=c.stance,
                    said_on=said.start_date if said is not None and said.precision == "day" else None,
                    about=[about[k] for k in sorted(about)],
                    event_id=event_of.get((doc.sha256, c.event)) if c.event is not None else None,
                    attribution=attribution(doc, c.start, c.end, via),
                    confidence=c.confidence,
                )
            )
    return sorted(claims, key=lambda c: c.id)
