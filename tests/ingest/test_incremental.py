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
from collections.abc import AsyncIterator, Awaitable, Callable
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
from service.ingest import merging
from service.ingest.merging import merge_into, refresh_stale
from service.merge import build_dataset, layer_events
from service.merge.common import stable_id
from service.merge.rules import merge_rules
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
    exact_limit: int | None = None,
    on_batch: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Merge ``docs`` in batches of ``sizes``, one transaction each, then run the summary
    refreshes the merges queued (as a worker does after them)."""
    at = 0
    for size in sizes:
        batch = docs[at : at + size]
        at += size
        async with conn.transaction():
            await conn.execute(WRITE_LOCK)
            old = [replaced[d.sha256] for d in batch if replaced and d.sha256 in replaced]
            await merge_into(conn, batch, old, exact_limit=exact_limit)
        if on_batch:
            await on_batch()
    await refresh_stale(conn)
    assert await conn.fetchval("SELECT count(*) FROM merge_stale_summaries") == 0


async def full_build(databases: Databases, docs: list[Document]) -> asyncpg.Connection:
    """A new database holding ``docs`` merged in one batch: the reference an ingest must match."""
    reference = await databases.new()
    await merge_batches(reference, docs, [len(docs)])
    return reference


async def assert_full_build(
    databases: Databases, conn: asyncpg.Connection, docs: list[Document], when: str
) -> None:
    """``conn`` holds what a full build of ``docs`` holds, table by table."""
    expected = await snapshot(await full_build(databases, docs), DERIVED + STATE)
    got = await snapshot(conn, DERIVED + STATE)
    for table in DERIVED + STATE:
        assert got[table] == expected[table], f"{table} differs {when}"


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
    reference = await full_build(databases, docs)
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


async def test_summaries_refreshed_later_give_the_full_build(
    databases: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every actor whose description changes is left to a refresh job (as hubs are): once the
    refreshes have run, the dataset is the full build's."""
    monkeypatch.setattr(layer_events, "INLINE_EVENTS", 0)  # read where the events layer uses it
    docs = test_articles()
    conn = await databases.new()
    rnd = random.Random(11)
    order = docs[:]
    rnd.shuffle(order)
    queued = []

    async def count() -> None:
        queued.append(await conn.fetchval("SELECT count(*) FROM merge_stale_summaries"))

    await merge_batches(conn, order, random_split(rnd, len(order), (1, 2, 3)), on_batch=count)
    assert max(queued) > 0  # the refresh path was taken
    # Each refresh was queued ahead of ingest chunks (priority 0), so it never waits behind them.
    priorities = await conn.fetch(
        "SELECT DISTINCT priority FROM pgqueuer WHERE entrypoint = $1", merging.REFRESH_ENTRYPOINT
    )
    assert [r["priority"] for r in priorities] == [merging.REFRESH_PRIORITY]
    assert merging.REFRESH_PRIORITY > 0
    await assert_full_build(databases, conn, docs, "after the refreshes")


BOUNDED_AGREEMENT = 0.8
"""The least share of co-reported pairs (two reports in one event, in either dataset) on which an
ingest that never re-clusters beyond a merge's neighbourhood agrees with the full build
(docs/extraction.md, "Incremental merge")."""


async def membership(conn: asyncpg.Connection) -> dict[tuple[str, int], str]:
    return {(r[0], r[1]): r[2] for r in await conn.fetch("SELECT sha, idx, event_id FROM merge_units")}


def co_reported(events: dict[tuple[str, int], str]) -> set[tuple[tuple[str, int], tuple[str, int]]]:
    groups: dict[str, list[tuple[str, int]]] = {}
    for k, e in sorted(events.items()):
        groups.setdefault(e, []).append(k)
    return {(a, b) for g in groups.values() for i, a in enumerate(g) for b in g[i + 1 :]}


async def test_bounded_re_clustering_stays_within_its_documented_bound(databases: Databases) -> None:
    await check_bounded(databases, test_articles(), (1, 2, 3))


async def check_bounded(databases: Databases, docs: list[Document], sizes: tuple[int, ...]) -> None:
    """With no re-clustering beyond the neighbourhood (``exact_limit=0``, what a merge does when a
    component is large), random orders and batches still give sane, stable events close to the
    full build's: ids from their earliest report, reports of one event within the date
    tolerance, events and reports consistent, and every event id that went recorded in /v1/deleted."""
    by_sha = {d.sha256: d for d in docs}
    reference = await full_build(databases, docs)
    expected = co_reported(await membership(reference))
    tolerance = merge_rules().match.date_tolerance_days
    for seed in range(2):
        rnd = random.Random(100 + seed)
        order = docs[:]
        rnd.shuffle(order)
        conn = await databases.new()
        seen: set[str] = set()

        async def collect(conn: asyncpg.Connection = conn, seen: set[str] = seen) -> None:
            seen.update(r[0] for r in await conn.fetch("SELECT id FROM events"))

        await merge_batches(conn, order, random_split(rnd, len(order), sizes), None, 0, collect)
        units = await membership(conn)
        got = co_reported(units)
        either = expected | got
        agreement = len(expected & got) / len(either) if either else 1.0
        print(
            f"bounded re-clustering, order {seed}: {agreement:.3f} of {len(either)} co-reported pairs agree"
        )
        assert agreement >= BOUNDED_AGREEMENT, f"seed {seed}: {agreement:.3f} of co-reported pairs agree"
        events = {r[0] for r in await conn.fetch("SELECT id FROM events")}
        assert events == set(units.values())
        groups: dict[str, list[tuple[str, int]]] = {}
        for k, e in units.items():
            groups.setdefault(e, []).append(k)
        for event_id, group in groups.items():
            sha, start = min((k[0], by_sha[k[0]].events[k[1]].start) for k in group)
            assert event_id == stable_id("evt", sha, str(start))
            days = []
            for k in group:
                doc = by_sha[k[0]]
                m = doc.events[k[1]]
                if m.date is not None and doc.dates[m.date].precision == "day":
                    days.append(doc.dates[m.date].start_date)
            days = [d for d in days if d is not None]
            assert not days or (max(days) - min(days)).days <= tolerance, event_id
        deleted = {r[0] for r in await conn.fetch("SELECT id FROM deleted WHERE kind = 'event'")}
        assert seen - events <= deleted
        await conn.close()


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
    await assert_full_build(databases, conn, changed, "after re-extraction")
    # ... and back to the original extractions.
    back = {d.sha256: d for d in replacements}
    await merge_batches(conn, [docs[i] for i in sorted(chosen)], [len(chosen)], back)
    await assert_full_build(databases, conn, docs, "after re-extracting back")


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
    await check_bounded(databases, docs, (1, 2, 5, 10))
