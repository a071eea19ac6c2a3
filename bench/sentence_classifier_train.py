"""Train and measure the event-sentence classifier (``sentence_classifier``); scikit-learn is
needed here only (the ``train`` extra), never at extraction time.

Usage::

    python -m bench.sentence_classifier_train evaluate --label any --cache /tmp/b.pkl
    python -m bench.sentence_classifier_train evaluate --label gsr-typed --json
    python -m bench.sentence_classifier_train gsr --spec words --spec words+chars
    python -m bench.sentence_classifier_train train --out /tmp/model.json

Data, read from ``../shared/corpus`` (never committed):

* arabic_event_gsr (MIT): its train split, one binary label per sentence (ASSAULT or PROTEST);
  its dev split scores the typed models against the rules (sentence level, as
  ``evaluate_corpora gsr``); the test split is never read here.
* the nine real dev batches (SaudiNewsNet, CC BY-NC-SA 4.0): every sentence of every article,
  labelled with the types of the gold events whose evidence quote overlaps it ("EVENT" = any).

What is measured, always on data the model was not fitted to:

1. leave one batch out: for each dev batch, a model trained on gsr train + the other eight
   batches scores (b) the sentences of the rule events of that batch (an event is dropped when
   every sentence reporting it scores below a threshold) and (a) the sentences of missed gold
   events against the sentences without any event (how many new events a high score could add,
   and at what cost). The drop threshold is chosen by an inner leave-one-batch-out over the
   eight training batches only (nested), so no batch's own numbers choose its threshold.
2. gsr dev: sentence-level precision / recall / F1 of the typed models beside the rules.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from bench.sentence_classifier import (
    BUCKETS,
    FeatureSpec,
    SentenceModel,
    TypeModel,
    features,
    score,
)
from service import corpora
from service.extract.evaluate_real import RealEvaluation
from service.extract.events.lexicon import event_lexicon
from service.extract.pipeline import extract_document
from service.extract.real_set import load_set, read_articles

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "event_sentences" / "model.json"
BATCHES = ("real-dev", *(f"real-dev{n}" for n in range(2, 10)))
GSR_TYPES = ("ASSAULT", "PROTEST")
ANY = "EVENT"
ADD_THRESHOLDS = (0.3, 0.5, 0.7, 0.9)
THRESHOLDS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)


@dataclass
class Row:
    """One labelled sentence: its text and, per label, 1 / 0 (a label absent = unknown)."""

    text: str
    labels: dict[str, int]
    batch: str = ""


@dataclass
class RuleEvent:
    """A merged rule event of a dev batch: its type, whether the gold matches it, the sentences
    that report it, and the gold events it is matched to."""

    type: str
    matched: bool
    sentences: list[str]
    gold: list[str] = field(default_factory=list)


@dataclass
class Batch:
    name: str
    rows: list[Row]
    events: list[RuleEvent]
    gold_found: set[str]  # core gold events the rules find
    gold_core: int
    missed: list[
        tuple[str, bool]
    ]  # evidence sentences of core gold events the rules miss (+ a trigger of that type?)
    quiet: list[tuple[str, bool]]  # sentences with no gold event and no rule event (+ any trigger?)


def dev_batches(cache: Path | None) -> list[Batch]:
    """The nine dev batches, extracted once (or read back from ``cache``: it holds corpus text,
    so keep it outside the repository)."""
    if cache is not None and cache.exists():
        with cache.open("rb") as handle:
            batches: list[Batch] = pickle.load(handle)
        return batches
    batches = [dev_batch(name) for name in BATCHES]
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump(batches, handle)
    return batches


def gsr_rows(split: corpora.Split) -> list[Row]:
    return [
        Row(s.text, {s.event_type: int(s.positive), **({ANY: 1} if s.positive else {})})
        for t in GSR_TYPES
        for s in corpora.event_gsr_split(t, split)
    ]


def _sentences(text: str) -> tuple[list[tuple[int, int]], list[frozenset[str]]]:
    """The verbatim spans of an article's sentences and the types of the lexicon triggers each
    holds (matched anywhere, before any context rule)."""
    doc = extract_document(text)
    lex = event_lexicon()
    spans = [doc.span_of_norm(s.start, s.end) for s in doc.sentences]
    return spans, [frozenset(h.payload.type for h in lex.triggers.find(s.tokens)) for s in doc.sentences]


def dev_batch(name: str) -> Batch:
    """The labelled sentences, rule events and misses of one real dev batch."""
    from service.merge import extract

    gold = load_set(name)
    articles = read_articles(gold)
    dataset = extract(articles)
    ev = RealEvaluation(dataset, gold)
    read = {
        ev.article_of[r.source.id]: _sentences(r.text)
        for r in dataset.sources
        if r.source.id in ev.article_of
    }
    spans = {art: pair[0] for art, pair in read.items()}
    rows: list[Row] = []
    gold_sentences: dict[tuple[str, int], set[str]] = defaultdict(set)
    gold_of_sentence: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for g in gold.events:
        for art, quote in g.evidence.items():
            text = ev.texts.get(art, "")
            start = text.find(quote) if quote else -1
            if start < 0:
                continue
            for k, (a, b) in enumerate(spans.get(art, [])):
                if a < start + len(quote) and start < b:
                    gold_sentences[(art, k)].update(g.types)
                    gold_of_sentence[art][k].append(g.key)
    event_sentences: set[tuple[str, int]] = set()
    matched_ids = {e.id: key for (key, _), e in ev.pairs.items()}
    gold_by_event: dict[str, list[str]] = defaultdict(list)
    for (key, _), e in ev.pairs.items():
        gold_by_event[e.id].append(key)
    events: list[RuleEvent] = []
    for e in dataset.events:
        texts = []
        for att in e.attributions:
            article = ev.article_of.get(att.source_id)
            if article is None:
                continue
            for k, (a, b) in enumerate(spans[article]):
                if a <= att.span[0] < b:
                    texts.append(ev.texts[article][a:b])
                    event_sentences.add((article, k))
        if texts:
            events.append(RuleEvent(e.type, e.id in matched_ids, texts, sorted(set(gold_by_event[e.id]))))
    found = {g.key for g in gold.events if g.core and ev.matched_events(g)}
    missed: list[tuple[str, bool]] = []
    quiet: list[tuple[str, bool]] = []
    for art, sent_spans in spans.items():
        triggers = read[art][1]
        text = ev.texts[art]
        for k, (a, b) in enumerate(sent_spans):
            types = gold_sentences.get((art, k), set())
            rows.append(
                Row(text[a:b], {ANY: int(bool(types)), **{t: int(t in types) for t in GSR_TYPES}}, name)
            )
            keys = gold_of_sentence[art].get(k, [])
            core_missed = [
                key for key in keys if key not in found and any(g.key == key and g.core for g in gold.events)
            ]
            if core_missed:
                wanted = {t for g in gold.events if g.key in core_missed for t in g.types}
                missed.append((text[a:b], bool(wanted & triggers[k])))
            elif not types and (art, k) not in event_sentences:
                quiet.append((text[a:b], bool(triggers[k])))
    return Batch(name, rows, events, found, sum(g.core for g in gold.events), missed, quiet)


_BUCKET_CACHE: dict[tuple[str, FeatureSpec], list[int]] = {}


def _buckets(text: str, spec: FeatureSpec) -> list[int]:
    key = (text, spec)
    if key not in _BUCKET_CACHE:
        _BUCKET_CACHE[key] = sorted(features(text, spec))
    return _BUCKET_CACHE[key]


def train(rows: list[Row], spec: FeatureSpec, labels: tuple[str, ...], c: float = 1.0) -> SentenceModel:
    """Fit one L2 logistic regression per label on the rows that carry it."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    cache = [_buckets(r.text, spec) for r in rows]
    out: dict[str, TypeModel] = {}
    for label in labels:
        idx = [i for i, r in enumerate(rows) if label in r.labels]
        y = [rows[i].labels[label] for i in idx]
        if len(set(y)) < 2:
            continue
        data, cols, ptr = [], [], [0]
        for i in idx:
            cols.extend(cache[i])
            data.extend([1.0] * len(cache[i]))
            ptr.append(len(cols))
        x = csr_matrix((data, cols, ptr), shape=(len(idx), BUCKETS))
        lr = LogisticRegression(C=c, solver="liblinear", class_weight="balanced")
        lr.fit(x, y)
        coef = lr.coef_[0]
        used = sorted(set(cols))
        out[label] = TypeModel(
            float(lr.intercept_[0]), {b: round(float(coef[b]), 4) for b in used if abs(coef[b]) >= 1e-4}
        )
    return SentenceModel(spec, out)


def event_score(model: SentenceModel, event: RuleEvent, label: str) -> float:
    m = model.labels.get(label) or model.labels[ANY]
    return max(score(m, features(t, model.spec)) for t in event.sentences)


def drop_outcome(batch: Batch, scores: list[float], t: float) -> dict[str, int]:
    """Events found and precision after dropping the rule events scoring below ``t`` (a gold
    event stays found while one of its matched events is kept)."""
    kept = [e for e, s in zip(batch.events, scores, strict=True) if s >= t]
    still = {k for e in kept for k in e.gold}
    found = len({k for k in batch.gold_found if k in still})
    return {
        "found": found,
        "core": batch.gold_core,
        "right": sum(e.matched for e in kept),
        "events": len(kept),
        "dropped_true": sum(e.matched for e in batch.events) - sum(e.matched for e in kept),
        "dropped_false": sum(not e.matched for e in batch.events) - sum(not e.matched for e in kept),
    }


def _utility(outcomes: list[dict[str, int]]) -> float:
    # a found event lost costs more than a false event kept; precision gain must not cost recall
    lost = sum(o["dropped_true"] for o in outcomes)
    gained = sum(o["dropped_false"] for o in outcomes)
    return gained - 3 * lost


def lobo(batches: list[Batch], gsr: list[Row], spec: FeatureSpec, label_mode: str) -> dict[str, Any]:
    """Leave-one-batch-out: per held-out batch, the drop at every threshold and at the nested
    choice; the add potential (missed gold sentences vs quiet sentences above a threshold)."""
    labels = (ANY, *GSR_TYPES)
    out: dict[str, Any] = {"spec": msgspec_dict(spec), "label": label_mode, "batches": {}}
    gsr_model = train(gsr, spec, labels) if label_mode == "gsr-typed" else None

    def scores_of(model: SentenceModel, batch: Batch) -> list[float]:
        if label_mode == "gsr-typed":  # only ASSAULT and PROTEST events can be dropped
            return [event_score(model, e, e.type) if e.type in GSR_TYPES else 1.0 for e in batch.events]
        return [event_score(model, e, e.type if label_mode == "typed" else ANY) for e in batch.events]

    for held in batches:
        rest = [b for b in batches if b is not held]
        model = gsr_model or train(gsr + [r for b in rest for r in b.rows], spec, labels)
        inner_labels = (ANY, *GSR_TYPES) if label_mode == "typed" else (ANY,)
        scores = scores_of(model, held)
        # nested: out-of-fold scores of the eight training batches choose the threshold
        inner: dict[float, list[dict[str, int]]] = defaultdict(list)
        for inner_held in rest:
            inner_model = gsr_model or train(
                gsr + [r for b in rest if b is not inner_held for r in b.rows], spec, inner_labels
            )
            s = scores_of(inner_model, inner_held)
            for t in THRESHOLDS:
                inner[t].append(drop_outcome(inner_held, s, t))
        best = max((0.0, *THRESHOLDS), key=lambda t: (_utility(inner[t]) if t else 0.0, -t))
        any_model = model.labels.get(ANY)  # none when trained on gsr alone (positives only)
        missed = [
            (score(any_model, features(t, spec)) if any_model else 0.0, trig) for t, trig in held.missed
        ]
        quiet = [(score(any_model, features(t, spec)) if any_model else 0.0, trig) for t, trig in held.quiet]
        out["batches"][held.name] = {
            "before": drop_outcome(held, scores, 0.0),
            "grid": {str(t): drop_outcome(held, scores, t) for t in THRESHOLDS},
            "nested_threshold": best,
            "nested": drop_outcome(held, scores, best),
            "add": {
                str(t): {
                    "missed_above": sum(s >= t for s, _ in missed),
                    "missed": len(missed),
                    "quiet_above": sum(s >= t for s, _ in quiet),
                    "quiet": len(quiet),
                    "missed_trigger_above": sum(s >= t and trig for s, trig in missed),
                    "missed_trigger": sum(trig for _, trig in missed),
                    "quiet_trigger_above": sum(s >= t and trig for s, trig in quiet),
                    "quiet_trigger": sum(trig for _, trig in quiet),
                }
                for t in ADD_THRESHOLDS
            },
        }
    return out


def msgspec_dict(spec: FeatureSpec) -> dict[str, Any]:
    result: dict[str, Any] = msgspec.to_builtins(spec)
    return result


def gsr_dev(gsr_train: list[Row], batches: list[Batch], spec: FeatureSpec) -> dict[str, Any]:
    """Typed models (gsr train alone; gsr train + all dev batches) on gsr dev, threshold 0.5."""
    out: dict[str, Any] = {}
    dev = {t: corpora.event_gsr_split(t, "dev") for t in GSR_TYPES}
    for name, rows in (
        ("gsr train", gsr_train),
        ("gsr train + dev batches", gsr_train + [r for b in batches for r in b.rows]),
    ):
        model = train(rows, spec, GSR_TYPES)
        out[name] = {}
        for t in GSR_TYPES:
            tp = fp = fn = 0
            for s in dev[t]:
                yes = score(model.labels[t], features(s.text, spec)) >= 0.5
                tp += yes and s.positive
                fp += yes and not s.positive
                fn += s.positive and not yes
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            out[name][t] = {
                "precision": round(p, 3),
                "recall": round(r, 3),
                "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            }
    return out


def gsr_combined(spec: FeatureSpec) -> dict[str, Any]:
    """The rules with the typed classifier (trained on gsr train only) on gsr dev: (b) a rule
    event kept only when its sentence scores >= t; (a) a sentence holding a trigger of the type
    and scoring >= t counted as an event although the rules gave none."""
    model = train(gsr_rows("train"), spec, GSR_TYPES)
    lex = event_lexicon()
    out: dict[str, Any] = {}
    for event_type in GSR_TYPES:
        systems: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for s in corpora.event_gsr_split(event_type, "dev"):
            doc = extract_document(s.text)
            rules = any(e.plover_type == event_type for e in doc.events)
            trigger = any(
                h.payload.type == event_type
                for sentence in doc.sentences
                for h in lex.triggers.find(sentence.tokens)
            )
            p = score(model.labels[event_type], features(s.text, spec))
            said = {"rules": rules, "classifier >= 0.5": p >= 0.5}
            said |= {f"(b) rules and score >= {t}": rules and p >= t for t in (0.05, 0.1, 0.2, 0.3)}
            said |= {
                f"(a) rules or trigger and score >= {t}": rules or (trigger and p >= t)
                for t in (0.5, 0.7, 0.9)
            }
            for name, yes in said.items():
                counts = systems[name]
                counts[0] += yes and s.positive
                counts[1] += yes and not s.positive
                counts[2] += s.positive and not yes
        out[event_type] = {name: _prf(*c) for name, c in systems.items()}
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
    }


SPECS = {
    "words": FeatureSpec(words=2, stems=True),
    "words+chars": FeatureSpec(words=2, chars_min=2, chars_max=4, stems=True),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["evaluate", "gsr", "train"])
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where `train` writes the model")
    parser.add_argument("--spec", choices=sorted(SPECS), action="append")
    parser.add_argument("--label", choices=["any", "typed", "gsr-typed"], default="any")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--cache", type=Path, help="keep the extracted dev batches in this pickle (outside the repository)"
    )
    args = parser.parse_args(argv)
    if args.command == "train":
        model = train(gsr_rows("train"), SPECS[(args.spec or ["words"])[0]], GSR_TYPES)
        model = SentenceModel(model.spec, model.labels, trained_on="arabic_event_gsr train split (MIT)")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(msgspec.json.encode(model))
        sizes = {k: len(v.weights) for k, v in model.labels.items()}
        print(f"wrote {args.out} ({args.out.stat().st_size} bytes; weights per label {sizes})")
        return 0
    if args.command == "gsr":
        for name in args.spec or ["words"]:
            by_type = gsr_combined(SPECS[name])
            print(f"arabic_event_gsr dev, features {name}: precision / recall / F1")
            for event_type, rows in by_type.items():
                for system, r in rows.items():
                    print(
                        f"  {event_type} {system:<40} {r['precision']:.2f} / {r['recall']:.2f} / {r['f1']:.2f}"
                    )
        return 0
    batches = dev_batches(args.cache)
    gsr = gsr_rows("train")
    report: dict[str, Any] = {}
    for name in args.spec or ["words"]:
        spec = SPECS[name]
        report[name] = {"lobo": lobo(batches, gsr, spec, args.label), "gsr_dev": gsr_dev(gsr, batches, spec)}
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for name, by in report.items():
            print(tables(name, by))
    return 0


def _add_cell(a: dict[str, int], infix: str) -> str:
    if f"missed{infix}" not in a:
        return "-"
    return f"{a[f'missed{infix}_above']}/{a[f'missed{infix}']} vs {a[f'quiet{infix}_above']}/{a[f'quiet{infix}']}"


def _ratio(o: dict[str, int]) -> str:
    return f"{o['found']}/{o['core']}, {o['right']}/{o['events']}"


def tables(name: str, report: dict[str, Any]) -> str:
    """Markdown tables of one spec's report: the drop (before, nested choice, fixed grid) per
    held-out batch, the add potential, and gsr dev."""
    lobo_report = report["lobo"]
    batches = lobo_report["batches"]
    grid = [str(t) for t in THRESHOLDS[:5]]
    lines = [
        f"features {name}, label {lobo_report['label']}: core events found, precision per held-out batch",
        "",
        "| batch | rules | nested (threshold) | " + " | ".join(f"drop < {t}" for t in grid) + " |",
        "|---|---|---|" + "---|" * len(grid),
    ]
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for batch, r in batches.items():
        cells = [_ratio(r["before"]), f"{_ratio(r['nested'])} ({r['nested_threshold']})"]
        cells += [_ratio(r["grid"][t]) for t in grid]
        lines.append(f"| {batch} | " + " | ".join(cells) + " |")
        for key, o in (("before", r["before"]), ("nested", r["nested"]), *((t, r["grid"][t]) for t in grid)):
            for k, v in o.items():
                totals[key][k] += v
    cells = [_ratio(totals["before"]), _ratio(totals["nested"])] + [_ratio(totals[t]) for t in grid]
    lines.append("| all nine | " + " | ".join(cells) + " |")
    add_keys = list(next(iter(batches.values()))["add"])
    for prefix, what in (
        ("", "any sentence"),
        ("_trigger", "only sentences holding a lexicon trigger (of the missed event's type)"),
    ):
        lines += [
            "",
            f"add potential, {what}: missed core-event sentences with EVENT score >= t / "
            "sentences without any gold or rule event with score >= t",
            "",
            "| batch | " + " | ".join(f"t = {t}" for t in add_keys) + " |",
            "|---|" + "---|" * len(add_keys),
        ]
        add_totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for batch, r in batches.items():
            cells = []
            for t, a in r["add"].items():
                cells.append(_add_cell(a, prefix))
                for k, v in a.items():
                    add_totals[t][k] += v
            lines.append(f"| {batch} | " + " | ".join(cells) + " |")
        lines.append("| all nine | " + " | ".join(_add_cell(a, prefix) for a in add_totals.values()) + " |")
    lines += ["", "arabic_event_gsr dev, sentence level, threshold 0.5: precision / recall / F1", ""]
    for trained, by in report["gsr_dev"].items():
        cells = [f"{t} {r['precision']:.2f} / {r['recall']:.2f} / {r['f1']:.2f}" for t, r in by.items()]
        lines.append(f"- {trained}: " + ", ".join(cells))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
