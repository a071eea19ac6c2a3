"""Servers side by side, measured in interleaved rounds, so a load swing on a shared machine moves
every contender alike instead of deciding a ratio.

Every contender (a server, or the in-process floor) is measured once per round; the order
alternates from round to round (A B C, then C B A, ...), so each pair is measured next to each
other in time, both ways round. The report gives each contender's median over the rounds with the
spread (lowest and highest), each ratio as the median of the per-round ratios with its spread, and
the machine's 1-minute load average at every measurement.

Servers run pinned to core 0, the load generators (wrk, the open-loop generator, curl) to core 1;
Postgres is not pinned. ``client_check`` compares wrk with curl on one request, to show the
client is not the bottleneck.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil

from service.config import PROJECT_ROOT

SERVER_CORE, CLIENT_CORE = 0, 1
PYTHON = sys.executable

UVICORN = [
    "--host",
    "127.0.0.1",
    "--no-access-log",
    "--log-level",
    "warning",
    "--loop",
    "uvloop",
    "--http",
    "httptools",
]
SERVERS: dict[str, list[str]] = {
    "marsad": [PYTHON, "-m", "uvicorn", "bench.peers.marsad_app:app", *UVICORN],
    "fastapi": [PYTHON, "-m", "uvicorn", "bench.peers.fastapi_app:app", *UVICORN],
    "starlette": [PYTHON, "-m", "uvicorn", "bench.peers.starlette_app:app", *UVICORN],
    "marsad-granian": [
        str(Path(PYTHON).parent / "granian"),
        "--interface",
        "asgi",
        "--host",
        "127.0.0.1",
        "--workers",
        "1",
        "--loop",
        "uvloop",
        "--no-ws",
        "--no-access-log",
        "--log-level",
        "warning",
        "bench.peers.marsad_app:app",
    ],
}
# Datasette 0.65.5 over the SQLite copy: its SQL time limit raised from 1 s to 5 s, like Marsad's
# statement timeout; CSV streaming on (its default).
DATASETTE = [
    str(Path(PYTHON).parent / "datasette"),
    "serve",
    "--host",
    "127.0.0.1",
    "--setting",
    "sql_time_limit_ms",
    "5000",
    "--setting",
    "facet_time_limit_ms",
    "5000",
    "--setting",
    "max_returned_rows",
    "1000",
]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load1() -> float:
    return round(os.getloadavg()[0], 2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One HTTP server process pinned to the server core."""

    def __init__(self, name: str, dsn: str, env: dict[str, str] | None = None, sqlite: Path | None = None):
        self.name, self.port = name, free_port()
        if name == "datasette":
            assert sqlite is not None, "datasette serves the SQLite copy"
            cmd = [*DATASETTE, "--port", str(self.port), "--immutable", str(sqlite)]
        else:
            cmd = [*SERVERS[name], "--port", str(self.port)]
        env = {
            **os.environ,
            "BENCH_DSN": dsn,
            "DATABASE_URL": dsn,
            "MARSAD_RATE_LIMIT_PER_MINUTE": "0",
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

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 120) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {Path(self.log.name).read_text()[-1500:]}")
            try:
                if httpx.get(self.base + path, timeout=30).status_code < 500:
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


# ---- interleaved rounds ------------------------------------------------------------------------


@dataclass
class Contender:
    """One thing measured in each round: ``measure()`` returns a dict with the figure ``key``."""

    name: str
    measure: Callable[[], dict[str, Any]]


def interleaved(contenders: list[Contender], rounds: int, key: str) -> dict[str, Any]:
    """Measure every contender once per round, alternating the order (A B C, C B A, ...)."""
    runs: dict[str, list[dict[str, Any]]] = {c.name: [] for c in contenders}
    for r in range(rounds):
        order = contenders if r % 2 == 0 else contenders[::-1]
        for c in order:
            before = load1()
            try:
                result = c.measure()
            except Exception as exc:  # a failed measurement is a result too
                result = {"error": f"{type(exc).__name__}: {str(exc)[-300:]}"}
            result["load1"] = before
            result["round"] = r
            runs[c.name].append(result)
    return {"rounds": rounds, "key": key, "runs": runs, "summary": summarize(runs, key)}


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
    }


def summarize(runs: dict[str, list[dict[str, Any]]], key: str) -> dict[str, Any]:
    """Per contender: the median figure with its spread and the median load; per pair: the median of
    the per-round ratios (rounds where both measured) with its spread."""
    out: dict[str, Any] = {}
    for name, results in runs.items():
        values = [r[key] for r in results if isinstance(r.get(key), int | float)]
        out[name] = {
            **(
                _spread(values) if values else {"error": next((r.get("error") for r in results), "no result")}
            ),
            "load1": round(statistics.median(r["load1"] for r in results), 2),
            "failed": sum(int(r.get("errors", 0)) + int(r.get("non2xx", 0)) for r in results),
        }
        for extra in ("p50_ms", "p95_ms", "p99_ms", "rss_peak_growth_mb"):
            figures = [r[extra] for r in results if isinstance(r.get(extra), int | float)]
            if figures:
                out[name][extra] = round(statistics.median(figures), 2)
    names = list(runs)
    ratios: dict[str, Any] = {}
    for a in names:
        for b in names:
            if a == b:
                continue
            pairs = [
                x[key] / y[key]
                for x, y in zip(runs[a], runs[b], strict=True)
                if isinstance(x.get(key), int | float) and isinstance(y.get(key), int | float) and y[key]
            ]
            if pairs:
                ratios[f"{a}/{b}"] = _spread(pairs)
    out["ratios"] = ratios
    return out


# ---- measurements ------------------------------------------------------------------------------


def curl_export(base: str, path: str, rows: int, server: Server | None = None) -> dict[str, Any]:
    """One export downloaded by curl (pinned to the client core, identity encoding, body discarded):
    seconds, rows/s for the ``rows`` the request matches, bytes, and the server's peak memory growth."""
    if not shutil.which("curl"):
        raise RuntimeError("curl is not installed")
    cmd = [
        "taskset",
        "-c",
        str(CLIENT_CORE),
        "curl",
        "--silent",
        "--show-error",
        "--fail",
        "--output",
        "/dev/null",
        "--header",
        "Accept-Encoding: identity",
        "--write-out",
        "%{http_code} %{size_download} %{time_total}",
        base + path,
    ]
    base_rss = server.rss() if server else 0
    peak = base_rss
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None:
        if server:
            peak = max(peak, server.rss())
        time.sleep(0.05)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"curl exit {proc.returncode}: {err.strip()[-300:]}")
    status, size, seconds = out.split()
    return {
        "status": int(status),
        "bytes": int(size),
        "seconds": round(float(seconds), 3),
        "rows": rows,
        "rows_per_s": round(rows / float(seconds)),
        "mb_per_s": round(int(size) / float(seconds) / 1e6, 1),
        "rss_peak_growth_mb": round((peak - base_rss) / 1e6, 1) if server else None,
    }
