-- programme: intervention programmes recorded as at yj.as_of, starting on or before
-- yj.period_end (or with no start date), of the children in person.sql; ordered by child_id,
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
  FROM cms_asof.programme(current_setting('yj.as_of')::timestamptz) AS p
  LEFT JOIN cms_asof.hearing(current_setting('yj.as_of')::timestamptz) AS h
    ON h.hearing_id = p.hearing_id AND h.yp_id = p.yp_id
   AND (h.hearing_date <= current_setting('yj.period_end')::date OR h.hearing_date IS NULL)
 WHERE (p.start_date <= current_setting('yj.period_end')::date OR p.start_date IS NULL)
   AND p.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY p.yp_id, p.programme_id
