"""Indexes for the read API: keyset orders (undated rows sort as -infinity), the date-overlap
filter, token search over aliases, and the reverse lookups of contradictions and conflict values.

Revision ID: 0002
Revises: 0001
"""

from sqlscript import run_sql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UPGRADE = r"""
-- GET /v1/events?sort=-date|date (default), alone or after a type/status filter.
CREATE INDEX events_sort_date_idx ON events ((coalesce(date_start, '-infinity'::date)), id);
CREATE INDEX events_type_sort_date_idx ON events (plover_type, (coalesce(date_start, '-infinity'::date)), id);
CREATE INDEX events_status_sort_date_idx ON events (status, (coalesce(date_start, '-infinity'::date)), id);
-- from=: an event overlaps [from, to] when it ends (or, single-day, starts) on or after `from`.
CREATE INDEX events_end_or_start_idx ON events ((coalesce(date_end, date_start)));
CREATE INDEX claims_sort_date_idx ON claims ((coalesce(said_on, '-infinity'::date)), id);
CREATE INDEX sources_sort_date_idx ON sources ((coalesce(published_on, '-infinity'::date)), id);
-- Actor search: every word of the query is a word of one alias.
CREATE INDEX actor_aliases_tokens_idx ON actor_aliases USING gin (string_to_array(match_key, ' '));
-- ... and the English name in the same normalised form (exact and by words).
CREATE INDEX actors_name_en_key_idx ON actors
    ((btrim(regexp_replace(lower(coalesce(name_en, '')), '[^[:alnum:]]+', ' ', 'g'))));
CREATE INDEX actors_name_en_tokens_idx ON actors USING gin
    (string_to_array(btrim(regexp_replace(lower(coalesce(name_en, '')), '[^[:alnum:]]+', ' ', 'g')), ' '));
CREATE INDEX claim_contradictions_other_idx ON claim_contradictions (other_claim_id);
CREATE INDEX conflict_values_source_idx ON conflict_values (source_id);
"""

DOWNGRADE = r"""
DROP INDEX IF EXISTS events_sort_date_idx, events_type_sort_date_idx, events_status_sort_date_idx,
    events_end_or_start_idx, claims_sort_date_idx, sources_sort_date_idx, actor_aliases_tokens_idx,
    actors_name_en_key_idx, actors_name_en_tokens_idx,
    claim_contradictions_other_idx, conflict_values_source_idx;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
