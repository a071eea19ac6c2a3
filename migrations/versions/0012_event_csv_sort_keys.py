"""CSV exports walk ``event_csv`` alone: each record carries the events list's sort keys.

A CSV export walked ``events`` in the list's order and probed ``event_csv`` by primary key for each
row (three index levels and the record's heap page: 5,006 buffers and 4.9 ms per 1,000 rows at 100k
events, against 1,006 and 1.0 ms for NDJSON's walk of ``events`` alone). Here each record gets a copy
of its event's sort keys (``date_start``, ``date_end``, ``updated_at``), written with the record by
``service.db.renderings`` (the statements that render an event copy them from its row), and the
indexes of the list's orders, so an export without filters, or with ``from`` alone, reads the records
in order from ``event_csv`` without touching ``events`` (``service.api.exports``, ``CsvWalk``):

- ``event_csv_sort_date_idx``: ``coalesce(date_start, '-infinity')``, ``event_id`` (``-date``,
  ``date``; the ``id`` order walks the primary key);
- ``event_csv_updated_idx``: ``updated_at``, ``event_id`` (``updated``);
- ``event_csv_end_or_start_idx``: ``coalesce(date_end, date_start)`` with the start date: a ``from``
  export counts its matches and finds the earliest start among them from this index alone.

A walk of ``event_csv`` alone needs a record for every event. Events are rendered in the transaction
that writes them, and the statement that stores a document stores its record, so an event without a
record has no document either: ``events_unrendered_idx`` (events whose document is NULL) answers
"is every event rendered?" in one probe, and an export that gets "no" takes the former path (which
builds what is missing). Two ways the rule could break are closed here: events rendered before 0005
(a document, no record) lose their document, so ``python -m service migrate`` renders both again;
and a deleted record (by hand, or a migration that clears them) clears its event's document, by the
statement trigger ``event_csv_gone``.

The keys are copied to the existing records in batches of ``BATCH`` records in id order, each
committed on its own, before the indexes are built.

Revision ID: 0012
Revises: 0011
"""

from alembic import op
from sqlscript import run_sql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BATCH = 50_000

COLUMNS = r"""
ALTER TABLE event_csv ADD COLUMN IF NOT EXISTS date_start date,
    ADD COLUMN IF NOT EXISTS date_end date,
    ADD COLUMN IF NOT EXISTS updated_at timestamptz;
"""

# One batch: the keys of the next BATCH records after $1 (in id order); returns the last id copied.
COPY_BATCH = """
WITH b AS (SELECT event_id FROM event_csv WHERE event_id > $1 ORDER BY event_id LIMIT {batch}),
copied AS (
    UPDATE event_csv c SET date_start = e.date_start, date_end = e.date_end, updated_at = e.updated_at
    FROM b, events e WHERE c.event_id = b.event_id AND e.id = b.event_id RETURNING c.event_id)
SELECT max(event_id) FROM copied
"""

SCHEMA = r"""
CREATE INDEX IF NOT EXISTS event_csv_sort_date_idx ON event_csv ((coalesce(date_start, '-infinity'::date)), event_id);
CREATE INDEX IF NOT EXISTS event_csv_updated_idx ON event_csv (updated_at, event_id);
CREATE INDEX IF NOT EXISTS event_csv_end_or_start_idx ON event_csv ((coalesce(date_end, date_start)))
    INCLUDE (date_start);

UPDATE events e SET document = NULL
WHERE e.document IS NOT NULL AND NOT EXISTS (SELECT 1 FROM event_csv c WHERE c.event_id = e.id);
CREATE INDEX IF NOT EXISTS events_unrendered_idx ON events (id) WHERE document IS NULL;

CREATE OR REPLACE FUNCTION event_csv_gone() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    UPDATE events e SET document = NULL FROM gone g WHERE e.id = g.event_id AND e.document IS NOT NULL;
    RETURN NULL;
END
$fn$;
DROP TRIGGER IF EXISTS event_csv_gone ON event_csv;
CREATE TRIGGER event_csv_gone AFTER DELETE ON event_csv
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION event_csv_gone();
"""

DOWNGRADE = r"""
DROP TRIGGER IF EXISTS event_csv_gone ON event_csv;
DROP FUNCTION IF EXISTS event_csv_gone();
DROP INDEX IF EXISTS events_unrendered_idx;
DROP INDEX IF EXISTS event_csv_sort_date_idx;
DROP INDEX IF EXISTS event_csv_updated_idx;
DROP INDEX IF EXISTS event_csv_end_or_start_idx;
ALTER TABLE event_csv DROP COLUMN IF EXISTS date_start, DROP COLUMN IF EXISTS date_end,
    DROP COLUMN IF EXISTS updated_at;
"""


def _last_copied(after: str) -> str | None:
    from sqlalchemy.util import await_only

    driver = op.get_bind().connection.driver_connection
    return await_only(driver.fetchval(COPY_BATCH.format(batch=BATCH), after))  # type: ignore[no-any-return]


def upgrade() -> None:
    run_sql(COLUMNS)
    # each batch its own transaction (an interrupted upgrade copies again: the copy is idempotent)
    last: str | None = ""
    with op.get_context().autocommit_block():
        while last is not None:
            last = _last_copied(last)
    run_sql(SCHEMA)


def downgrade() -> None:
    run_sql(DOWNGRADE)
