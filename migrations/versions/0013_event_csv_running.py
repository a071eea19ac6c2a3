"""The CSV records of multi-day events, by their last day: the events running at a ``from`` date.

A CSV export with ``from`` in a date order (``service.api.exports.Export._take_split``) walks the
records from ``from`` on in the order's own index (every record starting on or after ``from``
matches) and sends apart the few that started before it and still run at it. This partial index
holds only records whose event spans several days (or has an end without a start), with the start
and the id, so those few are found by an index-only scan of the records ending on or after
``from``, whatever the number of one-day events there.

Revision ID: 0013
Revises: 0012
"""

from sqlscript import run_sql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

UPGRADE = r"""
CREATE INDEX IF NOT EXISTS event_csv_running_idx ON event_csv (date_end) INCLUDE (date_start, event_id)
    WHERE date_end IS NOT NULL AND (date_start IS NULL OR date_end > date_start);
"""

DOWNGRADE = r"""
DROP INDEX IF EXISTS event_csv_running_idx;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
