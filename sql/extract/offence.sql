-- offence: offences recorded as at yj.as_of, dated on or before yj.period_end (or undated, so
-- that validation can name them), of the children in person.sql; ordered by child_id,
-- offence_id.
SELECT o.yp_id AS child_id,
       o.offence_id,
       o.offence_date,
       o.arrest_date,
       o.description,
       o.postcode_district,
       o.cjs_code,
       o.plea_cd,
       o.category_cd,
       o.gravity,
       o.knife_flag
  FROM cms_asof.offence(current_setting('yj.as_of')::timestamptz) AS o
 WHERE (o.offence_date <= current_setting('yj.period_end')::date OR o.offence_date IS NULL)
   AND EXISTS (SELECT 1
                 FROM cms_asof.young_person(current_setting('yj.as_of')::timestamptz) AS yp
                WHERE yp.yp_id = o.yp_id
                  AND (yp.first_contact_date <= current_setting('yj.period_end')::date
                       OR yp.first_contact_date IS NULL))
 ORDER BY o.yp_id, o.offence_id
