"""The server layer (uvicorn with service.server's protocol), over a real socket: a header-read
timeout, and problems for the requests uvicorn's parser refuses before the application runs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn

from service.app import create_app
from service.config import Settings
from service.server import protocol_class


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def serving(app: Any, header_timeout: float) -> AsyncIterator[int]:
    """``app`` served by uvicorn with service.server's protocol, in this event loop; yields the port."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, http=protocol_class(header_timeout), log_config=None
    )
    srv = uvicorn.Server(config)
    task = asyncio.create_task(srv.serve())
    for _ in range(500):
        if srv.started:
            break
        await asyncio.sleep(0.02)
    try:
        yield port
    finally:
        srv.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 30)


@pytest.fixture
async def server() -> AsyncIterator[int]:
    app = create_app(Settings(), connections=object())  # type: ignore[arg-type]
    async with serving(app, 0.5) as port:
        yield port


async def exchange(port: int, raw: bytes, wait: float = 3.0) -> tuple[str, dict]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(raw)
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), wait)
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), json.loads(body)


@pytest.mark.parametrize(
    "raw",
    [
        "GET /v1/actors?q=النعسان HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
        b"POST /v1/sources HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"GARBAGE\x00\r\n\r\n",
    ],
)
async def test_requests_the_parser_refuses_get_a_problem(server: int, raw: bytes) -> None:
    head, body = await exchange(server, raw)
    assert head.startswith("HTTP/1.1 400")
    assert "content-type: application/problem+json" in head.lower()
    assert body["status"] == 400 and body["type"].endswith("/invalid-request")
    assert "percent-encoded" in body["detail"]


async def test_headers_that_never_finish_time_out_with_a_problem(server: int) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    head, body = await exchange(server, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    assert head.startswith("HTTP/1.1 408") and body["type"].endswith("/request-timeout")
    assert "MARSAD_HEADER_TIMEOUT_S" in body["detail"]
    assert loop.time() - started < 3


async def test_keep_alive_requests_are_not_cut_by_the_header_timer(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    try:
        for _ in range(3):
            writer.write(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            await writer.drain()
            status = await asyncio.wait_for(reader.readline(), 3)
            assert status.startswith(b"HTTP/1.1 200"), status
            while (await reader.readline()) != b"\r\n":
                pass
            await reader.readexactly(len(b'{"status":"ok"}'))
            await asyncio.sleep(0.3)  # 0.9 s in all: longer than the 0.5 s header timeout
    finally:
        writer.close()
