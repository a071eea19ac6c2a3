"""API keys and authorization.

A key is ``mk_<random>``; only its SHA-256 is stored. Scopes nest: ``admin`` implies ``write``, which
implies ``read``. The middleware resolves the ``Authorization: Bearer`` header to a key once per
request (``scope["state"]["api_key"]``); the guard below checks the scope a route needs:
``opt={"scope": "write"}`` on a handler, or ``read`` for every other route when
``MARSAD_REQUIRE_READ_KEY`` is on. Health, readiness, metrics and the schema stay public.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import asyncpg
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.openapi.spec import Components, SecurityScheme

from service.db import keys as db_keys
from service.db.keys import ApiKey
from service.errors import BadRequest, Forbidden, Unauthorized

SCOPES = ("read", "write", "admin")
IMPLIED = {"read": {"read"}, "write": {"read", "write"}, "admin": {"read", "write", "admin"}}
TOKEN_PREFIX = "mk_"
PUBLIC_PATHS = frozenset({"/health", "/ready", "/metrics"})
PUBLIC_PREFIXES = ("/schema", "/static/")
SECURITY_SCHEME = "apiKey"
SECURITY_COMPONENTS = Components(
    security_schemes={
        SECURITY_SCHEME: SecurityScheme(
            type="http",
            scheme="bearer",
            description="An API key made with `python -m service keys create NAME --scope read|write|admin`, sent as "
            "`Authorization: Bearer <key>`. Writes need `write`, re-extraction `admin`; reads need `read` "
            "only when MARSAD_REQUIRE_READ_KEY is on.",
        )
    }
)
# On a route handler: security=SECURITY (the OpenAPI document then says which operations need a key).
SECURITY = [{SECURITY_SCHEME: []}]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def effective_scopes(scopes: tuple[str, ...] | list[str]) -> set[str]:
    out: set[str] = set()
    for s in scopes:
        out |= IMPLIED.get(s, set())
    return out


def check_scopes(scopes: list[str]) -> list[str]:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise BadRequest(f"scopes must be some of {', '.join(SCOPES)}; got {', '.join(scopes) or 'none'}")
    return sorted(set(scopes), key=SCOPES.index)


async def create_key(conn: asyncpg.Connection, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """A new key and its token (shown once: only its hash is stored)."""
    if not name.strip():
        raise BadRequest("a key needs a non-empty name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    key = await db_keys.insert_key(
        conn, "key_" + secrets.token_hex(6), name.strip(), hash_token(token), check_scopes(scopes)
    )
    return key, token


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer`` header; None without a header; Unauthorized if malformed."""
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("The Authorization header must be 'Bearer <api key>'.")
    return token.strip()


async def authenticate(conn: asyncpg.Connection, authorization: str | None) -> ApiKey | None:
    """The key presented with the request, None when none was presented; Unauthorized if it is not valid."""
    token = bearer_token(authorization)
    if token is None:
        return None
    key = await db_keys.find_active_key(conn, hash_token(token))
    if key is None:
        raise Unauthorized("The API key is unknown or has been revoked.")
    return key


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


async def authorize(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Guard: the route's scope (``opt["scope"]``), or ``read`` when reads require a key. (Async: Litestar
    runs a sync guard in a worker thread, a thread hand-off on every request.)"""
    required = handler.opt.get("scope")
    if (
        required is None
        and connection.app.state.get("require_read_key")
        and not is_public(connection.url.path)
    ):
        required = "read"
    if required is None:
        return
    key: ApiKey | None = connection.scope.get("state", {}).get("api_key")
    if key is None:
        raise Unauthorized(
            f"This endpoint needs an API key with the {required!r} scope: "
            "send 'Authorization: Bearer <key>' (keys are made with `python -m service keys create`)."
        )
    if required not in effective_scopes(key.scopes):
        raise Forbidden(
            f"The API key {key.id} lacks the {required!r} scope (it has: {', '.join(key.scopes)})."
        )
