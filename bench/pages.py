"""Explorer page times: ``python -m bench pages [--events N] [--requests R]``.

Serves the app (uvicorn, one process, a pool) over the seeds (``--events 0``, the default) or a
generated dataset of N events (``bench/generate.py``, reused when already generated), then asks for
each page R times in a row from one keep-alive client on loopback, after a warm-up, and reports the
median, p95 and the slowest time per page (the whole response: query, rendering and transfer), with
the load average before and after. Pages are chosen by content: the event with the most sources, the
source with the most spans, the actor with the most events, a filtered list and a full-text search.
Targets (issue: the explorer): every page under 100 ms at the seeds and under 300 ms at 100k events.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
from typing import Any

import asyncpg
import httpx

from bench import runner
from service.app import create_app
from service.config import load_settings
from service.web.harness import serve

WARMUP = 3


CHOICES = {
    "event": "SELECT id FROM events ORDER BY source_count DESC, id LIMIT 1",
    "source": "SELECT source_id FROM event_attributions GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    "actor": "SELECT actor_id FROM event_actors GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    "rare_actor": "SELECT actor_id FROM event_actors GROUP BY 1 ORDER BY count(*), 1 LIMIT 1",
    "claim": "SELECT id FROM claims ORDER BY id LIMIT 1",
}


async def pages(dsn: str) -> dict[str, str]:
    conn = await asyncpg.connect(dsn)
    try:
        chosen = {name: await conn.fetchval(sql) for name, sql in CHOICES.items()}
    finally:
        await conn.close()
    return {
        "events": "/",
        "events filtered": "/?status=occurred&type=CONSULT",
        "events by actor": f"/?actor={chosen['actor']}",
        "events text search": "/?q=Moscow",
        "events page 2": "",  # filled from page 1's next link
        "event": f"/events/{chosen['event']}",
        "source": f"/sources/{chosen['source']}",
        "actor (most events)": f"/actors/{chosen['actor']}",
        "actor (fewest events)": f"/actors/{chosen['rare_actor']}",
        "actors": "/actors",
        "sources": "/sources",
        "claims": "/claims",
        "claims denied": "/claims?stance=denies",
        "claim": f"/claims/{chosen['claim']}",
        "conflicts": "/conflicts",
    }


async def measure(base: str, paths: dict[str, str], requests: int) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        first = (await client.get("/")).text
        marker = 'rel="next"'
        if marker in first:
            href = first.split(marker)[0].rsplit('href="', 1)[1].split('"')[0]
            paths["events page 2"] = "/" + href.replace("&amp;", "&")
        for name, path in paths.items():
            if not path:
                continue
            times = []
            for i in range(WARMUP + requests):
                started = time.perf_counter()
                response = await client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (path, response.status_code, response.text[:200])
                if i >= WARMUP:
                    times.append(elapsed)
            times.sort()
            out[name] = {
                "path": path,  # type: ignore[dict-item]
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                "max_ms": round(times[-1], 1),
                "kb": round(len(response.content) / 1024, 1),
            }
    return out


async def run(events: int, requests: int, seed: int = 1) -> dict[str, Any]:
    """The report for the seeds (``events`` 0: a fresh database, dropped afterwards) or a generated dataset."""
    if events == 0:
        from docs.generate_api import seeded_database

        async with seeded_database() as (dsn, _):
            return await _run(dsn, "seeds", requests)
    dsn, _ = await runner.dataset(events, seed)
    return await _run(dsn, f"{events:,} generated events (seed {seed})", requests)


async def _run(dsn: str, dataset: str, requests: int) -> dict[str, Any]:
    settings = load_settings(
        {
            "DATABASE_URL": dsn,
            "MARSAD_RATE_LIMIT_PER_MINUTE": "0",
            "MARSAD_DATA_DIR": tempfile.mkdtemp(prefix="marsad-bench-pages-"),
        }
    )
    paths = await pages(dsn)
    load_before = os.getloadavg()
    with serve(create_app(settings)) as base:
        results = await measure(base, paths, requests)
    return {
        "dataset": dataset,
        "requests_per_page": requests,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
        "pages": results,
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Explorer pages, {report['dataset']}: {report['requests_per_page']} sequential requests per page "
        f"(one keep-alive client), load average {report['load_average_before']} before, "
        f"{report['load_average_after']} after, {report['cores']} cores.",
        "",
        "| page | path | median ms | p95 ms | max ms | KiB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, r in report["pages"].items():
        lines.append(
            f"| {name} | `{r['path']}` | {r['median_ms']} | {r['p95_ms']} | {r['max_ms']} | {r['kb']} |"
        )
    return "\n".join(lines) + "\n"


def main(events: int, requests: int, seed: int) -> None:
    report = asyncio.run(run(events, requests, seed))
    name = f"pages-{'seeds' if events == 0 else events}"
    runner.RESULTS.mkdir(parents=True, exist_ok=True)
    (runner.RESULTS / f"{name}.json").write_text(json.dumps(report, indent=1, default=str) + "\n")
    text = markdown(report)
    (runner.RESULTS / f"{name}.md").write_text(text)
    print(text)
