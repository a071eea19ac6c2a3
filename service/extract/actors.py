"""Actor recognition and in-document resolution (stub; being implemented)."""

from service.extract.document import Document


def find_actors(doc: Document) -> None:
    """Fill ``doc.mentions`` and ``doc.entities``."""
