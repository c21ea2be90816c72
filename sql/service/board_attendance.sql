-- board_attendance: the management board's attendance in the return period's quarter
-- (yj.period, e.g. 2025Q1), one row per sector per meeting, as recorded at yj.as_of; ordered
-- by sector, meeting date and id. A service-level input (KPI 8): its columns are exactly
-- those of its line in the bundle's kpi/inputs.conf, in that order.
-- cost: 1 ms
SELECT ba.quarter,
       ba.sector_cd,
       ba.attended_flag,
       ba.senior_flag,
       ba.new_partner_flag
  FROM cms_asof.board_attendance(current_setting('yj.as_of')::timestamptz) AS ba
 WHERE ba.quarter = current_setting('yj.period')
 ORDER BY ba.sector_cd, ba.meeting_date, ba.board_attendance_id
