"""Each event's rendered representations: ``events.document`` (its JSON, migration 0004) and
``event_csv.record`` (its CSV record, migrations 0005 and 0009; the database derives the byte
offsets of its cells, ``event_csv.cuts``, from it).

An Event resource is assembled from five tables (the event, its actors, attributions with their
sources and relays, conflicts with their values). Assembling it on every read costs more than the
rest of a list request, and caps exports at a few thousand events per second; so the loader
renders each event once, when it is written, with the very code that assembles it for reads
(``EventExport``), and reads serve the stored JSON.

It stays exact because an event's content hash covers its whole representation (actors' names,
place, attributions' outlets and dates, conflicts: ``rows.content_hash`` of the Event resource),
so every change that shows in the document also rewrites the event and re-renders it, in the same
transaction. A NULL document (rows from before the revision, or from a bulk loader) is rendered
by ``fill_missing`` and, until then, assembled on read. The CSV record is rendered from the same
Event by ``service.flat`` (the columns of the CSV export), in the same statement; a change to the
Event's shape needs a migration that clears both (documents and ``event_csv`` rows), which
``fill_missing`` then renders.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable

import asyncpg
import msgspec

from service.db.events import SELECT_EVENTS_BY_ID, EventExport
from service.flat import encode_row
from service.models import Event

RENDER_BATCH = 1000

_encoder = msgspec.json.Encoder()

# The record carries a copy of its event's sort keys (migration 0012: CSV exports walk event_csv
# alone), taken from the event's row as the document is stored: every write of an event renders it
# in the same transaction (service.db.loader), so the copy is the row's. ``key_drift`` checks it.
KEYS = "date_start, date_end, updated_at"
UPSERT_RECORD = """
ON CONFLICT (event_id) DO UPDATE SET record = excluded.record, date_start = excluded.date_start,
    date_end = excluded.date_end, updated_at = excluded.updated_at
"""
UPDATE_DOCUMENTS = f"""
WITH d AS (SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[]) AS d(id, document, record)),
documents AS (UPDATE events e SET document = d.document FROM d WHERE e.id = d.id
              RETURNING e.id, e.date_start, e.date_end, e.updated_at)
INSERT INTO event_csv (event_id, record, {KEYS})
SELECT d.id, d.record, {KEYS} FROM d JOIN documents USING (id)
{UPSERT_RECORD}"""
SELECT_UNDOCUMENTED = "SELECT id FROM events WHERE document IS NULL AND id > $1 ORDER BY id LIMIT $2"
# Rendered without a CSV record (before migration 0005, or by a loader): it comes from the document.
SELECT_ROWLESS = """
SELECT e.id, e.document FROM events e
WHERE e.document IS NOT NULL AND e.id > $1 AND NOT EXISTS (SELECT 1 FROM event_csv c WHERE c.event_id = e.id)
ORDER BY e.id LIMIT $2
"""
INSERT_ROWS = f"""
INSERT INTO event_csv (event_id, record, {KEYS})
SELECT r.id, r.record, e.date_start, e.date_end, e.updated_at
FROM unnest($1::text[], $2::bytea[]) AS r(id, record) JOIN events e ON e.id = r.id
{UPSERT_RECORD}"""
# Records whose copied keys differ from their event's (none, unless a writer broke the rule above).
SELECT_KEY_DRIFT = """
SELECT c.event_id FROM event_csv c JOIN events e ON e.id = c.event_id
WHERE (c.date_start, c.date_end, c.updated_at) IS DISTINCT FROM (e.date_start, e.date_end, e.updated_at)
ORDER BY c.event_id
"""
SELECT_DOCUMENTS = """
SELECT e.id, e.document, c.record,
       (c.date_start, c.date_end, c.updated_at) IS NOT DISTINCT FROM (e.date_start, e.date_end, e.updated_at) AS keyed
FROM events e LEFT JOIN event_csv c ON c.event_id = e.id
WHERE e.id = ANY($1::text[]) ORDER BY e.id
"""
_decode_event = msgspec.json.Decoder(Event).decode


def encode_event(event: msgspec.Struct) -> bytes:
    """The stored form: the same bytes the API's JSON encoder writes for the resource."""
    return _encoder.encode(event)


async def _assembled(
    conn: asyncpg.Connection, ids: list[str]
) -> AsyncIterator[tuple[list[str], list[Event]]]:
    """(batch of ids, their events assembled from the tables) for ``ids``, RENDER_BATCH at a time."""
    assemble = EventExport(use_documents=False)  # one per run: its reference caches span the batches
    for at in range(0, len(ids), RENDER_BATCH):
        batch = ids[at : at + RENDER_BATCH]
        yield batch, await assemble(conn, await conn.fetch(SELECT_EVENTS_BY_ID, batch))


async def render(conn: asyncpg.Connection, ids: Iterable[str]) -> int:
    """Assemble and store the documents and CSV rows of these events (ids that no longer exist are
    skipped)."""
    done = 0
    async for _, events in _assembled(conn, sorted(set(ids))):
        await conn.execute(
            UPDATE_DOCUMENTS,
            [e.id for e in events],
            [encode_event(e) for e in events],
            [encode_row(e) for e in events],
        )
        done += len(events)
    return done


async def fill_missing(conn: asyncpg.Connection) -> int:
    """Render every event without a document (or without a CSV row: that comes from its document),
    batch by batch (each batch its own transaction unless the caller holds one), so a large
    backfill can be interrupted and resumed."""
    total, last = 0, ""
    while ids := [r["id"] for r in await conn.fetch(SELECT_UNDOCUMENTED, last, RENDER_BATCH)]:
        async with conn.transaction():
            total += await render(conn, ids)
        last = ids[-1]
    last = ""
    while records := await conn.fetch(SELECT_ROWLESS, last, RENDER_BATCH):
        rows = [encode_row(_decode_event(r["document"])) for r in records]
        async with conn.transaction():
            await conn.execute(INSERT_ROWS, [r["id"] for r in records], rows)
        total += len(records)
        last = records[-1]["id"]
    return total


async def key_drift(conn: asyncpg.Connection) -> list[str]:
    """Events whose CSV record's copy of the sort keys differs from the event's (for checks)."""
    return [r["event_id"] for r in await conn.fetch(SELECT_KEY_DRIFT)]


async def stale(conn: asyncpg.Connection, ids: list[str] | None = None) -> list[str]:
    """Events whose stored document or CSV row differs from what assembling them gives now, or whose
    CSV row's copy of the sort keys differs from the event's (for checks)."""
    if ids is None:
        ids = [r["id"] for r in await conn.fetch("SELECT id FROM events ORDER BY id")]
    out: list[str] = []
    async for batch, events in _assembled(conn, ids):
        stored = {
            r["id"]: (r["document"], r["record"], r["keyed"])
            for r in await conn.fetch(SELECT_DOCUMENTS, batch)
        }
        out += [e.id for e in events if stored.get(e.id) != (encode_event(e), encode_row(e), True)]
    return out
