"""Representations of a list: JSON (default), NDJSON, CSV and GeoJSON; negotiation and projection.

Encoders are built once. CSV records come from ``service.flat``: columns from the resource's
Struct type (so the header is known before the first row streams), nested objects as dotted
columns, lists as JSON cells.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from service.errors import InvalidParameter

MEDIA_TYPES = {
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "csv": "text/csv",
    "geojson": "application/geo+json",
}
_ACCEPT = {
    "application/x-ndjson": "ndjson",
    "application/ndjson": "ndjson",
    "application/jsonl": "ndjson",
    "text/csv": "csv",
    "application/geo+json": "geojson",
    "application/json": "json",
}
BOM = "\ufeff".encode()  # CSV starts with it: spreadsheets then read the Arabic as UTF-8

encoder = msgspec.json.Encoder()


def negotiate(request: Request[Any, Any, Any], requested: str | None, allowed: tuple[str, ...]) -> str:
    """``format=`` wins; else the Accept media type we serve with the highest q-value (the first
    listed among equals, RFC 9110 12.5.1; ``q=0`` refuses); else JSON."""
    if requested is not None:
        if requested not in allowed:
            raise InvalidParameter(
                f"Parameter 'format' must be one of {', '.join(allowed)}; got {requested!r}",
                parameter="format",
            )
        return requested
    best, best_q = "json", 0.0
    for part in request.headers.get("accept", "").split(","):
        media, _, params = part.partition(";")
        fmt = _ACCEPT.get(media.strip().lower())
        if fmt in allowed and (q := _quality(params)) > best_q:
            best, best_q = fmt, q
    return best


def _quality(params: str) -> float:
    """The q parameter of one Accept entry (1 when absent; 0 when malformed)."""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


def project(item: msgspec.Struct, fields: list[str] | None) -> Any:
    """The item, or a dict of only the requested top-level fields (``id`` always kept)."""
    if fields is None:
        return item
    data = msgspec.to_builtins(item)
    return {k: data[k] for k in ("id", *fields) if k in data}


def struct_fields(tp: type[msgspec.Struct]) -> tuple[str, ...]:
    return tuple(f.encode_name for f in msgspec.inspect.type_info(tp).fields)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ NDJSON and GeoJSON


def ndjson_chunk(items: list[Any]) -> bytes:
    buffer = bytearray()
    for item in items:
        encoder.encode_into(item, buffer, len(buffer))
        buffer.extend(b"\n")
    return bytes(buffer)


def geo_feature(event: Any, fields: list[str] | None) -> dict[str, Any]:
    """A GeoJSON Feature for an event at a place with coordinates; the event is the properties."""
    properties = msgspec.to_builtins(project(event, fields))
    location = event.location
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": {"type": "Point", "coordinates": [location.lon, location.lat]},
        "properties": properties,
    }
