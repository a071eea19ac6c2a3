"""A statistical name tagger (linear-chain CRF, python-crfsuite) over the folded tokens of the scan.

It is trained here on NewsFANE (+ AQMAR) by ``python -m service.extract.actors.train_tagger`` and
shipped as ``service/extract/models/name_tagger/`` (CC BY-SA, like its training data). Its
features combine the word and its affixes with the knowledge base the rules use: listed given
names, name particles, ranks, honorifics, role and organisation heads, nisbas, stopwords, and
whether a knowledge-base alias starts or continues at the token. Tags are coarse BIO over
persons (PER), organisations (ORG) and places (LOC).

The same ``features`` function serves training and tagging; per-word features are computed once
per distinct word (``_word``), so tagging costs a dict lookup per token plus the CRF itself.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import pycrfsuite

from service.extract.actors.knowledge import clitic_variants, knowledge, strip_article
from service.extract.actors.scan import Scan

MODEL_DIR = Path(__file__).parents[1] / "models" / "name_tagger"
MODEL_PATH = MODEL_DIR / "model.crfsuite"
CLASSES = ("PER", "ORG", "LOC")
WINDOW = 2  # neighbours on each side whose word and lexicon flags are features


OFFSETS = tuple(d for d in range(-WINDOW, WINDOW + 1) if d)
EDGES = {d: (f"{d}:edge",) for d in OFFSETS}


@lru_cache(maxsize=1 << 16)
def _word(token: str) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]]]:
    """(features of the word itself, {offset: the features a neighbour at that offset sees}) for
    one folded token; computed once per distinct word."""
    kb = knowledge()
    stems = [stem for _, stem in clitic_variants(token)]
    stem = stems[-1]
    bare = strip_article(stem)
    flags: set[str] = set()
    for s in {token, stem, bare, *stems}:
        for name, table in _lexicons():
            if s in table:
                flags.add(name)
        for kb_id in kb.alias_index.get(s, ()):
            flags.add("kb_" + kb.entries[kb_id].kind)
    flag_features = tuple("f=" + f for f in sorted(flags))
    shape = "digit" if token.isdigit() else "short" if len(token) <= 2 else "long" if len(token) > 7 else ""
    own = (
        "w=" + token,
        "s=" + bare,
        "p2=" + token[:2],
        "p3=" + token[:3],
        "x2=" + token[-2:],
        "x3=" + token[-3:],
        "sx2=" + bare[-2:],
        "al" if stem.startswith("ال") else "",
        "clitic" if stem != token else "",
        shape,
        *flag_features,
    )
    near = ("w=" + token, "s=" + bare, *flag_features)
    return tuple(f for f in own if f), {d: tuple(f"{d}:{f}" for f in near) for d in OFFSETS}


@cache
def _lexicons() -> tuple[tuple[str, frozenset[str] | dict[str, object]], ...]:
    k = knowledge()
    return (
        ("given", k.given),
        ("ambiguous_given", k.ambiguous_given),
        ("part", k.parts),
        ("rank", k.ranks),
        ("honorific", k.honorifics),
        ("role", k.role_heads),
        ("org_head", k.org_heads),
        ("nisba", k.demonyms),
        ("stop", k.stopwords),
        ("speech", k.speech_verbs),
        ("led_by", k.led_by),
    )


def _gazetteer(tokens: Sequence[str]) -> list[str]:
    """ "B-<kind>" / "I-<kind>" where the longest knowledge-base alias covers each token, else ""."""
    kb = knowledge()
    out = [""] * len(tokens)
    i = 0
    while i < len(tokens):
        best = 0
        kind = ""
        for _, stem in clitic_variants(tokens[i]):
            for k in range(min(kb.alias_first.get(stem, 0), len(tokens) - i), 0, -1):
                key = " ".join([stem, *tokens[i + 1 : i + k]])
                ids = kb.alias_index.get(key)
                if ids and k > best:
                    best, kind = k, kb.entries[ids[0]].kind
                    break
        if best:
            out[i] = "B-" + kind
            for j in range(i + 1, i + best):
                out[j] = "I-" + kind
            i += best
        else:
            i += 1
    return out


def features(tokens: Sequence[str], gaps: Sequence[str]) -> list[list[str]]:
    """CRF features of a sentence: folded tokens (as ``Scan`` has them) and the punctuation
    before each token (``gaps[i]``, "" when only spaces)."""
    words = [_word(t) for t in tokens]
    gazetteer = _gazetteer(tokens)
    n = len(tokens)
    out = []
    for i in range(n):
        feats = list(words[i][0])
        if gazetteer[i]:
            feats.append("gz=" + gazetteer[i])
        if gaps[i]:
            feats.append("g-=" + gaps[i][-1])
        if i + 1 < n and gaps[i + 1]:
            feats.append("g+=" + gaps[i + 1][0])
        for d in OFFSETS:
            j = i + d
            feats.extend(words[j][1][d] if 0 <= j < n else EDGES[d])
        if i > 0:
            if gazetteer[i - 1]:
                feats.append("-1:gz=" + gazetteer[i - 1])
            feats.append("bigram=" + tokens[i - 1] + "|" + tokens[i])
        if i + 1 < n and gazetteer[i + 1]:
            feats.append("1:gz=" + gazetteer[i + 1])
        out.append(feats)
    return out


class TaggedSpan(tuple[int, int, str, float]):
    """(first token, last token, class, confidence: the lowest marginal of the span's tags)."""

    __slots__ = ()

    @property
    def first(self) -> int:
        return self[0]

    @property
    def last(self) -> int:
        return self[1]

    @property
    def cls(self) -> str:
        return self[2]

    @property
    def confidence(self) -> float:
        return self[3]


def spans_of(tags: Sequence[str], marginals: Sequence[float]) -> list[TaggedSpan]:
    """The entity spans of a BIO tag sequence; an I- without its B- starts a span."""
    out: list[TaggedSpan] = []
    start, cls = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("I-") and start >= 0 and tag[2:] == cls:
            continue
        if start >= 0:
            out.append(TaggedSpan((start, i - 1, cls, min(marginals[start:i]))))
            start = -1
        if tag != "O":
            start, cls = i, tag[2:]
    return out


class NameTagger:
    """The shipped CRF model, loaded once (``name_tagger()``)."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    def tag(self, tokens: Sequence[str], gaps: Sequence[str]) -> list[TaggedSpan]:
        """Entity spans of one sentence, each with its confidence."""
        if not tokens:
            return []
        tagger = self._tagger
        tags = tagger.tag(features(tokens, gaps))
        marginals = [tagger.marginal(t, i) if t != "O" else 1.0 for i, t in enumerate(tags)]
        return spans_of(tags, marginals)


_model_path: Path | None = MODEL_PATH


def use_model(path: Path | None) -> None:
    """Tag with another model file, or with none (``None``: the rules alone). For evaluation."""
    global _model_path
    _model_path = path
    name_tagger.cache_clear()


def current_model() -> Path | None:
    """The model file the tagger uses (None: no tagger)."""
    return _model_path


@cache
def name_tagger() -> NameTagger | None:
    """The tagger in use (the shipped model), or None when there is no model file."""
    return NameTagger(_model_path) if _model_path is not None and _model_path.is_file() else None


def sentence_ranges(scan: Scan) -> list[tuple[int, int]]:
    """[first, end) token ranges of the scan's sentences (the document's segments; bylines skipped)."""
    doc = scan.doc
    out = []
    for seg in doc.segments:
        if seg.kind in ("byline", "boilerplate"):
            continue
        lo = bisect_left(scan.starts, bisect_left(doc.offsets, seg.start))
        hi = bisect_left(scan.starts, bisect_left(doc.offsets, seg.end))
        if hi > lo:
            out.append((lo, hi))
    return out


def tag_scan(scan: Scan, model: NameTagger) -> list[TaggedSpan]:
    """The tagger's spans over the whole scan, in scan token indices."""
    out: list[TaggedSpan] = []
    for lo, hi in sentence_ranges(scan):
        gaps = ["", *scan.gaps[lo + 1 : hi]]
        for span in model.tag(scan.tokens[lo:hi], gaps):
            out.append(TaggedSpan((span.first + lo, span.last + lo, span.cls, span.confidence)))
    return out
