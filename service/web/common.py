"""What every explorer page shares: blank parameters redirected away, the rest checked, revalidation
(ETag), a list read as the API reads it, and a time budget for the optional aggregates."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg
from litestar import Request, Response
from litestar.response import Redirect

from service.api.caching import cache_headers, matches, not_modified, request_etag
from service.api.listing import ListRequest, ListSpec, fetch_page, parse_list_request
from service.web.query import PAGE_CONTROLS, Query, blank_free, check_names
from service.web.render import page

T = TypeVar("T")

# What a page may spend on its aggregates (timeline, facet counts, an actor's network), all together.
# Over large sets they cost far more than the page itself; past the budget, the page is served
# without the rest of them and says where to get them (with JavaScript it fetches facet counts
# from the JSON API).
AGGREGATE_BUDGET_MS = 150
MIN_STATEMENT_MS = 10


class Budget:
    """Time left for a page's optional aggregates: each runs with the time left as its statement
    timeout, in a savepoint (a cancelled statement leaves the request's transaction usable)."""

    def __init__(self, ms: int | None = None) -> None:
        self.deadline = time.monotonic() + (AGGREGATE_BUDGET_MS if ms is None else ms) / 1000

    async def run(self, db: asyncpg.Connection, compute: Callable[[], Awaitable[T]]) -> T | None:
        """``compute()``, or None when the budget runs out before or during it."""
        left = int((self.deadline - time.monotonic()) * 1000)
        if left < MIN_STATEMENT_MS:
            return None
        previous = await db.fetchval("SELECT current_setting('statement_timeout')")
        try:
            async with db.transaction():
                await db.execute("SELECT set_config('statement_timeout', $1, true)", str(left))
                return await compute()
        except asyncpg.exceptions.QueryCanceledError:
            return None
        finally:
            await db.execute("SELECT set_config('statement_timeout', $1, true)", previous)


class Revalidated(Exception):
    """Raised with the response to send instead of the page (a redirect or a 304)."""

    def __init__(self, response: Response[Any]) -> None:
        super().__init__()
        self.response = response


async def prepare(
    db: asyncpg.Connection, request: Request[Any, Any, Any], allowed: set[str] | frozenset[str]
) -> dict[str, str]:
    """Redirect a URL with blank parameters to the one without, reject parameters that are not the
    page's, and answer 304 when the client's copy is current; else the page's cache headers."""
    clean = blank_free(request)
    if clean is not None:
        raise Revalidated(Redirect(clean, status_code=303))
    check_names(request, allowed)
    etag = await request_etag(db, request, "html")
    if matches(request, etag):
        raise Revalidated(not_modified(etag))
    return cache_headers(etag)


async def list_page(
    db: asyncpg.Connection, request: Request[Any, Any, Any], spec: ListSpec, query: Any = None
) -> tuple[ListRequest, list[Any], str | None]:
    """A page of ``spec``'s resources, read as the API reads it (same filters, order, limit and cursor)."""
    lr = await parse_list_request(db, request, spec, query)
    records, token = await fetch_page(db, spec, lr)
    return lr, await spec.build(db, records), token


def allowed_for(spec: ListSpec) -> frozenset[str]:
    return PAGE_CONTROLS | frozenset(spec.filters)


def json_link(path: str, q: Query) -> str:
    """The API endpoint a page was built from, with the page's own query string."""
    return path + ("?" + q.string if q.string else "")


async def list_view(
    db: asyncpg.Connection,
    request: Request[Any, Any, Any],
    spec: ListSpec,
    template: str,
    api_path: str,
    **context: Any,
) -> Response[bytes]:
    """A list page: the API's page of ``spec`` (``items``, ``next``) rendered with ``template``."""
    headers = await prepare(db, request, allowed_for(spec))
    lr, items, token = await list_page(db, request, spec)
    q = Query.of(request)
    return page(
        template,
        headers=headers,
        q=q,
        items=items,
        next=token,
        sort=lr.sort_name,
        json_href=json_link(api_path, q),
        **context,
    )
