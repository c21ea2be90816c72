/*
 * board_pack.h - the board pack: one self-contained HTML page of the board's figures
 * (board_pack_html) and its A4 PDF printed by headless Chromium (board_pack_pdf).
 *
 * The page needs nothing outside itself: every chart an inline SVG (board_svg.h), the style
 * inline, and a Content-Security-Policy that forbids any request. Small numbers are
 * suppressed as the [report] section's policy says (board_suppress.h) and shown as [c]; the
 * CSVs beside it keep the exact values. The page's bytes depend only on the figures, the
 * policy and d->as_of: no clock, no locale (numbers are formatted in the "C" locale).
 * docs/board-pack.md describes the page, its charts and the suppression rules.
 */
#ifndef YJ_BOARD_PACK_H
#define YJ_BOARD_PACK_H

#include "board.h"
#include "error.h"

struct board_policy { /* the [report] section's suppression policy */
    long threshold;   /* a count below this (and above 0) is suppressed; default 5; >= 0 (0: no
                         suppression) */
    long round_base;  /* 0: no rounding; else published counts are rounded to the nearest
                         multiple (e.g. 5) */
    int secondary;    /* 1 (default): secondary suppression so no hidden cell can be worked
                         out from a total or the complement of a split */
};

/* OUT_DIR is the run's report folder (RD_REPORT_DIR); the files keep their rows' names.
 * Writes out_dir/pack.html (RD_REPORT_HTML, 0644) atomically: one self-contained page (no
 * network, no external file: every chart an inline SVG, CSS inline, a Content-Security-Policy
 * meta that forbids any request), from D, small numbers suppressed by P and shown as [c]. */
int board_pack_html(const char *out_dir, const struct board_data *d, const struct board_policy *p,
                    struct yj_error *err);
/* Prints out_dir/pack.html to out_dir/pack.pdf (RD_REPORT_PDF, 0644, A4) with BROWSER
 * (headless Chromium: --headless --no-sandbox as needed --print-to-pdf, a private temporary
 * --user-data-dir, no network), atomically (tmp + rename), with a time limit; a missing browser
 * is a clear error naming the path and the [report] key. */
int board_pack_pdf(const char *out_dir, const char *browser, struct yj_error *err);

#endif
