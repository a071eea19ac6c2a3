"""Less written per article: report blocking keys as 64-bit integers, and the stored extraction as
``json`` text instead of ``jsonb``.

**Report keys.**

``merge_unit_keys`` is the largest table the merge writes (some 90 rows an article on SaudiNewsNet,
half of all rows a chunk writes before this migration). Each row held the key as text (30-40
bytes), the article's sha256 as 64 hex characters and the report's index, and was maintained in two
B-trees: the primary key (key, sha, idx) and an index on sha (to read back a re-merged article's
keys). At 3,000 articles that was 340 bytes a row, 200 of them in the indexes.

Now a row is three integers: ``key`` (the first 64 bits of the key's md5, signed), ``s`` (the
first 64 bits of the article's sha256, signed) and ``idx``, in one B-tree (the primary key, which
every look-up uses). A report's own keys are kept beside it as ``merge_units.keys`` (the same
integers), so a re-merged article's keys are read back by the ``DELETE ... RETURNING`` that
replaces its reports, and the index on sha is gone. ``merge_units.s`` (generated from ``sha``,
unique with ``idx``) is what a key row joins its report by; a second article with the same first 64
bits of sha256 would fail that unique index loudly instead of sharing keys.

The integers are computed in Python (``service.db.merge_state.key_hash`` / ``article_number``) and,
for the rows already stored, here in SQL, with the same definition. A 64-bit collision of two
different keys can only add a candidate report (one more pair scored, ``match_score`` still
decides); docs/operations.md ("What a merge writes") gives the bound.

The downgrade cannot turn integers back into key texts: it empties the merge state (all ``merge_*``
tables but the decisions), and the next ``python -m service migrate`` of the older code rebuilds
it from the stored extractions (``service.ingest.rebuild_state``, as after migration 0007).

**The stored extraction** (``sources.extraction``, some 70 kB of JSON an article) was ``jsonb``:
Postgres parsed every one into its binary form and compressed that (116 kB, pglz), then turned it
back into text for every read (``corpus.documents`` reads ``extraction::text``); nothing queries
inside it. As ``json`` it is stored as the text the loader sends (checked for syntax, compressed):
on 500 SaudiNewsNet articles the staging write costs the backend 1.2 instead of 2.3 ms an article,
a read 0.1 instead of 0.45 ms, and it takes 21.5 instead of 27.2 kB (docs/benchmarks.md). ``json``
has no equality operator, so the loader compares the stored extraction as text
(``rows.Table.changed``). The conversion rewrites ``sources`` once.

Revision ID: 0015
Revises: 0014
"""

from sqlscript import run_sql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

UPGRADE = r"""
ALTER TABLE merge_units
    ADD COLUMN s bigint GENERATED ALWAYS AS (('x' || left(sha, 16))::bit(64)::bigint) STORED,
    ADD COLUMN keys bigint[] NOT NULL DEFAULT '{}';
CREATE UNIQUE INDEX merge_units_s_idx ON merge_units (s, idx);

CREATE TABLE merge_report_keys (
    key bigint NOT NULL,
    s bigint NOT NULL,
    idx integer NOT NULL,
    PRIMARY KEY (key, s, idx)
);
INSERT INTO merge_report_keys (key, s, idx)
SELECT DISTINCT ('x' || left(md5(key), 16))::bit(64)::bigint, ('x' || left(sha, 16))::bit(64)::bigint, idx
FROM merge_unit_keys;
UPDATE merge_units u SET keys = k.keys
FROM (SELECT s, idx, array_agg(key ORDER BY key) AS keys FROM merge_report_keys GROUP BY s, idx) k
WHERE k.s = u.s AND k.idx = u.idx;
DROP TABLE merge_unit_keys;
ALTER TABLE merge_report_keys RENAME TO merge_unit_keys;
ALTER INDEX merge_report_keys_pkey RENAME TO merge_unit_keys_pkey;

ALTER TABLE sources ALTER COLUMN extraction TYPE json USING extraction::json;
"""

DOWNGRADE = r"""
ALTER TABLE sources ALTER COLUMN extraction TYPE jsonb USING extraction::jsonb;
DROP TABLE merge_unit_keys;
CREATE TABLE merge_unit_keys (
    key text NOT NULL,
    sha text NOT NULL,
    idx integer NOT NULL,
    PRIMARY KEY (key, sha, idx)
);
CREATE INDEX merge_unit_keys_sha_idx ON merge_unit_keys (sha);
DROP INDEX merge_units_s_idx;
ALTER TABLE merge_units DROP COLUMN s, DROP COLUMN keys;
-- The key texts cannot be recovered: empty the state; the older code's migrate rebuilds it.
TRUNCATE merge_groups, merge_group_keys, merge_members, merge_actor_links, merge_actors,
    merge_units, merge_unit_links, merge_undated, merge_undated_keys, merge_claim_pairs;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
