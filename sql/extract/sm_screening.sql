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
   AND s.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY s.yp_id, s.sm_screening_id