"""Builds per-document extraction results by hand, for unit tests of the cross-article stages.

Spans are found in the text by searching for the surface form, so every span slices the
verbatim text to its quote, as the real per-document stages guarantee.
"""

from __future__ import annotations

import hashlib
from datetime import date

from service.extract.document import (
    ActorMention,
    ClaimMention,
    DateMention,
    Document,
    Entity,
    EventActor,
    EventMention,
    Publication,
    RelativeDate,
    RoleMention,
    Segment,
    SourceMeta,
)


class DocBuilder:
    """A document whose entities, dates, events and claims are declared by their surface forms."""

    def __init__(self, text: str, published: date | None = None, outlet: str | None = None) -> None:
        self.doc = Document(
            text=text,
            meta=SourceMeta(outlet=outlet, published=published),
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            publication=Publication(
                date=published,
                precision="day" if published else "unknown",
                basis="metadata" if published else "unknown",
            ),
            entities={},
        )

    def span(self, surface: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = self.doc.text.index(surface, start + 1)
        return start, start + len(surface)

    def entity(
        self,
        key: str,
        surfaces: list[str],
        kind: str = "person",
        kb_id: str | None = None,
        name_ar: str | None = None,
        name_en: str | None = None,
        country: str | None = None,
        roles: list[tuple[str, str | None, str | None]] = (),  # type: ignore[assignment]
        method: str = "title",
        lat: float | None = None,
        lon: float | None = None,
    ) -> str:
        """Declare an entity mentioned at each surface (``"text#n"`` picks the n-th occurrence)."""
        indexes = []
        for surface in surfaces:
            text, _, nth = surface.partition("#")
            start, end = self.span(text, int(nth or 0))
            indexes.append(len(self.doc.mentions))
            self.doc.mentions.append(ActorMention(start=start, end=end, text=text, entity=key, method=method))  # type: ignore[arg-type]
        role_mentions = []
        for surface, role, rank in roles:
            start, end = self.span(surface)
            role_mentions.append(RoleMention(start=start, end=end, text=surface, role=role, rank=rank))
        first = surfaces[0].partition("#")[0]
        self.doc.entities[key] = Entity(
            key=key,
            kind=kind,
            name_ar=name_ar or first,
            name_en=name_en,
            kb_id=kb_id,
            country=country,  # type: ignore[arg-type]
            aliases=[s.partition("#")[0] for s in surfaces],
            roles=role_mentions,
            mentions=indexes,
            lat=lat,
            lon=lon,
        )
        return key

    def date(
        self,
        surface: str,
        start: date | None = None,
        end: date | None = None,
        precision: str = "day",
        relative: RelativeDate | None = None,
    ) -> int:
        s, e = self.span(surface)
        basis = "relative" if relative is not None else "explicit"
        self.doc.dates.append(
            DateMention(
                start=s,
                end=e,
                text=surface,
                basis=basis,
                precision=precision if start else "unknown",  # type: ignore[arg-type]
                start_date=start,
                end_date=end or start,
                relative=relative,
            )
        )
        return len(self.doc.dates) - 1

    def event(
        self,
        clause: str,
        plover_type: str,
        mode: str | None,
        status: str = "occurred",
        actors: list[tuple[str, str]] = (),  # type: ignore[assignment]
        location: str | None = None,
        date_index: int | None = None,
        via: str | None = None,
        confidence: float = 0.6,
    ) -> int:
        start, end = self.span(clause)
        self.doc.events.append(
            EventMention(
                start=start,
                end=end,
                quote=clause,
                trigger=clause.split()[0],
                trigger_start=start,
                plover_type=plover_type,
                plover_mode=mode,
                cameo="040" if plover_type == "CONSULT" else None,
                status=status,
                actors=[EventActor(entity=k, role=r) for k, r in actors],  # type: ignore[arg-type]
                location=location,
                date=date_index,
                via=via,
                confidence=confidence,
            )
        )
        return len(self.doc.events) - 1

    def claim(
        self,
        content: str,
        stance: str,
        speaker: str | None = None,
        via: str | None = None,
        event: int | None = None,
        about: list[str] = (),  # type: ignore[assignment]
        channel: str = "statement",
    ) -> int:
        start, end = self.span(content)
        self.doc.claims.append(
            ClaimMention(
                start=start,
                end=end,
                quote=content,
                cue=content.split()[0],
                cue_start=start,
                speaker=speaker,
                via=via,
                channel=channel,
                stance=stance,
                about=list(about),
                event=event,
            )  # type: ignore[arg-type]
        )
        return len(self.doc.claims) - 1

    def paragraphs(self, headline: bool = False) -> DocBuilder:
        """One segment per line of the text (the first a headline if asked), numbered as paragraphs."""
        start = 0
        for number, line in enumerate(self.doc.text.split("\n")):
            kind = "headline" if headline and number == 0 else "body"
            self.doc.segments.append(Segment(start=start, end=start + len(line), kind=kind, paragraph=number))  # type: ignore[arg-type]
            start += len(line) + 1
        return self

    def build(self) -> Document:
        return self.doc
