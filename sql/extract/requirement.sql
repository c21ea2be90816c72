-- requirement: requirements of an order (item requirement, under its legal outcome) recorded as
-- at yj.as_of, of the outcomes in outcome.sql (the child is the offence's child); ordered by
-- child_id, outcome_id, requirement_id.
-- cost: 260 ms
SELECT o.yp_id AS child_id,
       r.requirement_id,
       r.outcome_id,
       r.requirement_cd,
       r.term_months,
       r.upw_hours_mandated,
       r.upw_hours_completed
  FROM cms_asof.requirement(current_setting('yj.as_of')::timestamptz) AS r
  JOIN cms_asof.outcome_dated() AS oc
    ON oc.outcome_id = r.outcome_id AND oc.yp_id = r.yp_id
  JOIN cms_asof.offence_in_return() AS o
    ON o.offence_id = oc.offence_id
 ORDER BY o.yp_id, r.outcome_id, r.requirement_id
