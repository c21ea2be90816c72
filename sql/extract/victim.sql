-- victim: victim contacts (items victimIntervention and offenceVictimLink) in the return: as
-- recorded at yj.as_of, dated on or before yj.period_end (or undated), of the offences in
-- offence.sql (cms_asof.victim_in_return, sql/warehouse/025_return.sql); ordered by child_id,
-- victim_id.
-- cost: 330 ms
SELECT v.yp_id AS child_id,
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
  FROM cms_asof.victim_in_return() AS v
 ORDER BY v.yp_id, v.victim_id
