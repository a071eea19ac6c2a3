"""Readers for the public corpora in ``../shared/corpus`` (development, evaluation, training, scale tests).

Their texts are third-party (see that folder's README for licences) and are never copied into the
project: evaluation sets, models and benchmarks refer to articles by reference (day, index, sha256)
and read them from here. ``MARSAD_CORPUS_DIR`` points elsewhere; a missing corpus raises
``CorpusMissing`` with one line that says where it was looked for, so callers can skip clearly.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import msgspec

from service.config import PROJECT_ROOT


class CorpusMissing(RuntimeError):
    """The shared corpus (or the part asked for) is not on this machine."""


def corpus_dir() -> Path:
    """Where the shared corpora are: ``MARSAD_CORPUS_DIR``, else ``<project>/../shared/corpus``."""
    configured = os.environ.get("MARSAD_CORPUS_DIR")
    return Path(configured) if configured else PROJECT_ROOT.parent / "shared" / "corpus"


def require(part: str) -> Path:
    """The folder of one corpus (``saudinewsnet``, ``newsfane`` ...), or CorpusMissing."""
    path = corpus_dir() / part
    if not path.is_dir():
        raise CorpusMissing(f"corpus {part!r} not found at {path} (set MARSAD_CORPUS_DIR)")
    return path


class NewsArticle(msgspec.Struct, frozen=True):
    """One SaudiNewsNet record. ``ref`` ("2015-07-21#17": day file and index) identifies it."""

    ref: str
    outlet: str
    url: str
    date_extracted: str
    title: str
    author: str
    content: str

    @property
    def day(self) -> str:
        return self.ref.split("#", 1)[0]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content.encode("utf-8")).hexdigest()


def saudinewsnet_days() -> list[str]:
    """The days available (``YYYY-MM-DD``), in order."""
    return sorted(p.stem for p in require("saudinewsnet").glob("*.zip"))


@cache
def _day(day: str) -> tuple[NewsArticle, ...]:
    path = require("saudinewsnet") / f"{day}.zip"
    if not path.is_file():
        raise CorpusMissing(f"SaudiNewsNet day {day} not found at {path}")
    with zipfile.ZipFile(path) as archive:
        records = json.loads(archive.read(f"{day}.json"))
    return tuple(
        NewsArticle(
            ref=f"{day}#{i}",
            outlet=r.get("source") or "",
            url=r.get("url") or "",
            date_extracted=r.get("date_extracted") or "",
            title=r.get("title") or "",
            author=r.get("author") or "",
            content=r.get("content") or "",
        )
        for i, r in enumerate(records)
    )


def saudinewsnet(days: list[str] | None = None) -> Iterator[NewsArticle]:
    """Every SaudiNewsNet record of the given days (all days by default), in file order."""
    for day in days if days is not None else saudinewsnet_days():
        yield from _day(day)


def saudinewsnet_article(ref: str) -> NewsArticle:
    """One record by its ``ref`` ("2015-07-21#17")."""
    day, _, index = ref.partition("#")
    return _day(day)[int(index)]
