"""CSV exports that read the stored records in order from event_csv alone (migration 0012,
``exports.CsvWalk``) send exactly what the former path (walking events and probing each record)
sends for the same request: the same bytes, rows in the same order, across batches, with limits,
cursors, ``fields=`` and ``from`` (walked from ``from`` on, the events running at it sent apart,
``Export._take_split``)."""

from __future__ import annotations

import dataclasses
from typing import Any

import asyncpg
import pytest
from api_articles import ingest_articles
from api_helpers import get_json
from httpx import AsyncClient

import service.api.events as events_api
import service.api.exports as exports

SORTS = ["-date", "date", "id", "updated"]


@pytest.fixture
def walks(monkeypatch: Any) -> list[bool]:
    """Batches of two rows; records whether each export took the walk."""
    taken: list[bool] = []
    take = exports.Export._take_walk

    async def spy(self: exports.Export, conn: asyncpg.Connection) -> bool:
        taken.append(await take(self, conn))
        return taken[-1]

    monkeypatch.setattr(exports, "BATCH_ROWS", 2)
    monkeypatch.setattr(exports.Export, "_take_walk", spy)
    return taken


async def _both(client: AsyncClient, monkeypatch: Any, params: dict[str, Any]) -> tuple[bytes, bytes]:
    """The export's bytes with the walk, then without it (the spec's CsvWalk removed)."""
    params = {**params, "format": "csv"}
    walked = await client.get("/v1/events", params=params)
    with monkeypatch.context() as m:
        m.setattr(events_api, "EVENTS", dataclasses.replace(events_api.EVENTS, csv_walk=None))
        probed = await client.get("/v1/events", params=params)
    assert walked.status_code == probed.status_code == 200, (walked.text, probed.text)
    return walked.content, probed.content


@pytest.mark.parametrize("sort", SORTS)
async def test_the_walk_sends_what_the_probing_path_sends(
    client: AsyncClient, conn: asyncpg.Connection, monkeypatch: Any, walks: list[bool], sort: str
) -> None:
    await ingest_articles(conn, "fidan", "guler", "bogdanov")
    total = await conn.fetchval("SELECT count(*) FROM events")
    cursor = (await get_json(client, "/v1/events", {"sort": sort, "limit": 3}))["next"]
    for params in (
        {},
        {"limit": 5},
        {"cursor": cursor},
        {"fields": "id,type,date,source_count"},
        {"from": "2025-11-01"},
        {"from": "2025-11-10", "limit": 2},
        {"from": "2001"},
        {"from": "2099"},
    ):
        walked, probed = await _both(client, monkeypatch, {**params, "sort": sort})
        assert walked == probed, params
        if not params:
            assert walked.count(b"\r\n") == total + 1  # the header and every event
    # unfiltered exports walk in every order; filtered ones in the date orders, where `from` is
    # bounded by the order's index
    assert walks[:4] == [True] * 4
    assert any(walks[4:]) == (sort in ("-date", "date"))


async def test_events_without_records_take_the_probing_path(
    client: AsyncClient, conn: asyncpg.Connection, monkeypatch: Any, walks: list[bool]
) -> None:
    """An event without its record (deleted here; never rendered, from a bulk loader) is built from
    the tables: the export does not walk the records, which would leave it out."""
    before, _ = await _both(client, monkeypatch, {})
    await conn.execute("DELETE FROM event_csv WHERE event_id = (SELECT min(id) FROM events)")
    after, probed = await _both(client, monkeypatch, {})
    assert after == probed == before
    assert walks == [True, False]


async def test_a_from_export_sends_the_events_running_at_from_in_order(
    client: AsyncClient, conn: asyncpg.Connection, monkeypatch: Any, walks: list[bool]
) -> None:
    """``from`` inside multi-day events: those that started before it are sent apart from the walk,
    after the walked records in a descending order and before them in an ascending one, with
    limits across the two parts."""
    await ingest_articles(conn, "fidan", "guler", "bogdanov")
    days = await conn.fetch(
        "SELECT DISTINCT date_start + 1 AS day FROM events WHERE date_end > date_start + 1 ORDER BY 1 LIMIT 3"
    )
    assert days, "the articles hold no event over several days"
    for row in days:
        day = row["day"].isoformat()
        running = await conn.fetchval(
            "SELECT count(*) FROM event_csv WHERE date_start < $1 AND date_end >= $1", row["day"]
        )
        assert running > 0
        for sort in ("-date", "date"):
            for params in ({}, {"limit": 1}, {"limit": running + 1}, {"fields": "id,date"}):
                walked, probed = await _both(client, monkeypatch, {**params, "from": day, "sort": sort})
                assert walked == probed, (day, sort, params)
    assert walks and all(walks)
