-- care_status: care and wider-services statuses (item careStatus) recorded as at yj.as_of,
-- starting on or before yj.period_end (or undated), of the children in person.sql; ordered by
-- child_id, care_status_id.
SELECT s.yp_id AS child_id,
       s.care_status_id,
       s.status_cd,
       s.start_date,
       s.end_date
  FROM cms_asof.care_status(current_setting('yj.as_of')::timestamptz) AS s
 WHERE (s.start_date <= current_setting('yj.period_end')::date OR s.start_date IS NULL)
   AND s.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY s.yp_id, s.care_status_id