"""The cross-article merge: per-article extractions become one dataset with stable ids.

Pure (no database): ``build_dataset`` over a set of documents gives the same result in any order.
"""

from __future__ import annotations

from service.extract.document import Document, SourceMeta
from service.extract.pipeline import EXTRACTOR_VERSION, extract_document
from service.merge.build import build_dataset as merge_documents
from service.merge.dataset import Dataset

__all__ = ["build_dataset", "extract"]


def build_dataset(docs: list[Document]) -> Dataset:
    """Merge per-document results into global actors, events, claims and conflicts."""
    return merge_documents(docs, EXTRACTOR_VERSION)


def extract(articles: list[tuple[str, SourceMeta]]) -> Dataset:
    """Extract and merge a set of articles (what ``python -m service extract`` prints)."""
    return build_dataset([extract_document(text, meta) for text, meta in articles])
