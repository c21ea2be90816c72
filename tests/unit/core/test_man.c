/*
 * test_man.c - each stage's one-line summary is described once (its cli_spec) and the
 * README's table of stages says the same; the manual page is made from the spec, with roff's
 * special characters escaped, every option and every exit code.
 */
#include "cli.h"
#include "stages.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define README YJ_SOURCE_DIR "/README.md"

Test(man, readme_stage_table_says_each_spec_summary)
{
    FILE *f = fopen(README, "r");
    char line[4096];
    int found[STAGE_COUNT] = {0};

    cr_assert(f, "cannot open %s", README);
    while (fgets(line, sizeof(line), f)) {
        for (int i = 0; i < STAGE_COUNT; i++) {
            char head[64];
            size_t hl, sl = strlen(stage_table[i].cli->summary);

            snprintf(head, sizeof(head), "| `%s` | ", stage_table[i].cli->program);
            hl = strlen(head);
            if (strncmp(line, head, hl) != 0)
                continue;
            cr_assert(strncmp(line + hl, stage_table[i].cli->summary, sl) == 0 &&
                          strncmp(line + hl + sl, " | ", 3) == 0,
                      "README's row of %s does not say its summary \"%s\":\n%s",
                      stage_table[i].cli->program, stage_table[i].cli->summary, line);
            found[i]++;
        }
    }
    fclose(f);
    for (int i = 0; i < STAGE_COUNT; i++)
        cr_assert_eq(found[i], 1, "README has %d rows for %s", found[i],
                     stage_table[i].cli->program);
}

struct toy {
    const char *in;
    int flag;
};

static const struct cli_option toy_options[] = {
    {"in", "FILE", "read FILE (-1 means stdin)", CLI_STRING, offsetof(struct toy, in), 1, NULL},
    {"flag", NULL, "a back\\slash", CLI_FLAG, offsetof(struct toy, flag), 0, NULL},
};

static const struct cli_spec toy_cli = {
    .program = "yj-toy",
    .summary = "tests the man-page writer",
    .synopsis = "yj-toy --in FILE\n       yj-toy --flag",
    .description = "First line.\n.Dotted line and 'quoted\n'line.",
    .options = toy_options,
    .noptions = 2,
};

Test(man, page_is_made_from_the_spec_with_roff_escapes)
{
    char *text = NULL, want[2048];
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    const char *p;

    cr_assert(mem);
    cli_man(&toy_cli, mem);
    fclose(mem);
    /* every stage is "see also"; the exit codes follow the options */
    p = strstr(text, ".SH EXIT STATUS\n");
    cr_assert(p, "no EXIT STATUS section:\n%s", text);
    cr_assert(snprintf(want, sizeof(want),
                       ".TH yj-toy 1 \"\" \"yjreturns %s\" \"yjreturns\"\n"
                       ".SH NAME\n"
                       "yj\\-toy \\- tests the man\\-page writer\n"
                       ".SH SYNOPSIS\n.nf\n"
                       "yj\\-toy \\-\\-in FILE\n"
                       "yj\\-toy \\-\\-flag\n"
                       ".fi\n"
                       ".SH DESCRIPTION\n"
                       "First line.\n"
                       "\\&.Dotted line and 'quoted\n"
                       "\\&'line.\n"
                       ".SH OPTIONS\n"
                       ".TP\n\\fB\\-\\-in\\fR \\fIFILE\\fR\n"
                       "read FILE (\\-1 means stdin)\n"
                       ".TP\n\\fB\\-\\-flag\\fR\n"
                       "a back\\eslash\n",
                       YJ_VERSION) < (int)sizeof(want));
    cr_assert(strncmp(text, want, strlen(want)) == 0, "the page begins\n%s\nnot\n%s", text, want);
    cr_assert(strncmp(p,
                      ".SH EXIT STATUS\n.TP\n.B 0\nsuccess\n.TP\n.B 64\nusage: bad command line "
                      "or malformed period\n",
                      80) == 0,
              "the exit status section begins\n%.200s", p);
    cr_assert(strstr(text,
                     ".TP\n.B 82\nempty return refused: no children (\\-\\-allow\\-empty)\n"
                     ".TP\n.B 83\ncorrection refused: it changes no child's document "
                     "(\\-\\-force\\-correction)\n"
                     ".SH SEE ALSO\n"
                     ".BR yj\\-extract (1),\n.BR yj\\-transform (1),\n.BR yj\\-validate (1),\n"
                     ".BR yj\\-kpi (1),\n.BR yj\\-submit (1),\n.BR yj\\-report (1),\n"
                     ".BR yj\\-run (1)\n"),
              "the page ends\n%s", p);
    free(text);
}
