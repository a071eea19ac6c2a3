"""Summaries refreshed later: actors whose description changed, waiting for their events' rebuild.

An event's summary describes its people by their most frequent role and country. When a merge
changes that description for an actor named in many events (the king, a country's foreign minister),
rebuilding all of them inside the ingest's transaction would make the cost of one article grow with
the dataset; the merge records the actor here instead and queues a refresh job on the ingest queue,
which a worker runs later in its own short transactions (``service/ingest/merging.refresh_stale``).
One row per actor, however many merges changed it before the refresh ran.

Revision ID: 0010
Revises: 0009
"""

from sqlscript import run_sql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

UPGRADE = r"""
CREATE TABLE merge_stale_summaries (
    actor_id text PRIMARY KEY,
    queued_at timestamptz NOT NULL DEFAULT now()
);
"""

DOWNGRADE = r"""
DROP TABLE IF EXISTS merge_stale_summaries;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
