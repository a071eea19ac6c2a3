"""Incremental ingest gives the dataset a full build gives, ids included.

The same real articles are merged into empty databases in random orders and random batch splits,
one transaction per batch, as workers do; every derived table and the merge state must equal those
of a database that merged them all at once, which must equal the pure full build
(``merge.build_dataset``). Re-extraction is covered by replacing some articles' extractions with
reduced ones and back: each state must equal the full build of the extractions then current.

In ``make test`` this runs over the seeds, the golden article folders and articles made of seed
paragraphs (undated: publication-date inference and wildcard reports); with the shared corpus
present, a larger variant adds 200 SaudiNewsNet articles of one day.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import AsyncIterator
from datetime import date

import asyncpg
import msgspec
import pytest

from service.articles import read_articles
from service.config import PROJECT_ROOT
from service.corpora import CorpusMissing, saudinewsnet
from service.db import migrate
from service.db.corpus import WRITE_LOCK
from service.db.pool import init_connection
from service.db.rows import TABLES, dataset_rows
from service.extract.document import Document, SourceMeta
from service.extract.pipeline import extract_document
from service.ingest.merging import merge_into
from service.merge import build_dataset
from tests.conftest import create_database, drop_database

SEEDS = PROJECT_ROOT / "seeds"
GOLDEN = sorted(p for p in (PROJECT_ROOT / "tests" / "golden").iterdir() if p.is_dir())
DERIVED = [t.name for t in TABLES]
STATE = [
    "merge_groups",
    "merge_group_keys",
    "merge_unit_keys",
    "merge_undated_keys",
    "merge_members",
    "merge_actor_links",
    "merge_actors",
    "merge_units",
    "merge_unit_links",
    "merge_undated",
    "merge_claim_pairs",
]
PURE = {  # table -> the TableRows attribute the pure full build gives for it
    "actors": "actors",
    "actor_aliases": "aliases",
    "actor_mentions": "mentions",
    "actor_roles": "roles",
    "event_actors": "event_actors",
    "event_attributions": "attributions",
    "claim_about": "claim_about",
    "claim_contradictions": "contradictions",
    "conflict_values": "conflict_values",
}


async def snapshot(conn: asyncpg.Connection, tables: list[str]) -> dict[str, list[str]]:
    out = {}
    for table in tables:
        rows = await conn.fetch(
            f"SELECT to_jsonb(t) - 'updated_at' - 'ingested_at' - 'created_at' - 'document' - 'csv_row' AS r FROM {table} t"
        )
        out[table] = sorted(json.dumps(r["r"], sort_keys=True, ensure_ascii=False) for r in rows)
    return out


class Databases:
    """Empty migrated databases made on demand, dropped at the end."""

    def __init__(self) -> None:
        self.names: list[str] = []

    async def new(self) -> asyncpg.Connection:
        name = f"marsad_incr_{uuid.uuid4().hex[:8]}"
        self.names.append(name)
        dsn = await create_database(name)
        await migrate.upgrade(dsn)
        conn = await asyncpg.connect(dsn)
        await init_connection(conn)
        return conn


@pytest.fixture
async def databases() -> AsyncIterator[Databases]:
    made = Databases()
    yield made
    for name in made.names:
        await drop_database(name)


async def merge_batches(
    conn: asyncpg.Connection,
    docs: list[Document],
    sizes: list[int],
    replaced: dict[str, Document] | None = None,
) -> None:
    at = 0
    for size in sizes:
        batch = docs[at : at + size]
        at += size
        async with conn.transaction():
            await conn.execute(WRITE_LOCK)
            old = [replaced[d.sha256] for d in batch if replaced and d.sha256 in replaced]
            await merge_into(conn, batch, old)


def random_split(rnd: random.Random, n: int, sizes: tuple[int, ...]) -> list[int]:
    out, left = [], n
    while left:
        out.append(min(left, rnd.choice(sizes)))
        left -= out[-1]
    return out


def seed_paragraph_articles(count: int, seed: int) -> list[tuple[str, SourceMeta]]:
    """Articles of four seed paragraphs each: the same people and events recur, and none is dated."""
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


def reduced(doc: Document) -> Document:
    """Another extraction of the same text: half its events, no roles (what a new extractor
    version might find), so re-extraction removes reports, roles and conflicts."""
    events = doc.events[: len(doc.events) // 2]
    claims = [
        msgspec.structs.replace(c, event=c.event if c.event is not None and c.event < len(events) else None)
        for c in doc.claims
    ]
    entities = {k: msgspec.structs.replace(e, roles=[]) for k, e in doc.entities.items()}
    return msgspec.structs.replace(doc, events=events, claims=claims, entities=entities)


async def check_incremental(
    databases: Databases, docs: list[Document], splits: int, sizes: tuple[int, ...]
) -> None:
    reference = await databases.new()
    await merge_batches(reference, docs, [len(docs)])
    expected = await snapshot(reference, DERIVED + STATE)
    pure = dataset_rows(build_dataset(docs), docs)
    for table, attr in PURE.items():
        assert len(expected[table]) == len(getattr(pure, attr)), table
    assert sorted(json.loads(r)["id"] for r in expected["events"]) == sorted(r[0] for r in pure.events)
    assert sorted(json.loads(r)["content_hash"] for r in expected["events"]) == sorted(
        r[-1] for r in pure.events
    )
    assert sorted(json.loads(r)["content_hash"] for r in expected["claims"]) == sorted(
        r[-1] for r in pure.claims
    )
    assert sorted(json.loads(r)["content_hash"] for r in expected["actors"]) == sorted(
        r[-1] for r in pure.actors
    )
    await reference.close()
    for seed in range(splits):
        rnd = random.Random(seed)
        order = docs[:]
        rnd.shuffle(order)
        conn = await databases.new()
        await merge_batches(conn, order, random_split(rnd, len(order), sizes))
        got = await snapshot(conn, DERIVED + STATE)
        for table in DERIVED + STATE:
            assert got[table] == expected[table], f"{table} differs (seed {seed})"
        await conn.close()


def test_articles() -> list[Document]:
    articles = [(a.text, a.meta) for f in [SEEDS, *GOLDEN] for a in read_articles([f])]
    articles += seed_paragraph_articles(12, seed=7)
    return [extract_document(text, meta) for text, meta in articles]


test_articles.__test__ = False  # type: ignore[attr-defined]


async def test_random_orders_and_batches_give_the_full_build(databases: Databases) -> None:
    await check_incremental(databases, test_articles(), splits=2, sizes=(1, 1, 2, 3, 5))


async def test_re_extraction_leaves_what_a_full_build_of_the_new_extractions_gives(
    databases: Databases,
) -> None:
    docs = test_articles()
    rnd = random.Random(3)
    chosen = set(rnd.sample(range(len(docs)), 12))
    changed = [reduced(d) if i in chosen else d for i, d in enumerate(docs)]
    conn = await databases.new()
    await merge_batches(conn, docs, random_split(rnd, len(docs), (3, 5, 8)))
    replacements = [changed[i] for i in sorted(chosen)]
    originals = {docs[i].sha256: docs[i] for i in chosen}
    await merge_batches(conn, replacements, random_split(rnd, len(replacements), (1, 2, 4)), originals)
    reference = await databases.new()
    await merge_batches(reference, changed, [len(changed)])
    expected = await snapshot(reference, DERIVED + STATE)
    got = await snapshot(conn, DERIVED + STATE)
    for table in DERIVED + STATE:
        assert got[table] == expected[table], f"{table} differs after re-extraction"
    # ... and back to the original extractions.
    back = {d.sha256: d for d in replacements}
    await merge_batches(conn, [docs[i] for i in sorted(chosen)], [len(chosen)], back)
    reference = await databases.new()
    await merge_batches(reference, docs, [len(docs)])
    expected = await snapshot(reference, DERIVED + STATE)
    got = await snapshot(conn, DERIVED + STATE)
    for table in DERIVED + STATE:
        assert got[table] == expected[table], f"{table} differs after re-extracting back"


async def test_with_200_real_articles_of_one_day(databases: Databases) -> None:
    try:
        news = [a for a in saudinewsnet(["2015-07-21"]) if a.content.strip()][:200]
    except CorpusMissing as missing:
        pytest.skip(f"the larger variant needs the shared corpus: {missing}")
    articles = [(a.text, a.meta) for a in read_articles([SEEDS])]
    articles += [
        (
            a.content,
            SourceMeta(
                external_id=a.ref, outlet=a.outlet, published=date.fromisoformat(a.date_extracted[:10])
            ),
        )
        for a in news
    ]
    docs = [extract_document(text, meta) for text, meta in articles]
    await check_incremental(databases, docs, splits=3, sizes=(1, 2, 5, 10, 20))
