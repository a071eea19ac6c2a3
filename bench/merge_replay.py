"""The merge + write alone, replayed over real articles: where the critical section's time goes.

    .venv/bin/python -m bench.merge_replay [--limit 3000] [--chunk 100] [--name merge-replay]
    MARSAD_TREE=/path/to/other/tree .venv/bin/python bench/merge_replay.py ...   (compare two trees)

The first ``--limit`` SaudiNewsNet records (every day but the held-back ones, which are never read)
are extracted once and cached in ``.data/merge-replay/`` (keyed by extractor version and count; the
cache holds corpus text and is never committed). Then, on a fresh database of the benchmark server
(``bench/db.py``; ``DATABASE_URL`` to share one server between trees), they are merged in chunks of
``--chunk`` articles, each in one transaction under the write lock, exactly as a bulk ingest job's
critical section does (``ingest.merging.merge_into`` with staged extractions). No extraction, no
queue, no HTTP: only what the lock serialises.

Reported per block of 1,000 articles and in total: Python CPU per article (merge, write), the
Postgres backend's CPU per article, wall time, the statements sent (round trips, from the
connection's query logger; a ``COPY`` counts once), the merge's recomputation counts
(``Delta.counts``: dirty documents, reports re-clustered, redescribed actors and their reports), and
the load average. The cached documents are frozen (``gc.freeze``) before the merges, as a worker
freezes what it loaded, so collections do not walk them.
Compare trees only in interleaved runs (A B B A) on a shared machine. ``--profile PATH`` writes a
cProfile of the merges.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, os.environ.get("MARSAD_TREE") or str(Path(__file__).resolve().parents[1]))

import asyncpg
import msgspec

from bench import db as bench_db
from bench.ingest_corpus import corpus_submission
from service.articles import check_submission
from service.corpora import saudinewsnet
from service.db import corpus, migrate
from service.db.pool import init_connection
from service.extract.document import Document
from service.extract.pipeline import EXTRACTOR_VERSION, extract_document
from service.ingest.merging import MergeTimings, merge_into, stage_added

CACHE = Path(__file__).resolve().parents[1] / ".data" / "merge-replay"
TREE = os.environ.get("MARSAD_TREE") or str(Path(__file__).resolve().parents[1])
STORED = "SELECT sha256 FROM sources WHERE sha256 = ANY($1::text[])"
TUPLES = "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables"
"""Rows inserted, updated and deleted per table (``rows_written_per_chunk``: [ins, upd, del])."""
WAL_LSN = "SELECT pg_current_wal_lsn()"
WAL_BYTES = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint"
SIZES = """
SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r' AND pg_total_relation_size(c.oid) > 1000000
ORDER BY pg_total_relation_size(c.oid) DESC
"""
"""The largest tables at the end, heap and indexes apart (``bytes_at_end``: [table, indexes])."""
INDEX_SCANS = """
SELECT relname, indexrelname, idx_scan, pg_relation_size(indexrelid) FROM pg_stat_user_indexes
WHERE relname LIKE 'merge%' OR relname LIKE 'stats%' ORDER BY relname, indexrelname
"""
"""Which indexes of the merge state and the rollups the merges read (``index_scans``: [scans, bytes])."""
WAL_BY_RELATION = """
SELECT coalesce(c.relname, w.relfilenode::text) AS relation, sum(w.block_data_length + w.block_fpi_length)::bigint,
       sum(w.block_fpi_length)::bigint
FROM pg_get_wal_block_info($1::pg_lsn, pg_current_wal_lsn(), false) w
LEFT JOIN pg_class c ON c.oid = pg_filenode_relation(
    CASE WHEN w.reltablespace = (SELECT dattablespace FROM pg_database WHERE datname = current_database())
         THEN 0 ELSE w.reltablespace END, w.relfilenode)
WHERE w.reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
GROUP BY 1 ORDER BY 2 DESC LIMIT 30
"""
"""WAL bytes per table or index over the merges (``--wal-by-relation``, pg_walinspect: after the
timed merges, it reads the whole range): [block data + full-page images, of which full-page images]."""
DUMPED = {
    # table: the columns that say what the dataset is (no timestamps, no per-run versions)
    "events": "id, plover_type, plover_mode, status, date_start, date_end, date_precision, "
    "location_actor_id, summary_en, confidence, source_count, has_conflict, content_hash",
    "event_actors": "*",
    "event_attributions": "*",
    "actors": "id, kind, name_ar, name_en, content_hash",
    "claims": "id, source_id, content_hash",
    "conflicts": "id, kind, subject_actor_id, subject_event_id, field, content_hash",
    "conflict_values": "*",
    "claim_contradictions": "*",
    "merge_unit_links": "*",
    "merge_decisions": "id, kind, target_id, member, rule, evidence",
}
"""What ``--dump`` writes: each table's rows (as text, sorted), to compare two trees' datasets."""


def _extract_one(item: tuple[str, Any]) -> bytes:
    return msgspec.msgpack.encode(extract_document(*item))


def documents(limit: int) -> list[Document]:
    """The first ``limit`` records, extracted (from the cache when it has them)."""
    path = CACHE / f"{EXTRACTOR_VERSION}-{limit}.msgpack"
    if path.is_file():
        return msgspec.msgpack.decode(path.read_bytes(), type=list[Document])
    # A cache of more records holds these as its first ``limit`` (the same records, in the same order).
    larger = sorted(
        (n, p)
        for p in CACHE.glob(f"{EXTRACTOR_VERSION}-*.msgpack")
        if (n := int(p.stem.rpartition("-")[2])) > limit
    )
    if larger:
        return msgspec.msgpack.decode(larger[0][1].read_bytes(), type=list[Document])[:limit]
    items: list[tuple[str, Any]] = []
    for a in saudinewsnet():
        if len(items) >= limit:
            break
        try:
            items.append(check_submission(corpus_submission(a), a.ref))
        except Exception:  # a record the API refuses is left out, as ingest fails it
            continue
    from multiprocessing import Pool

    with Pool(2) as pool:
        docs = [msgspec.msgpack.decode(b, type=Document) for b in pool.map(_extract_one, items, 20)]
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msgspec.msgpack.encode(docs))
    return docs


def backend_cpu(pid: int) -> float:
    import psutil

    t = psutil.Process(pid).cpu_times()
    return t.user + t.system


async def dump(conn: asyncpg.Connection) -> dict[str, list[str]]:
    """The dataset's rows (``DUMPED``), a sorted list of text rows per table, for ``bench/replay_diff.py``."""
    out: dict[str, list[str]] = {}
    for table, columns in DUMPED.items():
        rows = await conn.fetch(f"SELECT t::text FROM (SELECT {columns} FROM {table}) t")
        out[table] = sorted(r[0] for r in rows)
    return out


async def replay(
    docs: list[Document],
    chunk: int,
    sub: int | None,
    name: str,
    profile: cProfile.Profile | None,
    dump_to: str | None = None,
    wal_by_relation: bool = False,
) -> dict[str, Any]:
    dsn = await bench_db.create_database(name)
    await migrate.upgrade(dsn)
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    pid = await conn.fetchval("SELECT pg_backend_pid()")
    statements = [0]
    kinds: Counter[str] = Counter()
    elapsed: dict[str, float] = {}

    def count_statement(record: Any) -> None:
        statements[0] += 1
        text = " ".join(str(getattr(record, "query", "")).split())[:70]
        kinds[text] += 1
        elapsed[text] = elapsed.get(text, 0.0) + (getattr(record, "elapsed", 0.0) or 0.0)

    conn.add_query_logger(count_statement)  # round trips of the timed merges (and of their staging)
    blocks: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    block: dict[str, Any] = {}
    merged = 0
    load_before = os.getloadavg()
    tuples_before = {r[0]: tuple(r[1:]) for r in await conn.fetch(TUPLES)}
    wal_before = await conn.fetchval(WAL_LSN)
    started = time.perf_counter()
    try:
        for lo in range(0, len(docs), chunk):
            part = docs[lo : lo + chunk]
            timings = MergeTimings()
            wall, cpu, pg = time.perf_counter(), time.process_time(), backend_cpu(pid)
            sent = statements[0]
            async with conn.transaction():
                staged = await stage_added(conn, part)
                await conn.execute(corpus.WRITE_LOCK)
                stored = {r["sha256"] for r in await conn.fetch(STORED, [d.sha256 for d in part])}
                added = [d for s, d in staged.items() if s not in stored]
                if profile is not None:
                    profile.enable()
                merged_counts: Counter[str] = Counter()
                layer_times: Counter[str] = Counter()
                for at in range(0, len(added), sub or len(added) or 1):
                    delta, _ = await merge_into(
                        conn, added[at : at + (sub or len(added))], timings=timings, staged=True
                    )
                    merged_counts.update(delta.counts)
                    layer_times.update(delta.timings)
                if profile is not None:
                    profile.disable()
            merged += len(part)
            for k, v in merged_counts.items():
                block[k] = block.get(k, 0) + v
                counts[k] += v
            block["articles"] = block.get("articles", 0) + len(part)
            block["statements"] = block.get("statements", 0) + statements[0] - sent
            block["wall_s"] = block.get("wall_s", 0.0) + time.perf_counter() - wall
            block["python_cpu_s"] = block.get("python_cpu_s", 0.0) + time.process_time() - cpu
            block["merge_s"] = block.get("merge_s", 0.0) + timings.merge
            block["write_s"] = block.get("write_s", 0.0) + timings.write
            block["postgres_cpu_s"] = block.get("postgres_cpu_s", 0.0) + backend_cpu(pid) - pg
            for layer, seconds in layer_times.items():
                block[f"layer_{layer}_s"] = block.get(f"layer_{layer}_s", 0.0) + seconds
            if merged % 1000 == 0 or merged >= len(docs):
                blocks.append({"upto": merged, **{k: round(v, 3) for k, v in block.items()}})
                print(f"bench: {merged:,} merged", file=sys.stderr, flush=True)
                block = {}
        keys = await conn.fetchval("SELECT count(*) FROM merge_unit_keys")
        await conn.execute("SELECT pg_stat_force_next_flush()")
        tuples_after = {r[0]: tuple(r[1:]) for r in await conn.fetch(TUPLES)}
        wal_bytes = await conn.fetchval(WAL_BYTES, wal_before)
        sizes = {r[0]: [r[1], r[2]] for r in await conn.fetch(SIZES)}
        index_scans = {f"{r[0]}.{r[1]}": [r[2], r[3]] for r in await conn.fetch(INDEX_SCANS)}
        wal_relations: dict[str, list[float]] = {}
        if wal_by_relation:
            await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_walinspect")
            rows = await conn.fetch(WAL_BY_RELATION, wal_before)
            wal_relations = {r[0]: [round(r[1] * chunk / merged), round(r[2] * chunk / merged)] for r in rows}
        if dump_to:
            dumped = await dump(conn)
            Path(dump_to).write_text(json.dumps(dumped))  # noqa: ASYNC240 (after the timed merges)
    finally:
        await conn.close()
        await bench_db.drop_database(name)
    total: Counter[str] = Counter()
    for b in blocks:
        for k, v in b.items():
            if k != "upto":
                total[k] += v
    n = total["articles"]

    def per_article(b: dict[str, Any]) -> dict[str, float]:
        return {
            k.removesuffix("_s") + "_ms": round(1000 * b[k] / b["articles"], 2)
            for k in ("wall_s", "python_cpu_s", "merge_s", "write_s", "postgres_cpu_s")
        }

    return {
        "tree": TREE,
        "extractor": EXTRACTOR_VERSION,
        "articles": n,
        "chunk": chunk,
        "sub_chunk": sub,
        "seconds": round(time.perf_counter() - started, 1),
        "articles_per_s": round(n / total["wall_s"], 1),
        "per_article": per_article(total),
        "first_1000": per_article(blocks[0]),
        "last_1000": per_article(blocks[-1]),
        "blocks": blocks,
        "counts": dict(counts),
        "statements_per_chunk": round(total["statements"] * chunk / n, 1),
        "merge_unit_keys": keys,
        "statements_by_text": dict(kinds.most_common(25)),
        "ms_per_article_by_text": {
            k: round(1000 * v / n, 3) for k, v in sorted(elapsed.items(), key=lambda kv: -kv[1])[:25]
        },
        "rows_written_per_chunk": {
            t: [
                round((a - b) * chunk / n, 1) for a, b in zip(v, tuples_before.get(t, (0, 0, 0)), strict=True)
            ]
            for t, v in sorted(tuples_after.items())
            if sum(v) - sum(tuples_before.get(t, (0, 0, 0)))
        },
        "wal_bytes_per_article": round(wal_bytes / n),
        "bytes_at_end": sizes,
        "wal_bytes_per_chunk_by_relation": wal_relations,
        "index_scans": index_scans,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=3000, help="the first N corpus records")
    parser.add_argument("--chunk", type=int, default=100, help="articles per merge (as BULK_CHUNK)")
    parser.add_argument(
        "--sub", type=int, default=None, help="merge each chunk this many articles at a time (BULK_SUB_CHUNK)"
    )
    parser.add_argument("--name", default="merge-replay", help="results file name (bench/results/NAME.json)")
    parser.add_argument("--profile", default=None, help="write a cProfile of the merges here")
    parser.add_argument("--dump", default=None, help="write the resulting dataset's rows here (JSON)")
    parser.add_argument(
        "--wal-by-relation", action="store_true", help="WAL bytes per table and index (pg_walinspect)"
    )
    args = parser.parse_args()
    docs = documents(args.limit)
    # As a worker freezes what it loaded at start (``worker.run_worker``): the cached documents live
    # as long as the replay, and each collection after a merge would otherwise walk all of them
    # (some 18 % of the replay's CPU, not a cost of the critical section a worker pays).
    gc.collect()
    gc.freeze()
    profile = cProfile.Profile() if args.profile else None
    db_name = "marsad_bench_replay_" + str(os.getpid())
    report = asyncio.run(
        replay(docs, args.chunk, args.sub, db_name, profile, args.dump, args.wal_by_relation)
    )
    if profile is not None:
        profile.dump_stats(args.profile)
    out = Path(__file__).resolve().parent / "results" / f"{args.name}.json"
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k not in ("blocks",)}))


if __name__ == "__main__":
    main()
