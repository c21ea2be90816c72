/* board_trend.h - (stub until the trends land) */
#ifndef YJ_BOARD_TREND_H
#define YJ_BOARD_TREND_H
#include "board.h"
#include "error.h"
int board_trend(const char *runs_root, const char *yot, const char *period, unsigned quarters,
                const char *this_run, struct board_data *d, struct yj_error *err);
int board_trend_write(const char *out_dir, const struct board_data *d, struct yj_error *err);
size_t board_trend_quarters_with_figures(const struct board_data *d);
#endif
