"""End to end: a new Arabic article posted over HTTP with a key is found through the query API, its
events attributed to it with verbatim quotes."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from service.auth import create_key
from tests.api.test_ingest import ARTICLE


@pytest.fixture
async def auth(conn: asyncpg.Connection) -> dict[str, str]:
    _, token = await create_key(conn, "newsroom", ["write"])
    return {"Authorization": f"Bearer {token}"}


async def test_new_article_events_are_found_with_attributions(client: httpx.AsyncClient, auth) -> None:
    posted = await client.post(
        "/v1/sources",
        headers=auth,
        json={
            "text": ARTICLE,
            "outlet": "وكالة الأنباء الأردنية (بترا)",
            "published": "2025-11-05",
            "external_id": "petra-e2e",
        },
    )
    assert posted.status_code == 201, posted.text
    source_id = posted.json()["source"]["id"]

    listing = await client.get("/v1/events", params={"source": source_id, "limit": 100})
    assert listing.status_code == 200, listing.text
    events = listing.json()["data"]
    assert {e["id"] for e in events} == set(posted.json()["extracted"]["events"])

    meetings = []
    for summary in events:
        event = (await client.get(f"/v1/events/{summary['id']}")).json()
        ours = [a for a in event["attributions"] if a["source_id"] == source_id]
        assert ours, event
        for attribution in ours:
            start, end = attribution["span"]
            assert ARTICLE[start:end] == attribution["quote"]
            assert attribution["outlet"] == "وكالة الأنباء الأردنية (بترا)"
        if event["type"] == "CONSULT":
            meetings.append(event)
    assert meetings, "the meeting in Cairo is a CONSULT event"
    names = {a["actor"].get("name_en") for e in meetings for a in e["actors"]}
    assert "Ayman Safadi" in names, names
    # and it can be found by who took part, in Arabic
    by_actor = (await client.get("/v1/events", params={"actor": "أيمن الصفدي"})).json()["data"]
    assert {e["id"] for e in meetings} & {e["id"] for e in by_actor}
