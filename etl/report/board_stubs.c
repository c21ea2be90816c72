/* board_stubs.c - placeholders of the parts being built in parallel (removed at their merge) */
#include "board_indicators.h"
#include "board_pack.h"
#include "board_trend.h"

#include "banned.h"

int
board_indicators(const struct board_sources *src, struct board_data *d, struct yj_error *err)
{
    (void)src, (void)d, (void)err;
    return YJ_OK;
}
int
board_indicators_write(const char *out_dir, const struct board_data *d, struct yj_error *err)
{
    (void)out_dir, (void)d, (void)err;
    return YJ_OK;
}
int
board_trend(const char *runs_root, const char *yot, const char *period, unsigned quarters,
            const char *this_run, struct board_data *d, struct yj_error *err)
{
    (void)runs_root, (void)yot, (void)period, (void)quarters, (void)this_run, (void)d, (void)err;
    return YJ_OK;
}
int
board_trend_write(const char *out_dir, const struct board_data *d, struct yj_error *err)
{
    (void)out_dir, (void)d, (void)err;
    return YJ_OK;
}
size_t
board_trend_quarters_with_figures(const struct board_data *d)
{
    (void)d;
    return 0;
}
int
board_pack_html(const char *out_dir, const struct board_data *d, const struct board_policy *p,
                struct yj_error *err)
{
    (void)out_dir, (void)d, (void)p, (void)err;
    return YJ_OK;
}
int
board_pack_pdf(const char *out_dir, const char *browser, struct yj_error *err)
{
    (void)out_dir, (void)browser, (void)err;
    return YJ_OK;
}
