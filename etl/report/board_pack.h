/* board_pack.h - (stub until the pack lands) */
#ifndef YJ_BOARD_PACK_H
#define YJ_BOARD_PACK_H
#include "board.h"
#include "error.h"
struct board_policy {
    long threshold;
    long round_base;
    int secondary;
};
int board_pack_html(const char *out_dir, const struct board_data *d, const struct board_policy *p,
                    struct yj_error *err);
int board_pack_pdf(const char *out_dir, const char *browser, struct yj_error *err);
#endif
