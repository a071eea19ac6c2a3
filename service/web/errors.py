"""Errors on explorer pages: the same problem details the API sends (status, title, detail, the
offending parameter), rendered as an HTML page for people."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from service.errors import handle_exception
from service.web.common import Revalidated
from service.web.render import page


def html_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """The router's exception handler: redirects and 304s pass through, every error becomes the
    problem the API would send, as a page with the same status."""
    if isinstance(exc, Revalidated):
        return exc.response
    problem = handle_exception(request, exc)
    headers = {k: v for k, v in (problem.headers or {}).items() if k.lower() != "content-type"}
    return page("error.html", status=problem.status_code, headers=headers, problem=problem.content)
