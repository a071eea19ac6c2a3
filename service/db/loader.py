"""Write what one merge changed (``merge.engine.Delta``) into the derived tables, in the caller's
transaction.

Parents (sources, actors, events, claims, conflicts) are upserted and only touched when their
content hash changed, so ``updated_at`` drives the change feed; a parent's hash covers its children
(aliases; event actors and attributions; claim subjects and contradictions; conflict values),
which are replaced only for parents that changed. Mentions and roles belong to a source and are
replaced for the sources the merge recomputed. Ids the merge says are gone are deleted (children
by cascade) and recorded in ``deleted`` with the id they were merged into, when there is one.
Changed events get their rendered document (service/db/renderings.py). So a write is proportional
to what the merge changed, never to the size of the dataset.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from service.db import renderings
from service.db import rows as R
from service.merge.engine import Delta

BUMP_VERSION = "UPDATE dataset_state SET version = version + 1, changed_at = now()"
# The rollups of the events a write touches are refreshed once, at its end (migration 0011), not
# by every statement that rewrites a part of them.
DEFER_STATS = (
    "CREATE TEMP TABLE IF NOT EXISTS _stats_pending (id text); TRUNCATE _stats_pending; "
    "SET LOCAL marsad.stats_deferred = on"
)
FLUSH_STATS = "SET LOCAL marsad.stats_deferred = off; SELECT stats_flush()"

STAGE_DDL = {t.name: t.stage_ddl for t in R.PARENTS}
STAGE_EXTRACTIONS = (
    "CREATE TEMP TABLE IF NOT EXISTS _stage_extractions (sha256 text PRIMARY KEY, extraction json); "
    "TRUNCATE _stage_extractions"
)
KEEP_EXTRACTIONS = "DELETE FROM _stage_extractions WHERE sha256 <> ALL($1::text[])"
DROP_EXTRACTIONS = "DELETE FROM _stage_extractions WHERE sha256 = ANY($1::text[])"
# Sources take their new extraction from _stage_extractions (``stage_extractions``), not from the
# staged source rows.
_SELECT_STAGED_SOURCES = f"SELECT {', '.join(R.SOURCES.names)} FROM _stage_sources"
assert _SELECT_STAGED_SOURCES in R.SOURCES.upsert
UPSERT_SOURCES = (
    R.SOURCES.upsert.replace(
        _SELECT_STAGED_SOURCES,
        _SELECT_STAGED_SOURCES.replace(" extraction,", " x.extraction,")
        + " LEFT JOIN _stage_extractions x USING (sha256)",
    )
    .replace(
        "extraction = EXCLUDED.extraction", "extraction = coalesce(EXCLUDED.extraction, sources.extraction)"
    )
    .replace(
        "OR sources.extraction::text IS DISTINCT FROM EXCLUDED.extraction::text",
        "OR (EXCLUDED.extraction IS NOT NULL AND sources.extraction::text IS DISTINCT FROM EXCLUDED.extraction::text)",
    )
)
assert "EXCLUDED.extraction IS NOT NULL AND" in UPSERT_SOURCES
UPSERT_ACTORS = R.ACTORS.upsert
UPSERT_EVENTS = R.EVENTS.upsert
UPSERT_CLAIMS = R.CLAIMS.upsert
UPSERT_CONFLICTS = R.CONFLICTS.upsert
UPSERTS = {
    "sources": UPSERT_SOURCES,
    "actors": UPSERT_ACTORS,
    "events": UPSERT_EVENTS,
    "claims": UPSERT_CLAIMS,
    "conflicts": UPSERT_CONFLICTS,
}


class ChildTable(msgspec.Struct, frozen=True):
    """Rows owned by one parent resource, rewritten only for parents whose content hash changed."""

    table: R.Table
    attr: str
    parent: str
    parent_column: str

    @property
    def delete_sql(self) -> str:
        return f"DELETE FROM {self.table.name} WHERE {self.parent_column} = ANY($1::text[])"


CHILD_TABLES = (
    ChildTable(R.ALIASES, "aliases", "actors", "actor_id"),
    ChildTable(R.EVENT_ACTORS, "event_actors", "events", "event_id"),
    ChildTable(R.ATTRIBUTIONS, "attributions", "events", "event_id"),
    ChildTable(R.CLAIM_ABOUT, "claim_about", "claims", "claim_id"),
    ChildTable(R.CONTRADICTIONS, "contradictions", "claims", "claim_id"),
    ChildTable(R.CONFLICT_VALUES, "conflict_values", "conflicts", "conflict_id"),
)

SELECT_MENTIONS = """
SELECT actor_id, source_id, span_start, span_end, quote, method FROM actor_mentions WHERE source_id = ANY($1::text[])
"""
DELETE_MENTIONS = """
DELETE FROM actor_mentions m
USING unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS d(actor_id, source_id, span_start, span_end)
WHERE m.actor_id = d.actor_id AND m.source_id = d.source_id AND m.span_start = d.span_start
  AND m.span_end = d.span_end
"""
SELECT_ROLES = """
SELECT id, actor_id, role, rank, source_id, span_start, span_end, quote FROM actor_roles
WHERE source_id = ANY($1::text[])
"""
DELETE_ROLES = "DELETE FROM actor_roles WHERE id = ANY($1::text[])"
DELETE_DECISIONS = "DELETE FROM merge_decisions WHERE id = ANY($1::text[])"
STAGE_MERGES = f"CREATE TEMP TABLE IF NOT EXISTS _stage_merges ({R.MERGES.stage_ddl}); TRUNCATE _stage_merges"
UPSERT_MERGES = """
INSERT INTO merge_decisions (id, kind, target_id, member, rule, evidence)
SELECT id, kind, target_id, member, rule, evidence FROM _stage_merges
ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, target_id = EXCLUDED.target_id, member = EXCLUDED.member,
    rule = EXCLUDED.rule, evidence = EXCLUDED.evidence
WHERE (merge_decisions.kind, merge_decisions.target_id, merge_decisions.member, merge_decisions.rule,
       merge_decisions.evidence) IS DISTINCT FROM
      (EXCLUDED.kind, EXCLUDED.target_id, EXCLUDED.member, EXCLUDED.rule, EXCLUDED.evidence)
RETURNING id
"""
DELETE_GONE = {
    "conflict": "DELETE FROM conflicts WHERE id = ANY($1::text[]) RETURNING id",
    "claim": "DELETE FROM claims WHERE id = ANY($1::text[]) RETURNING id",
    "event": "DELETE FROM events WHERE id = ANY($1::text[]) RETURNING id",
    "actor": "DELETE FROM actors WHERE id = ANY($1::text[]) RETURNING id",
}
RECORD_DELETED = (
    "INSERT INTO deleted (id, kind, merged_into) SELECT unnest($1::text[]), $2, unnest($3::text[])"
)


ORPHAN_EVENTS = """
SELECT e.id FROM events e WHERE NOT EXISTS (SELECT 1 FROM merge_units u WHERE u.event_id = e.id) ORDER BY e.id
"""
ORPHAN_ACTORS = """
SELECT a.id FROM actors a WHERE NOT EXISTS (SELECT 1 FROM merge_actors m WHERE m.actor_id = a.id) ORDER BY a.id
"""
# Where did the attributions/mentions of an orphan go? (The same span, now in a live event/actor.)
EVENTS_MERGED_INTO = """
SELECT DISTINCT ON (old.event_id) old.event_id AS id, new.event_id AS merged_into
FROM event_attributions old
JOIN event_attributions new ON new.source_id = old.source_id AND new.span_start = old.span_start
WHERE old.event_id = ANY($1::text[]) AND new.event_id <> ALL($1::text[])
ORDER BY old.event_id, new.event_id
"""
ACTORS_MERGED_INTO = """
SELECT DISTINCT ON (old.actor_id) old.actor_id AS id, new.actor_id AS merged_into
FROM actor_mentions old
JOIN actor_mentions new ON new.source_id = old.source_id AND new.span_start = old.span_start
WHERE old.actor_id = ANY($1::text[]) AND new.actor_id <> ALL($1::text[])
ORDER BY old.actor_id, new.actor_id
"""


class LoadReport(msgspec.Struct):
    changed: dict[str, int]
    deleted: dict[str, int]

    @property
    def any_change(self) -> bool:
        return any(self.changed.values()) or any(self.deleted.values())


async def _stage(conn: asyncpg.Connection, table: R.Table, records: list[tuple[Any, ...]]) -> None:
    await conn.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS _stage_{table.name} ({table.stage_ddl}); TRUNCATE _stage_{table.name}"
    )
    if records:
        await conn.copy_records_to_table(f"_stage_{table.name}", records=records, columns=list(table.names))


async def _replace_per_source(conn: asyncpg.Connection, docs: list[str], rows: R.TableRows) -> int:
    """Make the mentions and roles of these sources equal to ``rows``, touching only rows that differ."""
    stored = {tuple(r) for r in await conn.fetch(SELECT_MENTIONS, docs)}
    wanted = set(rows.mentions)
    stale, added = sorted(stored - wanted), sorted(wanted - stored)
    if stale:
        await conn.execute(DELETE_MENTIONS, *([r[i] for r in stale] for i in range(4)))
    if added:
        await conn.copy_records_to_table("actor_mentions", records=added, columns=list(R.MENTION_COLUMNS))
    stored_roles = {tuple(r) for r in await conn.fetch(SELECT_ROLES, docs)}
    wanted_roles = set(rows.roles)
    stale_roles, added_roles = sorted(stored_roles - wanted_roles), sorted(wanted_roles - stored_roles)
    if stale_roles:
        await conn.execute(DELETE_ROLES, [r[0] for r in stale_roles])
    if added_roles:
        await conn.copy_records_to_table("actor_roles", records=added_roles, columns=list(R.ROLE_COLUMNS))
    return len(stale) + len(added) + len(stale_roles) + len(added_roles)


STORED_HASHES = {
    table: f"SELECT id, content_hash FROM {table} WHERE id = ANY($1::text[])"
    for table in ("actors", "events", "claims", "conflicts")
}


async def _changed(conn: asyncpg.Connection, table: str, resources: list[Any]) -> list[Any]:
    """The resources whose content hash differs from the stored row's (or that are new): a merge
    re-emits whole components, most of whose resources are unchanged."""
    if not resources:
        return []
    hashes = {r.id: R.content_hash(r) for r in resources}
    stored = {row["id"]: row["content_hash"] for row in await conn.fetch(STORED_HASHES[table], list(hashes))}
    return [r for r in resources if stored.get(r.id) != hashes[r.id]]


async def stage_extractions(conn: asyncpg.Connection, extraction: dict[str, str]) -> None:
    """Stage the stored extractions of new or re-extracted documents (by sha256) for the next
    ``write_delta`` on this connection. An extraction is some 70 kB of JSON, 16 times its text;
    checking and compressing it costs Postgres about 1 ms an article (2 ms as ``jsonb`` before
    migration 0015), so a worker stages them before it takes the write lock, and the write under it
    copies the compressed values."""
    await conn.execute(STAGE_EXTRACTIONS)
    if extraction:
        await conn.copy_records_to_table(
            "_stage_extractions", records=sorted(extraction.items()), columns=["sha256", "extraction"]
        )


async def keep_extractions(conn: asyncpg.Connection, shas: list[str]) -> None:
    """Leave staged only the extractions of these documents (those the merge adds after all)."""
    await conn.execute(KEEP_EXTRACTIONS, shas)


async def add_extractions(conn: asyncpg.Connection, extraction: dict[str, str]) -> None:
    """Stage more extractions beside those staged already (replacing any of the same sha256)."""
    if extraction:
        await drop_extractions(conn, sorted(extraction))
        await conn.copy_records_to_table(
            "_stage_extractions", records=sorted(extraction.items()), columns=["sha256", "extraction"]
        )


async def drop_extractions(conn: asyncpg.Connection, shas: list[str]) -> None:
    """Unstage the extractions of these documents (written already, or not added after all), leaving
    the others staged for a later merge on this connection (a bulk chunk's next sub-chunk)."""
    if shas:
        await conn.execute(DROP_EXTRACTIONS, shas)


async def write_delta(
    conn: asyncpg.Connection, delta: Delta, extraction: dict[str, str] | None
) -> LoadReport:
    """Write a merge's changes. ``extraction``: the stored extraction of each new or re-extracted
    document (by sha256), or None when they are staged already (``stage_extractions``); other
    sources keep theirs."""
    if extraction is not None:
        await stage_extractions(conn, extraction)
    await conn.execute(DEFER_STATS)
    rows = R.table_rows(
        delta.sources,
        {},
        await _changed(conn, "actors", delta.actors),
        delta.mentions,
        delta.roles,
        await _changed(conn, "events", delta.events),
        await _changed(conn, "claims", delta.claims),
        await _changed(conn, "conflicts", delta.conflicts),
        delta.decisions,
    )
    changed: dict[str, int] = {}
    ids: dict[str, set[str]] = {}
    for table in R.PARENTS:
        records = getattr(rows, table.name)
        if not records:
            changed[table.name], ids[table.name] = 0, set()
            continue
        await _stage(conn, table, records)
        found = {r["id"] for r in await conn.fetch(UPSERTS[table.name])}
        changed[table.name], ids[table.name] = len(found), found
    child_changes = 0
    for child in CHILD_TABLES:
        parents = ids[child.parent]
        if not parents:
            continue
        child_changes += int((await conn.execute(child.delete_sql, sorted(parents))).split()[-1])
        at = child.table.names.index(child.parent_column)
        records = [r for r in getattr(rows, child.attr) if r[at] in parents]
        if records:
            await conn.copy_records_to_table(
                child.table.name, records=records, columns=list(child.table.names)
            )
            child_changes += len(records)
    await renderings.render(conn, ids["events"])

    if delta.docs:
        child_changes += await _replace_per_source(conn, delta.docs, rows)
    if delta.gone_decisions:
        child_changes += int((await conn.execute(DELETE_DECISIONS, delta.gone_decisions)).split()[-1])
    if rows.merges:
        await conn.execute(STAGE_MERGES)
        await conn.copy_records_to_table("_stage_merges", records=rows.merges, columns=list(R.MERGE_COLUMNS))
        child_changes += len(await conn.fetch(UPSERT_MERGES))

    deleted: dict[str, int] = {}
    for kind, gone in (
        ("conflict", {i: None for i in delta.gone_conflicts}),
        ("claim", {i: None for i in delta.gone_claims}),
        ("event", delta.gone_events),
        ("actor", delta.gone_actors),
    ):
        found_ids = [r["id"] for r in await conn.fetch(DELETE_GONE[kind], sorted(gone))] if gone else []
        deleted[kind] = len(found_ids)
        if found_ids:
            await conn.execute(RECORD_DELETED, found_ids, kind, [gone.get(i) for i in found_ids])
    await conn.execute(FLUSH_STATS)
    report = LoadReport(changed=changed, deleted=deleted)
    if report.any_change or child_changes:
        await conn.execute(BUMP_VERSION)
    return report


async def sweep_orphans(conn: asyncpg.Connection) -> dict[str, int]:
    """Delete events and actors the merge state does not know (rows an older version left behind),
    recording where their attributions or mentions went. Run after a full re-extraction."""
    deleted: dict[str, int] = {}
    for kind, orphans_sql, merged_sql in (
        ("event", ORPHAN_EVENTS, EVENTS_MERGED_INTO),
        ("actor", ORPHAN_ACTORS, ACTORS_MERGED_INTO),
    ):
        orphans = [r["id"] for r in await conn.fetch(orphans_sql)]
        deleted[kind] = len(orphans)
        if not orphans:
            continue
        merged = {r["id"]: r["merged_into"] for r in await conn.fetch(merged_sql, orphans)}
        await conn.fetch(DELETE_GONE[kind], orphans)
        await conn.execute(RECORD_DELETED, orphans, kind, [merged.get(i) for i in orphans])
    if any(deleted.values()):
        await conn.execute(BUMP_VERSION)
    return deleted
