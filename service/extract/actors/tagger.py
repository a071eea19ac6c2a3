"""A statistical name tagger (linear-chain CRF, python-crfsuite) over the folded tokens of the scan.

It is trained here on NewsFANE (+ AQMAR) by ``python -m service.extract.actors.train_tagger`` and
shipped as ``service/extract/models/name_tagger/`` (CC BY-SA, like its training data). Its
features combine the word and its affixes with the knowledge base the rules use: listed given
names, name particles, ranks, honorifics, role and organisation heads, nisbas, stopwords, and
whether a knowledge-base alias starts or continues at the token. Tags are coarse BIO over
persons (PER), organisations (ORG) and places (LOC).

The same ``features`` function serves training and tagging; per-word features are computed once
per distinct word (``own_features``, ``_near``), so tagging costs a dict lookup per token plus the CRF itself.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import msgspec
import pycrfsuite

from service.extract.actors.knowledge import clitic_variants, knowledge, strip_article
from service.extract.actors.scan import Scan

MODEL_DIR = Path(__file__).parents[1] / "models" / "name_tagger"
MODEL_PATH = MODEL_DIR / "model.crfsuite"
ORDINARY_WORDS_NAME = "ordinary_words.txt"
CLASSES = ("PER", "ORG", "LOC")
WINDOW = 2  # neighbours on each side whose word and lexicon flags are features
GAZETTEER_REACH = 8  # knowledge-base aliases are matched this many tokens around a tagged window
GATE_MARGIN = 6.0  # see NameTagger
GATE_REACH = 2


OFFSETS = tuple(d for d in range(-WINDOW, WINDOW + 1) if d)
EDGES = {d: (f"{d}:edge",) for d in OFFSETS}


@lru_cache(maxsize=1 << 16)
def own_features(token: str) -> tuple[str, ...]:
    """The features of one folded word itself: the word, its stem, affixes, shape and lexicon
    flags (computed once per distinct word)."""
    stems = [stem for _, stem in clitic_variants(token)]
    stem = stems[-1]
    bare = strip_article(stem)
    index = _flag_index()
    flags: set[str] = set()
    for s in (token, bare, *stems):
        flags.update(index.get(s, ()))
    shape = "digit" if token.isdigit() else "short" if len(token) <= 2 else "long" if len(token) > 7 else ""
    own = (
        "w=" + token,
        "s=" + bare if bare != token else "",
        "p3=" + token[:3],
        "x3=" + token[-3:],
        "sx2=" + bare[-2:],
        "al" if stem.startswith("ال") else "",
        "clitic" if stem != token else "",
        shape,
        *sorted("f=" + f for f in flags),
    )
    return tuple(f for f in own if f)


@lru_cache(maxsize=1 << 16)
def _near(token: str) -> dict[int, tuple[str, ...]]:
    """{offset: the features a neighbour at that offset sees}: the word and its lexicon flags."""
    seen = tuple(f for f in own_features(token) if f.startswith(("w=", "f=")))
    return {d: tuple(f"{d}:{f}" for f in seen) for d in OFFSETS}


@cache
def _flag_index() -> dict[str, frozenset[str]]:
    """Folded word -> the lexicons it is in (given names, particles, ranks, role and organisation
    heads, nisbas, stopwords ...) and the kinds of one-word knowledge-base aliases it is."""
    kb = knowledge()
    lexicons: dict[str, Iterable[str]] = {
        "given": kb.given,
        "ambiguous_given": kb.ambiguous_given,
        "part": kb.parts,
        "rank": kb.ranks,
        "honorific": kb.honorifics,
        "role": kb.role_heads,
        "org_head": kb.org_heads,
        "nisba": kb.demonyms,
        "stop": kb.stopwords,
        "speech": kb.speech_verbs,
        "led_by": kb.led_by,
    }
    index: dict[str, set[str]] = {}
    for name, words in lexicons.items():
        for word in words:
            index.setdefault(word, set()).add(name)
    for alias, ids in kb.alias_index.items():
        if " " not in alias:
            index.setdefault(alias, set()).update("kb_" + kb.entries[i].kind for i in ids)
    return {word: frozenset(flags) for word, flags in index.items()}


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


def features(
    tokens: Sequence[str],
    gaps: Sequence[str],
    lo: int = 0,
    hi: int | None = None,
    gazetteer: Sequence[str] | None = None,
) -> list[list[str]]:
    """CRF features of tokens ``lo..hi-1`` of a sentence: folded tokens (as ``Scan`` has them) and
    the punctuation before each token (``gaps[i]``, "" when only spaces); the whole sentence is
    their context. ``gazetteer``: the knowledge-base alias tag of each token when already known
    (the actor stage's own matches), else matched here."""
    n = len(tokens)
    hi = n if hi is None else hi
    near = {j: _near(tokens[j]) for j in range(max(0, lo - WINDOW), min(n, hi + WINDOW))}
    if gazetteer is None:
        base = max(0, lo - GAZETTEER_REACH)
        gazetteer = [""] * base + _gazetteer(tokens[base : min(n, hi + GAZETTEER_REACH)])
    gazetteer = [*gazetteer, *[""] * (n + 1 - len(gazetteer))]
    out = []
    for i in range(lo, hi):
        feats = list(own_features(tokens[i]))
        if gazetteer[i]:
            feats.append("gz=" + gazetteer[i])
        if gaps[i]:
            feats.append("g-=" + gaps[i][-1])
        if i + 1 < n and gaps[i + 1]:
            feats.append("g+=" + gaps[i + 1][0])
        for d in OFFSETS:
            j = i + d
            feats.extend(near[j][d] if 0 <= j < n else EDGES[d])
        if i > 0 and gazetteer[i - 1]:
            feats.append("-1:gz=" + gazetteer[i - 1])
        if gazetteer[i + 1]:
            feats.append("1:gz=" + gazetteer[i + 1])
        out.append(feats)
    return out


class TaggedSpan(NamedTuple):
    """A tagged entity: first and last token, class, and confidence (the lowest marginal
    probability of its tags)."""

    first: int
    last: int
    cls: str
    confidence: float


def spans_of(tags: Sequence[str], marginals: Sequence[float]) -> list[TaggedSpan]:
    """The entity spans of a BIO tag sequence; an I- without its B- starts a span."""
    out: list[TaggedSpan] = []
    start, cls = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("I-") and start >= 0 and tag[2:] == cls:
            continue
        if start >= 0:
            out.append(TaggedSpan(start, i - 1, cls, min(marginals[start:i])))
            start = -1
        if tag != "O":
            start, cls = i, tag[2:]
    return out


class NameTagger:
    """The shipped CRF model and its gate weights, loaded once (``name_tagger()``).

    The gate is what keeps the tagger off the hot path: a token is worth tagging only when the
    CRF's weights for its own features (the word, its stem and affixes, its lexicon flags) favour
    a name label over O by at least ``GATE_MARGIN``; the tagger then reads a window of
    ``GATE_REACH`` tokens around it, and the rest of the sentence is never featurised.
    """

    def __init__(self, path: Path) -> None:
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        gate = msgspec.json.decode(path.with_suffix(".gate.json").read_bytes(), type=GateWeights)
        self._weights = gate.weights
        self.scores: dict[str, float] = dict(gate.words)
        # words known to pass the gate and to fail it, at the margin they were judged at (``gate``)
        self.judged_at = GATE_MARGIN
        self.passing: set[str] = set()
        self.failing: set[str] = set()

    def gate(self, words: set[str]) -> set[str]:
        """The words that pass the gate (``GATE_MARGIN``); each word is judged once."""
        if self.judged_at != GATE_MARGIN:
            self.judged_at, self.passing, self.failing = GATE_MARGIN, set(), set()
        for word in words - self.passing - self.failing:
            score = self.scores.get(word) or self.name_score(word)
            (self.passing if score >= GATE_MARGIN else self.failing).add(word)
        return words & self.passing

    def name_score(self, token: str) -> float:
        """How much the token's own features favour its best name label over O: precomputed for
        the training vocabulary; for other words, an upper bound from their first and last three
        letters and their lexicon flags (the sum of each feature's own margin; cached per word)."""
        score = self.scores.get(token)
        if score is None:
            get = self._weights.get
            score = get("p3=" + token[:3], 0.0) + get("x3=" + token[-3:], 0.0)
            score += sum(get("f=" + f, 0.0) for f in _flag_index().get(token, ()))
            self.scores[token] = score
        return score

    def tag(
        self,
        tokens: Sequence[str],
        gaps: Sequence[str],
        lo: int = 0,
        hi: int | None = None,
        gazetteer: Sequence[str] | None = None,
    ) -> list[TaggedSpan]:
        """Entity spans of tokens ``lo..hi-1`` of one sentence (indices in the sentence), each with
        its confidence."""
        hi = len(tokens) if hi is None else hi
        if hi <= lo:
            return []
        tagger = self._tagger
        tags = tagger.tag(features(tokens, gaps, lo, hi, gazetteer))
        marginals = [tagger.marginal(t, i) if t != "O" else 1.0 for i, t in enumerate(tags)]
        return [TaggedSpan(a + lo, b + lo, c, p) for a, b, c, p in spans_of(tags, marginals)]


class GateWeights(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What the gate reads (written by training): the name score of every training word, and
    the margin of each affix and flag feature alone."""

    words: dict[str, float]
    weights: dict[str, float]


def margin(rows: list[list[float]], outside: int) -> float:
    """The best non-O label's summed weight minus O's (0 when no feature has a weight)."""
    if not rows:
        return 0.0
    totals = [sum(column) for column in zip(*rows, strict=True)]
    return max(t - totals[outside] for k, t in enumerate(totals) if k != outside)


_model_path: Path | None = MODEL_PATH


def use_model(path: Path | None) -> None:
    """Tag with another model file, or with none (``None``: the rules alone). For evaluation."""
    global _model_path
    _model_path = path
    name_tagger.cache_clear()
    ordinary_words.cache_clear()


def current_model() -> Path | None:
    """The model file the tagger uses (None: no tagger)."""
    return _model_path


@cache
def ordinary_words() -> frozenset[str]:
    """Folded words the tagger's training sentences use outside every name and never inside one
    (written by training beside the model in use, or the shipped one for the rules alone, so a
    model trained without the NewsFANE dev fifth is measured on it with a list that did not read
    it either); empty when the file is absent."""
    path = (_model_path.parent if _model_path is not None else MODEL_DIR) / ORDINARY_WORDS_NAME
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@cache
def name_tagger() -> NameTagger | None:
    """The tagger in use (the shipped model), or None when there is no model file."""
    return NameTagger(_model_path) if _model_path is not None and _model_path.is_file() else None


def sentence_ranges(scan: Scan, containing: list[int] | None = None) -> list[tuple[int, int]]:
    """[first, end) token ranges of the scan's sentences (the document's segments; bylines and
    boilerplate skipped), or only of those containing one of the (sorted) tokens ``containing``."""
    doc = scan.doc
    wanted = None if containing is None else [doc.offsets[scan.starts[i]] for i in containing]
    out = []
    k = 0
    for seg in doc.segments:
        if wanted is not None:
            while k < len(wanted) and wanted[k] < seg.start:
                k += 1
            if k == len(wanted):
                break
            if wanted[k] >= seg.end:
                continue
        if seg.kind in ("byline", "boilerplate"):
            continue
        lo = bisect_left(scan.starts, bisect_left(doc.offsets, seg.start))
        hi = bisect_left(scan.starts, bisect_left(doc.offsets, seg.end))
        if hi > lo:
            out.append((lo, hi))
    return out


def tag_scan(scan: Scan, model: NameTagger, gated: bool = True) -> list[TaggedSpan]:
    """The tagger's spans over the scan, in scan token indices. ``gated``: only windows around
    free tokens that pass the gate (``NameTagger``); otherwise every sentence, whole."""
    hot: list[int] = []
    if gated:
        tokens = scan.tokens
        hot_words = model.gate(set(tokens))
        owner, skip = scan.owner, scan.skip
        hot = [i for i, t in enumerate(tokens) if t in hot_words and owner[i] is None and not skip[i]]
        if not hot:
            return []
    out: list[TaggedSpan] = []
    gazetteer = _scan_gazetteer(scan) if scan.found else None  # else matched by ``features``
    for lo, hi in sentence_ranges(scan, hot if gated else None):
        windows = _windows([i - lo for i in hot if lo <= i < hi], hi - lo) if gated else [(0, hi - lo)]
        if not windows:
            continue
        tokens = scan.tokens[lo:hi]
        gaps = ["", *scan.gaps[lo + 1 : hi]]
        for a, b in windows:
            for span in model.tag(tokens, gaps, a, b, gazetteer and gazetteer[lo:hi]):
                out.append(span._replace(first=span.first + lo, last=span.last + lo))
    return out


def _scan_gazetteer(scan: Scan) -> list[str]:
    """The knowledge-base tag of each scan token from the actor stage's own alias matches."""
    out = [""] * scan.n
    for f in scan.found:
        if f.method == "kb":
            out[f.first] = "B-" + f.kind
            for j in range(f.first + 1, f.last + 1):
                out[j] = "I-" + f.kind
    return out


def _windows(hot: list[int], n: int) -> list[tuple[int, int]]:
    """Merged [start, end) windows of ``GATE_REACH`` tokens around the hot tokens of a sentence."""
    windows: list[tuple[int, int]] = []
    for i in hot:
        a, b = max(0, i - GATE_REACH), min(n, i + GATE_REACH + 1)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    return windows
