"""Each CSV record's copy of its event's sort keys (migration 0012), which CSV exports walk instead
of the events, follows every write of the event; a copy that drifts is found."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from service.db import corpus, renderings
from service.db.corpus import WRITE_LOCK
from service.db.events import EVERY_EVENT_RECORDED
from service.ingest import ingest
from service.ingest.merging import merge_into
from tests.api.api_articles import ARTICLES

RECORD_KEYS = "SELECT date_start, date_end, updated_at FROM event_csv WHERE event_id = $1"
EVENT_KEYS = "SELECT date_start, date_end, updated_at FROM events WHERE id = $1"


async def _fidan(conn: asyncpg.Connection) -> str:
    """The Fidan article ingested alone; its dated event's id."""
    await conn.execute("DELETE FROM events")
    await ingest(conn, [ARTICLES["fidan"]])
    return str(await conn.fetchval("SELECT id FROM events WHERE date_start IS NOT NULL"))


async def test_a_reextraction_that_moves_an_event_moves_its_records_keys(conn: asyncpg.Connection) -> None:
    event = await _fidan(conn)
    assert (await conn.fetchrow(RECORD_KEYS, event))["date_start"] == date(2025, 11, 5)
    sha = await conn.fetchval("SELECT sha256 FROM sources WHERE external_id = 'test_fidan_damascus'")
    stored = (await corpus.documents(conn, [sha]))[sha]
    day = date(2025, 11, 12)  # another extraction resolves the article's date to another day
    dates = [msgspec.structs.replace(d, start_date=day, end_date=day) for d in stored.dates]
    async with conn.transaction():
        await conn.execute(WRITE_LOCK)
        await merge_into(conn, [msgspec.structs.replace(stored, dates=dates)], [stored])
    keys = await conn.fetchrow(EVENT_KEYS, event)  # the same event, moved
    assert (keys["date_start"], keys["date_end"]) == (day, day)
    assert await conn.fetchrow(RECORD_KEYS, event) == keys
    assert await renderings.key_drift(conn) == []
    assert await renderings.stale(conn) == []


async def test_a_drifted_copy_is_found(conn: asyncpg.Connection) -> None:
    """A writer that changed an event's keys without rendering it (which no write path does) shows
    in ``key_drift`` and ``stale``, which the loader's tests check after every ingest."""
    event = await _fidan(conn)
    assert await renderings.key_drift(conn) == []
    await conn.execute("UPDATE events SET date_start = date_start - 1 WHERE id = $1", event)
    assert await renderings.key_drift(conn) == [event]
    assert event in await renderings.stale(conn)


async def test_a_deleted_record_takes_its_events_document_and_deleted_events_their_records(
    conn: asyncpg.Connection,
) -> None:
    """Every event with a document has its record (so one probe tells an export that event_csv
    holds every event): deleting a record clears its event's document, which ``fill_missing``
    renders again with the record; deleting an event deletes its record."""
    event = await _fidan(conn)
    assert await conn.fetchval(EVERY_EVENT_RECORDED)
    await conn.execute("DELETE FROM event_csv WHERE event_id = $1", event)
    assert await conn.fetchval("SELECT document IS NULL FROM events WHERE id = $1", event)
    assert not await conn.fetchval(EVERY_EVENT_RECORDED)
    assert await renderings.fill_missing(conn) == 1
    assert await conn.fetchval(EVERY_EVENT_RECORDED)
    assert await conn.fetchrow(RECORD_KEYS, event) == await conn.fetchrow(EVENT_KEYS, event)
    await conn.execute("DELETE FROM events WHERE id = $1", event)
    assert await conn.fetchval("SELECT count(*) FROM event_csv WHERE event_id = $1", event) == 0
    assert await conn.fetchval(EVERY_EVENT_RECORDED)
