-- outcome: legal outcomes recorded as at yj.as_of, dated on or before yj.period_end (or
-- undated), of the offences in offence.sql (cms_asof.outcome_dated and offence_in_return,
-- sql/warehouse/025_return.sql: the child is the offence's child); ordered by child_id,
-- offence_id, outcome_id. care_status_cd as in offence.sql, on the outcome date.
-- cost: 870 ms
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
  FROM cms_asof.outcome_dated() AS oc
  JOIN cms_asof.offence_in_return() AS o
    ON o.offence_id = oc.offence_id
 ORDER BY o.yp_id, oc.offence_id, oc.outcome_id
