-- parenting_intervention: work with parents (items parentingIntervention and
-- programmeParentingLink) in the return: as recorded at yj.as_of, starting on or before
-- yj.period_end (or undated), of the children in person.sql, programme_id only when that
-- programme is in programme.sql for the same child (cms_asof.parenting_intervention_in_return,
-- sql/warehouse/025_return.sql); ordered by child_id, parenting_id.
-- cost: 100 ms
SELECT pi.yp_id AS child_id,
       pi.parenting_id,
       pi.programme_id,
       pi.type_cd,
       pi.start_date,
       pi.sessions_planned,
       pi.sessions_attended
  FROM cms_asof.parenting_intervention_in_return() AS pi
 ORDER BY pi.yp_id, pi.parenting_id
