"""What the cross-article merge reads of its documents, and that it leaves them as they were.

The ingest path keeps decoded documents between ingests without their norm map (which costs
more memory than the rest of a document), so the merge must not depend on it; and since the same
document objects are merged again at the next ingest, the merge must not change them.
"""

from __future__ import annotations

import msgspec

from service.articles import read_articles
from service.config import PROJECT_ROOT
from service.extract.pipeline import extract_document
from service.merge import build_dataset

SEEDS = PROJECT_ROOT / "seeds"


def seed_documents() -> list:
    return [extract_document(a.text, a.meta) for a in read_articles([SEEDS])]


def test_the_merge_does_not_read_the_norm_map() -> None:
    docs = seed_documents()
    bare = [msgspec.structs.replace(d, norm="", offsets=[]) for d in docs]
    assert msgspec.json.encode(build_dataset(bare)) == msgspec.json.encode(build_dataset(docs))


def test_the_merge_leaves_its_documents_unchanged() -> None:
    docs = seed_documents()
    before = [msgspec.json.encode(d) for d in docs]
    build_dataset(docs)
    build_dataset(docs[::-1])
    assert [msgspec.json.encode(d) for d in docs] == before
