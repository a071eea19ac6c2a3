"""The rollups (migration 0005) stay equal to counting the events through every kind of write, and
the timeline and facets they answer equal the same requests counted from the events."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from api_articles import ingest_articles, straddling_dataset
from api_helpers import get_json
from httpx import AsyncClient

from service.app import create_app
from service.config import load_settings
from service.db.pool import SingleConnection
from service.db.rollups import Cover, cover, mismatches, window_spans
from service.db.series import shift
from service.db.stats import MAX_TIMELINE_BUCKETS


async def assert_exact(conn: asyncpg.Connection) -> None:
    assert await mismatches(conn) == 0
    assert await conn.fetchval("SELECT count(*) FROM stats_event_facts") == await conn.fetchval(
        "SELECT count(*) FROM events"
    )


async def test_rollups_follow_every_write(conn: asyncpg.Connection) -> None:
    await assert_exact(conn)  # after the seeds
    await ingest_articles(conn, "fidan", "guler", "bogdanov")  # new events, re-merged old ones
    await assert_exact(conn)
    event = await conn.fetchval("SELECT id FROM events ORDER BY source_count DESC, id LIMIT 1")
    await conn.execute(
        "UPDATE events SET date_start = '2024-02-10', date_end = '2024-03-05', status = 'denied', "
        "plover_mode = NULL, has_conflict = NOT has_conflict WHERE id = $1",
        event,
    )
    await assert_exact(conn)
    person = await conn.fetchval(
        "SELECT a.id FROM actors a JOIN event_actors ea ON ea.actor_id = a.id "
        "WHERE a.kind = 'person' ORDER BY a.id LIMIT 1"
    )
    country = await conn.fetchval("SELECT id FROM actors WHERE kind = 'country' ORDER BY id DESC LIMIT 1")
    await conn.execute("UPDATE actors SET country_id = $2 WHERE id = $1", person, country)
    await assert_exact(conn)
    await conn.execute("UPDATE sources SET outlet = 'منفذ آخر' WHERE id = (SELECT min(id) FROM sources)")
    await assert_exact(conn)
    await conn.execute("DELETE FROM actors WHERE id = $1", person)  # cascades to links and relays
    await assert_exact(conn)
    await conn.execute("DELETE FROM event_attributions WHERE via_actor_id IS NOT NULL")
    await conn.execute("DELETE FROM events WHERE id = $1", event)
    await assert_exact(conn)
    await conn.execute("SELECT stats_rebuild()")
    await assert_exact(conn)


def test_window_spans_cover_exactly_the_days() -> None:
    rng = random.Random(5)
    for _ in range(300):
        first = date(2019, 1, 1) + timedelta(days=rng.randrange(2500))
        last = first + timedelta(days=rng.randrange(-3, 1500))
        for coarsest in "dmy":
            days: list[date] = []
            for grain, lo, hi in window_spans(first, last, coarsest):
                bucket = lo
                while bucket <= hi:
                    step = {"d": "day", "m": "month", "y": "year"}[grain]
                    end = _period_end(bucket, step)
                    days += [bucket + timedelta(days=i) for i in range((end - bucket).days + 1)]
                    bucket = end + timedelta(days=1)
            assert days == [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _period_end(start: date, step: str) -> date:
    if step == "day":
        return start
    if step == "month":
        following = (
            start.replace(year=start.year + 1, month=1)
            if start.month == 12
            else start.replace(month=start.month + 1)
        )
        return following - timedelta(days=1)
    return start.replace(month=12, day=31)


def test_cover_takes_one_dimension_value() -> None:
    from service.db.filters import EVENT_FILTERS as F

    d = date(2025, 1, 1)
    assert cover([("from", F["from"], [d]), ("type", F["type"], [["CONSULT"]])]) == Cover(
        date_from=d, types=("CONSULT",)
    )
    assert cover([("actor", F["actor"], [["act_1"]])]) == Cover(dim=("actor", "act_1"))
    assert cover([("actor", F["actor"], [["act_1", "act_2"]])]) is None  # overlapping counts
    assert cover([("actor", F["actor"], [["a"]]), ("outlet", F["outlet"], [["x"]])]) is None
    assert cover([("has_conflict", F["has_conflict"], [True])]) == Cover(dim=("has_conflict", "true"))
    assert cover([("q", F["q"], ["x", "x", "x"])]) is None


def _windows(seed: int, n: int) -> list[list[tuple[str, str]]]:
    rng = random.Random(seed)
    out: list[list[tuple[str, str]]] = [[]]
    for _ in range(n):
        lo = date(2025, 8, 1) + timedelta(days=rng.randrange(150))
        hi = lo + timedelta(days=rng.randrange(-5, 90))
        choice = rng.randrange(4)
        window = [("from", lo.isoformat())] if choice != 1 else []
        if choice != 2:
            window.append(("to", hi.isoformat()))
        out.append(window)
    return out


FILTERS: list[list[tuple[str, str]]] = [
    [],
    [("type", "CONSULT")],
    [("status", "occurred"), ("status", "planned")],
    [("actor", "Syria")],
    [("country", "Russia"), ("type", "CONSULT,AGREE")],
    [("outlet", "عنب بلدي")],
    [("has_conflict", "true")],
    [("mode", "visit")],
]


async def _both(client: AsyncClient, path: str, params: list[tuple[str, Any]]) -> tuple[Any, Any]:
    """The answer, and the same request counted from the events (min_sources=1 matches every event
    and is not covered by the rollups)."""
    rolled = await get_json(client, path, params)
    counted = await get_json(client, path, [*params, ("min_sources", "1")])
    return rolled, counted


@pytest.fixture
async def unlimited(conn: asyncpg.Connection, tmp_path: Path) -> AsyncIterator[AsyncClient]:
    """The test client without the rate limit (this test sends a few thousand requests)."""
    settings = load_settings({"MARSAD_DATA_DIR": str(tmp_path), "MARSAD_RATE_LIMIT_PER_MINUTE": "0"})
    app = create_app(settings, connections=SingleConnection(conn))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://marsad.test") as c:
        yield c


async def test_rollup_answers_equal_counting_the_events(
    unlimited: AsyncClient, conn: asyncpg.Connection
) -> None:
    client = unlimited
    await straddling_dataset(conn)
    for window in _windows(3, 14):
        for flt in FILTERS:
            params = [*window, *flt]
            for limit in (100, 2):  # every value; the top two (stats_top prunes the rest)
                rolled, counted = await _both(client, "/v1/stats/facets", [*params, ("facet_limit", limit)])
                assert rolled == counted, (params, limit)
            for interval, group_by in (("day", "type"), ("week", "none"), ("month", "status")):
                rolled, counted = await _both(
                    client, "/v1/stats/timeline", [*params, ("interval", interval), ("group_by", group_by)]
                )
                assert rolled == counted, (params, interval, group_by)
        for group_by in ("actor", "country", "outlet", "location", "mode"):
            # day: no date_trunc (and, without `from` or a type, no grouping: one rollup row a day)
            for interval, limit in (
                ("month", "20"),
                ("month", "2"),
                ("day", "20"),
                ("week", "3"),
                ("year", "20"),
            ):
                rolled, counted = await _both(
                    client,
                    "/v1/stats/timeline",
                    [*window, ("interval", interval), ("group_by", group_by), ("group_limit", limit)],
                )
                assert rolled == counted, (window, group_by, interval, limit)
            for flt in ([("type", "CONSULT")], [("status", "occurred"), ("status", "planned")]):
                rolled, counted = await _both(  # a type or status filter reads the rows per type
                    client, "/v1/stats/timeline", [*window, *flt, ("interval", "day"), ("group_by", group_by)]
                )
                assert rolled == counted, (window, flt, group_by)


@pytest.mark.parametrize("group_by", ["actor", "type"])
async def test_timeline_keeps_the_top_groups(client: AsyncClient, group_by: str) -> None:
    full = await get_json(client, "/v1/stats/timeline", {"group_by": group_by, "group_limit": 1000})
    totals: dict[str, int] = {}
    for b in full["buckets"]:
        totals[b["key"]] = totals.get(b["key"], 0) + b["count"]
    assert len(totals) > 2 and not full["truncated"]
    top = await get_json(client, "/v1/stats/timeline", {"group_by": group_by, "group_limit": 2})
    keep = sorted(totals, key=lambda k: (-totals[k], k))[:2]
    assert top["truncated"]
    assert {b["key"] for b in top["buckets"]} == set(keep)
    assert [b for b in full["buckets"] if b["key"] in keep] == top["buckets"]


async def test_timeline_size_is_capped(client: AsyncClient, monkeypatch: Any) -> None:
    import service.db.stats as stats

    monkeypatch.setattr(stats, "MAX_TIMELINE_BUCKETS", 3)
    for extra in ([], [("min_sources", "1")]):  # from the rollups and from the events
        response = await client.get("/v1/stats/timeline", params=[("interval", "day"), *extra])
        assert response.status_code == 400, extra
        assert response.json()["parameter"] == "interval"


def _points(answer: dict[str, Any]) -> dict[tuple[str, Any], int]:
    """(period, key) -> count of any timeline shape: buckets, dense or sparse series."""
    if "buckets" in answer:
        return {(b["period"], b["key"]): b["count"] for b in answer["buckets"]}
    step = answer["interval"]
    start = date.fromisoformat(answer["start"])
    out: dict[tuple[str, Any], int] = {}
    for s in answer["series"]:
        assert s["total"] == sum(s["counts"])
        if answer["shape"] == "dense":
            assert len(s["counts"]) == answer["periods"]
            places = list(range(answer["periods"]))
        else:
            assert s["offsets"] == sorted(set(s["offsets"])) and len(s["offsets"]) == len(s["counts"])
            assert all(0 <= o < answer["periods"] for o in s["offsets"])
            places = s["offsets"]
        for place, count in zip(places, s["counts"], strict=True):
            if count:
                out[(shift(step, start, place).isoformat(), s["key"])] = count
    return out


SERIES_CASES: list[list[tuple[str, str]]] = [
    [("interval", "day"), ("group_by", "actor")],
    [("interval", "week"), ("group_by", "type")],
    [("interval", "month"), ("group_by", "none")],
    [("interval", "year"), ("group_by", "country"), ("group_limit", "2")],
    [("interval", "month"), ("group_by", "outlet"), ("type", "CONSULT")],
    [("interval", "day"), ("group_by", "status"), ("actor", "Syria")],
]


async def test_series_shapes_hold_the_buckets_counts(
    unlimited: AsyncClient, conn: asyncpg.Connection
) -> None:
    """dense and sparse series answer the same counts as the buckets, from the rollups and from the
    events, over windows that start inside events running over weeks."""
    client = unlimited
    await ingest_articles(conn, "fidan", "guler", "bogdanov")
    await conn.execute(
        "UPDATE events SET date_end = date_start + (7 + length(id) % 40) WHERE date_start IS NOT NULL "
        "AND id IN (SELECT id FROM events WHERE date_start IS NOT NULL ORDER BY id LIMIT 6)"
    )
    for window in _windows(11, 6):
        for case in SERIES_CASES:
            params = [*window, *case]
            buckets = await get_json(client, "/v1/stats/timeline", params)
            sparse: dict[str, Any] = {}
            for shape in ("sparse", "dense"):
                if shape == "dense" and sparse["periods"] * len(sparse["series"]) > MAX_TIMELINE_BUCKETS:
                    for extra in ([], [("min_sources", "1")]):  # too many counts with the zeros: refused
                        response = await client.get(
                            "/v1/stats/timeline", params=[*params, ("shape", shape), *extra]
                        )
                        assert response.status_code == 400, (params, extra)
                    continue
                rolled, counted = await _both(client, "/v1/stats/timeline", [*params, ("shape", shape)])
                if shape == "sparse":
                    sparse = rolled
                assert rolled == counted, (params, shape)
                assert rolled["shape"] == shape and rolled["truncated"] == buckets["truncated"]
                assert (rolled["total"], rolled["undated"]) == (buckets["total"], buckets["undated"])
                assert _points(rolled) == _points(buckets), (params, shape)
                totals = [s["total"] for s in rolled["series"]]
                assert totals == sorted(totals, reverse=True)


async def test_series_answer_shape(client: AsyncClient) -> None:
    body = await get_json(
        client, "/v1/stats/timeline", [("interval", "year"), ("group_by", "type"), ("shape", "dense")]
    )
    assert set(body) == {
        "interval", "group_by", "shape", "total", "undated", "truncated", "start", "periods", "series",
    }  # fmt: skip
    assert body["series"] and all(set(s) == {"key", "label", "total", "counts"} for s in body["series"])
    sparse = await get_json(
        client, "/v1/stats/timeline", [("interval", "year"), ("group_by", "type"), ("shape", "sparse")]
    )
    assert all(set(s) == {"key", "label", "total", "counts", "offsets"} for s in sparse["series"])
    default = await get_json(client, "/v1/stats/timeline", [("interval", "year")])
    assert "buckets" in default and "series" not in default  # the default shape is unchanged


async def test_series_problems(client: AsyncClient, monkeypatch: Any) -> None:
    import service.db.stats as stats

    response = await client.get("/v1/stats/timeline", params={"shape": "columns"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["parameter"] == "shape"
    # dense counts every period (zeros too): daily over the seeds' years is over a small cap where
    # the sparse series of the same timeline is not
    sparse = await get_json(client, "/v1/stats/timeline", [("interval", "day"), ("shape", "sparse")])
    points = sum(len(s["counts"]) for s in sparse["series"])
    monkeypatch.setattr(stats, "MAX_TIMELINE_BUCKETS", points)
    assert (
        await client.get("/v1/stats/timeline", params=[("interval", "day"), ("shape", "sparse")])
    ).status_code == 200
    for extra in ([], [("min_sources", "1")]):  # from the rollups and from the events
        response = await client.get(
            "/v1/stats/timeline", params=[("interval", "day"), ("shape", "dense"), *extra]
        )
        assert response.status_code == 400, extra
        problem = response.json()
        assert problem["parameter"] == "interval" and "coarser" in problem["detail"]
    monkeypatch.setattr(stats, "MAX_TIMELINE_BUCKETS", points - 1)
    for extra in ([], [("min_sources", "1")]):
        response = await client.get(
            "/v1/stats/timeline", params=[("interval", "day"), ("shape", "sparse"), *extra]
        )
        assert response.status_code == 400, extra


async def _random_write(conn: asyncpg.Connection, rng: random.Random) -> str:
    """One random write of a kind the rollups must follow; returns what it did (for the message)."""
    ids = [r["id"] for r in await conn.fetch("SELECT id FROM events ORDER BY id")]
    event = rng.choice(ids)
    kind = rng.choice(
        ["dates", "dates", "type_status", "delete_event", "unlink_actor", "unlink_source", "ingest"]
    )
    if kind == "dates":
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(800))
        end = rng.choice(
            [
                start,
                start + timedelta(days=rng.randrange(1, 60)),
                _period_end(start.replace(day=1), "month"),  # a whole month (grain M)
                start.replace(month=12, day=31),  # to the year's end
                None,
            ]
        )
        if end == start.replace(month=12, day=31) and rng.random() < 0.5:
            start = start.replace(month=1, day=1)  # a whole year (grain Y)
        if end is not None and start > end:
            start, end = end, start
        undated = rng.random() < 0.1
        await conn.execute(
            "UPDATE events SET date_start = $2, date_end = $3 WHERE id = $1",
            event,
            None if undated else start,
            None if undated else end,
        )
    elif kind == "type_status":
        other = await conn.fetchrow("SELECT plover_type, status FROM events WHERE id = $1", rng.choice(ids))
        await conn.execute(
            "UPDATE events SET plover_type = $2, status = $3 WHERE id = $1",
            event,
            other["plover_type"],
            rng.choice(["occurred", "planned", "denied", other["status"]]),
        )
    elif kind == "delete_event":
        await conn.execute("DELETE FROM events WHERE id = $1", event)
    elif kind == "unlink_actor":
        await conn.execute(
            "DELETE FROM event_actors WHERE ctid = (SELECT ctid FROM event_actors WHERE event_id = $1 LIMIT 1)",
            event,
        )
    elif kind == "unlink_source":
        await conn.execute(
            "DELETE FROM event_attributions WHERE ctid = "
            "(SELECT ctid FROM event_attributions WHERE event_id = $1 LIMIT 1)",
            event,
        )
    else:
        await ingest_articles(conn, *rng.sample(["fidan", "guler", "bogdanov"], rng.randrange(1, 4)))
    return f"{kind} {event}"


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_rollups_equal_counts_after_random_writes(
    unlimited: AsyncClient, conn: asyncpg.Connection, seed: int
) -> None:
    """Property: after any sequence of random ingests, date/type/status changes and deletes, every
    rollup row equals counting the events, and every shape of a timeline answered from the rollups
    equals the same timeline counted from the events."""
    rng = random.Random(seed)
    done = []
    for _ in range(12):
        done.append(await _random_write(conn, rng))
        assert await mismatches(conn) == 0, done
    for params in (
        [("interval", "month"), ("group_by", "type")],
        [("interval", "day"), ("group_by", "actor")],
        [("interval", "week"), ("group_by", "none"), ("from", "2024-06-10"), ("to", "2025-03-01")],
        [("interval", "month"), ("group_by", "country"), ("from", "2024-03-15")],
    ):
        for shape in ("buckets", "sparse"):
            rolled, counted = await _both(unlimited, "/v1/stats/timeline", [*params, ("shape", shape)])
            assert rolled == counted, (done, params, shape)
