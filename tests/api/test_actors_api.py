"""Actors: search by any alias (Arabic or English, normalised), detail with attributed aliases and
roles, an actor's events and its network."""

from __future__ import annotations

from collections import Counter

import asyncpg
import pytest
from api_helpers import assert_problem, fetch_all, get_json, ids
from httpx import AsyncClient


@pytest.mark.parametrize(
    "query", ["النعسان", "Naasan", "al-naasan", "علي النصّان", "عَلِي النعسان", "NAASAN ali"]
)
async def test_search_finds_ali_al_naasan_by_any_form(client: AsyncClient, query: str) -> None:
    found = (await get_json(client, "/v1/actors", {"q": query}))["data"]
    assert [a["name"]["en"] for a in found] == ["Ali al-Naasan"]


async def test_search_is_by_whole_words_and_filters_combine(client: AsyncClient) -> None:
    assert (await get_json(client, "/v1/actors", {"q": "Naas"}))["data"] == []
    countries = await fetch_all(client, "/v1/actors", {"kind": "country"})
    assert countries and all(a["kind"] == "country" for a in countries)
    syrians = await fetch_all(client, "/v1/actors", {"country": "Syria"})
    assert syrians and all(a["country"]["name_en"] == "Syria" for a in syrians)
    people = await fetch_all(client, "/v1/actors", [("country", "سوريا"), ("kind", "person")])
    assert people and {a["id"] for a in people} == {a["id"] for a in syrians if a["kind"] == "person"}


async def test_detail_aliases_and_roles_carry_attributions(
    client: AsyncClient, conn: asyncpg.Connection
) -> None:
    naasan = (await get_json(client, "/v1/actors", {"q": "Naasan"}))["data"][0]
    detail = await get_json(client, f"/v1/actors/{naasan['id']}")
    texts = {r["id"]: r["text"] for r in await conn.fetch("SELECT id, text FROM sources")}
    assert {a["text"] for a in detail["aliases"]} >= {"علي النعسان", "علي النصّان"}
    attributed = [a for a in detail["aliases"] if a["attributions"]]
    assert attributed
    for alias in attributed:
        for at in alias["attributions"]:
            assert texts[at["source_id"]][at["span"][0] : at["span"][1]] == at["quote"]
    assert detail["roles"], "the seeds give al-Naasan a title and a rank"
    ranks = {r["rank"] for r in detail["roles"]}
    assert ranks & {"اللواء", "الفريق أول"}
    for role in detail["roles"]:
        at = role["attribution"]
        assert texts[at["source_id"]][at["span"][0] : at["span"][1]] == at["quote"]
    mentions = await conn.fetchval("SELECT count(*) FROM actor_mentions WHERE actor_id = $1", naasan["id"])
    assert detail["mention_count"] == mentions


async def test_unknown_actor_is_404_on_every_actor_route(client: AsyncClient) -> None:
    for suffix in ("", "/events", "/network"):
        assert_problem(await client.get(f"/v1/actors/act_nope{suffix}"), 404)


async def test_actor_events_match_the_event_count(client: AsyncClient) -> None:
    events = await fetch_all(client, "/v1/events")
    counts = Counter(a["actor"]["id"] for e in events for a in e["actors"])
    actor_id = counts.most_common(1)[0][0]
    actor = await get_json(client, f"/v1/actors/{actor_id}")
    theirs = await ids(client, f"/v1/actors/{actor_id}/events")
    expected = [
        e["id"]
        for e in events
        if actor_id in {a["actor"]["id"] for a in e["actors"]} or (e["location"] or {}).get("id") == actor_id
    ]
    assert theirs == expected and actor["event_count"] == len(expected)
    consult = await ids(client, f"/v1/actors/{actor_id}/events", {"type": "CONSULT"})
    assert consult == [i for i in expected if next(e for e in events if e["id"] == i)["type"] == "CONSULT"]


async def test_network_counts_shared_events(client: AsyncClient) -> None:
    events = await fetch_all(client, "/v1/events")
    counts = Counter(a["actor"]["id"] for e in events for a in e["actors"])
    actor_id = counts.most_common(1)[0][0]
    network = await get_json(client, f"/v1/actors/{actor_id}/network")
    mine = [e for e in events if actor_id in {a["actor"]["id"] for a in e["actors"]}]
    assert network["actor"]["id"] == actor_id and network["event_count"] == len(mine)
    expected: dict[str, set[str]] = {}
    for e in mine:
        for a in e["actors"]:
            if a["actor"]["id"] != actor_id:
                expected.setdefault(a["actor"]["id"], set()).add(e["id"])
    got = {c["actor"]["id"]: c for c in network["co_actors"]}
    assert set(got) == set(expected) and got
    for other, event_ids in expected.items():
        assert got[other]["count"] == len(event_ids) and set(got[other]["event_ids"]) == event_ids
    counts_desc = [c["count"] for c in network["co_actors"]]
    assert counts_desc == sorted(counts_desc, reverse=True)
    limited = await get_json(client, f"/v1/actors/{actor_id}/network", {"limit": 1})
    assert len(limited["co_actors"]) == 1
    none = await get_json(client, f"/v1/actors/{actor_id}/network", {"type": "PROTEST"})
    assert none["co_actors"] == [] and none["event_count"] == 0
