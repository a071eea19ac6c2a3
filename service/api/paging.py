"""Keyset cursors: opaque tokens carrying the sort and the position of the last row served."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Request

from service.db.filters import Sort
from service.errors import InvalidParameter

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(tuple[str, str | None, str])


def encode_cursor(sort_name: str, key: Any, last_id: str) -> str:
    """An opaque token for "the rows after (key, id) in this sort"."""
    if isinstance(key, date | datetime):
        key = key.isoformat()
    elif key is not None:
        key = str(key)
    raw = _encoder.encode((sort_name, key, last_id))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, sort_name: str, sort: Sort) -> tuple[Any, str]:
    """(sort key, id) from a token issued for the same sort; anything else is a 400 naming ``cursor``."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        name, key, last_id = _decoder.decode(raw)
        value = sort.decode(key) if sort.expr is not None and key is not None else key
    except (binascii.Error, msgspec.DecodeError, ValueError, TypeError):
        raise InvalidParameter(
            "Parameter 'cursor' is not a cursor issued by this API", parameter="cursor"
        ) from None
    if "\x00" in last_id or (isinstance(key, str) and "\x00" in key):  # Postgres text cannot hold NUL
        raise InvalidParameter("Parameter 'cursor' is not a cursor issued by this API", parameter="cursor")
    if name != sort_name:
        raise InvalidParameter(
            f"Parameter 'cursor' was issued for sort={name}, not sort={sort_name}", parameter="cursor"
        )
    if sort.expr is not None and value is None:
        raise InvalidParameter("Parameter 'cursor' is not a cursor issued by this API", parameter="cursor")
    return value, last_id


def next_url(request: Request[Any, Any, Any], token: str) -> str:
    """This request's URL with ``cursor`` set to ``token`` (for the Link header)."""
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    pairs.append(("cursor", token))
    return str(request.url.with_replacements(query=urlencode(pairs)))
