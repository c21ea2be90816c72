/*
 * test_seal.c - the run seal (etl/core/seal.c, docs/design.md "Run seal").
 *
 * The invariants under test: the seal is the SHA-256 of the documented text, over the
 * pre-submission files there are, in the documented order whatever order they were made in;
 * the seal RUN's sealed lines give is the one the folder gives; RUN's record gets a line per
 * file (submit/ included), then seal and record_sha256 as its last two lines, and
 * record_sha256 is the SHA-256 of its other lines.
 */
#include "seal.h"

#include "../support.h"

#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>

UT_SCRATCH_SUITE(seal);

static void
put(const char *rel, const char *text)
{
    char *path = ut_path(dir, rel), *slash = strrchr(path, '/');

    *slash = '\0';
    mkdir(path, 0700);
    *slash = '/';
    ut_write(path, text);
    free(path);
}

static void
hex_of(const char *text, char out[SHA256_HEX_LEN + 1])
{
    struct sha256 h;

    sha256_init(&h);
    sha256_update(&h, text, strlen(text));
    sha256_final_hex(&h, out);
    sha256_release(&h);
}

Test(seal, is_the_hash_of_the_documented_text_in_the_documented_order)
{
    char a[65], b[65], c[65], d[65], text[1024], want[65], got[65];

    /* made in another order than the seal's */
    put("kpi/MANIFEST", "k\n");
    put("validate/report-0002.txt", "r2\n");
    put("validate/report-0001.txt", "r1\n");
    put("staged/MANIFEST", "s\n");
    put("submit/receipt-0001", "not in the seal\n");
    put("report/MANIFEST", "the pack, written after the upload: not in the seal\n");
    put("validate/notes.txt", "not a report\n");
    hex_of("k\n", a);
    hex_of("r1\n", b);
    hex_of("r2\n", c);
    hex_of("s\n", d);
    snprintf(text, sizeof(text),
             "yjreturns-seal 1\n%s staged/MANIFEST\n%s validate/report-0001.txt\n"
             "%s validate/report-0002.txt\n%s kpi/MANIFEST\n",
             d, b, c, a);
    hex_of(text, want);
    cr_assert_eq(seal_compute(dir, got), 0);
    cr_assert_str_eq(got, want);
}

Test(seal, the_run_record_seals_every_file_and_ends_with_seal_and_record)
{
    struct manifest m;
    char folder[65], record[65], text[4096] = "";
    size_t n = 0;

    put("staged/MANIFEST", "s\n");
    put("return/MANIFEST", "r\n");
    put("submit/receipt", "x\n");
    /* a write a stop cut short: the next run of the period removes it, so it is not sealed */
    put("submit/correction.csv.tmp", "cut\n");
    manifest_init(&m);
    manifest_set(&m, "stage", "run");
    manifest_set(&m, "result", "running");
    cr_assert_eq(seal_run_record(&m, dir), 0);
    /* a later write: new files (the board pack's MANIFEST is sealed too), a new key */
    put("kpi/MANIFEST", "k\n");
    put("report/MANIFEST", "p\n");
    manifest_set(&m, "result", "submitted");
    cr_assert_eq(seal_run_record(&m, dir), 0);
    cr_assert_eq(m.nkv, 9);
    cr_assert_str_eq(m.kv[2].key, "sealed.staged/MANIFEST");
    cr_assert_str_eq(m.kv[3].key, "sealed.return/MANIFEST");
    cr_assert_str_eq(m.kv[4].key, "sealed.submit/receipt");
    cr_assert_str_eq(m.kv[5].key, "sealed.kpi/MANIFEST");
    cr_assert_str_eq(m.kv[6].key, "sealed.report/MANIFEST");
    cr_assert_str_eq(m.kv[7].key, "seal");
    cr_assert_str_eq(m.kv[8].key, "record_sha256");
    /* the seal is the pre-submission files' alone */
    cr_assert_eq(seal_compute(dir, folder), 0);
    cr_assert_str_eq(m.kv[7].value, folder);
    for (size_t i = 0; i < 8; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%s %s\n", m.kv[i].key, m.kv[i].value);
    hex_of(text, record);
    cr_assert_str_eq(m.kv[8].value, record);
    manifest_release(&m);
}
