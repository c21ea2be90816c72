/*
 * test_audit.c - the auditor commands of yj-run on real parts (docs/design.md "Auditing"):
 * --verify [RUNS_ROOT] names every file, receipt and ledger line that no longer matches, and
 * --rerun RUN_DIR reproduces a past run as recorded then and explains any difference field
 * by field.
 *
 * Each test has its own runs root (so its own ledger). The warehouse change touches one child
 * of 2023Q2, which no other test compares against; the mapping test reads the hand-written
 * golden warehouse, whose values are pinned.
 */
#include "forge.h"
#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#define GOLDEN_AS_OF "2025-07-02T00:00:00Z"

struct setup {
    char *conf; /* the harness config with its own runs root */
    char *runs;
    char *run; /* the run directory the first run printed */
};

static char *
run_dir_of(struct cmd_result *r)
{
    size_t len = strlen(r->out);

    cr_assert(len > 1 && r->out[len - 1] == '\n' && strchr(r->out, '\n') == r->out + len - 1,
              "stdout must be exactly one line, got: %s", r->out);
    return strndup(r->out, len - 1);
}

/* A run of PERIOD into a new runs root: submitted when SUBMIT, else validated only. */
static struct setup
one_run(const char *tag, const char *period, int submit)
{
    struct setup s;
    char *dir = temp_dir(tag);
    char *sign_off = sign_off_for(period);
    struct cmd_result r;

    s.runs = path2(dir, "runs");
    s.conf = config_variant(tag, "runs_root", s.runs, NULL);
    {
        const char *full[] = {"yj-run",   "--config",   s.conf,   "--period", period,
                              "--submit", "--sign-off", sign_off, NULL};
        if (!submit)
            full[5] = NULL;
        r = run_cmd(full);
    }
    cr_assert_eq(r.status, 0, "yj-run %s exit %d; stderr:\n%s", period, r.status, r.err);
    s.run = run_dir_of(&r);
    cmd_result_free(&r);
    free(sign_off);
    free(dir);
    return s;
}

static struct cmd_result
verify(const char *runs_root)
{
    const char *argv[] = {"yj-run", "--verify", runs_root, NULL};
    return run_cmd(argv);
}

static long long
size_of(const char *path)
{
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    return (long long)st.st_size;
}

/* The number of the line of FILE that starts with PREFIX (from 1), its text in *line. */
static int
line_of(const char *file, const char *prefix, char **line)
{
    char *text = read_file(file, NULL);
    int n = 0;

    cr_assert(text, "cannot read %s", file);
    for (char *p = text; *p;) {
        char *nl = strchr(p, '\n');
        n++;
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            if (line)
                *line = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
            free(text);
            return n;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    cr_assert_fail("%s has no line starting '%s'", file, prefix);
    return 0;
}

/* The files a stage's MANIFEST lists that are in DIR (a run that succeeded removes its staged
 * data files and keeps their MANIFEST). */
static int
count_listed_files(const char *dir)
{
    char *manifest = path2(dir, "MANIFEST");
    char *text = read_file(manifest, NULL);
    int n = 0;

    cr_assert(text, "cannot read %s", manifest);
    for (char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, "file ", 5) == 0) {
            char *name = strndup(p + 5, strcspn(p + 5, " "));
            char *path = path2(dir, name);
            n += file_exists(path);
            free(path);
            free(name);
        }
    free(text);
    free(manifest);
    return n;
}

/* A copy of the setup's runs root, and the run's folder in it. */
static char *
copy_runs(const struct setup *s, const char *tag, char **run)
{
    char *dir = temp_dir(tag);
    char *copy = path2(dir, "runs");

    copy_tree(s->runs, copy);
    *run = malloc(strlen(copy) + strlen(s->run) + 1);
    sprintf(*run, "%s%s", copy, s->run + strlen(s->runs));
    free(dir);
    return copy;
}

/* The summary --verify prints for the setup's one submitted run: every file its manifests
 * list, its receipt, its validation report, the ledger, RUN and the three manifests RUN
 * seals. */
static char *
clean_summary(const struct setup *s, int problems)
{
    const char *stages[] = {"staged", "return", "kpi"};
    int files = 7;
    char *out = malloc(256);

    for (size_t i = 0; i < 3; i++) {
        char *dir = path2(s->run, stages[i]);
        files += count_listed_files(dir);
        free(dir);
    }
    snprintf(out, 256, "verified 1 run, %d files, ledger checked: %d problem%s, 0 incomplete\n",
             files, problems, problems == 1 ? "" : "s");
    return out;
}

/* The files the setup run's STAGE MANIFEST lists that are there. */
static int
listed(const struct setup *s, const char *stage)
{
    char *dir = path2(s->run, stage);
    int n = count_listed_files(dir);
    free(dir);
    return n;
}

/* Removes the ledger's last line, as if the process that was to write it had been killed. */
static void
cut_last_ledger_line(const char *runs_root)
{
    char *ledger = path2(runs_root, "ledger"), *text = read_file(ledger, NULL), *nl;
    size_t len;

    cr_assert(text && (len = strlen(text)) > 1, "%s", ledger);
    text[len - 1] = '\0';
    nl = strrchr(text, '\n');
    cr_assert(nl, "%s has one line", ledger);
    nl[1] = '\0';
    forge_write(ledger, text);
    free(text);
    free(ledger);
}

/* The line --verify prints when the file REL of RUN no longer has the SHA-256 its RUN seals. */
static char *
sealed_line(const char *run, const char *rel)
{
    char *runfile = path2(run, "RUN"), *key = malloc(strlen(rel) + 8), *file = path2(run, rel);
    char *was, *now, *out = malloc(8192);
    int line;

    sprintf(key, "sealed.%s", rel);
    was = forge_get(runfile, key, &line);
    cr_assert(was, "%s has no %s line", runfile, key);
    now = forge_file_sha256(file);
    snprintf(out, 8192, "problem %s: sha256 %s; %s line %d says %s\n", file, now, runfile, line,
             was);
    free(now);
    free(was);
    free(file);
    free(key);
    free(runfile);
    return out;
}

/* The lines --verify prints for the ledger's two entries (the send and its answer) when the
 * manifests and reports of RUN (in the runs root COPY) are no longer the ones they sealed. */
static char *
ledger_seal_lines(const char *copy, const char *run, const char *was)
{
    char *now = forge_seal_of_folder(run), *out = malloc(8192);

    snprintf(out, 8192,
             "problem %s/ledger line 1: seal %s, but the manifests and reports of %s give %s\n"
             "problem %s/ledger line 2: seal %s, but the manifests and reports of %s give %s\n",
             copy, was, run, now, copy, was, run, now);
    free(now);
    return out;
}

Test(audit, verify_passes_on_a_runs_root_with_a_submitted_run)
{
    struct setup s = one_run("audit-verify-ok", "2023Q3", 1);
    struct cmd_result r = verify(s.runs);
    char *want = clean_summary(&s, 0);

    cr_assert_eq(r.status, 0, "exit %d; stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
    cr_assert_str_eq(r.out, want);
    cmd_result_free(&r);
    {
        /* the config's runs root is the default */
        const char *argv[] = {"yj-run", "--config", s.conf, "--verify", NULL};
        r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "exit %d; stderr:\n%s", r.status, r.err);
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
    }
    {
        /* without a runs root or a config there is nothing to check */
        const char *argv[] = {"yj-run", "--verify", NULL};
        r = run_cmd(argv);
        cr_assert_eq(r.status, 64, "exit %d; stderr:\n%s", r.status, r.err);
        cmd_result_free(&r);
    }
    free(want);
}

/* A failed fsync of the ledger leaves ledger.dirty beside it: yj-submit appends nothing (74)
 * until --verify has read the ledger back whole; --verify then removes the marker (the one
 * thing it writes), reports the runs root clean, and the next yj-submit goes on. */
Test(audit, verify_reads_back_a_ledger_not_known_durable_and_lets_submissions_go_on)
{
    struct setup s = one_run("audit-verify-dirty", "2023Q2", 1);
    char *marker = path2(s.runs, "ledger.dirty"), *want = clean_summary(&s, 0);
    const char *submit[] = {"yj-submit", "--config", s.conf, "--run-dir", s.run, NULL};
    struct cmd_result r;

    forge_write(marker,
                "2025-07-15T10:00:00Z fsync of the ledger failed: No space left on device\n");
    r = run_cmd(submit);
    cr_assert_eq(r.status, 74, "exit %d; stderr:\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "is not known to be on disk"), "%s", r.err);
    cmd_result_free(&r);

    r = verify(s.runs);
    cr_assert_eq(r.status, 0, "exit %d; stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
    cr_assert_str_eq(r.out, want);
    cr_assert(strstr(r.err, "a write to it was not known to be on disk; read back whole and "
                            "synced: submissions may append to it again"),
              "%s", r.err);
    cr_assert_neq(access(marker, F_OK), 0, "--verify left the marker");
    cmd_result_free(&r);

    r = run_cmd(submit);
    cr_assert_eq(r.status, 0, "exit %d; stderr:\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "already submitted"), "%s", r.err);
    cmd_result_free(&r);
    /* a second --verify has nothing to read back */
    r = verify(s.runs);
    cr_assert_eq(r.status, 0);
    cr_assert_null(strstr(r.err, "not known to be on disk"), "%s", r.err);
    cmd_result_free(&r);
    free(want);
    free(marker);
}

/* The error line of stderr (after its time stamp), the begin and end lines left out. */
static char *
error_line(const char *err)
{
    const char *p = strstr(err, " yj-run: error: ");
    cr_assert(p, "no error line in:\n%s", err);
    return strndup(p + 1, strcspn(p + 1, "\n") + 1);
}

Test(audit, verify_refuses_a_run_directory_and_an_empty_folder_for_a_runs_root)
{
    struct setup s = one_run("audit-not-root", "2023Q3", 0);
    char *empty = temp_dir("audit-empty"), want[8192], *line;
    struct cmd_result r = verify(s.run);

    cr_assert_eq(r.status, 66, "exit %d; stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
    cr_assert_str_eq(r.out, "");
    snprintf(want, sizeof(want),
             "yj-run: error: '%s' is a run directory, not a runs root: give the folder that "
             "holds <yot_ou_code>/<period>/<run>/ and the ledger\n",
             s.run);
    line = error_line(r.err);
    cr_assert_str_eq(line, want);
    free(line);
    cmd_result_free(&r);
    r = verify(empty);
    cr_assert_eq(r.status, 66, "exit %d; stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
    cr_assert_str_eq(r.out, "");
    snprintf(want, sizeof(want),
             "yj-run: error: runs root '%s' holds no <yot_ou_code>/<period>/ folder and no "
             "ledger: nothing to verify\n",
             empty);
    line = error_line(r.err);
    cr_assert_str_eq(line, want);
    free(line);
    cmd_result_free(&r);
    free(empty);
}

Test(audit, verify_names_a_changed_byte_of_a_return_an_edited_receipt_and_the_ledger_line)
{
    struct setup s = one_run("audit-verify-bad", "2023Q3", 1);
    char want[4096], *run, *copy, *old = forge_file_sha256(path2(s.run, "return/cld.xml"));
    long long size = size_of(path2(s.run, "return/cld.xml"));
    int mline = line_of(path2(s.run, "return/MANIFEST"), "file cld.xml ", NULL);
    int sline = line_of(path2(s.run, "submit/receipt"), "sha256 ", NULL);
    struct cmd_result r;

    {
        /* one byte of the return */
        char *xml, *now, *summary = clean_summary(&s, 2);
        FILE *f;
        copy = copy_runs(&s, "audit-byte", &run);
        xml = path2(run, "return/cld.xml");
        f = fopen(xml, "r+");
        cr_assert(f);
        fseek(f, 200, SEEK_SET);
        fputc('#', f);
        fclose(f);
        now = forge_file_sha256(xml);
        r = verify(copy);
        cr_assert_eq(r.status, 74, "exit %d; stderr:\n%s", r.status, r.err);
        snprintf(want, sizeof(want),
                 "problem %s: %lld bytes sha256 %s; %s/return/MANIFEST line %d says %lld bytes "
                 "sha256 %s\n"
                 "problem %s: %lld bytes sha256 %s; receipt %s/submit/receipt line %d says %lld "
                 "bytes sha256 %s\n%s",
                 xml, size, now, run, mline, size, old, xml, size, now, run, sline, size, old,
                 summary);
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        free(now);
        free(summary);
    }
    {
        /* the receipt's payload hash edited: RUN sealed other bytes, neither the return nor the
         * ledger has the hash, and the ledger's received upload has no receipt */
        char *receipt, *summary = clean_summary(&s, 4), edited[65], from[80], to[80], *sealed;
        copy = copy_runs(&s, "audit-receipt", &run);
        receipt = path2(run, "submit/receipt");
        snprintf(edited, sizeof(edited), "%c%s", old[0] == '0' ? '1' : '0', old + 1);
        snprintf(from, sizeof(from), "\nsha256 %s\n", old);
        snprintf(to, sizeof(to), "\nsha256 %s\n", edited);
        forge_replace(receipt, from, to);
        sealed = sealed_line(run, "submit/receipt");
        r = verify(copy);
        cr_assert_eq(r.status, 74, "exit %d; stderr:\n%s", r.status, r.err);
        snprintf(want, sizeof(want),
                 "%s"
                 "problem %s/return/cld.xml: %lld bytes sha256 %s; receipt %s line %d says %lld "
                 "bytes sha256 %s\n"
                 "problem %s line %d: sha256 %s has no received entry in %s/ledger\n"
                 "problem %s/ledger line 2: sha256 %s received, but %s/submit has no receipt "
                 "for it\n%s",
                 sealed, run, size, old, receipt, sline, size, edited, receipt, sline, edited, copy,
                 copy, old, run, summary);
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        free(sealed);
        free(summary);
    }
    {
        /* a ledger line removed: the first (the send) */
        char *ledger, *text, *summary = clean_summary(&s, 1);
        copy = copy_runs(&s, "audit-ledger-cut", &run);
        ledger = path2(copy, "ledger");
        text = read_file(ledger, NULL);
        cr_assert(text && strstr(text, " event=send "), "%s", text);
        forge_write(ledger, strchr(text, '\n') + 1);
        r = verify(copy);
        cr_assert_eq(r.status, 74, "exit %d; stderr:\n%s", r.status, r.err);
        snprintf(want, sizeof(want),
                 "problem ledger '%s' line 1 holds entry n=2: an entry before it was removed\n%s",
                 ledger, summary);
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        free(text);
        free(summary);
    }
    {
        /* a ledger line edited: the answer's status */
        char *ledger, *summary = clean_summary(&s, 1);
        copy = copy_runs(&s, "audit-ledger-edit", &run);
        ledger = path2(copy, "ledger");
        forge_replace(ledger, " http=201 ", " http=200 ");
        r = verify(copy);
        cr_assert_eq(r.status, 74, "exit %d; stderr:\n%s", r.status, r.err);
        snprintf(want, sizeof(want),
                 "problem ledger '%s' line 2 does not match its hash: the line was changed\n%s",
                 ledger, summary);
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        free(summary);
    }
    {
        /* the validation report: of other bytes, then of these bytes but not valid; RUN and
         * the ledger's entries sealed the report as it was */
        char *report, *summary = clean_summary(&s, 4), from[80], *sealed, *ledger, *seal;
        int rline = line_of(path2(s.run, "validate/report.txt"), "sha256 ", NULL);
        seal = forge_get(path2(s.run, "RUN"), "seal", NULL);
        copy = copy_runs(&s, "audit-report", &run);
        report = path2(run, "validate/report.txt");
        snprintf(from, sizeof(from), "\nsha256 %s\n", old);
        forge_replace(
            report, from,
            "\nsha256 0000000000000000000000000000000000000000000000000000000000000000\n");
        sealed = sealed_line(run, "validate/report.txt");
        ledger = ledger_seal_lines(copy, run, seal);
        r = verify(copy);
        cr_assert_eq(r.status, 74, "exit %d; stderr:\n%s", r.status, r.err);
        snprintf(want, sizeof(want),
                 "%sproblem %s: not the report of cld.xml (sha256 %s, %s/return/MANIFEST line "
                 "%d)\n%s%s",
                 sealed, report, old, run, mline, ledger, summary);
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        free(sealed);
        free(ledger);
        cr_assert_gt(rline, 0);
        copy = copy_runs(&s, "audit-report-invalid", &run);
        report = path2(run, "validate/report.txt");
        forge_replace(report, "\nresult valid\n", "\nresult invalid\n");
        sealed = sealed_line(run, "validate/report.txt");
        ledger = ledger_seal_lines(copy, run, seal);
        r = verify(copy);
        cr_assert_eq(r.status, 74, "exit %d; stderr:\n%s", r.status, r.err);
        snprintf(want, sizeof(want),
                 "%sproblem %s: does not say \"result valid\"; RUN says cld.xml passed "
                 "validation\n%s%s",
                 sealed, report, ledger, summary);
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        free(sealed);
        free(ledger);
        free(seal);
        free(summary);
    }
    {
        /* the run folder of a received upload gone from the runs root: the ledger names it */
        char *ledger, *text, *line2, *cmd;
        copy = copy_runs(&s, "audit-run-gone", &run);
        ledger = path2(copy, "ledger");
        text = read_file(ledger, NULL);
        line2 = text ? strchr(text, '\n') : NULL;
        cr_assert(line2 && strstr(line2, " event=answer ") && strstr(line2, " result=received "),
                  "%s", text);
        cmd = malloc(strlen(run) + 16);
        sprintf(cmd, "%s", run);
        {
            const char *argv[] = {"/bin/rm", "-r", cmd, NULL};
            struct cmd_result rm = run_cmd(argv);
            cr_assert_eq(rm.status, 0);
            cmd_result_free(&rm);
        }
        r = verify(copy);
        cr_assert_eq(r.status, 74, "exit %d; stderr:\n%s", r.status, r.err);
        snprintf(want, sizeof(want),
                 "problem %s line 2: part 1/1 of MEDWAY 2023Q3 was received, but its run folder "
                 "'%s' is not in the runs root\n"
                 "verified 0 runs, 1 file, ledger checked: 1 problem, 0 incomplete\n",
                 ledger, s.run);
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        free(cmd);
        free(text);
    }
    {
        /* a run killed during its upload, before it recorded its end: RUN as written when the
         * submit stage began (result running, nothing of submit/ sealed), so incomplete, not a
         * problem */
        char *runfile, *receipt;
        copy = copy_runs(&s, "audit-killed", &run);
        runfile = path2(run, "RUN");
        receipt = path2(run, "submit/receipt");
        forge_set(runfile, "result", "running");
        forge_set(runfile, "status.submit", NULL);
        forge_set(runfile, "seconds.submit", NULL);
        forge_set(runfile, "sealed.submit/receipt", NULL);
        forge_reseal(run);
        r = verify(copy);
        cr_assert_eq(r.status, 0, "exit %d; stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
        snprintf(want, sizeof(want),
                 "incomplete %s: RUN says result running: the run is still going, or it was "
                 "killed (SIGKILL, a crash, a power cut) before it could record its end\n"
                 "incomplete %s: not sealed in %s (the run is still going)\n"
                 "verified 1 run, %d files, ledger checked: 0 problems, 2 incomplete\n",
                 run, receipt, runfile,
                 7 + listed(&s, "staged") + listed(&s, "return") + listed(&s, "kpi"));
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        /* ... killed between the receipt and its ledger entry: the ledger's last line (the
         * answer) was never written; the next yj-submit asks the receiver and records it */
        cut_last_ledger_line(copy);
        r = verify(copy);
        cr_assert_eq(r.status, 0, "exit %d; stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
        snprintf(want, sizeof(want),
                 "incomplete %s: RUN says result running: the run is still going, or it was "
                 "killed (SIGKILL, a crash, a power cut) before it could record its end\n"
                 "incomplete %s: not sealed in %s (the run is still going)\n"
                 "incomplete %s line %d: sha256 %s has no received entry in %s/ledger yet (RUN "
                 "says the run is still going; the next yj-submit of the period records it)\n"
                 "verified 1 run, %d files, ledger checked: 0 problems, 3 incomplete\n",
                 run, receipt, runfile, receipt, sline, old, copy,
                 7 + listed(&s, "staged") + listed(&s, "return") + listed(&s, "kpi"));
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        free(receipt);
        free(runfile);
    }
    {
        /* yj-submit killed between the receipt and its ledger entry, yj-run alive: RUN says
         * result failed (status.submit 137) and seals the receipt; the ledger holds the send.
         * Both are incomplete: the next yj-submit of the period resolves the send */
        char *runfile, *receipt;
        copy = copy_runs(&s, "audit-submit-killed", &run);
        runfile = path2(run, "RUN");
        receipt = path2(run, "submit/receipt");
        forge_set(runfile, "result", "failed");
        forge_set(runfile, "status.submit", "137");
        forge_reseal(run);
        cut_last_ledger_line(copy);
        r = verify(copy);
        cr_assert_eq(r.status, 0, "exit %d; stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
        snprintf(want, sizeof(want),
                 "incomplete %s: RUN says result failed (status.submit 137)\n"
                 "incomplete %s line %d: sha256 %s has no received entry in %s/ledger yet "
                 "(yj-submit stopped between the receipt and its ledger entry; the next "
                 "yj-submit of the period records it)\n"
                 "verified 1 run, %d files, ledger checked: 0 problems, 2 incomplete\n",
                 run, receipt, sline, old, copy,
                 7 + listed(&s, "staged") + listed(&s, "return") + listed(&s, "kpi"));
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        free(receipt);
        free(runfile);
    }
    {
        /* a run that failed at its KPIs: listed as incomplete with the stage that failed, and
         * the stage folder without its MANIFEST is what an unfinished stage leaves */
        char *runfile, *submit, *ledger;
        copy = copy_runs(&s, "audit-failed", &run);
        runfile = path2(run, "RUN");
        forge_set(runfile, "result", "failed");
        forge_set(runfile, "status.kpi", "65");
        forge_set(runfile, "last_stage", "kpi");
        forge_set(runfile, "status.submit", NULL);
        forge_set(runfile, "seconds.submit", NULL);
        forge_set(runfile, "sealed.kpi/MANIFEST", NULL);
        forge_set(runfile, "sealed.submit/receipt", NULL);
        cr_assert_eq(remove(path2(run, "kpi/MANIFEST")), 0);
        submit = path2(run, "submit");
        {
            const char *argv[] = {"/bin/rm", "-r", submit, NULL};
            struct cmd_result rm = run_cmd(argv);
            cr_assert_eq(rm.status, 0);
            cmd_result_free(&rm);
        }
        ledger = path2(copy, "ledger");
        cr_assert_eq(remove(ledger), 0);
        forge_reseal(run);
        r = verify(copy);
        cr_assert_eq(r.status, 0, "exit %d; stdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
        snprintf(want, sizeof(want),
                 "incomplete %s: RUN says result failed (status.kpi 65)\n"
                 "incomplete %s/kpi: no MANIFEST (the run did not finish)\n"
                 "verified 1 run, %d files, ledger absent: 0 problems, 2 incomplete\n",
                 run, run, 4 + listed(&s, "staged") + listed(&s, "return"));
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        free(ledger);
        free(submit);
        free(runfile);
    }
    {
        /* RUN without its seal lines (as a run made before runs were sealed): one problem */
        char *runfile, *text, *out;
        size_t n = 0;
        copy = copy_runs(&s, "audit-unsealed", &run);
        runfile = path2(run, "RUN");
        text = read_file(runfile, NULL);
        out = malloc(strlen(text) + 1);
        for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n"))
            if (strncmp(l, "sealed.", 7) != 0 && strncmp(l, "seal ", 5) != 0 &&
                strncmp(l, "record_sha256 ", 14) != 0)
                n += (size_t)sprintf(out + n, "%s\n", l);
        forge_write(runfile, out);
        r = verify(copy);
        cr_assert_eq(r.status, 74, "exit %d; stderr:\n%s", r.status, r.err);
        snprintf(want, sizeof(want),
                 "problem %s: no seal lines (a run made before yjreturns sealed its runs, or its "
                 "seal lines were removed)\n"
                 "verified 1 run, %d files, ledger checked: 1 problem, 0 incomplete\n",
                 runfile, 4 + listed(&s, "staged") + listed(&s, "return") + listed(&s, "kpi"));
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        free(out);
        free(text);
        free(runfile);
    }
    {
        /* a file a manifest does not list (also in staged/service/), and a stage folder of a
         * finished run without one (which RUN and the ledger's entries sealed) */
        char *extra, *service_extra, *kpi_manifest, *runfile, *ledger, *seal;
        int kline;
        copy = copy_runs(&s, "audit-extra", &run);
        extra = path2(run, "staged/extra.tsv");
        forge_write(extra, "x\n");
        service_extra = path2(run, "staged/service/extra.tsv");
        forge_write(service_extra, "x\n");
        kpi_manifest = path2(run, "kpi/MANIFEST");
        cr_assert_eq(remove(kpi_manifest), 0);
        runfile = path2(run, "RUN");
        seal = forge_get(runfile, "seal", NULL);
        free(forge_get(runfile, "sealed.kpi/MANIFEST", &kline));
        ledger = ledger_seal_lines(copy, run, seal);
        r = verify(copy);
        cr_assert_eq(r.status, 74, "exit %d; stderr:\n%s", r.status, r.err);
        snprintf(want, sizeof(want),
                 "problem %s: No such file or directory; %s line %d seals it\n"
                 "problem %s: not listed in %s/staged/MANIFEST\n"
                 "problem %s: not listed in %s/staged/MANIFEST\nproblem %s/kpi: no MANIFEST\n"
                 "%sverified 1 run, %d files, ledger checked: 6 problems, 0 incomplete\n",
                 kpi_manifest, runfile, kline, extra, run, service_extra, run, run, ledger,
                 7 + listed(&s, "staged") + listed(&s, "return"));
        cr_assert_str_eq(r.out, want);
        cmd_result_free(&r);
        free(ledger);
        free(seal);
        free(service_extra);
        free(runfile);
    }
    free(old);
}

static struct cmd_result
rerun(const char *conf, const char *run_dir, const char *extra)
{
    const char *argv[] = {"yj-run", "--config", conf, "--rerun", run_dir, extra, NULL};
    return run_cmd(argv);
}

static int
count_reruns(const char *run_dir)
{
    DIR *d = opendir(run_dir);
    struct dirent *de;
    int n = 0;

    cr_assert(d);
    while ((de = readdir(d)) != NULL)
        n += strncmp(de->d_name, "rerun-", 6) == 0;
    closedir(d);
    return n;
}

Test(audit, rerun_of_a_run_is_identical)
{
    struct setup s = one_run("audit-rerun", "2023Q2", 0);
    char *manifest = path2(s.run, "return/MANIFEST");
    char *before = read_file(manifest, NULL), *dir, *xml, *after;
    struct cmd_result r = rerun(s.conf, s.run, NULL);

    cr_assert_eq(r.status, 0, "exit %d; stderr:\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "yj-run: identical: the rerun's return is byte for byte the one of"),
              "%s", r.err);
    dir = run_dir_of(&r);
    cr_assert(strncmp(dir, s.run, strlen(s.run)) == 0 &&
                  strncmp(dir + strlen(s.run), "/rerun-", 7) == 0,
              "rerun folder %s is not in %s", dir, s.run);
    xml = path2(dir, "return/cld.xml");
    cr_assert(files_equal(xml, path2(s.run, "return/cld.xml")));
    cr_assert(!file_exists(path2(dir, "diff.csv")));
    {
        /* compared, the rerun's staged data files go too ([run] keep_staged) */
        char *rec = read_file(path2(dir, "RERUN"), NULL);
        cr_assert(rec && strstr(rec, "\nstaged_files removed\nresult identical\n"), "%s", rec);
        cr_assert(!file_exists(path2(dir, "staged/person.tsv")));
        free(rec);
    }
    after = read_file(manifest, NULL);
    cr_assert_str_eq(after, before, "the original run must not change");
    cmd_result_free(&r);
    {
        /* with [run] keep_staged = yes they stay, and that is no failure to remove them */
        char *keep =
            config_variant("audit-rerun-keep", "runs_root", s.runs, "keep_staged", "yes", NULL);
        char *kdir, *rec;
        r = rerun(keep, s.run, NULL);
        cr_assert_eq(r.status, 0, "exit %d; stderr:\n%s", r.status, r.err);
        cr_assert(!strstr(r.err, "could not remove"), "%s", r.err);
        kdir = run_dir_of(&r);
        rec = read_file(path2(kdir, "RERUN"), NULL);
        cr_assert(rec && strstr(rec, "\nstaged_files kept\nresult identical\n"), "%s", rec);
        cr_assert(file_exists(path2(kdir, "staged/person.tsv")));
        cmd_result_free(&r);
        free(rec);
        free(kdir);
        free(keep);
    }
    /* and the runs root, rerun folder included, still verifies */
    r = verify(s.runs);
    cr_assert_eq(r.status, 0, "exit %d; stdout:\n%s", r.status, r.out);
    cmd_result_free(&r);
    free(manifest);
    free(before);
    free(after);
    free(dir);
    free(xml);
}

/* A run whose deletions were counted against an earlier submitted return (RUN's
 * previous_return) reruns against the same return, checked by its SHA-256: identical. The
 * earlier return changed since is refused (66) before anything is extracted. */
Test(audit, rerun_of_a_run_with_a_previous_return_is_identical)
{
    struct setup s = one_run("audit-rerun-prev", "2023Q1", 1);
    char *conf = s.conf, *run, *rec, *prev_xml = path2(s.run, "return/cld.xml");
    const char *argv[] = {"yj-run", "--config", conf, "--period", "2023Q2", NULL};
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 0, "exit %d; stderr:\n%s", r.status, r.err);
    run = run_dir_of(&r);
    cmd_result_free(&r);
    rec = read_file(path2(run, "RUN"), NULL);
    cr_assert(rec && strstr(rec, prev_xml), "RUN names no previous return: %s", rec);
    free(rec);
    r = rerun(conf, run, NULL);
    cr_assert_eq(r.status, 0, "exit %d; stderr:\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "yj-run: identical: the rerun's return is byte for byte the one of"),
              "%s", r.err);
    cmd_result_free(&r);
    /* the earlier return changed since: nothing to compare against */
    chmod(prev_xml, 0600);
    forge_write(prev_xml, "changed\n");
    r = rerun(conf, run, NULL);
    cr_assert_eq(r.status, 66, "exit %d; stderr:\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "the run read is gone or changed since"), "%s", r.err);
    cmd_result_free(&r);
    free(prev_xml);
    free(run);
}

Test(audit, rerun_after_a_recorded_warehouse_change_is_still_identical)
{
    struct setup s = one_run("audit-rerun-change", "2023Q2", 0);
    char *child = sql_exec("SELECT min(yp_id) FROM cms.young_person "
                           "WHERE first_contact_date <= '2023-09-30' AND ethnicity_cd = 'WBRI'");
    char sql[256], *now_run;
    struct cmd_result r;

    cr_assert(child, "no child to change");
    snprintf(sql, sizeof(sql), "UPDATE cms.young_person SET ethnicity_cd = 'WIRI' WHERE yp_id = %s",
             child);
    free(sql_exec(sql));
    {
        /* the change shows in a run as of now */
        const char *argv[] = {"yj-run", "--config", s.conf, "--period", "2023Q2", NULL};
        r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "exit %d; stderr:\n%s", r.status, r.err);
        now_run = run_dir_of(&r);
        cr_assert(!files_equal(path2(now_run, "return/cld.xml"), path2(s.run, "return/cld.xml")),
                  "the update must show in a run as of now");
        cmd_result_free(&r);
    }
    r = rerun(s.conf, s.run, NULL);
    cr_assert_eq(r.status, 0, "exit %d; stderr:\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "yj-run: identical: "), "%s", r.err);
    cmd_result_free(&r);
    free(child);
    free(now_run);
}

/* The golden warehouse's 2025Q1 run as recorded at GOLDEN_AS_OF, in a new runs root. */
static struct setup
golden_run(const char *tag)
{
    struct setup s;
    char *dir = temp_dir(tag);
    struct cmd_result r;

    s.runs = path2(dir, "runs");
    s.conf = config_variant(tag, "runs_root", s.runs, "conninfo",
                            env_get("YJ_TEST_GOLDEN_CONNINFO"), NULL);
    {
        const char *argv[] = {"yj-run",  "--config",   s.conf,       "--period",   "2025Q1",
                              "--as-of", GOLDEN_AS_OF, "--sign-off", "2025-07-10", NULL};
        r = run_cmd(argv);
    }
    /* the golden warehouse breaks business rules on purpose: the run fails validation */
    cr_assert_eq(r.status, 65, "exit %d; stderr:\n%s", r.status, r.err);
    s.run = run_dir_of(&r);
    cmd_result_free(&r);
    free(dir);
    return s;
}

Test(audit, rerun_with_a_changed_mapping_is_refused_or_explained_field_by_field)
{
    struct setup s = golden_run("audit-golden");
    char *maps_dir = temp_dir("audit-maps"), *maps = path2(maps_dir, "mappings");
    char *conf, *plea, *dir, *diff, *text;
    struct cmd_result r;
    struct stat st;

    copy_tree(YJ_SOURCE_DIR "/mappings", maps);
    plea = path2(maps, "schema-11/plea.csv");
    forge_replace(plea, "\nNP,NO_PLEA\n", "\nNP,NOT_APPLICABLE\n");
    conf = config_variant("audit-golden-maps", "runs_root", s.runs, "conninfo",
                          env_get("YJ_TEST_GOLDEN_CONNINFO"), "mappings", maps, NULL);

    /* refused: the mapping file is not the one the run used */
    r = rerun(conf, s.run, NULL);
    cr_assert_eq(r.status, 78, "exit %d; stderr:\n%s", r.status, r.err);
    {
        char want[2048];
        snprintf(want, sizeof(want), "mapping file '%s' changed since the run", plea);
        cr_assert(strstr(r.err, want), "stderr must name %s:\n%s", plea, r.err);
    }
    cr_assert_str_eq(r.out, "");
    cr_assert_eq(count_reruns(s.run), 0, "a refused rerun leaves no folder");
    cmd_result_free(&r);

    /* explained: every difference it makes, field by field */
    r = rerun(conf, s.run, "--with-current-mappings");
    cr_assert_eq(r.status, 65, "exit %d; stderr:\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "yj-run: warning: differs: offence.plea: 1\n"), "%s", r.err);
    cr_assert(!strstr(r.err, "NO_PLEA") && !strstr(r.err, "YPG0000006"),
              "stderr must not quote values:\n%s", r.err);
    dir = run_dir_of(&r);
    diff = path2(dir, "diff.csv");
    text = read_file(diff, NULL);
    cr_assert_str_eq(text, "child,ypid,item,item_id,field,sent,now\n"
                           "6,YPG0000006,offence,offence 611,plea,NO_PLEA,NOT_APPLICABLE\n");
    cr_assert_eq(stat(diff, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600, "diff.csv has mode %o", (unsigned)(st.st_mode & 0777));
    cr_assert(strstr(read_file(path2(dir, "RERUN"), NULL), "\nresult differs\n"));
    cmd_result_free(&r);
    free(text);
    free(diff);
    free(dir);
    free(plea);
    free(conf);
    free(maps);
    free(maps_dir);
}

/* The school-age rule is a mapping file like the code maps: changed since the run, a rerun
 * is refused naming it (yj-transform's MANIFEST records its SHA-256). */
Test(audit, rerun_with_a_changed_school_age_rule_is_refused_naming_it)
{
    struct setup s = golden_run("audit-school");
    char *maps_dir = temp_dir("audit-school-maps"), *maps = path2(maps_dir, "mappings");
    char *conf, *rule, *tm, want[2048];
    struct cmd_result r;

    tm = read_file(path2(s.run, "return/MANIFEST"), NULL);
    cr_assert(tm && strstr(tm, "\nmap_sha256.school_age.conf "), "%s", tm);
    copy_tree(YJ_SOURCE_DIR "/mappings", maps);
    rule = path2(maps, "schema-11/school_age.conf");
    forge_replace(rule, "\nleaving_age = 16\n", "\nleaving_age = 17\n");
    conf = config_variant("audit-school-conf", "runs_root", s.runs, "conninfo",
                          env_get("YJ_TEST_GOLDEN_CONNINFO"), "mappings", maps, NULL);
    r = rerun(conf, s.run, NULL);
    cr_assert_eq(r.status, 78, "exit %d; stderr:\n%s", r.status, r.err);
    snprintf(want, sizeof(want), "mapping file '%s' changed since the run", rule);
    cr_assert(strstr(r.err, want), "stderr must name %s:\n%s", rule, r.err);
    cr_assert_eq(count_reruns(s.run), 0, "a refused rerun leaves no folder");
    cmd_result_free(&r);
    free(tm);
    free(rule);
    free(conf);
    free(maps);
    free(maps_dir);
}

/* A query file added since the run would stage an entity the run did not: refused, naming
 * it; a file whose name starts with a dot (an editor's) is not a query. */
Test(audit, rerun_with_a_query_file_added_since_the_run_is_refused_naming_it)
{
    struct setup s = golden_run("audit-addsql");
    char *sql_dir = temp_dir("audit-addsql-q"), *root = path2(sql_dir, "sql");
    char *sql = path2(root, "extract"), *added, *hidden, *conf, want[2048];
    struct cmd_result r;

    copy_tree(YJ_SOURCE_DIR "/sql", root); /* extract/ and the service/ queries beside it */
    hidden = path2(sql, ".person.sql.swp");
    forge_write(hidden, "not a query\n");
    conf = config_variant("audit-addsql-conf", "runs_root", s.runs, "conninfo",
                          env_get("YJ_TEST_GOLDEN_CONNINFO"), "sql", sql, NULL);
    r = rerun(conf, s.run, NULL);
    cr_assert_eq(r.status, 0, "a dot file is not a query: exit %d; stderr:\n%s", r.status, r.err);
    cmd_result_free(&r);
    added = path2(sql, "extra.sql");
    forge_write(added, "SELECT 1 AS child_id\n");
    r = rerun(conf, s.run, NULL);
    cr_assert_eq(r.status, 78, "exit %d; stderr:\n%s", r.status, r.err);
    snprintf(want, sizeof(want),
             "yj-run: error: query file '%s/extra.sql' was added since the run\n", sql);
    cr_assert(strstr(r.err, want), "stderr must name the file:\n%s", r.err);
    cr_assert_str_eq(r.out, "");
    cmd_result_free(&r);
    free(added);
    free(hidden);
    free(conf);
    free(sql);
    free(root);
    free(sql_dir);
}

Test(audit, rerun_of_a_run_whose_staged_manifest_lacks_its_as_of_is_refused)
{
    struct setup s = golden_run("audit-golden-noasof");
    char *copy, *run, *mpath, *text, *at;
    struct cmd_result r;

    copy = copy_runs(&s, "audit-noasof", &run);
    mpath = path2(run, "staged/MANIFEST");
    text = read_file(mpath, NULL);
    cr_assert(text && (at = strstr(text, "\nas_of ")) != NULL);
    memmove(at + 1, at + 1 + strcspn(at + 1, "\n") + 1, strlen(at + 1 + strcspn(at + 1, "\n")));
    forge_write(mpath, text);
    r = rerun(s.conf, run, NULL);
    cr_assert_eq(r.status, 74, "exit %d; stderr:\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "lacks as_of, period, bundle or sign_off_date"), "%s", r.err);
    cr_assert_eq(count_reruns(run), 0);
    cmd_result_free(&r);
    free(text);
    free(mpath);
    free(run);
    free(copy);
}

/* The staged as-of moment edited (one digit of the seconds): a rerun would read the warehouse
 * as recorded at another moment and blame it for every difference. The staged MANIFEST is not
 * the one RUN sealed: refused (74) before anything is extracted, naming the file. */
Test(audit, rerun_of_a_run_whose_sealed_manifest_was_edited_is_refused)
{
    struct setup s = golden_run("audit-golden-asof-edit");
    char *copy, *run, *mpath, *text, *at, want[2048];
    struct cmd_result r;

    copy = copy_runs(&s, "audit-asof-edit", &run);
    mpath = path2(run, "staged/MANIFEST");
    text = read_file(mpath, NULL);
    cr_assert(text && (at = strstr(text, "\nas_of ")) != NULL);
    at += strlen("\nas_of ") + strcspn(at + strlen("\nas_of "), "\n");
    while (!(at[-1] >= '0' && at[-1] <= '9')) /* the value's last digit */
        at--;
    at[-1] = at[-1] == '9' ? '8' : (char)(at[-1] + 1);
    forge_write(mpath, text);
    r = rerun(s.conf, run, NULL);
    cr_assert_eq(r.status, 74, "exit %d; stderr:\n%s", r.status, r.err);
    snprintf(want, sizeof(want), "'%s' is not the one '%s/RUN' sealed: not rerun", mpath, run);
    cr_assert(strstr(r.err, want), "want '%s' in:\n%s", want, r.err);
    cr_assert(strstr(r.err, "yj-run --verify names what changed"), "%s", r.err);
    cr_assert_eq(count_reruns(run), 0);
    cmd_result_free(&r);
    free(text);
    free(mpath);
    free(run);
    free(copy);
}

Test(audit, rerun_with_a_changed_query_is_refused_naming_it)
{
    struct setup s = golden_run("audit-golden-sql");
    char *sql_dir = temp_dir("audit-sql"), *sql = path2(sql_dir, "sql"), *extract, *query, *conf;
    struct cmd_result r;

    copy_tree(YJ_SOURCE_DIR "/sql", sql);
    extract = path2(sql, "extract");
    query = path2(extract, "offence.sql");
    {
        char *text = read_file(query, NULL);
        char *more = malloc(strlen(text) + 32);
        sprintf(more, "-- changed\n%s", text);
        forge_write(query, more);
        free(more);
        free(text);
    }
    conf = config_variant("audit-golden-sql", "runs_root", s.runs, "conninfo",
                          env_get("YJ_TEST_GOLDEN_CONNINFO"), "sql", extract, NULL);
    r = rerun(conf, s.run, "--with-current-mappings");
    cr_assert_eq(r.status, 78, "exit %d; stderr:\n%s", r.status, r.err);
    {
        char want[2048];
        snprintf(want, sizeof(want), "query file '%s' changed since the run", query);
        cr_assert(strstr(r.err, want), "stderr must name %s:\n%s", query, r.err);
    }
    cr_assert_eq(count_reruns(s.run), 0);
    cmd_result_free(&r);
    free(conf);
    free(query);
    free(extract);
    free(sql);
    free(sql_dir);
}
