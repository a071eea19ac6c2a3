"""Each event's CSV row, and rollups that answer the timeline and facets from counts, not events.

- ``events.csv_row``: the event as one CSV record (``service.api.formats``: scalar fields as
  dotted columns, lists as JSON cells), rendered with ``events.document`` by
  ``service.db.renderings.render`` in the transaction that changes the event. A CSV export then
  joins stored rows, as NDJSON joins stored documents (at 1M events the per-row decode and
  flatten of each document capped CSV at ~8k rows/s). NULL means "not rendered yet": readers
  build the row from the event, ``python -m service migrate`` fills them in.
- ``stats_event_facts``: what each event counts for: its start and end day, type, status, and its
  keys ``dim<US>value`` for every facet and timeline grouping (mode, cameo, date_precision,
  has_conflict, location, actor, country, outlet, via; ``*`` for the event itself).
- ``stats_rollup``: event counts per (grain, period, dim, value, type, status), at three grains
  (day, month, year) of the start day; a window [from, to] sums whole years, months and days.
- ``stats_ranges``: the same counts for events whose dates span several days, by exact (start,
  end): events that start before `from` and still run at `from` overlap the window too.

Triggers keep all three exact, in the transaction of every write, whatever writes: statement
triggers on events, event_actors, event_attributions, actors and sources hand the ids of the
events whose counted facts may have changed to ``stats_refresh``, which recomputes their facts and
applies the difference. A load with triggers disabled (``session_replication_role = replica``,
as the benchmark generator does) calls ``SELECT stats_rebuild()`` afterwards.

Revision ID: 0005
Revises: 0004
"""

from sqlscript import run_sql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UPGRADE = r"""
ALTER TABLE events ADD COLUMN csv_row bytea;
ALTER TABLE events ALTER COLUMN csv_row SET STORAGE EXTERNAL;

CREATE TABLE stats_event_facts (
    event_id text PRIMARY KEY,
    day date NOT NULL,          -- date_start; '-infinity' when undated
    day_end date NOT NULL,      -- coalesce(date_end, date_start); '-infinity' when undated
    plover_type text NOT NULL,
    status text NOT NULL,
    keys text[] NOT NULL        -- 'dim' || chr(31) || 'value', sorted
);

CREATE TABLE stats_rollup (
    grain "char" NOT NULL CHECK (grain IN ('d', 'm', 'y')),
    bucket date NOT NULL,       -- first day of the period; '-infinity': undated events
    dim text NOT NULL,
    value text NOT NULL,
    plover_type text NOT NULL,
    status text NOT NULL,
    n integer NOT NULL,
    PRIMARY KEY (grain, dim, bucket, value, plover_type, status)
) WITH (fillfactor = 80);
-- One value across periods: a dimension filter (actor=X by type), the series of a timeline group.
CREATE INDEX stats_rollup_value_idx ON stats_rollup (grain, dim, value, bucket);

CREATE TABLE stats_ranges (
    day date NOT NULL,
    day_end date NOT NULL CHECK (day_end > day),
    dim text NOT NULL,
    value text NOT NULL,
    plover_type text NOT NULL,
    status text NOT NULL,
    n integer NOT NULL,
    PRIMARY KEY (day, day_end, dim, value, plover_type, status)
) WITH (fillfactor = 80);
-- The ranges that contain a day (the events running at `from`).
CREATE INDEX stats_ranges_span_idx ON stats_ranges USING gist (daterange(day, day_end, '[]'));

-- Each event's counted facts, from the tables (a view: a filter on event_id reaches the events' key).
CREATE VIEW stats_facts AS
SELECT e.id AS event_id,
       coalesce(e.date_start, '-infinity'::date) AS day,
       coalesce(e.date_end, e.date_start, '-infinity'::date) AS day_end,
       e.plover_type,
       e.status,
       ARRAY(
           SELECT DISTINCT k FROM (
               SELECT '*' || chr(31) AS k
               UNION ALL SELECT 'mode' || chr(31) || e.plover_mode WHERE e.plover_mode IS NOT NULL
               UNION ALL SELECT 'cameo' || chr(31) || left(e.cameo, 2) WHERE e.cameo IS NOT NULL
               UNION ALL SELECT 'date_precision' || chr(31) || e.date_precision
               UNION ALL SELECT 'has_conflict' || chr(31) || e.has_conflict::text
               UNION ALL SELECT 'location' || chr(31) || e.location_actor_id WHERE e.location_actor_id IS NOT NULL
               UNION ALL SELECT 'actor' || chr(31) || ea.actor_id FROM event_actors ea WHERE ea.event_id = e.id
               UNION ALL
               SELECT 'country' || chr(31) || CASE WHEN a.kind = 'country' THEN a.id ELSE a.country_id END
               FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
               WHERE ea.event_id = e.id AND (a.kind = 'country' OR a.country_id IS NOT NULL)
               UNION ALL
               SELECT 'outlet' || chr(31) || s.outlet
               FROM event_attributions t JOIN sources s ON s.id = t.source_id
               WHERE t.event_id = e.id AND s.outlet IS NOT NULL
               UNION ALL
               SELECT 'via' || chr(31) || t.via_actor_id FROM event_attributions t
               WHERE t.event_id = e.id AND t.via_actor_id IS NOT NULL
           ) keys ORDER BY k) AS keys
FROM events e;

-- Recompute the facts of these events (an id no longer in events counts for nothing) and apply
-- the difference to the rollups: keys an event lost are subtracted, keys it gained added. Rows
-- are upserted in key order, so concurrent writers lock them in one order (no deadlock).
CREATE FUNCTION stats_refresh(ids text[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    WITH new AS MATERIALIZED (SELECT * FROM stats_facts WHERE event_id = ANY(ids)),
    old AS MATERIALIZED (SELECT * FROM stats_event_facts WHERE event_id = ANY(ids)),
    delta AS MATERIALIZED (
        SELECT day, day_end, plover_type, status, k, sum(d)::integer AS d
        FROM (SELECT o.day, o.day_end, o.plover_type, o.status, k, -1 AS d FROM old o, unnest(o.keys) k
              UNION ALL
              SELECT n.day, n.day_end, n.plover_type, n.status, k, 1 FROM new n, unnest(n.keys) k) c
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0),
    rolled AS (
        INSERT INTO stats_rollup AS r (grain, bucket, dim, value, plover_type, status, n)
        SELECT g.grain, date_trunc(g.unit, d.day::timestamp)::date,
               split_part(d.k, chr(31), 1), substr(d.k, strpos(d.k, chr(31)) + 1),
               d.plover_type, d.status, sum(d.d)
        FROM delta d, (VALUES ('d'::"char", 'day'), ('m', 'month'), ('y', 'year')) g(grain, unit)
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.d) <> 0
        ORDER BY 1, 3, 2, 4, 5, 6
        ON CONFLICT (grain, dim, bucket, value, plover_type, status) DO UPDATE SET n = r.n + excluded.n
        RETURNING 1),
    ranged AS (
        INSERT INTO stats_ranges AS r (day, day_end, dim, value, plover_type, status, n)
        SELECT d.day, d.day_end, split_part(d.k, chr(31), 1), substr(d.k, strpos(d.k, chr(31)) + 1),
               d.plover_type, d.status, d.d
        FROM delta d WHERE d.day > '-infinity'::date AND d.day_end > d.day
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (day, day_end, dim, value, plover_type, status) DO UPDATE SET n = r.n + excluded.n
        RETURNING 1),
    gone AS (
        DELETE FROM stats_event_facts f
        WHERE f.event_id = ANY(ids) AND NOT EXISTS (SELECT 1 FROM new n WHERE n.event_id = f.event_id)
        RETURNING 1)
    INSERT INTO stats_event_facts AS f
    SELECT n.* FROM new n
    WHERE NOT EXISTS (SELECT 1 FROM old o WHERE o.event_id = n.event_id
                      AND (o.day, o.day_end, o.plover_type, o.status, o.keys)
                          = (n.day, n.day_end, n.plover_type, n.status, n.keys))
    ON CONFLICT (event_id) DO UPDATE SET day = excluded.day, day_end = excluded.day_end,
        plover_type = excluded.plover_type, status = excluded.status, keys = excluded.keys;
END
$fn$;

-- Every count from the tables (after a load with triggers off, or to check the rollups).
CREATE FUNCTION stats_rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    TRUNCATE stats_event_facts, stats_rollup, stats_ranges;
    INSERT INTO stats_event_facts SELECT * FROM stats_facts;
    INSERT INTO stats_rollup (grain, bucket, dim, value, plover_type, status, n)
    SELECT g.grain, date_trunc(g.unit, f.day::timestamp)::date,
           split_part(k, chr(31), 1), substr(k, strpos(k, chr(31)) + 1), f.plover_type, f.status, count(*)
    FROM stats_event_facts f, unnest(f.keys) k,
         (VALUES ('d'::"char", 'day'), ('m', 'month'), ('y', 'year')) g(grain, unit)
    GROUP BY 1, 2, 3, 4, 5, 6;
    INSERT INTO stats_ranges (day, day_end, dim, value, plover_type, status, n)
    SELECT f.day, f.day_end, split_part(k, chr(31), 1), substr(k, strpos(k, chr(31)) + 1),
           f.plover_type, f.status, count(*)
    FROM stats_event_facts f, unnest(f.keys) k
    WHERE f.day > '-infinity'::date AND f.day_end > f.day
    GROUP BY 1, 2, 3, 4, 5, 6;
END
$fn$;

-- The triggers: which events' facts a statement may have changed.
CREATE FUNCTION stats_events_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM stats_refresh(ARRAY(SELECT id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM stats_refresh(ARRAY(SELECT id FROM old_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM stats_refresh(ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (o.date_start, o.date_end, o.plover_type, o.plover_mode, o.status, o.cameo, o.date_precision,
                   o.has_conflict, o.location_actor_id)
                  IS DISTINCT FROM
                  (n.date_start, n.date_end, n.plover_type, n.plover_mode, n.status, n.cameo, n.date_precision,
                   n.has_conflict, n.location_actor_id)));
    ELSE  -- TRUNCATE
        TRUNCATE stats_event_facts, stats_rollup, stats_ranges;
    END IF;
    RETURN NULL;
END
$fn$;

CREATE FUNCTION stats_links_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM stats_refresh(ARRAY(SELECT DISTINCT event_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM stats_refresh(ARRAY(SELECT DISTINCT event_id FROM old_rows));
    ELSE
        PERFORM stats_refresh(ARRAY(SELECT event_id FROM new_rows UNION SELECT event_id FROM old_rows));
    END IF;
    RETURN NULL;
END
$fn$;

CREATE FUNCTION stats_actors_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM stats_refresh(ARRAY(
        SELECT DISTINCT ea.event_id FROM event_actors ea
        WHERE ea.actor_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                              WHERE (o.kind, o.country_id) IS DISTINCT FROM (n.kind, n.country_id))));
    RETURN NULL;
END
$fn$;

CREATE FUNCTION stats_sources_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM stats_refresh(ARRAY(
        SELECT DISTINCT t.event_id FROM event_attributions t
        WHERE t.source_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                              WHERE o.outlet IS DISTINCT FROM n.outlet)));
    RETURN NULL;
END
$fn$;

CREATE TRIGGER stats_events_insert AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_events_changed();
CREATE TRIGGER stats_events_update AFTER UPDATE ON events REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_events_changed();
CREATE TRIGGER stats_events_delete AFTER DELETE ON events REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_events_changed();
CREATE TRIGGER stats_events_truncate AFTER TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION stats_events_changed();

CREATE TRIGGER stats_event_actors_insert AFTER INSERT ON event_actors REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_links_changed();
CREATE TRIGGER stats_event_actors_update AFTER UPDATE ON event_actors
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_links_changed();
CREATE TRIGGER stats_event_actors_delete AFTER DELETE ON event_actors REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_links_changed();

CREATE TRIGGER stats_attributions_insert AFTER INSERT ON event_attributions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_links_changed();
CREATE TRIGGER stats_attributions_update AFTER UPDATE ON event_attributions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_links_changed();
CREATE TRIGGER stats_attributions_delete AFTER DELETE ON event_attributions REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_links_changed();

CREATE TRIGGER stats_actors_update AFTER UPDATE ON actors REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_actors_changed();
CREATE TRIGGER stats_sources_update AFTER UPDATE ON sources REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_sources_changed();

SELECT stats_rebuild();
ANALYZE stats_event_facts;
ANALYZE stats_rollup;
ANALYZE stats_ranges;
"""

DOWNGRADE = r"""
DROP TRIGGER IF EXISTS stats_events_insert ON events;
DROP TRIGGER IF EXISTS stats_events_update ON events;
DROP TRIGGER IF EXISTS stats_events_delete ON events;
DROP TRIGGER IF EXISTS stats_events_truncate ON events;
DROP TRIGGER IF EXISTS stats_event_actors_insert ON event_actors;
DROP TRIGGER IF EXISTS stats_event_actors_update ON event_actors;
DROP TRIGGER IF EXISTS stats_event_actors_delete ON event_actors;
DROP TRIGGER IF EXISTS stats_attributions_insert ON event_attributions;
DROP TRIGGER IF EXISTS stats_attributions_update ON event_attributions;
DROP TRIGGER IF EXISTS stats_attributions_delete ON event_attributions;
DROP TRIGGER IF EXISTS stats_actors_update ON actors;
DROP TRIGGER IF EXISTS stats_sources_update ON sources;
DROP FUNCTION IF EXISTS stats_events_changed();
DROP FUNCTION IF EXISTS stats_links_changed();
DROP FUNCTION IF EXISTS stats_actors_changed();
DROP FUNCTION IF EXISTS stats_sources_changed();
DROP FUNCTION IF EXISTS stats_rebuild();
DROP FUNCTION IF EXISTS stats_refresh(text[]);
DROP VIEW IF EXISTS stats_facts;
DROP TABLE IF EXISTS stats_ranges;
DROP TABLE IF EXISTS stats_rollup;
DROP TABLE IF EXISTS stats_event_facts;
ALTER TABLE events DROP COLUMN IF EXISTS csv_row;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
