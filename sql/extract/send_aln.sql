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
   AND s.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY s.yp_id, s.send_aln_id