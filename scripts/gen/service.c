/*
 * service.c - the service's own tables, not a child's: board_attendance (KPI 8) and
 * population (KPI 9's rate), each written whole from streams of the service (id 0).
 *
 * board_attendance: one meeting per financial quarter 2019Q1..2026Q2, 5 sectors, attended
 * 92%, senior 80% of attendances; a new partner in 8% of attendances, and in about a third of
 * the quarters an OTH partner (e.g. a voluntary sector representative) as well, drawn from a
 * stream of their own. --dirty adds, after the others, one row of 2024Q4 with the unknown
 * sector code XXX (no child's return reads it; yj-kpi refuses it). population: 2019..2026,
 * ages 10-17, about 33,000 a year; White 77 Mixed 6 Asian 6 Black 9 Other 2 (%), boys 51%.
 */
#include "calendar.h"
#include "child.h"
#include "codes.h"
#include "copyout.h"
#include "rows.h"

#include <stdio.h>

#include "banned.h"

static void
board_row(int64_t id, const char *quarter, int meeting, const char *sector, int attended,
          int senior, int new_partner)
{
    out_u64((uint64_t)id);
    out_tab();
    out_str(quarter);
    out_tab();
    out_date(meeting);
    out_tab();
    out_str(sector);
    out_tab();
    out_bool(attended);
    out_tab();
    out_bool(senior);
    out_tab();
    out_bool(new_partner);
    out_nl();
}

/* The board: STREAM_BOARD draws what it always drew (meeting days, attended, senior); the
 * later new_partner_flag and OTH rows draw from STREAM_BOARD_PARTNER only, so the older
 * columns keep their values. */
void
write_board_attendance(void)
{
    /* the statutory sectors SECTOR_CSC..SECTOR_HLT */
    static const int senior_pm[SECTOR_OTH] = {900, 750, 850, 800, 650};
    struct rng r, rn;
    int fy, q, s, dirty_meeting = NODATE;
    int64_t id = 0;
    char quarter[16];

    rng_init(&r, opt_seed, 0, STREAM_BOARD);
    rng_init(&rn, opt_seed, 0, STREAM_BOARD_PARTNER);
    copy_begin("board_attendance",
               "board_attendance_id, quarter, meeting_date, sector_cd, attended_flag, "
               "senior_flag, new_partner_flag");
    for (fy = 2019; fy <= 2026; fy++)
        for (q = 1; q <= 4; q++) {
            int qm = 4 + 3 * (q - 1), qy = fy;
            int meeting;

            if (qm > 12) {
                qm -= 12;
                qy++;
            }
            meeting = days_from_civil(qy, qm, 1) + 30 + rng_below(&r, 30);
            if (meeting > DATA_END)
                break;
            snprintf(quarter, sizeof(quarter), "%dQ%d", fy, q);
            if (fy == 2024 && q == 4)
                dirty_meeting = meeting;
            for (s = SECTOR_CSC; s < SECTOR_OTH; s++) {
                int attended = rng_chance(&r, 920);
                int senior = attended && rng_chance(&r, senior_pm[s]);

                board_row(++id, quarter, meeting, sector_codes[s], attended, senior,
                          attended && rng_chance(&rn, 75));
            }
            /* another partner, e.g. a voluntary sector representative, now and then */
            if (rng_chance(&rn, 330))
                board_row(++id, quarter, meeting, sector_codes[SECTOR_OTH], 1, rng_chance(&rn, 500),
                          rng_chance(&rn, 200));
        }
    if (opt_dirty && dirty_meeting != NODATE)
        board_row(++id, "2024Q4", dirty_meeting, sector_codes[SECTOR_UNMAPPED], 1, 0, 0);
    copy_end();
}

void
write_population(void)
{
    static const int group_pm[NGROUP] = {770, 60, 60, 90, 20};
    struct rng r;
    int year, age, sex, g;

    rng_init(&r, opt_seed, 0, STREAM_POPULATION);
    copy_begin("population", "year, age, sex_cd, ethnicity_group_cd, headcount");
    for (year = 2019; year <= 2026; year++)
        for (age = 10; age <= 17; age++)
            for (sex = 0; sex < 2; sex++)
                for (g = 0; g < NGROUP; g++) {
                    /* about 4,125 a year of age; slowly growing younger cohorts */
                    int base = 4000 + (17 - age) * 30 + (year - 2019) * 15;
                    int n = base * (sex == 0 ? 513 : 487) / 1000 * group_pm[g] / 1000;

                    n += rng_range(&r, -n / 50, n / 50);
                    out_u64((uint64_t)year);
                    out_tab();
                    out_u64((uint64_t)age);
                    out_tab();
                    out_str(sex_codes[sex == 0 ? SEX_M : SEX_F]);
                    out_tab();
                    out_str(group_codes[g]);
                    out_tab();
                    out_u64((uint64_t)n);
                    out_nl();
                }
    copy_end();
}
