-- victim: victim contacts (items victimIntervention and offenceVictimLink) recorded as at
-- yj.as_of, of the offences in offence.sql (the victim's child is the offence's child);
-- ordered by child_id, victim_id.
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
  FROM cms_asof.victim(current_setting('yj.as_of')::timestamptz) AS v
  JOIN cms_asof.offence(current_setting('yj.as_of')::timestamptz) AS o
    ON o.offence_id = v.offence_id AND o.yp_id = v.yp_id
 WHERE (o.offence_date <= current_setting('yj.period_end')::date OR o.offence_date IS NULL)
   AND (v.contact_date <= current_setting('yj.period_end')::date OR v.contact_date IS NULL)
   AND o.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY o.yp_id, v.victim_id
