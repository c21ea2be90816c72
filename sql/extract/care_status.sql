-- care_status: care and wider-services statuses (item careStatus) in the return: as recorded at
-- yj.as_of, starting on or before yj.period_end (or undated), of the children in person.sql
-- (cms_asof.care_status_in_return, sql/warehouse/025_return.sql); ordered by child_id,
-- care_status_id.
-- cost: 110 ms
SELECT s.yp_id AS child_id,
       s.care_status_id,
       s.status_cd,
       s.start_date,
       s.end_date
  FROM cms_asof.care_status_in_return() AS s
 ORDER BY s.yp_id, s.care_status_id
