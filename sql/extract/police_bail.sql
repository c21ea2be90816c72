-- police_bail: police bail and release under investigation (item policeBail, under its offence)
-- in the return: as recorded at yj.as_of, starting on or before yj.period_end (or undated), of
-- the offences in offence.sql (cms_asof.police_bail_in_return, sql/warehouse/025_return.sql);
-- ordered by child_id, offence_id, police_bail_id.
-- cost: 310 ms
SELECT b.yp_id AS child_id,
       b.police_bail_id,
       b.offence_id,
       b.bail_cd,
       b.start_date,
       b.end_date
  FROM cms_asof.police_bail_in_return() AS b
 ORDER BY b.yp_id, b.offence_id, b.police_bail_id
