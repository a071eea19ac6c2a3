"""The explorer's pages over the seeds (HTTP, no browser): each renders from the API's own queries,
links to the JSON it was built from, highlights exactly the quoted spans, and answers errors with
the API's problem as an HTML page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from httpx import AsyncClient
from page_helpers import parse

from service.web.highlight import span_anchor


async def html(client: AsyncClient, path: str, status: int = 200) -> str:
    response = await client.get(path)
    assert response.status_code == status, (path, response.text[:300])
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text


async def first_id(client: AsyncClient, path: str, **params: str) -> str:
    return (await client.get(path, params={"limit": "1", **params})).json()["data"][0]["id"]


async def test_every_page_links_to_the_json_it_was_built_from(client: AsyncClient) -> None:
    event = await first_id(client, "/v1/events", sort="-date")
    actor = await first_id(client, "/v1/actors", q="Naasan")
    source = await first_id(client, "/v1/sources")
    claim = await first_id(client, "/v1/claims")
    pages = {
        "/": "/v1/events",
        "/?status=occurred&sort=date": "/v1/events?status=occurred&sort=date",
        f"/events/{event}": f"/v1/events/{event}",
        f"/actors/{actor}": f"/v1/actors/{actor}",
        f"/sources/{source}": f"/v1/sources/{source}",
        "/actors?q=Naasan": "/v1/actors?q=Naasan",
        "/sources": "/v1/sources",
        "/claims?stance=denies": "/v1/claims?stance=denies",
        f"/claims/{claim}": f"/v1/claims/{claim}",
        "/conflicts": "/v1/conflicts",
    }
    for path, json_path in pages.items():
        page = parse(await html(client, path))
        assert page.alternate() == json_path, path
        assert any(a.get("href") == json_path and "data-json" in a for a in page.anchors), path
        response = await client.get(json_path)
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")


async def test_the_list_shows_the_api_page(client: AsyncClient) -> None:
    for params in ({}, {"status": "planned"}, {"type": "CONSULT", "sort": "date"}, {"q": "موسكو"}):
        api = (await client.get("/v1/events", params=params)).json()["data"]
        text = await html(client, "/?" + "&".join(f"{k}={v}" for k, v in params.items()))
        shown = re.findall(r'data-event="(evt_[0-9a-f]+)"', text)
        assert shown == [e["id"] for e in api], params
    facets = (await client.get("/v1/stats/facets", params={"status": "planned"})).json()
    assert f'<strong id="total">{facets["total"]}</strong>' in await html(client, "/?status=planned")


async def test_paging_follows_the_api_cursor(client: AsyncClient) -> None:
    everything = [e["id"] for e in (await client.get("/v1/events", params={"limit": 1000})).json()["data"]]
    seen: list[str] = []
    path = "/?limit=7"
    for _ in range(10):
        text = await html(client, path)
        seen += re.findall(r'data-event="(evt_[0-9a-f]+)"', text)
        found = re.search(r'<a href="(\?[^"]+)" rel="next">', text)
        if not found:
            break
        path = "/" + found.group(1).replace("&amp;", "&")
        assert dict(parse_qsl(urlsplit(path).query))["limit"] == "7"
    assert seen == everything


async def test_event_page_highlights_every_attribution_in_its_article(client: AsyncClient) -> None:
    events = (await client.get("/v1/events", params={"limit": 1000})).json()["data"]
    for event in events:
        page = parse(await html(client, f"/events/{event['id']}"))
        marks = [m for m in page.marks if m.attrs["data-kind"] == "event"]
        excerpts = {(m.attrs["data-id"], int(m.attrs["data-start"]), int(m.attrs["data-end"])) for m in marks}
        expected = {(event["id"], *a["span"]) for a in event["attributions"]}
        assert excerpts == expected, event["id"]
        for mark in marks:
            quote = next(a["quote"] for a in event["attributions"] if a["span"] == [*mark.key[2:]])
            assert mark.text == quote


async def test_source_page_highlights_every_span_with_its_quote(client: AsyncClient) -> None:
    for source in (await client.get("/v1/sources")).json()["data"]:
        detail = (await client.get(f"/v1/sources/{source['id']}")).json()
        text = await html(client, f"/sources/{source['id']}")
        page = parse(text)
        article = {k: v for k, v in page.joined().items() if k[0] in ("actor", "role", "event", "claim")}
        spans = {(s["kind"], s["id"], *s["span"]): s["quote"] for s in detail["spans"]}
        assert article == spans
        for kind, ident, start, end in spans:
            assert f'id="{span_anchor(kind, ident, start)}"' in text
            assert detail["text"][start:end] == spans[(kind, ident, start, end)]


async def test_quotes_on_claim_and_actor_pages_are_the_attributions(client: AsyncClient) -> None:
    claims = (await client.get("/v1/claims", params={"limit": 1000})).json()["data"]
    page = parse(await html(client, "/claims?limit=1000"))
    shown = {m.attrs["data-id"]: m.text for m in page.marks}
    assert shown == {c["id"]: c["attribution"]["quote"] for c in claims}
    actor = (await client.get("/v1/actors", params={"q": "Naasan"})).json()["data"][0]
    detail = (await client.get(f"/v1/actors/{actor['id']}")).json()
    page = parse(await html(client, f"/actors/{actor['id']}"))
    quotes = sorted(m.text for m in page.marks)
    expected = [a["quote"] for alias in detail["aliases"] for a in alias["attributions"]]
    expected += [r["attribution"]["quote"] for r in detail["roles"]]
    assert quotes == sorted(expected) and quotes


async def test_blank_parameters_redirect_to_the_url_without_them(client: AsyncClient) -> None:
    response = await client.get("/?q=&status=planned&from=&actor=")
    assert response.status_code == 303 and response.headers["location"] == "/?status=planned"
    assert (await client.get("/claims?stance=")).headers["location"] == "/claims"


@pytest.mark.parametrize(
    ("path", "status", "parameter"),
    [
        ("/?from=yesterday", 400, "from"),
        ("/?format=csv", 400, "format"),
        ("/?status=maybe", 400, "status"),
        ("/?cursor=nonsense", 400, "cursor"),
        ("/claims?stance=whispers", 400, "stance"),
        ("/events/evt_0000000000000000", 404, None),
        ("/sources/src_0000000000000000", 404, None),
        ("/actors/act_0000000000000000", 404, None),
        ("/claims/clm_0000000000000000", 404, None),
        ("/actors/act_0000000000000000?sort=date", 404, None),
        ("/events/evt_1?x=1", 400, "x"),
    ],
)
async def test_errors_are_the_api_problem_as_a_page(
    client: AsyncClient, path: str, status: int, parameter: str | None
) -> None:
    text = await html(client, path, status)
    assert f'data-status="{status}"' in text and 'data-type="https://marsad.dev/problems/' in text
    if parameter:
        assert f"<code>{parameter}</code>" in text


async def test_pages_revalidate_with_etags(client: AsyncClient) -> None:
    first = await client.get("/?status=planned")
    again = await client.get("/?status=planned", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304
    assert first.headers["etag"] != (await client.get("/v1/events?status=planned")).headers["etag"]


async def test_schema_ui_and_pages_load_only_local_assets(client: AsyncClient) -> None:
    for path in ("/schema", "/schema/swagger", "/"):
        page = parse(await html(client, path) if path == "/" else (await client.get(path)).text)
        assets = page.scripts + [link["href"] for link in page.links]
        assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets), (path, assets)
        for asset in assets:
            if not asset.startswith("/v1/"):
                assert (await client.get(asset)).status_code == 200, asset


async def slow(db: Any, *args: Any) -> Any:
    """An aggregate that takes longer than any page waits (Postgres cancels it at the budget)."""
    await db.execute("SELECT pg_sleep(5)")


async def test_aggregates_over_budget_leave_the_page_fast_and_say_where_they_are(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from service.web import actors, events

    monkeypatch.setattr(events, "facet_counts", slow)
    monkeypatch.setattr(actors, "actor_network", slow)
    started = time.monotonic()
    text = await html(client, "/?status=planned")
    assert time.monotonic() - started < 3  # cancelled at the budget, not after pg_sleep's 5 s
    assert 'data-facets="/v1/stats/facets?status=planned&amp;facet_limit=8"' in text
    assert 'class="timeline"' in text and 'data-event="' in text  # the rest of the page is there
    actor = await first_id(client, "/v1/actors", q="Naasan")
    text = await html(client, f"/actors/{actor}")
    assert f'<a href="/v1/actors/{actor}/network">the network as JSON</a>' in text
    assert 'class="event-list"' in text


async def test_actor_page_counts_the_network_only_under_its_event_limit(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under the limit the page counts who the actor appears with; past it, it links to the JSON
    instead of spending its budget on a count it would cancel. The aggregate budget is widened: this
    test is about the event limit, not about how fast a cold test server counts (at 150 ms the
    first count was cancelled once on a quiet machine and once at load 20)."""
    from service.web import actors as actor_pages
    from service.web import common

    monkeypatch.setattr(common, "AGGREGATE_BUDGET_MS", 30_000)
    russia = (await client.get("/v1/actors", params={"q": "روسيا", "kind": "country"})).json()["data"][0]
    days = (await client.get("/v1/stats/timeline", params={"actor": russia["id"], "interval": "day"})).json()
    text = await html(client, f"/actors/{russia['id']}")
    assert days["total"] and f"/actors/{russia['id']}/network" in text
    assert "takes longer than a page waits" not in text.split('id="network-h"')[1]
    monkeypatch.setattr(actor_pages, "NETWORK_MAX_EVENTS", russia["event_count"] - 1)
    text = await html(client, f"/actors/{russia['id']}")
    assert "Counting who it appears with takes longer than a page waits" in text
