-- transfer: transfers in from and out to other services recorded as at yj.as_of, dated on or
-- before yj.period_end (or undated), of the children in person.sql; ordered by child_id,
-- transfer_id.
SELECT t.yp_id AS child_id,
       t.transfer_id,
       t.transfer_date,
       t.direction_cd,
       t.other_service
  FROM cms_asof.transfer(current_setting('yj.as_of')::timestamptz) AS t
 WHERE (t.transfer_date <= current_setting('yj.period_end')::date OR t.transfer_date IS NULL)
   AND t.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY t.yp_id, t.transfer_id
