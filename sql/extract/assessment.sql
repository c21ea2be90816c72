-- assessment: assessments (items assessment and programmeAssessmentLink) in the return: as
-- recorded at yj.as_of, dated on or before yj.period_end (or undated), of the children in
-- person.sql (cms_asof.assessment_in_return, sql/warehouse/025_return.sql); ordered by child_id,
-- assessment_id. programme_id is kept only when that programme is in programme.sql for the same
-- child, so that a link never names a programme the return lacks.
SELECT a.yp_id AS child_id,
       a.assessment_id,
       p.programme_id,
       a.assessment_date,
       a.stage_cd,
       a.likelihood_cd,
       a.rosh_cd,
       a.wellbeing_cd,
       a.yogrs
  FROM cms_asof.assessment_in_return(current_setting('yj.as_of')::timestamptz,
                                     current_setting('yj.period_end')::date) AS a
  LEFT JOIN cms_asof.programme_dated(current_setting('yj.as_of')::timestamptz,
                                     current_setting('yj.period_end')::date) AS p
    ON p.programme_id = a.programme_id AND p.yp_id = a.yp_id
 ORDER BY a.yp_id, a.assessment_id
