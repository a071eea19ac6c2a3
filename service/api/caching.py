"""Conditional GETs: ETags from the dataset version and the normalised request, 304 on a match."""

from __future__ import annotations

import hashlib
from typing import Any

import asyncpg
from litestar import Request, Response

from service.api.formats import encoder
from service.db.refs import dataset_version

# Responses may be cached but must be revalidated: a revalidation costs one tiny query.
CACHE_CONTROL = "public, max-age=0, must-revalidate"


async def request_etag(db: asyncpg.Connection, request: Request[Any, Any, Any], variant: str = "") -> str:
    """A weak ETag that changes whenever the dataset changes or the request asks for something else.

    The query is normalised (parameters sorted) so equivalent URLs share an ETag; ``variant``
    holds what else selects the representation (the negotiated format)."""
    version = await dataset_version(db)
    query = sorted(request.query_params.multi_items())
    digest = hashlib.blake2b(repr((request.url.path, query, variant)).encode(), digest_size=12).hexdigest()
    return f'W/"{version}-{digest}"'


def matches(request: Request[Any, Any, Any], etag: str) -> bool:
    """If-None-Match (weak comparison, lists and * accepted) names this ETag."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


def cache_headers(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept"}


def not_modified(etag: str) -> Response[Any]:
    return Response(None, status_code=304, headers=cache_headers(etag))


def cached_json(content: Any, etag: str) -> Response[Any]:
    """A JSON body encoded once by msgspec, with its validators. Handlers keep their model in their return
    annotation (Response[Timeline] ...), which is what the OpenAPI document describes."""
    return cached_body(encoder.encode(content), etag)


def cached_body(body: bytes, etag: str) -> Response[Any]:
    """A JSON body already encoded (a model's exact encoding), with its validators."""
    return Response(body, media_type="application/json", headers=cache_headers(etag))
