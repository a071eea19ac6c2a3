"""Seed-like articles for the extraction and ingest benchmarks, and those two benchmarks.

Variants of the five seeds: paragraphs reordered (the lead stays first), people, places and months
swapped for others from the knowledge base, and a dateline naming another outlet, so every variant
is a new text with the seeds' style, length and density of facts. Deterministic for a seed.

``python -m bench.articles extract --count N`` measures extraction alone (run it pinned to one core).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from typing import Any

import asyncpg

from bench.vocabulary import MONTHS_AR, load_kb
from service.articles import Article, read_articles
from service.config import PROJECT_ROOT
from service.extract.document import SourceMeta

SEEDS = PROJECT_ROOT / "seeds"
MONTHS_EG = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)


def seed_articles() -> list[Article]:
    return read_articles([SEEDS])


def variants(count: int, seed: int = 1) -> list[tuple[str, SourceMeta]]:
    """``count`` seed-like articles (text, metadata), all distinct and different from the seeds."""
    rng = random.Random(seed)
    kb = load_kb()
    seeds = [a.text for a in seed_articles()]
    people = [p["name_ar"] for p in kb["people"]]
    places = [p["name_ar"] for p in kb["places"] if p.get("category", "city") == "city"] or ["دمشق"]
    outlets = [o["name_ar"] for o in kb["organizations"] if o.get("category") == "outlet"] or ["عنب بلدي"]
    seen = set(seeds)
    out: list[tuple[str, SourceMeta]] = []
    k = 0
    while len(out) < count:
        k += 1
        text = seeds[k % len(seeds)]
        for name in people:
            if name in text and rng.random() < 0.7:
                text = text.replace(name, rng.choice(people))
        for place in places:
            if place in text and rng.random() < 0.5:
                text = text.replace(place, rng.choice(places))
        for months in (MONTHS_EG, MONTHS_AR):
            for month in months:
                if month in text and rng.random() < 0.6:
                    text = text.replace(month, rng.choice(months))
        paragraphs = text.split("\n")
        body = paragraphs[1:]
        rng.shuffle(body)
        outlet = rng.choice(outlets)
        text = f"{rng.choice(places)} - {outlet}\n" + "\n".join([paragraphs[0], *body])
        if text in seen:
            continue
        seen.add(text)
        published = None
        if rng.random() < 0.6:
            from datetime import date, timedelta

            published = date(2021, 1, 1) + timedelta(days=rng.randrange(5 * 365))
        out.append(
            (text, SourceMeta(external_id=f"bench-variant-{seed}-{k}", outlet=outlet, published=published))
        )
    return out


def extraction_benchmark(count: int) -> dict[str, Any]:
    """Articles per second through ``extract_document`` over the seeds and ``count`` variants."""
    from service.extract.pipeline import extract_document

    seeds = [(a.text, a.meta) for a in seed_articles()]
    texts = seeds + variants(count)
    extract_document(*texts[0])  # load the knowledge base and lexicons once
    start = time.perf_counter()
    for text, meta in seeds:
        extract_document(text, meta)
    seed_seconds = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    for text, meta in texts:
        extract_document(text, meta)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    chars = sum(len(t) for t, _ in texts)
    return {
        "articles": len(texts),
        "seconds": round(seconds, 3),
        "articles_per_s": round(len(texts) / seconds, 1),
        "cpu_seconds": round(cpu_seconds, 3),
        "articles_per_s_cpu": round(len(texts) / cpu_seconds, 1),
        "seeds_per_s": round(len(seeds) / seed_seconds, 1),
        "mean_chars": round(chars / len(texts)),
    }


async def ingest_benchmark(dsn: str, count: int) -> dict[str, Any]:
    """End to end on a fresh database: the seeds, then ``count`` variants, one article per call
    (each call merges the article incrementally, as POST /v1/sources does), then the rate of a batch."""
    from service.db import migrate
    from service.db.pool import init_connection
    from service.ingest import ingest

    await migrate.upgrade(dsn)
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    try:
        items = [(a.text, a.meta) for a in seed_articles()] + variants(count)
        single = items[: len(items) // 2]
        batch = items[len(items) // 2 :]
        times = []
        for item in single:
            t = time.perf_counter()
            await ingest(conn, [item])
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        await ingest(conn, batch)
        batch_seconds = time.perf_counter() - t
        stored = await conn.fetchval("SELECT count(*) FROM sources")
    finally:
        await conn.close()
    return {
        "one_at_a_time": {
            "articles": len(single),
            "seconds": round(sum(times), 2),
            "articles_per_s": round(len(single) / sum(times), 2),
            "first_ms": round(times[0] * 1000, 1),
            "last_ms": round(times[-1] * 1000, 1),
        },
        "batch": {
            "articles": len(batch),
            "seconds": round(batch_seconds, 2),
            "articles_per_s": round(len(batch) / batch_seconds, 2),
        },
        "stored_sources": stored,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="extraction benchmark over seed-like articles")
    parser.add_argument("command", choices=["extract"])
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()
    print(json.dumps(extraction_benchmark(args.count)))


if __name__ == "__main__":
    main()
