"""Dashboards (timeline, facets) and integrators (incremental sync with updated_since + /v1/deleted)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from typing import Any

import asyncpg
import pytest
from api_articles import ingest_articles
from api_helpers import assert_problem, fetch_all, get_json
from httpx import AsyncClient


def month(day: str) -> str:
    return day[:7] + "-01"


def week(day: str) -> str:
    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


async def test_monthly_syria_russia_consult_timeline_in_one_call(client: AsyncClient) -> None:
    params = [
        ("type", "CONSULT"),
        ("actor", "Syria"),
        ("actor", "Russia"),
        ("actor_match", "all"),
        ("interval", "month"),
    ]
    timeline = await get_json(client, "/v1/stats/timeline", params)
    events = await fetch_all(client, "/v1/events", params[:4])
    assert events
    dated = Counter(month(e["date"]["start"]) for e in events if e["date"]["start"])
    assert {b["period"]: b["count"] for b in timeline["buckets"]} == dict(dated)
    assert timeline["total"] == len(events) and timeline["undated"] == len(events) - sum(dated.values())
    assert all(b["key"] is None for b in timeline["buckets"])


@pytest.mark.parametrize("interval", ["day", "week", "month", "year"])
async def test_timeline_grouped_by_type(client: AsyncClient, interval: str) -> None:
    events = [e for e in await fetch_all(client, "/v1/events") if e["date"]["start"]]
    bucket = {"day": lambda d: d, "week": week, "month": month, "year": lambda d: d[:4] + "-01-01"}[interval]
    expected = Counter((bucket(e["date"]["start"]), e["type"]) for e in events)
    timeline = await get_json(client, "/v1/stats/timeline", {"interval": interval, "group_by": "type"})
    assert {(b["period"], b["key"]): b["count"] for b in timeline["buckets"]} == dict(expected)


@pytest.mark.parametrize("group_by", ["actor", "country", "outlet", "status", "location"])
async def test_timeline_groupings_count_distinct_events(
    client: AsyncClient, conn: asyncpg.Connection, group_by: str
) -> None:
    await ingest_articles(conn, "fidan", "guler")  # dated events reported by named outlets
    events = [e for e in await fetch_all(client, "/v1/events") if e["date"]["start"]]
    timeline = await get_json(client, "/v1/stats/timeline", {"group_by": group_by, "interval": "year"})
    assert timeline["buckets"]
    for b in timeline["buckets"]:
        assert 1 <= b["count"] <= len(events)
    if group_by == "status":
        expected = Counter((e["date"]["start"][:4] + "-01-01", e["status"]) for e in events)
        assert {(b["period"], b["key"]): b["count"] for b in timeline["buckets"]} == dict(expected)
    if group_by == "actor":
        expected = Counter(
            (e["date"]["start"][:4] + "-01-01", a)
            for e in events
            for a in {x["actor"]["id"] for x in e["actors"]}
        )
        assert {(b["period"], b["key"]): b["count"] for b in timeline["buckets"]} == dict(expected)
    if group_by == "outlet":  # sources without an outlet make no group
        expected = Counter(
            (e["date"]["start"][:4] + "-01-01", o)
            for e in events
            for o in {a["outlet"] for a in e["attributions"] if a["outlet"]}
        )
        assert {(b["period"], b["key"]): b["count"] for b in timeline["buckets"]} == dict(expected)


async def test_facets_for_the_current_filter(client: AsyncClient) -> None:
    events = await fetch_all(client, "/v1/events", {"status": "occurred"})
    facets = await get_json(client, "/v1/stats/facets", {"status": "occurred", "facet_limit": 100})
    assert facets["total"] == len(events)
    assert {f["value"]: f["count"] for f in facets["facets"]["type"]} == dict(
        Counter(e["type"] for e in events)
    )
    assert {f["value"] for f in facets["facets"]["status"]} == {"occurred"}
    actors = Counter(a for e in events for a in {x["actor"]["id"] for x in e["actors"]})
    assert {f["value"]: f["count"] for f in facets["facets"]["actor"]} == dict(actors)
    top = await get_json(
        client, "/v1/stats/facets", [("facet", "type"), ("facet", "outlet"), ("facet_limit", 1)]
    )
    assert set(top["facets"]) == {"type", "outlet"} and len(top["facets"]["type"]) == 1
    assert top["facets"]["type"][0]["count"] == max(
        Counter(e["type"] for e in await fetch_all(client, "/v1/events")).values()
    )


@pytest.mark.parametrize(
    "params",
    [
        [("facet", "status")],
        [("facet", "status"), ("facet", "status"), ("cameo", "04")],
        [("facet", "type,has_conflict"), ("q", "زيارة")],
        [("facet", "actor")],
    ],
)
async def test_any_choice_of_facets_is_answered(client: AsyncClient, params: list[tuple[str, str]]) -> None:
    """Facets counted exactly and facets counted on a sample, alone or together, with any filter
    (only exact facets once left a bound parameter unused: a 500 found by the OpenAPI fuzzer)."""
    body = await get_json(client, "/v1/stats/facets", params)
    names = {n for key, value in params if key == "facet" for n in value.split(",")}
    assert set(body["facets"]) == names and body["total"] >= 0


async def test_link_facets_of_a_large_set_are_estimated_from_a_sample(
    client: AsyncClient, monkeypatch: Any
) -> None:
    """A filter the rollups do not cover (min_sources) counts the events themselves."""
    import service.db.stats as stats

    params = {"facet_limit": 100, "min_sources": 1}  # every event, counted from the events
    exact = await get_json(client, "/v1/stats/facets", params)
    assert exact["estimated"] == [] and exact["sample_fraction"] == 1.0
    assert exact == await get_json(client, "/v1/stats/facets", {"facet_limit": 100})  # = the rollups'
    monkeypatch.setattr(stats, "FACET_SAMPLE", 1)  # every dataset is "large" now
    sampled = await get_json(client, "/v1/stats/facets", params)
    assert sampled["total"] == exact["total"] and 0 < sampled["sample_fraction"] < 1
    assert set(sampled["estimated"]) == {"actor", "country", "outlet", "via"}
    for name in ("type", "status", "location", "cameo"):  # one row per event: always exact
        assert sampled["facets"][name] == exact["facets"][name]
    exact_actors = {f["value"]: f["count"] for f in exact["facets"]["actor"]}
    for f in sampled["facets"]["actor"]:  # sampled values exist; counts are scaled up by 1/fraction
        assert f["value"] in exact_actors and f["count"] >= 1
    again = await get_json(client, "/v1/stats/facets", params)
    assert again == sampled  # the sample is deterministic


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/v1/stats/timeline", {"interval": "fortnight"}, "interval"),
        ("/v1/stats/timeline", {"group_by": "colour"}, "group_by"),
        ("/v1/stats/facets", {"facet": "colour"}, "facet"),
        ("/v1/stats/facets", {"facet_limit": "0"}, "facet_limit"),
        ("/v1/stats/facets", {"limit": "5"}, "limit"),
    ],
)
async def test_stats_parameters_are_checked(
    client: AsyncClient, path: str, params: dict[str, str], parameter: str
) -> None:
    assert_problem(await client.get(path, params=params), 400, parameter)


async def export(client: AsyncClient, path: str) -> dict[str, Any]:
    response = await client.get(path, params={"format": "ndjson"})
    assert response.status_code == 200
    return {row["id"]: row for row in map(json.loads, response.text.splitlines())}


@pytest.mark.parametrize("path", ["/v1/events", "/v1/actors", "/v1/claims", "/v1/conflicts", "/v1/sources"])
async def test_incremental_sync_equals_a_full_export(
    client: AsyncClient, conn: asyncpg.Connection, path: str
) -> None:
    replica = await export(client, path)
    since = (await conn.fetchval("SELECT now()")).isoformat()  # this transaction's writes are stamped now()
    await ingest_articles(conn, "fidan", "guler", "bogdanov")
    changed = await fetch_all(client, path, {"updated_since": since})
    if path in ("/v1/events", "/v1/actors", "/v1/sources"):
        assert changed, "three new articles change the dataset"
    deleted = await fetch_all(client, "/v1/deleted", {"since": since})
    for entry in deleted:
        replica.pop(entry["id"], None)
    for row in changed:
        replica[row["id"]] = row
    assert replica == await export(client, path)


async def test_deleted_feed_records_merges(client: AsyncClient, conn: asyncpg.Connection) -> None:
    since = (await conn.fetchval("SELECT now()")).isoformat()
    before = {r["id"] for r in await conn.fetch("SELECT id FROM events UNION SELECT id FROM actors")}
    await ingest_articles(conn, "fidan", "guler", "bogdanov")
    after = {r["id"] for r in await conn.fetch("SELECT id FROM events UNION SELECT id FROM actors")}
    feed = await fetch_all(client, "/v1/deleted", {"since": since}, limit=1)
    assert {d["id"] for d in feed} == before - after
    for entry in feed:
        assert entry["kind"] in {"event", "actor", "claim", "conflict", "source"}
        assert entry["merged_into"] is None or entry["merged_into"] in after
    kinds = {d["kind"] for d in feed}
    for kind in kinds:
        assert {d["id"] for d in await fetch_all(client, "/v1/deleted", {"since": since, "kind": kind})} == {
            d["id"] for d in feed if d["kind"] == kind
        }
