"""Marsad's command line: ``python -m service <command>``. Run with --help for the list."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import asyncpg
import msgspec

from service.api.middleware import configure_logging
from service.articles import ArticleError, read_articles
from service.config import Settings, load_settings
from service.db import documents
from service.db import migrate as migrations
from service.db.pool import check_connection, init_connection, resolve_dsn
from service.errors import DB_UNAVAILABLE, ConfigError, MarsadError

logger = logging.getLogger("marsad")

HAS_DOCUMENTS = """SELECT EXISTS (SELECT 1 FROM information_schema.columns
                                 WHERE table_name = 'events' AND column_name = 'document')"""
HAS_MERGE_STATE = "SELECT to_regclass('merge_actors') IS NOT NULL"


async def prepared_dsn(settings: Settings, *, migrate: bool = True) -> str:
    """The configured database's DSN (embedded started if needed), checked and migrated to head."""
    dsn = await resolve_dsn(settings)
    await check_connection(dsn)
    if migrate:
        await migrate_and_render(dsn)
    return dsn


async def migrate_and_render(dsn: str, revision: str = "head") -> None:
    """Upgrade the schema, then fill what it left missing: event documents (rows written before
    migration 0004, or by a bulk load; resumable) and the merge state (articles stored before
    migration 0005). One-off backfills, logged when they happen."""
    await migrations.upgrade(dsn, revision)
    conn = await asyncpg.connect(dsn)
    try:
        if await conn.fetchval(HAS_DOCUMENTS):
            await init_connection(conn)
            rendered = await documents.fill_missing(conn)
            if rendered:
                logger.info("rendered %d event documents", rendered)
        if await conn.fetchval(HAS_MERGE_STATE):
            from service.ingest import rebuild_state

            merged = await rebuild_state(conn)
            if merged:
                logger.info("built the merge state from %d stored articles", merged)
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def database(settings: Settings, *, migrate: bool = True) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the configured database (embedded started if needed), migrated to head."""
    conn = await asyncpg.connect(await prepared_dsn(settings, migrate=migrate))
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
            raise ConfigError(
                f"cannot listen on {host}:{port}: {exc.strerror} (set MARSAD_PORT/MARSAD_HOST)"
            ) from None


def connector(dsn: str) -> Callable[[], Coroutine[Any, Any, asyncpg.Connection]]:
    async def connect() -> asyncpg.Connection:
        conn = await asyncpg.connect(dsn, timeout=10, server_settings={"application_name": "marsad-ingest"})
        await init_connection(conn)
        return conn

    return connect


class Progress:
    """Progress on stderr: a bar redrawn in place on a terminal, one line per item otherwise."""

    def __init__(self, total: int, quiet: bool = False) -> None:
        self.total, self.done, self.quiet = total, 0, quiet
        self.tty = sys.stderr.isatty()

    def item(self, outcome: Any) -> None:
        self.done += 1
        if self.quiet:
            return
        if self.tty:
            width = 30
            filled = width * self.done // max(self.total, 1)
            print(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}",
                end="",
                file=sys.stderr,
                flush=True,
            )
            if self.done == self.total:
                print(file=sys.stderr)
        else:
            print(
                f"[{self.done}/{self.total}] {outcome.label}: {outcome.status}", file=sys.stderr, flush=True
            )

    def retry(self, message: str) -> None:
        print(("\n" if self.tty else "") + f"marsad: {message}", file=sys.stderr, flush=True)


async def bulk_ingest(
    dsn: str,
    paths: list[Path],
    *,
    batch_size: int = 10,
    retries: int = 5,
    quiet: bool = False,
    max_chars: int | None = None,
    out: Callable[[Any], None] | None = None,
) -> list[Any]:
    """Ingest files and folders (``.txt`` + manifest, NDJSON) through ``service.ingest.ingest_bulk``."""
    from service.articles import iter_inputs
    from service.ingest import ingest_bulk

    items = list(iter_inputs(paths, max_chars))
    progress = Progress(len(items), quiet)

    def on_outcome(outcome: Any) -> None:
        progress.item(outcome)
        if out is not None:
            out(outcome)

    return await ingest_bulk(
        connector(dsn),
        items,
        batch_size=batch_size,
        retries=retries,
        on_outcome=on_outcome,
        on_retry=progress.retry,
    )


def summarize(outcomes: list[Any]) -> tuple[str, list[str]]:
    counts = {s: sum(o.status == s for o in outcomes) for s in ("created", "exists", "failed")}
    line = (
        f"{len(outcomes)} articles: {counts['created']} created, {counts['exists']} already stored, "
        f"{counts['failed']} failed"
    )
    return line, [o.error or o.label for o in outcomes if o.status == "failed"]


async def seed_database(dsn: str, settings: Settings) -> str:
    """Load the seed folder through the bulk ingest path; any failed article is an error."""
    outcomes = await bulk_ingest(dsn, [settings.seeds_dir], quiet=True, max_chars=settings.max_text_chars)
    line, failures = summarize(outcomes)
    if failures:
        raise ConfigError(f"seeding {settings.seeds_dir} failed: {'; '.join(failures)}")
    return f"seeded from {settings.seeds_dir}: {line}"


def cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    from service.app import create_app

    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    check_port_free(host, port)

    async def prepare() -> str:
        dsn = await prepared_dsn(settings, migrate=not args.no_migrate)
        if args.seed:
            print(await seed_database(dsn, settings), file=sys.stderr)
        return dsn

    dsn = asyncio.run(prepare())
    app = create_app(msgspec.structs.replace(settings, database_url=dsn))
    print(
        f"Marsad API on http://{host}:{port}  (OpenAPI: /schema, data: "
        f"{'embedded Postgres in ' + str(settings.pgdata) if settings.embedded else 'DATABASE_URL'})",
        file=sys.stderr,
    )
    configure_logging(settings.log_level)
    # uvicorn shuts down gracefully on SIGTERM and then re-raises the signal; with the default
    # handler that would kill the process before atexit stops the embedded Postgres. Exit instead.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=settings.log_level,
        proxy_headers=True,
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=args.graceful_timeout,
    )


async def cmd_migrate(args: argparse.Namespace, settings: Settings) -> None:
    dsn = await resolve_dsn(settings)
    await check_connection(dsn)
    if args.downgrade:
        await migrations.downgrade(dsn, args.revision or "base")
        print(f"downgraded to {args.revision or 'base'}")
    else:
        await migrate_and_render(dsn, args.revision or "head")
        print(f"migrated to {args.revision or 'head'}")


async def cmd_seed(args: argparse.Namespace, settings: Settings) -> None:
    if args.dir:
        settings = msgspec.structs.replace(settings, seeds_dir=Path(args.dir).absolute())  # noqa: ASYNC240
    print(await seed_database(await prepared_dsn(settings), settings))


async def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    dsn = await prepared_dsn(settings)

    def out(outcome: Any) -> None:
        detail = outcome.source_id if outcome.status != "failed" else outcome.error
        print(f"{outcome.label}\t{outcome.status}\t{detail}", flush=True)

    try:
        outcomes = await bulk_ingest(
            dsn,
            [Path(p) for p in args.paths],
            batch_size=args.batch_size,
            retries=args.retries,
            quiet=args.quiet,
            max_chars=settings.max_text_chars,
            out=out,
        )
    except DB_UNAVAILABLE as exc:
        print(
            f"marsad: error: the database stayed unavailable after {args.retries} retries "
            f"({exc.__class__.__name__}); committed articles are kept, run the same command again to resume",
            file=sys.stderr,
        )
        return 1
    line, failures = summarize(outcomes)
    print(f"marsad: {line}", file=sys.stderr)
    for failure in failures:
        print(f"  failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


async def cmd_reextract(args: argparse.Namespace, settings: Settings) -> None:
    from service.ingest import rebuild

    async with database(settings) as conn:
        report = await rebuild(conn, args.source or None)
    print(msgspec.json.encode(report).decode())


async def cmd_keys(args: argparse.Namespace, settings: Settings) -> None:
    from service.auth import create_key
    from service.db import keys

    async with database(settings) as conn:
        if args.action == "create":
            key, token = await create_key(conn, args.name, args.scope or ["read"])
            print(f"created {key.id} ({key.name}) scopes={','.join(key.scopes)}", file=sys.stderr)
            print("the key is shown once; store it now:", file=sys.stderr)
            print(token)
        elif args.action == "list":
            rows = await keys.list_keys(conn, include_revoked=args.all)
            if args.json:
                print(msgspec.json.encode(rows).decode())
                return
            for k in rows:
                state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "active"
                used = f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never"
                print(
                    f"{k.id}\t{k.name}\t{','.join(k.scopes)}\t{state}\tcreated {k.created_at:%Y-%m-%d %H:%M}"
                    f"\tlast used {used}"
                )
        else:
            key = await keys.revoke_key(conn, args.key_id)
            if key is None:
                raise MarsadError(f"no API key with id {args.key_id!r} (see `python -m service keys list`)")
            print(f"revoked {key.id} ({key.name})")


def cmd_extract(args: argparse.Namespace, settings: Settings) -> None:
    from service.merge import extract

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

    p = sub.add_parser(
        "serve",
        help="migrate the database and serve the HTTP API",
        description="Start the API (uvicorn). Migrates to head first unless --no-migrate.",
    )
    p.add_argument("--host", help="interface to bind (default MARSAD_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default MARSAD_PORT or 8000)")
    p.add_argument("--seed", action="store_true", help="load the seed articles before serving")
    p.add_argument("--no-migrate", action="store_true", help="do not run migrations at start")
    p.add_argument(
        "--graceful-timeout",
        type=int,
        default=10,
        help="seconds to let in-flight requests finish on SIGTERM/SIGINT (default 10)",
    )

    p = sub.add_parser(
        "migrate",
        help="apply (or roll back) schema migrations",
        description="Upgrade the schema to head (or --revision); --downgrade rolls back.",
    )
    p.add_argument("--revision", help="target revision (default head, or base with --downgrade)")
    p.add_argument("--downgrade", action="store_true", help="downgrade instead of upgrade")

    p = sub.add_parser(
        "seed",
        help="load the seed articles through the extraction pipeline",
        description="Ingest seeds/ (articles + manifest.json) in one transaction; idempotent.",
    )
    p.add_argument("--dir", help="folder of seed articles (default MARSAD_SEEDS_DIR or ./seeds)")

    p = sub.add_parser(
        "ingest",
        help="ingest article files, folders or NDJSON files into the database",
        description="Ingest *.txt files (folders may hold a manifest.json) and NDJSON files "
        '(one {"text": ..., "outlet": ..., ...} object per line) in batches, one '
        "transaction each. Prints one tab-separated line per article "
        "(input, created|exists|failed, source id or reason); progress and a summary "
        "go to stderr. Idempotent: run it again to resume. Exit 1 if any article failed.",
    )
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument("--batch-size", type=int, default=10, help="articles per transaction (default 10)")
    p.add_argument(
        "--retries",
        type=int,
        default=5,
        help="reconnect attempts, with backoff, when the database goes away (default 5)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")

    p = sub.add_parser(
        "reextract",
        help="re-run extraction over stored sources and rewrite derived rows",
        description="Rebuild events, actors, claims and conflicts from the stored texts, in one "
        "transaction, and print a JSON report (counts, and the removed or merged ids, "
        "which also go to the change feed).",
    )
    p.add_argument(
        "--source", action="append", metavar="ID", help="only this source (repeatable; default all)"
    )

    p = sub.add_parser(
        "keys",
        help="create, list or revoke API keys",
        description="API keys for the HTTP API (Authorization: Bearer <key>). Only a hash is "
        "stored: the key is printed once, at creation.",
    )
    keys_sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    k = keys_sub.add_parser("create", help="create a key and print it (once)")
    k.add_argument("name", help="who or what uses the key")
    k.add_argument(
        "--scope",
        action="append",
        choices=["read", "write", "admin"],
        help="read, write (implies read) or admin (implies both); repeatable; default read",
    )
    k = keys_sub.add_parser("list", help="list keys (never the keys themselves)")
    k.add_argument("--all", action="store_true", help="include revoked keys")
    k.add_argument("--json", action="store_true", help="print JSON")
    k = keys_sub.add_parser("revoke", help="revoke a key by id")
    k.add_argument("key_id", help="the key's id (key_...)")

    p = sub.add_parser(
        "extract",
        help="print the extraction of articles as JSON, without a database",
        description="Run the pipeline over files/folders and print "
        '{"sources","actors","events","claims","conflicts"} as JSON.',
    )
    p.add_argument("paths", nargs="+", help="files or folders of *.txt (with optional manifest.json)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    return parser


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], Any]] = {
    "serve": cmd_serve,
    "migrate": cmd_migrate,
    "seed": cmd_seed,
    "ingest": cmd_ingest,
    "reextract": cmd_reextract,
    "extract": cmd_extract,
    "keys": cmd_keys,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
        result = COMMANDS[args.command](args, settings)
        if isinstance(result, Coroutine):
            result = asyncio.run(result)
        if isinstance(result, int):
            return result
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
