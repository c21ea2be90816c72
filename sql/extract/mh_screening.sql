-- mh_screening: mental health and emotional wellbeing screenings (item mentalHealth) in the
-- return: as recorded at yj.as_of, screened on or before yj.period_end (or not yet screened), of
-- the children in person.sql, with the columns a screening gives the return
-- (cms_asof.screening_in_return, sql/warehouse/025_return.sql); ordered by child_id,
-- mh_screening_id.
-- cost: 170 ms
SELECT s.*
  FROM cms_asof.screening_in_return('mh') AS s (child_id, mh_screening_id)
 ORDER BY s.child_id, s.mh_screening_id
