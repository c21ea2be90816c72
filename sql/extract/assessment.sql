-- assessment: assessments (items assessment and programmeAssessmentLink) in the return: as
-- recorded at yj.as_of, dated on or before yj.period_end (or undated), of the children in
-- person.sql, programme_id only when that programme is in programme.sql for the same child
-- (cms_asof.assessment_in_return, sql/warehouse/025_return.sql); ordered by child_id,
-- assessment_id.
-- cost: 340 ms
SELECT a.yp_id AS child_id,
       a.assessment_id,
       a.programme_id,
       a.assessment_date,
       a.stage_cd,
       a.likelihood_cd,
       a.rosh_cd,
       a.wellbeing_cd,
       a.yogrs
  FROM cms_asof.assessment_in_return() AS a
 ORDER BY a.yp_id, a.assessment_id
