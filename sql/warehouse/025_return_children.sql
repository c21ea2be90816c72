-- 025_return_children.sql: which children are in the return, defined once.
--
-- cms_asof.return_children(as_of, period_end) gives the young_person rows, as recorded at
-- as_of, of the children in the return of the period ending period_end: first contact on or
-- before period_end, or not recorded (so that validation can name the child). person.sql
-- selects from it; every other extraction query keeps only the rows of its children
-- (`x.yp_id IN (SELECT c.yp_id FROM cms_asof.return_children(...) AS c)`, a semi-join, so a
-- row is never repeated).
--
-- The values come in as arguments, never read from settings inside, so a caller may pass
-- current_setting(...), a bound parameter or a column of a one-row parameter relation.
-- LANGUAGE sql STABLE, a single SELECT, not STRICT, no SET clause and not SECURITY DEFINER:
-- that is what lets the planner inline it (and cms_asof.young_person within it) into the
-- calling query, so a query plans and runs exactly as with the condition written out.
-- PARALLEL UNSAFE (the default) like the cms_asof.<table> functions it reads through: a
-- function is labelled no safer than what it calls. Safe to run again (CREATE OR REPLACE),
-- also on a warehouse loaded before this file existed.

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
