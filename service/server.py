"""The HTTP server layer (uvicorn), hardened for clients that misbehave before the application runs.

Uvicorn has no timeout for a request's headers: a client that sends half a request line keeps its
connection open for ever. ``protocol_class`` adds one (MARSAD_HEADER_TIMEOUT_S: then a 408 problem and
the connection closed), and answers the requests its parser refuses (raw non-ASCII bytes in the request
line, a malformed Content-Length) with a problem instead of a text/plain line.
"""

from __future__ import annotations

import asyncio
from typing import Any

from service.errors import PROBLEM_MEDIA_TYPE, InvalidRequest, MarsadError, RequestTimeout, problem_bytes

try:  # uvicorn's choice too: httptools when installed (uvicorn[standard]), else h11
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as BaseProtocol
except ImportError:  # pragma: no cover
    from uvicorn.protocols.http.h11_impl import H11Protocol as BaseProtocol  # type: ignore[assignment]

MALFORMED = (
    "The request line or headers are malformed. Characters outside ASCII in the URL must be "
    "percent-encoded (curl: -G --data-urlencode 'q=…'), and Content-Length must be a size."
)
REASONS = {400: b"Bad Request", 408: b"Request Timeout"}


class HardenedProtocol(BaseProtocol):
    """Uvicorn's HTTP/1.1 protocol with a header-read timeout and problem+json for parser refusals."""

    header_timeout: float = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timer: asyncio.TimerHandle | None = None

    def awaiting_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.arm()

    def data_received(self, data: bytes) -> None:
        if self.awaiting_headers():
            self.arm()
        super().data_received(data)
        if not self.awaiting_headers():
            self.disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm()
        super().connection_lost(exc)

    def arm(self) -> None:
        if self.header_timer is None:
            self.header_timer = self.loop.call_later(self.header_timeout, self.headers_too_slow)

    def disarm(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def headers_too_slow(self) -> None:
        self.header_timer = None
        if self.awaiting_headers() and not self.transport.is_closing():
            self.send_problem(
                RequestTimeout(
                    f"The request headers did not arrive within {self.header_timeout:g} s "
                    "(MARSAD_HEADER_TIMEOUT_S)."
                )
            )

    def send_400_response(self, msg: str) -> None:
        self.send_problem(InvalidRequest(MALFORMED))

    def send_problem(self, error: MarsadError) -> None:
        body = problem_bytes(error, None, None)
        head = [b"HTTP/1.1 %d %s\r\n" % (error.status, REASONS.get(error.status, b"Error"))]
        for name, value in self.server_state.default_headers:
            head.append(name + b": " + value + b"\r\n")
        head.append(b"content-type: " + PROBLEM_MEDIA_TYPE.encode() + b"\r\n")
        head.append(b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body))
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def protocol_class(header_timeout: float) -> type[HardenedProtocol]:
    """The protocol class for ``uvicorn.run(http=…)`` with this header timeout."""
    return type("MarsadHTTPProtocol", (HardenedProtocol,), {"header_timeout": header_timeout})
