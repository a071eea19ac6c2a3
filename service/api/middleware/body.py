"""The request body, read whole before the application runs: bounded by MARSAD_MAX_BODY_BYTES and by
MARSAD_BODY_TIMEOUT_S, so no handler ever holds a database connection while a slow client sends.

A declared ``Content-Length`` over the limit is refused before reading (413), a malformed one is a
400, a body that grows past the limit while read is a 413 and one that does not arrive in time a 408."""

from __future__ import annotations

import asyncio
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.api.middleware.problems import header, send_problem
from service.errors import InvalidRequest, PayloadTooLarge, RequestTimeout
from service.metrics import Metrics


class BodyMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float, metrics: Metrics) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.metrics = metrics

    def _too_large(self, size: str) -> PayloadTooLarge:
        return PayloadTooLarge(
            f"The request body is {size} bytes; the limit is {self.max_bytes} (MARSAD_MAX_BODY_BYTES)."
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = header(scope, b"content-length")
        chunked = header(scope, b"transfer-encoding") is not None
        if length is not None:
            if not length.strip().isdigit():
                await send_problem(send, scope, InvalidRequest(f"Content-Length {length!r} is not a size."))
                return
            if int(length) > self.max_bytes:
                await send_problem(send, scope, self._too_large(length.strip()))
                return
        if not chunked and not int(length or 0):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self.timeout
        more = True
        while more:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                self.metrics.inc("marsad_slow_bodies_total")
                await send_problem(
                    send,
                    scope,
                    RequestTimeout(
                        f"The request body did not arrive within {self.timeout:g} s (MARSAD_BODY_TIMEOUT_S); "
                        f"{size} bytes were received."
                    ),
                )
                return
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await send_problem(send, scope, self._too_large(f"over {self.max_bytes}"))
                return
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # only a disconnect can come now
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)
