"""Schemathesis hooks (SCHEMATHESIS_HOOKS=tests.api.schemathesis_hooks) for the two rules no OpenAPI
schema can state, so that "schema-valid" means valid:

- ``cursor`` is opaque: only a token this API issued (for the same sort) is valid, and any other
  string is a 400 (tests/api/test_paging_formats_api.py and test_bad_input.py cover cursors);
- ``from`` after ``to`` is an empty period, a 400 (test_bad_input.py);
- ``rows`` (one CSV record per link) applies to ``format=csv`` without ``fields``, a 400 otherwise.

Generated cases are sent without their cursor, without a ``to`` that comes before ``from``, and
without ``rows`` where it does not apply.
"""

from __future__ import annotations

import re
from typing import Any

import schemathesis

_YEAR_MONTH_DAY = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _start(value: str) -> tuple[int, int, int] | None:
    m = _YEAR_MONTH_DAY.match(value)
    return (int(m[1]), int(m[2] or 1), int(m[3] or 1)) if m else None


def _end(value: str) -> tuple[int, int, int] | None:
    m = _YEAR_MONTH_DAY.match(value)
    return (int(m[1]), int(m[2] or 12), int(m[3] or 31)) if m else None


def _one(value: Any) -> str | None:
    if isinstance(value, list):
        return str(value[0]) if len(value) == 1 else None
    return None if value is None else str(value)


@schemathesis.hook
def map_case(ctx: Any, case: Any) -> Any:
    """Every phase (examples and coverage too): the rules above."""
    query = case.query
    if not isinstance(query, dict):
        return case
    query.pop("cursor", None)
    if "rows" in query and (_one(query.get("format")) != "csv" or "fields" in query):
        query.pop("rows")
    start, end = _one(query.get("from")), _one(query.get("to"))
    if start is not None and end is not None:
        a, b = _start(start), _end(end)
        if a is not None and b is not None and a > b:
            query.pop("to")
    return case
