"""Soak and fault suite (``make soak``): the real server (``python -m service serve``: uvicorn, the
hardened protocol, three pools) on a throwaway Postgres, under the clients that used to stall it.

While an open-loop reader measures ``GET /v1/events`` (latency from the scheduled send time, so a
stalled server is not hidden by a waiting client) and a prober polls ``/ready``, each phase adds:

1. ``baseline``: nothing;
2. ``slow_clients``: 10 writers that send headers and a trickle of a declared 100 KB body, and 10
   NDJSON exporters that read their headers and then stop reading (20 slow clients);
3. ``write_burst``: 20 concurrent distinct ``POST /v1/sources``;
4. ``postgres_restart``: writes (retried on 503 after Retry-After, as a client should) and reads
   while Postgres is stopped and started again mid-stream.

It asserts what issue targets say: reads keep p99 < 500 ms with the slow clients attached, ``/ready``
is truthful (200 exactly when a read can be served), every distinct write is stored once, no 500 ever.
Loopback only; every loop is bounded in count and time. Results: bench/results/soak.json and .md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.generate import generate
from bench.loadgen import percentile
from service.articles import read_articles
from service.auth import create_key
from service.config import PROJECT_ROOT
from service.db.pool import init_connection
from service.ingest import ingest_articles
from tests.test_faults import TmpPostgres, free_port, variants

RESULTS = PROJECT_ROOT / "bench" / "results"
READ_PATH = "/v1/events?limit=20"
READ_RATE = 20.0  # reads per second, open loop
P99_TARGET_MS = 500.0
MAX_PHASE_SECONDS = 120


@dataclass
class Phase:
    name: str
    reads: list[tuple[float, int]] = field(default_factory=list)  # (latency ms, status)
    ready: list[tuple[int, bool]] = field(default_factory=list)  # (status of /ready, a read answered 200)
    notes: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        latencies = sorted(ms for ms, status in self.reads if status == 200)
        statuses: dict[str, int] = {}
        for _, status in self.reads:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        ready = {str(s): sum(1 for r, _ in self.ready if r == s) for s in sorted({r for r, _ in self.ready})}
        return {
            "reads": len(self.reads),
            "read_statuses": statuses,
            "p50_ms": round(percentile(latencies, 50), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "max_ms": round(latencies[-1], 1) if latencies else None,
            "ready_statuses": ready,
            "ready_untruthful": sum(1 for r, ok in self.ready if (r == 200) != ok),
            **self.notes,
        }


class Server:
    """``python -m service serve`` in a subprocess, on DATABASE_URL."""

    def __init__(self, dsn: str, log: Path) -> None:
        self.port = free_port()
        self.log = log
        env = {
            **os.environ,
            "DATABASE_URL": dsn,
            "MARSAD_RATE_LIMIT_PER_MINUTE": "0",
            "MARSAD_LOG_LEVEL": "info",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service", "serve", "--no-migrate", "--port", str(self.port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def wait(self) -> None:
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                try:
                    if (await client.get(self.base + "/health")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError(f"the server did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def reader(base: str, phase: Phase, stop: asyncio.Event) -> None:
    """Open-loop reads at READ_RATE; each latency counts from its scheduled time."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        started = time.perf_counter()
        tasks: list[asyncio.Task[None]] = []

        async def one(scheduled: float) -> None:
            try:
                response = await client.get(READ_PATH)
                status = response.status_code
            except httpx.TransportError:
                status = 0
            phase.reads.append(((time.perf_counter() - scheduled) * 1000, status))

        i = 0
        while not stop.is_set() and i < READ_RATE * MAX_PHASE_SECONDS:
            scheduled = started + i / READ_RATE
            await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
            tasks.append(asyncio.create_task(one(scheduled)))
            i += 1
        await asyncio.gather(*tasks)


async def ready_prober(base: str, phase: Phase, stop: asyncio.Event) -> None:
    """/ready, then a read at once: /ready is truthful when it says 200 exactly when reads work."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for _ in range(MAX_PHASE_SECONDS * 2):
            if stop.is_set():
                return
            try:
                ready = (await client.get("/ready")).status_code
                served = (await client.get(READ_PATH)).status_code == 200
            except httpx.TransportError:
                ready, served = 0, False
            phase.ready.append((ready, served))
            await asyncio.sleep(0.5)


async def slow_writer(port: int, token: str, seconds: float) -> str:
    """Headers and 10 bytes of a declared 100 KB body, then a byte every 2 s; the server's answer."""
    reader_, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            (
                "POST /v1/sources HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\n"
                f"Authorization: Bearer {token}\r\nContent-Length: 100000\r\n\r\n" + '{"text": "'
            ).encode()
        )
        await writer.drain()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = await asyncio.wait_for(reader_.readline(), 2)
                return line.decode(errors="replace").strip() or "closed"
            except TimeoutError:
                writer.write(b"x")
                await writer.drain()
        return "still attached"
    except (ConnectionError, OSError):
        return "closed"
    finally:
        writer.close()


async def slow_exporter(port: int, seconds: float) -> str:
    """An NDJSON export whose client reads the status line, then stops reading."""
    reader_, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET /v1/events?format=ndjson HTTP/1.1\r\nHost: soak\r\n\r\n")
        await writer.drain()
        status = (await asyncio.wait_for(reader_.readline(), 10)).decode(errors="replace").strip()
        await asyncio.sleep(seconds)
        return status
    except (ConnectionError, OSError, TimeoutError):
        return "closed"
    finally:
        writer.close()


async def run_phase(base: str, name: str, load: Any, seconds: float) -> Phase:
    phase = Phase(name)
    stop = asyncio.Event()
    background = [
        asyncio.create_task(reader(base, phase, stop)),
        asyncio.create_task(ready_prober(base, phase, stop)),
    ]
    started = time.monotonic()
    if load is not None:
        phase.notes.update(await load())
    await asyncio.sleep(max(0.0, seconds - (time.monotonic() - started)))
    stop.set()
    await asyncio.gather(*background)
    phase.notes["seconds"] = round(time.monotonic() - started, 1)
    return phase


async def post_with_retries(client: httpx.AsyncClient, token: str, text: str, budget: float) -> list[int]:
    """POST one article, retrying 503s after their Retry-After (within ``budget`` seconds)."""
    statuses = []
    deadline = time.monotonic() + budget
    while True:
        try:
            response = await client.post(
                "/v1/sources", json={"text": text}, headers={"Authorization": f"Bearer {token}"}
            )
            statuses.append(response.status_code)
            if response.status_code != 503 or time.monotonic() > deadline:
                return statuses
            await asyncio.sleep(float(response.headers.get("retry-after", "1")))
        except httpx.TransportError:
            statuses.append(0)
            if time.monotonic() > deadline:
                return statuses
            await asyncio.sleep(1)


async def stored(dsn: str, texts: list[str]) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM sources WHERE text = ANY($1::text[])", texts))
    finally:
        await conn.close()


async def soak(args: argparse.Namespace) -> dict[str, Any]:
    pg = TmpPostgres()
    pg.init()
    pg.start()
    server: Server | None = None
    try:
        admin = await asyncpg.connect(pg.dsn())
        await admin.execute("CREATE DATABASE marsad TEMPLATE template0 ENCODING 'UTF8'")
        await admin.close()
        dsn = pg.dsn("marsad")
        generated = await generate(dsn, args.events)  # migrates; enough rows that an export outlasts buffers
        conn = await asyncpg.connect(dsn)
        await init_connection(conn)
        await ingest_articles(conn, read_articles([PROJECT_ROOT / "seeds"]))
        _, token = await create_key(conn, "soak", ["write"])
        await conn.close()
        server = Server(dsn, Path(args.log))
        await server.wait()
        base, port = server.base, server.port
        phases: list[Phase] = [await run_phase(base, "baseline", None, args.seconds)]

        async def slow_clients() -> dict[str, Any]:
            writers = [asyncio.create_task(slow_writer(port, token, args.seconds)) for _ in range(10)]
            exporters = [asyncio.create_task(slow_exporter(port, args.seconds)) for _ in range(10)]
            await asyncio.sleep(args.seconds * 0.8)
            done = await asyncio.gather(*writers, *exporters)
            return {"slow_writers": _tally(done[:10]), "slow_exporters": _tally(done[10:])}

        phases.append(await run_phase(base, "slow_clients", slow_clients, args.seconds))

        burst_texts = variants(20, "دفعة")

        async def write_burst() -> dict[str, Any]:
            started = time.monotonic()
            async with httpx.AsyncClient(base_url=base, timeout=300) as client:
                responses = await asyncio.gather(
                    *(
                        client.post(
                            "/v1/sources", json={"text": t}, headers={"Authorization": f"Bearer {token}"}
                        )
                        for t in burst_texts
                    )
                )
            return {
                "writes": _tally([str(r.status_code) for r in responses]),
                "writes_seconds": round(time.monotonic() - started, 1),
                "stored": await stored(dsn, burst_texts),
            }

        phases.append(await run_phase(base, "write_burst", write_burst, args.seconds))

        restart_texts = variants(10, "إعادة")

        async def postgres_restart() -> dict[str, Any]:
            async with httpx.AsyncClient(base_url=base, timeout=300) as client:
                writes = [
                    asyncio.create_task(post_with_retries(client, token, t, budget=90)) for t in restart_texts
                ]
                await asyncio.sleep(1)
                await asyncio.to_thread(pg.stop, "fast")
                down_at = time.monotonic()
                await asyncio.sleep(3)
                await asyncio.to_thread(pg.start)
                down = time.monotonic() - down_at
                results = await asyncio.gather(*writes)
            return {
                "postgres_down_seconds": round(down, 1),
                "write_attempts": _tally([str(s) for r in results for s in r]),
                "writes_final": _tally([str(r[-1]) for r in results]),
                "stored": await stored(dsn, restart_texts),
            }

        phases.append(await run_phase(base, "postgres_restart", postgres_restart, args.seconds))
    finally:
        if server is not None:
            server.stop()
        pg.remove()
    return {
        "phases": {p.name: p.summary() for p in phases},
        "dataset": {"synthetic_events": args.events, "generated_seconds": generated["seconds"]["total"]},
        "load_average": os.getloadavg(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "read_rate": READ_RATE,
        "phase_seconds": args.seconds,
    }


def _tally(values: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def verdicts(report: dict[str, Any]) -> list[str]:
    """What failed, against the targets (empty when all hold)."""
    failures = []
    phases = report["phases"]
    for name, p in phases.items():
        if any(s.startswith("5") and s != "503" for s in p["read_statuses"]):
            failures.append(f"{name}: reads answered {p['read_statuses']}")
    slow = phases["slow_clients"]
    if slow["p99_ms"] > P99_TARGET_MS:
        failures.append(f"slow_clients: read p99 {slow['p99_ms']} ms > {P99_TARGET_MS} ms")
    if set(slow["read_statuses"]) != {"200"}:
        failures.append(f"slow_clients: reads answered {slow['read_statuses']}")
    for name in ("baseline", "slow_clients", "write_burst"):
        if phases[name]["ready_untruthful"]:
            failures.append(f"{name}: /ready disagreed with reads {phases[name]['ready_untruthful']} times")
    burst = phases["write_burst"]
    if burst["stored"] != 20 or set(burst["writes"]) - {"201"}:
        failures.append(f"write_burst: {burst['writes']}, {burst['stored']} of 20 stored")
    restart = phases["postgres_restart"]
    if restart["stored"] != 10 or "500" in restart["write_attempts"]:
        failures.append(f"postgres_restart: {restart['write_attempts']}, {restart['stored']} of 10 stored")
    return failures


def markdown(report: dict[str, Any], failures: list[str]) -> str:
    la = ", ".join(f"{x:.2f}" for x in report["load_average"])
    lines = [
        "# Soak and fault suite",
        "",
        f"`make soak` ({report['phase_seconds']} s a phase, reads at {report['read_rate']:g}/s open loop, "
        f"{report['dataset']['synthetic_events']:,} synthetic events + the seeds); "
        f"load average at the end: {la}; {report['machine']['cpus']} CPUs.",
        "",
        "| phase | reads | statuses | p50 ms | p99 ms | max ms | /ready | /ready wrong | notes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, p in report["phases"].items():
        notes = {
            k: v
            for k, v in p.items()
            if k
            not in {
                "reads",
                "read_statuses",
                "p50_ms",
                "p99_ms",
                "max_ms",
                "ready_statuses",
                "ready_untruthful",
            }
        }
        lines.append(
            f"| {name} | {p['reads']} | {p['read_statuses']} | {p['p50_ms']} | {p['p99_ms']} | {p['max_ms']} "
            f"| {p['ready_statuses']} | {p['ready_untruthful']} | {json.dumps(notes, ensure_ascii=False)} |"
        )
    lines += ["", "Verdict: " + ("all targets hold" if not failures else "; ".join(failures)), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="length of each phase (default 30)")
    parser.add_argument("--events", type=int, default=20_000, help="synthetic events (default 20,000)")
    parser.add_argument(
        "--log",
        default="/tmp/marsad-soak-api.log",
        help="the server's log (default /tmp/marsad-soak-api.log)",
    )
    args = parser.parse_args(argv)
    report = asyncio.run(soak(args))
    failures = verdicts(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "soak.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "soak.md").write_text(markdown(report, failures))
    print(markdown(report, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
