-- hearing: court hearings in the return: as recorded at yj.as_of, held on or before
-- yj.period_end (or undated), of the children in person.sql (cms_asof.hearing_in_return,
-- sql/warehouse/025_return.sql); ordered by child_id, hearing_id.
-- cost: 180 ms
SELECT h.yp_id AS child_id,
       h.hearing_id,
       h.hearing_date,
       h.court_type_cd,
       h.court_name,
       h.remand_cd
  FROM cms_asof.hearing_in_return() AS h
 ORDER BY h.yp_id, h.hearing_id
