"""The incremental merge's state: identity groups and their blocking keys, actor links, actors,
event reports with their blocking keys and links, undated articles, contradiction pairs by origin.

An ingest merges new articles with only the part of the dataset they can affect
(``service/merge/engine.py``); these tables are what it looks that part up by. Blocking keys live in
key tables (``merge_*_keys``: one row per key and owner, primary key first on the key), so "which
stored groups or reports share a key with these" is one B-tree look-up per key however large the
dataset is. (GIN over key arrays was tried: the planner picks a sequential scan on small tables,
and ``&&`` against thousands of keys then costs rows x keys.) Blobs (``bytea``) are msgpack
encodings of the merge's own structs, read and written only by ``service/db/merge_state.py``.

A database upgraded from 0005 has data but no merge state: ``python -m service migrate`` then
rebuilds the state from the stored extractions once (``service.ingest.rebuild_state``).

Revision ID: 0007
Revises: 0006
"""

from sqlscript import run_sql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UPGRADE = r"""
-- Identity groups (service/merge/actor_groups.py): profile, comparison signature, actor.
CREATE TABLE merge_groups (
    key text PRIMARY KEY,
    kind text NOT NULL,
    actor_id text NOT NULL,
    profile bytea NOT NULL,
    signature bytea
);
CREATE INDEX merge_groups_actor_idx ON merge_groups (actor_id);

-- Blocking keys of person groups (resolve.blocking_keys of each group's representative).
CREATE TABLE merge_group_keys (
    key text NOT NULL,
    group_key text NOT NULL,
    PRIMARY KEY (key, group_key)
);
CREATE INDEX merge_group_keys_group_idx ON merge_group_keys (group_key);

-- One row per per-document entity: its group and what it contributes to it.
CREATE TABLE merge_members (
    sha text NOT NULL,
    entity_key text NOT NULL,
    group_key text NOT NULL,
    contribution bytea NOT NULL,
    PRIMARY KEY (sha, entity_key)
);
CREATE INDEX merge_members_group_idx ON merge_members (group_key);

-- Person groups same_actor matched (a < b).
CREATE TABLE merge_actor_links (
    a text NOT NULL,
    b text NOT NULL,
    link bytea NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX merge_actor_links_b_idx ON merge_actor_links (b);

-- Actors: the bucket their id is settled in, their country, their info, and (apart: most reads
-- need only the info) the sum of their groups' profiles.
CREATE TABLE merge_actors (
    actor_id text PRIMARY KEY,
    bucket text,
    order_key text[] NOT NULL,
    country_key text,
    state bytea NOT NULL,
    profile bytea
);
CREATE INDEX merge_actors_bucket_idx ON merge_actors (bucket) WHERE bucket IS NOT NULL;
CREATE INDEX merge_actors_country_idx ON merge_actors (country_key) WHERE country_key IS NOT NULL;

-- Event reports (service/merge/event_units.py) with their blocking keys (service/merge/keys.py).
CREATE TABLE merge_units (
    sha text NOT NULL,
    idx integer NOT NULL,
    event_id text NOT NULL,
    unit bytea NOT NULL,
    PRIMARY KEY (sha, idx)
);
CREATE INDEX merge_units_event_idx ON merge_units (event_id);

-- Their keys, by kind prefix: 'w:' window keys, 'c:' type + anchor (every report), 'x:' type +
-- anchor of wildcard reports, 'p:' pins of day-precision reports.
CREATE TABLE merge_unit_keys (
    key text NOT NULL,
    sha text NOT NULL,
    idx integer NOT NULL,
    PRIMARY KEY (key, sha, idx)
);
CREATE INDEX merge_unit_keys_sha_idx ON merge_unit_keys (sha);

-- Reports match_score matched (a < b).
CREATE TABLE merge_unit_links (
    a_sha text NOT NULL,
    a_idx integer NOT NULL,
    b_sha text NOT NULL,
    b_idx integer NOT NULL,
    PRIMARY KEY (a_sha, a_idx, b_sha, b_idx)
);
CREATE INDEX merge_unit_links_b_idx ON merge_unit_links (b_sha, b_idx);

-- Articles with no publication date of their own: what inference looks up, and what it found.
CREATE TABLE merge_undated (
    sha text PRIMARY KEY,
    probe_keys text[] NOT NULL,
    anchor_pins text[] NOT NULL,
    published date,
    reason text
);
-- Their keys: 'p:' probe keys, 'a:' the pins their reports would have once dated.
CREATE TABLE merge_undated_keys (
    key text NOT NULL,
    sha text NOT NULL,
    PRIMARY KEY (key, sha)
);
CREATE INDEX merge_undated_keys_sha_idx ON merge_undated_keys (sha);

-- Which claims contradict which, by the origin that found the pair (an event or a subject).
CREATE TABLE merge_claim_pairs (
    origin text NOT NULL,
    claim_id text NOT NULL,
    other_id text NOT NULL,
    PRIMARY KEY (origin, claim_id, other_id)
);
CREATE INDEX merge_claim_pairs_claim_idx ON merge_claim_pairs (claim_id);

-- Rank conflicts read an actor's ranked roles; decisions are replaced by kind and target.
CREATE INDEX actor_roles_ranked_idx ON actor_roles (actor_id) WHERE rank IS NOT NULL;
CREATE INDEX merge_decisions_kind_target_idx ON merge_decisions (kind, target_id);
"""

DOWNGRADE = r"""
DROP INDEX IF EXISTS actor_roles_ranked_idx, merge_decisions_kind_target_idx;
DROP TABLE IF EXISTS merge_groups, merge_group_keys, merge_members, merge_actor_links, merge_actors,
    merge_units, merge_unit_keys, merge_unit_links, merge_undated, merge_undated_keys, merge_claim_pairs;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
