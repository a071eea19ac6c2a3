"""The outer ASGI layer around the whole application (404s included): request ids, API-key
authentication, per-key / per-IP rate limits with RateLimit headers, the body-size limit, metrics
and one structured JSON log line per request.

Refusals made here (401, 413, 429, 503) have the same RFC 9457 shape as every other error.
"""

from __future__ import annotations

import json
import logging
import math
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar import Litestar
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.auth import authenticate, is_public
from service.config import Settings
from service.errors import DB_UNAVAILABLE, PROBLEM_BASE, PROBLEM_MEDIA_TYPE, MarsadError, Problem
from service.metrics import Metrics

access_log = logging.getLogger("marsad.access")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
WINDOW_SECONDS = 60


class RateLimiter:
    """A fixed one-minute window per identity ("key:<id>" or "ip:<address>"), in this process."""

    def __init__(self, limit: int, clock: Any = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self.windows: dict[str, tuple[float, int]] = {}

    def hit(self, identity: str) -> tuple[bool, int, int]:
        """(allowed, remaining, seconds until the window resets) after counting one request."""
        now = self.clock()
        start, count = self.windows.get(identity, (now, 0))
        if now - start >= WINDOW_SECONDS:
            start, count = now, 0
        count += 1
        self.windows[identity] = (start, count)
        if len(self.windows) > 50_000:
            self.windows = {k: v for k, v in self.windows.items() if now - v[0] < WINDOW_SECONDS}
        reset = max(1, math.ceil(start + WINDOW_SECONDS - now))
        return count <= self.limit, max(0, self.limit - count), reset


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any ``extra={"fields": {...}}``."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        out.update(getattr(record, "fields", {}))
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_logging(level: str) -> None:
    """JSON lines on stderr for the server (access log included)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


class MarsadMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings, metrics: Metrics) -> None:
        self.app = app
        self.settings = settings
        self.metrics = metrics
        self.limiter = RateLimiter(settings.rate_limit_per_minute) if settings.rate_limit_per_minute else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and REQUEST_ID.match(incoming) else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        extra_headers: list[tuple[bytes, bytes]] = [(b"x-request-id", request_id.encode())]
        status_holder = {"status": 500}
        path = scope["path"]
        client = (scope.get("client") or ("unknown", 0))[0]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message["headers"] = [*message.get("headers", []), *extra_headers]
            await send(message)

        try:
            refusal = await self._admit(scope, state, client, extra_headers)
            if refusal is not None:
                await self._send_problem(send_with_headers, scope, request_id, *refusal)
            else:
                await self.app(scope, receive, send_with_headers)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("path_template") or "unmatched"  # never the raw path: bounded cardinality
            self.metrics.observe_request(route, scope["method"], status_holder["status"], elapsed)
            key = state.get("api_key")
            access_log.info(
                "request",
                extra={
                    "fields": {
                        "request_id": request_id,
                        "method": scope["method"],
                        "path": path,
                        "route": route,
                        "status": status_holder["status"],
                        "duration_ms": round(elapsed * 1000, 2),
                        "client": client,
                        "key_id": key.id if key else None,
                    }
                },
            )

    async def _admit(
        self, scope: Scope, state: dict[str, Any], client: str, extra_headers: list[tuple[bytes, bytes]]
    ) -> tuple[Any, ...] | None:
        """None to let the request through, else (status, type, title, detail, headers) of a refusal."""
        path = scope["path"]
        length = _header(scope, b"content-length")
        if length and length.isdigit() and int(length) > self.settings.max_body_bytes:
            return (
                413,
                "payload-too-large",
                "Request body too large",
                f"The request body is {length} bytes; the limit is {self.settings.max_body_bytes} "
                "(MARSAD_MAX_BODY_BYTES).",
                {},
            )
        if is_public(path):
            return None
        authorization = _header(scope, b"authorization")
        if authorization is not None:
            try:
                async with scope["app"].state.connections.acquire() as conn:
                    state["api_key"] = await authenticate(conn, authorization)
            except MarsadError as exc:
                return (
                    exc.status,
                    exc.type,
                    exc.title,
                    exc.detail,
                    {"www-authenticate": 'Bearer realm="marsad"'} if exc.status == 401 else {},
                )
            except DB_UNAVAILABLE:
                return (
                    503,
                    "service-unavailable",
                    "Service unavailable",
                    "The database is unavailable; retry shortly.",
                    {"retry-after": "5"},
                )
        if self.limiter is None:
            return None
        key = state.get("api_key")
        identity = f"key:{key.id}" if key else f"ip:{client}"
        allowed, remaining, reset = self.limiter.hit(identity)
        limit = self.limiter.limit
        extra_headers += [
            (b"ratelimit-policy", f"{limit};w={WINDOW_SECONDS}".encode()),
            (b"ratelimit-limit", str(limit).encode()),
            (b"ratelimit-remaining", str(remaining).encode()),
            (b"ratelimit-reset", str(reset).encode()),
            (b"ratelimit", f"limit={limit}, remaining={remaining}, reset={reset}".encode()),
        ]
        if allowed:
            return None
        self.metrics.inc("marsad_rate_limited_total", by="key" if key else "ip")
        return (
            429,
            "too-many-requests",
            "Too many requests",
            f"More than {limit} requests in {WINDOW_SECONDS} s from this "
            f"{'API key' if key else 'address'}; retry after {reset} s.",
            {"retry-after": str(reset)},
        )

    @staticmethod
    async def _send_problem(
        send: Send,
        scope: Scope,
        request_id: str,
        status: int,
        type_: str,
        title: str,
        detail: str,
        headers: dict[str, str],
    ) -> None:
        body = msgspec.json.encode(
            Problem(
                type=PROBLEM_BASE + type_,
                title=title,
                status=status,
                detail=detail,
                instance=scope["path"],
                request_id=request_id,
            )
        )
        raw = [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            *((k.encode(), v.encode()) for k, v in headers.items()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


def install(app: Litestar, settings: Settings) -> Litestar:
    """Wrap the whole application (routing and its 404s included) in the Marsad middleware."""
    metrics = Metrics()
    app.state.metrics = metrics
    app.state.require_read_key = settings.require_read_key
    app.state.max_text_chars = settings.max_text_chars
    app.asgi_handler = MarsadMiddleware(app.asgi_handler, settings, metrics)
    return app
