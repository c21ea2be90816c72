-- 020_history.sql: system-versioned history for every cms table, and as-of readers.
--
-- For each table cms.<t>:
--   cms_history.<t>   the same columns plus sys_to: one row per superseded version, valid
--                     over [sys_from, sys_to).
--   triggers          BEFORE UPDATE sets NEW.sys_from = now(); AFTER UPDATE OR DELETE copies
--                     the OLD row into cms_history.<t> with sys_to = now().
--   cms_asof.<t>(t)   the rows as recorded at t: current rows with sys_from <= t plus history
--                     rows with sys_from <= t < sys_to. LANGUAGE sql STABLE PARALLEL SAFE, so
--                     the planner inlines it and pushes the caller's filters and joins down.
--                     t is compared as (SELECT t): when t is an expression of no row (a
--                     setting, a parameter), the planner computes it once, as an InitPlan,
--                     not once per row scanned (current_setting() parses the text each time).
-- now() is the transaction start time, so all changes of one transaction share one instant.
-- Run after 010_schema.sql, before any data is loaded; it covers every table then in cms.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE SCHEMA cms_history;
COMMENT ON SCHEMA cms_history IS 'Superseded versions of cms rows, [sys_from, sys_to)';
CREATE SCHEMA cms_asof;
COMMENT ON SCHEMA cms_asof IS 'cms_asof.<table>(t): cms rows as recorded at time t';

CREATE FUNCTION cms_history.stamp_sys_from() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.sys_from := now();
    RETURN NEW;
END
$$;

-- The history table has the base table's columns in the same order, then sys_to.
CREATE FUNCTION cms_history.keep_old_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('INSERT INTO cms_history.%I SELECT ($1).*, now()', TG_TABLE_NAME)
        USING OLD;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    tab  record;
    cols text;
BEGIN
    FOR tab IN
        SELECT c.oid, c.relname
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'cms' AND c.relkind = 'r'
         ORDER BY c.relname
    LOOP
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
          INTO cols
          FROM pg_attribute a
         WHERE a.attrelid = tab.oid AND a.attnum > 0 AND NOT a.attisdropped;

        EXECUTE format('CREATE TABLE cms_history.%I (LIKE cms.%I)', tab.relname, tab.relname);
        EXECUTE format('ALTER TABLE cms_history.%I ADD COLUMN sys_to timestamptz NOT NULL',
                       tab.relname);
        IF EXISTS (SELECT 1 FROM pg_attribute
                    WHERE attrelid = tab.oid AND attname = 'yp_id' AND NOT attisdropped) THEN
            EXECUTE format('CREATE INDEX %I ON cms_history.%I (yp_id)',
                           tab.relname || '_yp_id_idx', tab.relname);
        END IF;

        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON cms.%I FOR EACH ROW '
                       'EXECUTE FUNCTION cms_history.stamp_sys_from()',
                       tab.relname || '_stamp', tab.relname);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE OR DELETE ON cms.%I FOR EACH ROW '
                       'EXECUTE FUNCTION cms_history.keep_old_row()',
                       tab.relname || '_history', tab.relname);

        EXECUTE format($f$
            CREATE FUNCTION cms_asof.%1$I(t timestamptz) RETURNS SETOF cms.%1$I
            LANGUAGE sql STABLE PARALLEL SAFE AS $body$
                SELECT %2$s FROM cms.%1$I WHERE sys_from <= (SELECT $1)
                UNION ALL
                SELECT %2$s FROM cms_history.%1$I
                 WHERE sys_from <= (SELECT $1) AND sys_to > (SELECT $1)
            $body$ $f$, tab.relname, cols);
        EXECUTE format('COMMENT ON FUNCTION cms_asof.%I(timestamptz) IS %L',
                       tab.relname, 'cms.' || tab.relname || ' as recorded at time t');
    END LOOP;
END
$$;
