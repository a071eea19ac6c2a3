"""Train the name tagger (``actors/tagger.py``) on NewsFANE and AQMAR from ``../shared/corpus``.

Usage::

    python -m service.extract.actors.train_tagger                 # the shipped model: NewsFANE train+dev, AQMAR
    python -m service.extract.actors.train_tagger --parts train --out /tmp/tagger.crfsuite   # for tuning on dev

The NewsFANE test fifth is never read here. Sentences are folded and tokenised as the actor
stage's scan does (``service.text.fold``, word tokens, punctuation kept as the gap before a
token), so training and tagging see the same tokens. Training is deterministic (L-BFGS).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import msgspec
import pycrfsuite

from service import corpora
from service.extract.actors.scan import TOKEN_RE
from service.extract.actors.tagger import MODEL_PATH, GateWeights, features, margin, own_features
from service.text import fold

CONTEXT_FEATURES = ("bigram=", "g-=", "g+=", "gz=")  # not features of the word alone
PARAMS = {
    "c1": 0.05,  # L1: drops most rare word features, keeps the model small
    "c2": 0.01,
    "max_iterations": 150,
    "feature.possible_transitions": True,
    "feature.minfreq": 1,
}


def scan_sequence(sentence: corpora.TaggedSentence) -> tuple[list[str], list[str], list[str]]:
    """(folded word tokens, punctuation before each, BIO tags) of a corpus sentence, tokenised
    as ``Scan`` tokenises ``doc.norm``: a corpus token may give several word tokens or none."""
    parts: list[str] = []
    owner: list[int] = []
    for k, token in enumerate(sentence.tokens):
        folded = fold(token)
        if parts:
            parts.append(" ")
            owner.append(-1)
        parts.extend(folded)
        owner.extend([k] * len(folded))
    norm = "".join(parts)
    tokens: list[str] = []
    gaps: list[str] = []
    tags: list[str] = []
    previous_end = 0
    seen: set[int] = set()
    for m in TOKEN_RE.finditer(norm):
        k = owner[m.start()]
        tag = sentence.tags[k]
        if tag != "O" and k in seen:
            tag = "I-" + tag[2:]
        seen.add(k)
        tokens.append(m.group())
        gaps.append(norm[previous_end : m.start()].strip() if tokens[:-1] else "")
        tags.append(tag)
        previous_end = m.end()
    return tokens, gaps, tags


def training_sentences(parts: list[corpora.Split], with_aqmar: bool) -> list[corpora.TaggedSentence]:
    if "test" in parts:
        raise ValueError("the NewsFANE test split is for measuring only")
    sentences = corpora.newsfane_split(*parts)
    return [*sentences, *corpora.aqmar()] if with_aqmar else sentences


def train(sentences: list[corpora.TaggedSentence], out: Path) -> int:
    """Train on ``sentences`` and write the model to ``out``; returns the number of sequences."""
    trainer = pycrfsuite.Trainer(verbose=False)
    count = 0
    vocabulary: set[str] = set()
    for sentence in sentences:
        tokens, gaps, tags = scan_sequence(sentence)
        if tokens:
            trainer.append(features(tokens, gaps), tags)
            vocabulary.update(tokens)
            count += 1
    trainer.set_params(PARAMS)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    write_gate(out, vocabulary)
    return count


def write_gate(model: Path, vocabulary: set[str]) -> None:
    """Write the gate beside the model (``tagger.NameTagger``): the name score of every training
    word from the model's weights of its own features, and the weights of the affix and flag
    features for other words, so tagging needs no dump of the model at load time."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    info = tagger.info()
    index = {label: int(k) for label, k in info.labels.items()}
    labels = sorted(index, key=index.__getitem__)
    own: dict[str, list[float]] = {}
    for (attribute, label), weight in info.state_features.items():
        if ":" not in attribute and not attribute.startswith(CONTEXT_FEATURES):
            own.setdefault(attribute, [0.0] * len(labels))[index[label]] = weight
    outside = labels.index("O")
    words = {
        word: round(margin([own[f] for f in own_features(word) if f in own], outside), 2)
        for word in sorted(vocabulary)
    }
    weights = {
        f: round(margin([row], outside), 3)
        for f, row in sorted(own.items())
        if f.startswith(("p3=", "x3=", "f="))
    }
    gate = GateWeights(words=words, weights=weights)
    model.with_suffix(".gate.json").write_bytes(msgspec.json.encode(gate))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parts", nargs="+", choices=["train", "dev"], default=["train", "dev"])
    parser.add_argument("--no-aqmar", action="store_true", help="NewsFANE only")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        sentences = training_sentences(args.parts, not args.no_aqmar)
    except corpora.CorpusMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    count = train(sentences, args.out)
    size = args.out.stat().st_size
    print(
        f"trained on {count} sentences ({'+'.join(args.parts)}"
        f"{'' if args.no_aqmar else ' + AQMAR'}) in {time.perf_counter() - started:.0f} s: "
        f"{args.out} ({size / 1e6:.1f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
