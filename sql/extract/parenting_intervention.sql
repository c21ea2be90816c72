-- parenting_intervention: work with parents (items parentingIntervention and
-- programmeParentingLink) in the return: as recorded at yj.as_of, starting on or before
-- yj.period_end (or undated), of the children in person.sql
-- (cms_asof.parenting_intervention_in_return, sql/warehouse/025_return.sql); ordered by
-- child_id, parenting_id. programme_id is kept only when that programme is in programme.sql for
-- the same child.
SELECT pi.yp_id AS child_id,
       pi.parenting_id,
       p.programme_id,
       pi.type_cd,
       pi.start_date,
       pi.sessions_planned,
       pi.sessions_attended
  FROM cms_asof.parenting_intervention_in_return(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS pi
  LEFT JOIN cms_asof.programme_dated(current_setting('yj.as_of')::timestamptz,
                                     current_setting('yj.period_end')::date) AS p
    ON p.programme_id = pi.programme_id AND p.yp_id = pi.yp_id
 ORDER BY pi.yp_id, pi.parenting_id
