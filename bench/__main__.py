"""``python -m bench run --quick|--full`` (the Makefile's bench targets), ``python -m bench generate`` and
``python -m bench pages`` (explorer page times)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from bench import runner
from bench.report import markdown


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Marsad benchmarks")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the benchmarks and write bench/results/<mode>.{json,md}")
    group = run.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="10k events, short phases (default; < 5 minutes)")
    group.add_argument("--full", action="store_true", help="10k / 100k / 1M events, servers compared at 1M")
    run.add_argument("--sizes", help="comma-separated event counts, overriding the mode's")
    run.add_argument("--http-sizes", help="comma-separated sizes at which the servers are compared (0: none)")
    run.add_argument("--seconds", type=float, help="seconds per measured phase")
    run.add_argument("--seed", type=int, default=1)
    run.add_argument("--name", help="results file name (default: the mode, e.g. quick or full)")
    art = sub.add_parser(
        "articles", help="only the extraction and ingest benchmarks (bench/results/articles.json)"
    )
    art.add_argument("--count", type=int, default=20)
    pages = sub.add_parser("pages", help="explorer page times (bench/results/pages-<dataset>.{json,md})")
    pages.add_argument("--events", type=int, default=0, help="generated events (0: the seeds)")
    pages.add_argument("--requests", type=int, default=30, help="measured requests per page")
    pages.add_argument("--seed", type=int, default=1)
    gen = sub.add_parser("generate", help="generate one dataset into a fresh database and print its report")
    gen.add_argument("--events", type=int, required=True)
    gen.add_argument("--seed", type=int, default=1)
    sub.add_parser(
        "vocabulary",
        help="refresh bench/data/vocabulary.json from the extractor's knowledge base (changes the datasets)",
    )
    args = parser.parse_args()

    if args.command == "vocabulary":
        from bench.vocabulary import SNAPSHOT, write_snapshot

        print(f"{SNAPSHOT.relative_to(runner.PROJECT_ROOT)}: {write_snapshot()}")
        return
    if args.command == "generate":
        dsn, info = asyncio.run(runner.dataset(args.events, args.seed))
        print(json.dumps({"dsn": dsn, **info}, indent=2, default=str))
        return
    if args.command == "pages":
        from bench import pages as page_bench

        page_bench.main(args.events, args.requests, args.seed)
        return
    if args.command == "articles":
        report = runner.articles(args.count, args.count * 10)
        runner.RESULTS.mkdir(parents=True, exist_ok=True)
        (runner.RESULTS / "articles.json").write_text(json.dumps(report, indent=1) + "\n")
        print(json.dumps(report, indent=1))
        return
    mode = runner.FULL if args.full else runner.QUICK
    if args.sizes:
        mode.sizes = tuple(int(s) for s in args.sizes.split(","))
        mode.name = f"{mode.name}-{'-'.join(str(s) for s in mode.sizes)}"
    if args.http_sizes:
        mode.http_sizes = tuple(int(s) for s in args.http_sizes.split(","))
    elif args.sizes:
        mode.http_sizes = (mode.sizes[-1],)
    if args.seconds:
        mode.seconds = args.seconds
    if args.name:
        mode.name = args.name
    report = runner.run(mode, args.seed)
    runner.RESULTS.mkdir(parents=True, exist_ok=True)
    (runner.RESULTS / f"{mode.name}.json").write_text(json.dumps(report, indent=1, default=str) + "\n")
    text = markdown(report)
    (runner.RESULTS / f"{mode.name}.md").write_text(text)
    (runner.RESULTS / f"{mode.name}.partial.json").unlink(missing_ok=True)
    print(text)
    print(f"results: bench/results/{mode.name}.json and .md", file=sys.stderr)


if __name__ == "__main__":
    main()
