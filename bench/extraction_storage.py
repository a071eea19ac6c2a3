"""What storing an extraction costs Postgres, by column type and storage: the backend's CPU to take
``N`` stored extractions by ``COPY`` (as ``loader.stage_extractions`` does) and to read them back as
text (as ``corpus.documents`` does), and the bytes they take.

    .venv/bin/python -m bench.extraction_storage [--count 500] [--rounds 3]

The extractions are those of the first ``--count`` SaudiNewsNet records, from the cache
``bench/merge_replay.py`` keeps (it builds it when missing: it reads ``../shared/corpus``). Each
variant gets a new table a round, in alternating order (A B C D, D C B A, ...), on a fresh database
of the benchmark server (``bench/db.py``; ``DATABASE_URL`` to share one).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg

from bench import db as bench_db
from bench.merge_replay import backend_cpu, documents
from service.db.rows import stored_extraction

VARIANTS = [("jsonb", "extended"), ("json", "extended"), ("json", "external"), ("text", "extended")]
"""(column type, storage): jsonb as before migration 0015, json since (compressed, the default
storage), json uncompressed out of line, and plain text."""


async def measure(count: int, rounds: int) -> dict[str, Any]:
    docs = documents(max(count, 3000))[:count]
    records = sorted((d.sha256, stored_extraction(d)) for d in docs)
    name = f"marsad_bench_storage_{os.getpid()}"
    dsn = await bench_db.create_database(name)
    conn = await asyncpg.connect(dsn)
    results: dict[str, list[dict[str, float]]] = {f"{t} {s}": [] for t, s in VARIANTS}
    try:
        pid = await conn.fetchval("SELECT pg_backend_pid()")
        for r in range(rounds):
            for sql_type, storage in VARIANTS if r % 2 == 0 else VARIANTS[::-1]:
                table = f"stored_{sql_type}_{storage}_{r}"
                await conn.execute(
                    f"CREATE TABLE {table} (sha256 text PRIMARY KEY, extraction {sql_type});"
                    f"ALTER TABLE {table} ALTER COLUMN extraction SET STORAGE {storage}"
                )
                cpu = backend_cpu(pid)
                await conn.copy_records_to_table(table, records=records, columns=["sha256", "extraction"])
                written = backend_cpu(pid) - cpu
                cpu = backend_cpu(pid)
                await conn.fetch(f"SELECT extraction::text FROM {table}")
                read = backend_cpu(pid) - cpu
                size = await conn.fetchval(f"SELECT pg_total_relation_size('{table}')")
                results[f"{sql_type} {storage}"].append(
                    {
                        "write_ms": round(1000 * written / count, 3),
                        "read_ms": round(1000 * read / count, 3),
                        "bytes": size // count,
                    }
                )
    finally:
        await conn.close()
        await bench_db.drop_database(name)
    return {
        "articles": count,
        "json_bytes_per_article": sum(len(e.encode()) for _, e in records) // count,
        "per_article_by_variant": results,
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="the first N corpus records")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--name", default="extraction-storage", help="results file (bench/results/NAME.json)")
    args = parser.parse_args()
    load = [round(x, 2) for x in os.getloadavg()]
    report = {"load_before": load, **asyncio.run(measure(args.count, args.rounds))}
    out = Path(__file__).resolve().parent / "results" / f"{args.name}.json"
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
