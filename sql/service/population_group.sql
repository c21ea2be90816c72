-- population_group: the local 10-17 population of each year by age band and ethnicity group,
-- as recorded at yj.as_of; one row per year, band and group, ordered so. A service-level
-- input (the board pack's rates and ethnicity comparison, docs/indicators.md): only these
-- totals leave the warehouse, never the breakdown by single year of age or sex. The group is
-- the warehouse's ethnicity_group_cd; the bundle's report/indicators.conf names its groups.
-- Its columns are exactly those of its line in the bundle's kpi/inputs.conf, in that order.
-- cost: 1 ms
SELECT p.year,
       CASE WHEN p.age <= 14 THEN '10-14' ELSE '15-17' END AS age_band,
       p.ethnicity_group_cd AS ethnicity_group,
       sum(p.headcount)::bigint AS headcount
  FROM cms_asof.population(current_setting('yj.as_of')::timestamptz) AS p
 WHERE p.age BETWEEN 10 AND 17
 GROUP BY 1, 2, 3
 ORDER BY 1, 2, 3
