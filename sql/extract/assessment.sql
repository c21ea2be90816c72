-- assessment: assessments (items assessment and programmeAssessmentLink) recorded as at
-- yj.as_of, dated on or before yj.period_end (or undated), of the children in person.sql;
-- ordered by child_id, assessment_id. programme_id is kept only when that programme is in
-- programme.sql for the same child, so that a link never names a programme the return lacks.
SELECT a.yp_id AS child_id,
       a.assessment_id,
       p.programme_id,
       a.assessment_date,
       a.stage_cd,
       a.likelihood_cd,
       a.rosh_cd,
       a.wellbeing_cd,
       a.yogrs
  FROM cms_asof.assessment(current_setting('yj.as_of')::timestamptz) AS a
  LEFT JOIN cms_asof.programme(current_setting('yj.as_of')::timestamptz) AS p
    ON p.programme_id = a.programme_id AND p.yp_id = a.yp_id
   AND (p.start_date <= current_setting('yj.period_end')::date OR p.start_date IS NULL)
 WHERE (a.assessment_date <= current_setting('yj.period_end')::date OR a.assessment_date IS NULL)
   AND a.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY a.yp_id, a.assessment_id
