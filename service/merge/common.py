"""Shared helpers of the cross-article stages: stable ids, attributions, per-source facts."""

from __future__ import annotations

import hashlib
from datetime import date

import msgspec

from service.extract.document import Document
from service.models.resources import ActorRef, Attribution


def stable_id(prefix: str, *parts: str) -> str:
    """A short, deterministic id: the same inputs always give the same id."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()
    return f"{prefix}_{digest}"


def source_id(sha256: str) -> str:
    """The id of the source whose verbatim text hashes to ``sha256``."""
    return f"src_{sha256[:16]}"


class SourceFacts(msgspec.Struct, frozen=True):
    """What every attribution to one source repeats: id, outlet and publication date."""

    id: str
    outlet: str | None
    published_on: date | None


def source_facts(doc: Document) -> SourceFacts:
    """The attribution facts of a document (after publication-date inference)."""
    return SourceFacts(
        id=source_id(doc.sha256),
        outlet=doc.meta.outlet or doc.outlet,
        published_on=doc.publication.date,
    )


def attribution(doc: Document, start: int, end: int, via: ActorRef | None = None) -> Attribution:
    """An attribution of the span ``[start, end)`` of ``doc``; the quote is sliced from the text."""
    facts = source_facts(doc)
    return Attribution(
        source_id=facts.id,
        outlet=facts.outlet,
        published_on=facts.published_on,
        span=(start, end),
        quote=doc.text[start:end],
        via=via,
    )


def attribution_key(a: Attribution) -> tuple[str, int, int, str]:
    """Sort key that orders attributions the same way whatever the input order.

    The relay is part of the key: one span can be attributed with and without a relay (an event's
    own report and a claim about it, both sides of a status conflict), and sorting a set of such
    attributions on the span alone left their order to the set's hash order, which changes from
    one process to the next (the conflict's content hash with it)."""
    return (a.source_id, a.span[0], a.span[1], a.via.id if a.via is not None else "")


def noisy_or(confidences: list[float]) -> float:
    """Combine independent pieces of evidence: 1 - prod(1 - c), rounded for stable output."""
    remaining = 1.0
    for c in confidences:
        remaining *= 1.0 - max(0.0, min(1.0, c))
    return round(1.0 - remaining, 4)
