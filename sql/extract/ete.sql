-- ete: education, training and employment episodes (item eteStatus) in the return: as recorded
-- at yj.as_of, starting on or before yj.period_end (or undated), of the children in person.sql
-- (cms_asof.ete_in_return, sql/warehouse/025_return.sql); ordered by child_id, ete_id.
-- cost: 230 ms
SELECT e.yp_id AS child_id,
       e.ete_id,
       e.start_date,
       e.end_date,
       e.provision_cd,
       e.suitability_cd,
       e.hours_offered,
       e.hours_attended
  FROM cms_asof.ete_in_return() AS e
 ORDER BY e.yp_id, e.ete_id
