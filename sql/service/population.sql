-- population: the local 10-17 population of each year, as recorded at yj.as_of; one row per
-- year, ordered by year. A service-level input (KPI 9's rate): only the yearly total leaves
-- the warehouse, never its breakdown by age, sex or ethnicity. Its columns are exactly those
-- of its line in the bundle's kpi/inputs.conf, in that order.
-- cost: 1 ms
SELECT p.year,
       sum(p.headcount)::bigint AS headcount
  FROM cms_asof.population(current_setting('yj.as_of')::timestamptz) AS p
 WHERE p.age BETWEEN 10 AND 17
 GROUP BY p.year
 ORDER BY p.year
