"""Extraction rate over real SaudiNewsNet articles on one core, cold (each article extracted once).

Usage (pin one core; compare versions in interleaved runs and note the load average)::

    taskset -c 1 .venv/bin/python bench/corpus_extraction.py --count 2000
    taskset -c 1 .venv/bin/python bench/corpus_extraction.py --count 2000 --without tagger,lemmas

    taskset -c 1 .venv/bin/python bench/corpus_extraction.py --count 2000 --warm

The sample is every 7th article of every day but the held-back evaluation days (2015-08-01,
2015-08-02), which are never read. The knowledge base and
lexicons are loaded on one short text before the clock starts; everything else (per-word caches,
the tagger's word features) starts cold. ``--warm`` extracts the sample once before the clock, so
every per-word cache is warm. Prints one JSON line: articles/s of CPU time, mean characters, ms per
article and per stage, and ``first_article_ms``: the CPU time of the process from its start (the
interpreter, the imports and loading every data file and model) to the end of its first real
article (one outside the sample), i.e. the latency of a cold start.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("MARSAD_TREE") or str(Path(__file__).resolve().parents[1]))

from service import corpora
from service.extract import pipeline
from service.extract.document import Document

HELD_BACK = frozenset(corpora.HELD_BACK_DAYS)  # a real evaluation slice: never read here
STRIDE = 7  # every 7th article of each day, so a sample spans outlets and days


def articles(days: list[str], count: int) -> list[str]:
    """Every ``STRIDE``-th non-empty article of the days, in order, up to ``count``."""
    if HELD_BACK & set(days):
        raise SystemExit(f"error: {sorted(HELD_BACK & set(days))} are held back for evaluation")
    texts = [a.content for a in corpora.saudinewsnet(days) if a.content.strip()]
    return texts[::STRIDE][:count]


def default_days() -> str:
    return ",".join(d for d in corpora.saudinewsnet_days() if d not in HELD_BACK)


def disable(components: list[str]) -> None:
    """Switch off statistical components by name (for before/after runs in one tree)."""
    for name in components:
        if name == "tagger":
            from service.extract.actors import tagger

            tagger.use_model(None)
        elif name == "lemmas":
            from service.extract.events import lemmas

            lemmas.use_lemmas(False)
        elif name:
            raise SystemExit(f"error: unknown component {name!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--days", help="comma-separated days (default: all but the held-back ones)")
    parser.add_argument("--without", default="", help="comma-separated: tagger, lemmas")
    parser.add_argument("--stages", action="store_true", help="also time each stage")
    parser.add_argument("--warm", action="store_true", help="extract the sample once before timing it")
    args = parser.parse_args()
    disable(args.without.split(","))
    started = time.process_time()  # the interpreter and the imports (the knowledge base loads on import)
    days = (args.days or default_days()).split(",")
    first = [a.content for a in corpora.saudinewsnet(days[:1]) if a.content.strip()][1]  # not in the sample
    t = time.process_time()
    pipeline.extract_document(first)  # loads the remaining lexicons and the tagger's model
    first_article_ms = 1000 * (started + time.process_time() - t)
    texts = articles(days, args.count)
    pipeline.extract_document("زار وزير الخارجية موسكو أمس.")
    if args.warm:
        for text in texts:
            pipeline.extract_document(text)
    stage_cpu = {s.name: 0.0 for s in pipeline.STAGES}
    start = time.process_time()
    for text in texts:
        if args.stages:
            doc = Document(text=text, meta=pipeline.SourceMeta(), sha256=pipeline.text_sha256(text))
            for stage in pipeline.STAGES:
                t = time.process_time()
                stage.run(doc)
                stage_cpu[stage.name] += time.process_time() - t
        else:
            pipeline.extract_document(text)
    cpu = time.process_time() - start
    report = {
        "articles": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts)),
        "articles_per_s": round(len(texts) / cpu, 1),
        "ms_per_article": round(1000 * cpu / len(texts), 3),
        "without": args.without,
        "warm": args.warm,
        "first_article_ms": round(first_article_ms, 1),
        "load_average": os.getloadavg()[0],
    }
    if args.stages:
        report["stages_ms"] = {k: round(1000 * v / len(texts), 3) for k, v in stage_cpu.items()}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
