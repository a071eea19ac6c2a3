"""Hostile and mistaken input: every request here is answered with a 4xx problem naming what is wrong,
never a 500, a cut stream or a silently empty answer."""

from __future__ import annotations

import base64
from typing import Any

import asyncpg
import httpx
import pytest

from tests.api.test_auth import bearer
from tests.api.test_error_shape import assert_one_shape
from tests.api.test_ingest import ARTICLE

LISTS = ["/v1/events", "/v1/actors", "/v1/sources", "/v1/claims", "/v1/conflicts", "/v1/deleted"]
SINCE = {path: "since" if path == "/v1/deleted" else "updated_since" for path in LISTS}
EDGE_TIMESTAMPS = [
    "0001-01-01T00:00:00+05:00",
    "0001-01-01T00:00:00-05:00",
    "9999-12-31T23:59:59-05:00",
    "9999-12-31T23:59:59+05:00",
    "0001-01-01",
    "9999-12-31T23:59:59",
]


def cursor(*parts: Any) -> str:
    import json

    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def assert_400(response: httpx.Response, parameter: str | None = None) -> dict[str, Any]:
    assert response.status_code == 400, (response.request.url, response.status_code, response.text[:300])
    body = assert_one_shape(response)
    if parameter is not None:
        assert body["parameter"] == parameter, body
    return body


@pytest.mark.parametrize("path", LISTS)
async def test_cursor_with_nul_or_junk_is_400(client: httpx.AsyncClient, path: str) -> None:
    for sort in (None, "id", "-date", "-updated"):
        params = {"sort": sort} if sort else {}
        for token in (
            cursor(sort or "-date", "2025-10-01", "evt_\x00"),
            cursor(sort or "-date", "\x00", "evt_1"),
            cursor(sort or "-date", "99999-01-01", "evt_1"),
            cursor(sort or "-date", "2025-10-01T00:00:00+14:00", "x" * 10),
            "0",
            "\x00",
        ):
            response = await client.get(path, params={**params, "cursor": token})
            assert response.status_code < 500, (path, params, token, response.text[:300])
            if response.status_code >= 400:
                assert_one_shape(response)


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("value", EDGE_TIMESTAMPS)
async def test_timestamps_at_the_ends_of_the_calendar_are_answered(
    client: httpx.AsyncClient, path: str, value: str
) -> None:
    for fmt in ("json", "csv", "ndjson"):
        response = await client.get(path, params={SINCE[path]: value, "format": fmt})
        assert response.status_code in (200, 400), (path, value, fmt, response.text[:300])
        if response.status_code == 400:
            assert_400(response, SINCE[path])
        else:
            response.read()


async def test_enum_filters_answer_400_with_the_allowed_values(client: httpx.AsyncClient) -> None:
    for path, name, value in (
        ("/v1/events", "type", "MEET"),
        ("/v1/events", "mode", "teleport"),
        ("/v1/events", "status", "rumoured"),
        ("/v1/actors", "kind", "planet"),
        ("/v1/claims", "stance", "shrugs"),
        ("/v1/claims", "channel", "pigeon"),
        ("/v1/stats/timeline", "interval", "fortnight"),
    ):
        body = assert_400(await client.get(path, params={name: value}), name)
        assert body["allowed"] and value not in body["allowed"], body
        assert all(v in body["detail"] for v in body["allowed"][:3]), body["detail"]
    events = (await client.get("/v1/events", params={"type": "consult", "limit": 1})).json()["data"]
    assert events and events[0]["type"] == "CONSULT"


async def test_empty_controls_are_400_not_defaults(client: httpx.AsyncClient) -> None:
    for path, name in (
        ("/v1/events", "sort"),
        ("/v1/events", "format"),
        ("/v1/events", "count"),
        ("/v1/stats/timeline", "interval"),
        ("/v1/stats/timeline", "group_by"),
    ):
        assert_400(await client.get(path, params={name: ""}), name)


async def test_from_after_to_is_400(client: httpx.AsyncClient) -> None:
    for path in ("/v1/events", "/v1/sources", "/v1/claims", "/v1/stats/timeline"):
        body = assert_400(await client.get(path, params={"from": "2025-11", "to": "2025-10-05"}), "from")
        assert "2025-11" in body["detail"] and "to" in body["detail"]


async def test_unknown_parameter_lists_the_valid_ones(client: httpx.AsyncClient) -> None:
    body = assert_400(await client.get("/v1/events", params={"typ": "CONSULT"}), "typ")
    assert "type" in body["allowed"] and "limit" in body["allowed"] and "type" in body["detail"]


async def test_outlet_matches_by_any_spelling_that_folds_to_it(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    writer = await bearer(conn, "write")
    posted = await client.post(
        "/v1/sources", json={"text": ARTICLE, "outlet": "وكالة الأنباء الأردنية"}, headers=writer
    )
    assert posted.status_code == 201, posted.text
    source_id = posted.json()["source"]["id"]
    for spelling in ("وكالة الأنباء الأردنية", "وكاله الانباء الاردنيه", "وكالـة الأنبـاء الأردنية"):
        for path in ("/v1/sources", "/v1/events", "/v1/claims"):
            data = (await client.get(path, params={"outlet": spelling, "limit": 100})).json()["data"]
            assert data, (path, spelling)
            if path == "/v1/sources":
                assert [s["id"] for s in data] == [source_id]
    for path in ("/v1/sources", "/v1/events"):
        unknown = await client.get(path, params={"outlet": "BBC"})
        assert unknown.status_code == 200 and unknown.json()["data"] == []


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("url", "javascript:alert(1)", "http or https"),
        ("url", "data:text/html,<script>alert(1)</script>", "http or https"),
        ("url", "http://", "http or https"),
        ("url", "http://[::1", "http or https"),
        ("title", "<script>alert(1)</script>", "markup"),
        ("title", "عنوان <img src=x onerror=alert(1)>", "markup"),
        ("outlet", "سانا<b>", "markup"),
    ],
)
async def test_dangerous_metadata_is_refused(
    client: httpx.AsyncClient, conn: asyncpg.Connection, field: str, value: str, words: str
) -> None:
    writer = await bearer(conn, "write")
    response = await client.post("/v1/sources", json={"text": ARTICLE, field: value}, headers=writer)
    assert response.status_code == 422, response.text
    body = assert_one_shape(response)
    assert field in body["detail"] and words in body["detail"], body["detail"]


async def test_bidi_overrides_in_metadata_are_removed(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    writer = await bearer(conn, "write")
    response = await client.post(
        "/v1/sources",
        json={
            "text": ARTICLE,
            "outlet": "\u202eسانا\u202c",
            "title": "عنوان\u2067 مقلوب\u2069",
            "url": "https://example.org/\u202eأخبار",
            "author": "\u202e\u202c",  # nothing but controls: dropped
        },
        headers=writer,
    )
    assert response.status_code == 201, response.text
    source = (await client.get(response.headers["location"])).json()
    assert (source["outlet"], source["title"], source["url"], source["author"]) == (
        "سانا",
        "عنوان مقلوب",
        "https://example.org/أخبار",
        None,
    )
    # the article text itself is stored verbatim: spans index it
    assert source.get("text", ARTICLE) == ARTICLE


async def test_options_lists_every_method_of_a_path(client: httpx.AsyncClient) -> None:
    for path, methods in (
        ("/v1/sources", {"GET", "POST", "OPTIONS"}),
        ("/v1/events", {"GET", "OPTIONS"}),
        ("/v1/admin/reextract", {"POST", "OPTIONS"}),
    ):
        response = await client.options(path)
        assert response.status_code == 204
        assert set(response.headers["allow"].split(", ")) == methods, (path, response.headers["allow"])


def test_the_openapi_patterns_are_the_checks_submissions_pass() -> None:
    """One source for both: the patterns in the OpenAPI document are the ones safe_meta applies."""
    import re

    from service.api.ingest import _submission_schema
    from service.articles import PLAIN_PATTERN, URL_PATTERN

    schema = _submission_schema().to_schema()
    assert schema["properties"]["url"]["anyOf"][0]["pattern"] == URL_PATTERN
    external_id = schema["properties"]["external_id"]["anyOf"][0]["pattern"]
    for blank in ("\n", " \t ", "\u3000", "a\x00"):  # what check_submission refuses, the schema refuses
        assert not re.match(external_id, blank), repr(blank)
    assert re.match(external_id, " رقم-7 ")
    assert schema["properties"]["title"]["anyOf"][0]["pattern"] == PLAIN_PATTERN
    for good in ("https://example.org/a?b=c#d", "http://user@host:8080", "HTTPS://موقع.example/خبر"):
        assert re.match(URL_PATTERN, good), good
    for bad in ("javascript:alert(1)", "http://", "http://[::1]/", "ftp://x", "http://a b", "http://\u202e/"):
        assert not re.match(URL_PATTERN, bad), bad


async def test_openapi_patterns_mean_the_same_in_every_regex_dialect(client: httpx.AsyncClient) -> None:
    """ECMA-262 (what OpenAPI clients validate with) reads \\w, \\d and \\s as ASCII, Python as Unicode:
    a pattern using them would refuse Arabic in a client that the server accepts (or the reverse)."""
    import json
    import re

    document = (await client.get("/schema/openapi.json")).json()
    patterns = re.findall(r'"pattern": ?"((?:[^"\\]|\\.)*)"', json.dumps(document))
    assert patterns
    for pattern in patterns:
        shorthand = re.search(r"(?<!\\)(?:\\\\)*\\[wWdDsSbB]", json.loads(f'"{pattern}"'))
        assert not shorthand, pattern


@pytest.mark.parametrize("q", ["موسكو", "السِّلاح", "Naasan", "\x13\U001009b8ä"])
async def test_a_search_the_pattern_accepts_is_not_refused(client: httpx.AsyncClient, q: str) -> None:
    for path in ("/v1/events", "/v1/claims", "/v1/actors", "/v1/stats/timeline"):
        response = await client.get(path, params={"q": q})
        assert response.status_code == 200, (path, q, response.text)


@pytest.mark.parametrize("q", [" ؟ ", "!!", "\u0640\u064e"])
async def test_a_search_with_nothing_to_search_is_a_problem(client: httpx.AsyncClient, q: str) -> None:
    response = await client.get("/v1/events", params={"q": q})
    assert response.status_code == 400
    assert_one_shape(response)
