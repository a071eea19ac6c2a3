"""POST /v1/sources: good articles are stored with what was extracted, the same text twice is one source,
and every kind of bad input is a clear 4xx problem that stores nothing."""

from __future__ import annotations

from urllib.parse import quote

import asyncpg
import httpx
import msgspec
import pytest

from service.app import create_app
from service.auth import create_key
from service.config import Settings
from service.db.pool import SingleConnection

ARTICLE = """عمّان - بترا

التقى وزير الخارجية الأردني أيمن الصفدي، أمس الثلاثاء، في القاهرة نظيره المصري بدر عبد العاطي، وبحث الجانبان سبل تعزيز التعاون الثنائي بين البلدين والأوضاع في المنطقة.

وقال الصفدي في مؤتمر صحفي مشترك إن "العلاقات الأردنية المصرية راسخة، وإن التنسيق بين البلدين مستمر في كل القضايا".

من جهته، أكد عبد العاطي أن القاهرة تدعم كل الجهود الرامية إلى وقف التصعيد، مشيرا إلى أن وفدا عسكريا مصريا سيزور عمّان الشهر المقبل لبحث التعاون الدفاعي.
"""

COUNT_ALL = """
SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM events) AS events,
       (SELECT count(*) FROM actors) AS actors, (SELECT count(*) FROM claims) AS claims,
       (SELECT count(*) FROM event_attributions) AS attributions, (SELECT version FROM dataset_state) AS version
"""


@pytest.fixture
async def key(conn: asyncpg.Connection) -> str:
    _, token = await create_key(conn, "ingest tests", ["write"])
    return token


@pytest.fixture
def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def counts(conn: asyncpg.Connection) -> dict[str, int]:
    return dict(await conn.fetchrow(COUNT_ALL))


def assert_problem(response: httpx.Response, status: int, *words: str) -> dict:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["type"].startswith("https://") and body["title"]
    assert body["request_id"] == response.headers["x-request-id"]
    for word in words:
        assert word.lower() in body["detail"].lower(), body["detail"]
    return body


async def test_json_article_is_stored_with_what_was_extracted(client: httpx.AsyncClient, auth, conn) -> None:
    before = await counts(conn)
    response = await client.post(
        "/v1/sources",
        headers=auth,
        json={
            "text": ARTICLE,
            "outlet": "بترا",
            "url": "https://petra.example/1",
            "published": "2025-11-05",
            "external_id": "petra-1",
            "title": "الصفدي وعبد العاطي",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    source = body["source"]
    assert body["created"] is True and response.headers["location"] == f"/v1/sources/{source['id']}"
    assert source["outlet"] == "بترا" and source["external_id"] == "petra-1" and source["language"] == "ar"
    assert source["published"]["date"] == "2025-11-05" and source["published"]["basis"] == "metadata"
    assert body["extracted"]["events"]
    after = await counts(conn)
    assert after["sources"] == before["sources"] + 1 and after["version"] > before["version"]

    detail = (await client.get(f"/v1/sources/{source['id']}")).json()
    assert detail["text"] == ARTICLE
    for span in detail["spans"]:
        assert ARTICLE[span["span"][0] : span["span"][1]] == span["quote"]
    for kind in ("event", "actor", "claim"):
        assert set(body["extracted"][kind + "s"]) == {s["id"] for s in detail["spans"] if s["kind"] == kind}


async def test_same_text_again_is_200_with_the_existing_source(client: httpx.AsyncClient, auth, conn) -> None:
    first = await client.post("/v1/sources", headers=auth, json={"text": ARTICLE})
    before = await counts(conn)
    again = await client.post(
        "/v1/sources",
        headers=auth,
        content=ARTICLE.encode(),
        params={"outlet": "another outlet"},
    )
    assert first.status_code == 201 and again.status_code == 415  # no content type: refused, not guessed
    again = await client.post(
        "/v1/sources",
        headers=auth | {"Content-Type": "text/plain; charset=utf-8"},
        content=ARTICLE.encode(),
        params={"outlet": "another outlet"},
    )
    assert again.status_code == 200, again.text
    assert again.json()["created"] is False
    assert again.json()["source"]["id"] == first.json()["source"]["id"]
    assert again.json()["source"]["outlet"] is None  # the stored source is returned as it is
    assert await counts(conn) == before


async def test_text_plain_takes_metadata_from_query_parameters(client: httpx.AsyncClient, auth) -> None:
    response = await client.post(
        "/v1/sources",
        headers=auth | {"Content-Type": "text/plain"},
        content=ARTICLE.encode(),
        params={"outlet": "بترا", "published": "2025-11-05", "external_id": "petra-plain", "language": "ar"},
    )
    assert response.status_code == 201, response.text
    source = response.json()["source"]
    assert (source["outlet"], source["external_id"], source["published"]["date"]) == (
        "بترا",
        "petra-plain",
        "2025-11-05",
    )


async def test_non_arabic_text_is_accepted_and_marked(client: httpx.AsyncClient, auth) -> None:
    text = (
        "Jordan's foreign minister Ayman Safadi met his Egyptian counterpart in Cairo on Tuesday, "
        "and the two discussed the situation in the region and the talks that were held."
    )
    response = await client.post("/v1/sources", headers=auth, json={"text": text})
    assert response.status_code == 201, response.text
    assert response.json()["source"]["language"] == "en"
    french = await client.post(
        "/v1/sources",
        headers=auth,
        json={
            "text": "Le ministre a rencontré son homologue et les deux ont discuté de la situation dans la région."
        },
    )
    assert french.status_code == 201 and french.json()["source"]["language"] == "fr"
    given = await client.post(
        "/v1/sources", headers=auth, json={"text": "Привет мир, это статья.", "language": "ru"}
    )
    assert given.status_code == 201 and given.json()["source"]["language"] == "ru"


JSON = {"Content-Type": "application/json"}
PLAIN = {"Content-Type": "text/plain; charset=utf-8"}
BAD_INPUTS = [
    ("empty text", JSON, msgspec.json.encode({"text": ""}), None, 422, "empty"),
    ("whitespace text", JSON, msgspec.json.encode({"text": " \n\t\u00a0 "}), None, 422, "whitespace"),
    ("NUL in text", JSON, b'{"text": "\\u0627\\u0644\\u0000\\u0645"}', None, 422, "NUL"),
    ("NUL in metadata", JSON, msgspec.json.encode({"text": ARTICLE, "outlet": "a\x00b"}), None, 422, "NUL"),
    ("lone surrogate", JSON, b'{"text": "\\u0645\\ud800\\u0646"}', None, 400, "surrogate"),
    ("invalid UTF-8 (JSON)", JSON, b'{"text": "\xd9\x85\xff\xfe"}', None, 400, "JSON"),
    ("invalid UTF-8 (plain)", PLAIN, b"\xd9\x85\xff\xfe", None, 400, "UTF-8"),
    ("HTML markup", JSON, msgspec.json.encode({"text": "<p>التقى الوزير</p>"}), None, 422, "HTML"),
    ("HTML entities", PLAIN, "التقى&nbsp;الوزير".encode(), None, 422, "HTML"),
    ("malformed JSON", JSON, b'{"text": "abc"', None, 400, "not valid JSON"),
    ("JSON not an object", JSON, b'["text"]', None, 400, "expected `object`"),
    (
        "unknown field",
        JSON,
        msgspec.json.encode({"text": ARTICLE, "source": "x"}),
        None,
        400,
        "unknown field",
    ),
    ("missing text", JSON, msgspec.json.encode({"outlet": "x"}), None, 400, "text"),
    ("wrong type", JSON, msgspec.json.encode({"text": ARTICLE, "outlet": 5}), None, 400, "outlet"),
    ("text not a string", JSON, msgspec.json.encode({"text": ["a"]}), None, 400, "text"),
    (
        "impossible date",
        JSON,
        msgspec.json.encode({"text": ARTICLE, "published": "2025-02-30"}),
        None,
        400,
        "published",
    ),
    ("impossible date (plain)", PLAIN, ARTICLE.encode(), {"published": "2025-13-01"}, 400, "published"),
    (
        "bad language tag",
        JSON,
        msgspec.json.encode({"text": ARTICLE, "language": "arabic!"}),
        None,
        400,
        "language",
    ),
    ("unknown query parameter", PLAIN, ARTICLE.encode(), {"source": "x"}, 400, "source"),
    (
        "query parameters with JSON",
        JSON,
        msgspec.json.encode({"text": ARTICLE}),
        {"outlet": "x"},
        400,
        "query",
    ),
    ("repeated query parameter", PLAIN, ARTICLE.encode(), [("outlet", "a"), ("outlet", "b")], 400, "2 times"),
    ("unsupported media type", {"Content-Type": "application/xml"}, b"<a/>", None, 415, "application/json"),
    ("non-UTF-8 charset", {"Content-Type": "text/plain; charset=latin-1"}, b"abc", None, 415, "UTF-8"),
    (
        "blank external_id",
        JSON,
        msgspec.json.encode({"text": ARTICLE, "external_id": "  "}),
        None,
        422,
        "blank",
    ),
]


@pytest.mark.parametrize(
    ("name", "headers", "body", "params", "status", "word"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
async def test_bad_input_is_a_clear_problem_and_stores_nothing(
    client: httpx.AsyncClient, auth, conn, name, headers, body, params, status, word
) -> None:
    before = await counts(conn)
    response = await client.post("/v1/sources", headers=auth | headers, content=body, params=params)
    assert_problem(response, status, word)
    assert await counts(conn) == before


async def test_text_over_the_length_limit_is_refused(conn: asyncpg.Connection, key: str) -> None:
    settings = Settings(max_text_chars=100)
    async with client_for(conn, settings) as small:
        before = await counts(conn)
        response = await small.post(
            "/v1/sources", headers={"Authorization": f"Bearer {key}"}, json={"text": "م" * 101}
        )
        assert_problem(response, 422, "limit is 100")
        assert await counts(conn) == before


async def test_body_over_the_limit_is_413(client: httpx.AsyncClient, auth, conn) -> None:
    before = await counts(conn)
    response = await client.post("/v1/sources", headers=auth | PLAIN, content=b"a" * 1_000_001)
    assert_problem(response, 413, "limit")
    assert await counts(conn) == before


async def test_reused_external_id_for_another_text_is_409(client: httpx.AsyncClient, auth, conn) -> None:
    first = await client.post("/v1/sources", headers=auth, json={"text": ARTICLE, "external_id": "petra-9"})
    assert first.status_code == 201
    before = await counts(conn)
    other = await client.post(
        "/v1/sources", headers=auth, json={"text": ARTICLE + "\nتحديث.", "external_id": "petra-9"}
    )
    assert_problem(other, 409, "petra-9", first.json()["source"]["id"])
    assert await counts(conn) == before
    seed_id = "000_1a3611da8e1f54cd.txt"
    clash = await client.post(
        "/v1/sources", headers=auth, json={"text": ARTICLE + "\nثانٍ", "external_id": seed_id}
    )
    assert_problem(clash, 409, seed_id)


INJECTIONS = [
    "'; DROP TABLE sources; --",
    '" OR 1=1 --',
    "x' UNION SELECT key_hash FROM api_keys --",
    "$1); DELETE FROM events; --",
    "%' OR '%'='",
]


async def test_sql_injection_shaped_strings_change_nothing(client: httpx.AsyncClient, auth, conn) -> None:
    before = await counts(conn)
    for i, evil in enumerate(INJECTIONS):
        response = await client.post(
            "/v1/sources",
            headers=auth,
            json={
                "text": f"{ARTICLE}\n{evil}",
                "outlet": evil,
                "author": evil,
                "title": evil,
                "url": "https://example.org/?q=" + quote(evil),  # only http(s) URLs are stored
                "external_id": f"{evil}{i}",
            },
        )
        assert response.status_code == 201, response.text
        assert response.json()["source"]["outlet"] == evil
        plain = await client.post(
            "/v1/sources",
            headers=auth | PLAIN,
            content=f"{evil} {ARTICLE}".encode(),
            params={"outlet": evil, "external_id": f"plain{i}{evil}"},
        )
        assert plain.status_code == 201, plain.text
        for path in (f"/v1/sources/{evil}", "/v1/sources"):
            got = await client.get(path, params={"cursor": evil, "limit": "1"})
            assert got.status_code in (200, 400, 404)
    after = await counts(conn)
    assert after["sources"] == before["sources"] + 2 * len(INJECTIONS)
    assert await conn.fetchval("SELECT count(*) FROM api_keys") >= 1
    stored = await conn.fetchval("SELECT outlet FROM sources WHERE external_id = $1", f"{INJECTIONS[0]}0")
    assert stored == INJECTIONS[0]


async def test_request_id_is_echoed_and_in_problem_bodies(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/sources", headers={"X-Request-ID": "trace-123"}, json={"text": "x"})
    assert response.headers["x-request-id"] == "trace-123"
    assert assert_problem(response, 401)["request_id"] == "trace-123"
    fresh = await client.get("/v1/sources/nope")
    assert (
        len(fresh.headers["x-request-id"]) == 32
        and fresh.json()["request_id"] == fresh.headers["x-request-id"]
    )
    bogus = await client.get("/health", headers={"X-Request-ID": "bad id with spaces\x7f"})
    assert bogus.headers["x-request-id"] != "bad id with spaces\x7f"
    unknown = await client.get("/no/such/route", headers={"X-Request-ID": "trace-404"})
    assert assert_problem(unknown, 404)["request_id"] == "trace-404"


class client_for:
    """An HTTP client on a new app (own settings) whose requests run in the test's transaction."""

    def __init__(self, conn: asyncpg.Connection, settings: Settings) -> None:
        self.app = create_app(settings, connections=SingleConnection(conn))
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://marsad.test"
        )

    async def __aenter__(self) -> httpx.AsyncClient:
        return await self.client.__aenter__()

    async def __aexit__(self, *exc: object) -> None:
        await self.client.__aexit__(*exc)
