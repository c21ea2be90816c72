-- programme: intervention programmes in the return: as recorded at yj.as_of, starting on or
-- before yj.period_end (or with no start date), of the children in person.sql, hearing_id only
-- when that hearing is in hearing.sql (cms_asof.programme_in_return,
-- sql/warehouse/025_return.sql); ordered by child_id, programme_id. end_date and
-- completed_flag are as recorded, even when after period_end.
-- cost: 260 ms
SELECT p.yp_id AS child_id,
       p.programme_id,
       p.start_date,
       p.end_date,
       p.disposal_cd,
       p.victim_flag,
       p.completed_flag,
       p.hearing_id
  FROM cms_asof.programme_in_return() AS p
 ORDER BY p.yp_id, p.programme_id
