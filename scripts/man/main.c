/*
 * yj-man: writes the manual page (roff) of one of the six stages, made from the same option
 * table as its --help (etl/core/stages.c). The build runs it for each stage into man/.
 *   usage: yj-man PROGRAM OUT     (PROGRAM: yj-extract ... yj-run; OUT written atomically)
 */
#include "atomic.h"
#include "cli.h"
#include "stages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int
main(int argc, char **argv)
{
    for (int i = 0; argc == 3 && i < STAGE_COUNT; i++) {
        if (strcmp(argv[1], stage_table[i].cli->program) == 0) {
            struct yj_error err;
            char *text = NULL;
            size_t len = 0;
            FILE *mem = open_memstream(&text, &len);
            int rc;

            yj_error_init(&err);
            if (!mem)
                return 70;
            cli_man(stage_table[i].cli, mem);
            if (fclose(mem) != 0)
                return 70;
            rc = atomic_write_file(argv[2], text, len, 0644, &err);
            if (rc != YJ_OK)
                fprintf(stderr, "yj-man: %s\n", err.message);
            free(text);
            return rc;
        }
    }
    fprintf(stderr, "usage: yj-man PROGRAM OUT   (PROGRAM: a stage, e.g. yj-run)\n");
    return 64;
}
