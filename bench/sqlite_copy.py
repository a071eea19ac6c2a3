"""An SQLite copy of a generated dataset, for Datasette (the outside peer).

What a Datasette user would publish from the same data: the events' own columns, the actor links
and the actors, with the indexes such a user would add for these requests (date range, type, an
actor's events). Attributions, quotes and conflicts are not copied: Datasette serves table rows,
and its rows are the events' flat columns, the same that Marsad's CSV carries before its JSON cells.

The copy is made once per dataset and reused while the dataset's fingerprint is the same.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import asyncpg

from service.config import PROJECT_ROOT

FOLDER = PROJECT_ROOT / ".data" / "bench-sqlite"
DATABASE = "bench"  # the database's name in Datasette's URLs: /bench/events.json

SCHEMA = """
CREATE TABLE events (
    id TEXT PRIMARY KEY, plover_type TEXT NOT NULL, plover_mode TEXT, cameo TEXT, status TEXT NOT NULL,
    date_start TEXT, date_end TEXT, date_precision TEXT NOT NULL, date_basis TEXT,
    location_actor_id TEXT, summary_en TEXT, summary_ar TEXT, confidence REAL, source_count INTEGER,
    has_conflict INTEGER, updated_at TEXT
);
CREATE TABLE actors (id TEXT PRIMARY KEY, kind TEXT, name_ar TEXT, name_en TEXT, country_id TEXT);
CREATE TABLE event_actors (event_id TEXT NOT NULL, actor_id TEXT NOT NULL, role TEXT NOT NULL);
CREATE TABLE copy_info (fingerprint TEXT, events INTEGER, seconds REAL);
"""
INDEXES = """
CREATE INDEX events_date_start ON events (date_start);
CREATE INDEX events_date_end ON events (date_end);
CREATE INDEX events_type ON events (plover_type, date_start);
CREATE INDEX event_actors_actor ON event_actors (actor_id, event_id);
CREATE INDEX event_actors_event ON event_actors (event_id);
ANALYZE;
"""
COPIES = {
    "events": (
        "SELECT id, plover_type, plover_mode, cameo, status, date_start::text, date_end::text, date_precision, "
        "date_basis, location_actor_id, summary_en, summary_ar, confidence, source_count, has_conflict::int, "
        "updated_at::text FROM events ORDER BY id",
        16,
    ),
    "actors": ("SELECT id, kind, name_ar, name_en, country_id FROM actors ORDER BY id", 5),
    "event_actors": ("SELECT event_id, actor_id, role FROM event_actors ORDER BY event_id", 3),
}


def path_for(name: str) -> Path:
    """One folder per dataset; the file's name is the database's name in Datasette's URLs."""
    return FOLDER / name / f"{DATABASE}.db"


def existing(name: str, fingerprint: str) -> Path | None:
    """The copy of dataset ``name`` if one was made from the same generated data."""
    path = path_for(name)
    if not path.exists():
        return None
    try:
        with sqlite3.connect(path) as db:
            row = db.execute("SELECT fingerprint FROM copy_info").fetchone()
    except sqlite3.Error:
        return None
    return path if row and row[0] == fingerprint else None


async def make_copy(dsn: str, name: str, fingerprint: str) -> Path:
    """Copy dataset ``name`` (at ``dsn``) into SQLite; returns the file."""
    path = path_for(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".tmp")
    scratch.unlink(missing_ok=True)
    started = time.perf_counter()
    conn = await asyncpg.connect(dsn)
    db = sqlite3.connect(scratch)
    try:
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            for table, (sql, width) in COPIES.items():
                insert = f"INSERT INTO {table} VALUES ({', '.join('?' * width)})"
                batch: list[Any] = []
                async for record in conn.cursor(sql, prefetch=20_000):
                    batch.append(tuple(record))
                    if len(batch) >= 20_000:
                        db.executemany(insert, batch)
                        batch = []
                db.executemany(insert, batch)
        db.executescript(INDEXES)
        events = db.execute("SELECT count(*) FROM events").fetchone()[0]
        db.execute(
            "INSERT INTO copy_info VALUES (?, ?, ?)", (fingerprint, events, time.perf_counter() - started)
        )
        db.commit()
    finally:
        db.close()
        await conn.close()
    scratch.replace(path)
    return path


async def sqlite_copy(dsn: str, name: str, fingerprint: str) -> Path:
    return existing(name, fingerprint) or await make_copy(dsn, name, fingerprint)
