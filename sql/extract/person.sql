-- person: one row per child in the return (cms_asof.return_children, sql/warehouse/025_return.sql:
-- recorded as at yj.as_of, first contact on or before yj.period_end or not recorded, so that
-- validation can name the child); ordered by child_id.
-- cost: 90 ms
SELECT yp.yp_id AS child_id,
       yp.ypid,
       yp.pnc AS pnc_number,
       yp.dob AS date_of_birth,
       yp.sex_cd,
       yp.gender_cd,
       yp.gender_same_flag,
       yp.ethnicity_cd,
       yp.nationality_cd,
       yp.religion_cd,
       yp.language_cd,
       yp.immigration_cd,
       yp.originating_yot_person_id
  FROM cms_asof.return_children() AS yp
 ORDER BY yp.yp_id
