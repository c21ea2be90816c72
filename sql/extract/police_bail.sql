-- police_bail: police bail and release under investigation (item policeBail, under its offence)
-- recorded as at yj.as_of, starting on or before yj.period_end (or undated), of the offences in
-- offence.sql (cms_asof.police_bail_dated and offence_in_return, sql/warehouse/025_return.sql);
-- ordered by child_id, offence_id, police_bail_id.
SELECT o.yp_id AS child_id,
       b.police_bail_id,
       b.offence_id,
       b.bail_cd,
       b.start_date,
       b.end_date
  FROM cms_asof.police_bail_dated(current_setting('yj.as_of')::timestamptz,
                                  current_setting('yj.period_end')::date) AS b
  JOIN cms_asof.offence_in_return(current_setting('yj.as_of')::timestamptz,
                                  current_setting('yj.period_end')::date) AS o
    ON o.offence_id = b.offence_id AND o.yp_id = b.yp_id
 ORDER BY o.yp_id, b.offence_id, b.police_bail_id
