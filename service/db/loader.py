"""Write a merged Dataset into Postgres in one transaction, idempotently.

Parents (sources, actors, events, claims, conflicts) are upserted and only touched when their
content hash changed, so ``updated_at`` drives the change feed; child rows (aliases, mentions,
roles, event actors, attributions, ...) are replaced. Ids that disappear are recorded in
``deleted`` with the id they were merged into, when there is one.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from service.db import rows as R
from service.db.corpus import WRITE_LOCK

BUMP_VERSION = "UPDATE dataset_state SET version = version + 1, changed_at = now()"

STAGE_TABLES = {
    "sources": R.SOURCE_COLUMNS, "actors": R.ACTOR_COLUMNS, "events": R.EVENT_COLUMNS,
    "claims": R.CLAIM_COLUMNS, "conflicts": R.CONFLICT_COLUMNS,
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

# Before old children are replaced: where did the attributions/mentions of a vanishing id go?
EVENTS_MERGED_INTO = """
SELECT DISTINCT ON (old.event_id) old.event_id AS id, new.event_id AS merged_into
FROM event_attributions old
JOIN _stage_attributions new ON new.source_id = old.source_id AND new.span_start = old.span_start
WHERE NOT EXISTS (SELECT 1 FROM _stage_events s WHERE s.id = old.event_id)
ORDER BY old.event_id, new.event_id
"""
ACTORS_MERGED_INTO = """
SELECT DISTINCT ON (old.actor_id) old.actor_id AS id, new.actor_id AS merged_into
FROM actor_mentions old
JOIN _stage_mentions new ON new.source_id = old.source_id AND new.span_start = old.span_start
WHERE NOT EXISTS (SELECT 1 FROM _stage_actors s WHERE s.id = old.actor_id)
ORDER BY old.actor_id, new.actor_id
"""

DELETE_MISSING = {
    "conflict": "DELETE FROM conflicts t WHERE NOT EXISTS (SELECT 1 FROM _stage_conflicts s WHERE s.id = t.id) RETURNING id",
    "claim": "DELETE FROM claims t WHERE NOT EXISTS (SELECT 1 FROM _stage_claims s WHERE s.id = t.id) RETURNING id",
    "event": "DELETE FROM events t WHERE NOT EXISTS (SELECT 1 FROM _stage_events s WHERE s.id = t.id) RETURNING id",
    "actor": "DELETE FROM actors t WHERE NOT EXISTS (SELECT 1 FROM _stage_actors s WHERE s.id = t.id) RETURNING id",
}
RECORD_DELETED = "INSERT INTO deleted (id, kind, merged_into) SELECT unnest($1::text[]), $2, unnest($3::text[])"

CHILD_TABLES = (
    ("actor_aliases", R.ALIAS_COLUMNS, "aliases"),
    ("actor_mentions", R.MENTION_COLUMNS, "mentions"),
    ("actor_roles", R.ROLE_COLUMNS, "roles"),
    ("event_actors", R.EVENT_ACTOR_COLUMNS, "event_actors"),
    ("event_attributions", R.ATTRIBUTION_COLUMNS, "attributions"),
    ("claim_about", R.CLAIM_ABOUT_COLUMNS, "claim_about"),
    ("claim_contradictions", R.CONTRADICTION_COLUMNS, "contradictions"),
    ("conflict_values", R.CONFLICT_VALUE_COLUMNS, "conflict_values"),
    ("merge_decisions", R.MERGE_COLUMNS, "merges"),
)


class LoadReport(msgspec.Struct):
    changed: dict[str, int]
    deleted: dict[str, int]
    totals: dict[str, int]

    @property
    def any_change(self) -> bool:
        return any(self.changed.values()) or any(self.deleted.values())


async def _stage(conn: asyncpg.Connection, name: str, ddl: str, columns: tuple[str, ...],
                 records: list[tuple[Any, ...]]) -> None:
    await conn.execute(f"DROP TABLE IF EXISTS _stage_{name}; CREATE TEMP TABLE _stage_{name} ({ddl})")
    if records:
        await conn.copy_records_to_table(f"_stage_{name}", records=records, columns=list(columns))


async def write_dataset(conn: asyncpg.Connection, rows: R.TableRows) -> LoadReport:
    """Make the derived tables equal to ``rows`` in one transaction (nested as a savepoint if needed)."""
    changed: dict[str, int] = {}
    deleted: dict[str, int] = {}
    async with conn.transaction():
        await conn.execute(WRITE_LOCK)
        for name, columns in STAGE_TABLES.items():
            await _stage(conn, name, STAGE_DDL[name], columns, getattr(rows, name))
        await _stage(conn, "attributions", "event_id text, source_id text, span_start int",
                     ("event_id", "source_id", "span_start"), [(a[1], a[2], a[3]) for a in rows.attributions])
        await _stage(conn, "mentions", "actor_id text, source_id text, span_start int",
                     ("actor_id", "source_id", "span_start"), [(m[0], m[1], m[2]) for m in rows.mentions])
        merged_into = {r["id"]: r["merged_into"] for r in await conn.fetch(EVENTS_MERGED_INTO)}
        merged_into |= {r["id"]: r["merged_into"] for r in await conn.fetch(ACTORS_MERGED_INTO)}

        for name, sql in (("sources", UPSERT_SOURCES), ("actors", UPSERT_ACTORS), ("events", UPSERT_EVENTS),
                          ("claims", UPSERT_CLAIMS), ("conflicts", UPSERT_CONFLICTS)):
            changed[name] = len(await conn.fetch(sql))

        for table, columns, attr in CHILD_TABLES:
            await conn.execute(f"DELETE FROM {table}")
            records = getattr(rows, attr)
            if records:
                await conn.copy_records_to_table(table, records=records, columns=list(columns))

        for kind, sql in DELETE_MISSING.items():
            ids = [r["id"] for r in await conn.fetch(sql)]
            deleted[kind] = len(ids)
            if ids:
                await conn.execute(RECORD_DELETED, ids, kind, [merged_into.get(i) for i in ids])

        report = LoadReport(changed=changed, deleted=deleted,
                            totals={name: len(getattr(rows, name)) for name in STAGE_TABLES})
        if report.any_change:
            await conn.execute(BUMP_VERSION)
    return report
