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
   AND EXISTS (SELECT 1
                 FROM cms_asof.young_person(current_setting('yj.as_of')::timestamptz) AS yp
                WHERE yp.yp_id = h.yp_id
                  AND (yp.first_contact_date <= current_setting('yj.period_end')::date
                       OR yp.first_contact_date IS NULL))
 ORDER BY h.yp_id, h.hearing_id
