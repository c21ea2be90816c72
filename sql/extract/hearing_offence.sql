-- hearing_offence: links between a hearing in hearing.sql and an offence in offence.sql of the
-- same child, recorded as at yj.as_of (cms_asof.offence_link_in_return,
-- sql/warehouse/025_return.sql); ordered by child_id, hearing_id, offence_id.
-- cost: 390 ms
SELECT l.*
  FROM cms_asof.offence_link_in_return('hearing') AS l (child_id, hearing_id)
 ORDER BY l.child_id, l.hearing_id, l.offence_id
