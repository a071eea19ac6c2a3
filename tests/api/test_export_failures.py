"""Streamed exports over a real HTTP server (uvicorn, in this event loop): a slow reader holds no
database connection, a failure after the headers is a failed transfer (never a complete-looking
short file) and is counted, a failure before them is a problem, a stalled client is dropped."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn

import service.api.exports as exports
from service.app import create_app
from service.config import load_settings
from service.db.pool import SingleConnection


@pytest.fixture
async def server(conn: asyncpg.Connection, tmp_path: Path) -> AsyncIterator[str]:
    """The app behind uvicorn on a free port, its requests inside the test's transaction."""
    settings = load_settings({"MARSAD_DATA_DIR": str(tmp_path)})
    app = create_app(settings, connections=SingleConnection(conn))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="off")
    uv = uvicorn.Server(config)
    task = asyncio.create_task(uv.serve())
    while not uv.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        await task


def _fail_after(batches: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches after the first ``batches`` fail as a statement timeout would."""
    calls = {"n": 0}
    original = exports.Export.batch

    async def batch(self: Any, conn: asyncpg.Connection) -> bytes | None:
        calls["n"] += 1
        if calls["n"] > batches:
            raise asyncpg.QueryCanceledError("canceling statement due to statement timeout")
        return await original(self, conn)

    monkeypatch.setattr(exports.Export, "batch", batch)


@pytest.mark.parametrize("fmt", ["ndjson", "csv"])
async def test_an_error_after_the_headers_is_a_failed_transfer(
    server: str, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setattr(exports, "BATCH_ROWS", 2)
    _fail_after(2, monkeypatch)
    received = b""
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        with pytest.raises(httpx.RemoteProtocolError):  # the chunked body never ends properly
            async with client.stream("GET", "/v1/events", params={"format": fmt}) as response:
                assert response.status_code == 200
                async for chunk in response.aiter_raw():
                    received += chunk
        assert received  # the first batches arrived
        metrics = (await client.get("/metrics")).text
    assert 'marsad_exports_aborted_total{reason="database"} 1' in metrics


async def test_an_error_in_the_first_batch_is_a_problem(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _fail_after(0, monkeypatch)
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        response = await client.get("/v1/events", params={"format": "csv"})
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_slow_reader_holds_no_connection(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test app has ONE connection: an export that kept it between batches would block every
    other request while its client is not reading."""
    monkeypatch.setattr(exports, "BATCH_ROWS", 1)
    identity = {"accept-encoding": "identity"}
    async with httpx.AsyncClient(base_url=server, timeout=10, headers=identity) as client:
        async with client.stream("GET", "/v1/events", params={"format": "ndjson"}) as export:
            chunks = export.aiter_raw()
            await anext(chunks)  # one batch read, then the reader pauses
            other = await asyncio.wait_for(client.get("/v1/events", params={"limit": 1}), 5)
            assert other.status_code == 200
            rest = b"".join([c async for c in chunks])
        full = await client.get("/v1/events", params={"format": "ndjson"})
    assert rest and full.content.endswith(rest)


async def test_a_client_that_stops_reading_is_dropped() -> None:
    stalled: list[str] = []
    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        if message.get("body"):
            await asyncio.Event().wait()  # the client's window stays full
        sent.append(message)

    guarded = exports.guard(send, 0.05, lambda: stalled.append("stalled"))
    await guarded({"type": "http.response.start", "status": 200, "headers": []})
    with pytest.raises(exports.ExportAborted):
        await guarded({"type": "http.response.body", "body": b"x", "more_body": True})
    assert stalled == ["stalled"] and len(sent) == 1
