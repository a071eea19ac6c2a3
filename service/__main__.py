"""Marsad's command line: ``python -m service <command>``. Run with --help for the list."""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import functools
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import asyncpg
import msgspec

from service.api.middleware.logs import configure_logging
from service.articles import ArticleError, read_articles
from service.config import Settings, load_settings
from service.db import migrate as migrations
from service.db import renderings
from service.db.pool import check_connection, init_connection, resolve_dsn
from service.errors import ConfigError, MarsadError

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
    migration 0007). One-off backfills, logged when they happen."""
    await migrations.upgrade(dsn, revision)
    conn = await asyncpg.connect(dsn)
    try:
        if await conn.fetchval(HAS_DOCUMENTS):
            await init_connection(conn)
            rendered = await renderings.fill_missing(conn)
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


class Progress:
    """Progress on stderr: a rich progress bar on a terminal, a line per step of progress otherwise."""

    def __init__(self, total: int, quiet: bool = False) -> None:
        self.total, self.quiet, self.done = total, quiet, 0
        self.tty = sys.stderr.isatty()
        self.bar: Any = None
        if not quiet and self.tty:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
            )
            self.task = self.bar.add_task("ingest", total=total, rate="")
            self.bar.start()
        self.started = time.monotonic()

    def update(self, done: int) -> None:
        if done == self.done:
            return
        self.done = done
        if self.quiet:
            return
        rate = f"{done / max(time.monotonic() - self.started, 1e-6):.1f} articles/s"
        if self.bar is not None:
            self.bar.update(self.task, completed=done, rate=rate)
        else:
            print(f"[{done}/{self.total}] {rate}", file=sys.stderr, flush=True)

    def retry(self, message: str) -> None:
        if self.bar is not None:
            self.bar.console.print(f"marsad: {message}")
        else:
            print(f"marsad: {message}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


async def _retrying(
    dsn: str, work: Callable[[asyncpg.Connection], Coroutine[Any, Any, Any]], retries: int, progress: Progress
) -> Any:
    """Run ``work`` on a fresh connection, reconnecting with backoff while the database is away."""
    from service.ingest.worker import RETRYABLE

    delay = 0.5
    for attempt in range(retries + 1):
        try:
            conn = await asyncpg.connect(
                dsn, timeout=10, server_settings={"application_name": "marsad-ingest"}
            )
            try:
                await init_connection(conn)
                return await work(conn)
            finally:
                with contextlib.suppress(Exception):
                    await conn.close(timeout=2)
        except (*RETRYABLE, OSError, TimeoutError) as exc:
            if attempt == retries:
                raise
            progress.retry(
                f"database unavailable ({exc.__class__.__name__}: {exc}); retry {attempt + 1}/{retries} in {delay:g} s"
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)
    raise AssertionError("unreachable")


class Outcome(msgspec.Struct):
    label: str
    status: str
    source_id: str | None = None
    error: str | None = None


async def bulk_ingest(
    dsn: str,
    paths: list[Path],
    *,
    workers: int | None = None,
    batch_size: int | None = None,
    retries: int = 5,
    quiet: bool = False,
    max_chars: int | None = None,
) -> list[Outcome]:
    """Ingest files and folders (``.txt`` + manifest, NDJSON) as one ingest job, processed by a
    worker of this process (``workers`` extraction processes) and by any other worker running.

    Committed chunks stay committed: running the same input again resumes (stored texts are
    recognised by sha256 and reported as ``exists``)."""
    from service.articles import iter_inputs
    from service.ingest import jobs

    items = list(iter_inputs(paths, max_chars))
    progress = Progress(len(items), quiet)
    try:
        job_id = await _retrying(
            dsn, lambda conn: jobs.submit(conn, items, chunk=batch_size or jobs.BULK_CHUNK), retries, progress
        )
        await wait_for_job(dsn, job_id, progress, workers=workers, retries=retries)
        outcomes: list[Outcome] = []
        after: int | None = -1
        while after is not None:
            page = await _retrying(
                dsn, functools.partial(_page, job_id=job_id, after=after), retries, progress
            )
            outcomes += [Outcome(r.label, r.status, r.source_id, r.error) for r in page.results]
            after = page.next_after
        return outcomes
    finally:
        progress.close()


async def wait_for_job(
    dsn: str, job_id: str, progress: Progress, *, workers: int | None, retries: int
) -> None:
    """Run a worker of this process (``workers`` extraction processes) until the job is done,
    showing its progress. Other workers may take some of its chunks; all the better."""
    from service.ingest import jobs
    from service.ingest.worker import run_worker

    stop = asyncio.Event()
    worker = asyncio.create_task(
        run_worker(
            dsn,
            processes=workers,
            stop=stop,
            application_name="marsad-ingest",
            retries=retries,
            on_retry=progress.retry,
            heartbeat=float(os.environ.get("MARSAD_WORKER_HEARTBEAT_SECONDS", "30")),
        )
    )
    try:
        while True:
            found = await _retrying(dsn, lambda conn: jobs.job(conn, job_id, limit=0), retries, progress)
            progress.update(found.done)
            if found.status == "done":
                return
            if worker.done():
                worker.result()  # the worker gave up: its error ends the wait
                raise MarsadError("the worker stopped before the job was done")
            await asyncio.sleep(0.2)
    finally:
        stop.set()
        await asyncio.gather(worker, return_exceptions=True)


async def _page(conn: asyncpg.Connection, job_id: str, after: int) -> Any:
    from service.ingest import jobs

    return await jobs.job(conn, job_id, after=after)


def summarize(outcomes: list[Outcome]) -> tuple[str, list[str]]:
    counts = {s: sum(o.status == s for o in outcomes) for s in ("created", "exists", "failed")}
    line = (
        f"{len(outcomes)} articles: {counts['created']} created, {counts['exists']} already stored, "
        f"{counts['failed']} failed"
    )
    return line, [o.error or o.label for o in outcomes if o.status == "failed"]


async def seed_database(dsn: str, settings: Settings) -> str:
    """Load the seed folder through the ingest job path; any failed article is an error."""
    outcomes = await bulk_ingest(
        dsn, [settings.seeds_dir], workers=1, quiet=True, max_chars=settings.max_text_chars
    )
    line, failures = summarize(outcomes)
    if failures:
        raise ConfigError(f"seeding {settings.seeds_dir} failed: {'; '.join(failures)}")
    return f"seeded from {settings.seeds_dir}: {line}"


def start_embedded_worker(dsn: str, settings: Settings) -> subprocess.Popen[bytes] | None:
    """The worker ``serve`` runs beside the API (``MARSAD_WORKER=false`` turns it off), so a single
    machine needs nothing more; it exits with the server."""
    if not settings.worker:
        return None
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "service",
            "worker",
            "--concurrency",
            str(settings.worker_concurrency),
            "--parent-pid",
            str(os.getpid()),
        ],
        env={**os.environ, "DATABASE_URL": dsn},
    )


def cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    from service.app import create_app
    from service.server import protocol_class

    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    check_port_free(host, port)

    async def prepare() -> str:
        dsn = await prepared_dsn(settings, migrate=not args.no_migrate)
        if args.seed:
            print(await seed_database(dsn, settings), file=sys.stderr)
        return dsn

    dsn = asyncio.run(prepare())
    worker = start_embedded_worker(dsn, settings)
    if worker is not None:
        atexit.register(_stop, worker)
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
        http=protocol_class(settings.header_timeout_s),  # header timeout, problems for malformed requests
        limit_concurrency=settings.limit_concurrency,
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


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


async def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from service.ingest.worker import RETRYABLE

    dsn = await prepared_dsn(settings)
    try:
        outcomes = await bulk_ingest(
            dsn,
            [Path(p) for p in args.paths],
            workers=args.workers,
            batch_size=args.batch_size,
            retries=args.retries,
            quiet=args.quiet,
            max_chars=settings.max_text_chars,
        )
    except (*RETRYABLE, OSError) as exc:
        print(
            f"marsad: error: the database stayed unavailable after {args.retries} retries "
            f"({exc.__class__.__name__}); committed articles are kept, run the same command again to resume",
            file=sys.stderr,
        )
        return 1
    for outcome in outcomes:
        detail = outcome.source_id if outcome.status != "failed" else outcome.error
        print(f"{outcome.label}\t{outcome.status}\t{detail}", flush=True)
    line, failures = summarize(outcomes)
    print(f"marsad: {line}", file=sys.stderr)
    for failure in failures:
        print(f"  failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


async def cmd_worker(args: argparse.Namespace, settings: Settings) -> None:
    from service.ingest.worker import run_worker

    dsn = await prepared_dsn(settings, migrate=False)
    configure_logging(settings.log_level)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    async def orphaned(parent: int) -> None:
        """Stop when the server that started this worker is gone (killed without a goodbye)."""
        while os.getppid() == parent:  # noqa: ASYNC110 (the parent's exit signals nothing to wait on)
            await asyncio.sleep(1)
        stop.set()

    watch = asyncio.create_task(orphaned(args.parent_pid)) if args.parent_pid else None
    print(f"marsad worker: {args.concurrency or 'one per core'} extraction processes", file=sys.stderr)
    await run_worker(
        dsn,
        processes=args.concurrency,
        stop=stop,
        heartbeat=settings.worker_heartbeat,
        extract_nice=args.extract_nice,
    )
    if watch:
        watch.cancel()


async def cmd_reextract(args: argparse.Namespace, settings: Settings) -> None:
    from service.ingest import jobs
    from service.ingest.reextract import SOURCE_IDS, reextract, report

    if args.source:  # a few sources: here and now, one transaction per batch
        async with database(settings) as conn:
            result = await reextract(conn, args.source)
        print(msgspec.json.encode(result).decode())
        return
    dsn = await prepared_dsn(settings)
    async with database(settings, migrate=False) as conn:
        ids = [r["id"] for r in await conn.fetch(SOURCE_IDS)]
        job_id = await jobs.submit_reextract(conn, ids, sweep=True)
    progress = Progress(len(ids), args.quiet)
    try:
        await wait_for_job(dsn, job_id, progress, workers=args.workers, retries=5)
    finally:
        progress.close()
    async with database(settings, migrate=False) as conn:
        found = await jobs.job(conn, job_id, limit=0)
        changes = await jobs.job_changes(conn, job_id)
        assert found is not None
        result = await report(
            conn, found.total, changes.get("changed", {}), changes.get("deleted", {}), found.created_at
        )
    print(msgspec.json.encode(result).decode())


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
            revoked = await keys.revoke_key(conn, args.key_id)
            if revoked is None:
                raise MarsadError(f"no API key with id {args.key_id!r} (see `python -m service keys list`)")
            print(f"revoked {revoked.id} ({revoked.name})")


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
        '(one {"text": ..., "outlet": ..., ...} object per line) as one ingest job on the queue, '
        "processed by a worker of this command (and by any other worker running). Prints one "
        "tab-separated line per article (input, created|exists|failed, source id or reason); "
        "progress and a summary go to stderr. Idempotent: run it again to resume. Exit 1 if any "
        "article failed.",
    )
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="extraction processes of this command's worker (default: one per core); "
        "workers started elsewhere (python -m service worker) help too",
    )
    p.add_argument(
        "--batch-size", type=int, default=None, help="articles per queue job and transaction (default 100)"
    )
    p.add_argument(
        "--retries",
        type=int,
        default=5,
        help="reconnect attempts, with backoff, when the database goes away (default 5)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")

    p = sub.add_parser(
        "worker",
        help="process ingest jobs from the queue",
        description="Take ingest chunks off the queue (in DATABASE_URL's Postgres) and extract and merge "
        "them until stopped (SIGTERM/SIGINT). Run any number, on any machine that reaches the database.",
    )
    p.add_argument(
        "--concurrency", type=int, default=None, help="extraction processes (default: one per core)"
    )
    p.add_argument(
        "--extract-nice",
        type=int,
        default=0,
        help="run the extraction processes this much below the merge's priority (a machine of the worker's own)",
    )
    p.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)

    p = sub.add_parser(
        "reextract",
        help="re-run extraction over stored sources and rewrite derived rows",
        description="Extract the stored texts again with the current extractor and merge the new "
        "extractions in place of the old ones, batch by batch (one transaction each: readers see "
        "the dataset before or after a batch); every source by default, as a job on the queue that "
        "any worker helps with and that survives an interruption. Prints a JSON report (counts, and "
        "the removed or merged ids, which also go to the change feed).",
    )
    p.add_argument(
        "--source", action="append", metavar="ID", help="only this source (repeatable; default all)"
    )
    p.add_argument("--workers", type=int, default=None, help="extraction processes (default: one per core)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")

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
    "worker": cmd_worker,
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
