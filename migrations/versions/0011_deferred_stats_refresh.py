"""Statistics rollups refreshed once per write, not once per statement.

The rollup triggers (migrations 0005 and 0006) refresh the facts of the events a statement touched.
The loader rewrites a changed event in several statements (the event, then its actors and
attributions, each deleted and inserted), so each changed event was refreshed up to five times per
write. ``stats_refresh`` now only records the ids when the writer asked for deferral (the
transaction-local setting ``marsad.stats_deferred``, with the session's temporary table
``_stats_pending``), and ``stats_flush`` refreshes them once, before the writer commits
(``service/db/loader.py``). The refresh is a function of the tables and the stored facts, so once
flushed the rollups are what refreshing after every statement gives. Any other writer (SQL by hand,
a bulk loader) is refreshed per statement as before.

Revision ID: 0011
Revises: 0010
"""

from sqlscript import run_sql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UPGRADE = r"""
ALTER FUNCTION stats_refresh(text[]) RENAME TO stats_refresh_now;

CREATE FUNCTION stats_refresh(ids text[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    IF current_setting('marsad.stats_deferred', true) = 'on' THEN
        INSERT INTO _stats_pending (id) SELECT unnest(ids);
        RETURN;
    END IF;
    PERFORM stats_refresh_now(ids);
END
$fn$;

-- Refresh the events recorded while deferred, once each (the caller has turned deferral off).
CREATE FUNCTION stats_flush() RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
    pending text[];
BEGIN
    pending := ARRAY(SELECT DISTINCT id FROM _stats_pending ORDER BY id);
    TRUNCATE _stats_pending;
    PERFORM stats_refresh_now(pending);
END
$fn$;
"""

DOWNGRADE = r"""
DROP FUNCTION IF EXISTS stats_flush();
DROP FUNCTION IF EXISTS stats_refresh(text[]);
ALTER FUNCTION stats_refresh_now(text[]) RENAME TO stats_refresh;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
