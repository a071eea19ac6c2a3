"""Rollups that answer by few rows, whatever the window (replacing 0005's layout).

0005 counted every facet value per (period, type, status) only: a five-year actor facet at 1M events
summed 638,000 rows, and a window starting inside a year read every event dated to that whole year
from the ranges table. Now:

- ``stats_rollup`` also has, for the values of actor, country, outlet, via and location, rows for all
  types and statuses together (``plover_type`` and ``status`` ''), with covering indexes, and
  ``stats_top`` finds the top values of a window from each period's top values and a threshold
  (exact) instead of reading every value;
- events dated to exactly one whole month or year also count by that month or year (grains M and Y):
  a window starting inside it overlaps them, read as one row per value; only other multi-day ranges
  stay in ``stats_ranges``;
- the counts are rebuilt (``stats_rebuild``); the triggers are the same.

Revision ID: 0006
Revises: 0005
"""

from sqlscript import run_sql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UPGRADE = r"""
-- 0005's rollups go (their counts are rebuilt below in the new layout).
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
DROP FUNCTION IF EXISTS stats_top(text, "char"[], date[], date, date, integer, "char"[], date[], date[]);
DROP FUNCTION IF EXISTS stats_cells(date, date, text, text, text);
DROP FUNCTION IF EXISTS stats_aligned(date, date);
DROP TABLE IF EXISTS stats_ranges;
DROP TABLE IF EXISTS stats_rollup;
DROP TABLE IF EXISTS stats_event_facts;

CREATE TABLE stats_event_facts (
    event_id text PRIMARY KEY,
    day date NOT NULL,          -- date_start; '-infinity' when undated
    day_end date NOT NULL,      -- coalesce(date_end, date_start); '-infinity' when undated
    plover_type text NOT NULL,
    status text NOT NULL,
    keys text[] NOT NULL        -- 'dim' || chr(31) || 'value', sorted
);

-- Counts per cell. Grains d, m, y: by the day, month and year of the start day (every event).
-- Grains M and Y: events dated to exactly one whole month or year, by that month or year (they
-- still run after their first day: a window starting inside it overlaps them).
-- plover_type/status '' (values of actor, country, outlet, via and location only): every type and
-- status together, so a facet over all of them reads one row per value and period.
CREATE TABLE stats_rollup (
    grain "char" NOT NULL CHECK (grain IN ('d', 'm', 'y', 'M', 'Y')),
    bucket date NOT NULL,       -- first day of the period; '-infinity': undated events
    dim text NOT NULL,
    value text NOT NULL,
    plover_type text NOT NULL,
    status text NOT NULL,
    n integer NOT NULL,
    PRIMARY KEY (grain, dim, bucket, value, plover_type, status) INCLUDE (n)
) WITH (fillfactor = 80);
-- One value across periods: a dimension filter (actor=X by type), the series of a timeline group.
CREATE INDEX stats_rollup_value_idx ON stats_rollup (grain, dim, value, bucket) INCLUDE (plover_type, status, n);
-- The rows of all types and statuses: by count in a period (the top values of a window, stats_top),
-- and one value across periods.
CREATE INDEX stats_rollup_rank_idx ON stats_rollup (grain, dim, bucket, n DESC) INCLUDE (value)
    WHERE plover_type = '';
CREATE INDEX stats_rollup_value_all_idx ON stats_rollup (grain, dim, value, bucket) INCLUDE (n)
    WHERE plover_type = '';

-- Events over several days that are not one whole month or year, by exact start and end.
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

-- 'M' for a range of exactly one calendar month, 'Y' of one calendar year, else NULL.
CREATE FUNCTION stats_aligned(day date, day_end date) RETURNS "char" LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE
        WHEN day_end <= day THEN NULL
        WHEN day = date_trunc('year', day) AND day_end = (date_trunc('year', day) + interval '1 year - 1 day')::date
            THEN 'Y'::"char"
        WHEN day = date_trunc('month', day) AND day_end = (date_trunc('month', day) + interval '1 month - 1 day')::date
            THEN 'M'::"char"
    END
$fn$;

-- The rollup cells one fact key of an event counts in.
CREATE FUNCTION stats_cells(day date, day_end date, plover_type text, status text, k text)
RETURNS TABLE (grain "char", bucket date, dim text, value text, cell_type text, cell_status text)
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT g.grain, g.bucket, split_part(k, chr(31), 1), substr(k, strpos(k, chr(31)) + 1), t.t, t.s
    FROM (VALUES ('d'::"char", day),
                 ('m', date_trunc('month', day::timestamp)::date),
                 ('y', date_trunc('year', day::timestamp)::date),
                 (stats_aligned(day, day_end), day)) g(grain, bucket)
    CROSS JOIN LATERAL (
        SELECT plover_type AS t, status AS s
        UNION ALL
        SELECT '', '' WHERE split_part(k, chr(31), 1) IN ('actor', 'country', 'outlet', 'via', 'location')) t
    WHERE g.grain IS NOT NULL
$fn$;

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
        SELECT c.grain, c.bucket, c.dim, c.value, c.cell_type, c.cell_status, sum(d.d)
        FROM delta d, stats_cells(d.day, d.day_end, d.plover_type, d.status, d.k) c
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.d) <> 0
        ORDER BY 1, 3, 2, 4, 5, 6
        ON CONFLICT (grain, dim, bucket, value, plover_type, status) DO UPDATE SET n = r.n + excluded.n
        RETURNING 1),
    ranged AS (
        INSERT INTO stats_ranges AS r (day, day_end, dim, value, plover_type, status, n)
        SELECT d.day, d.day_end, c.dim, c.value, c.cell_type, c.cell_status, sum(d.d)
        FROM delta d, stats_cells(d.day, d.day_end, d.plover_type, d.status, d.k) c
        WHERE d.day > '-infinity'::date AND d.day_end > d.day AND stats_aligned(d.day, d.day_end) IS NULL
              AND c.grain = 'd'
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.d) <> 0
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
    SELECT c.grain, c.bucket, c.dim, c.value, c.cell_type, c.cell_status, count(*)
    FROM stats_event_facts f, unnest(f.keys) k, stats_cells(f.day, f.day_end, f.plover_type, f.status, k) c
    GROUP BY 1, 2, 3, 4, 5, 6
    ORDER BY 1, 3, 2, 4, 5, 6;
    INSERT INTO stats_ranges (day, day_end, dim, value, plover_type, status, n)
    SELECT f.day, f.day_end, c.dim, c.value, c.cell_type, c.cell_status, count(*)
    FROM stats_event_facts f, unnest(f.keys) k, stats_cells(f.day, f.day_end, f.plover_type, f.status, k) c
    WHERE f.day > '-infinity'::date AND f.day_end > f.day AND stats_aligned(f.day, f.day_end) IS NULL
          AND c.grain = 'd'
    GROUP BY 1, 2, 3, 4, 5, 6;
END
$fn$;

-- The top p_k values of dim p_dim (all types and statuses) over a window: the periods
-- (p_grains[i], p_buckets[i]), the same as ranges (p_span_grains[i], p_span_firsts[i] ..
-- p_span_lasts[i]), plus the events running at p_from (started before it, not after p_to): the
-- whole month and year of p_from that began before it (grains M and Y, one more period each) and
-- the other ranges. Exact without reading every value: a value in the top k has a count of at
-- least the k-th total L, so at least L / (periods + 1) in one of the periods or among the running
-- ranges; the candidates are the top k of each, L their k-th total, then every value over that
-- share in one of them, counted exactly. (The year of p_from is a period of its own, read by rank:
-- the events dated only to that year hold thousands of values.)
CREATE FUNCTION stats_top(p_dim text, p_grains "char"[], p_buckets date[], p_from date, p_to date, p_k integer,
                          p_span_grains "char"[], p_span_firsts date[], p_span_lasts date[])
RETURNS TABLE (value text, n bigint) LANGUAGE sql STABLE AS $fn$
WITH periods AS MATERIALIZED (
    SELECT * FROM unnest(p_grains, p_buckets) p(grain, bucket)
    UNION ALL
    SELECT a.grain, a.bucket
    FROM (VALUES ('M'::"char", date_trunc('month', p_from)::date), ('Y'::"char", date_trunc('year', p_from)::date))
         a(grain, bucket)
    WHERE p_from IS NOT NULL AND a.bucket < p_from AND (p_to IS NULL OR a.bucket <= p_to)),
spans AS MATERIALIZED (
    SELECT * FROM unnest(p_span_grains, p_span_firsts, p_span_lasts) s(grain, first, last)
    UNION ALL
    SELECT p.grain, p.bucket, p.bucket FROM periods p WHERE p.grain IN ('M', 'Y')),
running AS MATERIALIZED (
    SELECT r.value, sum(r.n) AS n FROM stats_ranges r
    WHERE p_from IS NOT NULL AND daterange(r.day, r.day_end, '[]') @> p_from AND r.day < p_from
          AND (p_to IS NULL OR r.day <= p_to) AND r.dim = p_dim AND r.plover_type = ''
    GROUP BY r.value),
tops AS (
    SELECT t.value FROM periods p, LATERAL (
        SELECT r.value FROM stats_rollup r
        WHERE r.grain = p.grain AND r.dim = p_dim AND r.bucket = p.bucket AND r.plover_type = ''
        ORDER BY r.n DESC LIMIT p_k) t
    UNION
    SELECT * FROM (SELECT running.value FROM running ORDER BY running.n DESC LIMIT p_k) rt),
totals AS MATERIALIZED (
    SELECT c.value, coalesce(w.n, 0) + coalesce(rn.n, 0) AS n
    FROM tops c
    CROSS JOIN LATERAL (
        SELECT sum(r.n) AS n FROM spans s JOIN stats_rollup r
        ON r.grain = s.grain AND r.dim = p_dim AND r.value = c.value AND r.bucket BETWEEN s.first AND s.last
           AND r.plover_type = '') w
    LEFT JOIN running rn ON rn.value = c.value),
threshold AS (
    SELECT ceil(coalesce((SELECT t.n FROM totals t ORDER BY t.n DESC OFFSET p_k - 1 LIMIT 1), 0)::numeric
                / ((SELECT count(*) FROM periods) + 1))::bigint AS t),
more AS (
    SELECT m.value FROM periods p, threshold th, LATERAL (
        SELECT r.value FROM stats_rollup r
        WHERE r.grain = p.grain AND r.dim = p_dim AND r.bucket = p.bucket AND r.plover_type = '' AND r.n >= th.t) m
    UNION
    SELECT running.value FROM running, threshold th WHERE running.n >= th.t
    EXCEPT
    SELECT totals.value FROM totals),
more_totals AS (
    SELECT c.value, coalesce(w.n, 0) + coalesce(rn.n, 0) AS n
    FROM more c
    CROSS JOIN LATERAL (
        SELECT sum(r.n) AS n FROM spans s JOIN stats_rollup r
        ON r.grain = s.grain AND r.dim = p_dim AND r.value = c.value AND r.bucket BETWEEN s.first AND s.last
           AND r.plover_type = '') w
    LEFT JOIN running rn ON rn.value = c.value)
SELECT a.value, a.n FROM (SELECT * FROM totals UNION ALL SELECT * FROM more_totals) a
WHERE a.n > 0 ORDER BY a.n DESC, a.value LIMIT p_k
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
DROP FUNCTION IF EXISTS stats_top(text, "char"[], date[], date, date, integer, "char"[], date[], date[]);
DROP FUNCTION IF EXISTS stats_refresh(text[]);
DROP VIEW IF EXISTS stats_facts;
DROP FUNCTION IF EXISTS stats_cells(date, date, text, text, text);
DROP FUNCTION IF EXISTS stats_aligned(date, date);
DROP TABLE IF EXISTS stats_ranges;
DROP TABLE IF EXISTS stats_rollup;
DROP TABLE IF EXISTS stats_event_facts;

-- 0005's rollups again.
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


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
