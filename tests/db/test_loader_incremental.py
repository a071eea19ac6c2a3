"""The loader writes only what a merge changed, and keeps what readers see consistent.

Articles are ingested one at a time inside the test's rolled-back transaction. After every ingest
each stored event document must equal what reads would assemble, vanished ids must be in the change
feed, and the dataset version must move by one. (That the rows equal a full build's is
``tests/ingest/test_incremental.py``.)
"""

from __future__ import annotations

import asyncpg
import msgspec

from service.articles import read_articles
from service.config import PROJECT_ROOT
from service.db import corpus, renderings
from service.db.corpus import WRITE_LOCK
from service.db.loader import keep_extractions
from service.extract.document import SourceMeta
from service.ingest import ingest, rebuild_state
from service.ingest.merging import merge_into, stage_added
from tests.ingest.test_incremental import seed_paragraph_articles

SEEDS = PROJECT_ROOT / "seeds"
CLEAR = (
    "DELETE FROM merge_decisions; DELETE FROM conflicts; DELETE FROM claims; DELETE FROM events; "
    "DELETE FROM actors; DELETE FROM sources; DELETE FROM merge_groups; DELETE FROM merge_members; "
    "DELETE FROM merge_actor_links; DELETE FROM merge_actors; DELETE FROM merge_units; "
    "DELETE FROM merge_unit_links; DELETE FROM merge_undated; DELETE FROM merge_claim_pairs; "
    "DELETE FROM merge_group_keys; DELETE FROM merge_unit_keys; DELETE FROM merge_undated_keys"
)
COUNTS = """SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM actors), (SELECT count(*) FROM claims),
                   (SELECT count(*) FROM conflicts), (SELECT count(*) FROM actor_mentions)"""


async def ingest_one_by_one(conn: asyncpg.Connection, items: list[tuple[str, SourceMeta]]) -> None:
    for text, meta in items:
        version = await conn.fetchval("SELECT version FROM dataset_state")
        before = {r["id"] for r in await conn.fetch("SELECT id FROM events UNION ALL SELECT id FROM actors")}
        report = await ingest(conn, [(text, meta)])
        assert report.results[0].created
        assert await renderings.stale(conn) == []  # every event's stored JSON is what reads would assemble
        assert await conn.fetchval("SELECT count(*) FROM events WHERE document IS NULL") == 0
        after = {r["id"] for r in await conn.fetch("SELECT id FROM events UNION ALL SELECT id FROM actors")}
        recorded = {
            r["id"]
            for r in await conn.fetch(
                "SELECT id FROM deleted WHERE id = ANY($1::text[])", sorted(before - after)
            )
        }
        assert recorded == before - after
        assert await conn.fetchval("SELECT version FROM dataset_state") == version + 1


async def test_seeds_one_at_a_time_keep_documents_and_the_change_feed(conn: asyncpg.Connection) -> None:
    articles = [(a.text, a.meta) for a in read_articles([SEEDS])]
    await conn.execute(CLEAR)
    await ingest_one_by_one(conn, articles[::-1])


async def test_seed_paragraph_articles_one_at_a_time(conn: asyncpg.Connection) -> None:
    await ingest_one_by_one(conn, seed_paragraph_articles(6, seed=7))


async def test_merging_an_unchanged_extraction_again_changes_nothing(conn: asyncpg.Connection) -> None:
    shas = [r["sha256"] for r in await conn.fetch("SELECT sha256 FROM sources ORDER BY sha256")]
    stored = await corpus.documents(conn, shas)
    before = await conn.fetchrow(COUNTS)
    version = await conn.fetchval("SELECT version FROM dataset_state")
    updated = await conn.fetchval("SELECT max(updated_at) FROM events")
    async with conn.transaction():
        await conn.execute(WRITE_LOCK)
        _, report = await merge_into(conn, [stored[s] for s in shas], [stored[s] for s in shas])
    assert not report.any_change
    assert await conn.fetchrow(COUNTS) == before
    assert await conn.fetchval("SELECT max(updated_at) FROM events") == updated
    assert await conn.fetchval("SELECT version FROM dataset_state") == version


async def test_cached_documents_follow_a_rewritten_extraction(conn: asyncpg.Connection) -> None:
    shas = [r["sha256"] for r in await conn.fetch("SELECT sha256 FROM sources ORDER BY sha256")]
    first = await corpus.documents(conn, shas)
    sha = shas[0]
    await conn.execute(
        "UPDATE sources SET extraction = jsonb_set(extraction::jsonb, '{title}', '\"changed\"')::json WHERE sha256 = $1",
        sha,
    )
    again = await corpus.documents(conn, shas)
    assert again[sha].title == "changed"
    assert all(again[s] is first[s] for s in shas if s != sha)


async def test_a_database_from_before_the_merge_state_gets_it_rebuilt(conn: asyncpg.Connection) -> None:
    tables = [
        "merge_groups",
        "merge_members",
        "merge_actors",
        "merge_units",
        "merge_unit_links",
        "merge_undated",
    ]
    query = "SELECT {t}::text FROM {t} ORDER BY 1"
    before = {t: [r[0] for r in await conn.fetch(query.format(t=t))] for t in tables}
    events = await conn.fetchval("SELECT array_agg(content_hash ORDER BY id) FROM events")
    for t in [*tables, "merge_actor_links", "merge_claim_pairs", "merge_group_keys", "merge_unit_keys"]:
        await conn.execute(f"DELETE FROM {t}")
    assert await rebuild_state(conn) == await conn.fetchval("SELECT count(*) FROM sources")
    assert {t: [r[0] for r in await conn.fetch(query.format(t=t))] for t in tables} == before
    assert await conn.fetchval("SELECT array_agg(content_hash ORDER BY id) FROM events") == events
    assert await rebuild_state(conn) == 0  # only once


async def test_a_merge_writes_the_staged_extractions_it_keeps(conn: asyncpg.Connection) -> None:
    """A worker stages a chunk's extractions before the lock and keeps, under it, those of the
    articles the merge adds: those are written; a re-merged source whose staged extraction was
    dropped (its text was stored already) keeps the stored one."""
    a, b = [r["sha256"] for r in await conn.fetch("SELECT sha256 FROM sources ORDER BY sha256 LIMIT 2")]
    stored = await corpus.documents(conn, [a, b])
    new_a = msgspec.structs.replace(stored[a], title="staged and kept")
    new_b = msgspec.structs.replace(stored[b], title="staged and dropped")
    async with conn.transaction():
        await conn.execute(WRITE_LOCK)
        await stage_added(conn, [new_a, new_b])
        await keep_extractions(conn, [a])
        await merge_into(conn, [new_a, stored[b]], [stored[a], stored[b]], staged=True)
    titles = {
        r["sha256"]: r["title"]
        for r in await conn.fetch(
            "SELECT sha256, extraction->>'title' AS title FROM sources WHERE sha256 = ANY($1::text[])", [a, b]
        )
    }
    assert titles == {a: "staged and kept", b: stored[b].title}
