"""The floor an incremental merge competes with: the same articles merged from scratch, in memory.

    .venv/bin/python -m bench.merge_floor [--limit 5000] [--name merge-floor]

Takes the extractions ``bench/merge_replay.py`` cached (``.data/merge-replay/``; run the replay first
with the same or a larger ``--limit``) and merges all of them at once into nothing, as a full build
does (``merge.engine.merge`` over ``EmptyStore``: no database, no writes). Reports the Python CPU
per article in all and per layer (actors, documents, events, claims, finish). This is what one
article costs when the merge sees every article at once; an incremental merge of chunks of 100 pays
it plus what it re-reads and re-derives of the stored state. Nothing is written to the database.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("MARSAD_TREE") or str(Path(__file__).resolve().parents[1]))

from bench.merge_replay import documents
from service.extract.pipeline import EXTRACTOR_VERSION
from service.merge.engine import merge, run_sync
from service.merge.state import EmptyStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=5000, help="the first N corpus records (cached)")
    parser.add_argument("--name", default="merge-floor", help="results file name (bench/results/NAME.json)")
    args = parser.parse_args()
    docs = documents(args.limit)
    gc.collect()
    gc.freeze()
    load_before = os.getloadavg()
    cpu, wall = time.process_time(), time.perf_counter()
    delta = run_sync(merge(EmptyStore(), docs, [], EXTRACTOR_VERSION))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = len(docs)
    report = {
        "extractor": EXTRACTOR_VERSION,
        "articles": n,
        "python_cpu_ms_per_article": round(1000 * cpu / n, 2),
        "wall_ms_per_article": round(1000 * wall / n, 2),
        "layer_ms_per_article": {k: round(1000 * v / n, 2) for k, v in delta.timings.items()},
        "counts": dict(delta.counts),
        "events": len(delta.events),
        "claims": len(delta.claims),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }
    out = Path(__file__).resolve().parent / "results" / f"{args.name}.json"
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
