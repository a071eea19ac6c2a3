"""Measure the extractor's components on the public annotated corpora (fixed splits, ``service.corpora``).

Usage::

    python -m service.extract.evaluate_corpora            # both, on the test splits
    python -m service.extract.evaluate_corpora newsfane --split dev
    python -m service.extract.evaluate_corpora gsr --json

* NewsFANE (names): persons, organisations and places found, by span overlap, for the rules
  alone, the name tagger alone and the actors stage as shipped (rules + tagger). The sentences are
  read as articles of ten consecutive sentences (one per line), so in-article linking (surnames,
  anaphora) works as on news. Anaphora mentions ("الوزير") are not names and are not scored.
* arabic_event_gsr (events): sentence-level precision and recall of ASSAULT and PROTEST for the
  rules (an event of that type extracted from the sentence), the lemma matches alone (a trigger of
  that type matched on its lemma, no context rule) and the events stage as shipped.

Test splits are for published numbers: nothing is trained or tuned on them (``--split dev`` is for
tuning). The corpora are third-party and stay in ``../shared/corpus``; a missing corpus is one line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec

from service import corpora
from service.extract.actors import tagged, tagger
from service.extract.actors.find import KB
from service.extract.actors.scan import Scan
from service.extract.document import Document
from service.extract.evaluate import Score
from service.extract.events import lemmas
from service.extract.events.lexicon import event_lexicon
from service.extract.pipeline import extract_document

ARTICLE_SENTENCES = 10
KIND_CLASS = {"person": "PER", "organization": "ORG", "country": "LOC", "place": "LOC"}
CLASS_NAMES = {"PER": "persons", "ORG": "organisations", "LOC": "places"}
Span = tuple[int, int, str]  # start, end (characters of the article text), class


class NamedArticle(msgspec.Struct, frozen=True):
    """Consecutive tagged sentences joined into one article text, with the gold spans in it."""

    text: str
    gold: list[Span]
    token_spans: list[list[tuple[int, int]]]


def named_articles(sentences: list[corpora.TaggedSentence]) -> list[NamedArticle]:
    """Articles of ``ARTICLE_SENTENCES`` consecutive sentences, tokens joined by spaces."""
    out = []
    for k in range(0, len(sentences), ARTICLE_SENTENCES):
        parts: list[str] = []
        gold: list[Span] = []
        token_spans: list[list[tuple[int, int]]] = []
        pos = 0
        for s in sentences[k : k + ARTICLE_SENTENCES]:
            spans = []
            for token in s.tokens:
                spans.append((pos, pos + len(token)))
                pos += len(token) + 1
            gold.extend((spans[a][0], spans[b - 1][1], cls) for a, b, cls in entity_ranges(s.tags))
            token_spans.append(spans)
            parts.append(" ".join(s.tokens))
        out.append(NamedArticle("\n".join(parts), gold, token_spans))
    return out


def entity_ranges(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first token, end token, class) of each entity in a BIO tag sequence."""
    return [(s.first, s.last + 1, s.cls) for s in tagger.spans_of(tags, [1.0] * len(tags))]


def rule_spans(doc: Document) -> list[Span]:
    """The name mentions of an extracted article (anaphora left out), as classed spans."""
    out = []
    for m in doc.mentions:
        cls = KIND_CLASS.get(doc.entities[m.entity].kind)
        if cls is None or m.method == "anaphora":
            continue
        out.append((m.start, m.end, cls))
    return out


def score_spans(gold: list[Span], found: list[Span], scores: dict[str, Score]) -> None:
    """Add one article's overlap matches: a gold span is found when a span of its class overlaps
    it; a found span is right when it overlaps a gold span of its class."""
    for cls in CLASS_NAMES:
        g = [(a, b) for a, b, c in gold if c == cls]
        f = [(a, b) for a, b, c in found if c == cls]
        hit = sum(1 for a, b in g if any(x < b and a < y for x, y in f))
        right = sum(1 for x, y in f if any(x < b and a < y for a, b in g))
        scores[cls].tp += hit
        scores[cls].fn += len(g) - hit
        scores[cls].fp += len(f) - right


def evaluate_newsfane(split: corpora.Split) -> dict[str, Any]:
    """Rules alone, the tagger alone and the actors stage as shipped (rules + tagger) on one
    NewsFANE split; the tagger alone tags every sentence, without the gate or the thresholds.
    "added by tagger" scores only the mentions the tagger added (its precision is theirs)."""
    names = ("rules", "tagger", "rules+tagger", "added by tagger")
    scores = {name: {cls: Score() for cls in CLASS_NAMES} for name in names}
    articles = named_articles(corpora.newsfane_split(split))
    model = tagger.name_tagger()
    for art in articles:
        shipped = extract_document(art.text)
        score_spans(art.gold, rule_spans(shipped), scores["rules+tagger"])
        added = [
            (m.start, m.end, KIND_CLASS[shipped.entities[m.entity].kind])
            for m in shipped.mentions
            if m.method == "model"
        ]
        score_spans(art.gold, added, scores["added by tagger"])
        with tagger_disabled():
            alone = extract_document(art.text)
        score_spans(art.gold, rule_spans(alone), scores["rules"])
        if model is not None:
            score_spans(art.gold, tagger_spans(alone, model), scores["tagger"])
    return {
        "split": split,
        "sentences": sum(len(a.token_spans) for a in articles),
        "systems": {name: {CLASS_NAMES[c]: s.row() for c, s in by.items()} for name, by in scores.items()},
    }


def tagger_spans(doc: Document, model: tagger.NameTagger) -> list[Span]:
    """Every span the tagger tags in an article, as classed verbatim spans."""
    scan = Scan(doc, KB)
    out = []
    for span in tagger.tag_scan(scan, model, gated=False):
        start, end = doc.span_of_norm(scan.starts[span.first], scan.ends[span.last])
        out.append((start, end, span.cls))
    return out


@contextmanager
def tagger_disabled() -> Iterator[None]:
    """The actors stage without the tagger, for the rules-alone figures."""
    path = tagger.current_model()
    tagger.use_model(None)
    try:
        yield
    finally:
        tagger.use_model(path)


def evaluate_gsr(split: corpora.Split) -> dict[str, Any]:
    """Sentence-level detection of ASSAULT and PROTEST on one arabic_event_gsr split: the trigger
    lexicon alone (surface forms; surface forms and lemmas), the rules on surface forms, and the
    events stage as shipped (rules with lemma triggers)."""
    out: dict[str, Any] = {"split": split, "types": {}}
    with lemmas_disabled():
        surface = event_lexicon().triggers
    lemma = event_lexicon().triggers
    for event_type in corpora.GSR_FILES:
        sentences = corpora.event_gsr_split(event_type, split)
        names = ("surface triggers", "lemma triggers", "rules", "rules+lemmas")
        systems = {name: Score() for name in names}
        with lemmas_disabled():
            surface_docs = [extract_document(s.text) for s in sentences]
        for s, rules in zip(sentences, surface_docs, strict=True):
            shipped = extract_document(s.text)
            tokens = [t for sentence in shipped.sentences for t in sentence.tokens]
            said = {
                "surface triggers": any(h.payload.type == event_type for h in surface.find(tokens)),
                "lemma triggers": any(h.payload.type == event_type for h in lemma.find(tokens)),
                "rules": any(e.plover_type == event_type for e in rules.events),
                "rules+lemmas": any(e.plover_type == event_type for e in shipped.events),
            }
            for name, yes in said.items():
                score = systems[name]
                score.tp += yes and s.positive
                score.fp += yes and not s.positive
                score.fn += s.positive and not yes
        out["types"][event_type] = {
            "sentences": len(sentences),
            "positive": sum(s.positive for s in sentences),
            "systems": {name: score.row() for name, score in systems.items()},
        }
    return out


@contextmanager
def lemmas_disabled() -> Iterator[None]:
    """The events stage on surface forms only, for the rules-alone figures."""
    lemmas.use_lemmas(False)
    try:
        yield
    finally:
        lemmas.use_lemmas(True)


def _print_newsfane(report: dict[str, Any]) -> None:
    print(
        f"NewsFANE {report['split']} ({report['sentences']} sentences): found / precision / F1, span overlap"
    )
    for name, by in report["systems"].items():
        cells = "  ".join(
            f"{cls} {r['recall']:.2f} / {r['precision']:.2f} / {r['f1']:.2f}" for cls, r in by.items()
        )
        print(f"  {name:<14} {cells}")


def _print_gsr(report: dict[str, Any]) -> None:
    print(f"arabic_event_gsr {report['split']}: sentence-level precision / recall / F1")
    for event_type, by in report["types"].items():
        print(f"  {event_type} ({by['sentences']} sentences, {by['positive']} positive)")
        for name, r in by["systems"].items():
            print(f"    {name:<14} {r['precision']:.2f} / {r['recall']:.2f} / {r['f1']:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", choices=["newsfane", "gsr", "all"], default="all")
    parser.add_argument("--split", choices=["test", "dev"], default="test")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--tagger-model", type=Path, help="another name-tagger model file (for tuning)")
    parser.add_argument(
        "--tagger-policy",
        type=tagged.parse_policy,
        help='another tagger policy as JSON (for tuning), e.g. \'{"first": ["PER", "ORG", "LOC"]}\'',
    )
    args = parser.parse_args(argv)
    if args.tagger_model is not None:
        tagger.use_model(args.tagger_model)
    if args.tagger_policy is not None:
        tagged.use_policy(args.tagger_policy)
    try:
        reports: dict[str, Any] = {}
        if args.corpus in ("newsfane", "all"):
            reports["newsfane"] = evaluate_newsfane(args.split)
        if args.corpus in ("gsr", "all"):
            reports["gsr"] = evaluate_gsr(args.split)
    except corpora.CorpusMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(msgspec.json.encode(reports).decode())
    else:
        if "newsfane" in reports:
            _print_newsfane(reports["newsfane"])
        if "gsr" in reports:
            _print_gsr(reports["gsr"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
