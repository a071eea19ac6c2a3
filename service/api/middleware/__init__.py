"""The ASGI layers around the whole application (routing and its 404s included), one module a job.

From the outside in: ``request_id`` (X-Request-Id, bound to every log line), ``logs`` (the access log;
also the JSON log format the CLI uses), ``metrics`` (latency by route), ``auth`` (API keys, failed
attempts limited per address), ``limits`` (requests per minute per key or address) and ``body`` (the
body read whole, bounded in size and time, before any handler takes a database connection).
Refusals made here are the same error classes, in the same problem shape, as every other error.
"""

from __future__ import annotations

from litestar import Litestar

from service.api.middleware.auth import AuthMiddleware
from service.api.middleware.body import BodyMiddleware
from service.api.middleware.limits import RateLimitMiddleware
from service.api.middleware.logs import AccessLogMiddleware, configure_logging
from service.api.middleware.metrics import MetricsMiddleware
from service.api.middleware.request_id import RequestIdMiddleware
from service.config import Settings
from service.metrics import Metrics


def install(app: Litestar, settings: Settings) -> Litestar:
    """Wrap the application in the layers above (innermost first below)."""
    metrics = Metrics()
    app.state.metrics = metrics
    app.state.require_read_key = settings.require_read_key
    app.state.max_text_chars = settings.max_text_chars
    handler = BodyMiddleware(app.asgi_handler, settings.max_body_bytes, settings.body_timeout_s, metrics)
    if settings.rate_limit_per_minute:
        handler = RateLimitMiddleware(handler, settings.rate_limit_per_minute, metrics)
    handler = AuthMiddleware(handler, settings.auth_failures_per_minute, settings.write_budget_s, metrics)
    handler = MetricsMiddleware(handler, metrics)
    handler = AccessLogMiddleware(handler)
    app.asgi_handler = RequestIdMiddleware(handler)
    return app


__all__ = ["configure_logging", "install"]
