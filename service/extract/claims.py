"""Reported statements: speaker, relay, channel, stance (stub; being implemented)."""

from service.extract.document import Document


def find_claims(doc: Document) -> None:
    """Fill ``doc.claims``."""
