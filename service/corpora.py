"""Readers for the public corpora in ``../shared/corpus`` (development, evaluation, training, scale tests).

Their texts are third-party (see that folder's README for licences) and are never copied into the
project: evaluation sets, models and benchmarks refer to articles by reference (day, index, sha256)
and read them from here. ``MARSAD_CORPUS_DIR`` points elsewhere; a missing corpus raises
``CorpusMissing`` with one line that says where it was looked for, so callers can skip clearly.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Literal

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


# The real evaluation's held-back slice (tests/golden/real/heldback.gold.json) comes only from these days:
# nothing tuned or trained may read them. A default iteration leaves them out.
HELD_BACK_DAYS = frozenset({"2015-08-01", "2015-08-02"})


def saudinewsnet(days: list[str] | None = None, *, held_back: bool = False) -> Iterator[NewsArticle]:
    """SaudiNewsNet records of the given days, in file order. By default every day but the held-back
    ones; ``held_back=True`` includes them (scale benchmarks, which tune nothing)."""
    chosen = days if days is not None else saudinewsnet_days()
    for day in chosen:
        if day in HELD_BACK_DAYS and not held_back:
            if days is not None:
                raise ValueError(f"day {day} is held back for evaluation; pass held_back=True to read it")
            continue
        yield from _day(day)


def saudinewsnet_article(ref: str) -> NewsArticle:
    """One record by its ``ref`` ("2015-07-21#17")."""
    day, _, index = ref.partition("#")
    return _day(day)[int(index)]


# --- Annotated corpora for training and measuring statistical components -------------------------
#
# Fixed splits, decided here once and never tuned: test parts are for published numbers only.
# - NewsFANE: its 4,760 sentences in file order, cut into five contiguous folds of equal size
#   (fold k = sentences [k*n//5, (k+1)*n//5)); folds 0-2 train, fold 3 dev (tuning), fold 4 test.
#   Contiguous folds keep an article's sentences on one side, so names do not leak into the test.
# - AQMAR (Wikipedia, another domain): training only.
# - arabic_event_gsr: a row is test when sha256 of its stripped text is 0 mod 5, dev when 1 mod 5,
#   else train; hashing the text keeps duplicate sentences on one side.

NAME_CLASSES = ("PER", "ORG", "LOC")
Split = Literal["train", "dev", "test"]

# NewsFANE's 50 fine classes, coarsened to the three actor classes Marsad extracts (persons,
# organisations, places including countries and named facilities); groups of people ("العرب"),
# vehicles, weapons and works are left out (tagged O).
NEWSFANE_CLASSES: dict[str, str] = {
    **dict.fromkeys(
        (
            "Politician", "Athlete", "Artist", "Other_PER", "Religious_PER", "Scientist",
            "Businessperson", "Lawyer", "Engineer", "Police",
        ),
        "PER",
    ),
    **dict.fromkeys(
        (
            "Non-Governmental", "Sports", "Media", "Government", "Commercial", "Educational",
            "Religious_ORG", "Medical-Science", "Entertainment",
        ),
        "ORG",
    ),
    **dict.fromkeys(
        (
            "Nation", "Population-Center", "State-or-Province", "County-or-District", "GPE-Cluster",
            "Continent", "Water-Body", "Land-Region-Natural", "Building-Grounds", "Airport", "Path",
        ),
        "LOC",
    ),
}  # fmt: skip
AQMAR_CLASSES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}  # MIS (miscellaneous) is left out


class TaggedSentence(msgspec.Struct, frozen=True):
    """One sentence of a named-entity corpus: its tokens and coarse BIO tags (B-PER, I-ORG, O ...).

    ``ref`` names it ("newsfane#812", "aqmar/Damascus#3"); ``fine`` keeps the corpus's own class
    of each entity start (NewsFANE's "Politician", "Media" ...; "" elsewhere)."""

    ref: str
    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    fine: tuple[str, ...]


def _coarse(tags: list[str], classes: dict[str, str]) -> tuple[list[str], list[str]]:
    """Coarse BIO tags and fine classes; an I- after an entity of another class starts a new one."""
    coarse: list[str] = []
    fine: list[str] = []
    for tag in tags:
        prefix, _, cls = tag.partition("-")
        mapped = classes.get(cls) if prefix in ("B", "I") else None
        if mapped is None:
            coarse.append("O")
            fine.append("")
        elif prefix == "I" and coarse and coarse[-1] != "O" and coarse[-1][2:] == mapped:
            coarse.append("I-" + mapped)
            fine.append("")
        else:
            coarse.append("B-" + mapped)
            fine.append(cls)
    return coarse, fine


def _bio_sentences(lines: list[str], sep: str | None) -> Iterator[list[tuple[str, str]]]:
    sentence: list[tuple[str, str]] = []
    for line in lines:
        parts = line.replace("\u200e", "").replace("\u200f", "").strip().split(sep)
        if len(parts) != 2 or not parts[0].strip():
            if sentence:
                yield sentence
            sentence = []
            continue
        sentence.append((parts[0].strip(), parts[1].strip()))
    if sentence:
        yield sentence


@cache
def newsfane() -> tuple[TaggedSentence, ...]:
    """Every NewsFANE Gold sentence, in file order (BOM, direction marks and CRs dropped)."""
    path = require("newsfane") / "NewsFANE_Gold_2014_170K.txt"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    out = []
    for i, sentence in enumerate(_bio_sentences(lines, "\t")):
        coarse, fine = _coarse([t for _, t in sentence], NEWSFANE_CLASSES)
        out.append(TaggedSentence(f"newsfane#{i}", tuple(w for w, _ in sentence), tuple(coarse), tuple(fine)))
    return tuple(out)


def newsfane_fold(index: int) -> int:
    """The fold (0-4) of NewsFANE sentence ``index``: five contiguous folds of equal size."""
    n = len(newsfane())
    return next(k for k in range(5) if index < (k + 1) * n // 5)


NEWSFANE_SPLIT: dict[int, Split] = {0: "train", 1: "train", 2: "train", 3: "dev", 4: "test"}


def newsfane_split(*parts: Split) -> list[TaggedSentence]:
    """The NewsFANE sentences of the given parts ("train", "dev", "test")."""
    sentences = newsfane()
    n = len(sentences)
    return [
        s for k in range(5) if NEWSFANE_SPLIT[k] in parts for s in sentences[k * n // 5 : (k + 1) * n // 5]
    ]


@cache
def aqmar() -> tuple[TaggedSentence, ...]:
    """Every AQMAR sentence (28 Wikipedia articles, in file-name order); used for training only."""
    out = []
    for path in sorted(require("aqmar").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, sentence in enumerate(_bio_sentences(lines, None)):
            coarse, fine = _coarse([t for _, t in sentence], AQMAR_CLASSES)
            ref = f"aqmar/{path.stem}#{i}"
            out.append(TaggedSentence(ref, tuple(w for w, _ in sentence), tuple(coarse), tuple(fine)))
    return tuple(out)


class EventSentence(msgspec.Struct, frozen=True):
    """One arabic_event_gsr sentence and its annotation for one PLOVER type.

    ``positive`` is the annotators' majority (more accepted the label than rejected it);
    ``label`` is the corpus's own ("yes", "easy no", "difficult no", "ambiguous")."""

    ref: str
    event_type: str
    text: str
    positive: bool
    label: str
    accept: int
    reject: int

    @property
    def split(self) -> Split:
        return gsr_split(self.text)


def gsr_split(text: str) -> Split:
    """The fixed split of an arabic_event_gsr sentence, from the sha256 of its stripped text."""
    rest = int(hashlib.sha256(text.strip().encode("utf-8")).hexdigest(), 16) % 5
    return "test" if rest == 0 else "dev" if rest == 1 else "train"


GSR_FILES = {"ASSAULT": "assault_gsr.csv", "PROTEST": "protest_gsr.csv"}


@cache
def event_gsr(event_type: str) -> tuple[EventSentence, ...]:
    """The arabic_event_gsr sentences labelled for ``event_type`` ("ASSAULT" or "PROTEST")."""
    path = require("arabic_event_gsr") / GSR_FILES[event_type]
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        EventSentence(
            ref=f"{event_type.lower()}#{row['id']}",
            event_type=event_type,
            text=row["text"],
            positive=int(row["accept"]) > int(row["reject"]),
            label=row["label"],
            accept=int(row["accept"]),
            reject=int(row["reject"]),
        )
        for row in rows
    )


def event_gsr_split(event_type: str, *parts: Split) -> list[EventSentence]:
    """The arabic_event_gsr sentences of one type in the given parts, in file order."""
    return [s for s in event_gsr(event_type) if s.split in parts]
