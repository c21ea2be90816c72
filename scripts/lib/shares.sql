-- shares.sql: the shares a synthetic warehouse (yj-gen) gives, read straight from schema cms,
-- to hold the generator to the figures the board pack shows (docs/domain.md, "Synthetic
-- data"). A yardstick for the generator, not the indicators' definitions: yj-report computes
-- those from the return (docs/). Run it again after changing scripts/gen/:
--   psql -X -q -d "CONNINFO" -f scripts/lib/shares.sql
-- Groups of local outcome codes as the bundle's KPI outcome table groups their YJB codes:
-- Diversion CR CRY O22; Pre-Court YC YCC; First-tier RO FINE CDIS ADIS; Community YRO;
-- Custody DTO S250 S254 S259 (UNK and OTH: none). Every figure leaves out outcomes changed on
-- appeal and outcomes of residence O (other area). Years are financial years (2024 is April
-- 2024 to March 2025).
\set ON_ERROR_STOP 1
\pset footer off

CREATE TEMP VIEW o AS
SELECT m.yp_id, m.offence_id, m.outcome_date AS d, m.outcome_cd AS cd,
       CASE WHEN m.outcome_cd IN ('CR', 'CRY', 'O22') THEN 'Diversion'
            WHEN m.outcome_cd IN ('YC', 'YCC') THEN 'Pre-Court'
            WHEN m.outcome_cd IN ('RO', 'FINE', 'CDIS', 'ADIS') THEN 'First-tier'
            WHEN m.outcome_cd = 'YRO' THEN 'Community'
            WHEN m.outcome_cd IN ('DTO', 'S250', 'S254', 'S259') THEN 'Custody' END AS grp,
       extract(year FROM m.outcome_date - interval '3 months')::int AS fy,
       extract(year FROM m.outcome_date - interval '3 months')::int || 'Q' ||
           extract(quarter FROM m.outcome_date - interval '3 months') AS q
FROM cms.outcome m
WHERE m.outcome_date IS NOT NULL AND m.appeal_cd IS NULL AND m.residence_cd = 'L';

\echo 'Custody as a share of court outcomes (main and other; plans: 10-15%)'
SELECT q AS quarter, count(*) AS court,
       count(*) FILTER (WHERE grp = 'Custody') AS custody,
       round(100.0 * count(*) FILTER (WHERE grp = 'Custody') / count(*), 1) AS pct
FROM o WHERE grp IN ('First-tier', 'Community', 'Custody') AND q BETWEEN '2019Q1' AND '2026Q2'
GROUP BY q ORDER BY q;
SELECT fy AS year, count(*) AS court,
       count(*) FILTER (WHERE grp = 'Custody') AS custody,
       round(100.0 * count(*) FILTER (WHERE grp = 'Custody') / count(*), 1) AS pct
FROM o WHERE grp IN ('First-tier', 'Community', 'Custody') AND fy BETWEEN 2019 AND 2025
GROUP BY fy ORDER BY fy;

\echo 'First time entrants a year: a child''s first Pre-Court, First-tier, Community or Custody outcome, aged 10-17'
SELECT f.fy AS year, count(*) AS fte,
       round(100000.0 * count(*) / (SELECT sum(headcount) FROM cms.population p
                                    WHERE p.year = f.fy), 1) AS per_100000
FROM (SELECT DISTINCT ON (o.yp_id) o.yp_id, o.fy, o.d
      FROM o JOIN cms.young_person y USING (yp_id)
      WHERE o.grp IN ('Pre-Court', 'First-tier', 'Community', 'Custody')
        AND date_part('year', age(o.d, y.dob)) BETWEEN 10 AND 17
      ORDER BY o.yp_id, o.d) f
WHERE f.fy BETWEEN 2019 AND 2025
GROUP BY f.fy ORDER BY f.fy;

\echo 'Ethnicity: children with an outcome in 2024 (financial year) against the 2024 population 10-17'
CREATE TEMP VIEW kids AS
SELECT DISTINCT y.yp_id,
       CASE WHEN y.ethnicity_cd IN ('CHNE', 'OOTH') THEN 'O'
            WHEN y.ethnicity_cd IN ('REFU', 'NOBT') THEN 'not stated'
            ELSE left(y.ethnicity_cd, 1) END AS g
FROM o JOIN cms.young_person y USING (yp_id) WHERE o.fy = 2024;
WITH stated AS (SELECT * FROM kids WHERE g <> 'not stated'),
pop AS (SELECT ethnicity_group_cd AS g, sum(headcount) AS n FROM cms.population
        WHERE year = 2024 AND age BETWEEN 10 AND 17 GROUP BY 1)
SELECT pop.g AS grp, coalesce(c.n, 0) AS children,
       round(100.0 * coalesce(c.n, 0) / (SELECT count(*) FROM stated), 1) AS cohort_pct,
       round(100.0 * pop.n / (SELECT sum(n) FROM pop), 1) AS population_pct
FROM pop LEFT JOIN (SELECT g, count(*) AS n FROM stated GROUP BY g) c USING (g)
ORDER BY pop.n DESC;
SELECT count(*) FILTER (WHERE g = 'not stated') AS not_stated, count(*) AS children FROM kids;

\echo 'Reoffending: children cautioned or convicted in a year (first such outcome of the year),'
\echo 'a further offence within 12 months of it with an outcome within 18 months (plans: 25-40%, 3-4 per reoffender)'
WITH idx AS (
    SELECT DISTINCT ON (yp_id, fy) yp_id, fy, d
    FROM o WHERE grp IN ('Pre-Court', 'First-tier', 'Community', 'Custody')
    ORDER BY yp_id, fy, d),
re AS (
    SELECT i.yp_id, i.fy, count(DISTINCT f.offence_id) AS n
    FROM idx i
    JOIN cms.offence f ON f.yp_id = i.yp_id AND f.offence_date > i.d
         AND f.offence_date <= i.d + 365
    JOIN cms.outcome m ON m.offence_id = f.offence_id AND m.outcome_date <= i.d + 365 + 182
    GROUP BY i.yp_id, i.fy)
SELECT i.fy AS year, count(*) AS cohort, count(re.yp_id) AS reoffenders,
       round(100.0 * count(re.yp_id) / count(*), 1) AS binary_pct,
       round(sum(re.n)::numeric / nullif(count(re.yp_id), 0), 2) AS per_reoffender
FROM idx i LEFT JOIN re USING (yp_id, fy)
WHERE i.fy BETWEEN 2019 AND 2024
GROUP BY i.fy ORDER BY i.fy;

\echo 'Population 10-17 by year (every year a rate needs must be there)'
SELECT year, sum(headcount) AS population,
       round(100.0 * sum(headcount) FILTER (WHERE ethnicity_group_cd = 'W') / sum(headcount), 1) AS w,
       round(100.0 * sum(headcount) FILTER (WHERE ethnicity_group_cd = 'M') / sum(headcount), 1) AS m,
       round(100.0 * sum(headcount) FILTER (WHERE ethnicity_group_cd = 'A') / sum(headcount), 1) AS a,
       round(100.0 * sum(headcount) FILTER (WHERE ethnicity_group_cd = 'B') / sum(headcount), 1) AS b,
       round(100.0 * sum(headcount) FILTER (WHERE ethnicity_group_cd = 'O') / sum(headcount), 1) AS o
FROM cms.population GROUP BY year ORDER BY year;
