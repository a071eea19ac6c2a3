"""Helpers of the ASGI layers: refusals sent in the same problem shape and classes as every other
error, request headers, the client address, and the status a response started with."""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import PROBLEM_MEDIA_TYPE, MarsadError, problem_bytes, request_id_of


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header (``name`` in lower case)."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


class StatusNote:
    """The status a response started with (500 until one starts: an exception escaped)."""

    status = 500


async def call_noting_status(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, note: StatusNote
) -> None:
    async def send_and_note(message: Message) -> None:
        if message["type"] == "http.response.start":
            note.status = message["status"]
        await send(message)

    await app(scope, receive, send_and_note)


def client_address(scope: Scope) -> str:
    return (scope.get("client") or ("unknown", 0))[0]


async def send_problem(send: Send, scope: Scope, error: MarsadError) -> None:
    body = problem_bytes(error, scope.get("path"), request_id_of(scope))
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode(), v.encode("latin-1")) for k, v in error.headers.items()),
    ]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
