-- accommodation: accommodation episodes (item residence) in the return: as recorded at yj.as_of,
-- starting on or before yj.period_end (or undated), of the children in person.sql
-- (cms_asof.accommodation_in_return, sql/warehouse/025_return.sql); ordered by child_id,
-- accommodation_id. end_date as recorded, even when after period_end.
-- cost: 210 ms
SELECT a.yp_id AS child_id,
       a.accommodation_id,
       a.start_date,
       a.end_date,
       a.accom_type_cd,
       a.suitability_cd
  FROM cms_asof.accommodation_in_return() AS a
 ORDER BY a.yp_id, a.accommodation_id
