"""The ingest pipeline on the real corpus: all of SaudiNewsNet end to end, and POST latency as it grows.

    .venv/bin/python -m bench.ingest_corpus [--workers 1,2] [--limit N] [--posts 100]   (make bench-ingest)

For each worker count, on a fresh database of the benchmark server (``bench/db.py``):

1. the corpus (17,641 records of ``../shared/corpus/saudinewsnet``, with their outlet, url, title and
   crawl date as metadata) is submitted as ingest jobs in three stages (to 1,000, 5,000 and all
   stored articles) and processed by one worker with ``W`` extraction processes, exactly as
   ``python -m service ingest --workers W`` does; articles/s, and where the time went: extraction
   (wall time of the chunks in the pool, overlapping other chunks' merges), the critical section
   (merge and write, under the lock, serialised) and the wait for the lock;
2. after each stage, ``--posts`` unseen articles are sent one by one to ``POST /v1/sources`` of a real
   server (``serve``: uvicorn, its pool and one extraction process): p50/p99;
3. every article is accounted for (created + exists + failed = submitted; created = stored sources);
4. extraction alone on one core over a sample, for the target "throughput >= 0.75 x extraction rate x workers";
5. (first worker count) the read workloads of ``make bench`` over the pipeline-built dataset, in process.

Load averages are recorded before and after every phase: on a shared machine, compare runs only
side by side. Results: ``bench/results/ingest.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench import db as bench_db
from service.articles import Article, InputItem, Submission, check_submission
from service.config import PROJECT_ROOT
from service.corpora import CorpusMissing, NewsArticle, saudinewsnet
from service.db import migrate
from service.db.pool import init_connection
from service.extract.pipeline import extract_document
from service.ingest import jobs
from service.ingest.extraction import WORKER_NICE, Extractor
from service.ingest.jobs import ChunkReport
from service.ingest.worker import run_worker

RESULTS = PROJECT_ROOT / "bench" / "results"
STAGES = (1_000, 5_000, None)
HELD_OUT = 3  # sets of POST articles, one per stage
FAILED_ITEMS = "SELECT label, error FROM ingest_job_items WHERE job_id = $1 AND status = 'failed'"
# What a failure reason says once the input it may quote (labels, quoted values, numbers, Arabic) is
# taken out: the reasons are counted by class, and no corpus text reaches the results.
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»|\d+|[\u0600-\u06ff]+")


def failure_class(label: str, error: str | None) -> str:
    text = (error or "no reason").removeprefix(f"{label}: ")
    return " ".join(QUOTED.sub("…", text).split())[:80]


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def corpus_submission(a: NewsArticle) -> Submission:
    """A SaudiNewsNet record as the API would receive it (over-long fields dropped or cut)."""
    published = date.fromisoformat(a.date_extracted[:10]) if a.date_extracted[:10].count("-") == 2 else None
    return Submission(
        text=a.content,
        outlet=a.outlet or None,
        url=(a.url or None) if len(a.url) <= 2048 else None,
        title=(a.title[:500] or None) if a.title else None,
        published=published,
        external_id=a.ref,
    )


def corpus_items() -> list[InputItem]:
    """Every SaudiNewsNet record as an article (the same checks as the CLI; bad ones fail alone)."""
    items = []
    for a in saudinewsnet(held_back=True):
        try:
            text, meta = check_submission(corpus_submission(a), a.ref)
        except Exception as exc:
            items.append(InputItem(a.ref, None, str(exc)))
            continue
        items.append(InputItem(a.ref, Article(Path(a.ref), text, meta)))
    return items


class Tally:
    """Chunk reports of a stage, summed."""

    def __init__(self) -> None:
        self.chunks: list[ChunkReport] = []
        self.started = time.perf_counter()
        self.progress: list[tuple[float, int]] = []
        """(seconds since the stage started, articles merged so far) after each chunk."""

    def add(self, report: ChunkReport) -> None:
        self.chunks.append(report)
        done = (self.progress[-1][1] if self.progress else 0) + report.articles
        self.progress.append((round(time.perf_counter() - self.started, 2), done))

    @property
    def merged(self) -> int:
        return self.progress[-1][1] if self.progress else 0

    def rate(self, lo: int, hi: int) -> float | None:
        """Articles/s while the stage's articles lo..hi were merged (None: not that many)."""
        marks = [(0.0, 0), *self.progress]
        start = next((t for t, n in marks if n >= lo), None)
        end = next((t for t, n in marks if n >= hi), None)
        if start is None or end is None or end <= start:
            return None
        return round((hi - lo) / (end - start), 1)

    def summary(self) -> dict[str, float]:
        return {
            "chunks": len(self.chunks),
            "articles": sum(c.articles for c in self.chunks),
            "extract_s": round(sum(c.extract_seconds for c in self.chunks), 1),
            "merge_s": round(sum(c.timings.merge for c in self.chunks), 1),
            "write_s": round(sum(c.timings.write for c in self.chunks), 1),
            "lock_wait_s": round(sum(c.lock_wait_seconds for c in self.chunks), 1),
            "refreshes": sum(1 for c in self.chunks if c.articles == 0),
        }


def postgres_cpu() -> float:
    """CPU seconds used so far by the benchmark server: its postmaster (found by the pid file in its
    data directory), the children it has reaped (backends of closed connections) and the live ones
    (backends, autovacuum, checkpointer)."""
    import psutil

    try:
        pid = int((bench_db.BENCH_PGDATA / "postmaster.pid").read_text().split()[0])
        postmaster = psutil.Process(pid)
        times = postmaster.cpu_times()
        total = times.user + times.system + times.children_user + times.children_system
        for child in postmaster.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                t = child.cpu_times()
                total += t.user + t.system
    except (OSError, ValueError, IndexError, psutil.Error):
        return float("nan")
    return total


def pool_cpu(extractor: Extractor) -> float:
    """CPU seconds used by an extractor's pool processes (read before the pool closes)."""
    import psutil

    pool = extractor._pool
    total = 0.0
    for pid in getattr(pool, "_processes", {}) or {}:
        try:
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


async def run_stage(
    dsn: str, items: list[InputItem], workers: int, chunk: int, nice: int = WORKER_NICE
) -> dict[str, Any]:
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    try:
        job_id = await jobs.submit(conn, items, chunk=chunk)
    finally:
        await conn.close()
    tally = Tally()
    extractor = Extractor(workers, nice=nice)  # as `run_worker` makes its own
    before, started, cpu, pg = load(), time.perf_counter(), time.process_time(), postgres_cpu()
    try:
        await run_worker(
            dsn, drain=True, on_chunk=tally.add, application_name="marsad-bench", extractor=extractor
        )
        extract_cpu = pool_cpu(extractor)
    finally:
        extractor.close()
    pg_cpu = postgres_cpu() - pg
    seconds = time.perf_counter() - started
    conn = await asyncpg.connect(dsn)
    try:
        found = await jobs.job(conn, job_id, limit=0)
        failures = Counter(
            failure_class(r["label"], r["error"]) for r in await conn.fetch(FAILED_ITEMS, job_id)
        )
    finally:
        await conn.close()
    assert found is not None
    return {
        "articles": len(items),
        "seconds": round(seconds, 1),
        "articles_per_s": round(len(items) / seconds, 1),
        "cpu_s": {
            "extraction": round(extract_cpu, 1),
            "merge_and_write_python": round(time.process_time() - cpu, 1),
            "postgres": round(pg_cpu, 1),
        },
        "job": {
            "status": found.status,
            "created": found.created,
            "exists": found.exists,
            "failed": found.failed,
            "failed_by_reason": dict(failures.most_common()),
        },
        "timing": tally.summary(),
        "first_1000_per_s": tally.rate(0, min(1000, tally.merged)),
        "last_1000_per_s": tally.rate(max(0, tally.merged - 1000), tally.merged),
        "progress": tally.progress,
        "load_before": before,
        "load_after": load(),
    }


def serve(dsn: str, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--no-migrate", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "DATABASE_URL": dsn,
            "MARSAD_WORKER": "false",
            "MARSAD_EXTRACT_PROCESSES": "1",
            "MARSAD_RATE_LIMIT_PER_MINUTE": "0",
            "MARSAD_LOG_LEVEL": "warning",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


async def post_latency(dsn: str, articles: list[Article], port: int) -> dict[str, Any]:
    """POST /v1/sources of unseen articles, one at a time, against a real server."""
    from service.auth import create_key

    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    try:
        _, token = await create_key(conn, f"bench-{time.time_ns()}", ["write"])
        stored = await conn.fetchval("SELECT count(*) FROM sources")
    finally:
        await conn.close()
    proc = serve(dsn, port)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            for _ in range(600):
                try:
                    if (await client.get("/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            headers = {"Authorization": f"Bearer {token}"}
            warm = articles[0]
            await client.post("/v1/sources", json={"text": warm.text + "\n."}, headers=headers)
            before, times, statuses = load(), [], []
            for a in articles:
                body = {"text": a.text, "outlet": a.meta.outlet, "external_id": a.meta.external_id}
                if a.meta.published:
                    body["published"] = a.meta.published.isoformat()
                t = time.perf_counter()
                response = await client.post("/v1/sources", json=body, headers=headers)
                times.append((time.perf_counter() - t) * 1000)
                statuses.append(response.status_code)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    times.sort()
    return {
        "stored_before": stored,
        "posts": len(times),
        "statuses": sorted(set(statuses)),
        "p50_ms": round(statistics.median(times), 1),
        "p99_ms": round(times[min(len(times) - 1, round(0.99 * (len(times) - 1)))], 1),
        "max_ms": round(times[-1], 1),
        "load_before": before,
        "load_after": load(),
    }


def extraction_rate(items: list[InputItem], count: int) -> dict[str, Any]:
    """Extraction alone, one process (this one), over ``count`` corpus articles."""
    sample = [i.article for i in items if i.article is not None][:count]
    before = load()
    started = time.process_time()
    for a in sample:
        extract_document(a.text, a.meta)
    cpu = time.process_time() - started
    return {
        "articles": len(sample),
        "cpu_s": round(cpu, 1),
        "articles_per_s": round(len(sample) / cpu, 1),
        "load_before": before,
        "load_after": load(),
    }


async def read_workloads(dsn: str) -> dict[str, Any]:
    """The read workloads of ``make bench`` over this dataset (in process: the same statements, no HTTP)."""
    from bench.runner import plans_and_floor
    from bench.workloads import build

    conn = await asyncpg.connect(dsn)
    try:
        events = await conn.fetchval("SELECT count(*) FROM events")
        top = [
            r["actor_id"]
            for r in await conn.fetch(
                "SELECT actor_id, count(*) FROM event_actors GROUP BY actor_id ORDER BY count(*) DESC, actor_id LIMIT 6"
            )
        ]
        span = await conn.fetchrow(
            "SELECT percentile_disc(0.05) WITHIN GROUP (ORDER BY date_start) lo, "
            "percentile_disc(0.95) WITHIN GROUP (ORDER BY date_start) hi FROM events WHERE date_start IS NOT NULL"
        )
        info = {
            "events": events,
            "top_actors": top[:5],
            "mid_actor": top[-1],
            "span": [str(span["lo"]), str(span["hi"])],
        }
        workloads = await build(conn, info)
    finally:
        await conn.close()
    plans = await plans_and_floor(dsn, workloads)
    return {"info": info, "plans": plans}


async def database_size(dsn: str) -> dict[str, Any]:
    conn = await asyncpg.connect(dsn)
    try:
        total = await conn.fetchval("SELECT pg_database_size(current_database())")
        tables = await conn.fetch(
            "SELECT relname, pg_total_relation_size(c.oid) AS bytes, reltuples::bigint AS rows FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' "
            "ORDER BY 2 DESC LIMIT 20"
        )
        counts = {
            t: await conn.fetchval(f"SELECT count(*) FROM {t}")
            for t in (
                "sources",
                "events",
                "actors",
                "claims",
                "conflicts",
                "actor_mentions",
                "merge_unit_keys",
            )
        }
    finally:
        await conn.close()
    return {
        "bytes": total,
        "tables": {r["relname"]: {"bytes": r["bytes"], "rows": r["rows"]} for r in tables},
        "counts": counts,
    }


async def one_run(
    workers: int,
    items: list[InputItem],
    posts: list[list[Article]],
    reads: bool,
    chunk: int,
    nice: int = WORKER_NICE,
) -> dict[str, Any]:
    name = f"marsad_bench_corpus_w{workers}"
    dsn = await bench_db.create_database(name)
    await migrate.upgrade(dsn)
    port = 18_000 + workers
    out: dict[str, Any] = {"workers": workers, "chunk": chunk, "nice": nice, "stages": [], "posts": []}
    done = 0
    try:
        for stage, extra in zip(STAGES, posts, strict=True):
            upto = len(items) if stage is None else min(stage, len(items))
            if upto > done:
                print(f"bench: {workers} workers, articles {done:,}..{upto:,}", file=sys.stderr, flush=True)
                out["stages"].append(await run_stage(dsn, items[done:upto], workers, chunk, nice))
                done = upto
            if extra:
                print(f"bench: POST latency at {done:,} submitted", file=sys.stderr, flush=True)
                out["posts"].append(await post_latency(dsn, extra, port))
        stages = out["stages"]
        seconds = sum(s["seconds"] for s in stages)
        created = sum(s["job"]["created"] for s in stages)
        out["total"] = {
            "articles": sum(s["articles"] for s in stages),
            "seconds": round(seconds, 1),
            "articles_per_s": round(sum(s["articles"] for s in stages) / seconds, 1),
            "created": created,
            "exists": sum(s["job"]["exists"] for s in stages),
            "failed": sum(s["job"]["failed"] for s in stages),
            "failed_by_reason": dict(
                sum((Counter(s["job"].get("failed_by_reason", {})) for s in stages), Counter()).most_common()
            ),
            "critical_section_s": round(
                sum(s["timing"]["merge_s"] + s["timing"]["write_s"] for s in stages), 1
            ),
            "merge_s": round(sum(s["timing"]["merge_s"] for s in stages), 1),
            "write_s": round(sum(s["timing"]["write_s"] for s in stages), 1),
            "cpu_s": {
                k: round(sum(s["cpu_s"][k] for s in stages), 1)
                for k in ("extraction", "merge_and_write_python", "postgres")
            },
        }
        conn = await asyncpg.connect(dsn)
        try:
            posted = sum(p["posts"] for p in out["posts"]) + len(out["posts"])  # + the warm-up posts
            stored = await conn.fetchval("SELECT count(*) FROM sources")
        finally:
            await conn.close()
        out["accounted"] = {
            "submitted": out["total"]["articles"],
            "created + exists + failed": out["total"]["created"]
            + out["total"]["exists"]
            + out["total"]["failed"],
            "stored sources": stored,
            "created by the jobs + posted": created + posted,
        }
        out["database"] = await database_size(dsn)
        if reads:
            print("bench: read workloads on the pipeline-built dataset", file=sys.stderr, flush=True)
            out["reads"] = await read_workloads(dsn)
    finally:
        if not os.environ.get("MARSAD_BENCH_KEEP"):
            await bench_db.drop_database(name)
    return out


def markdown(report: dict[str, Any]) -> str:
    lines = ["# Ingest on the real corpus", "", f"extraction alone (one process): {report['extraction']}", ""]
    for run in report["runs"]:
        t = run["total"]
        lines += [
            f"## {run['workers']} extraction processes",
            "",
            f"- {t['articles']:,} articles in {t['seconds']} s: **{t['articles_per_s']} articles/s**; "
            f"created {t['created']:,}, already stored {t['exists']:,}, failed {t['failed']:,}",
            f"- critical section (merge + write, serialised): {t['critical_section_s']} s "
            f"({t['merge_s']} merge + {t['write_s']} write) = {round(100 * t['critical_section_s'] / t['seconds'])} % of the wall time",
            f"- CPU: {t['cpu_s']} s; per article (ms): "
            + ", ".join(f"{k} {1000 * v / max(t['articles'], 1):.1f}" for k, v in t["cpu_s"].items())
            + f"; merge + write share of the work: {round(100 * (t['cpu_s']['merge_and_write_python'] + t['cpu_s']['postgres']) / max(sum(t['cpu_s'].values()), 1e-9))} %",
            f"- accounted: {run['accounted']}",
            f"- failed, by reason: {t.get('failed_by_reason', {})}",
            "",
            "| stage | articles | s | articles/s | first / last 1,000 per s | extract s | merge s | write s | lock wait s | refreshes | load before -> after |",
            "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|",
        ]
        for i, s in enumerate(run["stages"]):
            x = s["timing"]
            lines.append(
                f"| {i + 1} | {s['articles']:,} | {s['seconds']} | {s['articles_per_s']} | {s['first_1000_per_s']} / {s['last_1000_per_s']} | "
                f"{x['extract_s']} | {x['merge_s']} | {x['write_s']} | {x['lock_wait_s']} | {x['refreshes']} | {s['load_before']} -> {s['load_after']} |"
            )
        lines += [
            "",
            "| stored before | POSTs | p50 ms | p99 ms | max ms | load |",
            "|---:|---:|---:|---:|---:|---|",
        ]
        for p in run["posts"]:
            lines.append(
                f"| {p['stored_before']:,} | {p['posts']} | {p['p50_ms']} | {p['p99_ms']} | {p['max_ms']} | {p['load_before']} -> {p['load_after']} |"
            )
        lines += ["", f"database: {run['database']['bytes'] / 1e6:.0f} MB, {run['database']['counts']}", ""]
        if "reads" in run:
            lines += [
                "| read workload (in process, all statements) | median ms | max ms | seq scans |",
                "|---|---:|---:|---|",
            ]
            for name, plan in run["reads"]["plans"].items():
                if "refused" in plan:  # the server refuses it too (400): say why
                    lines.append(f"| {name} | refused (400) | | {plan['refused']} |")
                    continue
                lines.append(
                    f"| {name} | {plan['median_ms']} | {plan['max_ms']} | {', '.join(plan['seq_scans']) or 'none'} |"
                )
            lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="comma-separated extraction process counts")
    parser.add_argument("--limit", type=int, default=None, help="only the first N corpus records")
    parser.add_argument(
        "--posts", type=int, default=100, help="POSTs measured per stage (a median of 25 swings 30-60 ms)"
    )
    parser.add_argument("--name", default="ingest", help="results file name")
    parser.add_argument(
        "--chunk", type=int, default=jobs.BULK_CHUNK, help="articles per queue job (as `ingest --batch-size`)"
    )
    parser.add_argument(
        "--nice", type=int, default=WORKER_NICE, help="priority of the extraction processes below the merge's"
    )
    args = parser.parse_args()
    try:
        items = corpus_items()
    except CorpusMissing as missing:
        raise SystemExit(f"bench-ingest needs the shared corpus: {missing}") from None
    held = HELD_OUT * args.posts
    posts_pool = [i.article for i in items[-held:] if i.article is not None]
    items = items[: len(items) - held]
    if args.limit:
        items = items[: args.limit]
    posts = [posts_pool[i * args.posts : (i + 1) * args.posts] for i in range(HELD_OUT)]
    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cores": os.cpu_count(),
        "submitted": len(items),
        "extraction": extraction_rate(items, 500),
        "runs": [],
    }
    for n, workers in enumerate(int(w) for w in args.workers.split(",")):
        report["runs"].append(
            asyncio.run(one_run(workers, items, posts, reads=n == 0, chunk=args.chunk, nice=args.nice))
        )
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{args.name}.json").write_text(json.dumps(report, indent=1, default=str) + "\n")
    text = markdown(report)
    (RESULTS / f"{args.name}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
