"""Domain errors and the one handler that renders every error as RFC 9457 problem details."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException

logger = logging.getLogger("marsad.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://marsad.dev/problems/"


class ConfigError(Exception):
    """Bad configuration or environment: reported as one line, exit code 2."""


class DatabaseUnavailable(Exception):
    """The database cannot be reached."""


class MarsadError(Exception):
    """A domain error that maps to one HTTP status and problem type."""

    status = 400
    type = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class BadRequest(MarsadError):
    pass


class InvalidParameter(MarsadError):
    type = "invalid-parameter"
    title = "Invalid query parameter"


class NotFound(MarsadError):
    status = 404
    type = "not-found"
    title = "Not found"


class Conflict(MarsadError):
    status = 409
    type = "conflict"
    title = "Conflict"


class Unauthorized(MarsadError):
    status = 401
    type = "unauthorized"
    title = "Authentication required"

    def __init__(self, detail: str, **extra: Any) -> None:
        extra.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="marsad"'})
        super().__init__(detail, **extra)


class Forbidden(MarsadError):
    status = 403
    type = "forbidden"
    title = "Forbidden"


class PayloadTooLarge(MarsadError):
    status = 413
    type = "payload-too-large"
    title = "Request body too large"


class UnprocessableContent(MarsadError):
    status = 422
    type = "unprocessable-content"
    title = "Unprocessable content"


class UnsupportedMediaType(MarsadError):
    status = 415
    type = "unsupported-media-type"
    title = "Unsupported media type"


class InvalidRequest(MarsadError):
    """The request body or its parameters do not have the documented shape."""

    type = "invalid-request"
    title = "Invalid request"


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[dict[str, Any]] | None = None
    parameter: str | None = None


_STATUS_TITLES = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("unprocessable-content", "Unprocessable content"),
    429: ("too-many-requests", "Too many requests"),
    500: ("internal-error", "Internal server error"),
    503: ("service-unavailable", "Service unavailable"),
}


def problem_response(
    status: int,
    detail: str | None,
    request: Request[Any, Any, Any] | None = None,
    *,
    type_: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[Problem]:
    default_type, default_title = _STATUS_TITLES.get(status, ("error", "Error"))
    request_id = None
    instance = None
    if request is not None:
        request_id = (
            request.scope.get("state", {}).get("request_id")
            if isinstance(request.scope.get("state"), dict)
            else None
        )
        instance = request.url.path
    problem = Problem(
        type=PROBLEM_BASE + (type_ or default_type),
        title=title or default_title,
        status=status,
        detail=detail,
        instance=instance,
        request_id=request_id,
        errors=extra.get("errors"),
        parameter=extra.get("parameter"),
    )
    return Response(problem, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


# Errors that mean "the database cannot serve us right now" (down, restarting, out of connections).
DB_UNAVAILABLE = (
    DatabaseUnavailable,
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.InsufficientResourcesError,
)


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """The single exception handler: every error leaves the API as problem details."""
    if isinstance(exc, MarsadError):
        return problem_response(exc.status, exc.detail, request, type_=exc.type, title=exc.title, **exc.extra)
    if isinstance(exc, ValidationException):
        errors = exc.extra if isinstance(exc.extra, list) else None
        return problem_response(
            400,
            exc.detail or "Invalid request",
            request,
            type_="invalid-request",
            title="Invalid request",
            errors=errors,
        )
    if isinstance(exc, NotFoundException):
        return problem_response(404, exc.detail or "No such resource", request)
    if isinstance(exc, HTTPException):
        headers = dict(exc.headers or {})
        return problem_response(exc.status_code, exc.detail, request, headers=headers or None)
    if isinstance(exc, UnicodeDecodeError):  # a body parsed by Litestar that is not UTF-8
        return problem_response(
            400,
            f"The request body is not valid UTF-8 (byte {exc.start}).",
            request,
            type_="invalid-request",
            title="Invalid request",
        )
    if isinstance(exc, asyncpg.exceptions.QueryCanceledError):
        return problem_response(
            503, "The query took too long and was cancelled.", request, headers={"Retry-After": "1"}
        )
    if isinstance(exc, DB_UNAVAILABLE):
        logger.warning("database unavailable: %s: %s", exc.__class__.__name__, exc)
        return problem_response(
            503, "The database is unavailable; retry shortly.", request, headers={"Retry-After": "5"}
        )
    logger.exception("unhandled error on %s", request.url.path)
    return problem_response(500, "An unexpected error occurred; it has been logged.", request)


__all__ = [
    "DB_UNAVAILABLE",
    "PROBLEM_MEDIA_TYPE",
    "BadRequest",
    "ConfigError",
    "Conflict",
    "DatabaseUnavailable",
    "Forbidden",
    "InvalidParameter",
    "InvalidRequest",
    "MarsadError",
    "NotFound",
    "PayloadTooLarge",
    "Problem",
    "Unauthorized",
    "UnprocessableContent",
    "UnsupportedMediaType",
    "handle_exception",
    "problem_response",
]
