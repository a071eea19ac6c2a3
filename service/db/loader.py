"""Write a merged Dataset into Postgres in one transaction, idempotently.

Parents (sources, actors, events, claims, conflicts) are upserted and only touched when their
content hash changed, so ``updated_at`` drives the change feed. A parent's hash covers its
children (aliases, roles, event actors, attributions, ...), which are therefore replaced only
for parents that are new or changed; mentions and merge decisions are compared row by row. Ids
that disappear are recorded in ``deleted`` with the id they were merged into, when there is one.
An ingest thus writes in proportion to what it changes, not to the size of the corpus. Changed
events get their rendered document (service/db/documents.py) in the same transaction.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from service.db import documents
from service.db import rows as R
from service.db.corpus import WRITE_LOCK

BUMP_VERSION = "UPDATE dataset_state SET version = version + 1, changed_at = now()"

STAGE_TABLES = {
    "sources": R.SOURCE_COLUMNS,
    "actors": R.ACTOR_COLUMNS,
    "events": R.EVENT_COLUMNS,
    "claims": R.CLAIM_COLUMNS,
    "conflicts": R.CONFLICT_COLUMNS,
}
STAGE_DDL = {
    "sources": "id text, external_id text, outlet text, author text, url text, title text, language text, "
    "published_on date, published_precision text, published_basis text, published_reason text, "
    "sha256 text, text text, extraction jsonb, extractor_version text, content_hash text",
    "actors": "id text, kind text, name_ar text, name_en text, country_id text, lat float8, lon float8, "
    "wikidata text, confidence real, content_hash text",
    "events": "id text, plover_type text, plover_mode text, cameo text, status text, date_start date, "
    "date_end date, date_precision text, date_basis text, date_reason text, location_actor_id text, "
    "summary_en text, summary_ar text, confidence real, source_count int, has_conflict bool, "
    "search_ar text, content_hash text",
    "claims": "id text, source_id text, span_start int, span_end int, quote text, speaker_actor_id text, "
    "via_actor_id text, channel text, stance text, said_on date, event_id text, confidence real, "
    "search_ar text, content_hash text",
    "conflicts": "id text, kind text, subject_actor_id text, subject_event_id text, field text, content_hash text",
}

UPSERT_SOURCES = """
INSERT INTO sources (id, external_id, outlet, author, url, title, language, published_on, published_precision,
                     published_basis, published_reason, sha256, text, extraction, extractor_version, content_hash)
SELECT id, external_id, outlet, author, url, title, language, published_on, published_precision,
       published_basis, published_reason, sha256, text, extraction, extractor_version, content_hash
FROM _stage_sources
ON CONFLICT (id) DO UPDATE SET
    external_id = EXCLUDED.external_id, outlet = EXCLUDED.outlet, author = EXCLUDED.author, url = EXCLUDED.url,
    title = EXCLUDED.title, language = EXCLUDED.language, published_on = EXCLUDED.published_on,
    published_precision = EXCLUDED.published_precision, published_basis = EXCLUDED.published_basis,
    published_reason = EXCLUDED.published_reason, extraction = EXCLUDED.extraction,
    extractor_version = EXCLUDED.extractor_version, content_hash = EXCLUDED.content_hash, updated_at = now()
WHERE sources.content_hash IS DISTINCT FROM EXCLUDED.content_hash
   OR sources.extraction IS DISTINCT FROM EXCLUDED.extraction
RETURNING id
"""

UPSERT_ACTORS = """
INSERT INTO actors (id, kind, name_ar, name_en, country_id, lat, lon, wikidata, confidence, content_hash)
SELECT id, kind, name_ar, name_en, country_id, lat, lon, wikidata, confidence, content_hash FROM _stage_actors
ON CONFLICT (id) DO UPDATE SET
    kind = EXCLUDED.kind, name_ar = EXCLUDED.name_ar, name_en = EXCLUDED.name_en, country_id = EXCLUDED.country_id,
    lat = EXCLUDED.lat, lon = EXCLUDED.lon, wikidata = EXCLUDED.wikidata, confidence = EXCLUDED.confidence,
    content_hash = EXCLUDED.content_hash, updated_at = now()
WHERE actors.content_hash IS DISTINCT FROM EXCLUDED.content_hash
RETURNING id
"""

UPSERT_EVENTS = """
INSERT INTO events (id, plover_type, plover_mode, cameo, status, date_start, date_end, date_precision, date_basis,
                    date_reason, location_actor_id, summary_en, summary_ar, confidence, source_count, has_conflict,
                    search, content_hash)
SELECT id, plover_type, plover_mode, cameo, status, date_start, date_end, date_precision, date_basis, date_reason,
       location_actor_id, summary_en, summary_ar, confidence, source_count, has_conflict,
       setweight(to_tsvector('english', coalesce(summary_en, '')), 'A')
           || to_tsvector('arabic', coalesce(search_ar, '')),
       content_hash
FROM _stage_events
ON CONFLICT (id) DO UPDATE SET
    plover_type = EXCLUDED.plover_type, plover_mode = EXCLUDED.plover_mode, cameo = EXCLUDED.cameo,
    status = EXCLUDED.status, date_start = EXCLUDED.date_start, date_end = EXCLUDED.date_end,
    date_precision = EXCLUDED.date_precision, date_basis = EXCLUDED.date_basis, date_reason = EXCLUDED.date_reason,
    location_actor_id = EXCLUDED.location_actor_id, summary_en = EXCLUDED.summary_en,
    summary_ar = EXCLUDED.summary_ar, confidence = EXCLUDED.confidence, source_count = EXCLUDED.source_count,
    has_conflict = EXCLUDED.has_conflict, search = EXCLUDED.search, content_hash = EXCLUDED.content_hash,
    updated_at = now()
WHERE events.content_hash IS DISTINCT FROM EXCLUDED.content_hash
RETURNING id
"""

UPSERT_CLAIMS = """
INSERT INTO claims (id, source_id, span_start, span_end, quote, speaker_actor_id, via_actor_id, channel, stance,
                    said_on, event_id, confidence, search, content_hash)
SELECT id, source_id, span_start, span_end, quote, speaker_actor_id, via_actor_id, channel, stance, said_on,
       event_id, confidence, to_tsvector('arabic', coalesce(search_ar, '')), content_hash
FROM _stage_claims
ON CONFLICT (id) DO UPDATE SET
    source_id = EXCLUDED.source_id, span_start = EXCLUDED.span_start, span_end = EXCLUDED.span_end,
    quote = EXCLUDED.quote, speaker_actor_id = EXCLUDED.speaker_actor_id, via_actor_id = EXCLUDED.via_actor_id,
    channel = EXCLUDED.channel, stance = EXCLUDED.stance, said_on = EXCLUDED.said_on, event_id = EXCLUDED.event_id,
    confidence = EXCLUDED.confidence, search = EXCLUDED.search, content_hash = EXCLUDED.content_hash,
    updated_at = now()
WHERE claims.content_hash IS DISTINCT FROM EXCLUDED.content_hash
RETURNING id
"""

UPSERT_CONFLICTS = """
INSERT INTO conflicts (id, kind, subject_actor_id, subject_event_id, field, content_hash)
SELECT id, kind, subject_actor_id, subject_event_id, field, content_hash FROM _stage_conflicts
ON CONFLICT (id) DO UPDATE SET
    kind = EXCLUDED.kind, subject_actor_id = EXCLUDED.subject_actor_id, subject_event_id = EXCLUDED.subject_event_id,
    field = EXCLUDED.field, content_hash = EXCLUDED.content_hash, updated_at = now()
WHERE conflicts.content_hash IS DISTINCT FROM EXCLUDED.content_hash
RETURNING id
"""

STORED_HASHES = {
    "sources": "SELECT id, content_hash FROM sources",
    "actors": "SELECT id, content_hash FROM actors",
    "events": "SELECT id, content_hash FROM events",
    "claims": "SELECT id, content_hash FROM claims",
    "conflicts": "SELECT id, content_hash FROM conflicts",
}

# Where did the attributions/mentions of a vanishing id go? Asked after the children of changed
# parents are rewritten and before the vanishing parents (and, by cascade, their children) go.
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

DELETE_VANISHED = {
    "conflict": "DELETE FROM conflicts WHERE id = ANY($1::text[]) RETURNING id",
    "claim": "DELETE FROM claims WHERE id = ANY($1::text[]) RETURNING id",
    "event": "DELETE FROM events WHERE id = ANY($1::text[]) RETURNING id",
    "actor": "DELETE FROM actors WHERE id = ANY($1::text[]) RETURNING id",
}
RECORD_DELETED = (
    "INSERT INTO deleted (id, kind, merged_into) SELECT unnest($1::text[]), $2, unnest($3::text[])"
)


class ChildTable(msgspec.Struct, frozen=True):
    """Rows owned by one parent resource, rewritten only for parents whose content hash changed."""

    table: str
    columns: tuple[str, ...]
    attr: str
    parent: str
    parent_column: str
    delete_sql: str


CHILD_TABLES = (
    ChildTable(
        "actor_aliases",
        R.ALIAS_COLUMNS,
        "aliases",
        "actors",
        "actor_id",
        "DELETE FROM actor_aliases WHERE actor_id = ANY($1::text[])",
    ),
    ChildTable(
        "actor_roles",
        R.ROLE_COLUMNS,
        "roles",
        "actors",
        "actor_id",
        "DELETE FROM actor_roles WHERE actor_id = ANY($1::text[])",
    ),
    ChildTable(
        "event_actors",
        R.EVENT_ACTOR_COLUMNS,
        "event_actors",
        "events",
        "event_id",
        "DELETE FROM event_actors WHERE event_id = ANY($1::text[])",
    ),
    ChildTable(
        "event_attributions",
        R.ATTRIBUTION_COLUMNS,
        "attributions",
        "events",
        "event_id",
        "DELETE FROM event_attributions WHERE event_id = ANY($1::text[])",
    ),
    ChildTable(
        "claim_about",
        R.CLAIM_ABOUT_COLUMNS,
        "claim_about",
        "claims",
        "claim_id",
        "DELETE FROM claim_about WHERE claim_id = ANY($1::text[])",
    ),
    ChildTable(
        "claim_contradictions",
        R.CONTRADICTION_COLUMNS,
        "contradictions",
        "claims",
        "claim_id",
        "DELETE FROM claim_contradictions WHERE claim_id = ANY($1::text[])",
    ),
    ChildTable(
        "conflict_values",
        R.CONFLICT_VALUE_COLUMNS,
        "conflict_values",
        "conflicts",
        "conflict_id",
        "DELETE FROM conflict_values WHERE conflict_id = ANY($1::text[])",
    ),
)

# Mentions belong to an actor and a source at once, and merge decisions to a pair of mentions:
# neither is covered by one parent's hash, so both are compared row by row with what is stored.
STORED_MENTIONS = "SELECT actor_id, source_id, span_start, span_end, quote, method FROM actor_mentions"
DELETE_MENTIONS = """
DELETE FROM actor_mentions m
USING unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS d(actor_id, source_id, span_start, span_end)
WHERE m.actor_id = d.actor_id AND m.source_id = d.source_id AND m.span_start = d.span_start
  AND m.span_end = d.span_end
"""
STAGE_MERGES = """
DROP TABLE IF EXISTS _stage_merges;
CREATE TEMP TABLE _stage_merges (id text, kind text, target_id text, member text, rule text, evidence jsonb)
"""
DELETE_DIFFERING_MERGES = """
DELETE FROM merge_decisions m
WHERE NOT EXISTS (SELECT 1 FROM _stage_merges s
                  WHERE s.id = m.id AND s.kind = m.kind AND s.target_id = m.target_id AND s.member = m.member
                    AND s.rule = m.rule AND s.evidence = m.evidence)
"""
INSERT_MISSING_MERGES = """
INSERT INTO merge_decisions (id, kind, target_id, member, rule, evidence)
SELECT id, kind, target_id, member, rule, evidence FROM _stage_merges s
WHERE NOT EXISTS (SELECT 1 FROM merge_decisions m WHERE m.id = s.id)
"""


class LoadReport(msgspec.Struct):
    changed: dict[str, int]
    deleted: dict[str, int]
    totals: dict[str, int]

    @property
    def any_change(self) -> bool:
        return any(self.changed.values()) or any(self.deleted.values())


class _Plan(msgspec.Struct):
    """What differs between the rows to write and what is stored, per parent table."""

    stage: dict[str, list[tuple[Any, ...]]]
    changed: dict[str, set[str]]
    vanished: dict[str, list[str]]


async def _stage(
    conn: asyncpg.Connection, name: str, ddl: str, columns: tuple[str, ...], records: list[tuple[Any, ...]]
) -> None:
    await conn.execute(f"DROP TABLE IF EXISTS _stage_{name}; CREATE TEMP TABLE _stage_{name} ({ddl})")
    if records:
        await conn.copy_records_to_table(f"_stage_{name}", records=records, columns=list(columns))


async def _plan(conn: asyncpg.Connection, rows: R.TableRows, fresh_sources: set[str] | None) -> _Plan:
    """Parents that are new or whose content hash differs, and stored parents that are gone.

    Sources are also staged when their stored extraction may be out of date (``fresh_sources``,
    or all of them when that is unknown); the upsert then compares the extraction itself.
    """
    plan = _Plan(stage={}, changed={}, vanished={})
    for name, columns in STAGE_TABLES.items():
        stored = {r["id"]: r["content_hash"] for r in await conn.fetch(STORED_HASHES[name])}
        hash_at = columns.index("content_hash")
        records = getattr(rows, name)
        changed = {r[0] for r in records if stored.get(r[0]) != r[hash_at]}
        if name == "sources":
            plan.stage[name] = [
                r for r in records if fresh_sources is None or r[0] in changed or r[0] in fresh_sources
            ]
        else:
            plan.stage[name] = [r for r in records if r[0] in changed]
            wanted = {r[0] for r in records}
            plan.vanished[name] = sorted(set(stored) - wanted)
        plan.changed[name] = changed
    return plan


async def _rewrite_children(conn: asyncpg.Connection, rows: R.TableRows, plan: _Plan) -> None:
    """Replace the child rows of every parent whose content hash changed (or that is new)."""
    for child in CHILD_TABLES:
        changed = plan.changed[child.parent]
        if not changed:
            continue
        await conn.execute(child.delete_sql, sorted(changed))
        at = child.columns.index(child.parent_column)
        records = [r for r in getattr(rows, child.attr) if r[at] in changed]
        if records:
            await conn.copy_records_to_table(child.table, records=records, columns=list(child.columns))


async def _sync_mentions(conn: asyncpg.Connection, rows: R.TableRows, vanishing: set[str]) -> int:
    """Make actor_mentions equal to the rows, touching only rows that differ.

    Mentions of vanishing actors are left for the cascade, after their merged_into is found.
    """
    stored = {tuple(r) for r in await conn.fetch(STORED_MENTIONS)}
    wanted = set(rows.mentions)
    stale = sorted(r for r in stored - wanted if r[0] not in vanishing)
    added = sorted(wanted - stored)
    if stale:
        await conn.execute(DELETE_MENTIONS, *([r[i] for r in stale] for i in range(4)))
    if added:
        await conn.copy_records_to_table("actor_mentions", records=added, columns=list(R.MENTION_COLUMNS))
    return len(stale) + len(added)


async def _sync_merges(conn: asyncpg.Connection, rows: R.TableRows) -> int:
    """Make merge_decisions equal to the rows, replacing only the decisions that differ."""
    await conn.execute(STAGE_MERGES)
    if rows.merges:
        await conn.copy_records_to_table("_stage_merges", records=rows.merges, columns=list(R.MERGE_COLUMNS))
    removed = int((await conn.execute(DELETE_DIFFERING_MERGES)).split()[-1])
    added = int((await conn.execute(INSERT_MISSING_MERGES)).split()[-1])
    return removed + added


async def write_dataset(
    conn: asyncpg.Connection, rows: R.TableRows, fresh_sources: set[str] | None = None
) -> LoadReport:
    """Make the derived tables equal to ``rows`` in one transaction (nested as a savepoint if needed).

    Only what differs is written: parents whose content hash changed are upserted and their
    children replaced, mentions and merge decisions are compared row by row, and parents that
    are gone are deleted (their children go by cascade) and recorded in ``deleted``.
    ``fresh_sources`` names the sources whose stored extraction may be out of date (new or
    re-extracted ones); None means any may be.
    """
    changed: dict[str, int] = {}
    deleted: dict[str, int] = {}
    async with conn.transaction():
        await conn.execute(WRITE_LOCK)
        plan = await _plan(conn, rows, fresh_sources)
        for name, columns in STAGE_TABLES.items():
            await _stage(conn, name, STAGE_DDL[name], columns, plan.stage[name])
        for name, sql in (
            ("sources", UPSERT_SOURCES),
            ("actors", UPSERT_ACTORS),
            ("events", UPSERT_EVENTS),
            ("claims", UPSERT_CLAIMS),
            ("conflicts", UPSERT_CONFLICTS),
        ):
            changed[name] = len(await conn.fetch(sql)) if plan.stage[name] else 0

        await _rewrite_children(conn, rows, plan)
        await documents.render(conn, plan.changed["events"])
        vanished_actors = plan.vanished["actors"]
        child_changes = await _sync_mentions(conn, rows, set(vanished_actors))
        child_changes += await _sync_merges(conn, rows)

        merged_into: dict[str, str] = {}
        if plan.vanished["events"]:
            merged_into |= {
                r["id"]: r["merged_into"]
                for r in await conn.fetch(EVENTS_MERGED_INTO, plan.vanished["events"])
            }
        if vanished_actors:
            merged_into |= {
                r["id"]: r["merged_into"] for r in await conn.fetch(ACTORS_MERGED_INTO, vanished_actors)
            }

        for kind, table in (
            ("conflict", "conflicts"),
            ("claim", "claims"),
            ("event", "events"),
            ("actor", "actors"),
        ):
            ids = (
                [r["id"] for r in await conn.fetch(DELETE_VANISHED[kind], plan.vanished[table])]
                if plan.vanished[table]
                else []
            )
            deleted[kind] = len(ids)
            if ids:
                await conn.execute(RECORD_DELETED, ids, kind, [merged_into.get(i) for i in ids])

        report = LoadReport(
            changed=changed, deleted=deleted, totals={name: len(getattr(rows, name)) for name in STAGE_TABLES}
        )
        if report.any_change or child_changes:
            await conn.execute(BUMP_VERSION)
    return report
