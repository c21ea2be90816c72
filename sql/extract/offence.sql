-- offence: offences in the return: as recorded at yj.as_of, dated on or before yj.period_end (or
-- undated, so that validation can name them), of the children in person.sql
-- (cms_asof.offence_in_return, sql/warehouse/025_return.sql); ordered by child_id, offence_id.
-- first_hearing_date is the earliest hearing in hearing.sql that dealt with the offence (one
-- grouped join, not a subquery per offence: hearing_offence need not be indexed on offence_id);
-- care_status_cd the child's care status current on the offence date, the most protective first
-- (cms_asof.care_status_on's, as one join for every offence: its statuses current on the date,
-- the first by cms_asof.care_status_rank and care_status_id).
-- cost: 740 ms
SELECT DISTINCT ON (o.yp_id, o.offence_id)
       o.yp_id AS child_id,
       o.offence_id,
       o.offence_date,
       o.arrest_date,
       o.description,
       o.postcode_district,
       o.cjs_code,
       o.plea_cd,
       o.category_cd,
       o.gravity,
       o.knife_flag,
       fh.first_hearing_date,
       cs.status_cd AS care_status_cd
  FROM cms_asof.offence_in_return() AS o
  LEFT JOIN (SELECT ho.offence_id, min(h.hearing_date) AS first_hearing_date
               FROM cms_asof.hearing_offence(current_setting('yj.as_of')::timestamptz) AS ho
               JOIN cms_asof.hearing(current_setting('yj.as_of')::timestamptz) AS h
                 ON h.hearing_id = ho.hearing_id AND h.yp_id = ho.yp_id
              WHERE h.hearing_date <= (SELECT current_setting('yj.period_end')::date)
              GROUP BY ho.offence_id) AS fh
    ON fh.offence_id = o.offence_id
  LEFT JOIN cms_asof.care_status(current_setting('yj.as_of')::timestamptz) AS cs
    ON cs.yp_id = o.yp_id AND cs.start_date <= o.offence_date
   AND (cs.end_date IS NULL OR cs.end_date >= o.offence_date)
 ORDER BY o.yp_id, o.offence_id, cms_asof.care_status_rank(cs.status_cd), cs.care_status_id
