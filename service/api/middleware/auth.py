"""API-key authentication: the ``Authorization: Bearer`` header resolved to a key once per request
(``scope["state"]["api_key"]``) on every route but ``/health``; the route guards in ``service.auth``
check scopes. A key sent to a public route (readiness, metrics, the schema) is checked too, and gives
the request its key's rate budget.

Each failed attempt counts against the client address; an address over its budget is refused with
429 before its key is looked up, so guessing keys cannot become a flood of database lookups."""

from __future__ import annotations

from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

from service.api.middleware.limits import UNLIMITED_PATHS, WINDOW_SECONDS, RateLimiter
from service.api.middleware.problems import client_address, header, send_problem
from service.auth import authenticate
from service.errors import (
    DB_UNAVAILABLE,
    DatabaseUnavailable,
    MarsadError,
    TooManyRequests,
    Unauthorized,
    WriteBudgetExceeded,
)
from service.metrics import Metrics


class AuthMiddleware:
    def __init__(self, app: ASGIApp, failures_per_minute: int, write_budget_s: int, metrics: Metrics) -> None:
        self.app = app
        self.failures = RateLimiter(failures_per_minute) if failures_per_minute else None
        self.write_budget_s = write_budget_s
        self.metrics = metrics

    def _connection(self, scope: Scope) -> Any:
        """A read connection for the key lookup: a write waits for one within its budget (writes wait,
        not fail), a read within the pool's timeout."""
        pool = scope["app"].state.connections
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return pool.acquire()
        budget = self.write_budget_s
        return pool.acquire(
            wait=budget,
            refusal=lambda: WriteBudgetExceeded(
                f"The write waited {budget} s (MARSAD_WRITE_BUDGET_S) for a connection to check its API key; "
                "retry later.",
                retry_after=min(60, budget),
            ),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        authorization = header(scope, b"authorization")
        if authorization is None:
            await self.app(scope, receive, send)
            return
        address = f"ip:{client_address(scope)}"
        if self.failures is not None and (reset := self.failures.exhausted(address)) is not None:
            await send_problem(
                send,
                scope,
                TooManyRequests(
                    f"More than {self.failures.limit} failed authentications in {WINDOW_SECONDS} s from "
                    f"this address; retry after {reset} s.",
                    retry_after=reset,
                ),
            )
            return
        try:
            async with self._connection(scope) as conn:
                scope["state"]["api_key"] = await authenticate(conn, authorization)
        except Unauthorized as exc:
            self.metrics.inc("marsad_auth_failures_total")
            if self.failures is not None:
                self.failures.hit(address)
            await send_problem(send, scope, exc)
            return
        except MarsadError as exc:
            await send_problem(send, scope, exc)
            return
        except DB_UNAVAILABLE:
            await send_problem(
                send, scope, DatabaseUnavailable("The database is unavailable; retry shortly.")
            )
            return
        await self.app(scope, receive, send)
