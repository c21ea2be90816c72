-- transfer: transfers in from and out to other services in the return: as recorded at yj.as_of,
-- dated on or before yj.period_end (or undated), of the children in person.sql
-- (cms_asof.transfer_in_return, sql/warehouse/025_return.sql); ordered by child_id,
-- transfer_id.
-- cost: 60 ms
SELECT t.yp_id AS child_id,
       t.transfer_id,
       t.transfer_date,
       t.direction_cd,
       t.other_service
  FROM cms_asof.transfer_in_return() AS t
 ORDER BY t.yp_id, t.transfer_id
