"""The database floor: the same statements as the servers, through an asyncpg pool in-process,
no HTTP. Run as its own process pinned to the server core: ``python -m bench.floor ...``."""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import asyncpg

from bench.loadgen import MAX_REQUESTS, percentile
from bench.peers import data
from bench.workloads import floor_call


async def _one(pool, path: str) -> bool:  # type: ignore[no-untyped-def]
    """One request's statements; False when the database refused (e.g. the statement timeout)."""
    try:
        async with pool.acquire() as conn, conn.transaction():
            await floor_call(conn, path)
        return True
    except asyncpg.PostgresError:
        return False


async def throughput(dsn: str, paths: list[str], seconds: float, concurrency: int) -> dict:
    pool = await data.create_pool(dsn)
    done = 0
    failed = 0
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def worker(k: int) -> None:
        nonlocal done, failed
        i = k
        while time.perf_counter() < stop and done + failed < MAX_REQUESTS:
            t = time.perf_counter()
            if await _one(pool, paths[i % len(paths)]):
                latencies.append(time.perf_counter() - t)
                done += 1
            else:
                failed += 1
            i += concurrency

    start = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(concurrency)))
    elapsed = time.perf_counter() - start
    await pool.close()
    latencies.sort()
    return {
        "rps": round(done / elapsed, 1),
        "requests": done,
        "non2xx": 0,
        "errors": failed,
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
    }


async def fixed_rate(dsn: str, paths: list[str], rate: float, seconds: float) -> dict:
    pool = await data.create_pool(dsn)
    total = min(int(rate * seconds), MAX_REQUESTS)
    latencies: list[float] = []
    failed = 0

    async def one(i: int, scheduled: float) -> None:
        nonlocal failed
        if await _one(pool, paths[i % len(paths)]):
            latencies.append(time.perf_counter() - scheduled)
        else:
            failed += 1

    tasks = []
    start = time.perf_counter() + 0.05
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(i, scheduled)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    await pool.close()
    latencies.sort()
    return {
        "rate": rate,
        "sent": total,
        "completed": len(latencies),
        "errors": failed,
        "non2xx": 0,
        "dropped": 0,
        "achieved_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else None,
    }


async def export(dsn: str, path: str, rows: int) -> dict:
    """An export's batches (Marsad's own Export, on a pool), bytes joined and dropped: rows/s.

    The export runs once untimed first: this process is new for every round, and a cold pool (type
    introspection, the statements' first plans) made the floor slower than the warm server it is
    the floor of (the quiet 1M run of 2026-12-07: 145k rows/s against the server's 213k)."""
    pool = await data.create_pool(dsn)
    params = parse_qsl(urlsplit(path).query)
    fmt = dict(params).get("format", "ndjson")
    async for _ in data.export_chunks(pool, [p for p in params if p[0] != "format"], fmt):
        pass
    start, size = time.perf_counter(), 0
    async for chunk in data.export_chunks(pool, [p for p in params if p[0] != "format"], fmt):
        size += len(chunk)
    seconds = time.perf_counter() - start
    await pool.close()
    return {"rows": rows, "bytes": size, "seconds": round(seconds, 3), "rows_per_s": round(rows / seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description="in-process asyncpg floor for one workload")
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--paths")
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--export", help="an export's path: measure its batches in-process")
    parser.add_argument("--rows", type=int, help="rows the export matches")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float)
    args = parser.parse_args()
    import uvloop

    uvloop.install()
    if args.export:
        print(json.dumps(asyncio.run(export(args.dsn, args.export, args.rows))))
        return
    paths = [p for p in Path(args.paths).read_text().splitlines() if p]
    if args.rate:
        result = asyncio.run(fixed_rate(args.dsn, paths, args.rate, args.seconds))
    else:
        result = asyncio.run(throughput(args.dsn, paths, args.seconds, args.concurrency))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
