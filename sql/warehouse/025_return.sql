-- 025_return.sql: the return's rules over the warehouse, each defined once for every
-- extraction query (sql/extract/) that needs it.
--
--   cms_asof.return_children(as_of, period_end)
--       the young_person rows, as recorded at as_of, of the children in the return of the
--       period ending period_end: first contact on or before period_end, or not recorded (so
--       that validation can name the child). person.sql selects from it; every other query
--       keeps only the rows of these children with a semi-join
--       (`x.yp_id IN (SELECT c.yp_id FROM cms_asof.return_children(...) AS c)`), so a row is
--       never repeated.
--   cms_asof.care_status_on(as_of, child, on_date)
--       the child's care status current on on_date, as recorded at as_of, the most protective
--       first (looked after, care experienced, child protection plan, child in need, early
--       help plan; then the lowest care_status_id): one row, or none. offence.sql and
--       outcome.sql read it as a scalar subquery, on the offence and the outcome date.
--
-- The values come in as arguments, never read from settings inside, so a caller may pass
-- current_setting(...), a bound parameter or a column of a one-row parameter relation.
-- Each is LANGUAGE sql STABLE, a single SELECT, not STRICT, with no SET clause and not
-- SECURITY DEFINER: that is what lets the planner inline it (and the cms_asof.<table>
-- functions within it) into the calling query, so a query plans and runs as it would with
-- the condition written out. PARALLEL UNSAFE (the default), like the cms_asof.<table>
-- functions they read through: a function is labelled no safer than what it calls.
-- Safe to run again (CREATE OR REPLACE), also on a warehouse loaded before this file existed.

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
