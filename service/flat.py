"""The flat (CSV) form of a resource: one record per item, columns from its Struct type.

Columns are known from the type before any row exists: nested objects become dotted columns
(``date.start``, ``location.name_en``), and a list (``actors``, ``attributions``, ``conflicts``,
``aliases`` ...) is one cell holding its JSON, so a list's items keep their fields together and can
be paired again (a spreadsheet's JSON functions, ``json.loads``, ``jq``). Empty cells are nulls;
booleans are ``true``/``false``; dates and times ISO 8601, as in JSON.

The API writes CSV with this module; the loader stores each event's record with its document
(``service.db.renderings``, table ``event_csv``), so an export joins stored records instead of
flattening every event; the database keeps the byte offsets of each record's cells, so an export
cut to some columns (``fields=``) takes byte ranges of the stored records.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import msgspec

_json = msgspec.json.Encoder()


@cache
def columns_of(tp: type[msgspec.Struct]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(column name, path into the item's builtins) of every column, in the Struct's field order."""
    return tuple(_flatten(msgspec.inspect.type_info(tp), ()))


def _flatten(t: msgspec.inspect.Type, path: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    mi = msgspec.inspect
    if isinstance(t, mi.UnionType):
        members = [m for m in t.types if not isinstance(m, mi.NoneType)]
        if len(members) == 1 and isinstance(members[0], mi.StructType):
            return _flatten(members[0], path)
    if isinstance(t, mi.StructType):
        return [c for f in t.fields for c in _flatten(f.type, (*path, f.encode_name))]
    return [(".".join(path), path)]


def csv_columns(tp: type[msgspec.Struct], fields: Sequence[str] | None = None) -> list[str]:
    """The header: every column, or those of ``fields`` (top-level names; ``id`` always kept)."""
    names = [name for name, _ in columns_of(tp)]
    if fields is None:
        return names
    keep = {"id", *fields}
    return [n for n in names if n.split(".")[0] in keep]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, list | dict):
        return _json.encode(value).decode()
    return value


def _value(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def csv_row(item: msgspec.Struct, columns: Sequence[str] | None = None) -> list[Any]:
    """The item's cells, for all its columns or the named ones."""
    data = msgspec.to_builtins(item)
    paths = columns_of(type(item))
    if columns is not None:
        wanted = set(columns)
        paths = tuple(p for p in paths if p[0] in wanted)
    return [_cell(_value(data, path)) for _, path in paths]


def csv_records(rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV records (RFC 4180: CRLF, quotes doubled), UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()


def encode_row(item: msgspec.Struct) -> bytes:
    """The stored form: the item's whole record, as ``csv_records`` writes it."""
    return csv_records([csv_row(item)])
