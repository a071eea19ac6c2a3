"""An actor's events in list order, and each event's rendered representation.

- ``event_actors.date_sort``: the event's sort key (``coalesce(date_start, '-infinity')``, the
  expression the event lists order by), copied onto each of its actor links by the loader (a link
  is rewritten whenever its event changes). With the index ``(actor_id, date_sort, event_id)``,
  "actor X's events, newest first, up to `to`" is one range scan that stops after a page, however
  many events the actor has and however the rest of the data is distributed. At 1,000,000 events
  the planner otherwise either walked every event in the window probing for the actor, or read
  every event of the actor and sorted them (13 ms warm, 205 ms cold for a mid-rank actor).
- ``events.document``: the event as the API serves it (the Event resource, JSON-encoded by the
  service: actors, location, attributions with their outlets and relays, conflicts). The loader
  renders it in the same transaction that changes anything it shows; reads serve it as bytes
  instead of assembling it from five tables per page. NULL means "not rendered yet" (rows written
  before this revision): readers then assemble the event, and ``python -m service migrate`` fills
  them in.

Revision ID: 0004
Revises: 0003
"""

from sqlscript import run_sql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UPGRADE = r"""
ALTER TABLE event_actors ADD COLUMN date_sort date NOT NULL DEFAULT '-infinity'::date;
UPDATE event_actors ea SET date_sort = e.date_start FROM events e
WHERE e.id = ea.event_id AND e.date_start IS NOT NULL;
ALTER TABLE event_actors ALTER COLUMN date_sort DROP DEFAULT;
CREATE INDEX event_actors_actor_date_idx ON event_actors (actor_id, date_sort, event_id);

ALTER TABLE events ADD COLUMN document bytea;
-- Documents are stored uncompressed (EXTERNAL) and in line up to a full page (toast_tuple_target):
-- Postgres then streams them without decompressing each one. At 100,000 events, a cursor over
-- 60,000 documents: ~70,000 rows/s pglz-compressed, ~150,000 rows/s uncompressed (tables 1.5x larger).
ALTER TABLE events ALTER COLUMN document SET STORAGE EXTERNAL;
-- The loader writes an event, then its document: room on the page lets that second write be a
-- heap-only update, which touches none of the events' indexes.
ALTER TABLE events SET (fillfactor = 90, toast_tuple_target = 8160);
"""

DOWNGRADE = r"""
ALTER TABLE events RESET (fillfactor, toast_tuple_target);
ALTER TABLE events DROP COLUMN IF EXISTS document;
DROP INDEX IF EXISTS event_actors_actor_date_idx;
ALTER TABLE event_actors DROP COLUMN IF EXISTS date_sort;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
