"""Extraction throughput on real articles (SaudiNewsNet, ``service.corpora``), one core, cold and
warm, with a profile of where the time goes.

    taskset -c 1 python -m bench.extraction --count 300

- **cold**: a fresh process; the one-time start (imports, knowledge base, lexicons: timed apart), the
  first article alone, then a first pass over ``count`` articles;
- **warm**: the same process, a second pass over ``count`` other articles (the caches the first pass
  filled stay; no article is extracted twice, so nothing is served from a cache of results);
- **profile**: cProfile over a third pass of ``count // 3`` more articles: the functions with the
  most time of their own, and the stages by cumulative time.

Articles come from the days before 2015-08-01, in file order, skipping empty texts; the days
2015-08-01 and 2015-08-02 are never read (an evaluation slice is kept there). Each article is passed
with its outlet, url and the day it was fetched, as a manifest would give them.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

START = time.perf_counter()

from service.corpora import CorpusMissing, NewsArticle, saudinewsnet, saudinewsnet_days  # noqa: E402
from service.extract.document import SourceMeta  # noqa: E402

HELD_BACK = ("2015-08-01", "2015-08-02")  # never read: an evaluation slice lives there


def articles() -> Iterator[tuple[str, SourceMeta, str]]:
    """(text, metadata, ref) of the development days' articles, in order."""
    days = [d for d in saudinewsnet_days() if d not in HELD_BACK and d < HELD_BACK[0]]
    for a in saudinewsnet(days):
        if a.content.strip():
            yield a.content, _meta(a), a.ref


def _meta(a: NewsArticle) -> SourceMeta:
    try:
        published = date.fromisoformat(a.date_extracted[:10])
    except ValueError:
        published = None
    return SourceMeta(
        external_id=f"saudinewsnet:{a.ref}", outlet=a.outlet or None, url=a.url or None, published=published
    )


def _pass(items: list[tuple[str, SourceMeta, str]]) -> dict[str, Any]:
    from service.extract.pipeline import extract_document

    wall, cpu = time.perf_counter(), time.process_time()
    for text, meta, _ in items:
        extract_document(text, meta)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    chars = sum(len(t) for t, _, _ in items)
    return {
        "articles": len(items),
        "seconds": round(wall, 3),
        "articles_per_s": round(len(items) / wall, 1),
        "articles_per_cpu_s": round(len(items) / cpu, 1),
        "chars_per_s": round(chars / wall),
        "mean_chars": round(chars / len(items)),
        "first_ref": items[0][2],
        "last_ref": items[-1][2],
    }


def _profile(items: list[tuple[str, SourceMeta, str]], top: int = 15) -> dict[str, Any]:
    from service.extract.pipeline import extract_document

    profiler = cProfile.Profile()
    profiler.enable()
    for text, meta, _ in items:
        extract_document(text, meta)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]

    def rows(key: int) -> list[dict[str, Any]]:
        entries = sorted(stats.stats.items(), key=lambda kv: kv[1][key], reverse=True)  # type: ignore[attr-defined]
        out = []
        for (path, line, func), (_, calls, own, cumulative, _) in entries[:top]:
            where = path.split("/service/", 1)[-1] if "/service/" in path else path.rsplit("/", 1)[-1]
            out.append(
                {
                    "function": f"{where}:{line}({func})",
                    "calls": calls,
                    "own_s": round(own, 3),
                    "own_share": round(own / total, 3),
                    "cumulative_s": round(cumulative, 3),
                    "cumulative_share": round(cumulative / total, 3),
                }
            )
        return out

    return {
        "articles": len(items),
        "seconds": round(total, 3),
        "by_own_time": rows(2),
        "by_cumulative": rows(3),
    }


def run(count: int) -> dict[str, Any]:
    imported = time.perf_counter()
    from service.extract.pipeline import EXTRACTOR_VERSION, extract_document

    stream = articles()
    first = next(stream)
    t = time.perf_counter()
    extract_document(first[0], first[1])
    first_ms = (time.perf_counter() - t) * 1000
    loaded = time.perf_counter()
    cold = [next(stream) for _ in range(count)]
    warm = [next(stream) for _ in range(count)]
    profiled = [next(stream) for _ in range(max(1, count // 3))]
    return {
        "extractor_version": EXTRACTOR_VERSION,
        "corpus": "SaudiNewsNet (days before 2015-08-01)",
        "start_s": round(imported - START, 3),
        "first_article_ms": round(first_ms, 1),
        "start_to_first_result_s": round(loaded - START, 3),
        "cold": _pass(cold),
        "warm": _pass(warm),
        "profile": _profile(profiled),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="extraction throughput on real articles, one core")
    parser.add_argument("--count", type=int, default=300, help="articles per pass (cold, then warm)")
    args = parser.parse_args()
    try:
        report = run(args.count)
    except CorpusMissing as exc:
        report = {"skipped": str(exc)}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
