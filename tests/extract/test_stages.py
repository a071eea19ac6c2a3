"""The stages keep to what they declare (in the spirit of spaCy's ``analyze_pipes``).

``pipeline.STAGES`` says what each stage reads and adds. The static check verifies that every
read was added by an earlier stage; the traced run verifies, over real-style articles, that a
stage reads only fields it declares (or adds itself) and changes only fields it adds: no stage
passes anything to a later one outside the document's declared fields.
"""

from __future__ import annotations

from typing import Any

import msgspec

from service.articles import read_articles
from service.config import PROJECT_ROOT
from service.extract.document import Document, SourceMeta
from service.extract.pipeline import STAGES, Stage, check_stages, text_sha256

FIELDS = frozenset(Document.__struct_fields__)


class TracedDocument(Document):
    """A Document that records which of its fields are read."""

    def __getattribute__(self, name: str) -> Any:
        if name in FIELDS:
            READS.add(name)
        return super().__getattribute__(name)


READS: set[str] = set()


def _snapshot(doc: Document) -> dict[str, bytes]:
    return {name: msgspec.json.encode(object.__getattribute__(doc, name)) for name in FIELDS}


def test_declarations_are_sound() -> None:
    assert check_stages() == []


def test_a_read_before_it_is_added_is_reported() -> None:
    first, *rest = STAGES
    broken = (rest[0], first, *rest[1:])
    assert any("before any stage adds it" in p for p in check_stages(tuple(broken)))
    assert check_stages((Stage("x", lambda d: None, reads=("nonsense",), adds=()),))


def _texts() -> list[tuple[str, SourceMeta]]:
    folders = [PROJECT_ROOT / "seeds", *sorted((PROJECT_ROOT / "tests" / "golden").glob("*/"))]
    return [(a.text, a.meta) for a in read_articles(folders)]


def test_each_stage_reads_and_changes_only_what_it_declares() -> None:
    for text, meta in _texts():
        doc = TracedDocument(text=text, meta=meta, sha256=text_sha256(text))
        for stage in STAGES:
            before = _snapshot(doc)
            READS.clear()
            stage.run(doc)
            read = set(READS)
            changed = {name for name, value in _snapshot(doc).items() if before[name] != value}
            assert read <= set(stage.reads) | set(stage.adds), (stage.name, sorted(read - set(stage.reads)))
            assert changed <= set(stage.adds), (stage.name, sorted(changed - set(stage.adds)))
