"""Date grammar: explicit and relative dates with precision and basis (stub; being implemented)."""

from service.extract.document import Document


def find_dates(doc: Document) -> None:
    """Fill ``doc.dates`` with every date expression, resolved against the publication date."""
