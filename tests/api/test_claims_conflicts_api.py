"""Claims (speaker, relay, channel, stance, quote, contradictions) and conflicts."""

from __future__ import annotations

from typing import Any

import asyncpg
from api_articles import ingest_articles
from api_helpers import assert_problem, fetch_all, get_json, ids
from httpx import AsyncClient


async def check(
    client: AsyncClient, params: Any, expected: list[dict[str, Any]], claims: list[dict[str, Any]]
) -> None:
    assert await ids(client, "/v1/claims", params) == [c["id"] for c in claims if c in expected], params


async def test_every_denial_with_speaker_and_quote(client: AsyncClient, conn: asyncpg.Connection) -> None:
    texts = {r["id"]: r["text"] for r in await conn.fetch("SELECT id, text FROM sources")}
    claims = await fetch_all(client, "/v1/claims")
    denials = await fetch_all(client, "/v1/claims", {"stance": "denies"})
    assert denials and [c["id"] for c in denials] == [c["id"] for c in claims if c["stance"] == "denies"]
    for claim in denials:
        at = claim["attribution"]
        assert texts[at["source_id"]][at["span"][0] : at["span"][1]] == at["quote"]
    assert any(c["speaker"] for c in denials)


async def test_claim_filters_against_the_full_list(client: AsyncClient, conn: asyncpg.Connection) -> None:
    await ingest_articles(conn, "fidan")
    claims = await fetch_all(client, "/v1/claims")
    spoken = [c for c in claims if c["speaker"]]
    assert spoken
    speaker = spoken[0]["speaker"]
    await check(
        client,
        {"speaker": speaker["id"]},
        [c for c in claims if (c["speaker"] or {}).get("id") == speaker["id"]],
        claims,
    )
    await check(
        client,
        {"speaker": speaker["name_ar"]},
        [c for c in claims if (c["speaker"] or {}).get("id") == speaker["id"]],
        claims,
    )
    channel = claims[0]["channel"]
    await check(client, {"channel": channel}, [c for c in claims if c["channel"] == channel], claims)
    source = claims[0]["attribution"]["source_id"]
    await check(
        client, {"source": source}, [c for c in claims if c["attribution"]["source_id"] == source], claims
    )
    await check(
        client,
        {"outlet": "عنب بلدي"},
        [c for c in claims if c["attribution"]["outlet"] == "عنب بلدي"],
        claims,
    )
    assert any(c["attribution"]["outlet"] == "عنب بلدي" for c in claims)
    about = next(c["about"][0] for c in claims if c["about"])
    await check(
        client,
        {"actor": about["id"]},
        [
            c
            for c in claims
            if (c["speaker"] or {}).get("id") == about["id"] or about["id"] in {a["id"] for a in c["about"]}
        ],
        claims,
    )
    relayed = [c for c in claims if c["via"]]
    if relayed:
        via = relayed[0]["via"]
        await check(
            client, {"via": via["id"]}, [c for c in claims if (c["via"] or {}).get("id") == via["id"]], claims
        )
    with_event = [c for c in claims if c["event_id"]]
    assert with_event
    event = with_event[0]["event_id"]
    await check(client, {"event": event}, [c for c in claims if c["event_id"] == event], claims)
    dated = [c for c in claims if c["said_on"]]
    assert dated
    day = dated[0]["said_on"]
    await check(client, {"from": day, "to": day}, [c for c in claims if c["said_on"] == day], claims)
    await check(client, {"has_contradiction": "true"}, [c for c in claims if c["contradicts"]], claims)


async def test_claim_full_text(client: AsyncClient) -> None:
    claims = await fetch_all(client, "/v1/claims")
    with_word = [c for c in claims if "السلاح" in c["attribution"]["quote"]]
    assert with_word
    got = set(await ids(client, "/v1/claims", {"q": "السِّلاح"}))
    assert {c["id"] for c in with_word} <= got


async def test_claim_detail_and_contradictions_are_symmetric(client: AsyncClient) -> None:
    claims = {c["id"]: c for c in await fetch_all(client, "/v1/claims")}
    for claim in claims.values():
        assert await get_json(client, f"/v1/claims/{claim['id']}") == claim
        for other in claim["contradicts"]:
            assert claim["id"] in claims[other]["contradicts"]
    assert_problem(await client.get("/v1/claims/clm_nope"), 404)


async def test_conflicts_values_are_attributed(client: AsyncClient, conn: asyncpg.Connection) -> None:
    texts = {r["id"]: r["text"] for r in await conn.fetch("SELECT id, text FROM sources")}
    conflicts = await fetch_all(client, "/v1/conflicts")
    assert conflicts, "the seeds disagree (al-Naasan's rank, the S-400 deal)"
    for conflict in conflicts:
        assert len(conflict["values"]) >= 2
        for value in conflict["values"]:
            for at in value["attributions"]:
                assert texts[at["source_id"]][at["span"][0] : at["span"][1]] == at["quote"]
        assert await get_json(client, f"/v1/conflicts/{conflict['id']}") == conflict
    field = conflicts[0]["field"]
    assert await ids(client, "/v1/conflicts", {"field": field}) == [
        c["id"] for c in conflicts if c["field"] == field
    ]
    by_actor = [c for c in conflicts if c["subject"]["kind"] == "actor"]
    assert by_actor
    subject = by_actor[0]["subject"]
    assert await ids(client, "/v1/conflicts", {"actor": subject["name_en"]}) == [
        c["id"] for c in by_actor if c["subject"]["id"] == subject["id"]
    ]
    by_event = [c for c in conflicts if c["subject"]["kind"] == "event"]
    if by_event:
        event = by_event[0]["subject"]["id"]
        assert await ids(client, "/v1/conflicts", {"event": event}) == [
            c["id"] for c in by_event if c["subject"]["id"] == event
        ]
        detail = await get_json(client, f"/v1/events/{event}")
        assert {c["id"] for c in detail["conflicts"]} == {
            c["id"] for c in by_event if c["subject"]["id"] == event
        }
    source = conflicts[0]["values"][0]["attributions"][0]["source_id"]
    assert await ids(client, "/v1/conflicts", {"source": source}) == [
        c["id"]
        for c in conflicts
        if any(a["source_id"] == source for v in c["values"] for a in v["attributions"])
    ]
    assert_problem(await client.get("/v1/conflicts/cfl_nope"), 404)
