/* board_indicators.h - (stub until the indicators land) */
#ifndef YJ_BOARD_INDICATORS_H
#define YJ_BOARD_INDICATORS_H
#include "board.h"
#include "error.h"
struct board_sources {
    const char *mappings;
    const char *period;
    const char *return_dir;
    const char *staged;
    const char *out_dir;
    unsigned quarters;
    double custody_target_pct;
};
int board_indicators(const struct board_sources *src, struct board_data *d, struct yj_error *err);
int board_indicators_write(const char *out_dir, const struct board_data *d, struct yj_error *err);
#endif
