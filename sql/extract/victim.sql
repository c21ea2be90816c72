-- victim: victim contacts (items victimIntervention and offenceVictimLink) recorded as at
-- yj.as_of, dated on or before yj.period_end (or undated), of the offences in offence.sql
-- (cms_asof.victim_dated and offence_in_return, sql/warehouse/025_return.sql: the victim's child
-- is the offence's child); ordered by child_id, victim_id.
SELECT o.yp_id AS child_id,
       v.victim_id,
       v.offence_id,
       v.victim_type_cd,
       v.contact_date,
       v.consent_flag,
       v.view_asked_flag,
       v.rj_engaged_flag,
       v.progress_requested_flag,
       v.progress_provided_flag,
       v.support_requested_flag,
       v.support_provided_flag
  FROM cms_asof.victim_dated(current_setting('yj.as_of')::timestamptz,
                             current_setting('yj.period_end')::date) AS v
  JOIN cms_asof.offence_in_return(current_setting('yj.as_of')::timestamptz,
                                  current_setting('yj.period_end')::date) AS o
    ON o.offence_id = v.offence_id AND o.yp_id = v.yp_id
 ORDER BY o.yp_id, v.victim_id
