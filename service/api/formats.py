"""Representations of a list: JSON (default), NDJSON, CSV and GeoJSON; negotiation and projection.

Encoders are built once. CSV columns come from the resource's Struct type, not from the data, so
the header is known before the first row streams: nested objects become dotted columns
(``date.start``), lists of objects become one column per leaf with the values joined by `` | ``
(``attributions.outlet``); lists nested inside lists are left out (use JSON for those).
"""

from __future__ import annotations

import csv
import io
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
JOIN = " | "
BOM = "\ufeff".encode()

encoder = msgspec.json.Encoder()


def negotiate(request: Request[Any, Any, Any], requested: str | None, allowed: tuple[str, ...]) -> str:
    """``format=`` wins; else the first Accept media type we serve; else JSON."""
    if requested is not None:
        if requested not in allowed:
            raise InvalidParameter(
                f"Parameter 'format' must be one of {', '.join(allowed)}; got {requested!r}",
                parameter="format",
            )
        return requested
    for part in request.headers.get("accept", "").split(","):
        media = part.split(";")[0].strip().lower()
        fmt = _ACCEPT.get(media)
        if fmt in allowed:
            return fmt
    return "json"


def project(item: msgspec.Struct, fields: list[str] | None) -> Any:
    """The item, or a dict of only the requested top-level fields (``id`` always kept)."""
    if fields is None:
        return item
    data = msgspec.to_builtins(item)
    return {k: data[k] for k in ("id", *fields) if k in data}


def struct_fields(tp: type[msgspec.Struct]) -> tuple[str, ...]:
    return tuple(f.encode_name for f in msgspec.inspect.type_info(tp).fields)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ CSV


def _columns(t: msgspec.inspect.Type, prefix: str, in_list: bool) -> list[str]:
    mi = msgspec.inspect
    if isinstance(t, mi.UnionType):
        members = [m for m in t.types if not isinstance(m, mi.NoneType)]
        if len(members) == 1:
            return _columns(members[0], prefix, in_list)
        return [prefix]
    if isinstance(t, mi.StructType):
        return [
            c
            for f in t.fields
            for c in _columns(f.type, f"{prefix}.{f.encode_name}" if prefix else f.encode_name, in_list)
        ]
    if isinstance(t, mi.ListType):
        if in_list:
            return []
        if isinstance(t.item_type, mi.StructType):
            return _columns(t.item_type, prefix, True)
        return [prefix]
    return [prefix]


def csv_columns(tp: type[msgspec.Struct], fields: list[str] | None = None) -> list[str]:
    columns = _columns(msgspec.inspect.type_info(tp), "", False)
    if fields is not None:
        keep = {"id", *fields}
        columns = [c for c in columns if c.split(".")[0] in keep]
    return columns


def _leaves(value: Any, path: list[str]) -> list[Any]:
    if isinstance(value, list) and not (path == [] and all(not isinstance(v, dict | list) for v in value)):
        return [leaf for v in value for leaf in _leaves(v, path)]
    if not path:
        return [value]
    if isinstance(value, dict):
        return _leaves(value.get(path[0]), path[1:])
    return []


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return (
            "-".join(str(v) for v in value)
            if all(isinstance(v, int) for v in value)
            else JOIN.join(map(_cell, value))
        )
    return str(value)


def csv_row(item: msgspec.Struct, columns: list[str]) -> list[str]:
    data = msgspec.to_builtins(item)
    out = []
    for column in columns:
        leaves = [v for v in _leaves(data, column.split(".")) if v is not None]
        out.append(_cell(leaves[0]) if len(leaves) == 1 else JOIN.join(_cell(v) for v in leaves))
    return out


def csv_chunk(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode()


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
