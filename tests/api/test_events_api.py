"""GET /v1/events and /v1/events/{id} over the seed data (and extra articles), every filter checked
against an oracle computed from the unfiltered list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

import asyncpg
import pytest
from api_articles import ingest_articles
from api_helpers import assert_problem, fetch_all, get_json, ids
from httpx import AsyncClient

Event = dict[str, Any]


def overlaps(e: Event, start: date | None, end: date | None) -> bool:
    s, t = e["date"]["start"], e["date"]["end"] or e["date"]["start"]
    if s is None:
        return False
    return (start is None or date.fromisoformat(t) >= start) and (end is None or date.fromisoformat(s) <= end)


def actor_ids(e: Event) -> set[str]:
    return {a["actor"]["id"] for a in e["actors"]}


def most_common(values: list[Any]) -> Any:
    assert values, "the seed data should exercise this field"
    return Counter(values).most_common(1)[0][0]


@pytest.fixture
async def events(client: AsyncClient) -> list[Event]:
    found = await fetch_all(client, "/v1/events")
    assert len(found) >= 5, "the pipeline should find events in the seeds"
    return found


async def test_list_matches_the_events_table(
    client: AsyncClient, conn: asyncpg.Connection, events: list[Event]
) -> None:
    stored = {r["id"] for r in await conn.fetch("SELECT id FROM events")}
    assert [e["id"] for e in events] and {e["id"] for e in events} == stored
    assert len(events) == len(stored)


async def test_detail_has_every_attribution_with_source_outlet_date_and_span(
    client: AsyncClient, conn: asyncpg.Connection, events: list[Event]
) -> None:
    texts = {r["id"]: r for r in await conn.fetch("SELECT id, text, outlet, published_on FROM sources")}
    for listed in events:
        detail = await get_json(client, f"/v1/events/{listed['id']}")
        assert detail == listed
        expected = await conn.fetchval(
            "SELECT count(*) FROM event_attributions WHERE event_id = $1", listed["id"]
        )
        assert len(detail["attributions"]) == expected >= 1
        assert detail["source_count"] >= 1
        for at in detail["attributions"]:
            source = texts[at["source_id"]]
            start, end = at["span"]
            assert source["text"][start:end] == at["quote"]
            assert at["outlet"] == source["outlet"]
            assert at["published_on"] == (
                source["published_on"].isoformat() if source["published_on"] else None
            )
        assert set(detail["date"]) >= {"start", "end", "precision", "basis"}
        assert set(detail["summary"]) == {"en", "ar"} and 0.0 <= detail["confidence"] <= 1.0


async def test_unknown_event_is_404(client: AsyncClient) -> None:
    assert_problem(await client.get("/v1/events/evt_nope"), 404)


async def test_default_order_is_newest_first_with_id_tie_break(events: list[Event]) -> None:
    keys = [(e["date"]["start"] or "-infinity", e["id"]) for e in events]
    assert keys == sorted(keys, reverse=True)


@pytest.mark.parametrize("sort", ["date", "id", "updated"])
async def test_other_sorts(client: AsyncClient, events: list[Event], sort: str) -> None:
    got = await fetch_all(client, "/v1/events", {"sort": sort}, limit=4)
    key: Callable[[Event], Any] = {
        "date": lambda e: (e["date"]["start"] or "-infinity", e["id"]),
        "id": lambda e: e["id"],
        "updated": lambda e: (e["updated_at"], e["id"]),
    }[sort]
    assert [e["id"] for e in got] == [e["id"] for e in sorted(events, key=key)]


# --------------------------------------------------------------------------- filters vs oracle


async def check(client: AsyncClient, params: Any, expected: list[Event], events: list[Event]) -> None:
    """The filtered list is exactly the oracle's selection, in the default order."""
    want = [e["id"] for e in events if e in expected]
    assert await ids(client, "/v1/events", params) == want, params


async def test_date_range_overlap(client: AsyncClient, events: list[Event]) -> None:
    dated = [e for e in events if e["date"]["start"]]
    assert dated
    month = most_common([e["date"]["start"][:7] for e in dated])
    start = date.fromisoformat(month + "-01")
    end = date.fromisoformat(max(e["date"]["start"] for e in dated if e["date"]["start"].startswith(month)))
    expected = [e for e in events if overlaps(e, start, end)]
    assert expected
    await check(client, {"from": start.isoformat(), "to": end.isoformat()}, expected, events)
    await check(client, {"from": month}, [e for e in events if overlaps(e, start, None)], events)
    year = int(month[:4])
    await check(
        client,
        {"to": str(year - 1)},
        [e for e in events if overlaps(e, None, date(year - 1, 12, 31))],
        events,
    )


async def test_type_mode_status_cameo(client: AsyncClient, events: list[Event]) -> None:
    kind = most_common([e["type"] for e in events])
    await check(client, {"type": kind.lower()}, [e for e in events if e["type"] == kind], events)
    others = sorted({e["type"] for e in events} - {kind})
    if others:
        await check(
            client,
            {"type": f"{kind},{others[0]}"},
            [e for e in events if e["type"] in (kind, others[0])],
            events,
        )
    if not any(e["type"] == "PROTEST" for e in events):
        await check(client, {"type": "PROTEST"}, [], events)  # a known type without events: empty
    unknown = await client.get("/v1/events", params={"type": "PROTEST_NOT_A_TYPE"})
    assert unknown.status_code == 400 and "PROTEST" in unknown.json()["allowed"]
    mode = most_common([e["mode"] for e in events if e["mode"]])
    await check(client, {"mode": mode}, [e for e in events if e["mode"] == mode], events)
    status = most_common([e["status"] for e in events])
    await check(client, {"status": status}, [e for e in events if e["status"] == status], events)
    await check(
        client,
        [("status", "occurred"), ("status", "denied")],
        [e for e in events if e["status"] in ("occurred", "denied")],
        events,
    )
    cameo = most_common([e["cameo"][:2] for e in events if e["cameo"]])
    await check(client, {"cameo": cameo}, [e for e in events if (e["cameo"] or "").startswith(cameo)], events)
    full = most_common([e["cameo"] for e in events if e["cameo"]])
    await check(client, {"cameo": full}, [e for e in events if e["cameo"] == full], events)


async def test_actor_by_id_arabic_and_english_name(client: AsyncClient, events: list[Event]) -> None:
    counts = Counter(a for e in events for a in actor_ids(e))
    actor_id = counts.most_common(1)[0][0]
    actor = await get_json(client, f"/v1/actors/{actor_id}")
    expected = [e for e in events if actor_id in actor_ids(e)]
    await check(client, {"actor": actor_id}, expected, events)
    await check(client, {"actor": actor["name"]["ar"]}, expected, events)
    assert actor["name"]["en"]
    await check(client, {"actor": actor["name"]["en"].upper()}, expected, events)
    await check(client, {"actor": "لا أحد بهذا الاسم"}, [], events)


@pytest.mark.parametrize("sort", ["-date", "date"])
async def test_one_actor_pages_in_order_from_its_own_index(
    client: AsyncClient, events: list[Event], sort: str
) -> None:
    """A single actor with a date order is served from event_actors' copy of the sort key: every
    actor's events, one per page, in the requested order, undated ones included, and with `to`."""
    ordered = await fetch_all(client, "/v1/events", {"sort": sort})
    for actor in sorted({a for e in events for a in actor_ids(e)}):
        want = [e["id"] for e in ordered if actor in actor_ids(e)]
        paged = await fetch_all(client, "/v1/events", {"actor": actor, "sort": sort}, limit=1)
        assert [e["id"] for e in paged] == want, actor
    dated = [e for e in events if e["date"]["start"]]
    actor = most_common([a for e in dated for a in actor_ids(e)])
    end = sorted(e["date"]["start"] for e in dated if actor in actor_ids(e))[-1]
    want = [e["id"] for e in ordered if actor in actor_ids(e) and overlaps(e, None, date.fromisoformat(end))]
    paged = await fetch_all(client, "/v1/events", {"actor": actor, "sort": sort, "to": end}, limit=2)
    assert [e["id"] for e in paged] == want


async def test_actor_match_all_and_any(client: AsyncClient, events: list[Event]) -> None:
    syria = (await get_json(client, "/v1/actors", {"q": "Syria", "kind": "country"}))["data"][0]["id"]
    russia = (await get_json(client, "/v1/actors", {"q": "روسيا", "kind": "country"}))["data"][0]["id"]
    both = [e for e in events if {syria, russia} <= actor_ids(e)]
    either = [e for e in events if {syria, russia} & actor_ids(e)]
    assert both and len(either) > len(both)
    await check(client, [("actor", "Syria"), ("actor", "Russia"), ("actor_match", "all")], both, events)
    await check(client, [("actor", syria), ("actor", "روسيا")], either, events)


async def test_country_includes_the_country_and_its_actors(client: AsyncClient, events: list[Event]) -> None:
    actors = {a["id"]: a for a in await fetch_all(client, "/v1/actors")}
    russia = next(a["id"] for a in actors.values() if a["kind"] == "country" and a["name"]["en"] == "Russia")

    def involves(e: Event) -> bool:
        return any(i == russia or (actors[i]["country"] or {}).get("id") == russia for i in actor_ids(e))

    expected = [e for e in events if involves(e)]
    assert expected
    await check(client, {"country": "Russia"}, expected, events)


async def test_location_by_id_and_name(client: AsyncClient, events: list[Event]) -> None:
    place = most_common([e["location"]["id"] for e in events if e["location"]])
    expected = [e for e in events if e["location"] and e["location"]["id"] == place]
    await check(client, {"location": place}, expected, events)
    name = next(e["location"]["name_ar"] for e in expected)
    await check(client, {"location": name}, expected, events)
    await check(client, {"has_location": "false"}, [e for e in events if e["location"] is None], events)


async def test_source_via_min_sources_conflict(client: AsyncClient, events: list[Event]) -> None:
    source = most_common([a["source_id"] for e in events for a in e["attributions"]])
    await check(
        client,
        {"source": source},
        [e for e in events if any(a["source_id"] == source for a in e["attributions"])],
        events,
    )
    relayed = [a["via"] for e in events for a in e["attributions"] if a["via"]]
    via = most_common([v["id"] for v in relayed])
    via_name = next(v["name_en"] for v in relayed if v["id"] == via)
    expected = [e for e in events if any((a["via"] or {}).get("id") == via for a in e["attributions"])]
    await check(client, {"via": via_name}, expected, events)
    await check(client, {"min_sources": 2}, [e for e in events if e["source_count"] >= 2], events)
    conflicted = [e for e in events if e["conflicts"]]
    assert conflicted, "the seeds disagree about at least one event"
    await check(client, {"has_conflict": "true"}, conflicted, events)
    await check(client, {"has_conflict": "false"}, [e for e in events if not e["conflicts"]], events)


async def test_outlet_filter_with_an_ingested_article(client: AsyncClient, conn: asyncpg.Connection) -> None:
    await ingest_articles(conn, "fidan", "guler")
    events = await fetch_all(client, "/v1/events")
    expected = [e for e in events if any(a["outlet"] == "عنب بلدي" for a in e["attributions"])]
    assert expected, "the Fidan article should yield at least one event"
    await check(client, {"outlet": "عنب بلدي"}, expected, events)
    await check(
        client,
        [("outlet", "عنب بلدي"), ("outlet", "الوطن")],
        [e for e in events if {a["outlet"] for a in e["attributions"]} & {"عنب بلدي", "الوطن"}],
        events,
    )


async def test_full_text_arabic_normalised_and_english(client: AsyncClient, events: list[Event]) -> None:
    with_moscow = [e for e in events if "Moscow" in e["summary"]["en"]]
    assert with_moscow
    got = set(await ids(client, "/v1/events", {"q": "Moscow"}))
    assert {e["id"] for e in with_moscow} <= got
    # Arabic, with diacritics and hamza variants the stored text does not have: folding still matches.
    talks = [e for e in events if "مباحثات" in e["summary"]["ar"]]
    assert talks
    got = set(await ids(client, "/v1/events", {"q": "مُباحَثات"}))
    assert {e["id"] for e in talks} <= got
    assert await ids(client, "/v1/events", {"q": "xylophone"}) == []


async def test_full_text_finds_events_by_actor_alias(client: AsyncClient, events: list[Event]) -> None:
    naasan = (await get_json(client, "/v1/actors", {"q": "النعسان"}))["data"][0]
    alias = naasan["aliases"][0]["text"]
    got = set(await ids(client, "/v1/events", {"q": alias}))
    assert {e["id"] for e in events if naasan["id"] in actor_ids(e)} <= got


async def test_combination_dashboard_syria_russia_consult(client: AsyncClient, events: list[Event]) -> None:
    expected = [
        e
        for e in events
        if e["type"] == "CONSULT"
        and overlaps(e, date(2025, 1, 1), date(2025, 12, 31))
        and {"Syria", "Russia"} <= {a["actor"]["name_en"] for a in e["actors"]}
    ]
    assert expected
    await check(
        client,
        [
            ("type", "CONSULT"),
            ("actor", "Syria"),
            ("actor", "Russia"),
            ("actor_match", "all"),
            ("from", "2025"),
            ("to", "2025"),
        ],
        expected,
        events,
    )


async def test_updated_since(client: AsyncClient, conn: asyncpg.Connection, events: list[Event]) -> None:
    latest = max(e["updated_at"] for e in events)
    assert set(await ids(client, "/v1/events", {"updated_since": latest})) == {
        e["id"] for e in events if e["updated_at"] == latest
    }
    now = await conn.fetchval("SELECT now()")
    assert await ids(client, "/v1/events", {"updated_since": now.isoformat()}) == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"from": "October"}, "from"),
        ({"to": "2025-13"}, "to"),
        ({"min_sources": "many"}, "min_sources"),
        ({"min_sources": "0"}, "min_sources"),
        ({"has_conflict": "perhaps"}, "has_conflict"),
        ({"status": "rumoured"}, "status"),
        ({"cameo": "04a"}, "cameo"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"sort": "size"}, "sort"),
        ({"count": "all"}, "count"),
        ({"fields": "nope"}, "fields"),
        ({"include": "everything"}, "include"),
        ({"format": "xml"}, "format"),
        ({"cursor": "garbage!"}, "cursor"),
        ({"actor_match": "some"}, "actor_match"),
        ({"q": "  ؟ "}, "q"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"colour": "red"}, "colour"),
        ([("from", "2025"), ("from", "2024")], "from"),
        ({"type": "CONSULT\x00"}, "type"),
    ],
)
async def test_malformed_parameters_are_400_naming_them(
    client: AsyncClient, params: Any, parameter: str
) -> None:
    assert_problem(await client.get("/v1/events", params=params), 400, parameter)


async def test_cursor_from_another_sort_is_rejected(client: AsyncClient) -> None:
    token = (await get_json(client, "/v1/events", {"limit": 1}))["next"]
    assert token
    assert_problem(await client.get("/v1/events", params={"cursor": token, "sort": "id"}), 400, "cursor")


@pytest.mark.parametrize("few", [0, 10_000])
async def test_related_filters_agree_whichever_plan_shape_is_chosen(
    client: AsyncClient, events: list[Event], monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    """Actor, place, source, relay and country filters have two SQL forms (rows by id when few match,
    a semi-join when many do); both must select the same events."""
    import service.api.listing as listing

    monkeypatch.setattr(listing, "FEW", few)
    actor = most_common([a for e in events for a in actor_ids(e)])
    await check(client, {"actor": actor}, [e for e in events if actor in actor_ids(e)], events)
    place = most_common([e["location"]["id"] for e in events if e["location"]])
    await check(
        client, {"location": place}, [e for e in events if (e["location"] or {}).get("id") == place], events
    )
    source = most_common([a["source_id"] for e in events for a in e["attributions"]])
    await check(
        client,
        {"source": source},
        [e for e in events if any(a["source_id"] == source for a in e["attributions"])],
        events,
    )
    via = most_common([a["via"]["id"] for e in events for a in e["attributions"] if a["via"]])
    await check(
        client,
        {"via": via},
        [e for e in events if any((a["via"] or {}).get("id") == via for a in e["attributions"])],
        events,
    )
    both = [e for e in events if {"Syria", "Russia"} <= {a["actor"]["name_en"] for a in e["actors"]}]
    await check(client, [("actor", "Syria"), ("actor", "Russia"), ("actor_match", "all")], both, events)
    country_events = await ids(client, "/v1/events", {"country": "Russia"})
    monkeypatch.setattr(listing, "FEW", 10_000 - few)
    assert await ids(client, "/v1/events", {"country": "Russia"}) == country_events != []
