/*
 * board.c - the names of the board pack's marks and bases, and freeing its tables. See
 * board.h.
 */
#include "board.h"

#include "atomic.h"
#include "mem.h"
#include "period.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

const char *
board_mark_name(enum board_mark m)
{
    static const char *const names[] = {"submitted", "resubmitted", "provisional", "unverified",
                                        "missing"};
    return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : "?";
}

const char *
board_basis_name(enum board_basis b)
{
    return b == BOARD_ROLLING_YEAR ? "rolling_year" : "quarter";
}

long
board_quarter_index(const char *period)
{
    struct yj_period p;
    struct yj_error e;

    return period_parse(period, &p, &e) == YJ_OK ? (long)p.year * 4 + (p.quarter - 1) : -1;
}

void
board_quarter_label(long idx, char buf[BOARD_PERIOD_LEN])
{
    unsigned long u = (unsigned long)idx;

    snprintf(buf, BOARD_PERIOD_LEN, "%04luQ%lu", u / 4 % 10000, u % 4 % 10 + 1);
}

int
board_write_csv(const char *out_dir, enum rundir_id id, board_rows_fn fn,
                const struct board_data *d, struct yj_error *err)
{
    char *path = path_join(out_dir, rundir_name(id));
    struct atomic_file af;
    int rc;

    atomic_file_init(&af);
    if ((rc = atomic_file_open(&af, path, rundir_mode(id), err)) == YJ_OK) {
        fn(af.fp, d);
        if (ferror(af.fp))
            rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not write '%s'", path);
        else
            rc = atomic_file_commit(&af, err);
    }
    atomic_file_release(&af);
    free(path);
    return rc;
}

void
board_data_free(struct board_data *d)
{
    free(d->fte);
    free(d->custody);
    free(d->reoffending);
    free(d->ethnicity);
    free(d->offence_types);
    free(d->trend_kpi);
    free(d->trend_recording);
    memset(d, 0, sizeof(*d));
}
