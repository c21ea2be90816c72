/*
 * pack_fixture.c - writes the board pack of the hand-built fixture (tests/unit/report/
 * pack_fixture.h) into a folder, for the browser test (tests/browser/pack.sh): the default
 * policy (threshold 5, no rounding, secondary suppression), and with --pdf BROWSER also its
 * PDF through board_pack_pdf(). Prints an error and exits with its status on failure.
 * usage: pack_fixture DIR [--pdf BROWSER]
 */
#include "board_pack.h"

#include "../unit/report/pack_fixture.h"

#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
    struct board_policy p = {5, 0, 1};
    struct board_data d;
    struct yj_error err;
    int rc;

    if (argc != 2 && !(argc == 4 && strcmp(argv[2], "--pdf") == 0)) {
        fprintf(stderr, "usage: pack_fixture DIR [--pdf BROWSER]\n");
        return 64;
    }
    yj_error_init(&err);
    fx_board(&d);
    rc = board_pack_html(argv[1], &d, &p, &err);
    if (rc == YJ_OK && argc == 4)
        rc = board_pack_pdf(argv[1], argv[3], &err);
    if (rc != YJ_OK)
        fprintf(stderr, "pack_fixture: %s\n", err.message);
    board_data_free(&d);
    return rc;
}
