"""Load generators, loopback only and bounded in time and request count.

* ``wrk`` (Debian) for the maximum throughput (closed loop, a Lua script cycling over the paths);
* an open-loop generator (this module's ``main``) for latency at a fixed request rate: requests
  are scheduled at ``i / rate`` and latency is measured from the scheduled time, so a stalled
  server is not hidden by a waiting client (no coordinated omission).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import subprocess
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"
MAX_REQUESTS = 200_000  # no run sends more than this

WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("JSON{\\"requests\\": %%d, \\"non2xx\\": %%d, \\"errors\\": %%d, \\"p50\\": %%d, \\"p95\\": %%d, \\"p99\\": %%d}\\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def wrk(port: int, paths: list[str], seconds: float, connections: int, core: int) -> dict:
    """Closed-loop maximum throughput with wrk pinned to ``core``."""
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "cycle.lua"
        script.write_text(WRK_SCRIPT % {"paths": listing})
        cmd = [
            "taskset",
            "-c",
            str(core),
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://{HOST}:{port}",
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    match = re.search(r"JSON(\{.*\})", out)
    if not match:
        raise RuntimeError(f"wrk gave no result: {out[-500:]}")
    stats = json.loads(match.group(1))
    if not stats["requests"]:
        raise RuntimeError(f"no request completed in {max(1, round(seconds))} s")
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return {
        "rps": float(rps.group(1)) if rps else stats["requests"] / seconds,
        "requests": stats["requests"],
        "non2xx": stats["non2xx"],
        "errors": stats["errors"],
        "p50_ms": stats["p50"] / 1000,
        "p95_ms": stats["p95"] / 1000,
        "p99_ms": stats["p99"] / 1000,
    }


# ---- the open-loop generator ---------------------------------------------------------------


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    match = re.search(rb"content-length:\s*(\d+)", lower)
    if match:
        await reader.readexactly(int(match.group(1)))
    elif b"transfer-encoding: chunked" in lower:
        while True:
            size = int((await reader.readline()).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def open_loop(
    port: int, paths: list[str], rate: float, seconds: float, max_connections: int = 256
) -> dict:
    total = min(int(rate * seconds), MAX_REQUESTS)
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    opened = 0
    latencies: list[float] = []
    errors = 0
    non2xx = 0
    dropped = 0
    requests = [f"GET {p} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode() for p in paths]

    async def one(i: int, scheduled: float) -> None:
        nonlocal errors, non2xx, opened
        conn = idle.pop() if idle else None
        try:
            if conn is None:
                opened += 1
                conn = await asyncio.open_connection(HOST, port)
            reader, writer = conn
            writer.write(requests[i % len(requests)])
            status = await _read_response(reader)
            latencies.append(time.perf_counter() - scheduled)
            if status >= 300:
                non2xx += 1
            idle.append(conn)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            errors += 1

    tasks = []
    start = time.perf_counter() + 0.05
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(tasks) - len(latencies) - errors > max_connections:
            dropped += 1  # the server is hopelessly behind: count it, do not pile on
            continue
        tasks.append(asyncio.ensure_future(one(i, scheduled)))
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=seconds + 30)
    elapsed = time.perf_counter() - start
    for _, writer in idle:
        writer.close()
    latencies.sort()
    return {
        "rate": rate,
        "sent": len(tasks),
        "completed": len(latencies),
        "errors": errors,
        "non2xx": non2xx,
        "dropped": dropped,
        "achieved_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else None,
    }


def fixed_rate(port: int, paths: list[str], rate: float, seconds: float, core: int, python: str) -> dict:
    """Run the open-loop generator in its own process pinned to ``core``."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths))
    cmd = [
        "taskset",
        "-c",
        str(core),
        python,
        "-m",
        "bench.loadgen",
        "--port",
        str(port),
        "--paths",
        f.name,
        "--rate",
        str(rate),
        "--seconds",
        str(seconds),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 90)
    Path(f.name).unlink(missing_ok=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-800:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description="open-loop HTTP load at a fixed rate (loopback only)")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--paths", required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    args = parser.parse_args()
    paths = [p for p in Path(args.paths).read_text().splitlines() if p]
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    print(json.dumps(asyncio.run(open_loop(args.port, paths, args.rate, args.seconds))))


if __name__ == "__main__":
    main()
