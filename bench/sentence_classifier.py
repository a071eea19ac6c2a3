"""A sentence classifier for event reports: hashed word and character n-gram features of a
folded sentence, scored by a linear model per event type (pure Python at inference).

The same ``features`` function serves training (``sentence_classifier_train``, scikit-learn at
training time only) and scoring, so a sentence is read identically by both. Features are hashed
with CRC-32 into ``BUCKETS`` buckets: the model file stores only the weights of buckets seen in
training, and inference sums them (no numpy, no vectoriser state).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable
from pathlib import Path

import msgspec

from service.text import fold

BUCKETS = 1 << 18
PROCLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف")


class FeatureSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Which features a model reads: word n-grams up to ``words`` and character n-grams
    (inside padded words) of lengths ``chars_min``..``chars_max`` (0 = none)."""

    words: int = 2
    chars_min: int = 0
    chars_max: int = 0
    stems: bool = True


class TypeModel(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One event type's logistic model: bias and the weights of the hashed buckets it uses."""

    bias: float
    weights: dict[int, float]


class SentenceModel(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A trained classifier: its feature spec and one logistic model per label."""

    spec: FeatureSpec
    labels: dict[str, TypeModel]
    trained_on: str = ""


def _stem(word: str) -> str:
    for p in PROCLITICS:
        if word.startswith(p) and len(word) - len(p) >= 3:
            return word[len(p) :]
    return word


def features(text: str, spec: FeatureSpec) -> set[int]:
    """The hashed feature buckets of one sentence (folded; words, stems, n-grams)."""
    words = fold(text).split()
    grams: set[str] = set()
    if spec.stems:
        words = words + ["~" + _stem(w) for w in words]
        base = [_stem(w) for w in fold(text).split()]
    else:
        base = words
    for w in words:
        grams.add("w:" + w)
    for n in range(2, spec.words + 1):
        for k in range(len(base) - n + 1):
            grams.add(f"{n}:" + " ".join(base[k : k + n]))
    if spec.chars_max:
        for w in base:
            padded = f" {w} "
            for n in range(spec.chars_min, spec.chars_max + 1):
                for k in range(len(padded) - n + 1):
                    grams.add("c:" + padded[k : k + n])
    return {zlib.crc32(g.encode("utf-8")) % BUCKETS for g in grams}


def score(model: TypeModel, buckets: Iterable[int]) -> float:
    """The model's probability that the sentence reports an event of its label."""
    z = model.bias + sum(model.weights.get(b, 0.0) for b in buckets)
    return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


def load_model(path: Path) -> SentenceModel:
    """Read a model file (JSON); unknown fields fail loudly."""
    return msgspec.json.decode(path.read_bytes(), type=SentenceModel)
