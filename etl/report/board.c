/*
 * board.c - the names of the board pack's marks and bases, and freeing its tables. See
 * board.h.
 */
#include "board.h"

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
