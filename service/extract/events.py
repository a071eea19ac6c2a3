"""Event detection from a surface-form trigger lexicon (stub; being implemented)."""

from service.extract.document import Document


def find_events(doc: Document) -> None:
    """Fill ``doc.events``."""
