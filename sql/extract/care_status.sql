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
   AND EXISTS (SELECT 1
                 FROM cms_asof.young_person(current_setting('yj.as_of')::timestamptz) AS yp
                WHERE yp.yp_id = s.yp_id
                  AND (yp.first_contact_date <= current_setting('yj.period_end')::date
                       OR yp.first_contact_date IS NULL))
 ORDER BY s.yp_id, s.care_status_id