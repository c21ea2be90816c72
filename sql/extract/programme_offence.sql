-- programme_offence: links between a programme in programme.sql and an offence in offence.sql of
-- the same child, recorded as at yj.as_of (cms_asof.offence_link_in_return,
-- sql/warehouse/025_return.sql); ordered by child_id, programme_id, offence_id.
-- cost: 480 ms
SELECT l.*
  FROM cms_asof.offence_link_in_return('programme') AS l (child_id, programme_id)
 ORDER BY l.child_id, l.programme_id, l.offence_id
