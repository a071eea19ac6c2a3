"""GET /v1/sources and /v1/sources/{id} over the seed data."""

from httpx import AsyncClient


async def test_health_and_ready(client: AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200, ready.json()
    assert ready.json()["database"] == "ok"


async def test_list_sources_has_the_five_seeds(client: AsyncClient) -> None:
    body = (await client.get("/v1/sources")).json()
    assert len(body["data"]) == 5 and body["next"] is None
    assert {s["external_id"][:3] for s in body["data"]} == {"000", "001", "002", "003", "004"}


async def test_list_sources_pages_without_gaps(client: AsyncClient) -> None:
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        body = (await client.get("/v1/sources", params=params)).json()
        seen += [s["id"] for s in body["data"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5


async def test_source_detail_has_verbatim_text(client: AsyncClient) -> None:
    listing = (await client.get("/v1/sources")).json()["data"]
    source = next(s for s in listing if s["external_id"].startswith("003"))
    detail = (await client.get(f"/v1/sources/{source['id']}")).json()
    assert detail["text"].startswith("السبت, 4 أكتوبر 2025")
    for span in detail["spans"]:
        assert detail["text"][span["span"][0] : span["span"][1]] == span["quote"]


async def test_unknown_source_is_a_problem(client: AsyncClient) -> None:
    response = await client.get("/v1/sources/src_doesnotexist")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (
        body["status"] == 404 and body["type"].endswith("/not-found") and "src_doesnotexist" in body["detail"]
    )


async def test_bad_limit_is_a_problem(client: AsyncClient) -> None:
    response = await client.get("/v1/sources", params={"limit": "lots"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
