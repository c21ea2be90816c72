-- outcome: legal outcomes recorded as at yj.as_of, dated on or before yj.period_end (or
-- undated), of the offences in offence.sql (cms_asof.outcome_dated and offence_in_return,
-- sql/warehouse/025_return.sql: the child is the offence's child); ordered by child_id,
-- offence_id, outcome_id. care_status_cd as in offence.sql (one join), on the outcome date.
-- cost: 600 ms
SELECT DISTINCT ON (o.yp_id, oc.offence_id, oc.outcome_id)
       o.yp_id AS child_id,
       oc.offence_id,
       oc.outcome_id,
       oc.outcome_date,
       oc.outcome_end_date,
       oc.outcome_cd,
       oc.main_flag,
       oc.appeal_cd,
       oc.residence_cd,
       cs.status_cd AS care_status_cd,
       oc.term_days,
       oc.term_weeks,
       oc.term_months,
       oc.term_years
  FROM cms_asof.outcome_dated() AS oc
  JOIN cms_asof.offence_in_return() AS o
    ON o.offence_id = oc.offence_id
  LEFT JOIN cms_asof.care_status(current_setting('yj.as_of')::timestamptz) AS cs
    ON cs.yp_id = o.yp_id AND cs.start_date <= oc.outcome_date
   AND (cs.end_date IS NULL OR cs.end_date >= oc.outcome_date)
 ORDER BY o.yp_id, oc.offence_id, oc.outcome_id, cms_asof.care_status_rank(cs.status_cd),
          cs.care_status_id
