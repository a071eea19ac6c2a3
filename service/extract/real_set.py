"""The real development set: hand annotations of SaudiNewsNet articles in ``tests/golden/real/``.

The articles themselves stay in the shared corpus (their licence forbids copying them here); a gold
file names each one by ``ref`` ("2015-07-21#981") and the sha256 of its content, and this module reads
them through ``service.corpora``, refusing an article whose checksum differs. ``check_gold`` tells
whether an annotation is well-formed against the texts: every key resolves, every surface form occurs
in one of its articles, every claim content and event evidence is a verbatim piece of its article.
The format and the annotation conventions are in docs/extraction.md ("Real development set").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Literal

import msgspec

from service.config import PROJECT_ROOT
from service.corpora import HELD_BACK_DAYS, saudinewsnet_article
from service.extract.document import SourceMeta
from service.text import match_key

REAL_DIR = PROJECT_ROOT / "tests" / "golden" / "real"
SETS = {
    "real-dev": REAL_DIR / "dev.gold.json",
    "real-dev2": REAL_DIR / "dev2.gold.json",
    "real-dev3": REAL_DIR / "dev3.gold.json",
    "real-dev4": REAL_DIR / "dev4.gold.json",
    "real-dev5": REAL_DIR / "dev5.gold.json",
    "real-dev6": REAL_DIR / "dev6.gold.json",
    "real-dev7": REAL_DIR / "dev7.gold.json",
    "real-dev8": REAL_DIR / "dev8.gold.json",
    "real-dev9": REAL_DIR / "dev9.gold.json",
    "real-dev10": REAL_DIR / "dev10.gold.json",
    "real-heldback": REAL_DIR / "heldback.gold.json",
}
EVENT_TYPES = frozenset(
    {
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "DEMAND",
        "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    }
)  # fmt: skip
# A day, a month or a year; or a range of two days (the scorer compares a range's ends as days).
DATE_VALUE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2})$")

ActorKind = Literal["person", "organization", "country", "place", "weapon"]
Stance = Literal["asserts", "denies", "expects", "speculates"]
Role = Literal["source", "target", "participant", "mentioned"]
Status = Literal["occurred", "planned", "speculative", "denied"]


class ChecksumMismatch(RuntimeError):
    """A corpus article's content is not the one the annotation was made on."""


class GoldArticle(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    key: str
    ref: str
    sha256: str
    outlet: str
    topics: list[str]
    cluster: str | None


class GoldActor(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    key: str
    kind: ActorKind
    core: bool
    surface: list[str]
    sources: list[str]


class GoldEvent(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    key: str
    core: bool
    type: str | list[str]
    status: Status | list[Status]
    date: str | list[str | None] | None
    location: str | None
    participants: dict[str, Role]
    sources: list[str]
    evidence: dict[str, str]
    mode: str | None = None
    casualties: dict[str, int] = {}
    note: str | None = None

    @property
    def types(self) -> Sequence[str]:
        return self.type if isinstance(self.type, list) else [self.type]

    @property
    def statuses(self) -> Sequence[str]:
        return self.status if isinstance(self.status, list) else [self.status]

    @property
    def dates(self) -> list[str | None]:
        return self.date if isinstance(self.date, list) else [self.date]


class UnnamedOf(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """An unnamed source of an institution ("مصدر في وزارة الخارجية")."""

    unnamed_of: str


Speaker = str | None | list[str | None] | UnnamedOf


class GoldClaim(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    key: str
    core: bool
    source: str
    content: str
    speaker: Speaker
    stance: Stance | list[Stance]
    via: list[str]
    channel: str | None = None

    @property
    def stances(self) -> Sequence[str]:
        return self.stance if isinstance(self.stance, list) else [self.stance]


class ConflictValue(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    value: str
    sources: list[str]


class GoldConflict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    key: str
    kind: Literal["date", "count", "status", "rank", "title", "place"]
    field: str
    values: list[ConflictValue]
    subject_event: str | None = None
    subject: str | None = None
    note: str | None = None


class RealGold(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    set: str
    about: str
    articles: list[GoldArticle]
    actors: list[GoldActor]
    events: list[GoldEvent]
    claims: list[GoldClaim]
    conflicts: list[GoldConflict]
    non_claims: list[dict[str, str]] = []


def load_gold(path: Path) -> RealGold:
    """A gold file, typed; a field out of the format fails loudly with its path."""
    return msgspec.json.decode(path.read_bytes(), type=RealGold)


def load_set(name: str) -> RealGold:
    """The gold of a named set (``real-dev``, ``real-dev2`` to ``real-dev10`` or ``real-heldback``)."""
    if name not in SETS:
        raise KeyError(f"unknown set {name!r}; known: {', '.join(sorted(SETS))}")
    if not SETS[name].is_file():
        raise FileNotFoundError(
            f"{SETS[name]} not found: the real sets live in a checkout's tests/golden/real/"
        )
    return load_gold(SETS[name])


def article_meta(article: GoldArticle, outlet: str, url: str, title: str, extracted: str) -> SourceMeta:
    published = date.fromisoformat(extracted[:10]) if extracted[:10] else None
    return SourceMeta(
        external_id=article.ref,
        outlet=outlet or None,
        url=url or None,
        title=title or None,
        published=published,
        language="ar",
    )


def read_articles(gold: RealGold) -> list[tuple[str, SourceMeta]]:
    """The annotated articles as (text, meta), read from the corpus by reference.

    Raises ``CorpusMissing`` when the corpus is absent and ``ChecksumMismatch`` when an article differs
    from the one annotated."""
    out = []
    for article in gold.articles:
        record = saudinewsnet_article(article.ref)
        if record.sha256 != article.sha256:
            raise ChecksumMismatch(
                f"{article.ref}: sha256 {record.sha256[:12]}… differs from the annotated {article.sha256[:12]}…"
            )
        meta = article_meta(article, record.outlet, record.url, record.title, record.date_extracted)
        out.append((record.content, meta))
    return out


def _contains_key(text_key: str, surface: str) -> bool:
    key = match_key(surface)
    return bool(key) and occurs_in(text_key, key)


def _form_pattern(key: str) -> re.Pattern[str]:
    """A match key as a whole word, or with proclitics attached (و، ف، ب، ل، ك، ال; لل for لـ + ال)."""
    forms = [re.escape(key)]
    if key.startswith("ال"):
        forms.append("لل" + re.escape(key[2:]))
    return re.compile(rf"(?:^| )[وف]?(?:[بلك]|ال|[بك]ال)?(?:{'|'.join(forms)})(?= |$)")


def occurs_in(text_key: str, key: str) -> bool:
    """Whether ``key`` occurs in the match-keyed text ``text_key`` (proclitics allowed)."""
    return _form_pattern(key).search(text_key) is not None


def remove_forms(text_key: str, keys: list[str]) -> str:
    """``text_key`` with every occurrence of the given keys blanked out."""
    for key in keys:
        text_key = _form_pattern(key).sub("  ", text_key)
    return text_key


def check_gold(gold: RealGold, texts: dict[str, str]) -> list[str]:
    """Problems that make an annotation unusable (empty when it is well-formed).

    ``texts`` maps article keys to their verbatim text; without an article's text (no corpus), only
    the structure of what refers to it is checked."""
    problems: list[str] = []
    articles = {a.key: a for a in gold.articles}
    if len(articles) != len(gold.articles):
        problems.append("duplicate article keys")
    heldback = gold.set == "real-heldback"
    for a in gold.articles:
        day = a.ref.partition("#")[0]
        if (day in HELD_BACK_DAYS) != heldback:
            problems.append(f"{a.key}: {a.ref} is on the wrong side of the held-back split")
    keys = {g.key: g for g in gold.actors}
    if len(keys) != len(gold.actors):
        problems.append("duplicate actor keys")
    text_keys = {k: match_key(t) for k, t in texts.items()}
    for g in gold.actors:
        for s in g.sources:
            if s not in articles:
                problems.append(f"actor {g.key}: unknown source {s}")
        present = [s for s in g.sources if s in text_keys]
        for surface in g.surface if present else []:
            if not any(_contains_key(text_keys[s], surface) for s in present):
                problems.append(f"actor {g.key}: surface {surface!r} is in none of its sources")
        for s in g.sources:
            if s in text_keys and not any(_contains_key(text_keys[s], x) for x in g.surface):
                problems.append(f"actor {g.key}: no surface form in source {s}")
    events = {e.key for e in gold.events}
    for e in gold.events:
        for t in e.types:
            if t not in EVENT_TYPES:
                problems.append(f"event {e.key}: unknown type {t}")
        for k in [*e.participants, *([e.location] if e.location else [])]:
            if k not in keys:
                problems.append(f"event {e.key}: unknown actor {k}")
        for value in e.dates:
            if value is not None and not DATE_VALUE.match(value):
                problems.append(f"event {e.key}: bad date {value!r}")
        for s in e.sources:
            if s not in articles:
                problems.append(f"event {e.key}: unknown source {s}")
        if not e.evidence:
            problems.append(f"event {e.key}: no evidence")
        for s, quote in e.evidence.items():
            if s not in e.sources:
                problems.append(f"event {e.key}: evidence from {s}, not one of its sources")
            elif quote not in texts.get(s, quote):
                problems.append(f"event {e.key}: evidence {quote!r} is not in {s}")
    for c in gold.claims:
        if c.source not in articles:
            problems.append(f"claim {c.key}: unknown source {c.source}")
        elif c.content not in texts.get(c.source, c.content):
            problems.append(f"claim {c.key}: content {c.content!r} is not in {c.source}")
        for k in [*speaker_keys(c.speaker), *c.via]:
            if k not in keys:
                problems.append(f"claim {c.key}: unknown actor {k}")
    for n in gold.non_claims:
        if n.get("source") not in articles:
            problems.append(f"non-claim: unknown source {n.get('source')}")
        elif n.get("content", "") not in texts.get(n["source"], n.get("content", "")):
            problems.append(f"non-claim: content {n.get('content')!r} is not in {n['source']}")
        if n.get("speaker") not in keys:
            problems.append(f"non-claim: unknown actor {n.get('speaker')}")
    for conflict in gold.conflicts:
        if conflict.subject_event is not None and conflict.subject_event not in events:
            problems.append(f"conflict {conflict.key}: unknown event {conflict.subject_event}")
        if conflict.subject is not None and conflict.subject not in keys:
            problems.append(f"conflict {conflict.key}: unknown actor {conflict.subject}")
        for v in conflict.values:
            for s in v.sources:
                if s not in articles:
                    problems.append(f"conflict {conflict.key}: unknown source {s}")
    return problems


def speaker_keys(speaker: Speaker) -> list[str]:
    """The actor keys a gold speaker names (none for the outlet's voice or an unscored "*")."""
    if isinstance(speaker, UnnamedOf):
        return [speaker.unnamed_of]
    values = speaker if isinstance(speaker, list) else [speaker]
    return [v for v in values if v is not None and v != "*"]
