/*
 * board_svg.h - the board pack's small SVG writer: line charts of quarters and bar charts
 * starting at zero, written inline into the page.
 *
 * Every chart has a title, both axes labelled with units, at most four colours of the
 * Government Analysis Function's palette (colour-blind readers can tell them apart), text in
 * near-black (WCAG 2.2 AA on white), each line labelled directly at its last point, and a
 * text alternative (role="img", <title> and aria-labelledby). A value of NAN is not drawn:
 * a gap in a line, an empty place among the bars (a suppressed or missing figure; the table
 * beside the chart says which). Output depends only on the arguments: numbers are printed
 * with fixed precision, and every text is escaped.
 */
#ifndef YJ_BOARD_SVG_H
#define YJ_BOARD_SVG_H

#include <stddef.h>
#include <stdio.h>

/* The palette, in the order series take it. */
#define SVG_NCOLOURS 4
extern const char *const svg_colours[SVG_NCOLOURS];

struct svg_series {
    const char *label; /* printed at the line's end, or in the bars' key */
    const double *y;   /* one value per category; NAN: not drawn */
};

struct svg_chart {
    const char *id;          /* unique in the page: the title's id is "<id>-t" */
    const char *title;       /* the chart's title, also its text alternative's start */
    const char *summary;     /* the text alternative's rest: what the chart shows, in words */
    const char *cat_label;   /* the categories' axis (quarters, groups) */
    const char *value_label; /* the values' axis, with its unit */
    const char *const *x;    /* the categories (quarters, groups), NX of them */
    size_t nx;
    const struct svg_series *series; /* 1 to SVG_NCOLOURS of them */
    size_t nseries;
    const char *missing; /* a bar chart's text in place of a bar of NAN ("[c]"); NULL: none */
};

/* Writes S with &, <, >, " and ' escaped for HTML and SVG text and attributes. */
void svg_escape(FILE *f, const char *s);
/* A line chart: the categories left to right, each series a line (points joined where both
 * ends have a value), the values' axis upwards from zero. */
void svg_line_chart(FILE *f, const struct svg_chart *c);
/* A bar chart: the categories top to bottom, a bar per series from zero to the right, and a
 * key naming the series when there are several. */
void svg_bar_chart(FILE *f, const struct svg_chart *c);
/* The end of the values' axis for a largest value MAX: 1, 2, 2.5 or 5 times a power of ten,
 * at least MAX (and 1 when MAX is not above 0). */
double svg_axis_top(double max);

#endif
