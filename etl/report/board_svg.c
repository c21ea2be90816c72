/*
 * board_svg.c - the board pack's SVG charts: axes, ticks, lines labelled at their ends and
 * bars from zero, each with its text alternative. See board_svg.h. The writer keeps no state
 * between charts; all geometry is fixed so that the same figures give the same bytes.
 */
#include "board_svg.h"

#include <math.h>
#include <string.h>

#include "banned.h"

const char *const svg_colours[SVG_NCOLOURS] = {"#12436D", "#28A197", "#801650", "#F46A25"};

#define INK "#0b0c0c"  /* text: 19.6:1 on white */
#define GRID "#b1b4b6" /* gridlines: not text */
#define TICKS 5        /* intervals of the values' axis: whole steps of 1, 2, 2.5 and 5 */

void
svg_escape(FILE *f, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
}

double
svg_axis_top(double max)
{
    static const double steps[] = {1, 2, 2.5, 5, 10};
    double p;

    if (!(max > 0) || !isfinite(max))
        return 1;
    p = pow(10, floor(log10(max)));
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (steps[i] * p >= max * (1 - 1e-12))
            return steps[i] * p;
    return 10 * p;
}

/* A tick value: whole numbers without decimals, else one decimal (or two below 1). */
static void
tick_text(char *buf, size_t len, double v)
{
    if (fabs(v - round(v)) < 1e-9)
        snprintf(buf, len, "%.0f", v);
    else if (fabs(v * 10 - round(v * 10)) < 1e-9)
        snprintf(buf, len, "%.1f", v);
    else
        snprintf(buf, len, "%.2f", v);
}

static double
largest(const struct svg_chart *c)
{
    double max = 0;

    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->nx; i++)
            if (!isnan(c->series[s].y[i]) && c->series[s].y[i] > max)
                max = c->series[s].y[i];
    return max;
}

/* The opening tag, the text alternative and the frame. */
static void
open_svg(FILE *f, const struct svg_chart *c, int width, int height)
{
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"%s\" role=\"img\" "
            "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" aria-labelledby=\"%s-t %s-d\" "
            "font-family=\"Arial, Helvetica, sans-serif\" font-size=\"13\">\n",
            c->id, width, height, width, height, c->id, c->id);
    fprintf(f, "<title id=\"%s-t\">", c->id);
    svg_escape(f, c->title);
    fprintf(f, "</title>\n<desc id=\"%s-d\">", c->id);
    svg_escape(f, c->summary);
    fputs("</desc>\n", f);
}

static void
text_at(FILE *f, double x, double y, const char *anchor, const char *s)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"" INK "\" text-anchor=\"%s\">", x, y, anchor);
    svg_escape(f, s);
    fputs("</text>\n", f);
}

/* A category's label, centred at X: a second line after a newline (a quarter's mark). */
static void
category_at(FILE *f, double x, double y, const char *s)
{
    const char *nl = strchr(s, '\n');

    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"" INK "\" text-anchor=\"middle\">", x, y);
    if (!nl)
        svg_escape(f, s);
    else {
        char first[64];

        snprintf(first, sizeof(first), "%.*s", (int)(nl - s), s);
        svg_escape(f, first);
        fprintf(f, "<tspan x=\"%.1f\" dy=\"14\">", x);
        svg_escape(f, nl + 1);
        fputs("</tspan>", f);
    }
    fputs("</text>\n", f);
}

/* Line chart geometry. */
#define L_W 680
#define L_H 320
#define L_LEFT 64
#define L_RIGHT 170 /* room for the lines' labels */
#define L_TOP 16
#define L_BOTTOM 64

/* The values' axis of a line chart: gridlines, ticks, its label (turned). */
static void
line_axes(FILE *f, const struct svg_chart *c, double top)
{
    double ph = L_H - L_TOP - L_BOTTOM, pw = L_W - L_LEFT - L_RIGHT;
    size_t every = c->nx > 10 ? (c->nx + 9) / 10 : 1;
    char t[32];

    for (int k = 0; k <= TICKS; k++) {
        double y = L_TOP + ph - ph * k / TICKS;

        fprintf(f,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"1\"/>\n",
                L_LEFT, y, L_LEFT + pw, y, k == 0 ? INK : GRID);
        tick_text(t, sizeof(t), top * k / TICKS);
        text_at(f, L_LEFT - 6, y + 4, "end", t);
    }
    for (size_t i = 0; i < c->nx; i += every) {
        double x = c->nx > 1 ? L_LEFT + pw * (double)i / (double)(c->nx - 1) : L_LEFT + pw / 2;

        category_at(f, x, L_TOP + ph + 18, c->x[i]);
    }
    text_at(f, L_LEFT + pw / 2, L_H - 12, "middle", c->cat_label);
    fprintf(f,
            "<text transform=\"translate(16 %.1f) rotate(-90)\" fill=\"" INK
            "\" text-anchor=\"middle\">",
            L_TOP + ph / 2);
    svg_escape(f, c->value_label);
    fputs("</text>\n", f);
}

void
svg_line_chart(FILE *f, const struct svg_chart *c)
{
    double top = svg_axis_top(largest(c));
    double ph = L_H - L_TOP - L_BOTTOM, pw = L_W - L_LEFT - L_RIGHT;
    double label_y[SVG_NCOLOURS];
    size_t label_i[SVG_NCOLOURS], nlabels = 0;

    open_svg(f, c, L_W, L_H);
    line_axes(f, c, top);
    for (size_t s = 0; s < c->nseries && s < SVG_NCOLOURS; s++) {
        const double *y = c->series[s].y;
        size_t last = (size_t)-1;

        for (size_t i = 0; i < c->nx; i++) {
            double x = c->nx > 1 ? L_LEFT + pw * (double)i / (double)(c->nx - 1) : L_LEFT + pw / 2;
            double py = L_TOP + ph - ph * y[i] / top;

            if (isnan(y[i]))
                continue;
            if (i > 0 && !isnan(y[i - 1])) {
                double px = L_LEFT + pw * (double)(i - 1) / (double)(c->nx - 1);

                fprintf(f,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                        "stroke-width=\"3\"/>\n",
                        px, L_TOP + ph - ph * y[i - 1] / top, x, py, svg_colours[s]);
            }
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>\n", x, py,
                    svg_colours[s]);
            last = i;
        }
        if (last != (size_t)-1) {
            label_y[nlabels] = L_TOP + ph - ph * y[last] / top + 4;
            label_i[nlabels++] = s;
        }
    }
    /* labels in order of height, at least 15 units apart */
    for (size_t a = 0; a < nlabels; a++)
        for (size_t b = a + 1; b < nlabels; b++)
            if (label_y[b] < label_y[a]) {
                double ty = label_y[a];
                size_t ti = label_i[a];

                label_y[a] = label_y[b], label_i[a] = label_i[b];
                label_y[b] = ty, label_i[b] = ti;
            }
    for (size_t a = 1; a < nlabels; a++)
        if (label_y[a] < label_y[a - 1] + 15)
            label_y[a] = label_y[a - 1] + 15;
    for (size_t a = 0; a < nlabels; a++) {
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"4\" fill=\"%s\"/>\n",
                L_LEFT + pw + 10, label_y[a] - 6, svg_colours[label_i[a]]);
        text_at(f, L_LEFT + pw + 24, label_y[a], "start", c->series[label_i[a]].label);
    }
    fputs("</svg>\n", f);
}

/* Bar chart geometry. */
#define B_W 680
#define B_LEFT 200 /* room for the categories */
#define B_RIGHT 40
#define B_TOP 16
#define B_BAR 16
#define B_GAP 12
#define B_BOTTOM 64

void
svg_bar_chart(FILE *f, const struct svg_chart *c)
{
    size_t ns = c->nseries < SVG_NCOLOURS ? c->nseries : SVG_NCOLOURS;
    double top = svg_axis_top(largest(c)), pw = B_W - B_LEFT - B_RIGHT;
    double group = (double)ns * B_BAR + B_GAP, ph = group * (double)c->nx;
    int key = ns > 1 ? 20 * (int)ns : 0;
    int height = (int)(B_TOP + ph + B_BOTTOM) + key;
    char t[32];

    open_svg(f, c, B_W, height);
    for (int k = 0; k <= TICKS; k++) {
        double x = B_LEFT + pw * k / TICKS;

        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"1\"/>\n",
                x, B_TOP, x, B_TOP + ph, k == 0 ? INK : GRID);
        tick_text(t, sizeof(t), top * k / TICKS);
        text_at(f, x, B_TOP + ph + 18, "middle", t);
    }
    for (size_t i = 0; i < c->nx; i++) {
        double gy = B_TOP + group * (double)i + B_GAP / 2.0;

        text_at(f, B_LEFT - 8, gy + (double)ns * B_BAR / 2 + 4, "end", c->x[i]);
        for (size_t s = 0; s < ns; s++) {
            double v = c->series[s].y[i];

            if (isnan(v)) {
                if (c->missing)
                    text_at(f, B_LEFT + 4, gy + (double)s * B_BAR + B_BAR - 4, "start", c->missing);
                continue;
            }
            fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
                    B_LEFT, gy + (double)s * B_BAR, pw * v / top, B_BAR - 2, svg_colours[s]);
        }
    }
    text_at(f, B_LEFT + pw / 2, B_TOP + ph + 40, "middle", c->value_label);
    fprintf(f,
            "<text transform=\"translate(16 %.1f) rotate(-90)\" fill=\"" INK
            "\" text-anchor=\"middle\">",
            B_TOP + ph / 2);
    svg_escape(f, c->cat_label);
    fputs("</text>\n", f);
    for (size_t s = 0; key && s < ns; s++) {
        double ky = B_TOP + ph + B_BOTTOM + 20.0 * (double)s;

        fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\"/>\n", B_LEFT,
                ky - 11, svg_colours[s]);
        text_at(f, B_LEFT + 20, ky, "start", c->series[s].label);
    }
    fputs("</svg>\n", f);
}
