/*
 * test_svg.c - the board pack's SVG writer (etl/report/board_svg.c): the values' axis from
 * zero to a round top, escaping, the text alternative, gaps for missing values, lines
 * labelled at their ends, bars from zero, and nothing but the four palette colours.
 */
#include "board_svg.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What F wrote (F closed); the caller frees it. */
static char *
drawn(void (*draw)(FILE *, const struct svg_chart *), const struct svg_chart *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    cr_assert_not_null(f);
    draw(f, c);
    fclose(f);
    return buf;
}

/* Every fill= and stroke= names a palette colour, the text ink or the grid grey. */
static void
assert_palette_only(const char *svg)
{
    static const char *const allowed[] = {"#12436D", "#28A197", "#801650",
                                          "#F46A25", "#0b0c0c", "#b1b4b6"};

    for (const char *p = svg; (p = strpbrk(p, "fs")) != NULL; p++) {
        const char *v;
        int ok = 0;

        if (strncmp(p, "fill=\"", 6) == 0)
            v = p + 6;
        else if (strncmp(p, "stroke=\"", 8) == 0)
            v = p + 8;
        else
            continue;
        for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
            ok |= strncmp(v, allowed[i], 7) == 0 && v[7] == '"';
        cr_assert(ok, "a colour outside the palette: %.20s", v);
    }
}

Test(svg, the_axis_ends_at_one_two_two_and_a_half_or_five_times_a_power_of_ten)
{
    const double in[] = {0, -3, NAN, 0.3, 1, 1.2, 2, 2.1, 4.9, 5, 7, 10, 12.5, 37, 250, 251};
    const double want[] = {1, 1, 1, 0.5, 1, 2, 2, 2.5, 5, 5, 10, 10, 20, 50, 250, 500};

    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
        cr_assert_float_eq(svg_axis_top(in[i]), want[i], 1e-9, "max %g", in[i]);
}

Test(svg, text_is_escaped)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    svg_escape(f, "Theft & <handling> \"quoted\" 'it'");
    fclose(f);
    cr_assert_str_eq(buf, "Theft &amp; &lt;handling&gt; &quot;quoted&quot; &#39;it&#39;");
    free(buf);
}

Test(svg, a_line_chart_has_its_text_alternative_labels_and_a_gap_for_a_missing_value)
{
    const char *x[4] = {"2024Q2", "2024Q3", "2024Q4", "2025Q1"};
    const double a[4] = {10, NAN, 12, 14}, b[4] = {5, 6, 7, 8};
    struct svg_series s[2] = {{"quarter <q>", a}, {"rolling year", b}};
    struct svg_chart c = {"fte",
                          "First time entrants & more",
                          "Line chart of two series.",
                          "quarter",
                          "children",
                          x,
                          4,
                          s,
                          2,
                          NULL};
    char *svg = drawn(svg_line_chart, &c);

    ut_assert_contains(svg, "role=\"img\"");
    ut_assert_contains(svg, "aria-labelledby=\"fte-t fte-d\"");
    ut_assert_contains(svg, "<title id=\"fte-t\">First time entrants &amp; more</title>");
    ut_assert_contains(svg, "<desc id=\"fte-d\">Line chart of two series.</desc>");
    /* axis 0 to 20 in five ticks, both axes labelled */
    ut_assert_contains(svg, "text-anchor=\"end\">0</text>");
    ut_assert_contains(svg, "text-anchor=\"end\">20</text>");
    ut_assert_contains(svg, ">quarter</text>");
    ut_assert_contains(svg, ">children</text>");
    /* each line labelled at its end, escaped */
    ut_assert_contains(svg, ">quarter &lt;q&gt;</text>");
    ut_assert_contains(svg, ">rolling year</text>");
    /* 3 points and 1 segment (the gap breaks 10 - 12) for the first, 4 and 3 for the second */
    cr_assert_eq(ut_count(svg, "<circle"), 7);
    cr_assert_eq(ut_count(svg, "stroke-width=\"3\""), 4);
    cr_assert_eq(ut_count(svg, "stroke=\"#12436D\" stroke-width=\"3\""), 1);
    assert_palette_only(svg);
    free(svg);
}

Test(svg, bars_start_at_zero_and_several_series_get_a_key)
{
    const char *x[2] = {"White", "Black"};
    const double a[2] = {60, 19}, b[2] = {77, NAN};
    struct svg_series s[2] = {{"cohort", a}, {"population", b}};
    struct svg_chart c = {"eth", "Ethnicity", "Bar chart.", "group", "share (%)", x, 2,
                          s,     2,           "[c]"};
    char *svg = drawn(svg_bar_chart, &c);

    /* every bar starts at the axis (x = 200); 77 of 100 is 0.77 of 440 units */
    cr_assert_eq(ut_count(svg, "<rect x=\"200\" y="), 3 + 2, "3 bars and 2 key squares");
    ut_assert_contains(svg, "width=\"338.8\" height=\"14\" fill=\"#28A197\"");
    /* the missing bar's place says so */
    ut_assert_contains(svg, "<text x=\"204.0\" y=\"94.0\" fill=\"#0b0c0c\" "
                            "text-anchor=\"start\">[c]</text>");
    ut_assert_contains(svg, ">cohort</text>");
    ut_assert_contains(svg, ">population</text>");
    ut_assert_contains(svg, ">share (%)</text>");
    ut_assert_contains(svg, "text-anchor=\"middle\">100</text>");
    assert_palette_only(svg);
    free(svg);
}
