"""The benchmark run: datasets, plans, servers side by side, export, ingest and extraction.

Every HTTP server runs pinned to core 0 and every load generator to core 1 (Postgres is not
pinned); all traffic goes to 127.0.0.1, each phase bounded in time and request count.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
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
from bench.loadgen import fixed_rate, wrk
from bench.workloads import Workload, build, floor_call
from service.config import PROJECT_ROOT
from service.db import documents, migrate
from service.db.events import SELECT_DOCUMENT
from service.db.pool import init_connection

SERVER_CORE, CLIENT_CORE = 0, 1
PYTHON = sys.executable
RESULTS = PROJECT_ROOT / "bench" / "results"
CONNECTIONS = 16  # wrk connections for the throughput phase


@dataclass
class Mode:
    name: str
    sizes: tuple[int, ...]
    seconds: float  # per throughput / fixed-rate phase
    warmup: float
    servers: tuple[str, ...]
    workloads: tuple[str, ...] | None  # None: all
    server_choice: bool
    ingest_articles: int
    extract_articles: int
    http_sizes: tuple[int, ...]  # sizes at which the servers are compared (the others: plans + floor only)
    max_fixed_seconds: float = 20.0  # a fixed-rate phase lasts long enough for ~30 requests, at most this


QUICK = Mode(
    "quick", (10_000,), 1.5, 0.5, ("marsad", "fastapi", "starlette"), None, False, 10, 50, (10_000,), 4.0
)
FULL = Mode(
    "full",
    (10_000, 100_000, 1_000_000),
    6.0,
    2.0,
    ("marsad", "fastapi", "starlette"),
    None,
    True,
    20,
    200,
    (1_000_000,),
)

SERVERS = {
    "marsad": ("uvicorn", "bench.peers.marsad_app:app"),
    "marsad-granian": ("granian", "bench.peers.marsad_app:app"),
    "fastapi": ("uvicorn", "bench.peers.fastapi_app:app"),
    "starlette": ("uvicorn", "bench.peers.starlette_app:app"),
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One HTTP server process pinned to the server core."""

    def __init__(self, name: str, dsn: str, env: dict[str, str] | None = None) -> None:
        self.name, self.port = name, free_port()
        kind, target = SERVERS[name]
        if kind == "uvicorn":
            cmd = [
                PYTHON,
                "-m",
                "uvicorn",
                target,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
                "--log-level",
                "warning",
                "--loop",
                "uvloop",
                "--http",
                "httptools",
            ]
        else:
            cmd = [
                str(Path(PYTHON).parent / "granian"),
                "--interface",
                "asgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                "1",
                "--loop",
                "uvloop",
                "--no-ws",
                "--no-access-log",
                "--log-level",
                "warning",
                target,
            ]
        env = {
            **os.environ,
            "BENCH_DSN": dsn,
            "DATABASE_URL": dsn,
            "MARSAD_RATE_LIMIT_PER_MINUTE": "100000000",
            "MARSAD_LOG_LEVEL": "warning",
            "PYTHONPATH": str(PROJECT_ROOT),
            **(env or {}),
        }
        self.log = tempfile.NamedTemporaryFile("w+", prefix=f"bench-{name}-", suffix=".log", delete=False)  # noqa: SIM115
        self.proc = subprocess.Popen(
            ["taskset", "-c", str(SERVER_CORE), *cmd],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, path: str, timeout: float = 90) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {Path(self.log.name).read_text()[-1500:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}{path}", timeout=30).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} not ready after {timeout}s")

    def rss(self) -> int:
        """Resident memory of the server and its children (granian runs a worker process)."""
        try:
            p = psutil.Process(self.proc.pid)
            return sum(c.memory_info().rss for c in [p, *p.children(recursive=True)])
        except psutil.Error:
            return 0

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        Path(self.log.name).unlink(missing_ok=True)


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
        rendered = await documents.fill_missing(conn)
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
        return Q.facets(flt)
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
                    else Q.facets(flt)
                )
            plan = []
            if st is not None:
                plan = [r[0] for r in await conn.fetch("EXPLAIN (ANALYZE, COSTS OFF) " + st.sql, *st.args)]
            for p in wl.paths[:repeat]:  # warm the cache first: the servers are measured warm too
                async with conn.transaction():
                    await floor_call(conn, p)
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


def http_phase(
    servers: dict[str, Server], dsn: str, workloads: dict[str, Workload], mode: Mode, partial: Any = None
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, wl in workloads.items():
        if name.startswith("_") or (mode.workloads and name not in mode.workloads):
            continue
        log(f"workload {name}")
        try:
            paths = {
                s: walk_pages(srv.port, wl.paths[0], 10) if wl.walk else wl.paths
                for s, srv in servers.items()
            }
            paths["floor"] = floor_walk(dsn, wl.paths[0], 10) if wl.walk else wl.paths
        except Exception as exc:
            results[name] = {"title": wl.title, "error": str(exc)[-300:]}
            continue
        entry: dict[str, Any] = {
            "title": wl.title,
            "paths": len(wl.paths),
            "throughput": {},
            "fixed_rate": {},
        }
        for s, srv in servers.items():
            bad = [
                p
                for p in paths[s][:3]
                if httpx.get(f"http://127.0.0.1:{srv.port}{p}", timeout=60).status_code != 200
            ]
            if bad:
                entry["throughput"][s] = {"error": f"HTTP status != 200 for {bad[0]}"}
                continue
            guarded(wrk, srv.port, paths[s], mode.warmup, CONNECTIONS, CLIENT_CORE)
            entry["throughput"][s] = guarded(wrk, srv.port, paths[s], mode.seconds, CONNECTIONS, CLIENT_CORE)
        entry["throughput"]["floor"] = guarded(floor_subprocess, dsn, paths["floor"], mode.seconds)
        rates = [r["rps"] for r in entry["throughput"].values() if r.get("rps")]
        rate = max(2.0, round(0.5 * min(rates), 1)) if rates else 2.0
        # At least ~30 requests per percentile estimate, within the mode's cap.
        seconds = min(max(mode.seconds, 30 / rate), mode.max_fixed_seconds)
        entry["rate"], entry["fixed_rate_seconds"] = rate, round(seconds, 1)
        for s, srv in servers.items():
            if "error" in entry["throughput"][s]:
                continue
            entry["fixed_rate"][s] = guarded(
                fixed_rate, srv.port, paths[s], rate, seconds, CLIENT_CORE, PYTHON
            )
        entry["fixed_rate"]["floor"] = guarded(floor_subprocess, dsn, paths["floor"], seconds, rate)
        # Marsad alone at half of its own throughput: its latency at a steady load it can carry
        # (the shared rate above is set by the slowest peer).
        own = entry["throughput"].get("marsad", {}).get("rps")
        if own and "marsad" in servers and 0.5 * own > rate:
            own_rate = round(0.5 * own, 1)
            own_seconds = min(max(mode.seconds, 30 / own_rate), mode.max_fixed_seconds)
            entry["own_rate"] = {
                "rate": own_rate,
                "seconds": round(own_seconds, 1),
                "marsad": guarded(
                    fixed_rate,
                    servers["marsad"].port,
                    paths["marsad"],
                    own_rate,
                    own_seconds,
                    CLIENT_CORE,
                    PYTHON,
                ),
            }
        results[name] = entry
        if partial is not None:
            partial(results)
    return results


def export_phase(servers: dict[str, Server], workloads: dict[str, Workload]) -> dict[str, Any]:
    """Each server streams the small export, then the large one: rows/s and peak memory growth
    (constant memory: the growth does not depend on the size of the export)."""
    out: dict[str, Any] = {}
    for s, srv in servers.items():
        small = guarded(_export_one, srv, workloads["_export_small"].paths[0])
        gzip = guarded(_export_one, srv, workloads["_export_small"].paths[0], "gzip")
        out[s] = {
            **guarded(_export_one, srv, workloads["_export"].paths[0]),
            "small_rows": small.get("rows"),
            "small_rss_peak_growth_mb": small.get("rss_peak_growth_mb"),
            "small_rows_per_s": small.get("rows_per_s"),
            "small_gzip_rows_per_s": gzip.get("rows_per_s"),
        }
        log(f"export {s}: {out[s]}")
    return out


async def export_floor(dsn: str, path: str) -> dict[str, Any]:
    """The export in-process, no HTTP: the statements alone (records read), and the statements plus
    the NDJSON body Marsad writes (stored documents joined): what the database and the driver allow."""
    from urllib.parse import parse_qsl

    from bench.peers import data

    params = [p for p in parse_qsl(urlsplit(path).query) if p[0] != "format"]
    conn = await asyncpg.connect(dsn)
    out: dict[str, Any] = {}
    try:
        for key, join in (("statements_rows_per_s", False), ("ndjson_rows_per_s", True)):
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                start, rows, size = time.perf_counter(), 0, 0
                async for batch in data.export_batches(conn, params):
                    rows += len(batch.events)
                    if join:
                        size += len(b"\n".join(batch.documents))
                out[key] = round(rows / (time.perf_counter() - start))
    finally:
        await conn.close()
    return out


def _export_one(srv: Server, path: str, encoding: str = "identity") -> dict[str, Any]:
    """Stream one export; rows, rows/s and the server's peak resident memory growth (sampled)."""
    base = srv.rss()
    peak = base
    rows = 0
    nbytes = 0
    start = time.perf_counter()
    last_sample = 0.0
    try:
        # No compression by default: the peers do not compress, and wrk does not ask for it either.
        with (
            httpx.Client(timeout=600, headers={"Accept-Encoding": encoding}) as client,
            client.stream("GET", f"http://127.0.0.1:{srv.port}{path}") as r,
        ):
            if r.status_code != 200:
                return {"error": f"HTTP {r.status_code}"}
            for chunk in r.iter_bytes():
                rows += chunk.count(b"\n")
                nbytes += len(chunk)
                now = time.perf_counter()
                if now - last_sample > 0.05:
                    peak = max(peak, srv.rss())
                    last_sample = now
    except httpx.HTTPError as exc:
        return {"error": str(exc)}
    seconds = time.perf_counter() - start
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "mb": round(nbytes / 1e6, 1),
        "rss_before_mb": round(base / 1e6, 1),
        "rss_peak_growth_mb": round((peak - base) / 1e6, 1),
    }


def server_choice(dsn: str, workloads: dict[str, Workload], mode: Mode) -> dict[str, Any]:
    """Marsad under uvicorn and under granian, and with a smaller pool: which server and pool to ship."""
    out: dict[str, Any] = {}
    names = ("event_by_id", "events_date_actor")
    variants = {
        "uvicorn, pool 10": ("marsad", {"MARSAD_POOL_MAX": "10"}),
        "granian, pool 10": ("marsad-granian", {"MARSAD_POOL_MAX": "10"}),
        "uvicorn, pool 4": ("marsad", {"MARSAD_POOL_MAX": "4"}),
    }
    for s, (server, env) in variants.items():
        srv = Server(server, dsn, env)
        try:
            srv.wait_ready("/health")
            out[s] = {}
            for name in names:
                wl = workloads[name]
                wrk(srv.port, wl.paths, mode.warmup, CONNECTIONS, CLIENT_CORE)
                out[s][name] = wrk(srv.port, wl.paths, mode.seconds, CONNECTIONS, CLIENT_CORE)
        finally:
            srv.stop()
    return out


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
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk)")
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
        "sizes": {},
    }
    report["machine"]["postgres"] = asyncio.run(_postgres_version(base))
    report["machine"]["postgres_settings"] = bench_db.server_settings()
    for size in mode.sizes:
        dsn, info = asyncio.run(dataset(size, seed))
        workloads = asyncio.run(_workloads(dsn, info, seed))
        entry: dict[str, Any] = {"dataset": {k: info[k] for k in ("counts", "seconds")}}
        log(f"{size:,}: plans and in-process latency")
        entry["plans"] = asyncio.run(plans_and_floor(dsn, workloads))
        if size in mode.http_sizes:
            servers = {s: Server(s, dsn) for s in mode.servers}
            try:
                for srv in servers.values():
                    srv.wait_ready("/v1/events?limit=1")
                report["sizes"][str(size)] = entry

                def save(http: dict[str, Any], entry: dict[str, Any] = entry) -> None:
                    entry["http"] = http
                    write_partial(report)

                entry["http"] = http_phase(servers, dsn, workloads, mode, save)
                entry["export"] = export_phase(servers, workloads)
                entry["export"]["in-process"] = guarded(
                    lambda d, p: asyncio.run(export_floor(d, p)), dsn, workloads["_export"].paths[0]
                )
            finally:
                for srv in servers.values():
                    srv.stop()
            if mode.server_choice:
                log("server choice: uvicorn vs granian")
                entry["server_choice"] = guarded(server_choice, dsn, workloads, mode)
        report["sizes"][str(size)] = entry
    report.update(articles(mode.ingest_articles, mode.extract_articles))
    report["seconds"] = round(time.time() - started, 1)
    return report


def articles(ingest_count: int, extract_count: int) -> dict[str, Any]:
    """Extraction alone (one core) and ingest end to end (fresh database)."""
    log("extraction (one core)")
    out = subprocess.run(
        [
            "taskset",
            "-c",
            str(CLIENT_CORE),
            PYTHON,
            "-m",
            "bench.articles",
            "extract",
            "--count",
            str(extract_count),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        timeout=600,
    )
    report: dict[str, Any] = {}
    report["extraction"] = (
        json.loads(out.stdout.strip().splitlines()[-1])
        if out.returncode == 0
        else {"error": out.stderr[-800:]}
    )
    log("ingest (fresh database)")
    bench_db.server_dsn()
    report["ingest"] = guarded(lambda n: asyncio.run(_ingest(n)), ingest_count)
    return report


async def _workloads(dsn: str, info: dict[str, Any], seed: int) -> dict[str, Workload]:
    conn = await asyncpg.connect(dsn)
    try:
        return await build(conn, info, seed)
    finally:
        await conn.close()


async def _ingest(count: int) -> dict[str, Any]:
    dsn = await bench_db.create_database("marsad_bench_ingest")
    try:
        return await ingest_benchmark(dsn, count)
    finally:
        await bench_db.drop_database("marsad_bench_ingest")
