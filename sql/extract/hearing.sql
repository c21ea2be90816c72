-- hearing: court hearings recorded as at yj.as_of, held on or before yj.period_end (or
-- undated), of the children in person.sql; ordered by child_id, hearing_id.
SELECT h.yp_id AS child_id,
       h.hearing_id,
       h.hearing_date,
       h.court_type_cd,
       h.court_name,
       h.remand_cd
  FROM cms_asof.hearing(current_setting('yj.as_of')::timestamptz) AS h
 WHERE (h.hearing_date <= current_setting('yj.period_end')::date OR h.hearing_date IS NULL)
   AND h.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY h.yp_id, h.hearing_id
