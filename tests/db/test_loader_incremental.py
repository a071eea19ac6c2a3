"""The loader writes only what changed, and the result is the same as writing everything afresh.

Articles are ingested one at a time, in several orders (seeds, and articles made of seed
paragraphs), inside the test's rolled-back transaction. After every ingest the stored rows
must equal what a from-scratch write of the same dataset stores, and vanished ids must be in
the change feed.
"""

from __future__ import annotations

import json
import random

import asyncpg

from service.articles import read_articles
from service.config import PROJECT_ROOT
from service.db import corpus, documents
from service.db.loader import write_dataset
from service.db.rows import dataset_rows
from service.extract.document import SourceMeta
from service.ingest import ingest
from service.merge import build_dataset

SEEDS = PROJECT_ROOT / "seeds"
DERIVED = [
    "actors",
    "actor_aliases",
    "actor_mentions",
    "actor_roles",
    "events",
    "event_actors",
    "event_attributions",
    "claims",
    "claim_about",
    "claim_contradictions",
    "conflicts",
    "conflict_values",
    "merge_decisions",
]
CLEAR = "DELETE FROM merge_decisions; DELETE FROM conflicts; DELETE FROM claims; DELETE FROM events; DELETE FROM actors"


async def snapshot(conn: asyncpg.Connection, tables: list[str]) -> dict[str, list[str]]:
    out = {}
    for table in tables:
        # (documents and CSV rows embed updated_at; they are compared with a fresh rendering instead, see ingest_one_by_one)
        rows = await conn.fetch(
            f"SELECT to_jsonb(t) - 'updated_at' - 'ingested_at' - 'created_at' - 'document' - 'csv_row' AS r "
            f"FROM {table} t"
        )
        out[table] = sorted(json.dumps(r["r"], sort_keys=True, ensure_ascii=False) for r in rows)
    return out


async def from_scratch(conn: asyncpg.Connection) -> dict[str, list[str]]:
    """The derived rows a full write of the stored corpus gives (in a savepoint that is undone)."""
    docs = await corpus.load_documents(conn)
    rows = dataset_rows(build_dataset(docs), docs)
    tx = conn.transaction()
    await tx.start()
    try:
        await conn.execute(CLEAR)
        await write_dataset(conn, rows)
        return await snapshot(conn, DERIVED)
    finally:
        await tx.rollback()


async def empty(conn: asyncpg.Connection) -> None:
    await conn.execute(CLEAR + "; DELETE FROM sources")


def seed_paragraph_articles(count: int, seed: int) -> list[tuple[str, SourceMeta]]:
    paras = [
        p
        for t in sorted(SEEDS.glob("*.txt"))
        for p in t.read_text(encoding="utf-8").split("\n")
        if len(p) > 80
    ]
    rnd = random.Random(seed)
    return [
        ("\n".join(rnd.sample(paras, 4)) + f"\nرقم {seed}-{i}", SourceMeta(external_id=f"p{seed}-{i}"))
        for i in range(count)
    ]


async def ingest_one_by_one(conn: asyncpg.Connection, items: list[tuple[str, SourceMeta]]) -> None:
    for text, meta in items:
        version = await conn.fetchval("SELECT version FROM dataset_state")
        before = {r["id"] for r in await conn.fetch("SELECT id FROM events UNION ALL SELECT id FROM actors")}
        report = await ingest(conn, [(text, meta)])
        assert report.results[0].created
        assert await snapshot(conn, DERIVED) == await from_scratch(conn)
        assert await documents.stale(conn) == []  # every event's stored JSON is what reads would assemble
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


async def test_seeds_one_at_a_time_match_a_full_write(conn: asyncpg.Connection) -> None:
    articles = [(a.text, a.meta) for a in read_articles([SEEDS])]
    await empty(conn)
    await ingest_one_by_one(conn, articles[::-1])


async def test_seed_paragraph_articles_one_at_a_time_match_a_full_write(conn: asyncpg.Connection) -> None:
    await ingest_one_by_one(conn, seed_paragraph_articles(6, seed=7))


async def test_reingesting_changes_nothing_and_keeps_the_version(conn: asyncpg.Connection) -> None:
    before = await snapshot(conn, ["sources", *DERIVED])
    version = await conn.fetchval("SELECT version FROM dataset_state")
    docs = await corpus.load_documents(conn)
    report = await write_dataset(conn, dataset_rows(build_dataset(docs), docs), fresh_sources=set())
    assert not report.any_change
    assert await snapshot(conn, ["sources", *DERIVED]) == before
    assert await conn.fetchval("SELECT version FROM dataset_state") == version


async def test_cached_documents_follow_a_rewritten_extraction(conn: asyncpg.Connection) -> None:
    first = {d.sha256: d for d in await corpus.load_documents(conn)}
    sha = sorted(first)[0]
    await conn.execute(
        "UPDATE sources SET extraction = jsonb_set(extraction, '{title}', '\"changed\"') WHERE sha256 = $1",
        sha,
    )
    again = {d.sha256: d for d in await corpus.load_documents(conn)}
    assert again[sha].title == "changed"
    assert all(again[s] is first[s] for s in first if s != sha)
