"""The tail of single-article writes at a large stored dataset: which articles make a POST slow, and why.

    .venv/bin/python -m bench.post_tail [--stored 16000] [--posts 100] [--name post-tail]
    MARSAD_TREE=/other/tree DATABASE_URL=<this server> .venv/bin/python bench/post_tail.py ...

``bench.ingest_corpus`` times ``POST /v1/sources`` end to end after each stage; a slow POST there
cannot be replayed, since it commits. Here the first ``--stored`` SaudiNewsNet records (held-back
days excluded; extractions cached as ``bench/merge_replay.py`` caches them) are merged once, in
chunks of 100 as a bulk job does, into a database of the benchmark server that is kept
(``marsad_bench_tail_<stored>``, reused by later runs and by other trees through ``DATABASE_URL``).
Then each of the next ``--posts`` records not stored is merged alone exactly as ``ingest.ingest`` merges a POST
(``merge_into`` under the write lock, extraction excluded) in a transaction that is rolled back: every
article meets the same stored state, so two trees compare on identical work. Per article: wall time,
Python CPU, Postgres backend CPU, the merge's layer timings and recomputation counts; reported as
p50 / p99 / max and the slowest articles' breakdown (their ordinal only, never their text).
``--profile PATH`` writes a cProfile of the ``--slowest`` articles merged once more.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, os.environ.get("MARSAD_TREE") or str(Path(__file__).resolve().parents[1]))

import asyncpg

from bench import db as bench_db
from bench.merge_replay import backend_cpu, documents
from service.db import corpus, migrate
from service.db.embedded import database_dsn
from service.db.pool import init_connection
from service.extract.document import Document
from service.ingest.merging import MergeTimings, merge_into, refresh_stale, stage_added

TREE = os.environ.get("MARSAD_TREE") or str(Path(__file__).resolve().parents[1])
BUILT = "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1"
STORED = "SELECT count(*) FROM sources"
STORED_SHAS = "SELECT sha256 FROM sources"


class ActorWork:
    """Per POST, the person-group comparisons (``actor_clusters.match_profiles`` calls) and the CPU
    time inside ``actor_clusters.link_groups``: load-independent measures of the tail's first class
    (wrappers installed on the module, so they count in whichever tree ``MARSAD_TREE`` names)."""

    def __init__(self) -> None:
        from service.merge import actor_clusters

        self.comparisons = 0
        self.link_cpu = 0.0
        match, link = actor_clusters.match_profiles, actor_clusters.link_groups

        def counted(*a: Any, **k: Any) -> Any:
            self.comparisons += 1
            return match(*a, **k)

        def timed(*a: Any, **k: Any) -> Any:
            started = time.process_time()
            try:
                return link(*a, **k)
            finally:
                self.link_cpu += time.process_time() - started

        actor_clusters.match_profiles = counted  # type: ignore[assignment]
        actor_clusters.link_groups = timed  # type: ignore[assignment]

    def take(self) -> dict[str, float]:
        out = {"comparisons": self.comparisons, "link_groups_cpu_ms": round(1000 * self.link_cpu, 1)}
        self.comparisons, self.link_cpu = 0, 0.0
        return out


WORK: ActorWork | None = None


class Rollback(Exception):
    """Raised to leave a measured merge's transaction without committing it."""


async def built(name: str) -> bool:
    admin = await asyncpg.connect(database_dsn(bench_db.server_dsn(), "postgres"))
    try:
        return "post-tail: built" in ((await admin.fetchval(BUILT, name)) or "")
    finally:
        await admin.close()


async def build(name: str, docs: list[Document], chunk: int) -> None:
    """Merge ``docs`` in chunks, as a bulk job does, then run the summary refreshes (a drained worker)."""
    dsn = await bench_db.create_database(name)
    await migrate.upgrade(dsn)
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    try:
        for lo in range(0, len(docs), chunk):
            async with conn.transaction():
                staged = await stage_added(conn, docs[lo : lo + chunk])
                await conn.execute(corpus.WRITE_LOCK)
                await merge_into(conn, list(staged.values()), staged=True)
            if (lo + chunk) % 1000 == 0:
                print(f"bench: {lo + chunk:,} stored", file=sys.stderr, flush=True)
        await refresh_stale(conn)
    finally:
        await conn.close()
    await bench_db.mark_generated(name, "post-tail: built")  # type: ignore[arg-type]


async def one_post(conn: asyncpg.Connection, doc: Document, pid: int) -> dict[str, Any]:
    """Merge one article as a POST does, time it, and roll it back."""
    timings = MergeTimings()
    wall, cpu, pg = time.perf_counter(), time.process_time(), backend_cpu(pid)
    out: dict[str, Any] = {}
    try:
        async with conn.transaction():
            await conn.execute(corpus.PRIORITY_LOCK)
            await conn.execute(corpus.WRITE_LOCK)
            delta, _ = await merge_into(conn, [doc], timings=timings)
            out["wall_ms"] = round(1000 * (time.perf_counter() - wall), 1)
            out["python_cpu_ms"] = round(1000 * (time.process_time() - cpu), 1)
            out["postgres_cpu_ms"] = round(1000 * (backend_cpu(pid) - pg), 1)
            out["merge_ms"] = round(1000 * timings.merge, 1)
            out["write_ms"] = round(1000 * timings.write, 1)
            out["layers_ms"] = {k: round(1000 * v, 1) for k, v in delta.timings.items()}
            out["counts"] = dict(delta.counts)
            if WORK is not None:
                out["actor_work"] = WORK.take()
            out["rows"] = {
                "events": len(delta.events),
                "claims": len(delta.claims),
                "actors": len(delta.actors),
            }
            raise Rollback
    except Rollback:
        pass
    return out


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 1),
        "p99": pct(values, 0.99),
        "max": max(values),
        "sum": sum(values),
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    docs = documents(args.stored + args.posts)
    gc.collect()
    gc.freeze()
    name = f"marsad_bench_tail_{args.stored}"
    if not args.as_is and (args.rebuild or not await built(name)):
        await build(name, docs[: args.stored], args.chunk)
    conn = await asyncpg.connect(database_dsn(bench_db.server_dsn(), name))
    await init_connection(conn)
    if args.as_is:  # a build stopped part-way: its chunks are committed; drain its refreshes
        await refresh_stale(conn)
    load_before = os.getloadavg()
    try:
        stored = await conn.fetchval(STORED)
        pid = await conn.fetchval("SELECT pg_backend_pid()")
        held = {r[0] for r in await conn.fetch(STORED_SHAS)}
        posts = [d for d in docs if d.sha256 not in held][: args.posts]
        await one_post(conn, posts[0], pid)  # warm the connection's statement cache
        global WORK
        WORK = ActorWork()
        results = []
        for ordinal, doc in enumerate(posts):
            results.append({"ordinal": ordinal, **await one_post(conn, doc, pid)})
        slowest = sorted(results, key=lambda r: -r["wall_ms"])[: args.slowest]
        if args.profile:
            profile = cProfile.Profile()
            for r in slowest:
                profile.enable()
                await one_post(conn, posts[r["ordinal"]], pid)
                profile.disable()
            profile.dump_stats(args.profile)
    finally:
        await conn.close()
    walls = [r["wall_ms"] for r in results]
    cpus = [r["python_cpu_ms"] for r in results]
    return {
        "tree": TREE,
        "stored": stored,
        "posts": len(results),
        "wall_ms": {"p50": round(statistics.median(walls), 1), "p99": pct(walls, 0.99), "max": max(walls)},
        "python_cpu_ms": {"p50": round(statistics.median(cpus), 1), "p99": pct(cpus, 0.99), "max": max(cpus)},
        "postgres_cpu_ms_mean": round(statistics.mean(r["postgres_cpu_ms"] for r in results), 1),
        "python_cpu_ms_mean": round(statistics.mean(cpus), 1),
        "actor_comparisons": _spread([r["actor_work"]["comparisons"] for r in results]),
        "link_groups_cpu_ms": _spread([r["actor_work"]["link_groups_cpu_ms"] for r in results]),
        "slowest": slowest,
        "all": results,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, default=16_000, help="records merged before the POSTs")
    parser.add_argument("--posts", type=int, default=100, help="records then merged one at a time")
    parser.add_argument("--chunk", type=int, default=100, help="articles per merge while building")
    parser.add_argument("--rebuild", action="store_true", help="build the stored database again")
    parser.add_argument(
        "--as-is", action="store_true", help="use the database as it is (a build stopped part-way)"
    )
    parser.add_argument("--slowest", type=int, default=5, help="slowest articles reported (and profiled)")
    parser.add_argument("--profile", default=None, help="write a cProfile of the slowest articles here")
    parser.add_argument("--name", default="post-tail", help="results file name (bench/results/NAME.json)")
    args = parser.parse_args()
    report = asyncio.run(run(args))
    out = Path(__file__).resolve().parent / "results" / f"{args.name}.json"
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "all"}, indent=1))


if __name__ == "__main__":
    main()
