"""Where one request's time goes, in process, on a generated dataset (docs/benchmarks.md).

``python -m bench.stages timeline --dsn DSN [--path P] [--runs N]``: a rollup timeline's stages
(window, totals, the statement's fetch, building the answer, encoding it), medians over the runs,
and its statement's ``EXPLAIN (ANALYZE, BUFFERS)`` buffers; with ``shape=dense`` or ``shape=sparse``
in the path, the series statement and answer (``service.db.series``).

``python -m bench.stages export --dsn DSN --path P [--runs N]``: a CSV export planned as the server
plans it (``service.api.exports.Export`` with the filters named as ``service.api.listing`` names
them): the path it takes, the first batch (with the plan) and the whole export, in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import time
from urllib.parse import parse_qsl, urlsplit

import asyncpg

from bench.peers import data
from service.api.formats import encoder
from service.db import rollups, series
from service.models import Timeline

TIMELINE = "/v1/stats/timeline?interval=day&group_by=actor"


async def timeline(dsn: str, path: str, runs: int) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        params = parse_qsl(urlsplit(path).query)
        flt, control = data.parse_filter(params)
        flt = await data.resolved(conn, flt)
        cover = flt.cover()
        if cover is None:
            raise SystemExit(f"{path}: not answered from the rollups")
        interval, group_by = control.get("interval", "month"), control.get("group_by", "none")
        shape = control.get("shape", "buckets")
        times: dict[str, list[float]] = {
            k: [] for k in ("window", "totals", "fetch", "build", "encode", "total")
        }
        rows = size = 0
        for _ in range(runs):
            t0 = time.perf_counter()
            window = await rollups.window(conn, cover)
            t1 = time.perf_counter()
            t2 = t1  # the totals are counted in the timeline's statement (one round trip)
            # the statement and build of service.db.series.rollup_points / rollup_timeline /
            # rollup_series, timed apart
            anchor, last = series.axis(window, interval)
            sql, args = rollups.series_statement(window, interval, group_by, 20, anchor, None)
            records = await conn.fetch(sql, *args)
            t3 = time.perf_counter()
            head = next(r for r in records if r["head"])
            groups = sorted((r for r in records if not r["head"]), key=lambda r: r["ord"])
            points = [(r["key"], r["label"], r["offsets"], r["counts"]) for r in groups]
            totals = (head["total"], head["undated"], bool(head["truncated"]))
            if shape == "buckets":  # as the API sends it: series.rollup_timeline_json
                pieces = series.bucket_pieces(interval, anchor, points)
                t4 = time.perf_counter()
                shell = Timeline(
                    interval=interval,  # type: ignore[arg-type]
                    group_by=group_by,  # type: ignore[arg-type]
                    total=totals[0],
                    undated=totals[1],
                    truncated=bool(pieces and totals[2]),
                    buckets=[],
                )
                size = len(b"".join([encoder.encode(shell)[:-2], *pieces, b"]}"]))
            else:
                answer = series.build(interval, group_by, shape, totals, anchor, last, points)
                t4 = time.perf_counter()
                size = len(encoder.encode(answer))
            t5 = time.perf_counter()
            rows = len(records)
            for key, seconds in zip(
                times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t0), strict=True
            ):
                times[key].append(seconds * 1000)
        plan = [r[0] for r in await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, *args)]
        found = re.search(r"shared hit=(\d+)", "\n".join(plan[:3]))
        medians = {k: round(statistics.median(v), 2) for k, v in times.items()}
        print(f"{path}: {rows} rows, {size} bytes, buffers {found.group(1) if found else '?'}, ms {medians}")
    finally:
        await conn.close()


async def export(dsn: str, path: str, runs: int) -> None:
    from service.api import exports
    from service.api.events import EVENTS
    from service.db.filters import EVENT_SORTS

    pool = await data.create_pool(dsn)
    try:
        params = parse_qsl(urlsplit(path).query)
        flt, control = data.parse_filter(params)
        for _ in range(runs):
            query = flt.query()
            sort = EVENT_SORTS[control.get("sort", "-date")]
            job = exports.Export(EVENTS, query, sort, None, None, control.get("format", "csv"), None, None)
            started, size = time.perf_counter(), 0
            async with pool.acquire() as conn:
                chunk = await job.batch(conn)
            first = (time.perf_counter() - started) * 1000
            taken = (
                "split"
                if getattr(job, "phases", None) is not None
                else "walk"
                if job.walk is not None
                else "ids"
                if job.ids is not None
                else "events"
            )
            while chunk is not None:
                size += len(chunk)
                async with pool.acquire() as conn:
                    chunk = await job.batch(conn)
            total = (time.perf_counter() - started) * 1000
            print(f"{path}: {taken}, first batch {first:.1f} ms, total {total:.1f} ms, {size} bytes")
    finally:
        await pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stages", description=__doc__)
    parser.add_argument("what", choices=("timeline", "export"))
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--path", default=TIMELINE)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    run = timeline if args.what == "timeline" else export
    asyncio.run(run(args.dsn, args.path, args.runs))


if __name__ == "__main__":
    main()
