"""Segmentation: sentences, headlines, bylines, datelines (stub; being implemented)."""

from service.extract.document import Document


def segment(doc: Document) -> None:
    """Fill ``doc.segments``, the dateline/byline facts and the publication date from the text."""
