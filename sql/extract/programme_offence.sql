-- programme_offence: links between a programme in programme.sql and an offence in
-- offence.sql of the same child, recorded as at yj.as_of; ordered by child_id,
-- programme_id, offence_id.
SELECT p.yp_id AS child_id,
       po.programme_id,
       po.offence_id
  FROM cms_asof.programme_offence(current_setting('yj.as_of')::timestamptz) AS po
  JOIN cms_asof.programme(current_setting('yj.as_of')::timestamptz) AS p
    ON p.programme_id = po.programme_id
  JOIN cms_asof.offence(current_setting('yj.as_of')::timestamptz) AS o
    ON o.offence_id = po.offence_id AND o.yp_id = p.yp_id
 WHERE (p.start_date <= current_setting('yj.period_end')::date OR p.start_date IS NULL)
   AND (o.offence_date <= current_setting('yj.period_end')::date OR o.offence_date IS NULL)
   AND p.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY p.yp_id, po.programme_id, po.offence_id
