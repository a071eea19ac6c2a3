"""Ingest jobs on a real queue: the job resources (``ingest_jobs``, one row per submitted article in
``ingest_job_items``) and the queue itself, pgqueuer's tables, installed from pgqueuer's own DDL.

A job is split into chunks; each chunk is one pgqueuer job that any worker, on any machine that
reaches the database, can take. A worker extracts a chunk's articles outside any transaction, then
merges them and records each article's outcome in one short transaction, so a chunk is either
wholly done or not at all; a worker that dies mid-chunk leaves its pgqueuer job without heartbeats,
and another worker takes it again (``service/ingest/worker.py``).

Revision ID: 0008
Revises: 0007
"""

from pgqueuer.adapters.persistence.qb import QueryBuilderEnvironment
from sqlscript import run_sql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UPGRADE = r"""
CREATE TABLE ingest_jobs (
    id text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('ingest', 'reextract')),
    status text NOT NULL CHECK (status IN ('queued', 'running', 'done')),
    total integer NOT NULL,
    done integer NOT NULL DEFAULT 0,
    created integer NOT NULL DEFAULT 0,
    existing integer NOT NULL DEFAULT 0,
    failed integer NOT NULL DEFAULT 0,
    key_id text,
    sweep boolean NOT NULL DEFAULT false,
    changes jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX ingest_jobs_created_idx ON ingest_jobs (created_at, id);

-- One submitted article (or, for re-extraction, one stored source: its id is the label, no text) and
-- what became of it. The text is kept until the article is processed, so a retried chunk can extract
-- it again. `sweep`: a re-extraction of every source, whose last chunk removes what no extraction made.
CREATE TABLE ingest_job_items (
    job_id text NOT NULL REFERENCES ingest_jobs (id) ON DELETE CASCADE,
    seq integer NOT NULL,
    label text NOT NULL,
    text text,
    meta jsonb,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'created', 'exists', 'failed')),
    source_id text,
    error text,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX ingest_job_items_pending_idx ON ingest_job_items (job_id, seq) WHERE status = 'pending';
"""

DOWNGRADE = r"""
DROP TABLE IF EXISTS ingest_job_items, ingest_jobs;
"""


def upgrade() -> None:
    run_sql(UPGRADE)
    run_sql(QueryBuilderEnvironment().build_install_query(create_schema=False))


def downgrade() -> None:
    run_sql(QueryBuilderEnvironment().build_uninstall_query())
    run_sql(DOWNGRADE)
