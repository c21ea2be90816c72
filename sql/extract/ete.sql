-- ete: education, training and employment episodes (item eteStatus) recorded as at yj.as_of,
-- starting on or before yj.period_end (or undated), of the children in person.sql; ordered by
-- child_id, ete_id.
SELECT e.yp_id AS child_id,
       e.ete_id,
       e.start_date,
       e.end_date,
       e.provision_cd,
       e.suitability_cd,
       e.hours_offered,
       e.hours_attended
  FROM cms_asof.ete(current_setting('yj.as_of')::timestamptz) AS e
 WHERE (e.start_date <= current_setting('yj.period_end')::date OR e.start_date IS NULL)
   AND e.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY e.yp_id, e.ete_id