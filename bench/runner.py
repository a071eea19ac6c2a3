"""The benchmark run: datasets, plans and in-process cost per size, then the servers side by side
(interleaved rounds, see bench.harness), exports, ingest and extraction.

Every HTTP server runs pinned to core 0 and every load generator to core 1 (Postgres is not
pinned); all traffic goes to 127.0.0.1, each phase bounded in time and request count.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import httpx
import psutil

from bench import db as bench_db
from bench import queries as Q
from bench.articles import ingest_benchmark
from bench.generate import fingerprint, generate
from bench.harness import (
    CLIENT_CORE,
    PYTHON,
    SERVER_CORE,
    Contender,
    Server,
    curl_export,
    interleaved,
    load1,
    log,
)
from bench.loadgen import fixed_rate, wrk
from bench.sqlite_copy import sqlite_copy
from bench.workloads import Export, Workload, build, exports, floor_call
from service.config import PROJECT_ROOT
from service.db import migrate, renderings
from service.db.events import SELECT_DOCUMENT
from service.db.pool import init_connection
from service.errors import InvalidParameter

RESULTS = PROJECT_ROOT / "bench" / "results"
CONNECTIONS = 16  # wrk connections for the throughput phase
PEERS = ("marsad", "fastapi", "starlette", "floor")  # the shared fixed rate is set by the slowest of these


@dataclass
class Mode:
    name: str
    sizes: tuple[int, ...]
    seconds: float  # per measurement (a throughput run, a fixed-rate run)
    warmup: float
    rounds: int  # interleaved rounds of the throughput phase
    fixed_rounds: int  # ... and of the fixed-rate phases
    export_rounds: int
    servers: tuple[str, ...]
    workloads: tuple[str, ...] | None  # None: all
    ingest_articles: int
    extract_articles: int
    http_sizes: tuple[int, ...]  # sizes at which the servers are compared (the others: plans + floor only)
    max_fixed_seconds: float = 20.0  # a fixed-rate run lasts long enough for ~30 requests, at most this
    own_rate: bool = True  # Marsad alone at half of its own throughput


SERVER_NAMES = ("marsad", "fastapi", "starlette", "datasette")
QUICK_WORKLOADS = (
    "event_by_id",
    "events_date_actor",
    "page_200_cursor",
    "timeline",
    "timeline_daily_actor",
    "facets",
    "facets_5y",
    "ndjson",
    "csv",
    "csv_attributions",
)
QUICK = Mode(
    "quick",
    (10_000,),
    1.0,
    0.5,
    2,
    1,
    2,
    SERVER_NAMES,
    QUICK_WORKLOADS,
    10,
    60,
    (10_000,),
    2.0,
    own_rate=False,
)
FULL = Mode(
    "full", (10_000, 100_000, 1_000_000), 5.0, 1.5, 4, 2, 4, SERVER_NAMES, None, 20, 300, (1_000_000,)
)


# ---- datasets and plans ----------------------------------------------------------------------


async def dataset(events: int, seed: int) -> tuple[str, dict[str, Any]]:
    """The generated database for ``events`` (reused when a previous run left it complete)."""
    name = f"marsad_bench_{events}_s{seed}"
    found = await bench_db.generated_dataset(name)
    if found and found[1].get("generator") == fingerprint():
        log(f"dataset {name}: reusing")
        await bring_up_to_date(found[0], name)
        return found
    if found:
        log(f"dataset {name}: made by generator {found[1].get('generator')}, not {fingerprint()}")
    log(f"dataset {name}: generating {events:,} events")
    dsn = await bench_db.create_database(name)
    info = await generate(dsn, events, seed)
    info["generator"] = fingerprint()
    await bench_db.mark_generated(name, info)
    log(f"dataset {name}: {info['seconds']['total']}s")
    return dsn, info


async def bring_up_to_date(dsn: str, name: str) -> None:
    """A reused dataset gets the current schema (migrations) and its missing event documents, then
    the rewritten tables are compacted and analysed, as after a fresh generation."""
    conn = await asyncpg.connect(dsn)
    try:
        before = await conn.fetchval("SELECT version_num FROM alembic_version")
        await migrate.upgrade(dsn)
        after = await conn.fetchval("SELECT version_num FROM alembic_version")
        await init_connection(conn)
        rendered = await renderings.fill_missing(conn)
        if before != after or rendered:
            log(f"dataset {name}: migrated {before} -> {after}, rendered {rendered:,} documents; compacting")
            await conn.execute("VACUUM (FULL) events")
            await conn.execute("VACUUM (FULL) event_actors")
            await conn.execute("VACUUM (ANALYZE)")
    finally:
        await conn.close()


def _main_statement(path: str) -> Q.Statement | None:
    """The main (largest) statement a path runs, for EXPLAIN."""
    from urllib.parse import parse_qsl

    from bench.peers import data

    parts = urlsplit(path)
    params = parse_qsl(parts.query)
    flt, control = data.parse_filter(params)
    if parts.path == "/v1/events":
        return Q.list_events(flt, int(control.get("limit", data.DEFAULT_LIMIT)) + 1)
    if parts.path.startswith("/v1/events/"):
        return Q.Statement(SELECT_DOCUMENT, [parts.path.rsplit("/", 1)[1]])
    if parts.path == "/v1/stats/timeline":
        return Q.timeline(flt, control.get("interval", "month"), control.get("group_by", "none"))
    if parts.path == "/v1/stats/facets":
        return Q.facets(flt, control["facet"].split(",") if control.get("facet") else None)
    return None


async def plans_and_floor(dsn: str, workloads: dict[str, Workload], repeat: int = 15) -> dict[str, Any]:
    """Per workload: the EXPLAIN (ANALYZE) of its main statement and the in-process latency of the
    whole request (all statements), median over ``repeat`` sequential calls after one warm-up pass."""
    from bench.peers import data

    conn = await asyncpg.connect(dsn)
    out: dict[str, Any] = {}
    try:
        for name, wl in workloads.items():
            if name.startswith("_"):
                continue
            path = wl.paths[0]
            st = _main_statement(path)
            flt, _ = data.parse_filter([])
            if st is not None and "actor" in path:  # resolve names the way the servers do
                from urllib.parse import parse_qsl

                flt, control = data.parse_filter(parse_qsl(urlsplit(path).query))
                flt = await data.resolved(conn, flt)
                st = (
                    Q.list_events(flt, int(control.get("limit", data.DEFAULT_LIMIT)) + 1)
                    if urlsplit(path).path == "/v1/events"
                    else Q.facets(flt, control["facet"].split(",") if control.get("facet") else None)
                )
            plan = []
            if st is not None:
                plan = [r[0] for r in await conn.fetch("EXPLAIN (ANALYZE, COSTS OFF) " + st.sql, *st.args)]
            try:
                for p in wl.paths[:repeat]:  # warm the cache first: the servers are measured warm too
                    async with conn.transaction():
                        await floor_call(conn, p)
            except InvalidParameter as exc:  # the server answers this request with a 400 too
                out[name] = {
                    "refused": exc.detail,
                    "median_ms": None,
                    "max_ms": None,
                    "plan": plan,
                    "seq_scans": [],
                }
                continue
            times = []
            for i in range(repeat):
                t = time.perf_counter()
                async with conn.transaction():
                    await floor_call(conn, wl.paths[i % len(wl.paths)])
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            out[name] = {
                "median_ms": round(times[len(times) // 2], 2),
                "max_ms": round(times[-1], 2),
                "plan": plan,
                "seq_scans": [
                    line.split("Seq Scan on ")[1].split(" (")[0].strip()
                    for line in plan
                    if "Seq Scan on " in line
                ],
            }
    finally:
        await conn.close()
    return out


# ---- HTTP phases -------------------------------------------------------------------------------


def walk_pages(port: int, first: str, pages: int) -> list[str]:
    """The first ``pages`` page URLs of a cursor walk, following each response's ``next``."""
    out, path = [], first
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for _ in range(pages):
            out.append(path)
            body = client.get(path).json()
            token = body.get("next")
            if not token:
                break
            path = f"{first}{'&' if '?' in first else '?'}cursor={token}"
    return out


def floor_subprocess(dsn: str, paths: list[str], seconds: float, rate: float | None = None) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths))
    cmd = [
        "taskset",
        "-c",
        str(SERVER_CORE),
        PYTHON,
        "-m",
        "bench.floor",
        "--dsn",
        dsn,
        "--paths",
        f.name,
        "--seconds",
        str(seconds),
        "--concurrency",
        str(CONNECTIONS),
    ]
    if rate:
        cmd += ["--rate", str(rate)]
    out = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    Path(f.name).unlink(missing_ok=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-800:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def floor_walk(dsn: str, first: str, pages: int) -> list[str]:
    """Cursor pages for the floor: the same walk, through the peers' data layer in-process."""
    from urllib.parse import parse_qsl

    from bench.peers import data

    async def run() -> list[str]:
        conn = await asyncpg.connect(dsn)
        try:
            out, path = [], first
            for _ in range(pages):
                out.append(path)
                _, token = await data.event_page(conn, parse_qsl(urlsplit(path).query))
                if not token:
                    break
                path = f"{first}&cursor={token}"
            return out
        finally:
            await conn.close()

    return asyncio.run(run())


def guarded(fn: Any, *args: Any) -> dict[str, Any]:
    """Run one measurement; a failure is recorded in the results instead of ending the run."""
    try:
        return fn(*args)
    except Exception as exc:  # a measurement that failed is a result too
        log(f"  failed: {fn.__name__}: {str(exc)[-300:]}")
        return {"error": f"{type(exc).__name__}: {str(exc)[-300:]}"}


def _ok(srv: Server, paths: list[str]) -> str | None:
    """Why the first requests of a workload are not a fair measurement on ``srv`` (None: they are)."""
    for p in paths[:3]:
        try:
            r = httpx.get(srv.base + p, timeout=60)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__} after 60 s for {p}"
        if r.status_code != 200:
            return f"HTTP {r.status_code} for {p}: {r.text[:200]}"
        if srv.name == "datasette" and "json" in r.headers.get("content-type", ""):
            body = r.json()
            if isinstance(body, dict) and body.get("facets_timed_out"):
                return f"facets timed out: {', '.join(body['facets_timed_out'])}"
    return None


def http_phase(
    servers: dict[str, Server], dsn: str, workloads: dict[str, Workload], mode: Mode, progress: Any = None
) -> dict[str, Any]:
    """Per workload: throughput of every server and the floor (interleaved rounds), latency at a
    shared fixed rate (interleaved rounds), and Marsad alone at half of its own throughput."""
    results: dict[str, Any] = {}
    for name, wl in workloads.items():
        if mode.workloads and name not in mode.workloads:
            continue
        log(f"workload {name}")
        paths: dict[str, list[str]] = {}
        notes: dict[str, str] = {}
        try:
            for s, srv in servers.items():
                if s == "datasette":
                    if wl.datasette:
                        paths[s] = wl.datasette
                    continue
                paths[s] = walk_pages(srv.port, wl.paths[0], 10) if wl.walk else wl.paths
            floor_paths = floor_walk(dsn, wl.paths[0], 10) if wl.walk else wl.paths
        except Exception as exc:
            results[name] = {"title": wl.title, "error": str(exc)[-300:]}
            continue
        for s in list(paths):
            if why := _ok(servers[s], paths[s]):
                notes[s] = why
                if s != "datasette":  # Datasette's failures are results: it is measured anyway
                    del paths[s]

        # Warm-up (not recorded); its rate sets how long each server is measured: long enough for
        # about 40 requests (a slow server measured for one second completes none), within the cap.
        seconds: dict[str, float] = {}
        for s in paths:
            warm = guarded(wrk, servers[s].port, paths[s], mode.warmup, CONNECTIONS, CLIENT_CORE)
            rps = warm.get("rps") or 0.0
            seconds[s] = min(
                max(mode.seconds, 40 / rps if rps else mode.max_fixed_seconds), mode.max_fixed_seconds
            )
        contenders = [
            Contender(s, partial(wrk, servers[s].port, paths[s], seconds[s], CONNECTIONS, CLIENT_CORE))
            for s in paths
        ]
        floor_seconds = seconds.get("marsad", mode.seconds)
        contenders.append(Contender("floor", partial(floor_subprocess, dsn, floor_paths, floor_seconds)))
        entry: dict[str, Any] = {
            "title": wl.title,
            "paths": len(wl.paths),
            "notes": notes,
            "seconds": seconds,
        }
        entry["throughput"] = interleaved(contenders, mode.rounds, "rps")
        summary = entry["throughput"]["summary"]
        rates = [summary[p]["median"] for p in PEERS if "median" in summary.get(p, {})]
        rate = max(2.0, round(0.5 * min(rates), 1)) if rates else 2.0
        fixed_seconds = min(max(mode.seconds, 30 / rate), mode.max_fixed_seconds)  # ~30 requests at least
        entry["rate"], entry["fixed_rate_seconds"] = rate, round(fixed_seconds, 1)
        fixed = [
            Contender(
                s, partial(fixed_rate, servers[s].port, paths[s], rate, fixed_seconds, CLIENT_CORE, PYTHON)
            )
            for s in paths
            if s != "datasette"
        ]
        fixed.append(Contender("floor", partial(floor_subprocess, dsn, floor_paths, fixed_seconds, rate)))
        entry["fixed_rate"] = interleaved(fixed, mode.fixed_rounds, "p99_ms")
        # Marsad alone at half of its own throughput: its latency at a steady load it can carry.
        own = summary.get("marsad", {}).get("median")
        if mode.own_rate and own and "marsad" in paths and 0.5 * own > rate:
            own_rate = round(0.5 * own, 1)
            own_seconds = min(max(mode.seconds, 30 / own_rate), mode.max_fixed_seconds)
            entry["own_rate"] = {
                "rate": own_rate,
                "seconds": round(own_seconds, 1),
                **interleaved(
                    [
                        Contender(
                            "marsad",
                            partial(
                                fixed_rate,
                                servers["marsad"].port,
                                paths["marsad"],
                                own_rate,
                                own_seconds,
                                CLIENT_CORE,
                                PYTHON,
                            ),
                        )
                    ],
                    mode.fixed_rounds,
                    "p99_ms",
                ),
            }
        results[name] = entry
        if progress is not None:
            progress(results)
    return results


def export_phase(servers: dict[str, Server], dsn: str, jobs: list[Export], mode: Mode) -> dict[str, Any]:
    """Each export downloaded by curl from every server that serves it, in interleaved rounds, with
    the floor (the same batches in-process, no HTTP); the small exports also by wrk (one connection),
    to check that the client is not what limits the figure."""
    out: dict[str, Any] = {}
    for job in jobs:
        if mode.workloads and job.name not in mode.workloads:
            continue
        log(f"export {job.name}")
        contenders = []
        for s, srv in servers.items():
            path = job.paths.get(s) or (job.paths.get("*") if s != "datasette" else None)
            if path is None:
                continue
            contenders.append(Contender(s, partial(curl_export, srv.base, path, job.rows, srv)))
        marsad_path = job.paths.get("marsad") or job.paths["*"]
        contenders.append(Contender("floor", partial(export_floor, dsn, marsad_path, job.rows)))
        entry: dict[str, Any] = {"title": job.title, "rows": job.rows}
        entry["curl"] = interleaved(contenders, mode.export_rounds, "rows_per_s")
        if job.name.endswith("_small") and "marsad" in servers:
            by_wrk = guarded(wrk, servers["marsad"].port, [marsad_path], mode.seconds * 2, 1, CLIENT_CORE)
            if by_wrk.get("p50_ms"):
                by_wrk["rows_per_s"] = round(job.rows / (by_wrk["p50_ms"] / 1000))
            entry["client_check"] = {
                "wrk_rows_per_s": by_wrk.get("rows_per_s"),
                "curl_rows_per_s": entry["curl"]["summary"].get("marsad", {}).get("median"),
                "load1": load1(),
            }
        out[job.name] = entry
    return out


def export_floor(dsn: str, path: str, rows: int) -> dict[str, Any]:
    """The export's batches in-process (no HTTP), pinned to the server core: rows/s."""
    cmd = ["taskset", "-c", str(SERVER_CORE), PYTHON, "-m", "bench.floor", "--dsn", dsn, "--export", path]
    out = subprocess.run(
        [*cmd, "--rows", str(rows)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-800:])
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- the run -----------------------------------------------------------------------------------


def write_partial(report: dict[str, Any]) -> None:
    """Results so far, in case a long run is interrupted."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{report['mode']}.partial.json").write_text(json.dumps(report, indent=1, default=str))


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg(),
    }


async def _postgres_version(dsn: str) -> str:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()


def run(mode: Mode, seed: int = 1) -> dict[str, Any]:
    if not shutil.which("wrk") or not shutil.which("curl"):
        raise SystemExit(
            "the benchmarks need wrk and curl: `make bench` installs wrk (apt-get install wrk curl)"
        )
    started = time.time()
    base = bench_db.server_dsn()  # keeps the embedded server up for the whole run
    report: dict[str, Any] = {
        "mode": mode.name,
        "seed": seed,
        "machine": machine(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "sql_origin": Q.SQL_ORIGIN,
        "pool_max": int(os.environ.get("MARSAD_POOL_MAX", "10")),
        "wrk_connections": CONNECTIONS,
        "phase_seconds": mode.seconds,
        "rounds": {"throughput": mode.rounds, "fixed_rate": mode.fixed_rounds, "export": mode.export_rounds},
        "sizes": {},
    }
    report["machine"]["postgres"] = asyncio.run(_postgres_version(base))
    report["machine"]["postgres_settings"] = bench_db.server_settings()
    for size in mode.sizes:
        dsn, info = asyncio.run(dataset(size, seed))
        workloads, jobs = asyncio.run(_workloads(dsn, info, seed))
        entry: dict[str, Any] = {"dataset": {k: info[k] for k in ("counts", "seconds")}}
        log(f"{size:,}: plans and in-process latency")
        entry["plans"] = asyncio.run(plans_and_floor(dsn, workloads))
        report["sizes"][str(size)] = entry
        if size in mode.http_sizes:
            sqlite = None
            if "datasette" in mode.servers:
                log(f"{size:,}: SQLite copy for Datasette")
                sqlite = asyncio.run(sqlite_copy(dsn, f"marsad_bench_{size}_s{seed}", info["generator"]))
            servers = {s: Server(s, dsn, sqlite=sqlite) for s in mode.servers}
            try:
                for s, srv in servers.items():
                    srv.wait_ready("/bench.json" if s == "datasette" else "/v1/events?limit=1")

                def save(http: dict[str, Any], entry: dict[str, Any] = entry) -> None:
                    entry["http"] = http
                    write_partial(report)

                entry["http"] = http_phase(servers, dsn, workloads, mode, save)
                entry["export"] = export_phase(servers, dsn, jobs, mode)
                write_partial(report)
            finally:
                for srv in servers.values():
                    srv.stop()
    if mode.extract_articles:
        report.update(articles(mode.ingest_articles, mode.extract_articles))
    report["seconds"] = round(time.time() - started, 1)
    report["machine"]["load_average_at_end"] = os.getloadavg()
    return report


def articles(ingest_count: int, extract_count: int) -> dict[str, Any]:
    """Extraction alone on real articles (one core, cold and warm, profiled) and ingest end to end."""
    log("extraction (one core, real articles)")
    load = load1()
    out = subprocess.run(
        ["taskset", "-c", str(CLIENT_CORE), PYTHON, "-m", "bench.extraction", "--count", str(extract_count)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        timeout=1800,
    )
    report: dict[str, Any] = {}
    report["extraction"] = (
        {**json.loads(out.stdout.strip().splitlines()[-1]), "load1": load}
        if out.returncode == 0
        else {"error": out.stderr[-800:]}
    )
    log("ingest (fresh database)")
    bench_db.server_dsn()
    report["ingest"] = {**guarded(lambda n: asyncio.run(_ingest(n)), ingest_count), "load1": load1()}
    return report


async def _workloads(dsn: str, info: dict[str, Any], seed: int) -> tuple[dict[str, Workload], list[Export]]:
    conn = await asyncpg.connect(dsn)
    try:
        return await build(conn, info, seed), await exports(conn, info)
    finally:
        await conn.close()


async def _ingest(count: int) -> dict[str, Any]:
    dsn = await bench_db.create_database("marsad_bench_ingest")
    try:
        return await ingest_benchmark(dsn, count)
    finally:
        await bench_db.drop_database("marsad_bench_ingest")
