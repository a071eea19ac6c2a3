"""CPU per request, in process: the client's and its Postgres backend's (docs/benchmarks.md).

``python -m bench.request_cpu --dsn DSN --path P [--runs N]`` runs what the servers run for ``P``
(``bench.workloads.floor_call``: Marsad's statements and answer, without HTTP or JSON) ``N`` times on
one connection and prints the CPU seconds per request of this process and of the backend serving it
(from ``/proc/<pid>/stat``, so the server must run on this machine), and the wall time. On a loaded
machine the wall time measures the queue for a core; the CPU time is what a request costs, and is
what a comparison between two trees should look at (run them interleaved: A B B A).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

import asyncpg

from bench.workloads import floor_call

TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


async def measure(dsn: str, path: str, runs: int) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        backend = await conn.fetchval("SELECT pg_backend_pid()")
        for _ in range(5):  # warm: plans and type introspection
            await floor_call(conn, path)
        pg0, own0, wall0 = process_cpu(backend), time.process_time(), time.perf_counter()
        for _ in range(runs):
            await floor_call(conn, path)
        pg, own = process_cpu(backend) - pg0, time.process_time() - own0
        wall = time.perf_counter() - wall0
        load = os.getloadavg()[0]
        print(
            f"{path}: per request Postgres {1000 * pg / runs:.2f} ms CPU, client {1000 * own / runs:.2f} ms CPU, "
            f"wall {1000 * wall / runs:.2f} ms ({runs} runs, load {load:.1f})"
        )
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.request_cpu", description=__doc__)
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(measure(args.dsn, args.path, args.runs))


if __name__ == "__main__":
    main()
