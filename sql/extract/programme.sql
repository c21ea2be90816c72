-- programme: intervention programmes in the return: as recorded at yj.as_of, starting on or
-- before yj.period_end (or with no start date), of the children in person.sql
-- (cms_asof.programme_in_return, sql/warehouse/025_return.sql); ordered by child_id,
-- programme_id. end_date and completed_flag are as recorded, even when after period_end.
-- hearing_id is kept only when that hearing is in hearing.sql, so that a link never names a
-- hearing the return lacks.
SELECT p.yp_id AS child_id,
       p.programme_id,
       p.start_date,
       p.end_date,
       p.disposal_cd,
       p.victim_flag,
       p.completed_flag,
       h.hearing_id
  FROM cms_asof.programme_in_return(current_setting('yj.as_of')::timestamptz,
                                    current_setting('yj.period_end')::date) AS p
  LEFT JOIN cms_asof.hearing_dated(current_setting('yj.as_of')::timestamptz,
                                   current_setting('yj.period_end')::date) AS h
    ON h.hearing_id = p.hearing_id AND h.yp_id = p.yp_id
 ORDER BY p.yp_id, p.programme_id
