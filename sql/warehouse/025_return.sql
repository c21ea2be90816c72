-- 025_return.sql: the return's rules over the warehouse, each defined once for every
-- extraction query (sql/extract/) that needs it.
--
--   cms_asof.return_children(as_of, period_end)
--       the young_person rows, as recorded at as_of, of the children in the return of the
--       period ending period_end: first contact on or before period_end, or not recorded (so
--       that validation can name the child). person.sql selects from it.
--   cms_asof.<table>_dated(as_of, period_end)
--       the rows of cms_asof.<table>(as_of) dated on or before period_end, or undated (so that
--       validation can name them), by the date column the list below names for the table.
--   cms_asof.<table>_in_return(as_of, period_end)
--       for the tables the list marks as a child's own history: the rows of <table>_dated of
--       the children in the return, kept with a semi-join (`yp_id IN (SELECT ... FROM
--       return_children(...))`), so a row is never repeated. A query of a table whose rows
--       hang under another row (an outcome under its offence) joins the parent's
--       <parent>_in_return instead: the child is the parent's.
--   cms_asof.screening_in_return(kind, as_of, period_end)
--       the screenings ('mh' mental health, 'sm' substance misuse: two tables of the same
--       columns) of mh_screening_in_return or sm_screening_in_return, with the columns the
--       return reads; the query names the child and id columns.
--   cms_asof.offence_link_in_return(parent, as_of, period_end)
--       the links between an offence and a hearing ('hearing') or a programme
--       ('programme') of the same child: the parent in hearing_ or programme_in_return, the
--       offence in offence_dated; the child is the parent's.
--   cms_asof.care_status_on(as_of, child, on_date)
--       the child's care status current on on_date, as recorded at as_of, the most protective
--       first (looked after, care experienced, child protection plan, child in need, early
--       help plan; then the lowest care_status_id): one row, or none. offence.sql and
--       outcome.sql read it as a scalar subquery, on the offence and the outcome date.
--
-- The values come in as arguments, never read from settings inside, so a caller may pass
-- current_setting(...), a bound parameter or a column of a one-row parameter relation.
-- Each is LANGUAGE sql STABLE, a single SELECT, not STRICT, with no SET clause and not
-- SECURITY DEFINER: that is what lets the planner inline it (and the cms_asof functions
-- within it) into the calling query, so a query plans and runs as it would with the
-- conditions written out (a kind or parent given as a literal leaves one branch of the
-- UNION ALL; the others are never scanned). PARALLEL UNSAFE (the default), like the
-- cms_asof.<table> functions they read through: a function is labelled no safer than what
-- it calls. Safe to run again (CREATE OR REPLACE), also on a warehouse loaded before this
-- file existed.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE OR REPLACE FUNCTION cms_asof.return_children(as_of timestamptz, period_end date)
RETURNS SETOF cms.young_person
LANGUAGE sql STABLE AS $$
    SELECT yp.*
      FROM cms_asof.young_person(as_of) AS yp
     WHERE yp.first_contact_date <= period_end
        OR yp.first_contact_date IS NULL
$$;
COMMENT ON FUNCTION cms_asof.return_children(timestamptz, date) IS
    'cms.young_person as recorded at as_of: the children in the return of the period ending '
    'period_end (first contact on or before it, or not recorded)';

-- Each table whose rows a period keeps or leaves out by a date: the date column, and whether
-- the rows are a child's own history (yp_id is their child) or hang under another row.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT *
          FROM (VALUES ('accommodation', 'start_date', true),
                       ('assessment', 'assessment_date', true),
                       ('care_status', 'start_date', true),
                       ('ete', 'start_date', true),
                       ('hearing', 'hearing_date', true),
                       ('mh_screening', 'screened_date', true),
                       ('offence', 'offence_date', true),
                       ('outcome', 'outcome_date', false),
                       ('parenting_intervention', 'start_date', true),
                       ('police_bail', 'start_date', false),
                       ('programme', 'start_date', true),
                       ('send_aln', 'start_date', true),
                       ('sm_screening', 'screened_date', true),
                       ('transfer', 'transfer_date', true),
                       ('victim', 'contact_date', false)) AS v (tab, dated_by, own)
    LOOP
        EXECUTE format($f$
            CREATE OR REPLACE FUNCTION cms_asof.%1$I(as_of timestamptz, period_end date)
            RETURNS SETOF cms.%2$I
            LANGUAGE sql STABLE AS $body$
                SELECT x.*
                  FROM cms_asof.%2$I(as_of) AS x
                 WHERE x.%3$I <= period_end OR x.%3$I IS NULL
            $body$ $f$, t.tab || '_dated', t.tab, t.dated_by);
        EXECUTE format('COMMENT ON FUNCTION cms_asof.%I(timestamptz, date) IS %L',
                       t.tab || '_dated', 'cms.' || t.tab || ' as recorded at as_of, '
                       || t.dated_by || ' on or before period_end or NULL');
        CONTINUE WHEN NOT t.own;
        EXECUTE format($f$
            CREATE OR REPLACE FUNCTION cms_asof.%1$I(as_of timestamptz, period_end date)
            RETURNS SETOF cms.%2$I
            LANGUAGE sql STABLE AS $body$
                SELECT x.*
                  FROM cms_asof.%3$I(as_of, period_end) AS x
                 WHERE x.yp_id IN (SELECT c.yp_id
                                     FROM cms_asof.return_children(as_of, period_end) AS c)
            $body$ $f$, t.tab || '_in_return', t.tab, t.tab || '_dated');
        EXECUTE format('COMMENT ON FUNCTION cms_asof.%I(timestamptz, date) IS %L',
                       t.tab || '_in_return', 'cms_asof.' || t.tab || '_dated of the children '
                       || 'in the return (cms_asof.return_children)');
    END LOOP;
END
$$;

-- which, parent: a column of the same name would hide the argument (see care_status_on).
CREATE OR REPLACE FUNCTION cms_asof.screening_in_return(which text, as_of timestamptz,
                                                       period_end date)
RETURNS TABLE (yp_id bigint, screening_id bigint, screened_date date, referred_date date,
               offered_date date, attended_start_date date, attended_end_date date,
               intervention_cd text)
LANGUAGE sql STABLE AS $$
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

CREATE OR REPLACE FUNCTION cms_asof.offence_link_in_return(parent text, as_of timestamptz,
                                                          period_end date)
RETURNS TABLE (yp_id bigint, parent_id bigint, offence_id bigint)
LANGUAGE sql STABLE AS $$
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

-- child, not yp_id: in a SQL function a column of the same name would hide the argument.
CREATE OR REPLACE FUNCTION cms_asof.care_status_on(as_of timestamptz, child bigint, on_date date)
RETURNS TABLE (status_cd text)
LANGUAGE sql STABLE AS $$
    SELECT s.status_cd
      FROM cms_asof.care_status(as_of) AS s
     WHERE s.yp_id = child
       AND s.start_date <= on_date
       AND (s.end_date IS NULL OR s.end_date >= on_date)
     ORDER BY array_position(ARRAY['LAC', 'CEX', 'CPP', 'CIN', 'EHP'], s.status_cd),
              s.care_status_id
     LIMIT 1
$$;
COMMENT ON FUNCTION cms_asof.care_status_on(timestamptz, bigint, date) IS
    'the care status of child current on on_date as recorded at as_of, the most protective '
    'first (LAC, CEX, CPP, CIN, EHP): one row or none';
