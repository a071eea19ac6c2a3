"""``python -m bench run --quick|--full`` (the Makefile's bench targets), ``python -m bench generate`` and
``python -m bench pages`` (explorer page times)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from bench import runner
from bench.report import DOC, embed, markdown, merge


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Marsad benchmarks")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the benchmarks and write bench/results/<mode>.{json,md}")
    group = run.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="10k events, short phases (default; < 5 minutes)")
    group.add_argument("--full", action="store_true", help="10k / 100k / 1M events, servers compared at 1M")
    run.add_argument("--sizes", help="comma-separated event counts, overriding the mode's")
    run.add_argument("--http-sizes", help="comma-separated sizes at which the servers are compared (0: none)")
    run.add_argument("--seconds", type=float, help="seconds per measurement")
    run.add_argument("--rounds", type=int, help="interleaved rounds (throughput and exports)")
    run.add_argument("--servers", help="comma-separated: marsad, fastapi, starlette, datasette")
    run.add_argument("--workloads", help="comma-separated workload names (default: all)")
    run.add_argument("--no-articles", action="store_true", help="skip the extraction and ingest benchmarks")
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
    rep = sub.add_parser(
        "report",
        help="one report from several runs' results with the same settings (a run finished in parts), "
        "written like a run's: bench/results/NAME.{json,md} and its section of docs/benchmarks.md",
    )
    rep.add_argument("--name", required=True, help="results name, e.g. full")
    rep.add_argument("files", nargs="+", help="results JSON files, oldest first (later ones win)")
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
        report = runner.articles(args.count, args.count * 15)
        runner.RESULTS.mkdir(parents=True, exist_ok=True)
        (runner.RESULTS / "articles.json").write_text(json.dumps(report, indent=1) + "\n")
        print(json.dumps(report, indent=1))
        return
    if args.command == "report":
        report = merge([json.loads(Path(f).read_text()) for f in args.files])
        report["mode"] = args.name
        publish(report, args.name)
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
    if args.rounds:
        mode.rounds = mode.export_rounds = args.rounds
    if args.servers:
        mode.servers = tuple(args.servers.split(","))
    if args.workloads:
        mode.workloads = tuple(args.workloads.split(","))
    if args.no_articles:
        mode.ingest_articles = mode.extract_articles = 0
    if args.name:
        mode.name = args.name
    report = runner.run(mode, args.seed)
    (runner.RESULTS / f"{mode.name}.partial.json").unlink(missing_ok=True)
    publish(report, mode.name)


def publish(report: dict, name: str) -> None:
    """bench/results/NAME.json and .md, and the NAME section of docs/benchmarks.md when it has one."""
    runner.RESULTS.mkdir(parents=True, exist_ok=True)
    (runner.RESULTS / f"{name}.json").write_text(json.dumps(report, indent=1, default=str) + "\n")
    text = markdown(report)
    (runner.RESULTS / f"{name}.md").write_text(text)
    doc = runner.PROJECT_ROOT / DOC
    if (updated := embed(doc.read_text(encoding="utf-8"), name, text)) is not None:
        doc.write_text(updated, encoding="utf-8")
        print(f"{DOC}: the {name} results replaced", file=sys.stderr)
    print(text)
    print(f"results: bench/results/{name}.json and .md", file=sys.stderr)


if __name__ == "__main__":
    main()
