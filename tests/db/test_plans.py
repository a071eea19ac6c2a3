"""The read API's main queries use indexes on a large table.

The pipeline's seed events are multiplied (dates shifted, ids suffixed) into a generated table of
tens of thousands of events inside one rolled-back transaction (the copies carry no search vector,
so full-text terms stay as rare as in the seeds), the tables are analysed, and the plans
of the very SQL the API builds (same allow-list, same keyset builder) are checked with EXPLAIN:
no sequential scan of a large table, and the index meant for each access path.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from service.api.events import EVENTS
from service.db.claims import CLAIM_SELECT
from service.db.events import CSV_RECORD
from service.db.events import EVENT_LIST_SELECT as EVENT_SELECT  # the select the list endpoint runs
from service.db.filters import CLAIM_FILTERS, CLAIM_SORTS, EVENT_FILTERS, EVENT_SORTS, SqlQuery, keyset_sql
from service.db.pool import init_connection

COPIES = 1000

GENERATE = f"""
INSERT INTO events (id, plover_type, plover_mode, cameo, status, date_start, date_end, date_precision, date_basis,
                    location_actor_id, summary_en, summary_ar, confidence, source_count, has_conflict, search,
                    content_hash)
SELECT e.id || '_' || g, e.plover_type, e.plover_mode, e.cameo, e.status,
       e.date_start - g, e.date_end - g, e.date_precision, e.date_basis, e.location_actor_id,
       e.summary_en, e.summary_ar, e.confidence, e.source_count, e.has_conflict, NULL, e.content_hash
FROM events e, generate_series(1, {COPIES}) g;
INSERT INTO event_actors (event_id, actor_id, role, date_sort)
SELECT ea.event_id || '_' || g, ea.actor_id, ea.role, ea.date_sort - g
FROM event_actors ea, generate_series(1, {COPIES}) g;
INSERT INTO event_attributions (id, event_id, source_id, span_start, span_end, quote, via_actor_id)
SELECT a.id || '_' || g, a.event_id || '_' || g, a.source_id, a.span_start, a.span_end, a.quote, a.via_actor_id
FROM event_attributions a, generate_series(1, {COPIES}) g;
INSERT INTO claims (id, source_id, span_start, span_end, quote, speaker_actor_id, via_actor_id, channel, stance,
                    said_on, event_id, confidence, search, content_hash)
SELECT c.id || '_' || g, c.source_id, c.span_start, c.span_end, c.quote, c.speaker_actor_id, c.via_actor_id,
       c.channel, c.stance, c.said_on - g, NULL, c.confidence, c.search, c.content_hash
FROM claims c, generate_series(1, {COPIES // 5}) g;
ANALYZE events, event_actors, event_attributions, claims;
"""

LARGE = {"events", "event_actors", "event_attributions", "claims"}


def nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    out = [plan]
    for child in plan.get("Plans", []):
        out += nodes(child)
    return out


async def explain(conn: asyncpg.Connection, sql: str, args: list[Any]) -> list[dict[str, Any]]:
    raw = await conn.fetchval("EXPLAIN (FORMAT JSON) " + sql, *args)
    plan = json.loads(raw) if isinstance(raw, str) else raw
    return nodes(plan[0]["Plan"])


@pytest.fixture(scope="module")
async def generated(database: str) -> AsyncIterator[asyncpg.Connection]:
    """One generated dataset for the module, in a transaction rolled back at the end."""
    conn = await asyncpg.connect(database)
    await init_connection(conn)
    transaction = conn.transaction()
    await transaction.start()
    try:
        seed_events = await conn.fetchval("SELECT count(*) FROM events")
        assert seed_events >= 5
        await conn.execute(GENERATE)
        assert await conn.fetchval("SELECT count(*) FROM events") == seed_events * (COPIES + 1)
        await conn.execute("ANALYZE")  # as autovacuum would after a bulk load; plans need real statistics
        yield conn
    finally:
        await transaction.rollback()
        await conn.close()


def event_query(filters: dict[str, list[str]], sort: str = "-date") -> tuple[str, list[Any]]:
    query = SqlQuery()
    for name, values in filters.items():
        spec = EVENT_FILTERS[name]
        query.add(*spec.fragment(spec.parse(name, values)))
    return keyset_sql(EVENT_SELECT, query, EVENT_SORTS[sort], "e.id", None, 51), query.args


async def rarest(conn: asyncpg.Connection, sql: str) -> Any:
    return await conn.fetchval(sql)


async def assert_indexed(
    conn: asyncpg.Connection, sql: str, args: list[Any], index: str | None = None
) -> None:
    plan = await explain(conn, sql, args)
    seq = [
        n["Relation Name"] for n in plan if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in LARGE
    ]
    assert not seq, f"sequential scan of {seq}:\n{json.dumps(plan, indent=1)[:3000]}"
    if index is not None:
        used = {n.get("Index Name") for n in plan}
        assert index in used, f"{index} not in {used}"


async def test_default_list_reads_the_sort_index(generated: asyncpg.Connection) -> None:
    await assert_indexed(generated, *event_query({}), index="events_sort_date_idx")
    await assert_indexed(generated, *event_query({}, sort="date"), index="events_sort_date_idx")


async def test_type_and_status_read_their_sort_indexes(generated: asyncpg.Connection) -> None:
    kind = await generated.fetchval("SELECT plover_type FROM events GROUP BY 1 ORDER BY count(*) LIMIT 1")
    await assert_indexed(generated, *event_query({"type": [kind]}), index="events_type_sort_date_idx")
    status = await generated.fetchval("SELECT status FROM events GROUP BY 1 ORDER BY count(*) LIMIT 1")
    await assert_indexed(generated, *event_query({"status": [status]}))


async def test_date_range(generated: asyncpg.Connection) -> None:
    day = await generated.fetchval("SELECT max(date_start) FROM events")
    start = (day.replace(day=1)).isoformat()
    await assert_indexed(generated, *event_query({"from": [start], "to": [day.isoformat()]}))


@pytest.mark.parametrize("name", ["actor", "location", "via", "source"])
async def test_actor_place_relay_source(generated: asyncpg.Connection, name: str) -> None:
    value = await generated.fetchval(
        {
            "actor": "SELECT actor_id FROM event_actors GROUP BY 1 ORDER BY count(*), 1 LIMIT 1",
            "location": "SELECT location_actor_id FROM events WHERE location_actor_id IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*), 1 LIMIT 1",
            "via": "SELECT via_actor_id FROM event_attributions WHERE via_actor_id IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*), 1 LIMIT 1",
            "source": "SELECT source_id FROM event_attributions GROUP BY 1 ORDER BY count(*), 1 LIMIT 1",
        }[name]
    )
    assert value is not None
    query = SqlQuery()
    # actor-like filters receive resolved ids (resolution happens before the query)
    query.add(EVENT_FILTERS[name].sql, [[value]])
    await assert_indexed(
        generated, keyset_sql(EVENT_SELECT, query, EVENT_SORTS["-date"], "e.id", None, 51), query.args
    )


@pytest.mark.parametrize("which", ["most", "fewest"])
@pytest.mark.parametrize("sort", ["-date", "date"])
async def test_one_actor_drives_the_list_from_its_ordered_index(
    generated: asyncpg.Connection, which: str, sort: str
) -> None:
    """One actor id + a date order: a range scan of event_actors_actor_date_idx, stopped by the LIMIT."""
    order = "DESC" if which == "most" else "ASC"
    actor = await generated.fetchval(
        f"SELECT actor_id FROM event_actors GROUP BY 1 ORDER BY count(*) {order}, 1 LIMIT 1"
    )
    day = await generated.fetchval("SELECT max(date_start) FROM events")
    query = SqlQuery()
    query.drive = EVENT_FILTERS["actor"].drive
    assert query.drive is not None
    query.add(query.drive.condition, [actor])
    query.add(EVENT_FILTERS["from"].sql, EVENT_FILTERS["from"].parse("from", [f"{day.year - 1}"]))
    query.add(EVENT_FILTERS["to"].driven or "", EVENT_FILTERS["to"].parse("to", [day.isoformat()]))
    query.add(*EVENT_FILTERS["type"].fragment(EVENT_FILTERS["type"].parse("type", ["CONSULT"])))
    sql = keyset_sql(EVENT_SELECT, query, EVENT_SORTS[sort], "e.id", (day, "evt_"), 51)
    plan = await explain(generated, sql, query.args)
    assert plan[0]["Node Type"] == "Limit"
    scans = [n for n in plan if n.get("Index Name") == "event_actors_actor_date_idx"]
    assert scans, json.dumps(plan, indent=1)[:3000]
    if which == "most":  # (a rare actor's few rows may as well be sorted)
        assert not any(n["Node Type"] == "Sort" for n in plan), "the index order should serve ORDER BY"
    await assert_indexed(generated, sql, query.args)


async def test_full_text_uses_the_gin_index(generated: asyncpg.Connection) -> None:
    await assert_indexed(generated, *event_query({"q": ["يفكوروف"]}), index="events_search_idx")


async def test_updated_since_for_sync(generated: asyncpg.Connection) -> None:
    await assert_indexed(
        generated,
        *event_query({"updated_since": ["2100-01-01T00:00:00Z"]}, sort="updated"),
        index="events_updated_idx",
    )


async def test_rare_cameo_prefix(generated: asyncpg.Connection) -> None:
    cameo = await generated.fetchval(
        "SELECT cameo FROM events WHERE cameo IS NOT NULL GROUP BY 1 ORDER BY count(*), 1 LIMIT 1"
    )
    await assert_indexed(generated, *event_query({"cameo": [cameo]}))


async def test_claims_by_stance(generated: asyncpg.Connection) -> None:
    query = SqlQuery()
    query.add(*CLAIM_FILTERS["stance"].fragment(CLAIM_FILTERS["stance"].parse("stance", ["denies"])))
    await assert_indexed(
        generated, keyset_sql(CLAIM_SELECT, query, CLAIM_SORTS["id"], "c.id", None, 51), query.args
    )


async def test_actor_search_can_use_the_token_indexes(conn: asyncpg.Connection) -> None:
    """The actors table is small in tests; with sequential scans disabled the token indexes must serve."""
    await conn.execute("SET LOCAL enable_seqscan = off")
    plan = await explain(
        conn,
        "SELECT actor_id FROM actor_aliases WHERE string_to_array(match_key, ' ') @> $1::text[]",
        [["النعسان"]],
    )
    assert "actor_aliases_tokens_idx" in {n.get("Index Name") for n in plan}
    from service.db.filters import en_key

    plan = await explain(
        conn, f"SELECT id FROM actors a WHERE string_to_array({en_key('a')}, ' ') @> $1::text[]", [["naasan"]]
    )
    assert "actors_name_en_tokens_idx" in {n.get("Index Name") for n in plan}


# The CSV records of the generated events (copies of the seeds' records, with the copies' dates).
GENERATE_RECORDS = f"""
INSERT INTO event_csv (event_id, record, date_start, date_end, updated_at)
SELECT c.event_id || '_' || g, c.record, c.date_start - g, c.date_end - g, c.updated_at
FROM event_csv c, generate_series(1, {COPIES}) g;
ANALYZE event_csv;
"""


@pytest.mark.parametrize("sort", ["-date", "date"])
async def test_the_events_running_at_from_are_walked_in_order_without_a_sort(
    generated: asyncpg.Connection, sort: str
) -> None:
    """A CSV export with ``from`` in a date order sends the events running at ``from`` apart
    (``Export._take_split``): each batch is a range of their partial index in the order's key
    (migration 0014), not a sort of all of them, nor a scan of the records."""
    if not await generated.fetchval("SELECT EXISTS (SELECT 1 FROM event_csv WHERE event_id LIKE '%\\_1')"):
        await generated.execute(GENERATE_RECORDS)
    day = await generated.fetchval(
        "SELECT date_start + 1 FROM event_csv WHERE date_end > date_start + 1 ORDER BY date_start DESC LIMIT 1"
    )
    assert day is not None, "the seeds hold no event over several days"
    walk = EVENTS.csv_walk
    assert walk is not None
    order = walk.sorts[sort]
    part = SqlQuery()
    part.add(walk.running["from"], [day])
    count, least = await generated.fetchrow(
        f"SELECT count(*), min({order.expr}) FROM {walk.table} WHERE {part.where_sql}", *part.args
    )
    assert count > 1
    part.where.append(f"{order.expr} >= {part.param(least)}::{order.cast}")
    select = walk.select.format(record=CSV_RECORD)
    for after in (None, (least, "")):
        sql = keyset_sql(
            select, SqlQuery(list(part.where), list(part.args)), order, walk.id_expr, after, 1000
        )
        plan = await explain(generated, sql, [*part.args, *([] if after is None else list(after)), 1000])
        kinds = {n["Node Type"] for n in plan}
        assert "Sort" not in kinds and "Seq Scan" not in kinds, json.dumps(plan, indent=1)[:3000]
        assert "event_csv_running_order_idx" in {n.get("Index Name") for n in plan}
