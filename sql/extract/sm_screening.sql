-- sm_screening: substance misuse screenings (item substanceMisuse) in the return: as recorded at
-- yj.as_of, screened on or before yj.period_end (or not yet screened), of the children in
-- person.sql, with the columns a screening gives the return (cms_asof.screening_in_return,
-- sql/warehouse/025_return.sql); ordered by child_id, sm_screening_id.
-- cost: 130 ms
SELECT s.*
  FROM cms_asof.screening_in_return('sm') AS s (child_id, sm_screening_id)
 ORDER BY s.child_id, s.sm_screening_id
