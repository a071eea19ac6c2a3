"""Reported statements (claims): one per reporting frame that has content.

Each claim carries its speaker (an entity key; None for the outlet's own voice or an unnamed
source), the relay it came through (``via``; None when an agency speaks in its own name), the
channel, the stance, the content span (the quoted text or the clause after "إن"/"أن"), the
date it was said, the entities it is about, and the event it reports (an event whose trigger is
in the content, the event the cue itself is, or for a denial the event it denies).
"""

from __future__ import annotations

from service.extract.document import ClaimMention, Document, Stance
from service.extract.text.clauses import mentions_between, verbatim_span


def find_claims(doc: Document) -> None:
    """Fill ``doc.claims`` from the reporting frames, linking each to the event it reports."""
    claims: list[ClaimMention] = []
    spans = doc.mention_spans
    for frame in doc.frames:
        if not frame.emit:
            continue
        start, end, quote = verbatim_span(doc, frame.content_start, frame.content_end)
        cue_start, _, cue = verbatim_span(doc, frame.cue_start, frame.cue_end)
        about: list[str] = []
        for m in mentions_between(spans, frame.content_start, frame.content_end):
            if m.entity not in about and m.entity != frame.speaker:
                about.append(m.entity)
        # an agency reporting in its own name is the speaker, not a relay
        via = frame.via if frame.via != frame.speaker else None
        claims.append(
            ClaimMention(
                start=start,
                end=end,
                quote=quote,
                cue=cue,
                cue_start=cue_start,
                speaker=frame.speaker,
                via=via,
                channel=frame.channel,
                stance=frame.stance,
                said_on=frame.said_on,
                about=about,
                event=_event_of(doc, start, end, frame.stance, cue_start),
                confidence=frame.confidence,
            )
        )
    doc.claims = claims


def _event_of(doc: Document, start: int, end: int, stance: Stance, cue_start: int = -1) -> int | None:
    """The event a claim reports: one whose trigger lies in the content, else (for a denial) the
    denied event the content names."""
    inside = [
        i for i, e in enumerate(doc.events) if start <= e.trigger_start < end or e.trigger_start == cue_start
    ]
    inside += [
        i for i, e in enumerate(doc.events) if i not in inside and any(start <= t < end for t in e.repeats)
    ]
    if inside:
        denied = [i for i in inside if doc.events[i].status == "denied"]
        return (denied or inside)[0]
    if stance == "denies":
        denied = [i for i, e in enumerate(doc.events) if e.status == "denied"]
        if denied:
            return denied[0]
    return None
