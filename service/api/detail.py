"""Serving one resource: no query parameters, ETag revalidation, 404 as problem+json."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from litestar import Request, Response

from service.api.caching import cached_json, matches, not_modified, request_etag
from service.api.listing import parse_filters
from service.api.openapi import make_operation
from service.errors import NotFound

DETAIL_OPERATION = make_operation([], not_found=True)


async def serve_one(
    db: asyncpg.Connection,
    request: Request[Any, Any, Any],
    load: Callable[[], Awaitable[Any]],
    what: str,
    ident: str,
) -> Response[Any]:
    """Check the (empty) query string, answer 304 when the client's copy is current, else the resource."""
    await parse_filters(db, request, {}, set())
    etag = await request_etag(db, request)
    if matches(request, etag):
        return not_modified(etag)
    item = None if "\x00" in ident else await load()
    if item is None:
        raise NotFound(f"No {what} with id {ident!r}")
    return cached_json(item, etag)
