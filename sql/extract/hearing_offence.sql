-- hearing_offence: links between a hearing in hearing.sql and an offence in offence.sql of
-- the same child, recorded as at yj.as_of; ordered by child_id, hearing_id, offence_id.
SELECT h.yp_id AS child_id,
       ho.hearing_id,
       ho.offence_id
  FROM cms_asof.hearing_offence(current_setting('yj.as_of')::timestamptz) AS ho
  JOIN cms_asof.hearing(current_setting('yj.as_of')::timestamptz) AS h
    ON h.hearing_id = ho.hearing_id
  JOIN cms_asof.offence(current_setting('yj.as_of')::timestamptz) AS o
    ON o.offence_id = ho.offence_id AND o.yp_id = h.yp_id
 WHERE (h.hearing_date <= current_setting('yj.period_end')::date OR h.hearing_date IS NULL)
   AND (o.offence_date <= current_setting('yj.period_end')::date OR o.offence_date IS NULL)
   AND h.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY h.yp_id, ho.hearing_id, ho.offence_id
