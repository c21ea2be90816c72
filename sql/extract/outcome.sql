-- outcome: legal outcomes recorded as at yj.as_of, dated on or before yj.period_end (or
-- undated), of the offences in offence.sql (the child is the offence's child); ordered by
-- child_id, offence_id, outcome_id. care_status_cd as in offence.sql, on the outcome date.
SELECT o.yp_id AS child_id,
       oc.offence_id,
       oc.outcome_id,
       oc.outcome_date,
       oc.outcome_end_date,
       oc.outcome_cd,
       oc.main_flag,
       oc.appeal_cd,
       oc.residence_cd,
       (SELECT cs.status_cd
          FROM cms_asof.care_status_on(current_setting('yj.as_of')::timestamptz, o.yp_id,
                                       oc.outcome_date) AS cs) AS care_status_cd,
       oc.term_days,
       oc.term_weeks,
       oc.term_months,
       oc.term_years
  FROM cms_asof.outcome(current_setting('yj.as_of')::timestamptz) AS oc
  JOIN cms_asof.offence(current_setting('yj.as_of')::timestamptz) AS o
    ON o.offence_id = oc.offence_id
 WHERE (oc.outcome_date <= current_setting('yj.period_end')::date OR oc.outcome_date IS NULL)
   AND (o.offence_date <= current_setting('yj.period_end')::date OR o.offence_date IS NULL)
   AND o.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY o.yp_id, oc.offence_id, oc.outcome_id
