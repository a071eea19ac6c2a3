"""Request latency by route template (never the raw path: bounded cardinality), method and status class."""

from __future__ import annotations

import time

from litestar.types import ASGIApp, Receive, Scope, Send

from service.api.middleware.problems import StatusNote, call_noting_status
from service.metrics import Metrics


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        note = StatusNote()
        try:
            await call_noting_status(self.app, scope, receive, send, note)
        finally:
            route = scope.get("path_template") or "unmatched"
            self.metrics.observe_request(route, scope["method"], note.status, time.perf_counter() - started)
