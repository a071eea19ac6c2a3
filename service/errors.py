"""The error vocabulary and the one handler that renders every error as RFC 9457 problem details.

Each HTTP error is a ``MarsadError`` class with its status, problem type and title: handlers and the
ASGI middleware raise these classes, Litestar's own exceptions are mapped onto them by status, and
the OpenAPI problem schema is generated from the ``Problem`` Struct (``service.api.openapi``). This
module is the only place the problem shape is written down.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import asyncpg
import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

logger = logging.getLogger("marsad.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://marsad.dev/problems/"


class ConfigError(Exception):
    """Bad configuration or environment: reported as one line, exit code 2."""


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details. ``parameter`` names the offending query parameter and ``allowed``
    lists the values it accepts; ``errors`` lists the body's validation errors."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    parameter: str | None = None
    allowed: list[str] | None = None
    errors: list[dict[str, Any]] | None = None


class MarsadError(Exception):
    """An error that leaves the API as one HTTP status and problem type."""

    status: ClassVar[int] = 500
    type: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal server error"

    def __init__(
        self,
        detail: str,
        *,
        parameter: str | None = None,
        allowed: list[str] | tuple[str, ...] | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.parameter = parameter
        self.allowed = list(allowed) if allowed is not None else None
        self.errors = errors
        self.headers = dict(headers or {})
        if retry_after is not None:
            self.headers["Retry-After"] = str(retry_after)

    def problem(self, instance: str | None = None, request_id: str | None = None) -> Problem:
        return Problem(
            type=PROBLEM_BASE + self.type,
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
            request_id=request_id,
            parameter=self.parameter,
            allowed=self.allowed,
            errors=self.errors,
        )


class BadRequest(MarsadError):
    status, type, title = 400, "bad-request", "Bad request"


class InvalidParameter(BadRequest):
    type, title = "invalid-parameter", "Invalid query parameter"


class InvalidRequest(BadRequest):
    """The request body or its parameters do not have the documented shape."""

    type, title = "invalid-request", "Invalid request"


class Unauthorized(MarsadError):
    status, type, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.headers.setdefault("WWW-Authenticate", 'Bearer realm="marsad"')


class Forbidden(MarsadError):
    status, type, title = 403, "forbidden", "Forbidden"


class NotFound(MarsadError):
    status, type, title = 404, "not-found", "Not found"


class MethodNotAllowed(MarsadError):
    status, type, title = 405, "method-not-allowed", "Method not allowed"


class NotAcceptable(MarsadError):
    status, type, title = 406, "not-acceptable", "Not acceptable"


class RequestTimeout(MarsadError):
    """The client did not send its headers or body within the read timeout."""

    status, type, title = 408, "request-timeout", "Request timeout"


class StateConflict(MarsadError):
    """HTTP 409: the request contradicts what is stored (an external_id already used by another text).
    Not to be confused with ``models.Conflict``, a disagreement between sources."""

    status, type, title = 409, "state-conflict", "Conflicts with the stored state"


class PayloadTooLarge(MarsadError):
    status, type, title = 413, "payload-too-large", "Request body too large"


class UnsupportedMediaType(MarsadError):
    status, type, title = 415, "unsupported-media-type", "Unsupported media type"


class UnprocessableContent(MarsadError):
    status, type, title = 422, "unprocessable-content", "Unprocessable content"


class TooManyRequests(MarsadError):
    status, type, title = 429, "too-many-requests", "Too many requests"


class InternalError(MarsadError):
    pass


class ServiceUnavailable(MarsadError):
    """A 503: always with ``Retry-After``, and a detail that says why."""

    status, type, title = 503, "service-unavailable", "Service unavailable"

    def __init__(self, detail: str, *, retry_after: int = 5, **kwargs: Any) -> None:
        super().__init__(detail, retry_after=retry_after, **kwargs)


class DatabaseUnavailable(ServiceUnavailable):
    """The database cannot be reached (down, restarting, refusing connections)."""

    type, title = "database-unavailable", "Database unavailable"


class Overloaded(ServiceUnavailable):
    """No database connection came free within the pool's acquisition timeout."""

    type, title = "overloaded", "Too busy"


class QueryTimeout(ServiceUnavailable):
    """A statement ran past its timeout and was cancelled."""

    type, title = "query-timeout", "Query took too long"


class WriteBudgetExceeded(ServiceUnavailable):
    """A write waited (for a connection, the dataset lock or the queue) longer than its budget."""

    type, title = "write-budget-exceeded", "Write waited too long"


# Litestar's own exceptions (routing, methods, body parsing) carry a status only: they leave as the
# class of that status.
BY_STATUS: dict[int, type[MarsadError]] = {
    cls.status: cls
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        NotAcceptable,
        RequestTimeout,
        StateConflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        UnprocessableContent,
        TooManyRequests,
        InternalError,
        ServiceUnavailable,
    )
}

# Errors that mean "the database cannot serve us right now" (down, restarting, out of connections):
# asyncpg's connection errors and a dropped socket, not any OSError or timeout of the handler's own.
DB_UNAVAILABLE = (
    DatabaseUnavailable,
    ConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.InsufficientResourcesError,
)


def as_marsad_error(exc: Exception) -> MarsadError:
    """Any exception as the error class it leaves the API as."""
    if isinstance(exc, MarsadError):
        return exc
    if isinstance(exc, ExceptionGroup) and exc.exceptions:  # e.g. a dependency's cleanup
        return as_marsad_error(exc.exceptions[0])
    if isinstance(exc, ValidationException):
        errors = exc.extra if isinstance(exc.extra, list) else None
        return InvalidRequest(exc.detail or "Invalid request", errors=errors)
    if isinstance(exc, HTTPException):
        cls = BY_STATUS.get(exc.status_code, BY_STATUS[500 if exc.status_code >= 500 else 400])
        error = cls(exc.detail or cls.title)
        error.headers.update(exc.headers or {})
        return error
    if isinstance(exc, UnicodeDecodeError):  # a body parsed by Litestar that is not UTF-8
        return InvalidRequest(f"The request body is not valid UTF-8 (byte {exc.start}).")
    if isinstance(exc, asyncpg.exceptions.QueryCanceledError):
        return QueryTimeout("The query took too long and was cancelled; narrow it or retry.", retry_after=1)
    if isinstance(exc, DB_UNAVAILABLE):
        logger.warning("database unavailable: %s: %s", exc.__class__.__name__, exc)
        return DatabaseUnavailable("The database is unavailable; retry shortly.")
    if isinstance(exc, asyncpg.InternalClientError):
        # A connection cut mid-statement (a database restart) leaves asyncpg's protocol mid-way; the
        # next statement on it fails like this and the pool discards it. Logged with its traceback,
        # since our own misuse of a connection would look the same.
        logger.warning("a connection left mid-operation (a cut?)", exc_info=exc)
        return DatabaseUnavailable("The database connection was lost; retry shortly.", retry_after=1)
    logger.error("unhandled error", exc_info=exc)
    return InternalError("An unexpected error occurred; it has been logged.")


def request_id_of(scope: Any) -> str | None:
    state = scope.get("state")
    return state.get("request_id") if isinstance(state, dict) else None


WRITE_SCOPES = frozenset({"write", "admin"})


def _is_write(request: Request[Any, Any, Any]) -> bool:
    handler = request.scope.get("route_handler")
    return handler is not None and handler.opt.get("scope") in WRITE_SCOPES


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """The single exception handler: every error leaves the API as problem details."""
    if _is_write(request) and isinstance(
        exc, asyncpg.exceptions.QueryCanceledError | asyncpg.exceptions.LockNotAvailableError | TimeoutError
    ):
        budget = request.app.state.get("write_budget_s")
        error: MarsadError = WriteBudgetExceeded(
            f"The write waited longer than its budget of {budget} s (MARSAD_WRITE_BUDGET_S) for the "
            "dataset lock or its statements: other writes are running; retry later.",
            retry_after=min(60, budget or 60),
        )
    else:
        error = as_marsad_error(exc)
    return Response(
        error.problem(request.url.path, request_id_of(request.scope)),
        status_code=error.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=error.headers or None,
    )


def problem_bytes(error: MarsadError, instance: str | None, request_id: str | None) -> bytes:
    return msgspec.json.encode(error.problem(instance, request_id))


__all__ = [
    "BY_STATUS",
    "DB_UNAVAILABLE",
    "PROBLEM_BASE",
    "PROBLEM_MEDIA_TYPE",
    "BadRequest",
    "ConfigError",
    "DatabaseUnavailable",
    "Forbidden",
    "InternalError",
    "InvalidParameter",
    "InvalidRequest",
    "MarsadError",
    "MethodNotAllowed",
    "NotAcceptable",
    "NotFound",
    "Overloaded",
    "PayloadTooLarge",
    "Problem",
    "QueryTimeout",
    "RequestTimeout",
    "ServiceUnavailable",
    "StateConflict",
    "TooManyRequests",
    "Unauthorized",
    "UnprocessableContent",
    "UnsupportedMediaType",
    "WriteBudgetExceeded",
    "as_marsad_error",
    "handle_exception",
    "problem_bytes",
]
