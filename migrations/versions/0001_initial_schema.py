"""Initial schema: sources, actors (+aliases, mentions, roles), events (+actors, attributions),
claims, conflicts, merge decisions, the change feed and API keys.

Revision ID: 0001
Revises:
"""

from sqlscript import run_sql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UPGRADE = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Bumped by every write transaction; the API derives ETags from it.
CREATE TABLE dataset_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version bigint NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO dataset_state DEFAULT VALUES;

CREATE TABLE sources (
    id text PRIMARY KEY,
    external_id text UNIQUE,
    outlet text,
    author text,
    url text,
    title text,
    language text NOT NULL DEFAULT 'ar',
    published_on date,
    published_precision text NOT NULL DEFAULT 'unknown'
        CHECK (published_precision IN ('day', 'month', 'year', 'unknown')),
    published_basis text NOT NULL DEFAULT 'unknown'
        CHECK (published_basis IN ('metadata', 'dateline', 'inferred', 'unknown')),
    published_reason text,
    sha256 text NOT NULL UNIQUE,
    text text NOT NULL CHECK (length(btrim(text)) > 0),
    extraction jsonb,
    extractor_version text NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    content_hash text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sources_published_idx ON sources (published_on, id);
CREATE INDEX sources_outlet_idx ON sources (outlet);
CREATE INDEX sources_updated_idx ON sources (updated_at, id);

CREATE TABLE actors (
    id text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('person', 'organization', 'country', 'place', 'weapon')),
    name_ar text NOT NULL,
    name_en text,
    country_id text REFERENCES actors (id) ON DELETE SET NULL,
    lat double precision,
    lon double precision,
    wikidata text,
    kb_id text,
    confidence real NOT NULL DEFAULT 1.0,
    content_hash text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX actors_kind_idx ON actors (kind, id);
CREATE INDEX actors_country_idx ON actors (country_id);
CREATE INDEX actors_updated_idx ON actors (updated_at, id);
CREATE INDEX actors_name_en_trgm_idx ON actors USING gin (lower(name_en) gin_trgm_ops);

-- One surface form of an actor. match_key is the normalised form used for search and resolution.
CREATE TABLE actor_aliases (
    actor_id text NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    text text NOT NULL,
    match_key text NOT NULL,
    language text NOT NULL DEFAULT 'ar',
    origin text NOT NULL CHECK (origin IN ('kb', 'article', 'transliteration')),
    PRIMARY KEY (actor_id, text)
);
CREATE INDEX actor_aliases_key_idx ON actor_aliases (match_key);
CREATE INDEX actor_aliases_key_trgm_idx ON actor_aliases USING gin (match_key gin_trgm_ops);

-- Every place an article names an actor (GDELT-style mentions with offsets).
CREATE TABLE actor_mentions (
    actor_id text NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    source_id text NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    span_start integer NOT NULL CHECK (span_start >= 0),
    span_end integer NOT NULL CHECK (span_end > span_start),
    quote text NOT NULL,
    method text NOT NULL,
    PRIMARY KEY (source_id, span_start, span_end, actor_id)
);
CREATE INDEX actor_mentions_actor_idx ON actor_mentions (actor_id, source_id);

CREATE TABLE actor_roles (
    id text PRIMARY KEY,
    actor_id text NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    role text,
    rank text,
    source_id text NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    span_start integer NOT NULL CHECK (span_start >= 0),
    span_end integer NOT NULL CHECK (span_end > span_start),
    quote text NOT NULL,
    CHECK (role IS NOT NULL OR rank IS NOT NULL)
);
CREATE INDEX actor_roles_actor_idx ON actor_roles (actor_id);
CREATE INDEX actor_roles_source_idx ON actor_roles (source_id);

CREATE TABLE events (
    id text PRIMARY KEY,
    plover_type text NOT NULL,
    plover_mode text,
    cameo text,
    status text NOT NULL CHECK (status IN ('occurred', 'planned', 'speculative', 'denied')),
    date_start date,
    date_end date,
    date_precision text NOT NULL DEFAULT 'unknown'
        CHECK (date_precision IN ('day', 'month', 'year', 'range', 'unknown')),
    date_basis text CHECK (date_basis IN ('explicit', 'relative', 'inferred')),
    date_reason text,
    location_actor_id text REFERENCES actors (id) ON DELETE SET NULL,
    summary_en text NOT NULL DEFAULT '',
    summary_ar text NOT NULL DEFAULT '',
    confidence real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    source_count integer NOT NULL DEFAULT 0,
    has_conflict boolean NOT NULL DEFAULT false,
    search tsvector,
    created_at timestamptz NOT NULL DEFAULT now(),
    content_hash text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (date_end IS NULL OR date_start IS NULL OR date_end >= date_start)
);
-- Date-range filters: an event matches when [date_start, date_end] overlaps [from, to].
CREATE INDEX events_date_idx ON events (date_start, id);
CREATE INDEX events_date_end_idx ON events (date_end);
CREATE INDEX events_type_date_idx ON events (plover_type, date_start, id);
CREATE INDEX events_status_idx ON events (status, date_start);
CREATE INDEX events_cameo_idx ON events (cameo text_pattern_ops);
CREATE INDEX events_location_idx ON events (location_actor_id);
CREATE INDEX events_updated_idx ON events (updated_at, id);
CREATE INDEX events_source_count_idx ON events (source_count);
CREATE INDEX events_conflict_idx ON events (id) WHERE has_conflict;
CREATE INDEX events_search_idx ON events USING gin (search);

CREATE TABLE event_actors (
    event_id text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    actor_id text NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('source', 'target', 'participant', 'mentioned')),
    PRIMARY KEY (event_id, actor_id, role)
);
CREATE INDEX event_actors_actor_idx ON event_actors (actor_id, event_id);

CREATE TABLE event_attributions (
    id text PRIMARY KEY,
    event_id text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    source_id text NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    span_start integer NOT NULL CHECK (span_start >= 0),
    span_end integer NOT NULL CHECK (span_end > span_start),
    quote text NOT NULL,
    via_actor_id text REFERENCES actors (id) ON DELETE SET NULL,
    date_text text,
    trigger text,
    confidence real NOT NULL DEFAULT 1.0
);
CREATE INDEX event_attributions_event_idx ON event_attributions (event_id);
CREATE INDEX event_attributions_source_idx ON event_attributions (source_id, event_id);
CREATE INDEX event_attributions_via_idx ON event_attributions (via_actor_id, event_id);

CREATE TABLE claims (
    id text PRIMARY KEY,
    source_id text NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    span_start integer NOT NULL CHECK (span_start >= 0),
    span_end integer NOT NULL CHECK (span_end > span_start),
    quote text NOT NULL,
    speaker_actor_id text REFERENCES actors (id) ON DELETE SET NULL,
    via_actor_id text REFERENCES actors (id) ON DELETE SET NULL,
    channel text NOT NULL CHECK (channel IN ('statement', 'press_conference', 'social_media', 'interview', 'report')),
    stance text NOT NULL CHECK (stance IN ('asserts', 'denies', 'expects', 'speculates')),
    said_on date,
    event_id text REFERENCES events (id) ON DELETE SET NULL,
    confidence real NOT NULL DEFAULT 1.0,
    search tsvector,
    content_hash text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claims_source_idx ON claims (source_id);
CREATE INDEX claims_speaker_idx ON claims (speaker_actor_id, id);
CREATE INDEX claims_via_idx ON claims (via_actor_id);
CREATE INDEX claims_stance_idx ON claims (stance, id);
CREATE INDEX claims_channel_idx ON claims (channel, id);
CREATE INDEX claims_event_idx ON claims (event_id);
CREATE INDEX claims_said_idx ON claims (said_on, id);
CREATE INDEX claims_updated_idx ON claims (updated_at, id);
CREATE INDEX claims_search_idx ON claims USING gin (search);

CREATE TABLE claim_about (
    claim_id text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    actor_id text NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    PRIMARY KEY (claim_id, actor_id)
);
CREATE INDEX claim_about_actor_idx ON claim_about (actor_id);

CREATE TABLE claim_contradictions (
    claim_id text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    other_claim_id text NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    PRIMARY KEY (claim_id, other_claim_id),
    CHECK (claim_id <> other_claim_id)
);

CREATE TABLE conflicts (
    id text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('attribute', 'claim')),
    subject_actor_id text REFERENCES actors (id) ON DELETE CASCADE,
    subject_event_id text REFERENCES events (id) ON DELETE CASCADE,
    field text NOT NULL,
    content_hash text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(subject_actor_id, subject_event_id) = 1)
);
CREATE INDEX conflicts_actor_idx ON conflicts (subject_actor_id);
CREATE INDEX conflicts_event_idx ON conflicts (subject_event_id);
CREATE INDEX conflicts_updated_idx ON conflicts (updated_at, id);

-- One competing value of a conflict and one attribution of it (a value with n attributions has n rows).
CREATE TABLE conflict_values (
    conflict_id text NOT NULL REFERENCES conflicts (id) ON DELETE CASCADE,
    value text NOT NULL,
    source_id text NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    span_start integer NOT NULL CHECK (span_start >= 0),
    span_end integer NOT NULL CHECK (span_end > span_start),
    quote text NOT NULL,
    via_actor_id text REFERENCES actors (id) ON DELETE SET NULL,
    claim_id text REFERENCES claims (id) ON DELETE CASCADE,
    PRIMARY KEY (conflict_id, value, source_id, span_start)
);

-- Why two mentions were merged into one actor or event: auditable and reversible.
CREATE TABLE merge_decisions (
    id text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('actor', 'event')),
    target_id text NOT NULL,
    member text NOT NULL,
    rule text NOT NULL,
    evidence jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX merge_decisions_target_idx ON merge_decisions (target_id);

-- Change feed: ids removed or merged away, so integrators can sync incrementally.
CREATE TABLE deleted (
    id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('source', 'actor', 'event', 'claim', 'conflict')),
    merged_into text,
    deleted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, deleted_at)
);
CREATE INDEX deleted_at_idx ON deleted (deleted_at, id);

CREATE TABLE api_keys (
    id text PRIMARY KEY,
    name text NOT NULL,
    key_hash text NOT NULL UNIQUE,
    scopes text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'write', 'admin']::text[]),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz
);
"""

DOWNGRADE = r"""
DROP TABLE IF EXISTS api_keys, deleted, merge_decisions, conflict_values, conflicts,
    claim_contradictions, claim_about, claims, event_attributions, event_actors, events,
    actor_roles, actor_mentions, actor_aliases, actors, sources, dataset_state CASCADE;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
