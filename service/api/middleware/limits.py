"""Rate limits: a fixed one-minute window per identity, in this process.

Every route but ``/health`` (liveness probes must not fail) counts: per API key when a valid key is
sent, per client address otherwise, with RateLimit headers on every answer. Failed authentications
have their own, smaller budget per address (``AuthMiddleware`` checks it before any key lookup)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.api.middleware.problems import client_address, send_problem
from service.errors import TooManyRequests
from service.metrics import Metrics

WINDOW_SECONDS = 60
UNLIMITED_PATHS = frozenset({"/health"})


class RateLimiter:
    """Counts per identity ("key:<id>" or "ip:<address>") in fixed one-minute windows."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self.windows: dict[str, tuple[float, int]] = {}

    def _window(self, identity: str, now: float) -> tuple[float, int]:
        start, count = self.windows.get(identity, (now, 0))
        return (now, 0) if now - start >= WINDOW_SECONDS else (start, count)

    def hit(self, identity: str) -> tuple[bool, int, int]:
        """(allowed, remaining, seconds until the window resets) after counting one request."""
        now = self.clock()
        start, count = self._window(identity, now)
        count += 1
        self.windows[identity] = (start, count)
        if len(self.windows) > 50_000:
            self.windows = {k: v for k, v in self.windows.items() if now - v[0] < WINDOW_SECONDS}
        reset = max(1, math.ceil(start + WINDOW_SECONDS - now))
        return count <= self.limit, max(0, self.limit - count), reset

    def exhausted(self, identity: str) -> int | None:
        """Seconds until the window resets when ``identity`` has used its budget, else None (not counted)."""
        now = self.clock()
        start, count = self._window(identity, now)
        return max(1, math.ceil(start + WINDOW_SECONDS - now)) if count >= self.limit else None


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, limit: int, metrics: Metrics) -> None:
        self.app = app
        self.limiter = RateLimiter(limit)
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        key = scope["state"].get("api_key")
        identity = f"key:{key.id}" if key else f"ip:{client_address(scope)}"
        allowed, remaining, reset = self.limiter.hit(identity)
        limit = self.limiter.limit
        policy = [
            (b"ratelimit-policy", f"{limit};w={WINDOW_SECONDS}".encode()),
            (b"ratelimit-limit", str(limit).encode()),
            (b"ratelimit-remaining", str(remaining).encode()),
            (b"ratelimit-reset", str(reset).encode()),
            (b"ratelimit", f"limit={limit}, remaining={remaining}, reset={reset}".encode()),
        ]

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *policy]
            await send(message)

        if allowed:
            await self.app(scope, receive, send_with_policy)
            return
        self.metrics.inc("marsad_rate_limited_total", by="key" if key else "ip")
        await send_problem(
            send_with_policy,
            scope,
            TooManyRequests(
                f"More than {limit} requests in {WINDOW_SECONDS} s from this "
                f"{'API key' if key else 'address'}; retry after {reset} s.",
                retry_after=reset,
            ),
        )
