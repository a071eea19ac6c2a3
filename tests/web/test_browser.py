"""The explorer in a real browser (Debian's Chromium through Playwright), served by uvicorn on loopback:
pages render with nothing fetched from outside the machine, filters change the list (with and
without JavaScript), links lead where they say, every highlight's text is its attribution's quote,
Arabic is laid out right to left, and bidi controls in the data stay inside their own element."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from browser_fixtures import (
    Watched,
    browser,
    browser_without_js,
    explorer_database,
    explorer_url,
    page,
    page_without_js,
    playwright_driver,
)

pytestmark = pytest.mark.browser
__all__ = [  # fixtures used by this module
    "browser",
    "browser_without_js",
    "explorer_database",
    "explorer_url",
    "page",
    "page_without_js",
    "playwright_driver",
]

# The characters' left edges in a text node, in logical order (to check the visual order).
CHARACTER_LEFTS = """(element) => {
  const node = element.firstChild, range = document.createRange(), lefts = [];
  for (let i = 0; i < node.length; i++) {
    range.setStart(node, i); range.setEnd(node, i + 1); lefts.push(range.getBoundingClientRect().left);
  }
  return lefts;
}"""
# Each highlight's text: its mark, or its fragments joined, keyed by kind, id, start and end.
HIGHLIGHTS = """(root) => {
  const out = {};
  for (const m of root.querySelectorAll("mark[data-start]")) {
    const key = [m.dataset.kind, m.dataset.id, m.dataset.start, m.dataset.end].join("|");
    out[key] = (out[key] || "") + m.textContent;
  }
  return out;
}"""


async def api(base: str, path: str, **params: Any) -> Any:
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.get(path, params=params)
        assert response.status_code == 200, response.text[:300]
        return response.json()


async def event_ids_on(watched: Watched) -> list[str]:
    return await watched.page.eval_on_selector_all("[data-event]", "rows => rows.map(r => r.dataset.event)")


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


async def test_main_pages_render_with_nothing_from_outside(page: Watched, explorer_url: str) -> None:
    event = (await api(explorer_url, "/v1/events", sort="-date", limit=1))["data"][0]["id"]
    actor = (await api(explorer_url, "/v1/actors", q="Naasan"))["data"][0]["id"]
    source = (await api(explorer_url, "/v1/sources", limit=1))["data"][0]["id"]
    paths = ["/", f"/events/{event}", f"/sources/{source}", f"/actors/{actor}", "/claims", "/conflicts"]
    for path in [*paths, "/actors", "/sources"]:
        response = await page.page.goto(explorer_url + path)
        assert response.status == 200, path
        assert (await page.page.inner_text("h1")).strip(), path
        assert await page.page.eval_on_selector(
            "link[rel=stylesheet]", "l => l.sheet !== null && l.sheet.cssRules.length > 0"
        ), path
    fetched = {urlsplit(u).path for u in page.requests}
    assert {"/static/explorer/explorer.css", "/static/explorer/explorer.js"} <= fetched


async def test_openapi_ui_works_offline(page: Watched, explorer_url: str) -> None:
    for path in ("/schema", "/schema/swagger"):
        await page.page.goto(explorer_url + path)
        title = page.page.locator(".swagger-ui .info .title")
        await title.wait_for(timeout=15_000)
        assert "Marsad API" in await title.inner_text()
        assert await page.page.locator(".opblock-summary-path", has_text="/v1/events").count() >= 1
    assert any(u.endswith("/static/swagger-ui/swagger-ui-bundle.js") for u in page.requests)


async def test_filters_change_the_list(page: Watched, explorer_url: str) -> None:
    await page.page.goto(explorer_url + "/")
    everything = await event_ids_on(page)
    planned = [e["id"] for e in (await api(explorer_url, "/v1/events", status="planned"))["data"]]
    assert planned and set(planned) < set(everything)
    async with page.page.expect_navigation():
        await page.page.select_option("select[name=status]", "planned")  # applied at once with JS
    assert query_of(page.page.url) == {"status": "planned"}
    assert await event_ids_on(page) == planned
    assert await page.page.inner_text("#total") == str(len(planned))

    facet = page.page.locator("a[data-facet=type]").first
    chosen = await facet.get_attribute("data-value")
    await facet.click()
    await page.page.wait_for_url("**type=*")
    assert query_of(page.page.url) == {"status": "planned", "type": chosen}
    expected = (await api(explorer_url, "/v1/events", status="planned", type=chosen))["data"]
    assert await event_ids_on(page) == [e["id"] for e in expected]

    await page.page.click("a.chip[data-filter=status]")
    await page.page.wait_for_url(lambda url: "status=" not in url)
    expected = (await api(explorer_url, "/v1/events", type=chosen))["data"]
    assert await event_ids_on(page) == [e["id"] for e in expected]


async def test_filters_and_paging_work_without_javascript(
    page_without_js: Watched, explorer_url: str
) -> None:
    page = page_without_js.page
    await page.goto(explorer_url + "/")
    await page.fill("input[name=q]", "موسكو")
    await page.select_option("select[name=sort]", "date")
    async with page.expect_navigation():
        await page.click("form.filters button[type=submit]")
    assert query_of(page.url) == {"q": "موسكو", "sort": "date"}  # blank fields dropped by a redirect
    expected = (await api(explorer_url, "/v1/events", q="موسكو", sort="date"))["data"]
    assert await event_ids_on(page_without_js) == [e["id"] for e in expected] != []

    await page.goto(explorer_url + "/?limit=4")
    seen = await event_ids_on(page_without_js)
    while await page.locator("a[rel=next]").count():
        await page.click("a[rel=next]")
        seen += await event_ids_on(page_without_js)
    everything = (await api(explorer_url, "/v1/events", limit=1000))["data"]
    assert seen == [e["id"] for e in everything]


async def test_links_lead_where_they_say(page: Watched, explorer_url: str) -> None:
    await page.page.goto(explorer_url + "/")
    link = page.page.locator("a.event-title").first
    label = (await link.inner_text()).strip()
    await link.click()
    await page.page.wait_for_url("**/events/evt_*")
    event_id = urlsplit(page.page.url).path.rsplit("/", 1)[1]
    assert label.split(" · ")[0] in await page.page.inner_text("h1")

    actor = page.page.locator(".actor-roles a.actor").first
    name = (await actor.locator("bdi, span").first.inner_text()).strip()
    await actor.click()
    await page.page.wait_for_url("**/actors/act_*")
    assert name in await page.page.inner_text("h1")
    await page.page.go_back()

    await page.page.locator(".report .more a").first.click()
    await page.page.wait_for_url("**/sources/src_*#event-*")
    target = page.page.locator("mark:target")
    assert await target.get_attribute("data-id") == event_id

    # a highlight opens a list of the facts covering it, each a link to its record
    await target.click()
    record = page.page.locator(".span-popover a").first
    href = await record.get_attribute("href")
    await record.click()
    await page.page.wait_for_url(explorer_url + (href or "/none"))
    assert (await page.page.inner_text("h1")).strip()

    await page.page.goto(explorer_url + f"/events/{event_id}")
    await page.page.click("a[data-json]")
    body = await page.page.evaluate("() => JSON.parse(document.body.innerText)")
    assert body["id"] == event_id


async def test_highlighted_text_equals_the_quote(page: Watched, explorer_url: str) -> None:
    events = (await api(explorer_url, "/v1/events", limit=1000))["data"]
    event = max(events, key=lambda e: e["source_count"])
    await page.page.goto(explorer_url + f"/events/{event['id']}")
    shown = await page.page.eval_on_selector("main", HIGHLIGHTS)
    expected = {
        f"event|{event['id']}|{a['span'][0]}|{a['span'][1]}": a["quote"] for a in event["attributions"]
    }
    assert {k: v for k, v in shown.items() if k.startswith("event|")} == expected
    assert len(await page.page.locator(".report").all()) == len(
        {a["source_id"] for a in event["attributions"]}
    )

    for source in (await api(explorer_url, "/v1/sources"))["data"]:
        detail = await api(explorer_url, f"/v1/sources/{source['id']}")
        await page.page.goto(explorer_url + f"/sources/{source['id']}")
        shown = await page.page.eval_on_selector("article.article", HIGHLIGHTS)
        assert shown == {
            f"{s['kind']}|{s['id']}|{s['span'][0]}|{s['span'][1]}": s["quote"] for s in detail["spans"]
        }
        for key, text in shown.items():
            start, end = (int(n) for n in key.split("|")[2:])
            assert detail["text"][start:end] == text

    claims = (await api(explorer_url, "/v1/claims", limit=1000))["data"]
    await page.page.goto(explorer_url + "/claims?limit=1000")
    shown = await page.page.eval_on_selector("main", HIGHLIGHTS)
    assert shown == {
        f"claim|{c['id']}|{c['attribution']['span'][0]}|{c['attribution']['span'][1]}": c["attribution"][
            "quote"
        ]
        for c in claims
    }


async def test_arabic_is_right_to_left(page: Watched, explorer_url: str) -> None:
    event = (await api(explorer_url, "/v1/events", sort="-date", limit=1))["data"][0]
    source = event["attributions"][0]["source_id"]
    direction = "e => getComputedStyle(e).direction"
    for path, selectors in {
        f"/events/{event['id']}": [".summary-ar", ".excerpt"],
        f"/sources/{source}": ["article.article", "td.quote-cell"],
        "/claims": ["blockquote.quote"],
        "/": [".summary-ar", ".brand span[lang=ar]"],
    }.items():
        await page.page.goto(explorer_url + path)
        assert await page.page.evaluate(
            "() => [document.documentElement.lang, document.documentElement.dir]"
        ) == [
            "en",
            "ltr",
        ]
        for selector in selectors:
            directions = await page.page.eval_on_selector_all(selector, f"els => els.map({direction})")
            assert directions and set(directions) == {"rtl"}, (path, selector, directions)
        assert await page.page.eval_on_selector("h1", direction) == "ltr"


async def test_bidi_controls_in_the_data_stay_inside_their_element(page: Watched, explorer_url: str) -> None:
    """The test article's text holds U+202E (right-to-left override) that never closes; written without
    isolation, it would run on and reorder what follows. Its manifest gives the outlet and title the same
    override: ingest removes those from metadata (service/articles.py), and the page still isolates them."""
    source = (await api(explorer_url, "/v1/sources", external_id="bidi_controls"))["data"][0]
    assert source["outlet"] == "وكالة الاختبار" and "\u202e" not in source["title"]
    await page.page.goto(explorer_url + f"/claims?source={source['id']}")
    line = page.page.locator(".source-line").first
    lefts = await line.locator("time").evaluate(CHARACTER_LEFTS)
    assert await line.locator("time").inner_text() == "2025-11-20"
    assert lefts == sorted(lefts) and lefts[0] < lefts[-1], lefts
    unicode_bidi = await line.locator("bdi").evaluate("e => getComputedStyle(e).unicodeBidi")
    assert unicode_bidi == "isolate"

    await page.page.goto(explorer_url + f"/sources/{source['id']}")
    heading = await page.page.eval_on_selector("h1", "h => h.querySelectorAll('bdi').length")
    assert heading == 2  # the outlet and the title, each isolated
    cells = page.page.locator(".span-index td.num")
    lefts = await cells.first.evaluate(CHARACTER_LEFTS)
    assert lefts == sorted(lefts), lefts


async def test_the_guard_catches_a_request_leaving_the_machine(browser: Any, explorer_url: str) -> None:
    """The check every browser test relies on can fail: a page asking for an outside address is caught
    (the request is refused in the browser before it is sent)."""
    from browser_fixtures import watch

    watched = await watch(browser)
    try:
        await watched.page.goto(explorer_url + "/sources")
        await watched.page.evaluate(
            "() => new Promise(done => { const i = new Image(); i.onerror = i.onload = done;"
            " i.src = 'http://example.invalid/pixel.png'; })"
        )
    finally:
        await watched.page.close()
    assert watched.outside == ["http://example.invalid/pixel.png"]
    with pytest.raises(AssertionError, match="non-loopback"):
        watched.check()


async def test_facets_the_page_did_not_wait_for_come_from_the_api(
    page: Watched, explorer_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.web import events

    async def slow(db: Any, *args: Any) -> Any:
        await db.execute("SELECT pg_sleep(5)")

    monkeypatch.setattr(events, "facet_counts", slow)
    await page.page.goto(explorer_url + "/?status=planned")
    facet = page.page.locator(".facets-late a[data-facet=type]").first
    await facet.wait_for(timeout=10_000)  # drawn by explorer.js from /v1/stats/facets
    chosen = await facet.get_attribute("data-value")
    await facet.click()
    await page.page.wait_for_url("**type=*")
    assert query_of(page.page.url) == {"status": "planned", "type": chosen}
    expected = (await api(explorer_url, "/v1/events", status="planned", type=chosen))["data"]
    assert await event_ids_on(page) == [e["id"] for e in expected] != []
