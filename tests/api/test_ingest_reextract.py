"""Re-extraction over HTTP: rows that the current extractor no longer produces are removed, reported with
the id they were merged into, and written to the change feed; every other id stays the same."""

from __future__ import annotations

import asyncpg
import httpx

from service.auth import create_key


async def test_reextract_removes_stale_rows_and_reports_where_they_went(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    _, token = await create_key(conn, "ops", ["admin"])
    admin = {"Authorization": f"Bearer {token}"}
    real = await conn.fetchrow(
        "SELECT event_id, source_id, span_start, span_end, quote FROM event_attributions ORDER BY id LIMIT 1"
    )
    # What an older extractor might have left: an event for a span the current one attributes elsewhere,
    # and an actor nothing mentions any more.
    await conn.execute(
        "INSERT INTO events (id, plover_type, status, confidence) "
        "VALUES ('evt_stale', 'CONSULT', 'occurred', 0.5)"
    )
    await conn.execute(
        "INSERT INTO event_attributions (id, event_id, source_id, span_start, span_end, quote) "
        "VALUES ('att_stale', 'evt_stale', $1, $2, $3, $4)",
        real["source_id"],
        real["span_start"],
        real["span_end"],
        real["quote"],
    )
    await conn.execute(
        "INSERT INTO actors (id, kind, name_ar) VALUES ('act_stale', 'person', 'فلان الفلاني')"
    )
    events_before = {r["id"] for r in await conn.fetch("SELECT id FROM events")} - {"evt_stale"}
    actors_before = {r["id"] for r in await conn.fetch("SELECT id FROM actors")} - {"act_stale"}

    response = await client.post("/v1/admin/reextract", json={}, headers=admin)
    assert response.status_code == 200, response.text
    report = response.json()
    removed = {(r["kind"], r["id"]): r["merged_into"] for r in report["removed"]}
    assert removed == {("event", "evt_stale"): real["event_id"], ("actor", "act_stale"): None}
    assert report["deleted"]["event"] == 1 and report["deleted"]["actor"] == 1

    assert {r["id"] for r in await conn.fetch("SELECT id FROM events")} == events_before
    assert {r["id"] for r in await conn.fetch("SELECT id FROM actors")} == actors_before
    feed = {(r["id"], r["kind"], r["merged_into"]) for r in await conn.fetch("SELECT * FROM deleted")}
    assert {("evt_stale", "event", real["event_id"]), ("act_stale", "actor", None)} <= feed
    changes = await client.get("/v1/deleted")
    assert changes.status_code == 200 and "evt_stale" in changes.text and "act_stale" in changes.text

    again = (await client.post("/v1/admin/reextract", json={}, headers=admin)).json()
    assert again["removed"] == [] and not any(again["changed"].values())  # stable: nothing moves twice
