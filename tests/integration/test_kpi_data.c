/*
 * test_kpi_data.c - the KPI folder of a real run on the generated test warehouse.
 *
 * yj-run computes the KPIs after validation (docs/kpi.md). For 2025Q1 on the harness's main
 * warehouse (yj-gen --seed 42 --children 300, YJ_TEST_CONF) RUN/kpi/ must hold every output
 * of docs/kpi.md "Outputs" with its mode (cases.csv and worklist.csv, which name children,
 * 0600), and a MANIFEST listing each with its size and SHA-256, saying `provisional no` for
 * a return that passed validation. Two runs as of the same --as-of give byte-identical KPI
 * files. (The warehouse is too small for every template row to be filled in one quarter:
 * that is checked by hand at demo size, 2,000 children.)
 */
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PERIOD "2025Q1"

static const struct {
    const char *name;
    unsigned mode;
} outputs[] = {
    {"kpi1_accommodation_detail.csv", 0644},
    {"kpi2_ete.csv", 0644},
    {"kpi3_send_aln.csv", 0644},
    {"kpi4_mhew.csv", 0644},
    {"kpi5_substance_misuse.csv", 0644},
    {"kpi6_ooc.csv", 0644},
    {"kpi7_ws.csv", 0644},
    {"kpi8_mba.csv", 0644},
    {"kpi9_sv.csv", 0644},
    {"kpi10_victims.csv", 0644},
    {"headline.csv", 0644},
    {"cases.csv", 0600},
    {"worklist.csv", 0600},
    {"worklist.txt", 0644},
    {"recording.csv", 0644},
};

#define N_OUTPUTS (sizeof(outputs) / sizeof(outputs[0]))

/* Runs yj-run for PERIOD as of AS_OF; returns the run directory it printed. */
static char *
kpi_run(const char *conf, const char *as_of)
{
    const char *argv[] = {"yj-run", "--config", conf, "--period", PERIOD, "--as-of", as_of, NULL};
    struct cmd_result r = run_cmd(argv);
    size_t len = strlen(r.out);
    char *dir;

    cr_assert_eq(r.status, 0, "yj-run %s exit %d; stderr:\n%s", PERIOD, r.status, r.err);
    cr_assert(len > 1 && strchr(r.out, '\n') == r.out + len - 1,
              "stdout must be exactly one line, got: %s", r.out);
    dir = strndup(r.out, len - 1);
    cmd_result_free(&r);
    return dir;
}

/* SHA-256 of a file as 64 hex digits (coreutils sha256sum), malloc'd. */
static char *
sha256_of(const char *path)
{
    char cmd[4096], hex[65] = "";
    FILE *p;

    cr_assert(strchr(path, '\'') == NULL, "unexpected quote in %s", path);
    snprintf(cmd, sizeof(cmd), "sha256sum -- '%s'", path);
    p = popen(cmd, "r");
    cr_assert(p, "cannot run sha256sum");
    cr_assert_eq(fscanf(p, "%64s", hex), 1, "no output from sha256sum %s", path);
    cr_assert_eq(pclose(p), 0, "sha256sum %s failed", path);
    cr_assert_eq(strlen(hex), 64, "sha256sum %s: %s", path, hex);
    return strdup(hex);
}

static char *
as_of_now(void)
{
    return sql_exec("SELECT to_char(now() - interval '1 second', "
                    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') ");
}

Test(kpi_data, every_output_with_its_mode_and_manifest, .timeout = 300)
{
    char *as_of = as_of_now();
    char *run = kpi_run(env_get("YJ_TEST_CONF"), as_of);
    char *kpi = path2(run, "kpi");
    char *mpath = path2(kpi, "MANIFEST");
    char *manifest = read_file(mpath, NULL);
    char *headline = read_file(path2(kpi, "headline.csv"), NULL);
    struct stat st;
    int listed = 0;

    cr_assert(manifest, "no %s", mpath);
    cr_assert_eq(stat(mpath, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0644, "MANIFEST has mode %o", (unsigned)(st.st_mode & 0777));
    cr_assert(strstr(manifest, "\nstage kpi\n"), "%s", manifest);
    cr_assert(strstr(manifest, "\nperiod " PERIOD "\n"), "%s", manifest);
    cr_assert(strstr(manifest, "\nprovisional no\n"), "a valid return is not provisional:\n%s",
              manifest);
    for (size_t i = 0; i < N_OUTPUTS; i++) {
        char *p = path2(kpi, outputs[i].name), *hex, want[512];
        size_t len;
        char *body = read_file(p, &len);

        cr_assert(body, "no %s", p);
        cr_assert_eq(stat(p, &st), 0);
        cr_assert_eq(st.st_mode & 0777, outputs[i].mode, "%s has mode %o, want %o", p,
                     (unsigned)(st.st_mode & 0777), outputs[i].mode);
        hex = sha256_of(p);
        snprintf(want, sizeof(want), "\nfile %s rows ", outputs[i].name);
        {
            const char *line = strstr(manifest, want);
            char name[128], sha[65];
            unsigned long long bytes;

            cr_assert(line, "MANIFEST does not list %s:\n%s", outputs[i].name, manifest);
            cr_assert_eq(
                sscanf(line, "\nfile %127s rows %*s bytes %llu sha256 %64s", name, &bytes, sha), 3,
                "bad MANIFEST line for %s", outputs[i].name);
            cr_assert_eq(bytes, (unsigned long long)len,
                         "%s: MANIFEST says %llu bytes, file has %zu", outputs[i].name, bytes, len);
            cr_assert_str_eq(sha, hex, "%s: MANIFEST sha256 %s, file %s", outputs[i].name, sha,
                             hex);
        }
        listed++;
        free(hex);
        free(body);
        free(p);
    }
    /* the MANIFEST lists exactly these files */
    {
        int n = 0;
        for (const char *s = manifest; (s = strstr(s, "\nfile ")) != NULL; s++)
            n++;
        cr_assert_eq(n, listed, "MANIFEST lists %d files, want %d:\n%s", n, listed, manifest);
    }
    /* every KPI has a headline, for all orders */
    cr_assert(headline, "no headline.csv");
    for (int k = 1; k <= 10; k++) {
        char want[32];
        snprintf(want, sizeof(want), "\n" PERIOD ",%d,", k);
        cr_assert(strstr(headline, want), "headline.csv has no KPI %d:\n%.400s", k, headline);
    }
    free(headline);
    free(manifest);
    free(mpath);
    free(kpi);
    free(run);
    free(as_of);
}

/* The MANIFEST without its lines that chain to the run's own earlier manifests (whose staged
 * MANIFEST holds the moment of the extraction, snapshot_time, which differs run to run). */
static char *
manifest_own_lines(const char *path)
{
    char *m = read_file(path, NULL), *out, *line, *save = NULL;
    size_t n = 0;

    cr_assert(m, "no %s", path);
    out = calloc(1, strlen(m) + 1);
    cr_assert(out);
    for (line = strtok_r(m, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "return_manifest_sha256 ", 23) == 0 ||
            strncmp(line, "input_manifest_sha256 ", 22) == 0)
            continue;
        n += (size_t)sprintf(out + n, "%s\n", line);
    }
    free(m);
    return out;
}

Test(kpi_data, same_as_of_gives_the_same_bytes, .timeout = 300)
{
    char *as_of = as_of_now();
    char *a = kpi_run(env_get("YJ_TEST_CONF"), as_of);
    char *b = kpi_run(env_get("YJ_TEST_CONF"), as_of);
    char *ka = path2(a, "kpi"), *kb = path2(b, "kpi");
    char *pa, *pb, *ma, *mb;

    cr_assert_str_neq(a, b, "two runs, one directory");
    for (size_t i = 0; i < N_OUTPUTS; i++) {
        pa = path2(ka, outputs[i].name);
        pb = path2(kb, outputs[i].name);
        cr_assert(file_exists(pa), "no %s", pa);
        cr_assert(files_equal(pa, pb), "%s differs between two runs as of %s:\n  %s\n  %s",
                  outputs[i].name, as_of, pa, pb);
        free(pa);
        free(pb);
    }
    /* the same files, rules, period and as-of: the MANIFEST differs only where it names the
     * run's own staged snapshot */
    pa = path2(ka, "MANIFEST");
    pb = path2(kb, "MANIFEST");
    ma = manifest_own_lines(pa);
    mb = manifest_own_lines(pb);
    cr_assert_str_eq(ma, mb, "the KPI MANIFESTs differ beyond the snapshot:\n  %s\n  %s", pa, pb);
    free(ma);
    free(mb);
    free(pa);
    free(pb);
    free(ka);
    free(kb);
    free(a);
    free(b);
    free(as_of);
}
