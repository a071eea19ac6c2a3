"""Streamed exports (NDJSON and CSV) of every row a list filter matches, in constant memory.

An export is a series of batches, each a short statement on a connection borrowed from the pool for
that batch alone and given back before its bytes are sent: a client that reads slowly holds no
database connection, however long the export. The batches fetch rows by ids read once in order (up
to ``ID_LIST`` matches) or walk the list's order with keyset conditions (see ``Export._plan``). The
first batch runs on the request's own connection before any header is sent, so a filter the database
refuses, or a timeout, is still an RFC 9457 problem. After the headers, a failure (a batch the
database fails, or a client that takes no data for ``STALL_SECONDS``) ends the connection without
the chunked terminator, so the client sees a failed transfer and never a short file that looks
complete; each is counted in ``marsad_exports_aborted_total`` by reason.

Like the pages of a list, batches see the data as it is when each runs: a row changed during an
export may show its new content (or, in a walk, its new place or none), and the ETag names the
version at the start.

What each batch writes:
- whole items with a stored form (events): the stored documents (NDJSON) or CSV records, joined as
  bytes; an item without one is built, as for a page;
- ``fields=``: items built and projected (NDJSON); in CSV, the stored records cut to the columns by
  the database (byte ranges at the offsets stored with each record, ``event_csv.cuts``);
- ``rows=attributions`` / ``rows=actors`` (events, CSV): one record per link, flat columns
  selected by the database (``service.db.events``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from litestar import Request
from litestar.response import Stream
from litestar.response.base import ASGIResponse
from litestar.types import Message, Receive, Scope, Send

from service.api.formats import BOM, MEDIA_TYPES, ndjson_chunk, project
from service.db.filters import SqlQuery, keyset_sql
from service.flat import csv_columns, csv_records, csv_row

logger = logging.getLogger("marsad.export")

BATCH_ROWS = 1000  # rows per statement (and per chunk sent)
ID_LIST = 100_000  # up to this many matches, their ids are read once, in order (about 7 MB of memory)
STALL_SECONDS = 30.0  # a client that takes no data for this long is dropped
ABORTED = "marsad_exports_aborted_total"
# Each batch: without parallel workers (a batch reads about BATCH_ROWS rows), with plans for these
# values (a cached generic plan ignores how selective they are).
BATCH_SETTINGS = (
    "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
    "set_config('plan_cache_mode', 'force_custom_plan', true)"
)
# ... and, in an ascending order that starts at its first match, no sort: with a date-overlap filter
# (`from`) the planner would sort all the matches for every batch (0.4 s a batch at 1M events) where
# the order's index reads each row once over the whole export.
IN_INDEX_ORDER = "SET LOCAL enable_sort = off"


class ExportAborted(Exception):
    """An export cut after its headers (the reason is counted and logged)."""


@dataclass(frozen=True)
class LinkRows:
    """``rows=<name>``: one CSV record per link of each item (events' attributions or actors)."""

    columns: tuple[str, ...]
    sql: str  # $1: the item ids, in export order; rows come out in that order


@dataclass(frozen=True)
class CsvWalk:
    """Whole stored CSV records read in the list's order from their own table alone (migration 0012:
    each record carries its item's sort keys, with the orders' indexes), instead of walking the
    items and probing the records' table by key for each row (five times the buffers).

    Taken by exports without filters, or with ``filters`` only under an order of ``filter_sorts``
    (whose index also bounds those filters' matches), and only when ``ready`` says every item has
    its record."""

    select: str  # SELECT <id> AS id, <the sort keys' columns>, {record} AS csv_row FROM <table>
    table: str  # "<table> <alias>"
    id_expr: str
    sorts: dict[str, Any]  # the list's orders (by name) on the records' copy of the keys
    filters: dict[str, str]  # filter name -> its condition on the records ({p0} ...)
    filter_sorts: frozenset[str]
    ready: str  # SQL: true when every item has its record
    # filter name -> the condition ({p0}: the filter's value) on the records that match it but sort
    # before it in a date order: an export with that filter alone walks the records from the value
    # on (all of them match), and these apart, in the same order (``Export._take_split``)
    running: dict[str, str] = field(default_factory=dict)


@dataclass
class Export:
    """One export: the list's select, filter and order, and how each batch is written."""

    spec: Any  # listing.ListSpec
    query: SqlQuery
    sort: Any  # filters.Sort
    after: tuple[Any, str] | None
    limit: int | None
    format: str
    fields: list[str] | None
    rows: LinkRows | None = None

    def __post_init__(self) -> None:
        self.build = self.spec.exporter() if self.spec.exporter else self.spec.build
        self.stored = self._stored_column()
        self.sent = 0
        self.by_id: str | None = None
        self.table: str = self.spec.table
        self.id_expr: str = self.spec.id_expr
        self.walk: CsvWalk | None = None
        self.records_by_id: str | None = None
        self.phases: list[SqlQuery] | None = None  # a split walk's parts in export order (_take_split)
        if self.format == "csv":
            self.columns = list(self.rows.columns) if self.rows else csv_columns(self.spec.item, self.fields)
            every = csv_columns(self.spec.item)
            keep = [every.index(c) for c in self.columns] if self.fields else None
            if self.stored and self.spec.csv_select:
                # the stored records whole, or cut to the columns by the database
                record = self.spec.csv_record if keep is None else self.spec.csv_cut(keep)
                self.csv_select = self.spec.csv_select.format(record=record)
                if self.spec.csv_by_id:
                    self.by_id = self.records_by_id = self.spec.csv_by_id.format(record=record)
                self.walk = self._walk_candidate()
                self.walk_select = self.walk.select.format(record=record) if self.walk else ""

    def _walk_candidate(self) -> CsvWalk | None:
        """The spec's CsvWalk when this export's filters and order allow it (``_plan`` decides)."""
        walk = self.spec.csv_walk
        if walk is None or self.query.drive is not None:
            return None
        named = self.query.named
        if len(named) != len(self.query.where) or any(name not in walk.filters for name, _ in named):
            return None  # a condition that is not an allow-listed filter's (a nested endpoint's own)
        sort_name = next((n for n, s in self.spec.sorts.items() if s == self.sort), None)
        if sort_name not in walk.sorts or (named and sort_name not in walk.filter_sorts):
            return None
        return walk

    def _stored_column(self) -> str | None:
        """The record column whose bytes a batch can send (or cut) as they are."""
        if self.rows is not None:
            return None
        if self.format == "csv":
            return self.spec.flat
        return self.spec.document if self.fields is None else None

    @property
    def header(self) -> bytes:
        return BOM + csv_records([self.columns]) if self.format == "csv" else b""

    async def _plan(self, conn: asyncpg.Connection) -> None:
        """Decide, once, how the batches find their rows.

        A filter that the order's index does not serve (``from`` on a date order, ``q``) leaves a
        walk in that order to test rows that do not match: the batch that looks past the last match
        would test every remaining row (at 1M events, past the statement timeout), an ascending walk
        would test every row before the first one, and the planner may sort every match again for
        each batch. So the matches are counted first; up to ID_LIST rows, their ids are read once in
        order and each batch fetches its rows by id; beyond, the walk stops after ``count`` rows and
        an ascending walk starts at the first matching key, in the index's order."""
        self.count: int | None = None
        self.ids: list[str] | None = None
        self.start: Any = None
        if self.walk is not None and await self._take_walk(conn):
            return
        if not self.query.where:  # every row matches: the walk finds a batch where it looks
            return
        table = self.query.drive.table if self.query.drive else self.table
        where, args = self.query.where_sql, self.query.args
        # the matches as the filters find them (OFFSET 0: not by walking the order's index)
        self.count = await conn.fetchval(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where} OFFSET 0) m", *args
        )
        wanted = self.count if self.limit is None else min(self.count, self.limit)
        if wanted <= ID_LIST:
            query = SqlQuery(list(self.query.where), list(args), self.query.drive)
            keys = self.spec.keys_select or self.spec.select
            sql = keyset_sql(keys, query, self.sort, self.id_expr, self.after, wanted)
            self.ids = [r["id"] for r in await conn.fetch(sql, *query.args)]
        elif self.sort.expr is not None and not self.sort.descending and self.query.drive is None:
            expr = self.sort.expr
            sql = f"SELECT min(k) FROM (SELECT {expr} AS k FROM {table} WHERE {where} OFFSET 0) m"
            self.start = await conn.fetchval(sql, *args)

    async def _take_walk(self, conn: asyncpg.Connection) -> bool:
        """Switch to the records' own walk (``CsvWalk``) if every item has its record and, with
        filters, their matches are at least half of the rows between the least sort key among them
        and the end of the order (so a batch never reads many rows that do not match): the walk
        then starts or stops at that key, and stops after the matches are sent. False: the export
        goes on as if there were no walk."""
        walk = self.walk
        assert walk is not None
        self.walk = None
        if not await conn.fetchval(walk.ready):
            return False
        sort_name = next(n for n, s in self.spec.sorts.items() if s == self.sort)
        sort = walk.sorts[sort_name]
        named = self.query.named
        if (
            len(named) == 1
            and named[0][0] in walk.running
            and sort_name in walk.filter_sorts
            and self.after is None
        ):
            await self._take_split(conn, walk, sort, walk.running[named[0][0]], named[0][1][0])
            return True
        query = SqlQuery()
        for name, values in named:
            query.add(walk.filters[name], values)
        if query.where:
            count, least = await conn.fetchrow(
                f"SELECT count(*), min({sort.expr}) FROM {walk.table} WHERE {query.where_sql}", *query.args
            )
            if count:
                span = await conn.fetchval(
                    f"SELECT count(*) FROM {walk.table} WHERE {sort.expr} >= $1::{sort.cast}", least
                )
                if span > 2 * count + BATCH_ROWS:
                    return False
            self.count, self.start = count, least
        self.walk = walk
        self.query, self.sort, self.table, self.id_expr = query, sort, walk.table, walk.id_expr
        self.csv_select, self.by_id = self.walk_select, None
        return True

    async def _take_split(
        self, conn: asyncpg.Connection, walk: CsvWalk, sort: Any, running: str, value: Any
    ) -> None:
        """A filter whose matches are every record from ``value`` on in the order's key (``from``
        in a date order: an event starting on or after it also ends after it) and a few that sort
        before it (``running``: the events running at ``from``): two walks in the order, each
        bounded by an index in that order (one statement per batch, about one buffer per row),
        the records from ``value`` on first in a descending order and last in an ascending one.
        The running part is counted first with its least key, which bounds its walk, so no batch
        reads past its last record. Without the split, the walk started at the least key among
        the matches (one event dated to the whole year pulls it back to 1 January) or took the
        path by id (four buffers per row); before migration 0014 the running part was read as ids,
        sorted for every export (22 ms for 10,600 at 1M events), and sent by id."""
        part = SqlQuery()
        part.add(running, [value])
        count, least = await conn.fetchrow(
            f"SELECT count(*), min({sort.expr}) FROM {walk.table} WHERE {part.where_sql}", *part.args
        )
        parts = []
        if count:
            part.where.append(f"{sort.expr} >= {part.param(least)}::{sort.cast}")
            parts.append(part)
        after = SqlQuery()
        after.add(f"{sort.expr} >= {{p0}}::{sort.cast}", [value])
        parts.insert(0 if sort.descending else len(parts), after)
        self.walk, self.start, self.count = walk, None, None
        self.query, self.sort, self.table, self.id_expr = parts[0], sort, walk.table, walk.id_expr
        self.csv_select, self.by_id = self.walk_select, None
        self.phases = parts

    async def _split_batch(self, conn: asyncpg.Connection, size: int) -> bytes | None:
        """The next batch of a split walk (``_take_split``): its current part, else the next one
        (whose keyset starts afresh)."""
        assert self.phases is not None
        while self.phases:
            self.query = self.phases[0]
            chunk = await self._walk_batch(conn, self.csv_select, size)
            if chunk is not None:
                return chunk
            self.phases.pop(0)
            self.after = None
        return None

    async def batch(self, conn: asyncpg.Connection) -> bytes | None:
        """The next batch's bytes (None when the export is complete), on ``conn``."""
        if not hasattr(self, "count"):
            await self._plan(conn)
        remaining = [n - self.sent for n in (self.limit, self.count) if n is not None]
        size = min([BATCH_ROWS, *remaining])
        if size <= 0 or (self.ids is not None and self.sent >= len(self.ids)):
            return None
        if self.phases is not None:
            return await self._split_batch(conn, size)
        if self.rows is not None:
            select = self.spec.keys_select or self.spec.select
        elif self.format == "csv" and self.stored:
            select = self.csv_select
        else:
            select = self.spec.select
        if self.ids is not None and self.by_id is not None:
            return await self._by_id(conn, self.ids[self.sent : self.sent + size])
        if self.walk is not None and self.start is None:
            return await self._walk_batch(conn, select, size)
        async with conn.transaction():
            await conn.execute(BATCH_SETTINGS)
            if self.ids is not None:  # by id, in the order read at the start
                ids = self.ids[self.sent : self.sent + size]
                found = {
                    r["id"]: r
                    for r in await conn.fetch(f"{select} WHERE {self.id_expr} = ANY($1::text[])", ids)
                }
                records = [found[i] for i in ids if i in found]  # (a row deleted since is skipped)
                self.sent += len(ids)
            else:
                query = SqlQuery(list(self.query.where), list(self.query.args), self.query.drive)
                if self.start is not None:
                    query.where.append(f"{self.sort.expr} >= {query.param(self.start)}::{self.sort.cast}")
                    await conn.execute(IN_INDEX_ORDER)
                sql = keyset_sql(select, query, self.sort, self.id_expr, self.after, size)
                records = await conn.fetch(sql, *query.args)
                if not records:
                    return None
                self._advance(records)
            return await self._encode(conn, records) if records else b""

    async def _walk_batch(self, conn: asyncpg.Connection, select: str, size: int) -> bytes | None:
        """A batch of the records' own walk (``CsvWalk``) without a bound: one statement, a range of
        the order's index read up to ``size`` rows, whose plan needs none of the batch settings (so
        no transaction around it: one round trip instead of four)."""
        query = SqlQuery(list(self.query.where), list(self.query.args))
        sql = keyset_sql(select, query, self.sort, self.id_expr, self.after, size)
        records = await conn.fetch(sql, *query.args)
        if not records:
            return None
        self._advance(records)
        return b"".join(r[self.stored] for r in records)

    def _advance(self, records: list[asyncpg.Record]) -> None:
        """The keyset cursor moves past the last record of a batch read in the list's order."""
        last = records[-1]
        self.after = (self.sort.key_of(last), last["id"])
        self.sent += len(records)

    async def _by_id(self, conn: asyncpg.Connection, ids: list[str]) -> bytes:
        """The stored CSV records of ``ids`` in their order, from one statement that reads nothing
        else (no per-row work here but the join); an id without a record is built, a deleted one
        skipped."""
        self.sent += len(ids)
        stored = [r[1] for r in await conn.fetch(self.by_id, ids)]
        if None not in stored:
            return b"".join(stored)
        missing = [i for i, s in zip(ids, stored, strict=True) if s is None]
        async with conn.transaction():
            await conn.execute(BATCH_SETTINGS)
            found = await conn.fetch(
                f"{self.spec.select} WHERE {self.spec.id_expr} = ANY($1::text[])", missing
            )
        items = await self.build(conn, found) if found else []
        built = {i.id: csv_records([csv_row(i, self.columns)]) for i in items}
        return b"".join(s if s is not None else built.get(i, b"") for i, s in zip(ids, stored, strict=True))

    async def _encode(self, conn: asyncpg.Connection, records: list[asyncpg.Record]) -> bytes:
        if self.rows is not None:
            return csv_records(await conn.fetch(self.rows.sql, [r["id"] for r in records]))
        stored = [r[self.stored] for r in records] if self.stored else None
        if stored is not None and all(s is not None for s in stored):
            if self.format == "ndjson":
                return b"\n".join(stored) + b"\n"
            return b"".join(stored)
        items = await self.build(conn, records)
        if self.format == "ndjson":
            return ndjson_chunk([project(i, self.fields) for i in items])
        return csv_records([csv_row(i, self.columns) for i in items])


async def stream_export(
    db: asyncpg.Connection, request: Request[Any, Any, Any], export: Export, headers: dict[str, str]
) -> Stream:
    """The export as a response: its first batch now (errors are still problems), the rest as the
    client reads."""
    first = await export.batch(db)
    # later batches borrow the exports' own pool (MARSAD_EXPORT_POOL_MAX), so exports never starve reads
    connections = request.app.state.get("export_connections") or request.app.state.connections
    metrics = request.app.state.get("metrics")

    async def body() -> AsyncIterator[bytes]:
        chunk = export.header + (first or b"")
        if chunk:
            yield chunk
        if first is None:
            return
        while True:
            try:
                async with connections.acquire() as conn:
                    chunk = await export.batch(conn)  # type: ignore[assignment]
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError) as exc:
                aborted(metrics, "database", f"{type(exc).__name__}: {exc}")
                raise ExportAborted("database") from exc
            except Exception as exc:
                logger.exception("export batch failed")
                aborted(metrics, "error", f"{type(exc).__name__}: {exc}")
                raise ExportAborted("error") from exc
            if chunk is None:
                return
            yield chunk

    if export.format == "csv":
        headers["Content-Disposition"] = f'attachment; filename="{export.spec.name}.csv"'
    return GuardedStream(body(), media_type=MEDIA_TYPES[export.format], headers=headers, metrics=metrics)


def aborted(metrics: Any, reason: str, detail: str) -> None:
    logger.warning("export aborted after its headers", extra={"fields": {"reason": reason, "detail": detail}})
    if metrics is not None:
        metrics.inc(ABORTED, reason=reason)


class GuardedStream(Stream):
    """A Stream whose client must keep reading, and whose failure is a failed transfer."""

    def __init__(self, *args: Any, metrics: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metrics = metrics

    def to_asgi_response(self, *args: Any, **kwargs: Any) -> ASGIResponse:
        return _Guarded(super().to_asgi_response(*args, **kwargs), self.metrics)  # type: ignore[return-value]


class _Guarded:
    """Sends the inner response's messages, each within STALL_SECONDS; on a stalled client or an
    aborted export, returns before the final (empty) body message, so the server closes the
    connection without the chunked terminator."""

    def __init__(self, inner: ASGIResponse, metrics: Any) -> None:
        self.inner, self.metrics = inner, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        guarded = guard(send, STALL_SECONDS, lambda: aborted(self.metrics, "stalled", "client read nothing"))
        try:
            await self.inner(scope, receive, guarded)
        except* ExportAborted:
            pass  # counted and logged where it happened; the response stays incomplete


def guard(send: Send, seconds: float, on_stall: Callable[[], None]) -> Send:
    async def guarded(message: Message) -> None:
        try:
            await asyncio.wait_for(send(message), seconds)
        except TimeoutError:
            on_stall()
            raise ExportAborted("stalled") from None

    return guarded
