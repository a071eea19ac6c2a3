"""Migrations run up, down and up again on a real database."""

import asyncpg
from alembic.script import ScriptDirectory

from service.db import merge_state, migrate
from service.db.merge_state import unit_keys

TABLES = """SELECT array_agg(tablename::text ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'
            AND tablename <> 'alembic_version'"""
EXPECTED = {
    "sources",
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
    "deleted",
    "api_keys",
    "dataset_state",
    "merge_groups",
    "merge_members",
    "merge_actor_links",
    "merge_actors",
    "merge_units",
    "merge_unit_links",
    "merge_undated",
    "merge_claim_pairs",
    "merge_stale_summaries",
    "merge_group_keys",
    "merge_unit_keys",
    "merge_undated_keys",
    "ingest_jobs",
    "ingest_job_items",
    "event_csv",
    "pgqueuer",
    "pgqueuer_log",
    "pgqueuer_schedules",
    "pgqueuer_statistics",
    "stats_event_facts",
    "stats_rollup",
    "stats_ranges",
}


async def test_upgrade_downgrade_upgrade(fresh_database: tuple[str, str]) -> None:
    _, dsn = fresh_database
    conn = await asyncpg.connect(dsn)
    try:
        await migrate.upgrade(dsn)
        assert set(await conn.fetchval(TABLES)) == EXPECTED
        await migrate.downgrade(dsn, "base")
        assert await conn.fetchval(TABLES) is None
        await migrate.upgrade(dsn)
        assert set(await conn.fetchval(TABLES)) == EXPECTED
        head = ScriptDirectory.from_config(migrate.alembic_config(dsn)).get_current_head()
        assert await conn.fetchval("SELECT version_num FROM alembic_version") == head
        previous = ScriptDirectory.from_config(migrate.alembic_config(dsn)).get_revision(head).down_revision
        await migrate.downgrade(dsn, previous)  # the newest revision steps down and up on its own
        assert await conn.fetchval("SELECT version_num FROM alembic_version") == previous
        await migrate.upgrade(dsn)
        assert await conn.fetchval("SELECT version_num FROM alembic_version") == head
    finally:
        await conn.close()


async def test_filter_columns_are_indexed(conn: asyncpg.Connection) -> None:
    indexed = {
        (r["tablename"], r["indexdef"].split("(", 1)[1].split(")")[0])
        for r in await conn.fetch("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'")
    }
    for table, leading in [
        ("events", "date_start"),
        ("events", "plover_type"),
        ("events", "status"),
        ("event_actors", "actor_id"),
        ("event_attributions", "source_id"),
        ("claims", "stance"),
        ("claims", "speaker_actor_id"),
        ("actor_aliases", "match_key"),
    ]:
        assert any(t == table and cols.startswith(leading) for t, cols in indexed), (table, leading)


async def test_0009_moves_the_csv_records_out_of_events_with_their_cells(
    fresh_database: tuple[str, str],
) -> None:
    """The upgrade to 0009 copies each events.csv_row (in committed batches) to event_csv, where the
    database finds its cells; the downgrade puts them back."""
    _, dsn = fresh_database
    conn = await asyncpg.connect(dsn)
    record = 'evt_b,CONSULT,"قال ""نعم"", ثم",,"a\r\nb",0.5\r\n'.encode()
    try:
        await migrate.downgrade(dsn, "base")  # (the database may come migrated to head)
        await migrate.upgrade(dsn, "0008")
        for event_id, row in (("evt_a", None), ("evt_b", record)):
            await conn.execute(
                "INSERT INTO events (id, plover_type, status, confidence, csv_row) VALUES ($1, 'CONSULT', 'occurred', 0.5, $2)",
                event_id,
                row,
            )
        await migrate.upgrade(dsn)
        assert [tuple(r) for r in await conn.fetch("SELECT event_id, record, cuts FROM event_csv")] == [
            ("evt_b", record, [5, 13, 39, 40, 47, 51])  # bytes: each Arabic letter is two
        ]
        await migrate.downgrade(dsn, "0008")
        assert await conn.fetchval("SELECT csv_row FROM events WHERE id = 'evt_b'") == record
    finally:
        await conn.close()


async def test_0015_stores_the_report_keys_as_the_integers_the_merge_writes(
    conn: asyncpg.Connection, fresh_database: tuple[str, str]
) -> None:
    """The upgrade to 0015 turns the key texts 0014 stored (``merge_state.unit_keys`` of each report)
    into exactly the rows and per-report arrays the merge writes at head; the downgrade empties the
    merge state, which the older code then rebuilds."""
    units = await conn.fetch("SELECT sha, idx, event_id, unit, keys FROM merge_units ORDER BY sha, idx")
    expected = sorted(tuple(r) for r in await conn.fetch("SELECT key, s, idx FROM merge_unit_keys"))
    assert units and expected
    texts = sorted(
        {(k, r["sha"], r["idx"]) for r in units for k in unit_keys(merge_state._unit.decode(r["unit"]))}
    )
    _, dsn = fresh_database
    other = await asyncpg.connect(dsn)
    try:
        await migrate.downgrade(dsn, "base")  # (the database may come migrated)
        await migrate.upgrade(dsn, "0014")
        await other.copy_records_to_table(
            "merge_units",
            records=[(r["sha"], r["idx"], r["event_id"], r["unit"]) for r in units],
            columns=["sha", "idx", "event_id", "unit"],
        )
        await other.copy_records_to_table("merge_unit_keys", records=texts, columns=["key", "sha", "idx"])
        await migrate.upgrade(dsn)
        assert (
            sorted(tuple(r) for r in await other.fetch("SELECT key, s, idx FROM merge_unit_keys")) == expected
        )
        stored = await other.fetch("SELECT keys FROM merge_units ORDER BY sha, idx")
        assert [r["keys"] for r in stored] == [r["keys"] for r in units]
        await migrate.downgrade(dsn, "0014")
        assert await other.fetchval("SELECT count(*) FROM merge_units") == 0
        assert await other.fetchval("SELECT count(*) FROM merge_actors") == 0  # rebuild_state's sign
    finally:
        await other.close()
