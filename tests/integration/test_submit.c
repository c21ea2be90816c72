/*
 * test_submit.c - submissions an auditor can trust: exactly once, retried when worth it,
 * refused when not, and every attempt in the ledger. Real parts only: the faulty nginx
 * receiver that harness.sh starts (mutual TLS; one path prefix per fault, see faults_start in
 * harness.sh), an openssl s_server that aborts the handshake, the real warehouse.
 *
 * Each test has its own runs root (so its own ledger) and its own folder at the receiver
 * (YJ_TEST_FAULT_URL/<fault>/<tag>/), and pins: the exit status, the number of uploads the
 * receiver stored (files in YJ_TEST_FAULT_DIR/<fault>/<tag>/) and the ledger's entries,
 * written "event http result" ("send" alone), joined by "; ".
 */
#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One test's receiver folder, runs root and config. */
struct setup {
    char *runs;   /* runs root: holds the ledger */
    char *tag;    /* folder at the receiver */
    char *fault;  /* path prefix at the receiver */
    char *conf;   /* config: url, runs_root, [submit] deadline and backoff */
    char *ledger; /* runs/ledger */
};

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes the setup's config: a variant of the harness's with url FAULT_URL/<fault>/<tag>/
 * (or the fault itself when it is a URL), its own runs root, and [submit] deadline and
 * backoff. */
static void
write_conf(struct setup *s, const char *deadline, const char *backoff)
{
    char url[1024], *text, *at;
    FILE *f;

    if (strncmp(s->fault, "https://", 8) == 0)
        snprintf(url, sizeof(url), "%s", s->fault);
    else
        snprintf(url, sizeof(url), "%s/%s/%s/", env_get("YJ_TEST_FAULT_URL"), s->fault, s->tag);
    free(s->conf);
    s->conf = config_variant(s->tag, "url", url, "runs_root", s->runs, NULL);
    text = read_file(s->conf, NULL);
    cr_assert(text);
    at = strstr(text, "[submit]\n");
    cr_assert(at, "the harness config has no [submit] section");
    at += strlen("[submit]\n");
    f = fopen(s->conf, "w");
    cr_assert(f);
    fprintf(f, "%.*sdeadline = %s\nbackoff = %s\n%s", (int)(at - text), text, deadline, backoff,
            at);
    cr_assert_eq(fclose(f), 0);
    free(text);
}

static struct setup
setup_for(const char *fault, const char *deadline, const char *backoff)
{
    struct setup s = {0};

    s.runs = temp_dir("submit-runs");
    s.tag = strdup(strrchr(s.runs, '/') + 1);
    s.fault = strdup(fault);
    s.ledger = path2(s.runs, "ledger");
    write_conf(&s, deadline, backoff);
    return s;
}

/* Uploads the receiver stored for this test. */
static int
stored(const struct setup *s)
{
    char *fdir = path2(env_get("YJ_TEST_FAULT_DIR"), s->fault);
    char *dir = path2(fdir, s->tag);
    int n = count_files(dir);

    free(dir);
    free(fdir);
    return n;
}

/* A value of "key=value" in a ledger line (up to the next space; answer excluded). */
static char *
field(const char *line, const char *key)
{
    char pat[64];
    const char *at;

    snprintf(pat, sizeof(pat), " %s=", key);
    at = strstr(line, pat);
    cr_assert(at, "no %s in: %s", key, line);
    at += strlen(pat);
    return strndup(at, strcspn(at, " \n"));
}

/* The ledger as "event http result; ...", "send" alone; "" when there is none. */
static char *
ledger_summary(const struct setup *s)
{
    char *text = read_file(s->ledger, NULL);
    size_t cap = 4096, len = 0;
    char *out = calloc(1, cap);

    cr_assert(out);
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        char *event, *http, *result, one[256];
        cr_assert(nl, "a torn ledger line: %s", line);
        *nl = '\0';
        event = field(line, "event");
        http = field(line, "http");
        result = field(line, "result");
        if (strcmp(event, "send") == 0)
            snprintf(one, sizeof(one), "%s%s", len ? "; " : "", event);
        else
            snprintf(one, sizeof(one), "%s%s %s %s", len ? "; " : "", event, http, result);
        cr_assert(len + strlen(one) + 1 < cap);
        memcpy(out + len, one, strlen(one) + 1);
        len += strlen(one);
        free(event);
        free(http);
        free(result);
        line = nl + 1;
    }
    free(text);
    return out;
}

static void
expect_ledger(const struct setup *s, const char *want)
{
    char *got = ledger_summary(s);
    cr_assert_str_eq(got, want, "ledger:\n%s\nwant:\n%s", got, want);
    free(got);
}

/* The value of a key in the last ledger line. */
static char *
last_field(const struct setup *s, const char *key)
{
    char *text = read_file(s->ledger, NULL), *last, *v;

    cr_assert(text && *text);
    text[strlen(text) - 1] = '\0';
    last = strrchr(text, '\n') ? strrchr(text, '\n') + 1 : text;
    v = field(last, key);
    free(text);
    return v;
}

/* yj-run (without --submit unless asked: EXTRA "" or an option of it, and EXTRA2 another)
 * into the setup's runs root; returns the run directory it printed. */
static char *
yj_run_with(const struct setup *s, const char *period, const char *as_of, const char *extra,
            const char *extra2, int want)
{
    char *sign_off = sign_off_for(period);
    const char *argv[13] = {"yj-run", "--config",   s->conf, "--period",
                            period,   "--sign-off", sign_off};
    int n = 7;
    struct cmd_result r;
    char *dir;

    if (as_of) {
        argv[n++] = "--as-of";
        argv[n++] = as_of;
    }
    if (extra) {
        argv[n++] = "--submit";
        if (*extra)
            argv[n++] = extra;
        if (extra2)
            argv[n++] = extra2;
    }
    argv[n] = NULL;
    r = run_cmd(argv);
    cr_assert_eq(r.status, want, "yj-run %s exit %d, want %d; stderr:\n%s", period, r.status, want,
                 r.err);
    dir = strndup(r.out, strcspn(r.out, "\n"));
    cr_assert(dir[0], "yj-run printed no run directory");
    cmd_result_free(&r);
    free(sign_off);
    return dir;
}

static char *
yj_run(const struct setup *s, const char *period, const char *as_of, const char *extra, int want)
{
    return yj_run_with(s, period, as_of, extra, NULL, want);
}

/* yj-submit of a run with the setup's config and up to two more arguments. */
static struct cmd_result
submit(const struct setup *s, const char *run, const char *a1, const char *a2)
{
    const char *argv[] = {"yj-submit", "--config", s->conf, "--run-dir", run, a1, a2, NULL};
    if (!a1)
        argv[5] = NULL;
    return run_cmd(argv);
}

static void
expect(struct cmd_result r, int status, const char *needle)
{
    cr_assert_eq(r.status, status, "exit %d, want %d; stderr:\n%s", r.status, status, r.err);
    if (needle)
        cr_assert(strstr(r.err, needle), "stderr lacks \"%s\":\n%s", needle, r.err);
    cmd_result_free(&r);
}

static int
has_receipt(const char *run)
{
    char *p = path2(run, "submit/receipt");
    int yes = file_exists(p);
    free(p);
    return yes;
}

Test(submit, the_same_bytes_are_sent_once_then_already_submitted)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *receipt_path = path2(run, "submit/receipt"), *first, *again;
    struct cmd_result r;

    expect(submit(&s, run, NULL, NULL), 0, "submitted the return: HTTP 201 Created");
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer 201 received");
    first = read_file(receipt_path, NULL);
    cr_assert(first && strstr(first, "\nhttp_status 201\nreceived_by put\n"), "%s", first);
    cr_assert(strstr(first, "\nsubmission MEDWAY 2024Q1 1\n"), "%s", first);

    r = submit(&s, run, NULL, NULL);
    cr_assert(!strstr(r.err, "uploading"), "nothing may be sent again:\n%s", r.err);
    expect(r, 0, "already submitted: the receiver has these bytes (ledger entry 2");
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer 201 received; already - received");
    {
        char *seq = last_field(&s, "seq");
        cr_assert_str_eq(seq, "1");
        free(seq);
    }
    again = read_file(receipt_path, NULL);
    cr_assert_str_eq(again, first, "the first receipt is kept");
    free(first);
    free(again);
    free(receipt_path);
    free(run);
}

Test(submit, other_bytes_for_a_submitted_period_need_resubmit_and_get_the_next_number)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *first = yj_run(&s, "2024Q2", NULL, "", 0);
    char *second, *third, *seq, *receipt;

    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer 201 received");
    /* a rerun reads the warehouse at a new moment: other bytes, a correction */
    second = yj_run(&s, "2024Q2", NULL, "", 81);
    cr_assert_eq(stored(&s), 1, "a correction without --resubmit is not sent");
    cr_assert(!has_receipt(second));
    expect_ledger(&s, "send; answer 201 received; refused - refused");
    {
        char *run = read_file(path2(second, "RUN"), NULL);
        cr_assert(run && strstr(run, "\nstatus.submit 81\n"), "%s", run);
        free(run);
    }
    /* unchanged data: only the as-of moment differs, so the correction is forced */
    third = yj_run_with(&s, "2024Q2", NULL, "--resubmit", "--force-correction", 0);
    cr_assert_eq(stored(&s), 2);
    expect_ledger(&s, "send; answer 201 received; refused - refused; send; answer 201 received");
    seq = last_field(&s, "seq");
    cr_assert_str_eq(seq, "2", "the correction is submission 2");
    receipt = read_file(path2(third, "submit/receipt"), NULL);
    cr_assert(receipt && strstr(receipt, "\nsubmission MEDWAY 2024Q2 2\n"), "%s", receipt);
    /* and the refused run, sent again with --resubmit, is number 3 */
    expect(submit(&s, second, "--resubmit", "--force-correction"), 0,
           "this return is submission 3");
    cr_assert_eq(stored(&s), 3);
    free(receipt);
    free(seq);
    free(first);
    free(second);
    free(third);
}

Test(submit, the_refusal_of_a_correction_has_its_own_exit_code_and_message)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *a = yj_run(&s, "2023Q4", NULL, NULL, 0);
    char *b = yj_run(&s, "2023Q4", NULL, NULL, 0);

    expect(submit(&s, a, NULL, NULL), 0, NULL);
    expect(submit(&s, b, NULL, NULL), 81,
           "MEDWAY 2023Q4 was already submitted with other bytes (submission 1, ledger entry 2");
    cr_assert_eq(stored(&s), 1);
    free(a);
    free(b);
}

Test(submit, a_lost_ledger_and_a_taken_name_holding_these_bytes_is_success)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *other = path2(s.runs, "other-ledger");
    char *receipt;

    expect(submit(&s, run, NULL, NULL), 0, NULL);
    /* a ledger that knows nothing: the PUT (If-None-Match: *) finds the name taken, and a
     * HEAD that it holds these bytes */
    expect(submit(&s, run, "--ledger", other), 0,
           "HTTP 412 Precondition Failed: the receiver already holds these");
    cr_assert_eq(stored(&s), 1);
    free(s.ledger);
    s.ledger = other;
    expect_ledger(&s, "send; answer 412 received");
    receipt = read_file(path2(run, "submit/receipt"), NULL);
    cr_assert(receipt && strstr(receipt, "\nreceived_by put\n"), "first receipt kept:\n%s",
              receipt);
    free(receipt);
    free(run);
}

/* 503 or 429 with Retry-After: 2, deadline 3 s: sent at 0 s, asked for and sent again at
 * 2 s, then the next wait would pass the deadline. */
static void
retried_until_the_deadline(const char *fault, const char *status)
{
    struct setup s = setup_for(fault, "3", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char want[256], *answer;
    double t0 = now_s(), took;
    struct cmd_result r = submit(&s, run, NULL, NULL);
    struct stat st;

    took = now_s() - t0;
    cr_assert(strstr(r.err, "Retry-After 2 s"), "%s", r.err);
    expect(r, 75, "gave up after 2 uploads");
    cr_assert(took >= 2.0 && took < 3.5, "took %.2f s: Retry-After 2 s within a 3 s deadline",
              took);
    cr_assert_eq(stored(&s), 0);
    snprintf(want, sizeof(want),
             "send; answer %s temporary; check 404 absent; send; answer %s temporary", status,
             status);
    expect_ledger(&s, want);
    cr_assert(!has_receipt(run));
    /* the receiver's answer is kept, for the owner only */
    answer = path2(run, "submit/answer-000002");
    cr_assert_eq(stat(answer, &st), 0, "%s", answer);
    cr_assert_eq(st.st_mode & 0777, 0600);
    free(answer);
    free(run);
}

Test(submit, a_503_with_retry_after_is_retried_within_the_deadline)
{
    retried_until_the_deadline("busy", "503");
}

Test(submit, a_429_with_retry_after_is_retried_within_the_deadline)
{
    retried_until_the_deadline("throttle", "429");
}

Test(submit, a_4xx_is_never_retried_and_its_answer_is_kept_private)
{
    struct setup s = setup_for("small", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *answer = path2(run, "submit/answer-000002"), *text;
    struct cmd_result r = submit(&s, run, NULL, NULL);
    struct stat st;

    cr_assert(!strstr(r.err, "<html>"), "the answer's body is not logged:\n%s", r.err);
    cr_assert(!strstr(r.err, "retrying"), "a 4xx is never retried:\n%s", r.err);
    expect(r, 80, "HTTP 413 Content Too Large; answer kept in submit/answer-000002 (mode 0600)");
    cr_assert_eq(stored(&s), 0);
    expect_ledger(&s, "send; answer 413 rejected");
    cr_assert_eq(stat(answer, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    text = read_file(answer, NULL);
    cr_assert(text && strstr(text, "\nhttp_status 413\n") && strstr(text, "413 Request Entity"),
              "%s", text);
    cr_assert(!has_receipt(run));
    free(text);
    free(answer);
    free(run);
}

Test(submit, a_redirect_is_refused_and_never_followed)
{
    struct setup s = setup_for("moved", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *ok = path2(env_get("YJ_TEST_FAULT_DIR"), "ok/moved");

    expect(submit(&s, run, NULL, NULL), 80, "HTTP 307 Temporary Redirect: a redirect to");
    cr_assert_eq(stored(&s), 0);
    cr_assert_eq(count_files(ok), 0, "the redirect was followed");
    expect_ledger(&s, "send; answer 307 rejected");
    cr_assert(!has_receipt(run));
    free(ok);
    free(run);
}

Test(submit, stored_then_500_is_found_at_the_receiver_not_sent_twice)
{
    struct setup s = setup_for("store500", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *receipt;

    expect(submit(&s, run, NULL, NULL), 0, "HTTP 200 OK: the receiver holds these");
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer 500 temporary; check 200 received");
    receipt = read_file(path2(run, "submit/receipt"), NULL);
    cr_assert(receipt && strstr(receipt, "\nreceived_by head\n"), "%s", receipt);
    free(receipt);
    free(run);
}

Test(submit, a_hung_answer_ends_at_the_deadline_and_the_next_run_finds_the_upload)
{
    struct setup s = setup_for("hang", "2", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    double t0 = now_s(), took;
    struct cmd_result r = submit(&s, run, NULL, NULL);

    took = now_s() - t0;
    expect(r, 75, "no answer: Timeout was reached");
    cr_assert(took < 3.5, "a trickling answer held the run %.2f s past a 2 s deadline", took);
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer - temporary");
    cr_assert(!has_receipt(run));
    /* the next run asks before sending again */
    expect(submit(&s, run, NULL, NULL), 0, "was sent before without a known outcome");
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer - temporary; check 200 received");
    cr_assert(has_receipt(run));
    free(run);
}

Test(submit, a_201_with_a_cut_answer_is_temporary_then_found_at_the_receiver)
{
    /* a 2 s backoff in a 1 s deadline: no time for a second try */
    struct setup s = setup_for("cut", "1", "2");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);

    expect(submit(&s, run, NULL, NULL), 75, "HTTP 201 Created, then the answer was cut off");
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer 201 temporary");
    cr_assert(!has_receipt(run));
    /* with time to retry: asked for, found, not sent again */
    write_conf(&s, "10", "0.1");
    expect(submit(&s, run, NULL, NULL), 0, "HTTP 200 OK: the receiver holds these");
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer 201 temporary; check 200 received");
    cr_assert(has_receipt(run));
    free(run);
}

Test(submit, killed_before_the_answer_the_next_run_finds_the_upload)
{
    struct setup s = setup_for("hang", "30", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    const char *argv[] = {"yj-submit", "--config", s.conf, "--run-dir", run, NULL};
    pid_t pid = spawn_cmd(argv);
    int status;

    /* the receiver stores the upload, then never answers: kill yj-submit once it is stored */
    for (int i = 0; i < 200 && stored(&s) == 0; i++)
        usleep(50 * 1000);
    cr_assert_eq(stored(&s), 1, "the upload never reached the receiver");
    cr_assert_eq(kill(pid, SIGKILL), 0);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFSIGNALED(status));
    expect_ledger(&s, "send");
    cr_assert(!has_receipt(run));
    /* the next run asks the receiver, which has it */
    write_conf(&s, "10", "0.1");
    expect(submit(&s, run, NULL, NULL), 0, "was sent before without a known outcome");
    expect_ledger(&s, "send; check 200 received");
    cr_assert_eq(stored(&s), 1);
    cr_assert(has_receipt(run));
    free(run);
}

Test(submit, a_client_certificate_refused_in_the_handshake_is_a_tls_failure)
{
    /* openssl s_server aborts the handshake with a TLS alert: no HTTP answer at all */
    struct setup s = setup_for(env_get("YJ_TEST_STRICT_URL"), "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *wrong = config_variant("strict-wrong", "url", env_get("YJ_TEST_STRICT_URL"), "runs_root",
                                 s.runs, "cert_file", env_get("YJ_TEST_WRONG_CERT"), "key_file",
                                 env_get("YJ_TEST_WRONG_KEY"), NULL);
    struct cmd_result r;

    free(s.conf);
    s.conf = wrong;
    r = submit(&s, run, NULL, NULL);
    cr_assert(!strstr(r.err, "retrying"), "a TLS failure is never retried:\n%s", r.err);
    expect(r, 76, "TLS alert from the receiver: client certificate refused");
    expect_ledger(&s, "send; answer - tls");
    cr_assert(!has_receipt(run));
    free(run);
}

Test(submit, an_empty_return_is_not_sent_without_allow_empty)
{
    /* the warehouse as recorded before it was loaded holds no child */
    struct setup s = setup_for("ok", "10", "0.1");
    char *run = yj_run(&s, "2023Q1", "2024-01-01 00:00:00+00", "", 82);
    char *again;

    cr_assert_eq(stored(&s), 0);
    cr_assert(!file_exists(s.ledger) || read_file(s.ledger, NULL)[0] == '\0',
              "nothing was attempted");
    expect(submit(&s, run, NULL, NULL), 82,
           "holds no child documents: an empty return is not sent");
    cr_assert_eq(stored(&s), 0);
    again = yj_run(&s, "2023Q1", "2024-01-01 00:00:00+00", "--allow-empty", 0);
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer 201 received");
    free(again);
    free(run);
}

/* sha256sum of a file. */
static char *
sha_of(const char *path)
{
    const char *argv[] = {"/usr/bin/sha256sum", path, NULL};
    struct cmd_result r = run_cmd(argv);
    char *hex;

    cr_assert_eq(r.status, 0, "%s", r.err);
    hex = strndup(r.out, 64);
    cmd_result_free(&r);
    return hex;
}

/* Replaces the first `from` in a file by `to`. */
static void
replace_in(const char *path, const char *from, const char *to)
{
    size_t len;
    char *text = read_file(path, &len), *at;
    FILE *f;

    cr_assert(text);
    at = strstr(text, from);
    cr_assert(at, "'%s' not in %s", from, path);
    f = fopen(path, "wb");
    cr_assert(f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs(to, f);
    fputs(at + strlen(from), f);
    cr_assert_eq(fclose(f), 0);
    free(text);
}

Test(submit, a_return_whose_document_count_is_wrong_is_not_sent)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *xml = path2(run, "return/cld.xml");
    char *old = sha_of(xml), *new, *count, want[64];
    char *text = read_file(xml, NULL), *at = strstr(text, "<documentCount>");
    long n;

    /* an altered envelope that the manifest and the report are made to agree with */
    cr_assert(at);
    n = strtol(at + strlen("<documentCount>"), NULL, 10);
    count = strndup(at, strcspn(at, "\n"));
    snprintf(want, sizeof(want), "<documentCount>%ld</documentCount>", n + 1);
    replace_in(xml, count, want);
    new = sha_of(xml);
    replace_in(path2(run, "return/MANIFEST"), old, new);
    replace_in(path2(run, "validate/report.txt"), old, new);
    expect(submit(&s, run, NULL, NULL), 65, "but its envelope's documentCount is");
    cr_assert_eq(stored(&s), 0);
    cr_assert(!file_exists(s.ledger) || read_file(s.ledger, NULL)[0] == '\0');
    free(text);
    free(count);
    free(old);
    free(new);
    free(xml);
    free(run);
}

Test(submit, a_document_that_is_not_a_return_is_not_sent)
{
    static const struct {
        const char *from, *to, *why;
    } cases[] = {
        {"<cldReturn ", "<other ", "the root element is not cldReturn: not a return"},
        {"urn:yjreturns:cld:schema-11", "urn:example:other",
         "the root element is not in the namespace urn:yjreturns:cld:schema-11: not a return of "
         "schema 11"},
        {"schemaVersion=\"11\"", "schemaVersion=\"12\"",
         "schemaVersion is not 11: not a return of schema 11"},
    };
    struct setup s = setup_for("ok", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *xml = path2(run, "return/cld.xml"), *mpath = path2(run, "return/MANIFEST");
    char *report = path2(run, "validate/report.txt");
    char *orig = read_file(xml, NULL), *old = sha_of(xml);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *new, want[1024];
        struct cmd_result r;
        /* an altered root that the manifest and the report are made to agree with */
        replace_in(xml, cases[i].from, cases[i].to);
        new = sha_of(xml);
        replace_in(mpath, old, new);
        replace_in(report, old, new);
        r = submit(&s, run, NULL, NULL);
        cr_assert_eq(r.status, 65, "exit %d; stderr:\n%s", r.status, r.err);
        snprintf(want, sizeof(want), " yj-submit: error: return file '%s': %s\n", xml,
                 cases[i].why);
        cr_assert(strstr(r.err, want), "stderr lacks \"%s\":\n%s", want, r.err);
        cmd_result_free(&r);
        cr_assert_eq(stored(&s), 0);
        cr_assert(!has_receipt(run));
        /* back as it was */
        {
            FILE *f = fopen(xml, "w");
            cr_assert(f && fputs(orig, f) >= 0 && fclose(f) == 0);
        }
        replace_in(mpath, new, old);
        replace_in(report, new, old);
        free(new);
    }
    expect(submit(&s, run, NULL, NULL), 0, NULL);
    cr_assert_eq(stored(&s), 1);
    free(orig);
    free(old);
    free(report);
    free(mpath);
    free(xml);
    free(run);
}

Test(submit, sslkeylogfile_is_cleared_and_no_key_is_written)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *keys = path2(s.runs, "keys.log");

    cr_assert_eq(setenv("SSLKEYLOGFILE", keys, 1), 0);
    expect(submit(&s, run, NULL, NULL), 0, "SSLKEYLOGFILE was set: cleared");
    cr_assert(!file_exists(keys), "TLS keys were written to %s", keys);
    cr_assert_eq(stored(&s), 1);
    free(keys);
    free(run);
}

Test(submit, a_service_code_that_is_not_a_code_is_refused_by_every_stage)
{
    char *conf = config_variant("badcode", "yot_ou_code", "../../evil", NULL);
    const char *stages[][8] = {
        {"yj-submit", "--config", conf, "--run-dir", "/nonexistent", NULL},
        {"yj-run", "--config", conf, "--period", "2024Q1", NULL},
        {"yj-extract", "--config", conf, "--period", "2024Q1", "--out", "/nonexistent", NULL},
    };

    for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
        struct cmd_result r = run_cmd(stages[i]);
        cr_assert(!strstr(r.err, "evil"), "the value is not echoed:\n%s", r.err);
        expect(r, 78, "[service] yot_ou_code may hold only letters, digits, '_' and '-'");
    }
    free(conf);
}

Test(submit, deadline_and_backoff_must_be_seconds)
{
    const char *bad[] = {"soon", "-1", "0", "1e3", "90000"};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct setup s = setup_for("ok", bad[i], "1");
        char want[128];
        snprintf(want, sizeof(want),
                 "[submit] deadline must be a number of seconds from 0.001 to "
                 "86400, not '%s'",
                 bad[i]);
        expect(submit(&s, "/nonexistent", NULL, NULL), 78, want);
    }
}

Test(submit, a_second_submission_waits_for_the_ledger_then_gives_up_with_the_lock_code)
{
    struct setup s = setup_for("ok", "1", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    int fd = open(s.ledger, O_RDWR | O_CREAT, 0640);

    cr_assert(fd >= 0);
    cr_assert_eq(flock(fd, LOCK_EX), 0);
    expect(submit(&s, run, NULL, NULL), 79, "another submission holds the ledger");
    cr_assert_eq(stored(&s), 0);
    close(fd);
    expect(submit(&s, run, NULL, NULL), 0, NULL);
    cr_assert_eq(stored(&s), 1);
    free(run);
}

Test(submit, a_ledger_that_does_not_verify_stops_every_submission)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *a = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *b = yj_run(&s, "2024Q3", NULL, NULL, 0);

    expect(submit(&s, a, NULL, NULL), 0, NULL);
    /* 201 becomes 200 in line 2 */
    replace_in(s.ledger, " http=201 ", " http=200 ");
    expect(submit(&s, b, NULL, NULL), 74, "line 2 does not match its hash: the line was changed");
    cr_assert_eq(stored(&s), 1, "nothing is sent while the ledger does not verify");
    free(a);
    free(b);
}

Test(submit, a_torn_last_ledger_line_is_moved_aside_and_recorded)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *a = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *b = yj_run(&s, "2024Q3", NULL, NULL, 0);
    FILE *f;

    expect(submit(&s, a, NULL, NULL), 0, NULL);
    /* a crash in the middle of an append */
    f = fopen(s.ledger, "ab");
    cr_assert(f);
    fputs("n=3 time=2026-01-01T00:00:00Z service=MEDWAY period=20", f);
    fclose(f);
    expect(submit(&s, b, NULL, NULL), 0, NULL);
    expect_ledger(&s, "send; answer 201 received; repair - repaired; send; answer 201 received");
    cr_assert_eq(stored(&s), 2);
    free(a);
    free(b);
}

/* ---- a retry that reads a new snapshot: the crash matrix ----
 * The natural retry after a failure is the same `yj-run --submit` command, which reads the
 * warehouse again and so builds other bytes. Whatever the first run left unknown at the
 * receiver is asked for first; each case pins the retry's exit status, the returns the
 * receiver holds and the ledger, and that the runs root verifies. */

/* `yj-run --submit --sign-off` of PERIOD as the operator runs it (no --as-of: a new snapshot
 * each time), with EXTRA and EXTRA2 (or NULL). */
static struct cmd_result
yj_run_submit(const struct setup *s, const char *period, const char *extra, const char *extra2)
{
    char *sign_off = sign_off_for(period);
    const char *argv[] = {"yj-run",   "--config",   s->conf,  "--period", period,
                          "--submit", "--sign-off", sign_off, extra,      extra ? extra2 : NULL,
                          NULL};
    struct cmd_result r = run_cmd(argv);

    free(sign_off);
    return r;
}

/* yj-run --verify of the setup's runs root: no problem, the ledger checked. */
static void
expect_verified(const struct setup *s)
{
    const char *argv[] = {"yj-run", "--verify", s->runs, NULL};
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 0, "yj-run --verify: exit %d\n%s\n%s", r.status, r.out, r.err);
    cr_assert(strstr(r.out, "ledger checked: 0 problems"), "%s", r.out);
    cmd_result_free(&r);
}

/* PUT requests of this test that reached the faulty receiver (the front's lines: the back's
 * are HTTP/1.0). */
static int
puts_sent(const struct setup *s)
{
    char *logs = path2(env_get("YJ_TEST_FAULT_DIR"), "../logs/access.log");
    char *text = read_file(logs, NULL), want[512];
    int n = 0;

    snprintf(want, sizeof(want), "\"PUT /%s/%s/", s->fault, s->tag);
    for (char *at = text; at && (at = strstr(at, want)) != NULL; at++) {
        char *eol = strchr(at, '\n');
        char *v10 = strstr(at, " HTTP/1.0\"");
        if (!v10 || (eol && v10 > eol))
            n++;
    }
    free(text);
    free(logs);
    return n;
}

/* The receiver stores the return and never answers; yj-submit (or, WHOLE_RUN, yj-run) is
 * stopped by SIG once it is stored; then the same command again. */
static void
stopped_once_stored_then_a_new_run(int sig, int whole_run)
{
    struct setup s = setup_for("hang", "30", "0.1");
    char *sign_off = sign_off_for("2024Q1");
    const char *argv[] = {"yj-run",   "--config",   s.conf,   "--period", "2024Q1",
                          "--submit", "--sign-off", sign_off, NULL};
    pid_t pid = spawn_cmd(argv), sub = child_named(pid, "yj-submit");
    struct cmd_result r;
    int status;

    cr_assert(sub > 0, "yj-run started no yj-submit");
    for (int i = 0; i < 400 && stored(&s) == 0; i++)
        usleep(50 * 1000);
    cr_assert_eq(stored(&s), 1, "the upload never reached the receiver");
    cr_assert_eq(kill(whole_run ? pid : sub, sig), 0);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    expect_ledger(&s, "send");
    /* the same command: a new snapshot, other bytes */
    write_conf(&s, "10", "0.1");
    r = yj_run_submit(&s, "2024Q1", NULL, NULL);
    cr_assert(!strstr(r.err, "uploading"), "nothing may be sent:\n%s", r.err);
    cr_assert(strstr(r.err, "the receiver holds the return of ledger entry 1"), "%s", r.err);
    expect(r, 81,
           "MEDWAY 2024Q1 was already submitted with other bytes (submission 1, ledger "
           "entry 2");
    cr_assert_eq(stored(&s), 1, "two returns for the period at the receiver");
    cr_assert_eq(puts_sent(&s), 1);
    expect_ledger(&s, "send; check 200 received; refused - refused");
    expect_verified(&s);
    free(sign_off);
}

Test(crash, yj_submit_killed_once_the_receiver_stored_it_then_a_new_run_sends_nothing)
{
    stopped_once_stored_then_a_new_run(SIGKILL, 0);
}

Test(crash, yj_submit_terminated_once_the_receiver_stored_it_then_a_new_run_sends_nothing)
{
    stopped_once_stored_then_a_new_run(SIGTERM, 0);
}

Test(crash, yj_run_terminated_once_the_receiver_stored_it_then_a_new_run_sends_nothing)
{
    stopped_once_stored_then_a_new_run(SIGTERM, 1);
}

Test(crash, a_receiver_that_stores_and_never_answers_then_a_new_run_sends_nothing)
{
    struct setup s = setup_for("hang", "2", "0.1");
    struct cmd_result r = yj_run_submit(&s, "2024Q1", NULL, NULL);

    expect(r, 75, "no answer: Timeout was reached");
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer - temporary");
    write_conf(&s, "10", "0.1");
    r = yj_run_submit(&s, "2024Q1", NULL, NULL);
    cr_assert(!strstr(r.err, "uploading"), "nothing may be sent:\n%s", r.err);
    expect(r, 81, "was already submitted with other bytes (submission 1, ledger entry 3");
    cr_assert_eq(stored(&s), 1);
    cr_assert_eq(puts_sent(&s), 1);
    expect_ledger(&s, "send; answer - temporary; check 200 received; refused - refused");
    expect_verified(&s);
    /* with --resubmit the new return is a correction: submission 2 (of unchanged data: only
     * its as-of moment differs, so forced) */
    write_conf(&s, "2", "0.1");
    expect(yj_run_submit(&s, "2024Q1", "--resubmit", "--force-correction"), 75,
           "this return is submission 2");
    cr_assert_eq(stored(&s), 2);
}

Test(crash, a_receiver_whose_head_does_not_say_stops_a_new_run_with_75_naming_the_upload)
{
    /* stores, never answers, and answers HEAD with 409 */
    struct setup s = setup_for("blind", "2", "0.1");
    char *first, *err;
    struct cmd_result r = yj_run_submit(&s, "2024Q1", NULL, NULL);

    first = strndup(r.out, strcspn(r.out, "\n"));
    expect(r, 75, NULL);
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer - temporary");
    write_conf(&s, "10", "0.1");
    /* a new run: the first return may be at the receiver, so nothing is sent */
    r = yj_run_submit(&s, "2024Q1", NULL, NULL);
    err = strdup(r.err);
    expect(r, 75, "MEDWAY 2024Q1: ledger entry 1 (");
    cr_assert(strstr(err, ", submission 1, part 1/1, sha256 ") &&
                  strstr(err, "...) was sent without a known outcome, and the receiver does not "
                              "say whether it holds it: nothing is sent"),
              "%s", err);
    cr_assert_eq(stored(&s), 1);
    cr_assert_eq(puts_sent(&s), 1);
    expect_ledger(&s, "send; answer - temporary; check 409 unknown");
    /* nor is the first run's return sent again when its own yj-submit is run again */
    expect(submit(&s, first, NULL, NULL), 75,
           "was sent before (ledger entry 1) and the receiver does not say whether it holds it");
    cr_assert_eq(puts_sent(&s), 1, "bytes the receiver may hold were sent again");
    expect_ledger(&s, "send; answer - temporary; check 409 unknown; check 409 unknown");
    expect_verified(&s);
    free(err);
    free(first);
}

Test(crash, an_upload_that_never_arrived_does_not_stop_the_next_return_nor_follows_it)
{
    /* the receiver answers 503 and stores nothing; a 2 s backoff in a 1 s deadline */
    struct setup s = setup_for("busy", "1", "2");
    struct cmd_result r = yj_run_submit(&s, "2024Q1", NULL, NULL);
    char *first = strndup(r.out, strcspn(r.out, "\n")), *second;

    expect(r, 75, "HTTP 503 Service Unavailable");
    expect_ledger(&s, "send; answer 503 temporary");
    /* the receiver is back (the same folder, at /ok/): it does not hold the first return */
    free(s.fault);
    s.fault = strdup("ok");
    write_conf(&s, "10", "0.1");
    r = yj_run_submit(&s, "2024Q1", NULL, NULL);
    second = strndup(r.out, strcspn(r.out, "\n"));
    expect(r, 0, "ledger entry 1 was not received: HTTP 404 Not Found");
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer 503 temporary; check 404 absent; send; answer 201 received");
    /* the first return, numbered before the one received, is no correction of it */
    expect(submit(&s, first, NULL, NULL), 81,
           "was already submitted with other bytes (submission 2, ledger entry 5");
    cr_assert_eq(stored(&s), 1);
    expect_verified(&s);
    free(first);
    free(second);
}

Test(submit, the_test_receiver_answers_head_of_a_stored_name_with_200_and_its_length)
{
    /* the harness's own receiver (scripts/lib/receiver.sh, no-overwrite mode) */
    struct setup s = setup_for(env_get("YJ_TEST_URL"), "10", "0.1");
    char *run = yj_run(&s, "2024Q3", NULL, NULL, 0);
    char *text, *nl;
    FILE *f;

    expect(submit(&s, run, NULL, NULL), 0, "HTTP 201 Created");
    /* the ledger as a crash after the bytes left would have left it: the send alone */
    text = read_file(s.ledger, NULL);
    nl = strchr(text, '\n');
    cr_assert(nl);
    f = fopen(s.ledger, "w");
    cr_assert(f);
    fwrite(text, 1, (size_t)(nl + 1 - text), f);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(unlink(path2(run, "submit/receipt")), 0);
    expect(submit(&s, run, NULL, NULL), 0, "HTTP 200 OK: the receiver holds these");
    expect_ledger(&s, "send; check 200 received");
    cr_assert(has_receipt(run));
    free(text);
    free(run);
}

/* The content-addressed name of a run's cld.xml at the faulty receiver, for this test. */
static char *
name_at_receiver(const struct setup *s, const char *run, const char *period)
{
    char *sha = sha_of(path2(run, "return/cld.xml")),
         *fdir = path2(env_get("YJ_TEST_FAULT_DIR"), s->fault);
    char *dir = path2(fdir, s->tag), name[256];

    snprintf(name, sizeof(name), "MEDWAY-%s-%s.xml", period, sha);
    free(sha);
    free(fdir);
    {
        char *p = path2(dir, name);
        free(dir);
        return p;
    }
}

Test(submit, a_name_that_holds_other_bytes_at_the_receiver_is_not_received)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *placed = name_at_receiver(&s, run, "2024Q1"), *dir = strdup(placed), *text;
    FILE *f;

    /* 15 other bytes under the return's name, placed there before it is sent */
    *strrchr(dir, '/') = '\0';
    cr_assert_eq(mkdir(dir, 0755), 0);
    f = fopen(placed, "w");
    cr_assert(f);
    fputs("not the return\n", f);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(chmod(placed, 0644), 0);
    expect(submit(&s, run, NULL, NULL), 80,
           "the return was not received: the receiver holds other bytes under its "
           "content-addressed name");
    cr_assert(!has_receipt(run), "a receipt for bytes the receiver does not hold");
    expect_ledger(&s, "send; answer 412 rejected");
    text = last_field(&s, "result");
    cr_assert_str_eq(text, "rejected");
    free(text);
    text = read_file(placed, NULL);
    cr_assert_str_eq(text, "not the return\n", "what the receiver held was replaced");
    cr_assert_eq(stored(&s), 1);
    /* and again: the same answer, never a receipt */
    expect(submit(&s, run, NULL, NULL), 80, "holds 15 bytes under this name, not");
    cr_assert(!has_receipt(run));
    free(text);
    free(dir);
    free(placed);
    free(run);
}

Test(submit, a_taken_name_whose_digest_differs_is_not_received)
{
    /* the receiver offers a SHA-256 of what it holds, and it is not the return's */
    struct setup s = setup_for("digest", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *other = path2(s.runs, "other-ledger");

    expect(submit(&s, run, NULL, NULL), 0, "HTTP 201 Created");
    /* a ledger that knows nothing: the PUT finds the name taken, the HEAD the length right
     * and the digest wrong */
    cr_assert_eq(unlink(path2(run, "submit/receipt")), 0);
    expect(submit(&s, run, "--ledger", other), 80, "has SHA-256 0000000000000000..., not ");
    cr_assert(!has_receipt(run));
    free(s.ledger);
    s.ledger = other;
    expect_ledger(&s, "send; answer 412 rejected");
    free(run);
}

/* Adds "KEY = VALUE" to the setup's [submit] section. */
static void
submit_key(struct setup *s, const char *key, const char *value)
{
    char *text = read_file(s->conf, NULL), *at = strstr(text, "[submit]\n");
    FILE *f;

    cr_assert(at);
    at += strlen("[submit]\n");
    f = fopen(s->conf, "w");
    cr_assert(f);
    fprintf(f, "%.*s%s = %s\n%s", (int)(at - text), text, key, value, at);
    cr_assert_eq(fclose(f), 0);
    free(text);
}

Test(submit, the_route_is_the_configurations_never_the_environments_proxy)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *a = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *b = yj_run(&s, "2024Q3", NULL, NULL, 0);
    const char *vars[] = {"https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"};
    struct cmd_result r;

    /* a proxy in the environment that nothing listens on */
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        cr_assert_eq(setenv(vars[i], "http://127.0.0.1:1", 1), 0);
    expect(submit(&s, a, NULL, NULL), 0, "HTTP 201 Created");
    cr_assert_eq(stored(&s), 1);
    /* the configured proxy is the route */
    submit_key(&s, "proxy", "http://127.0.0.1:1");
    r = submit(&s, b, NULL, NULL);
    expect(r, 69, "could not connect");
    cr_assert_eq(stored(&s), 1);
    /* none is no proxy, whatever the environment says */
    write_conf(&s, "10", "0.1");
    submit_key(&s, "proxy", "none");
    expect(submit(&s, b, NULL, NULL), 0, "HTTP 201 Created");
    cr_assert_eq(stored(&s), 2);
    /* a proxy with a password is refused, and not echoed */
    write_conf(&s, "10", "0.1");
    submit_key(&s, "proxy", "http://user:secret@127.0.0.1:3128");
    r = submit(&s, b, NULL, NULL);
    cr_assert(!strstr(r.err, "secret"), "%s", r.err);
    expect(r, 78, "[submit] proxy must be none or a URL");
    free(a);
    free(b);
}

Test(submit, a_receivers_escape_sequences_and_nul_reach_the_receipt_only_as_printable_text)
{
    struct setup s = setup_for("ctrl", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    size_t len, rawlen;
    char *receipt, *raw, *line, name[64];
    struct stat st;

    expect(submit(&s, run, NULL, NULL), 0, "HTTP 200 OK");
    receipt = read_file(path2(run, "submit/receipt"), &len);
    cr_assert(receipt);
    for (size_t i = 0; i < len; i++)
        cr_assert((receipt[i] >= 0x20 && receipt[i] <= 0x7e) || receipt[i] == '\n' ||
                      receipt[i] == '\t',
                  "byte %zu of the receipt is 0x%02x:\n%s", i, (unsigned char)receipt[i], receipt);
    cr_assert(strstr(receipt, "\nX-Receiver-Note: \\x1b[2Jcleared\n"), "%s", receipt);
    cr_assert(strstr(receipt, "--- response body\nstored\n\\x1b]0;owned\\x07\\x1b[2J\\x1b[31mred"
                              "\\x00after NUL\n"),
              "%s", receipt);
    /* the answer as it came, for the owner only */
    line = strstr(receipt, "\nraw_answer submit/");
    cr_assert(line, "%s", receipt);
    cr_assert_eq(sscanf(line, "\nraw_answer submit/%63s", name), 1);
    raw = read_file(path2(path2(run, "submit"), name), &rawlen);
    {
        static const char want[] = "\033[31mred\0after NUL\r\n";
        int found = 0;
        for (size_t i = 0; raw && !found && i + sizeof(want) - 1 <= rawlen; i++)
            found = memcmp(raw + i, want, sizeof(want) - 1) == 0;
        cr_assert(found, "the raw answer %s lacks the bytes as they came", name);
    }
    cr_assert_eq(stat(path2(path2(run, "submit"), name), &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    expect_verified(&s);
    free(raw);
    free(receipt);
    free(run);
}

/* ---- full disks ---- */

/* A folder this test mounted, unmounted after it whatever happened. */
static char *mounted;
static int mounted_by_script;

static void
unmount(void)
{
    if (mounted) {
        const char *script[] = {"/bin/bash", YJ_SOURCE_DIR "/tests/failing-disk.sh", "stop",
                                mounted, NULL};
        const char *plain[] = {"/bin/umount", mounted, NULL};
        struct cmd_result r = run_cmd(mounted_by_script ? script : plain);
        cmd_result_free(&r);
        free(mounted);
        mounted = NULL;
    }
}

/* tests/failing-disk.sh WHAT DIR [FILE]; the test is skipped when it cannot mount. */
static void
failing_disk(const char *what, const char *dir, const char *file)
{
    const char *argv[] = {"/bin/bash", YJ_SOURCE_DIR "/tests/failing-disk.sh", what, dir, file,
                          NULL};
    struct cmd_result r = run_cmd(argv);

    if (r.status == 77)
        cr_skip_test("%s", r.err);
    cr_assert_eq(r.status, 0, "failing-disk.sh %s: %s", what, r.err);
    cmd_result_free(&r);
    if (strcmp(what, "start") == 0) {
        mounted = strdup(dir);
        mounted_by_script = 1;
    }
}

Test(submit, a_failed_fsync_of_the_ledger_stops_every_submission_until_it_is_read_back,
     .fini = unmount)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *a = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *b = yj_run(&s, "2024Q3", NULL, NULL, 0);
    char *disk = temp_dir("disk"), *ledger = path2(disk, "mnt/ledger");
    char *marker = path2(disk, "mnt/ledger.dirty");
    struct cmd_result r;

    /* the ledger on a disk that runs out of space under its filesystem: its writes succeed,
     * their fsync fails (tests/failing-disk.sh) */
    failing_disk("start", disk, NULL);
    expect(submit(&s, a, "--ledger", ledger), 0, "HTTP 201 Created");
    failing_disk("fill", disk, ledger);
    r = submit(&s, b, "--ledger", ledger);
    cr_assert(!strstr(r.err, "uploading"), "sent with its send entry not on disk:\n%s", r.err);
    expect(r, 74, "could not sync ledger");
    cr_assert_eq(stored(&s), 1);
    cr_assert(file_exists(marker), "no marker after a failed fsync");
    /* the space is back, but the ledger may not hold what it shows */
    failing_disk("free", disk, NULL);
    expect(submit(&s, b, "--ledger", ledger), 74,
           "is not known to be on disk: a write to it failed (");
    expect(submit(&s, a, "--ledger", ledger), 74, "until yj-run --verify has read it back");
    cr_assert_eq(stored(&s), 1);
    cr_assert(file_exists(marker));
    free(marker);
    free(ledger);
    free(disk);
    free(a);
    free(b);
}

Test(submit, a_receipt_that_could_not_be_written_after_the_201_is_rebuilt_from_the_ledger,
     .fini = unmount)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *sub = path2(run, "submit"), *receipt, cmd[4096];
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    struct cmd_result r;

    /* RUN/submit on a full 4 KB tmpfs: the receiver stores the return and answers 201, the
     * receipt cannot be written */
    cr_assert_eq(mkdir(sub, 0750), 0);
    snprintf(cmd, sizeof(cmd),
             "mount -t tmpfs -o size=4k tmpfs '%s' && dd if=/dev/zero of='%s/fill' bs=4k "
             "count=1 status=none",
             sub, sub);
    r = run_cmd(argv);
    if (r.status != 0 && !file_exists(path2(sub, "fill")))
        cr_skip_test("cannot mount a tmpfs here (needs root): %s", r.err);
    cmd_result_free(&r);
    mounted = strdup(sub);
    mounted_by_script = 0;
    expect(submit(&s, run, NULL, NULL), 74, "No space left on device");
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer 201 received");
    unmount();
    cr_assert(!has_receipt(run));
    /* the next yj-submit: nothing sent, the receipt rebuilt from the ledger */
    r = submit(&s, run, NULL, NULL);
    cr_assert(!strstr(r.err, "uploading"), "%s", r.err);
    cr_assert(strstr(r.err, "was missing (ledger entry 2 says received): rebuilt from the ledger"),
              "%s", r.err);
    expect(r, 0, "already submitted");
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer 201 received; already - received");
    receipt = read_file(path2(run, "submit/receipt"), NULL);
    cr_assert(receipt && strstr(receipt, "\nhttp_status 201\nreceived_by ledger\n") &&
                  strstr(receipt, "\nrebuilt_from ledger entry 2 ("),
              "%s", receipt);
    expect_verified(&s);
    free(receipt);
    free(sub);
    free(run);
}

/* One row of the README's run-directory picture (printed by rundir_describe(), which a unit
 * test holds to the table in etl/core/rundir.c): fixed columns path, mode, writer, format. */
struct row {
    char path[64];
    int root; /* a row of RUNS_ROOT/ */
    unsigned mode;
    char format[64];
};

static size_t
readme_rows(struct row *rows, size_t max)
{
    char *readme = read_file(YJ_SOURCE_DIR "/README.md", NULL), *at, *end, *line;
    size_t n = 0;
    int root = 0;

    cr_assert(readme);
    at = strstr(readme, "<!-- rundir_describe() -->\n```\n");
    cr_assert(at);
    at = strchr(strchr(at, '\n') + 1, '\n') + 1;
    end = strstr(at, "```\n");
    for (line = at; line < end; line = strchr(line, '\n') + 1) {
        size_t len = (size_t)(strchr(line, '\n') - line);
        if (strncmp(line, "RUNS_ROOT/\n", 11) == 0)
            root = 1;
        if (strncmp(line, "  ", 2) != 0 || len < 90)
            continue;
        cr_assert(n < max);
        sscanf(line + 2, "%63s", rows[n].path);
        rows[n].root = root;
        rows[n].mode = (unsigned)strtoul(line + 31, NULL, 8);
        snprintf(rows[n].format, sizeof(rows[n].format), "%.32s", line + 56);
        for (size_t k = strlen(rows[n].format); k > 0 && rows[n].format[k - 1] == ' '; k--)
            rows[n].format[k - 1] = '\0';
        n++;
    }
    free(readme);
    return n;
}

/* 1 when S matches PAT: <word> is one or more characters other than '/', NNNN as many digits. */
static int
matches(const char *pat, const char *s)
{
    while (*pat) {
        if (*pat == '<') {
            const char *close = strchr(pat, '>');
            for (size_t k = 1; s[k - 1] && s[k - 1] != '/'; k++)
                if (matches(close + 1, s + k))
                    return 1;
            return 0;
        }
        if (strncmp(pat, "NNNN", 4) == 0) {
            size_t np = strspn(pat, "N");
            if (strspn(s, "0123456789") < np)
                return 0;
            pat += np;
            s += np;
            continue;
        }
        if (*pat++ != *s++)
            return 0;
    }
    return *s == '\0';
}

static const struct row *
row_of(const struct row *rows, size_t n, int root, const char *rel)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            int pattern = strchr(rows[i].path, '<') || strstr(rows[i].path, "NNNN");
            char pat[80];
            snprintf(pat, sizeof(pat), "%s", rows[i].path);
            if (pat[strlen(pat) - 1] == '/')
                pat[strlen(pat) - 1] = '\0';
            if (rows[i].root == root && pattern == pass && matches(pat, rel))
                return &rows[i];
        }
    return NULL;
}

/* Checks FILE (RUNS_ROOT or run directory BASE + REL) against its row: its mode, and its
 * format where the row says it carries it. */
static void
check_format(const struct row *r, const char *base, const char *rel, const char *record)
{
    char *path = path2(base, rel), *text = read_file(path, NULL);
    struct stat st;

    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 07777, r->mode, "%s: mode %o, the table says %o", path,
                 st.st_mode & 07777, r->mode);
    if (S_ISDIR(st.st_mode)) {
        cr_assert_str_eq(r->format, "", "%s", path);
    } else if (strncmp(r->format, "format.", 7) == 0) {
        /* a line of its folder's record */
        char *rec = read_file(record, NULL), want[128];
        snprintf(want, sizeof(want), "\n%s\n", r->format);
        cr_assert(rec && strstr(rec, want), "%s: '%s' lacks \"%s\"", path, record, r->format);
        free(rec);
    } else if (strcmp(r->format, "cldReturn schema-N") == 0) {
        cr_assert(strstr(text, "<cldReturn xmlns=\"urn:yjreturns:cld:schema-11\"") &&
                      strstr(text, " schemaVersion=\"11\""),
                  "%s: not a return of schema 11", path);
    } else if (r->format[0] == '(' || strcmp(r->format, "-") == 0) {
        /* a format the file does not carry */
    } else {
        size_t n = strlen(r->format);
        cr_assert(strncmp(text, r->format, n) == 0 && text[n] == '\n',
                  "%s: its first line is not \"%s\":\n%.80s", path, r->format, text);
    }
    free(text);
    free(path);
}

/* Every file and folder under DIR (a run directory, relative path PREFIX) against the rows. */
static void
walk_run(const struct row *rows, size_t n, const char *run, const char *prefix, int *seen)
{
    char *dir = prefix[0] ? path2(run, prefix) : strdup(run);
    DIR *d = opendir(dir);
    struct dirent *e;

    cr_assert(d, "%s", dir);
    while ((e = readdir(d)) != NULL) {
        char rel[512], record[1024];
        const struct row *r;
        if (e->d_name[0] == '.')
            continue;
        snprintf(rel, sizeof(rel), "%s%s%s", prefix, prefix[0] ? "/" : "", e->d_name);
        r = row_of(rows, n, 0, rel);
        if (!r && strncmp(rel, "rerun-", 6) == 0 && strchr(rel, '/')) {
            /* a rerun's own staged/ and return/: a run directory's */
            const char *inner = strchr(rel, '/') + 1;
            char *rerun = strndup(rel, (size_t)(inner - 1 - rel)), *rdir = path2(run, rerun);
            r = row_of(rows, n, 0, inner);
            cr_assert(r, "%s: no row of the table", rel);
            snprintf(record, sizeof(record), "%s/%.*s/MANIFEST", rdir, (int)strcspn(inner, "/"),
                     inner);
            check_format(r, rdir, inner, record);
            free(rdir);
            free(rerun);
        } else {
            {
                /* a part's report or receipt: the row of report.txt, receipt */
                char plain[512];
                const char *dash = strrchr(rel, '-');
                if (!r && dash && strspn(dash + 1, "0123456789") == 4) {
                    snprintf(plain, sizeof(plain), "%.*s%s", (int)(dash - rel), rel, dash + 5);
                    r = row_of(rows, n, 0, plain);
                }
            }
            cr_assert(r, "%s: no row of the table", rel);
            if (strncmp(rel, "rerun-", 6) == 0)
                snprintf(record, sizeof(record), "%s/%.*s/RERUN", run, (int)strcspn(rel, "/"), rel);
            else if (strncmp(rel, "submit/", 7) == 0) /* a correction's receipt */
                snprintf(record, sizeof(record), "%s/submit/receipt", run);
            else
                snprintf(record, sizeof(record), "%s/%.*s/MANIFEST", run, (int)strcspn(rel, "/"),
                         rel);
            check_format(r, run, rel, record);
            seen[r - rows] = 1;
        }
        if (e->d_type == DT_DIR)
            walk_run(rows, n, run, rel, seen);
    }
    closedir(d);
    free(dir);
}

Test(submit, every_file_of_a_run_carries_the_format_and_mode_the_table_gives)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, "", 0), *lock = path2(s.runs, "MEDWAY/2024Q1.lock");
    const char *argv[] = {"yj-run", "--config", s.conf, "--rerun", run, NULL};
    static const char *const must[] = {"RUN",
                                       "staged/",
                                       "staged/MANIFEST",
                                       "return/",
                                       "return/MANIFEST",
                                       "return/cld.xml",
                                       "validate/report.txt",
                                       "kpi/MANIFEST",
                                       "kpi/<template>.csv",
                                       "kpi/headline.csv",
                                       "kpi/cases.csv",
                                       "kpi/worklist.csv",
                                       "kpi/worklist.txt",
                                       "kpi/recording.csv",
                                       "submit/receipt",
                                       "rerun-<stamp>/",
                                       "rerun-<stamp>/RERUN"};
    struct row rows[64];
    int seen[64] = {0};
    size_t n = readme_rows(rows, 64);
    struct cmd_result r;

    cr_assert_gt(n, 20);
    r = run_cmd(argv);
    cr_assert_eq(r.status, 0, "rerun exit %d:\n%s", r.status, r.err);
    cmd_result_free(&r);
    walk_run(rows, n, run, "", seen);
    for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
        int found = 0;
        for (size_t k = 0; k < n; k++)
            found |= strcmp(rows[k].path, must[i]) == 0 && seen[k];
        cr_assert(found, "the run has no %s", must[i]);
    }
    /* the runs root: the ledger and the lock */
    check_format(row_of(rows, n, 1, "ledger"), s.runs, "ledger", NULL);
    cr_assert(file_exists(lock));
    check_format(row_of(rows, n, 1, "MEDWAY/2024Q1.lock"), s.runs, "MEDWAY/2024Q1.lock", NULL);
    free(lock);
    free(run);
}

Test(submit, verify_refuses_a_receipt_or_report_of_a_newer_format_in_one_line)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, "", 0);
    char *receipt = path2(run, "submit/receipt"), *report = path2(run, "validate/report.txt");
    const char *argv[] = {"yj-run", "--verify", s.runs, NULL};
    static const struct {
        const char *file, *from, *to, *format;
    } cases[] = {
        {"submit/receipt", "yjreturns-receipt 1\n", "yjreturns-receipt 2\n", "yjreturns-receipt"},
        {"validate/report.txt", "yjreturns-report 1\n", "yjreturns-report 3\n", "yjreturns-report"},
    };
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 0, "verify of the run as written: exit %d\n%s%s", r.status, r.out,
                 r.err);
    cmd_result_free(&r);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *path = path2(run, cases[i].file), *orig = read_file(path, NULL), want[2048];
        replace_in(path, cases[i].from, cases[i].to);
        r = run_cmd(argv);
        cr_assert_eq(r.status, 74, "exit %d\n%s", r.status, r.out);
        snprintf(want, sizeof(want),
                 "problem '%s' line 1: format %s %c is newer than this yjreturns reads (%s 1)\n",
                 path, cases[i].format, cases[i].to[strlen(cases[i].to) - 2], cases[i].format);
        cr_assert(strstr(r.out, want), "stdout lacks \"%s\":\n%s", want, r.out);
        cmd_result_free(&r);
        {
            FILE *f = fopen(path, "w");
            cr_assert(f && fputs(orig, f) >= 0 && fclose(f) == 0);
        }
        free(orig);
        free(path);
    }
    /* yj-submit reads the report before it sends: a newer one stops it in one line */
    replace_in(report, "yjreturns-report 1\n", "yjreturns-report 2\n");
    {
        char want[2048];
        snprintf(want, sizeof(want),
                 " yj-submit: error: '%s' line 1: format yjreturns-report 2 is newer than this "
                 "yjreturns reads (yjreturns-report 1)\n",
                 report);
        expect(submit(&s, run, NULL, NULL), 65, want);
    }
    free(report);
    free(receipt);
    free(run);
}

/* ---- a correction shows what it corrects ----
 * Before a --resubmit uploads, yj-submit writes the diff of the new return against the one
 * received last (submit/correction.csv, the rerun's diff.csv format) and counts it on stderr
 * and in the receipt; one that changes no child's document, or cannot be compared, is refused
 * unless --force-correction. */

/* The sourceReturnId of RUN's return (malloc'd). */
static char *
source_return_id(const char *run)
{
    char *xml = read_file(path2(run, "return/cld.xml"), NULL), *at, *id;

    cr_assert(xml && (at = strstr(xml, "<sourceReturnId>")) != NULL, "%s", run);
    at += strlen("<sourceReturnId>");
    id = strndup(at, strcspn(at, "<"));
    free(xml);
    return id;
}

/* The path the ledger names RUN by (its real path; malloc'd). */
static char *
real(const char *run)
{
    char *p = realpath(run, NULL);
    cr_assert(p, "%s", run);
    return p;
}

/* yj-submit's "correction..." lines of STDERR, each without its time (malloc'd). */
static char *
correction_lines(const char *err)
{
    size_t cap = strlen(err) + 1, len = 0;
    char *out = calloc(1, cap);

    cr_assert(out);
    for (const char *line = err; *line;) {
        const char *nl = strchr(line, '\n'), *sp = strchr(line, ' ');
        size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
        if (sp && sp < line + n && strncmp(sp + 1, "yj-submit: correction", 21) == 0) {
            memcpy(out + len, sp + 1, n - (size_t)(sp + 1 - line));
            len += n - (size_t)(sp + 1 - line);
        }
        line += n;
    }
    return out;
}

/* The whole file at RUN/submit/correction.csv, which must be mode 0600. */
static char *
correction_csv(const char *run)
{
    char *path = path2(run, "submit/correction.csv"), *text;
    struct stat st;

    cr_assert_eq(stat(path, &st), 0, "%s", path);
    cr_assert_eq(st.st_mode & 0777, 0600, "%s: mode %o", path, st.st_mode & 0777);
    text = read_file(path, NULL);
    free(path);
    return text;
}

Test(correction, a_second_resubmit_of_unchanged_data_is_refused_unless_forced)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *first = yj_run(&s, "2024Q4", NULL, "", 0), *first_real = real(first), *second;
    char *csv, *id1, *id2, *receipt, *run_file, want[4096];
    struct cmd_result r;

    expect_ledger(&s, "send; answer 201 received");
    /* the same data again: a new as-of moment, nothing else */
    r = yj_run_submit(&s, "2024Q4", "--resubmit", NULL);
    second = strndup(r.out, strcspn(r.out, "\n"));
    snprintf(want, sizeof(want),
             " yj-submit: error: MEDWAY 2024Q4: this return changes no child's document of "
             "submission 1 (ledger entry 2, run %s), only its envelope: it is not sent as a "
             "correction\n"
             "DETAIL: 1 difference (envelope.sourceReturnId), listed in "
             "'%s/submit/correction.csv'\n"
             "HINT: a run of unchanged data restates the return as of a new moment; if the "
             "receiver must have it anyway, add --force-correction (yj-run --submit --resubmit "
             "--force-correction)\n",
             first_real, second);
    cr_assert(!strstr(r.err, "uploading"), "nothing may be sent:\n%s", r.err);
    expect(r, 83, want);
    cr_assert_eq(stored(&s), 1, "a correction of nothing was sent");
    expect_ledger(&s, "send; answer 201 received");
    cr_assert(!has_receipt(second));
    run_file = read_file(path2(second, "RUN"), NULL);
    cr_assert(run_file && strstr(run_file, "\nstatus.submit 83\n"), "%s", run_file);
    /* the diff says what differs: the envelope's as-of moment, nothing of a child */
    id1 = source_return_id(first);
    id2 = source_return_id(second);
    csv = correction_csv(second);
    snprintf(want, sizeof(want),
             "child,ypid,item,item_id,field,sent,now\n-,-,envelope,-,sourceReturnId,%s,%s\n", id1,
             id2);
    cr_assert_str_eq(csv, want);
    /* the force option is for yj-submit --resubmit and yj-run --submit --resubmit only */
    r = submit(&s, second, "--force-correction", NULL);
    cr_assert_str_eq(r.err, "yj-submit: --force-correction goes with --resubmit\n");
    expect(r, 64, NULL);
    {
        char *sign_off = sign_off_for("2024Q4");
        const char *argv[] = {"yj-run",   "--config",   s.conf,   "--period",           "2024Q4",
                              "--submit", "--sign-off", sign_off, "--force-correction", NULL};
        r = run_cmd(argv);
        cr_assert_str_eq(r.err, "yj-run: --force-correction goes with --submit --resubmit\n");
        cr_assert_str_empty(r.out, "no run folder: %s", r.out);
        expect(r, 64, NULL);
        free(sign_off);
    }
    /* forced, it goes, and its receipt says what it corrects */
    expect(submit(&s, second, "--resubmit", "--force-correction"), 0,
           " yj-submit: warning: --force-correction: this correction changes no child's document "
           "of submission 1; it is sent as asked\n");
    cr_assert_eq(stored(&s), 2);
    expect_ledger(&s, "send; answer 201 received; send; answer 201 received");
    receipt = read_file(path2(second, "submit/receipt"), NULL);
    snprintf(want, sizeof(want),
             "\nsubmission MEDWAY 2024Q4 2\nsubmitted_at %.20s\n"
             "corrects submission 1 (ledger entry 2, run %s)\n"
             "correction submit/correction.csv: 0 children changed, 0 added, 0 removed, 0 "
             "deletion notices differ; 1 difference\n"
             "correction_count envelope.sourceReturnId 1\n"
             "format.yjreturns-diff 1\n--- response headers\n",
             strstr(receipt, "\nsubmitted_at ") + 14, first_real);
    cr_assert(strstr(receipt, want), "receipt lacks\n%s\n%s", want, receipt);
    expect_verified(&s);
    free(receipt);
    free(run_file);
    free(csv);
    free(id1);
    free(id2);
    free(second);
    free(first_real);
    free(first);
}

/* One child of the warehouse the correction test changes, and what it was. */
struct touched {
    char *id, *ypid, *was;
};

static struct touched
touched_child(const char *where)
{
    struct touched t;
    char sql[512];

    snprintf(sql, sizeof(sql), "SELECT min(yp_id) FROM cms.young_person WHERE %s", where);
    t.id = sql_exec(sql);
    cr_assert(t.id, "no child %s", where);
    snprintf(sql, sizeof(sql), "SELECT ypid FROM cms.young_person WHERE yp_id = %s", t.id);
    t.ypid = sql_exec(sql);
    snprintf(sql, sizeof(sql),
             "SELECT ethnicity_cd || ',' || first_contact_date FROM cms.young_person WHERE "
             "yp_id = %s",
             t.id);
    t.was = sql_exec(sql);
    return t;
}

static void
set_child(const struct touched *t, const char *ethnicity, const char *first_contact)
{
    char sql[512];

    snprintf(sql, sizeof(sql),
             "UPDATE cms.young_person SET ethnicity_cd = '%.*s', first_contact_date = '%s' "
             "WHERE yp_id = %s",
             (int)strcspn(ethnicity, ","), ethnicity, first_contact, t->id);
    free(sql_exec(sql));
}

Test(correction, names_each_changed_child_by_id_and_counts_those_added_and_removed)
{
    struct setup s = setup_for("ok", "10", "0.1");
    /* 2025Q4 ends 2026-03-31 (no other test runs it): a child of it whose ethnicity changes,
     * one whose first contact moves out of it (removed) and one whose moves into it (added),
     * in warehouse id order */
    struct touched changed = touched_child("first_contact_date <= '2026-03-31' AND ethnicity_cd "
                                           "= 'WBRI'");
    char where[256], *first, *first_real, *second, *csv, *lines, *receipt, *id1, *id2;
    char want[4096];
    struct touched removed, added;
    struct cmd_result r;

    snprintf(where, sizeof(where),
             "yp_id = (SELECT max(yp_id) FROM cms.young_person WHERE first_contact_date BETWEEN "
             "'2026-01-01' AND '2026-03-31' AND yp_id > %s)",
             changed.id);
    removed = touched_child(where);
    snprintf(where, sizeof(where),
             "first_contact_date BETWEEN '2026-04-01' AND '2026-06-30' AND yp_id > %s", removed.id);
    added = touched_child(where);
    first = yj_run(&s, "2025Q4", NULL, "", 0);
    first_real = real(first);
    set_child(&changed, "WIRI", strchr(changed.was, ',') + 1);
    set_child(&removed, removed.was, "2026-04-01");
    set_child(&added, added.was, "2026-03-31");
    r = yj_run_submit(&s, "2025Q4", "--resubmit", NULL);
    /* the warehouse as it was, whatever is found below */
    set_child(&changed, changed.was, strchr(changed.was, ',') + 1);
    set_child(&removed, removed.was, strchr(removed.was, ',') + 1);
    set_child(&added, added.was, strchr(added.was, ',') + 1);
    second = strndup(r.out, strcspn(r.out, "\n"));
    lines = correction_lines(r.err);
    expect(r, 0, "submitted the return: HTTP 201 Created");
    cr_assert_eq(stored(&s), 2);
    expect_ledger(&s, "send; answer 201 received; send; answer 201 received");
    /* the changed child is named by its warehouse id (the file is the owner's only); the
     * removed one, which this run's warehouse ids lack, by its ypid */
    id1 = source_return_id(first);
    id2 = source_return_id(second);
    csv = correction_csv(second);
    snprintf(want, sizeof(want),
             "child,ypid,item,item_id,field,sent,now\n"
             "-,-,envelope,-,sourceReturnId,%s,%s\n"
             "%s,%s,person,person,ethnicity,W1,W2\n"
             "-,%s,child,-,-,present,\n"
             "%s,%s,child,-,-,,present\n",
             id1, id2, changed.id, changed.ypid, removed.ypid, added.id, added.ypid);
    cr_assert_str_eq(csv, want);
    /* stderr: counts only */
    snprintf(want, sizeof(want),
             "yj-submit: correction of MEDWAY 2025Q4 submission 1 (ledger entry 2, run %s): 1 "
             "child changed, 1 added, 1 removed, 0 deletion notices differ; 4 differences, "
             "listed in %s/submit/correction.csv (mode 0600)\n"
             "yj-submit: correction: envelope.sourceReturnId: 1\n"
             "yj-submit: correction: person.ethnicity: 1\n"
             "yj-submit: correction: child: 2\n",
             first_real, second);
    cr_assert_str_eq(lines, want);
    receipt = read_file(path2(second, "submit/receipt"), NULL);
    snprintf(want, sizeof(want),
             "\ncorrects submission 1 (ledger entry 2, run %s)\n"
             "correction submit/correction.csv: 1 child changed, 1 added, 1 removed, 0 "
             "deletion notices differ; 4 differences\n"
             "correction_count envelope.sourceReturnId 1\n"
             "correction_count person.ethnicity 1\n"
             "correction_count child 2\n"
             "format.yjreturns-diff 1\n--- response headers\n",
             first_real);
    cr_assert(strstr(receipt, want), "receipt lacks\n%s\n%s", want, receipt);
    /* its mode and the format key in its receipt, as the table gives them */
    {
        struct row rows[64];
        int seen[64] = {0};
        size_t n = readme_rows(rows, 64);
        const struct row *row = row_of(rows, n, 0, "submit/correction.csv");
        walk_run(rows, n, second, "", seen);
        cr_assert(row && seen[row - rows], "the correction's run has no submit/correction.csv");
    }
    expect_verified(&s);
    free(receipt);
    free(lines);
    free(csv);
    free(id1);
    free(id2);
    free(second);
    free(first_real);
    free(first);
}

Test(correction, whose_submitted_return_is_not_on_disk_any_more_is_refused_unless_forced)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *first = yj_run(&s, "2024Q4", NULL, "", 0), *first_real = real(first);
    char *moved = malloc(strlen(first) + 8), *second, *receipt, want[4096];
    struct cmd_result r;

    cr_assert(moved);
    snprintf(moved, strlen(first) + 8, "%s.moved", first);
    cr_assert_eq(rename(first, moved), 0);
    /* a second later, so that the new run's folder does not take the free name (a folder
     * there holding another return is refused too, as "another return than the one
     * received") */
    sleep(1);
    r = yj_run_submit(&s, "2024Q4", "--resubmit", NULL);
    second = strndup(r.out, strcspn(r.out, "\n"));
    snprintf(want, sizeof(want),
             " yj-submit: error: MEDWAY 2024Q4: this correction cannot be compared with "
             "submission 1 (ledger entry 2, run %s), the return it corrects: nothing is sent\n"
             "DETAIL: its run folder is not there any more (housekept or moved)\n"
             "HINT: restore that run folder (or the runs root it was moved from) to see what the "
             "correction changes, or send it without the comparison with --force-correction\n",
             first_real);
    expect(r, 66, want);
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer 201 received");
    cr_assert(!has_receipt(second));
    cr_assert(!file_exists(path2(second, "submit/correction.csv")));
    /* forced, it goes without a comparison, and says so */
    r = yj_run_submit(&s, "2024Q4", "--resubmit", "--force-correction");
    free(second);
    second = strndup(r.out, strcspn(r.out, "\n"));
    snprintf(want, sizeof(want),
             " yj-submit: warning: --force-correction: this correction is sent without a "
             "comparison with submission 1 (ledger entry 2, run %s): its run folder is not there "
             "any more (housekept or moved)\n",
             first_real);
    expect(r, 0, want);
    cr_assert_eq(stored(&s), 2);
    receipt = read_file(path2(second, "submit/receipt"), NULL);
    snprintf(want, sizeof(want),
             "\ncorrects submission 1 (ledger entry 2, run %s)\n"
             "correction not compared (--force-correction): its run folder is not there any "
             "more (housekept or moved)\n--- response headers\n",
             first_real);
    cr_assert(strstr(receipt, want), "receipt lacks\n%s\n%s", want, receipt);
    cr_assert(!file_exists(path2(second, "submit/correction.csv")));
    cr_assert_eq(rename(moved, first), 0);
    expect_verified(&s);
    free(receipt);
    free(second);
    free(moved);
    free(first_real);
    free(first);
}

Test(correction, of_a_run_whose_staged_files_are_gone_is_refused_unless_forced)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *first = yj_run(&s, "2023Q4", NULL, "", 0), *first_real = real(first);
    /* validated and signed off, not submitted: it succeeded, so its staged files are gone */
    char *second = yj_run(&s, "2023Q4", NULL, NULL, 0), want[4096];

    snprintf(want, sizeof(want),
             " yj-submit: error: MEDWAY 2023Q4: this correction cannot be compared with "
             "submission 1 (ledger entry 2, run %s), the return it corrects: nothing is sent\n"
             "DETAIL: this run's staged file '%s/staged/person.tsv', which names the children by "
             "warehouse id, is gone (a run that succeeded removes its staged files): No such file "
             "or directory\n"
             "HINT: send the correction from a new run (yj-run --submit --resubmit), which "
             "compares before its staged files go, or send it without the comparison with "
             "--force-correction\n",
             first_real, second);
    expect(submit(&s, second, "--resubmit", NULL), 66, want);
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer 201 received");
    expect(submit(&s, second, "--resubmit", "--force-correction"), 0,
           "this return is submission 2");
    cr_assert_eq(stored(&s), 2);
    free(second);
    free(first_real);
    free(first);
}

/* ---- the bytes sent are the bytes validated ----
 * yj-submit reads a document once, as it sends it: the SHA-256 it checks is the one the
 * manifest and the validation report agree on, and the body's last bytes leave only once
 * everything read hashes to it. A return changed after validation is refused (74) and the
 * receiver, never given a whole body, stores nothing; the next honest run sends it once. */

/* Flips one bit of a byte of a file in place (same size, same inode); again, back. */
static void
flip_byte(const char *path, long long at)
{
    int fd = open(path, O_RDWR);
    unsigned char c;

    cr_assert(fd >= 0);
    cr_assert_eq(pread(fd, &c, 1, (off_t)at), 1);
    c ^= 0x01;
    cr_assert_eq(pwrite(fd, &c, 1, (off_t)at), 1);
    cr_assert_eq(close(fd), 0);
}

static long long
size_of(const char *path)
{
    struct stat st;

    cr_assert_eq(stat(path, &st), 0, "%s", path);
    return (long long)st.st_size;
}

/* The error and detail lines of a document whose bytes are not the validated ones. */
static void
expect_changed(const char *err, const char *xml, const char *detail)
{
    char want[2048];

    snprintf(want, sizeof(want),
             " yj-submit: error: return '%s' does not match its manifest\nDETAIL: %s\n", xml,
             detail);
    cr_assert(strstr(err, want), "stderr lacks \"%s\":\n%s", want, err);
}

/* The detail of bytes read as they were sent that are not the validated ones. */
static void
detail_stopped(char *out, size_t n, const char *xml, const char *sha)
{
    snprintf(out, n,
             "its bytes are not the %lld bytes of SHA-256 %.16s... that the manifest lists and "
             "yj-validate passed: it changed after validation; the upload was stopped before "
             "its last bytes, so the receiver got no whole body",
             size_of(xml), sha);
}

Test(submit, bytes_changed_after_validation_in_place_are_stopped_before_the_body_is_whole)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *xml = path2(run, "return/cld.xml"), *sha = sha_of(xml), *orig = read_file(xml, NULL);
    long long size = size_of(xml);
    /* the middle, inside the last 64 KiB (the last chunk libcurl asks for), the very last */
    const long long at[] = {size / 2, size - 30000, size - 1};
    char detail[512], warn[256];

    cr_assert(size > 2 * 65536, "the return is too small for the test: %lld bytes", size);
    detail_stopped(detail, sizeof(detail), xml, sha);
    snprintf(warn, sizeof(warn),
             " of %lld bytes: the file read is not the validated bytes; the receiver got no "
             "whole body\n",
             size);
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        struct cmd_result r;
        flip_byte(xml, at[i]);
        r = submit(&s, run, NULL, NULL);
        cr_assert_eq(r.status, 74, "byte %lld: exit %d\n%s", at[i], r.status, r.err);
        expect_changed(r.err, xml, detail);
        cr_assert(strstr(r.err, " yj-submit: warning: cld.xml: stopped after "), "%s", r.err);
        cr_assert(strstr(r.err, warn), "stderr lacks \"%s\":\n%s", warn, r.err);
        cmd_result_free(&r);
        cr_assert_eq(stored(&s), 0, "byte %lld: the receiver stored changed bytes", at[i]);
        cr_assert(!has_receipt(run));
        flip_byte(xml, at[i]); /* back as validated */
    }
    expect_ledger(&s, "send; answer - aborted; send; answer - aborted; send; answer - aborted");
    /* the honest run is not blocked, and the period is received once */
    expect(submit(&s, run, NULL, NULL), 0, "HTTP 201 Created");
    cr_assert_eq(stored(&s), 1);
    {
        char *name = name_at_receiver(&s, run, "2024Q1"), *held = read_file(name, NULL);
        cr_assert(held && strcmp(held, orig) == 0, "the receiver holds other bytes");
        free(held);
        free(name);
    }
    expect_ledger(&s, "send; answer - aborted; send; answer - aborted; send; answer - aborted; "
                      "send; answer 201 received");
    expect(submit(&s, run, NULL, NULL), 0, "already submitted");
    cr_assert_eq(stored(&s), 1);
    expect_verified(&s);
    free(orig);
    free(sha);
    free(xml);
    free(run);
}

Test(submit, a_return_truncated_or_grown_after_validation_is_refused_before_anything_is_sent)
{
    struct setup s = setup_for("ok", "10", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *xml = path2(run, "return/cld.xml");
    long long size = size_of(xml);
    size_t len;
    char *orig = read_file(xml, &len), detail[256];
    struct cmd_result r;
    FILE *f;

    cr_assert_eq(truncate(xml, (off_t)(size - 1)), 0);
    r = submit(&s, run, NULL, NULL);
    cr_assert_eq(r.status, 74, "exit %d\n%s", r.status, r.err);
    snprintf(detail, sizeof(detail),
             "it has %lld bytes, the manifest %lld: it changed after validation and is never "
             "sent",
             size - 1, size);
    expect_changed(r.err, xml, detail);
    cr_assert(!strstr(r.err, "uploading"), "%s", r.err);
    cmd_result_free(&r);
    /* grown: the validated bytes and one more */
    f = fopen(xml, "wb");
    cr_assert(f && fwrite(orig, 1, len, f) == len && fputc('\n', f) != EOF && fclose(f) == 0);
    r = submit(&s, run, NULL, NULL);
    cr_assert_eq(r.status, 74, "exit %d\n%s", r.status, r.err);
    snprintf(detail, sizeof(detail),
             "it has %lld bytes, the manifest %lld: it changed after validation and is never "
             "sent",
             size + 1, size);
    expect_changed(r.err, xml, detail);
    cmd_result_free(&r);
    cr_assert_eq(stored(&s), 0);
    cr_assert(!file_exists(s.ledger) || read_file(s.ledger, NULL)[0] == '\0',
              "an entry for a return that was never sent");
    free(orig);
    free(xml);
    free(run);
}

/* yj-submit of RUN started while the test holds the ledger's lock, its stderr into ERR_PATH;
 * returns its pid once it has opened the ledger: its checks are done and it waits for the
 * lock, nothing sent. */
static pid_t
submit_waiting_for_the_ledger(const struct setup *s, const char *run, const char *err_path)
{
    const char *argv[] = {"yj-submit", "--config", s->conf, "--run-dir", run, NULL};
    char *prog = path2(YJ_BIN_DIR, "yj-submit"), *ledger = realpath(s->ledger, NULL);
    char *exe = realpath(prog, NULL);
    pid_t pid = fork();

    cr_assert(pid >= 0 && ledger && exe);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        int errfd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(null, 0);
        dup2(null, 1);
        dup2(errfd, 2);
        execv(prog, (char *const *)argv);
        _exit(127);
    }
    for (int tries = 0; tries < 400; tries++) {
        char dir[64], link[PATH_MAX], target[PATH_MAX];
        DIR *d;
        struct dirent *e;
        int open_ = 0;
        ssize_t n;
        /* yj-submit itself, not the child before its execv (which has the test's descriptor) */
        snprintf(dir, sizeof(dir), "/proc/%d/exe", (int)pid);
        n = readlink(dir, target, sizeof(target) - 1);
        if (n <= 0 || (target[n] = '\0', strcmp(target, exe) != 0)) {
            usleep(25 * 1000);
            continue;
        }
        snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
        d = opendir(dir);
        while (d && !open_ && (e = readdir(d)) != NULL) {
            snprintf(link, sizeof(link), "%s/%s", dir, e->d_name);
            n = readlink(link, target, sizeof(target) - 1);
            if (n > 0) {
                target[n] = '\0';
                open_ = strcmp(target, ledger) == 0;
            }
        }
        if (d)
            closedir(d);
        if (open_) {
            free(exe);
            free(prog);
            free(ledger);
            return pid;
        }
        usleep(25 * 1000);
    }
    cr_assert_fail("yj-submit never opened the ledger");
    return 0;
}

/* Puts FROM in place of TO by rename(2), while yj-submit waits for the ledger; returns its
 * exit status, its stderr in *err (malloc'd). */
static int
renamed_over_while_it_waits(const struct setup *s, const char *run, const char *from,
                            const char *to, char **err)
{
    char *err_path = path2(s->runs, "submit.stderr");
    int fd = open(s->ledger, O_RDWR | O_CREAT | O_CLOEXEC, 0640), status;
    pid_t pid;

    cr_assert(fd >= 0);
    cr_assert_eq(flock(fd, LOCK_EX), 0);
    pid = submit_waiting_for_the_ledger(s, run, err_path);
    cr_assert_eq(rename(from, to), 0);
    cr_assert_eq(close(fd), 0); /* the lock goes with it */
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    *err = read_file(err_path, NULL);
    free(err_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Test(submit, a_fifo_or_a_file_renamed_over_the_return_after_its_checks_is_not_sent, .timeout = 240)
{
    struct setup s = setup_for("ok", "30", "0.1");
    char *run = yj_run(&s, "2024Q1", NULL, NULL, 0);
    char *xml = path2(run, "return/cld.xml"), *sha = sha_of(xml);
    char *kept = path2(s.runs, "cld.xml.validated"), *other = path2(run, "return/cld.xml.new");
    char *fifo = path2(run, "return/cld.xml.fifo"), *err, detail[512];
    size_t len;
    char *bytes = read_file(xml, &len);
    struct cmd_result r;
    FILE *f;

    detail_stopped(detail, sizeof(detail), xml, sha);
    cr_assert_eq(link(xml, kept), 0);
    /* a FIFO in its place from the start: refused, never opened for reading */
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_assert_eq(rename(fifo, xml), 0);
    r = submit(&s, run, NULL, NULL);
    cr_assert_eq(r.status, 74, "exit %d\n%s", r.status, r.err);
    expect_changed(r.err, xml, "it is not a regular file: it is never sent");
    cmd_result_free(&r);
    cr_assert_eq(rename(kept, xml), 0);
    cr_assert_eq(link(xml, kept), 0);
    /* other bytes of the same size renamed over it once it was checked */
    f = fopen(other, "wb");
    cr_assert(f && fwrite(bytes, 1, len, f) == len && fclose(f) == 0);
    flip_byte(other, (long long)len / 2);
    cr_assert_eq(renamed_over_while_it_waits(&s, run, other, xml, &err), 74, "%s", err);
    expect_changed(err, xml, detail);
    free(err);
    cr_assert_eq(stored(&s), 0, "the receiver stored bytes that were never validated");
    expect_ledger(&s, "send; answer - aborted");
    /* a FIFO renamed over it once it was checked: never opened for reading */
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_assert_eq(renamed_over_while_it_waits(&s, run, fifo, xml, &err), 74, "%s", err);
    expect_changed(err, xml, "it is not a regular file any more: it is never sent");
    free(err);
    expect_ledger(&s, "send; answer - aborted");
    /* the validated file back: sent once */
    cr_assert_eq(rename(kept, xml), 0);
    expect(submit(&s, run, NULL, NULL), 0, "HTTP 201 Created");
    cr_assert_eq(stored(&s), 1);
    expect_ledger(&s, "send; answer - aborted; send; answer 201 received");
    expect_verified(&s);
    free(bytes);
    free(fifo);
    free(other);
    free(kept);
    free(sha);
    free(xml);
    free(run);
}
