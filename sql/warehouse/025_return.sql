-- 025_return.sql: the return's rules over the warehouse, each defined once for every
-- extraction query (sql/extract/) that needs it, all in schema cms_asof.
--
--   return_children(as_of, period_end)
--       the young_person rows, as recorded at as_of, of the children in the return of the
--       period ending period_end: first contact on or before period_end, or not recorded (so
--       that validation can name the child). person.sql selects from it.
--   <table>_dated(as_of, period_end)
--       the rows of <table>(as_of) dated on or before period_end, or undated (so that
--       validation can name them), by the table's date column.
--   <table>_in_return(as_of, period_end)
--       the rows of <table> in the return: of <table>_dated (or all of <table>, undated), those
--       of the children of return_children, or those whose parent row of the same child is in
--       <parent>_in_return; a link to another row kept only when that row is in its
--       <link>_dated for the same child. Kept with semi-joins, so a row is never repeated.
--       The list below describes each table once; a loop creates both functions from it.
--   screening_in_return(kind, as_of, period_end)
--       the screenings ('mh' mental health, 'sm' substance misuse: two tables of the same
--       columns) of mh_ or sm_screening_in_return, with the columns the return reads; the
--       query names the child and id columns.
--   offence_link_in_return(parent, as_of, period_end)
--       the links between an offence in offence_dated and a hearing ('hearing') or a programme
--       ('programme') of the same child in hearing_ or programme_in_return; the child is the
--       parent's.
--   care_status_on(as_of, child, on_date)
--       the child's care status current on on_date, as recorded at as_of, the most protective
--       first (looked after, care experienced, child protection plan, child in need, early
--       help plan: care_status_rank; then the lowest care_status_id): one row, or none.
--       offence.sql and outcome.sql give the same by one join with care_status (the first
--       row of each offence or outcome by care_status_rank and care_status_id).
--
-- The values come in as arguments, never read from settings inside. as_of and period_end
-- default to the settings yj-extract sets for its queries (yj.as_of, yj.period_end), so a
-- query calls return_children() or ete_in_return(); a caller may pass a bound parameter
-- instead. Each is LANGUAGE sql STABLE, a single
-- SELECT, not STRICT, with no SET clause and not SECURITY DEFINER: that is what lets the
-- planner inline it (and the cms_asof functions within it, the defaults included) into the
-- calling query, so a query plans and runs as it would with the conditions written out (a
-- kind or parent given as a literal leaves one branch of the UNION ALL; the other is never
-- scanned). A date compared with period_end is compared with (SELECT period_end), as the
-- cms_asof.<table> functions compare with (SELECT as_of): given a setting (the default) or a
-- parameter, the planner computes it once per query, as an InitPlan, never once per row; given
-- a column of another relation it would become a SubPlan per row, so a caller passes values,
-- not columns. PARALLEL SAFE, like the cms_asof.<table> functions they read through and
-- current_setting(): a parallel plan may run them in its workers. Safe to run again (CREATE OR
-- REPLACE), also on a warehouse loaded before this file existed.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE OR REPLACE FUNCTION cms_asof.return_children(
    as_of timestamptz DEFAULT current_setting('yj.as_of')::timestamptz,
    period_end date DEFAULT current_setting('yj.period_end')::date)
RETURNS SETOF cms.young_person
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT yp.*
      FROM cms_asof.young_person(as_of) AS yp
     WHERE yp.first_contact_date <= (SELECT period_end)
        OR yp.first_contact_date IS NULL
$$;
COMMENT ON FUNCTION cms_asof.return_children(timestamptz, date) IS
    'cms.young_person as recorded at as_of: the children in the return of the period ending '
    'period_end (first contact on or before it, or not recorded)';

-- The rows each table gives the return, described once per table: the date column by which a
-- period keeps a row (NULL: undated, kept with its parent), whose child the row is ('child': its
-- own yp_id, a child in return_children; a table: the child of its parent row in that table's
-- <parent>_in_return, the same yp_id and <parent>_id; NULL: only <table>_dated, its query joins
-- the parent), and the table whose row it may name (<link>_id, kept only when that row is in
-- <link>_dated for the same child, else NULL, so that a link never names a row the return
-- lacks). A parent comes before the tables under it.
DO $$
DECLARE
    -- the arguments of every function below, with the defaults of return_children
    params CONSTANT text :=
        'as_of timestamptz DEFAULT current_setting(''yj.as_of'')::timestamptz, '
        'period_end date DEFAULT current_setting(''yj.period_end'')::date';
    t record;
    cols text;
    src text;
    keep text;
BEGIN
    FOR t IN
        SELECT *
          FROM (VALUES (1, 'accommodation', 'start_date', 'child', NULL),
                       (2, 'care_status', 'start_date', 'child', NULL),
                       (3, 'ete', 'start_date', 'child', NULL),
                       (4, 'hearing', 'hearing_date', 'child', NULL),
                       (5, 'mh_screening', 'screened_date', 'child', NULL),
                       (6, 'offence', 'offence_date', 'child', NULL),
                       (7, 'programme', 'start_date', 'child', 'hearing'),
                       (8, 'assessment', 'assessment_date', 'child', 'programme'),
                       (9, 'parenting_intervention', 'start_date', 'child', 'programme'),
                       (10, 'send_aln', 'start_date', 'child', NULL),
                       (11, 'sm_screening', 'screened_date', 'child', NULL),
                       (12, 'transfer', 'transfer_date', 'child', NULL),
                       (13, 'outcome', 'outcome_date', NULL, NULL),
                       (14, 'police_bail', 'start_date', 'offence', NULL),
                       (15, 'victim', 'contact_date', 'offence', NULL),
                       (16, 'sentence_proposal', NULL, 'hearing', NULL))
               AS v (n, tab, dated_by, under, link)
         ORDER BY n
    LOOP
        src := format('cms_asof.%I(as_of)', t.tab);
        IF t.dated_by IS NOT NULL THEN
            EXECUTE format($f$
                CREATE OR REPLACE FUNCTION cms_asof.%1$I(%4$s)
                RETURNS SETOF cms.%2$I
                LANGUAGE sql STABLE PARALLEL SAFE AS $body$
                    SELECT x.*
                      FROM cms_asof.%2$I(as_of) AS x
                     WHERE x.%3$I <= (SELECT period_end) OR x.%3$I IS NULL
                $body$ $f$, t.tab || '_dated', t.tab, t.dated_by, params);
            EXECUTE format('COMMENT ON FUNCTION cms_asof.%I(timestamptz, date) IS %L',
                           t.tab || '_dated', 'cms.' || t.tab || ' as recorded at as_of, '
                           || t.dated_by || ' on or before period_end or NULL');
            src := format('cms_asof.%I(as_of, period_end)', t.tab || '_dated');
        END IF;
        CONTINUE WHEN t.under IS NULL;
        -- the table's columns in order; the link column from the linked row
        SELECT string_agg(CASE WHEN a.attname = t.link || '_id' THEN 'l.' ELSE 'x.' END
                          || quote_ident(a.attname), ', ' ORDER BY a.attnum)
          INTO cols
          FROM pg_attribute a
         WHERE a.attrelid = format('cms.%I', t.tab)::regclass AND a.attnum > 0
           AND NOT a.attisdropped;
        src := src || ' AS x';
        IF t.link IS NOT NULL THEN
            src := src || format(' LEFT JOIN cms_asof.%I(as_of, period_end) AS l'
                                 ' ON l.%I = x.%I AND l.yp_id = x.yp_id',
                                 t.link || '_dated', t.link || '_id', t.link || '_id');
        END IF;
        IF t.under = 'child' THEN
            keep := 'x.yp_id IN (SELECT c.yp_id '
                    'FROM cms_asof.return_children(as_of, period_end) AS c)';
        ELSE
            keep := format('(x.%1$I, x.yp_id) IN (SELECT p.%1$I, p.yp_id '
                           'FROM cms_asof.%2$I(as_of, period_end) AS p)',
                           t.under || '_id', t.under || '_in_return');
        END IF;
        EXECUTE format($f$
            CREATE OR REPLACE FUNCTION cms_asof.%1$I(%6$s)
            RETURNS SETOF cms.%2$I
            LANGUAGE sql STABLE PARALLEL SAFE AS $body$
                SELECT %3$s
                  FROM %4$s
                 WHERE %5$s
            $body$ $f$, t.tab || '_in_return', t.tab, cols, src, keep, params);
        EXECUTE format('COMMENT ON FUNCTION cms_asof.%I(timestamptz, date) IS %L',
                       t.tab || '_in_return', 'the rows of cms.' || t.tab || ' in the return '
                       || 'as recorded at as_of, for the period ending period_end');
    END LOOP;
END
$$;

-- which, parent: not kind, the name of a column inside, which would hide the argument (see
-- care_status_on).
CREATE OR REPLACE FUNCTION cms_asof.screening_in_return(
    which text,
    as_of timestamptz DEFAULT current_setting('yj.as_of')::timestamptz,
    period_end date DEFAULT current_setting('yj.period_end')::date)
RETURNS TABLE (yp_id bigint, screening_id bigint, screened_date date, referred_date date,
               offered_date date, attended_start_date date, attended_end_date date,
               intervention_cd text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT s.yp_id, s.screening_id, s.screened_date, s.referred_date, s.offered_date,
           s.attended_start_date, s.attended_end_date, s.intervention_cd
      FROM (SELECT 'mh' AS kind, m.* FROM cms_asof.mh_screening_in_return(as_of, period_end) AS m
            UNION ALL
            SELECT 'sm', m.* FROM cms_asof.sm_screening_in_return(as_of, period_end) AS m)
           AS s (kind, screening_id)
     WHERE s.kind = which
$$;
COMMENT ON FUNCTION cms_asof.screening_in_return(text, timestamptz, date) IS
    'the screenings of kind which (mh, sm) in the return, with the columns the return reads';

CREATE OR REPLACE FUNCTION cms_asof.offence_link_in_return(
    parent text,
    as_of timestamptz DEFAULT current_setting('yj.as_of')::timestamptz,
    period_end date DEFAULT current_setting('yj.period_end')::date)
RETURNS TABLE (yp_id bigint, parent_id bigint, offence_id bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p.yp_id, l.parent_id, l.offence_id
      FROM (SELECT 'hearing' AS kind, l.hearing_id, l.offence_id
              FROM cms_asof.hearing_offence(as_of) AS l
            UNION ALL
            SELECT 'programme', l.programme_id, l.offence_id
              FROM cms_asof.programme_offence(as_of) AS l) AS l (kind, parent_id, offence_id)
      JOIN (SELECT 'hearing' AS kind, h.hearing_id, h.yp_id
              FROM cms_asof.hearing_in_return(as_of, period_end) AS h
            UNION ALL
            SELECT 'programme', p.programme_id, p.yp_id
              FROM cms_asof.programme_in_return(as_of, period_end) AS p) AS p (kind, id, yp_id)
        ON p.id = l.parent_id
      JOIN cms_asof.offence_dated(as_of, period_end) AS o
        ON o.offence_id = l.offence_id AND o.yp_id = p.yp_id
     WHERE l.kind = parent AND p.kind = parent
$$;
COMMENT ON FUNCTION cms_asof.offence_link_in_return(text, timestamptz, date) IS
    'the links of an offence to its parent (hearing, programme) in the return and of the same '
    'child; yp_id is the parent''s';

-- The order of care statuses, the most protective first (NULL for any other code: last).
CREATE OR REPLACE FUNCTION cms_asof.care_status_rank(status_cd text)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_position(ARRAY['LAC', 'CEX', 'CPP', 'CIN', 'EHP'], status_cd)
$$;
COMMENT ON FUNCTION cms_asof.care_status_rank(text) IS
    'where a care status comes among LAC, CEX, CPP, CIN, EHP (the most protective first), or NULL';

-- child, not yp_id: in a SQL function a column of the same name would hide the argument.
CREATE OR REPLACE FUNCTION cms_asof.care_status_on(as_of timestamptz, child bigint, on_date date)
RETURNS TABLE (status_cd text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT s.status_cd
      FROM cms_asof.care_status(as_of) AS s
     WHERE s.yp_id = child
       AND s.start_date <= on_date
       AND (s.end_date IS NULL OR s.end_date >= on_date)
     ORDER BY cms_asof.care_status_rank(s.status_cd), s.care_status_id
     LIMIT 1
$$;
COMMENT ON FUNCTION cms_asof.care_status_on(timestamptz, bigint, date) IS
    'the care status of child current on on_date as recorded at as_of, the most protective '
    'first (LAC, CEX, CPP, CIN, EHP): one row or none';
