-- parenting_intervention: work with parents (items parentingIntervention and
-- programmeParentingLink) recorded as at yj.as_of, starting on or before yj.period_end (or
-- undated), of the children in person.sql; ordered by child_id, parenting_id. programme_id
-- is kept only when that programme is in programme.sql for the same child.
SELECT pi.yp_id AS child_id,
       pi.parenting_id,
       p.programme_id,
       pi.type_cd,
       pi.start_date,
       pi.sessions_planned,
       pi.sessions_attended
  FROM cms_asof.parenting_intervention(current_setting('yj.as_of')::timestamptz) AS pi
  LEFT JOIN cms_asof.programme(current_setting('yj.as_of')::timestamptz) AS p
    ON p.programme_id = pi.programme_id AND p.yp_id = pi.yp_id
   AND (p.start_date <= current_setting('yj.period_end')::date OR p.start_date IS NULL)
 WHERE (pi.start_date <= current_setting('yj.period_end')::date OR pi.start_date IS NULL)
   AND pi.yp_id IN (SELECT c.yp_id
                    FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                  current_setting('yj.period_end')::date) AS c)
 ORDER BY pi.yp_id, pi.parenting_id
