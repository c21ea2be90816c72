-- police_bail: police bail and release under investigation (item policeBail, under its
-- offence) recorded as at yj.as_of, starting on or before yj.period_end (or undated), of the
-- offences in offence.sql; ordered by child_id, offence_id, police_bail_id.
SELECT o.yp_id AS child_id,
       b.police_bail_id,
       b.offence_id,
       b.bail_cd,
       b.start_date,
       b.end_date
  FROM cms_asof.police_bail(current_setting('yj.as_of')::timestamptz) AS b
  JOIN cms_asof.offence(current_setting('yj.as_of')::timestamptz) AS o
    ON o.offence_id = b.offence_id AND o.yp_id = b.yp_id
 WHERE (b.start_date <= current_setting('yj.period_end')::date OR b.start_date IS NULL)
   AND (o.offence_date <= current_setting('yj.period_end')::date OR o.offence_date IS NULL)
   AND o.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY o.yp_id, b.offence_id, b.police_bail_id
