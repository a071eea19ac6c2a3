"""Marsad's command line: ``python -m service <command>``. Run with --help for the list."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import asyncpg
import msgspec

from service.articles import ArticleError, read_articles
from service.config import Settings, load_settings
from service.db import migrate as migrations
from service.db.pool import check_connection, init_connection, resolve_dsn
from service.errors import ConfigError, MarsadError

logger = logging.getLogger("marsad")


@contextlib.asynccontextmanager
async def database(settings: Settings, *, migrate: bool = True) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the configured database (embedded started if needed), migrated to head."""
    dsn = await resolve_dsn(settings)
    await check_connection(dsn)
    if migrate:
        await migrations.upgrade(dsn)
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    try:
        yield conn
    finally:
        await conn.close()


def check_port_free(host: str, port: int) -> None:
    """Fail fast when the HTTP port is taken, instead of after the database has started."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror} (set MARSAD_PORT/MARSAD_HOST)") from None


async def seed_database(conn: asyncpg.Connection, settings: Settings) -> str:
    from service.ingest import ingest_articles

    articles = read_articles([settings.seeds_dir])
    report = await ingest_articles(conn, articles)
    created = sum(r.created for r in report.results)
    return f"seeded {len(articles)} articles from {settings.seeds_dir} ({created} new, {len(articles) - created} already stored)"


def cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    from service.app import create_app

    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    check_port_free(host, port)

    async def prepare() -> str:
        async with database(settings, migrate=not args.no_migrate) as conn:
            if args.seed:
                print(await seed_database(conn, settings), file=sys.stderr)
        return await resolve_dsn(settings)

    dsn = asyncio.run(prepare())
    app = create_app(msgspec.structs.replace(settings, database_url=dsn))
    print(f"Marsad API on http://{host}:{port}  (OpenAPI: /schema, data: "
          f"{'embedded Postgres in ' + str(settings.pgdata) if settings.embedded else 'DATABASE_URL'})", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level, proxy_headers=True,
                timeout_graceful_shutdown=10)


async def cmd_migrate(args: argparse.Namespace, settings: Settings) -> None:
    dsn = await resolve_dsn(settings)
    await check_connection(dsn)
    if args.downgrade:
        await migrations.downgrade(dsn, args.revision or "base")
        print(f"downgraded to {args.revision or 'base'}")
    else:
        await migrations.upgrade(dsn, args.revision or "head")
        print(f"migrated to {args.revision or 'head'}")


async def cmd_seed(args: argparse.Namespace, settings: Settings) -> None:
    if args.dir:
        settings = msgspec.structs.replace(settings, seeds_dir=Path(os.path.abspath(args.dir)))
    async with database(settings) as conn:
        print(await seed_database(conn, settings))


async def cmd_ingest(args: argparse.Namespace, settings: Settings) -> None:
    from service.ingest import ingest_articles

    articles = read_articles([Path(p) for p in args.paths])
    async with database(settings) as conn:
        report = await ingest_articles(conn, articles)
    for article, result in zip(articles, report.results, strict=True):
        print(f"{article.path}\t{result.source_id}\t{'created' if result.created else 'exists'}")


async def cmd_reextract(args: argparse.Namespace, settings: Settings) -> None:
    from service.ingest import rebuild

    async with database(settings) as conn:
        report = await rebuild(conn)
    print(msgspec.json.encode(report).decode())


def cmd_extract(args: argparse.Namespace, settings: Settings) -> None:
    from service.extract.pipeline import extract

    articles = read_articles([Path(p) for p in args.paths])
    dataset = extract([(a.text, a.meta) for a in articles])
    out = {
        "sources": [r.source for r in dataset.sources],
        "actors": dataset.actors,
        "events": dataset.events,
        "claims": dataset.claims,
        "conflicts": dataset.conflicts,
    }
    data = msgspec.json.encode(out)
    if args.pretty:
        data = msgspec.json.format(data, indent=2)
    sys.stdout.write(data.decode() + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m service",
        description="Marsad: Arabic news as a source-attributed event dataset. "
                    "Without DATABASE_URL, commands use an embedded Postgres in MARSAD_DATA_DIR.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="migrate the database and serve the HTTP API",
                       description="Start the API (uvicorn). Migrates to head first unless --no-migrate.")
    p.add_argument("--host", help="interface to bind (default MARSAD_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default MARSAD_PORT or 8000)")
    p.add_argument("--seed", action="store_true", help="load the seed articles before serving")
    p.add_argument("--no-migrate", action="store_true", help="do not run migrations at start")

    p = sub.add_parser("migrate", help="apply (or roll back) schema migrations",
                       description="Upgrade the schema to head (or --revision); --downgrade rolls back.")
    p.add_argument("--revision", help="target revision (default head, or base with --downgrade)")
    p.add_argument("--downgrade", action="store_true", help="downgrade instead of upgrade")

    p = sub.add_parser("seed", help="load the seed articles through the extraction pipeline",
                       description="Ingest seeds/ (articles + manifest.json) in one transaction; idempotent.")
    p.add_argument("--dir", help="folder of seed articles (default MARSAD_SEEDS_DIR or ./seeds)")

    p = sub.add_parser("ingest", help="ingest article files or folders into the database",
                       description="Ingest *.txt files (folders may hold a manifest.json) in one transaction.")
    p.add_argument("paths", nargs="+", help="files or folders")

    sub.add_parser("reextract", help="re-run extraction over every stored source and rewrite derived rows",
                   description="Rebuild events, actors, claims and conflicts from the stored texts.")

    p = sub.add_parser("extract", help="print the extraction of articles as JSON, without a database",
                       description="Run the pipeline over files/folders and print "
                                   '{"sources","actors","events","claims","conflicts"} as JSON.')
    p.add_argument("paths", nargs="+", help="files or folders of *.txt (with optional manifest.json)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    return parser


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], Any]] = {
    "serve": cmd_serve, "migrate": cmd_migrate, "seed": cmd_seed, "ingest": cmd_ingest,
    "reextract": cmd_reextract, "extract": cmd_extract,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
        result = COMMANDS[args.command](args, settings)
        if isinstance(result, Coroutine):
            asyncio.run(result)
    except (ConfigError, ArticleError, MarsadError) as exc:
        print(f"marsad: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last resort: one line, never a traceback (MARSAD_DEBUG=1 shows it)
        if os.environ.get("MARSAD_DEBUG"):
            raise
        print(f"marsad: error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
