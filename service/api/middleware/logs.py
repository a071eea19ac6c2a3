"""Structured logs: one JSON object per line on stderr (the server and the CLI), and one access-log
line per request."""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

from service.api.middleware.problems import StatusNote, call_noting_status, client_address
from service.api.middleware.request_id import RequestIdFilter

access_log = logging.getLogger("marsad.access")


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, the request id (when a request is running) and any
    ``extra={"fields": {...}}``."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if (request_id := getattr(record, "request_id", None)) is not None:
            out["request_id"] = request_id
        out.update(getattr(record, "fields", {}))
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_logging(level: str) -> None:
    """JSON lines on stderr for the server (access log included), each bound to its request."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


class AccessLogMiddleware:
    """One ``marsad.access`` line per request: method, path, route template, status, duration,
    client and key id (the request id comes from the context)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        note = StatusNote()
        try:
            await call_noting_status(self.app, scope, receive, send, note)
        finally:
            key = scope["state"].get("api_key")
            access_log.info(
                "request",
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "route": scope.get("path_template") or "unmatched",
                        "status": note.status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                        "client": client_address(scope),
                        "key_id": key.id if key else None,
                    }
                },
            )
