"""The seed loader: the pipeline's output lands in one transaction and re-loading changes nothing."""

import hashlib
import json

import asyncpg
import msgspec

from service.articles import read_articles
from service.config import PROJECT_ROOT
from service.db.rows import TABLES, dataset_rows
from service.ingest import ingest_articles
from service.merge import extract

SEEDS = PROJECT_ROOT / "seeds"
SHARED_SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"

SNAPSHOT_TABLES = [t.name for t in TABLES]


async def snapshot(conn: asyncpg.Connection) -> dict[str, list[str]]:
    out = {}
    for table in SNAPSHOT_TABLES:
        rows = await conn.fetch(
            f"SELECT to_jsonb(t) - 'updated_at' - 'ingested_at' - 'created_at' AS r FROM {table} t"
        )
        out[table] = sorted(json.dumps(r["r"], sort_keys=True, ensure_ascii=False) for r in rows)
    return out


def test_seed_files_match_the_manifest_checksums() -> None:
    manifest = json.loads((SEEDS / "manifest.json").read_text())
    assert len(manifest) == 5
    for entry in manifest:
        assert hashlib.sha256((SEEDS / entry["file"]).read_bytes()).hexdigest() == entry["sha256"]
        shared = SHARED_SEEDS / entry["file"]
        if shared.exists():  # beside a checkout of the project: byte for byte the given seeds
            assert shared.read_bytes() == (SEEDS / entry["file"]).read_bytes()


async def test_seeds_are_loaded_once(conn: asyncpg.Connection) -> None:
    assert await conn.fetchval("SELECT count(*) FROM sources") == 5
    ids = {r["external_id"] for r in await conn.fetch("SELECT external_id FROM sources")}
    assert ids == {p.name for p in SEEDS.glob("*.txt")}


async def test_reloading_seeds_leaves_the_same_rows_and_ids(conn: asyncpg.Connection) -> None:
    before = await snapshot(conn)
    version_before = await conn.fetchval("SELECT version FROM dataset_state")
    report = await ingest_articles(conn, read_articles([SEEDS]))
    assert all(not r.created for r in report.results)
    assert await snapshot(conn) == before
    assert await conn.fetchval("SELECT version FROM dataset_state") == version_before


async def test_loader_and_extract_cli_agree(conn: asyncpg.Connection) -> None:
    articles = read_articles([SEEDS])
    docs_dataset = extract([(a.text, a.meta) for a in articles])
    for table, ids in [
        ("sources", [r.source.id for r in docs_dataset.sources]),
        ("actors", [a.id for a in docs_dataset.actors]),
        ("events", [e.id for e in docs_dataset.events]),
        ("claims", [c.id for c in docs_dataset.claims]),
        ("conflicts", [c.id for c in docs_dataset.conflicts]),
    ]:
        stored = {r["id"] for r in await conn.fetch(f"SELECT id FROM {table}")}
        assert stored == set(ids), table


async def test_every_stored_span_slices_its_source_to_the_quote(conn: asyncpg.Connection) -> None:
    for table in ["actor_mentions", "actor_roles", "event_attributions", "claims", "conflict_values"]:
        bad = await conn.fetchval(f"""
            SELECT count(*) FROM {table} t JOIN sources s ON s.id = t.source_id
            WHERE substr(s.text, t.span_start + 1, t.span_end - t.span_start) <> t.quote""")
        assert bad == 0, table


async def test_rows_follow_the_dataset(conn: asyncpg.Connection) -> None:
    articles = read_articles([SEEDS])
    texts = [(a.text, a.meta) for a in articles]
    from service.extract.pipeline import extract_document

    docs = [extract_document(t, m) for t, m in texts]
    rows = dataset_rows(extract(texts), docs)
    assert await conn.fetchval("SELECT count(*) FROM events") == len(rows.events)
    assert await conn.fetchval("SELECT count(*) FROM event_attributions") == len(rows.attributions)
    stored = msgspec.json.decode(
        (await conn.fetchval("SELECT extraction::text FROM sources LIMIT 1")).encode()
    )
    assert "entities" in stored and stored["text"] == ""
