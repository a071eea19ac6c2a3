"""Does a learned event-pair matcher beat the hand rules across articles? (issue #15, item 3)

    .venv/bin/python bench/pair_matcher.py --out bench/results/pair_matcher.json --write /tmp/pm.json
    .venv/bin/python bench/pair_matcher.py --model /tmp/pm.json --replay 3000 --sample /tmp/read.txt
    .venv/bin/python bench/pair_matcher.py --model /tmp/pm.json --written

Measured, not shipped (docs/extraction.md, "Across articles: a learned matcher (eighth session)").
The model and its decision are ``bench/pair_model.py``.

For each of the nine real development batches (``real-dev`` .. ``real-dev9``; never the held-back
set) the real pipeline extracts the articles and the real merge builds the dataset. Every event-pair
candidate the merge scores (``layer_events.match_score``, the blocking keys' pairs) is recorded with
its features (``pair_features``) and the rule's decision. A report is labelled with the gold event
whose evidence sentence its span overlaps in the same article (and whose types include its type);
a cross-article pair of two labelled reports is 1 when both are one gold event, else 0.

Then, leave one batch out: a logistic regression (pure Python, ``fit_logistic``) is trained on the
labelled cross-article pairs of eight batches, its threshold chosen on those eight (the lowest at
which its pair precision is at least the rules' there), and the ninth batch is merged again with the
model deciding every cross-article pair (within-article pairs stay with the rules). Reported per
batch and summed, rules beside model: multi-article events attributed to every article (the
evaluator's ``multi_article_merged``), and the joins made: cross-article report pairs put in one
event that are one gold event (right) or two (wrong).

Also reported: how many gold multi-article events have their reports in two articles extracted at
all, and of those, how many have a candidate pair across articles at all (blocking's ceiling: a
matcher cannot join what blocking never proposes).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import msgspec

sys.path.insert(0, os.environ.get("MARSAD_TREE") or str(Path(__file__).resolve().parents[1]))

from bench.pair_model import (
    FEATURES,
    PairModel,
    learned_decision,
    load_pair_model,
    pair_features,
)
from service.extract.evaluate_real import evaluate_real
from service.extract.pipeline import extract_document
from service.extract.real_set import load_set, read_articles
from service.merge import layer_events
from service.merge.build import build_dataset
from service.merge.event_clusters import match_score as rule_score
from service.merge.event_units import EventUnit

VARIANTS = [
    # (name, mode, half-labelled pairs as negatives)
    ("model", "full", False),
    ("model_neg", "full", True),
    ("veto", "veto", False),
    ("veto_neg", "veto", True),
    ("hybrid_neg", "hybrid", True),
]
TRAINED_ON = (
    "cross-article report pairs of real-dev, real-dev2 .. real-dev9 (SaudiNewsNet), half-labelled pairs "
    "as negatives: .venv/bin/python bench/pair_matcher.py --write PATH"
)
SETS = ["real-dev", *(f"real-dev{n}" for n in range(2, 10))]
ORIGINAL = layer_events.match_score


def fit_logistic(
    rows: list[list[float]], labels: list[int], l2: float = 0.01, steps: int = 400
) -> list[float]:
    """Logistic regression by batch gradient descent with L2 (deterministic, pure Python)."""
    w = [0.0] * len(rows[0])
    pos = sum(labels) or 1
    neg = (len(labels) - sum(labels)) or 1
    weight = {1: len(labels) / (2 * pos), 0: len(labels) / (2 * neg)}  # balanced classes
    rate = 0.5
    for _ in range(steps):
        grad = [l2 * x for x in w]
        grad[0] = 0.0
        for x, y in zip(rows, labels, strict=True):
            p = _sigmoid(sum(wi * xi for wi, xi in zip(w, x, strict=True)))
            g = (p - y) * weight[y] / len(rows)
            for i, xi in enumerate(x):
                grad[i] += g * xi
        w = [wi - rate * gi for wi, gi in zip(w, grad, strict=True)]
    return w


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def predict(w: list[float], x: list[float]) -> float:
    return _sigmoid(sum(wi * xi for wi, xi in zip(w, x, strict=True)))


class Recorder:
    """Stands in for ``match_score``: the rules (``rule_score``) on every pair, recording each
    cross-article candidate with its features; with a model, ``learned_decision`` corrects them."""

    def __init__(self, model: PairModel | None = None) -> None:
        self.model = model
        self.pairs: list[tuple[EventUnit, EventUnit, list[float], bool]] = []
        self.units: dict[Any, EventUnit] = {}
        self.decisions: list[tuple[Any, Any, bool, bool]] = []

    def __call__(
        self,
        a: EventUnit,
        b: EventUnit,
        actors: Any,
        rules: Any,
        inferring: bool = False,
        published: Any = None,
    ) -> Any:
        result = rule_score(a, b, actors, rules, inferring=inferring, published=published)
        self.units[a.key], self.units[b.key] = a, b
        if inferring or a.key[0] == b.key[0]:
            return result
        self.pairs.append((a, b, pair_features(a, b, actors, result), result is not None))
        if self.model is None:
            return result
        decided = learned_decision(a, b, actors, rules, result, self.model)
        self.decisions.append((a.key, b.key, result is not None, decided is not None))
        return decided


def as_model(w: list[float], threshold: float, adding: float) -> PairModel:
    return PairModel(
        features=list(FEATURES), weights=w, threshold=threshold, adding_threshold=adding, trained_on="bench"
    )


def label_units(
    gold: Any, texts: dict[str, str], units: list[EventUnit], sha_of: dict[str, str]
) -> dict[Any, str]:
    """Report key -> gold event key, by the gold evidence sentence its span overlaps."""
    spans: dict[str, list[tuple[int, int, str, list[str]]]] = defaultdict(list)
    for g in gold.events:
        for article, quote in g.evidence.items():
            sha = sha_of.get(article)
            if sha is None or not quote:
                continue
            start = texts[sha].find(quote)
            if start >= 0:
                spans[sha].append((start, start + len(quote), g.key, g.types))
    out = {}
    for u in units:
        end = u.offset + len(u.quote)
        for s, t, key, types in spans.get(u.key[0], []):
            if s < end and u.offset < t and u.type in types:
                out[u.key] = key
                break
    return out


def run_batch(name: str, docs: list[Any], model: PairModel | None) -> dict[str, Any]:
    gold = load_set(name)
    recorder = Recorder(model)
    layer_events.match_score = recorder  # type: ignore[assignment]
    try:
        dataset = build_dataset(docs, "pair-matcher")
    finally:
        layer_events.match_score = ORIGINAL  # type: ignore[assignment]
    report = evaluate_real(dataset, gold)
    sha_of = {a.key: a.sha256 for a in gold.articles}
    texts = {d.sha256: d.text for d in docs}
    units = recorder.units
    labels = label_units(gold, texts, list(units.values()), sha_of)
    # joins made: cross-article pairs of labelled reports that ended in one event (transitive
    # joins included), right when one gold event, wrong when two; and joins of unlabelled reports
    src_of = {r.source.sha256: r.source.id for r in dataset.sources}
    by_span = {(src_of[k[0]], u.offset): lab for k, lab in labels.items() for u in [units[k]]}
    right = wrong = unknown = 0
    for e in dataset.events:
        atts = [(att.source_id, by_span.get((att.source_id, att.span[0]))) for att in e.attributions]
        for i, (sa, la) in enumerate(atts):
            for sb, lb in atts[i + 1 :]:
                if sa == sb:
                    continue
                if la is None or lb is None:
                    unknown += 1
                else:
                    right += la == lb
                    wrong += la != lb
    rows, half = [], []
    for a, b, x, rule in recorder.pairs:
        la, lb = labels.get(a.key), labels.get(b.key)
        if la is not None and lb is not None:
            rows.append((x, int(la == lb), rule))
        elif la is not None or lb is not None:
            half.append((x, 0, rule))  # one report is a gold event, the other none: not one event
    # blocking's ceiling: gold multi-article events with a labelled report in two articles, and a
    # candidate pair across articles between two of their reports
    linked: dict[str, set[frozenset[str]]] = defaultdict(set)
    for a, b, _, _ in recorder.pairs:
        la, lb = labels.get(a.key), labels.get(b.key)
        if la is not None and la == lb:
            linked[la].add(frozenset((a.key[0], b.key[0])))
    multi = [g for g in gold.events if g.core and len(g.sources) > 1]
    events = report["events"]
    return {
        "merged": events["multi_article_merged"],
        "found": events["found"],
        "right_joins": right,
        "wrong_joins": wrong,
        "unlabelled_joins": unknown,
        "rows": rows,
        "half": half,
        "multi_events": len(multi),
        "with_candidate_pair": sum(1 for g in multi if linked.get(g.key)),
    }


def choose_threshold(w: list[float], rows: list[tuple[list[float], int, bool]]) -> float:
    """The lowest threshold at which the model's pair precision on the training pairs is at least the
    rules' there (the rules' precision: labelled pairs the rule accepts that are one gold event)."""
    accepted = [y for _, y, rule in rows if rule]
    target = sum(accepted) / len(accepted) if accepted else 1.0
    for t in [i / 20 for i in range(4, 20)]:
        chosen = [y for x, y, _ in rows if predict(w, x) >= t]
        if chosen and sum(chosen) / len(chosen) >= target:
            return t
    return 0.95


def adding_threshold(w: list[float], rows: list[tuple[list[float], int, bool]], least: float = 0.8) -> float:
    """The lowest threshold at which the model's additions (training pairs the rules refuse) are at
    least ``least`` right (one gold event)."""
    for t in [i / 20 for i in range(10, 20)]:
        chosen = [y for x, y, rule in rows if not rule and predict(w, x) >= t]
        if chosen and sum(chosen) / len(chosen) >= least:
            return t
    return 1.01


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="")
    parser.add_argument("--write", default="", help="write the model fitted on all nine batches here")
    parser.add_argument("--model", default="", help="with --replay: a weights file --write wrote")
    parser.add_argument("--written", action="store_true", help="instead: flips over the written articles")
    parser.add_argument("--replay", type=int, default=0, help="instead: the first N records of 07-21..23")
    parser.add_argument("--sample", default="", help="with --replay: write the joins gained and lost here")
    args = parser.parse_args()
    if args.written:
        written(load_pair_model(Path(args.model)))
        return
    if args.replay:
        replay(args.replay, load_pair_model(Path(args.model)), args.sample)
        return
    docs = {}
    for name in SETS:
        articles = read_articles(load_set(name))
        docs[name] = [extract_document(text, meta) for text, meta in articles]
    base = {name: run_batch(name, docs[name], None) for name in SETS}
    keys = ("merged", "found", "right_joins", "wrong_joins", "unlabelled_joins")
    results: dict[str, Any] = {"features": FEATURES, "batches": {}}
    for held in SETS:
        b = base[held]
        row: dict[str, Any] = {
            "pairs": len(b["rows"]),
            "positive": sum(y for _, y, _ in b["rows"]),
            "half_labelled": len(b["half"]),
            "multi_events": b["multi_events"],
            "with_candidate_pair": b["with_candidate_pair"],
            "rules": {k: b[k] for k in keys},
        }
        for variant, mode, negatives in VARIANTS:
            train = [r for name in SETS if name != held for r in base[name]["rows"]]
            if negatives:
                train += [r for name in SETS if name != held for r in base[name]["half"]]
            w = fit_logistic([x for x, _, _ in train], [y for _, y, _ in train])
            t = choose_threshold(w, train)
            adding = {"full": t, "veto": 1.01}.get(mode) or adding_threshold(w, train)
            learned = run_batch(held, docs[held], as_model(w, t, adding))
            row[variant] = {k: learned[k] for k in keys} | {"threshold": t, "adding_threshold": adding}
        results["batches"][held] = row
        print(held, json.dumps(row), flush=True)
    # the shipped model: the hybrid with half-labelled negatives, fitted on all nine batches
    every = [r for name in SETS for r in base[name]["rows"] + base[name]["half"]]
    w = [round(v, 4) for v in fit_logistic([x for x, _, _ in every], [y for _, y, _ in every])]
    final = as_model(w, choose_threshold(w, every), adding_threshold(w, every))
    final = msgspec.structs.replace(final, trained_on=TRAINED_ON)
    results["final"] = msgspec.to_builtins(final)
    print(json.dumps(results["final"]))
    if args.write:
        Path(args.write).write_bytes(msgspec.json.format(msgspec.json.encode(final), indent=1) + b"\n")
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1) + "\n")


def written(model: PairModel) -> None:
    """The decisions the model turns over the articles written for the tests (seeds and
    tests/golden/*/, what ``tests/extract/test_merge_shortcuts.py`` builds): each flip with its two
    sentences."""
    from service.articles import read_articles as read_folder
    from service.config import PROJECT_ROOT

    golden = PROJECT_ROOT / "tests" / "golden"
    folders = [
        PROJECT_ROOT / "seeds",
        *sorted(p for p in golden.iterdir() if p.is_dir() and p.name != "real"),
    ]
    docs = [extract_document(a.text, a.meta) for f in folders for a in read_folder([f])]
    recorder = Recorder(model)
    layer_events.match_score = recorder  # type: ignore[assignment]
    try:
        build_dataset(docs, "pair-matcher")
    finally:
        layer_events.match_score = ORIGINAL  # type: ignore[assignment]
    flips = [(a, b, rule) for a, b, rule, yes in recorder.decisions if rule != yes]
    print(
        f"{len(docs)} written articles, {len(recorder.decisions)} cross-article candidates, {len(flips)} turned"
    )
    for a, b, rule in flips:
        print(
            "refused" if rule else "added", recorder.units[a].quote[:100], "|", recorder.units[b].quote[:100]
        )


REPLAY_DAYS = ["2015-07-21", "2015-07-22", "2015-07-23"]


def _joins(dataset: Any) -> set[tuple[tuple[str, int], tuple[str, int]]]:
    out = set()
    for e in dataset.events:
        atts = sorted((a.source_id, a.span[0]) for a in e.attributions)
        for i, x in enumerate(atts):
            for y in atts[i + 1 :]:
                if x[0] != y[0]:
                    out.add((x, y))
    return out


def replay(limit: int, model: PairModel, sample_path: str) -> None:
    """Merge the first ``limit`` records of 07-21..23 with the rules and with the model (trained on
    all nine batches): the cross-article joins (report pairs in one event) each makes that the other
    does not, and a deterministic sample of each to read."""
    import random

    from bench.ingest_corpus import corpus_submission
    from service.articles import check_submission
    from service.corpora import saudinewsnet

    items = []
    for a in saudinewsnet(REPLAY_DAYS):
        if len(items) >= limit:
            break
        try:
            items.append(check_submission(corpus_submission(a), a.ref))
        except Exception:
            continue
    docs = [extract_document(text, meta) for text, meta in items]
    sets = {}
    recorder = Recorder(model)
    for name, r in (("rules", Recorder(None)), ("model", recorder)):
        layer_events.match_score = r  # type: ignore[assignment]
        try:
            sets[name] = _joins(build_dataset(docs, "pair-matcher"))
        finally:
            layer_events.match_score = ORIGINAL  # type: ignore[assignment]
    gained, lost = sets["model"] - sets["rules"], sets["rules"] - sets["model"]
    print(
        f"report pairs in one event: rules {len(sets['rules'])}, model {len(sets['model'])}, "
        f"gained {len(gained)}, lost {len(lost)}"
    )
    # the pair decisions themselves (before clustering): which candidate pairs each accepts
    said_yes = [(a, b) for a, b, rule, yes in recorder.decisions if yes and not rule]
    said_no = [(a, b) for a, b, rule, yes in recorder.decisions if rule and not yes]
    print(
        f"cross-article candidates {len(recorder.decisions)}, rules accept "
        f"{sum(d[2] for d in recorder.decisions)}, model adds {len(said_yes)}, model refuses {len(said_no)}"
    )
    if sample_path:
        rng = random.Random(15)
        units = recorder.units
        lines = []
        for title, pairs in (("ADDED", said_yes), ("REFUSED", said_no)):
            for x, y in sorted(rng.sample(sorted(pairs), min(30, len(pairs)))):
                lines.append(f"{title} {x[0][:10]}:{x[1]} {y[0][:10]}:{y[1]}")
                for u in (units[x], units[y]):
                    lines.append(f"  [{u.type}/{u.mode}/{u.start}/{u.published}] {u.quote}")
                lines.append("")
        Path(sample_path).write_text("\n".join(lines))


if __name__ == "__main__":
    main()
