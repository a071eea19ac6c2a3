"""The CSV records of multi-day events in the date orders: the running part of a ``from`` export
walked in its own order, without a sort.

A CSV export with ``from`` in a date order (``service.api.exports.Export._take_split``) sends apart
the events that started before ``from`` and still run at it. Migration 0013 finds them by their last
day; sending them in the export's order then took a sort of every one of them per request (10,600
ids at 1M generated events: 22 ms of the export's Postgres time) and one primary-key probe per row
to fetch each record by id. This partial index holds the same multi-day records in the orders' key
(the start, undated first, then the id), with the last day as a key column so that ``date_end >=
from`` is tested on the index entries: each batch of the running part is one range of this index
read in either direction, and only the records that match are read from the table.

Revision ID: 0014
Revises: 0013
"""

from sqlscript import run_sql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

UPGRADE = r"""
CREATE INDEX IF NOT EXISTS event_csv_running_order_idx
    ON event_csv (coalesce(date_start, '-infinity'::date), event_id, date_end)
    WHERE date_end IS NOT NULL AND (date_start IS NULL OR date_end > date_start);
"""

DOWNGRADE = r"""
DROP INDEX IF EXISTS event_csv_running_order_idx;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
