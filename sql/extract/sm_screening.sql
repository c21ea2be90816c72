-- sm_screening: substance misuse screenings (item substanceMisuse) recorded as at yj.as_of,
-- screened on or before yj.period_end (or not yet screened), of the children in person.sql;
-- ordered by child_id, sm_screening_id.
SELECT s.yp_id AS child_id,
       s.sm_screening_id,
       s.screened_date,
       s.referred_date,
       s.offered_date,
       s.attended_start_date,
       s.attended_end_date,
       s.intervention_cd
  FROM cms_asof.sm_screening(current_setting('yj.as_of')::timestamptz) AS s
 WHERE (s.screened_date <= current_setting('yj.period_end')::date OR s.screened_date IS NULL)
   AND EXISTS (SELECT 1
                 FROM cms_asof.young_person(current_setting('yj.as_of')::timestamptz) AS yp
                WHERE yp.yp_id = s.yp_id
                  AND (yp.first_contact_date <= current_setting('yj.period_end')::date
                       OR yp.first_contact_date IS NULL))
 ORDER BY s.yp_id, s.sm_screening_id