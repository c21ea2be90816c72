-- send_aln: special educational needs and additional learning needs records (item sendAln) in
-- the return: as recorded at yj.as_of, starting on or before yj.period_end (or undated), of the
-- children in person.sql (cms_asof.send_aln_in_return, sql/warehouse/025_return.sql); ordered
-- by child_id, send_aln_id.
-- cost: 110 ms
SELECT s.yp_id AS child_id,
       s.send_aln_id,
       s.identified_flag,
       s.formal_plan_flag,
       s.start_date,
       s.end_date
  FROM cms_asof.send_aln_in_return() AS s
 ORDER BY s.yp_id, s.send_aln_id
