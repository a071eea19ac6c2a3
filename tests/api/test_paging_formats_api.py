"""Keyset paging (also while articles are ingested between pages), counts, projection, embedding and
every representation parsed back: JSON, NDJSON, CSV (UTF-8 BOM) and GeoJSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import asyncpg
import pytest
from api_articles import ingest_articles
from api_helpers import assert_problem, fetch_all, get_json
from httpx import AsyncClient


async def test_pages_join_up_to_the_full_list(client: AsyncClient) -> None:
    full = await fetch_all(client, "/v1/events")
    paged = await fetch_all(client, "/v1/events", limit=3)
    assert len(full) > 3 and [e["id"] for e in paged] == [e["id"] for e in full]


async def test_link_header_and_last_page(client: AsyncClient) -> None:
    response = await client.get("/v1/events", params={"limit": 2, "type": "CONSULT"})
    body = response.json()
    assert body["next"]
    link = response.headers["link"]
    assert link.endswith('>; rel="next"') and f"cursor={body['next']}" in link and "type=CONSULT" in link
    url = link[1 : link.index(">")]
    second = await client.get(url)
    assert second.status_code == 200
    assert {e["id"] for e in second.json()["data"]}.isdisjoint({e["id"] for e in body["data"]})
    last = await client.get("/v1/events", params={"limit": 1000})
    assert last.json()["next"] is None and "link" not in last.headers


@pytest.mark.parametrize("sort", ["-date", "date", "id"])
async def test_paging_stays_correct_while_articles_are_ingested(
    client: AsyncClient, conn: asyncpg.Connection, sort: str
) -> None:
    before = [e["id"] for e in await fetch_all(client, "/v1/events", {"sort": sort})]
    first = await get_json(client, "/v1/events", {"sort": sort, "limit": 4})
    await ingest_articles(conn, "fidan", "bogdanov")  # new events land on both sides of the cursor
    after = [e["id"] for e in await fetch_all(client, "/v1/events", {"sort": sort})]
    assert set(after) - set(before), "the new articles should add events"
    seen = [e["id"] for e in first["data"]]
    cursor = first["next"]
    while cursor:
        page = await get_json(client, "/v1/events", {"sort": sort, "limit": 4, "cursor": cursor})
        seen += [e["id"] for e in page["data"]]
        cursor = page["next"]
    assert len(seen) == len(set(seen)), "no row twice"
    surviving = set(before) & set(after)
    assert surviving <= set(seen), "no surviving row skipped"
    # What follows the first page is exactly the current list after the cursor position.
    position = after.index(seen[3]) if seen[3] in after else None
    if position is not None:
        assert seen[4:] == after[position + 1 :]


async def test_counts_exact_and_estimated(client: AsyncClient, conn: asyncpg.Connection) -> None:
    total = await conn.fetchval("SELECT count(*) FROM events WHERE plover_type = 'CONSULT'")
    body = await get_json(client, "/v1/events", {"type": "CONSULT", "count": "exact", "limit": 1})
    assert body["count"] == total and body["count_method"] == "exact"
    body = await get_json(client, "/v1/events", {"count": "estimated", "limit": 1})
    assert body["count_method"] == "estimated" and isinstance(body["count"], int) and body["count"] >= 0
    assert "count" not in await get_json(client, "/v1/events", {"limit": 1})


async def test_fields_projection(client: AsyncClient) -> None:
    body = await get_json(client, "/v1/events", {"fields": "type,date", "limit": 5})
    assert body["data"] and all(set(e) == {"id", "type", "date"} for e in body["data"])
    claims = await get_json(client, "/v1/claims", {"fields": "stance", "limit": 5})
    assert all(set(c) == {"id", "stance"} for c in claims["data"])


async def test_include_embeds_each_referenced_resource_once(client: AsyncClient) -> None:
    body = await get_json(client, "/v1/events", {"include": "actors,sources,claims", "limit": 10})
    events, included = body["data"], body["included"]
    referenced = {a["actor"]["id"] for e in events for a in e["actors"]} | {
        e["location"]["id"] for e in events if e["location"]
    }
    actor_ids = [a["id"] for a in included["actors"]]
    assert referenced <= set(actor_ids) and len(actor_ids) == len(set(actor_ids))
    assert {a["source_id"] for e in events for a in e["attributions"]} == {
        s["id"] for s in included["sources"]
    }
    assert all(c["event_id"] in {e["id"] for e in events} for c in included["claims"])
    claims = await get_json(client, "/v1/claims", {"include": "actors", "limit": 20})
    speakers = {c["speaker"]["id"] for c in claims["data"] if c["speaker"]}
    assert speakers and speakers <= {a["id"] for a in claims["included"]["actors"]}


async def test_ndjson_streams_every_row_and_parses_back(client: AsyncClient) -> None:
    full = await fetch_all(client, "/v1/events")
    response = await client.get("/v1/events", params={"format": "ndjson"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    lines = response.text.splitlines()
    assert [json.loads(line) for line in lines] == full
    by_accept = await client.get(
        "/v1/events", headers={"accept": "application/x-ndjson"}, params={"limit": 2}
    )
    assert len(by_accept.text.splitlines()) == 2
    # Whole and projected exports (built batch by batch with cached actor refs) agree with JSON.
    projected = await client.get("/v1/events", params={"format": "ndjson", "fields": "type,conflicts"})
    assert [json.loads(line) for line in projected.text.splitlines()] == [
        {"id": e["id"], "type": e["type"], "conflicts": e["conflicts"]} for e in full
    ]
    filtered = await client.get(
        "/v1/events", params={"format": "ndjson", "has_conflict": "true", "sort": "id"}
    )
    conflicted = sorted((e for e in full if e["conflicts"]), key=lambda e: e["id"])
    assert conflicted and [json.loads(line) for line in filtered.text.splitlines()] == conflicted


async def test_ndjson_export_is_chunked_across_keyset_batches(client: AsyncClient, monkeypatch: Any) -> None:
    import service.api.exports as exports

    monkeypatch.setattr(exports, "BATCH_ROWS", 2)
    claims = await fetch_all(client, "/v1/claims")
    response = await client.get("/v1/claims", params={"format": "ndjson"})
    assert [json.loads(line) for line in response.text.splitlines()] == claims
    assert len(claims) > 4


async def test_event_export_across_many_batches_equals_the_json_pages(
    client: AsyncClient, monkeypatch: Any
) -> None:
    """Batches of two: actor refs and sources cached by one batch serve the next ones unchanged."""
    import service.api.exports as exports

    monkeypatch.setattr(exports, "BATCH_ROWS", 2)
    full = await fetch_all(client, "/v1/events")
    for fmt in ("ndjson", "csv"):
        response = await client.get("/v1/events", params={"format": fmt, "sort": "id"})
        assert response.status_code == 200
        if fmt == "ndjson":
            assert [json.loads(line) for line in response.text.splitlines()] == sorted(
                full, key=lambda e: e["id"]
            )
        else:
            rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
            assert [r["id"] for r in rows] == sorted(e["id"] for e in full)
    assert len(full) > 4


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


async def test_csv_has_bom_flattened_columns_and_arabic(client: AsyncClient) -> None:
    """Objects are dotted columns; lists are JSON cells whose items keep their fields together."""
    full = await fetch_all(client, "/v1/events")
    rows = _csv(await client.get("/v1/events", headers={"accept": "text/csv"}))
    assert [r["id"] for r in rows] == [e["id"] for e in full]
    for row, event in zip(rows, full, strict=True):
        assert row["date.start"] == _scalar(event["date"]["start"])
        assert row["summary.ar"] == event["summary"]["ar"]
        assert row["location.name_en"] == _scalar((event["location"] or {}).get("name_en"))
        assert row["confidence"] == _scalar(event["confidence"])
        for name in ("actors", "attributions", "conflicts"):
            assert json.loads(row[name]) == event[name], name
    projected = _csv(await client.get("/v1/events", params={"format": "csv", "fields": "type,attributions"}))
    assert list(projected[0]) == ["id", "type", "attributions"]
    assert [(r["id"], r["type"], json.loads(r["attributions"])) for r in projected] == [
        (e["id"], e["type"], e["attributions"]) for e in full
    ]


async def test_csv_one_record_per_link(
    client: AsyncClient, conn: asyncpg.Connection, monkeypatch: Any
) -> None:
    """rows=attributions and rows=actors: one record per link, paired with its event by event_id."""
    import service.api.exports as exports

    await ingest_articles(conn, "fidan", "guler")  # outlets, publication dates and relays
    monkeypatch.setattr(exports, "BATCH_ROWS", 3)
    full = await fetch_all(client, "/v1/events", {"type": "CONSULT"})
    quotes = _csv(
        await client.get("/v1/events", params={"format": "csv", "rows": "attributions", "type": "CONSULT"})
    )
    assert [
        (
            r["event_id"],
            r["source_id"],
            r["outlet"],
            r["published_on"],
            [int(r["span.start"]), int(r["span.end"])],
            r["quote"],
            r["via.id"],
            r["via.name_en"],
        )
        for r in quotes
    ] == [
        (
            e["id"],
            a["source_id"],
            _scalar(a["outlet"]),
            _scalar(a["published_on"]),
            a["span"],
            a["quote"],
            _scalar((a["via"] or {}).get("id")),
            _scalar((a["via"] or {}).get("name_en")),
        )
        for e in full
        for a in e["attributions"]
    ]
    assert any(r["via.id"] for r in quotes) and all(r["type"] == "CONSULT" for r in quotes)
    first_four = (await fetch_all(client, "/v1/events"))[:4]
    actors = _csv(await client.get("/v1/events", params={"format": "csv", "rows": "actors", "limit": 4}))
    assert [(r["event_id"], r["role"], r["actor.id"], r["actor.name_ar"]) for r in actors] == [
        (e["id"], x["role"], x["actor"]["id"], x["actor"]["name_ar"]) for e in first_four for x in e["actors"]
    ]
    for params in (
        {"rows": "claims", "format": "csv"},
        {"rows": "actors"},
        {"rows": "actors", "format": "csv", "fields": "type"},
    ):
        assert_problem(await client.get("/v1/events", params=params), 400, "rows")


async def test_accept_q_values_choose_the_format(client: AsyncClient) -> None:
    async def served(accept: str) -> str:
        response = await client.get("/v1/events", params={"limit": 1}, headers={"accept": accept})
        assert response.status_code == 200
        return response.headers["content-type"].split(";")[0]

    assert await served("text/csv;q=0.1, application/json") == "application/json"
    assert await served("application/json;q=0.5, text/csv") == "text/csv"
    assert await served("text/csv, application/json") == "text/csv"  # equal q: the first listed
    assert await served("text/csv;q=0, application/x-ndjson;q=0.2") == "application/x-ndjson"
    assert await served("text/csv;q=0") == "application/json"
    assert await served("text/html, */*;q=0.8") == "application/json"


async def test_csv_of_claims_and_sources(client: AsyncClient) -> None:
    for path in ("/v1/claims", "/v1/sources", "/v1/actors", "/v1/conflicts"):
        full = await fetch_all(client, path)
        response = await client.get(path, params={"format": "csv"})
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [r["id"] for r in rows] == [item["id"] for item in full], path


async def test_geojson_only_located_events(client: AsyncClient) -> None:
    full = await fetch_all(client, "/v1/events")
    located = [e for e in full if e["location"] and e["location"]["lat"] is not None]
    assert located
    response = await client.get("/v1/events", params={"format": "geojson", "limit": 1000})
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection" and body["next"] is None
    assert [f["id"] for f in body["features"]] == [e["id"] for e in located]
    for feature, event in zip(body["features"], located, strict=True):
        assert feature["geometry"] == {
            "type": "Point",
            "coordinates": [event["location"]["lon"], event["location"]["lat"]],
        }
        assert feature["properties"] == event
    by_accept = await client.get("/v1/events", headers={"accept": "application/geo+json"})
    assert by_accept.json()["type"] == "FeatureCollection"


async def test_geojson_is_for_events_only(client: AsyncClient) -> None:
    assert_problem(await client.get("/v1/claims", params={"format": "geojson"}), 400, "format")


async def test_sources_filters(client: AsyncClient, conn: asyncpg.Connection) -> None:
    await ingest_articles(conn, "fidan", "guler")
    sources = await fetch_all(client, "/v1/sources")
    assert (
        [s["id"] for s in await fetch_all(client, "/v1/sources", {"outlet": "الوطن"})]
        == [s["id"] for s in sources if s["outlet"] == "الوطن"]
        != []
    )
    in_november = [s["id"] for s in sources if (s["published"]["date"] or "").startswith("2025-11")]
    assert len(in_november) == 2
    assert [
        s["id"] for s in await fetch_all(client, "/v1/sources", {"from": "2025-11", "to": "2025-11"})
    ] == in_november
    newest = await get_json(client, "/v1/sources", {"sort": "-date", "limit": 1})
    assert newest["data"][0]["published"]["date"] == "2025-11-10"


async def test_stored_documents_are_served_byte_for_byte_as_assembled_events(
    client: AsyncClient, conn: asyncpg.Connection
) -> None:
    """Pages, exports and details read events.document; without it (NULL: assembled from the tables)
    every response is the same, byte for byte."""
    first = await conn.fetchrow("SELECT id, document FROM events ORDER BY id LIMIT 1")
    actor = await conn.fetchval(
        "SELECT actor_id FROM event_actors GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    )
    paths = [
        "/v1/events?limit=3",
        "/v1/events?format=ndjson",
        f"/v1/events/{first['id']}",
        f"/v1/events?actor={actor}&limit=2",
        "/v1/events?count=exact&limit=2&sort=date",
        "/v1/events?fields=type,date&limit=4",
        "/v1/events?include=claims&limit=2",
        "/v1/events?format=csv",
        # cut by the database at the stored cells' offsets; by ids (a filter) or walking the order
        "/v1/events?format=csv&fields=type,date,summary,source_count,updated_at",
        "/v1/events?format=csv&status=occurred",
        "/v1/events?format=csv&status=occurred&fields=id,location,confidence,conflicts",
    ]

    async def responses() -> list[tuple[int, bytes, str | None]]:
        out = []
        for path in paths:
            r = await client.get(path, headers={"accept-encoding": "identity"})
            out.append((r.status_code, r.content, r.headers.get("link")))
        return out

    stored = await responses()
    assert first["document"] and first["document"] in stored[1][1] and first["document"] == stored[2][1]
    assert await conn.fetchval("SELECT count(*) FROM events WHERE document IS NULL") == 0
    await conn.execute("UPDATE events SET document = NULL")
    assert await responses() == stored
    await conn.execute("DELETE FROM event_csv")  # CSV records built from the events too
    assert await responses() == stored


@pytest.mark.parametrize("id_list", [1, 100_000])  # walked in index order / fetched by ids read first
@pytest.mark.parametrize("sort", ["-date", "date", "id"])
async def test_filtered_exports_equal_the_pages_either_way(
    client: AsyncClient, conn: asyncpg.Connection, monkeypatch: Any, id_list: int, sort: str
) -> None:
    """Both ways an export finds its rows (see exports.Export._plan) give the list's rows in its order."""
    import service.api.exports as exports

    await ingest_articles(conn, "fidan", "guler", "bogdanov")
    monkeypatch.setattr(exports, "BATCH_ROWS", 2)
    monkeypatch.setattr(exports, "ID_LIST", id_list)
    for params in ({"from": "2025-10-10"}, {"to": "2025-10-31", "type": "CONSULT"}, {"actor": "Syria"}, {}):
        full = await fetch_all(client, "/v1/events", {**params, "sort": sort})
        response = await client.get("/v1/events", params={**params, "sort": sort, "format": "ndjson"})
        assert [json.loads(line) for line in response.text.splitlines()] == full, params
        limited = await client.get("/v1/events", params={**params, "sort": sort, "format": "csv", "limit": 3})
        assert [r["id"] for r in _csv(limited)] == [e["id"] for e in full[:3]], params


async def test_the_database_finds_every_cell_of_a_stored_csv_record(conn: asyncpg.Connection) -> None:
    """csv_cuts (migration 0009) gives the byte offset of the delimiter after each cell, whatever the
    cell holds: quotes, commas, line breaks, empty cells, multi-byte text; a cut at those offsets is
    what the csv module reads back."""
    import csv
    import io

    from service.db.events import csv_cut_sql
    from service.flat import csv_records

    cells = ["evt_1", "", 'قال "نعم", ثم مضى', "a,b", "line\nbreak\r\nend", '""', "x", "مرحبا", ""]
    record = csv_records([cells])
    cuts = await conn.fetchval("SELECT csv_cuts($1::bytea)", record)
    expected, at = [], 0
    for cell in cells:  # the offsets from the csv module's own encoding of each cell
        at += len(csv_records([[cell]]).removesuffix(b"\r\n")) if cell else 0  # ("" alone is quoted)
        expected.append(at)
        at += 1
    assert cuts == expected
    for keep in ([0], [1, 2, 3], [0, 4, 6, 8], [2, 5, 7], list(range(len(cells)))):
        cut = await conn.fetchval(
            f"SELECT {csv_cut_sql(keep)} FROM (SELECT $1::bytea AS record, csv_cuts($1::bytea) AS cuts) c",
            record,
        )
        assert next(csv.reader(io.StringIO(cut.decode(), newline=""))) == [cells[i] for i in keep]
        assert cut == csv_records([[cells[i] for i in keep]])
