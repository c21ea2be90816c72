-- accommodation: accommodation episodes (item residence) recorded as at yj.as_of, starting on
-- or before yj.period_end (or undated), of the children in person.sql; ordered by child_id,
-- accommodation_id. end_date as recorded, even when after period_end.
SELECT a.yp_id AS child_id,
       a.accommodation_id,
       a.start_date,
       a.end_date,
       a.accom_type_cd,
       a.suitability_cd
  FROM cms_asof.accommodation(current_setting('yj.as_of')::timestamptz) AS a
 WHERE (a.start_date <= current_setting('yj.period_end')::date OR a.start_date IS NULL)
   AND a.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY a.yp_id, a.accommodation_id