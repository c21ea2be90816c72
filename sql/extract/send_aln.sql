-- send_aln: special educational needs and additional learning needs records (item sendAln)
-- recorded as at yj.as_of, starting on or before yj.period_end (or undated), of the children
-- in person.sql; ordered by child_id, send_aln_id.
SELECT s.yp_id AS child_id,
       s.send_aln_id,
       s.identified_flag,
       s.formal_plan_flag,
       s.start_date,
       s.end_date
  FROM cms_asof.send_aln(current_setting('yj.as_of')::timestamptz) AS s
 WHERE (s.start_date <= current_setting('yj.period_end')::date OR s.start_date IS NULL)
   AND EXISTS (SELECT 1
                 FROM cms_asof.young_person(current_setting('yj.as_of')::timestamptz) AS yp
                WHERE yp.yp_id = s.yp_id
                  AND (yp.first_contact_date <= current_setting('yj.period_end')::date
                       OR yp.first_contact_date IS NULL))
 ORDER BY s.yp_id, s.send_aln_id