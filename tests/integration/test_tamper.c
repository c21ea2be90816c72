/*
 * test_tamper.c - yj-run --verify against someone who can write the runs root
 * (docs/design.md "Run seal" says what it can and cannot detect).
 *
 * The tamper table: every kind of file of a submitted run (each kind of key of the staged,
 * return and KPI manifests, a finding and a header line of the validation report, the
 * receipt's header lines, every line of RUN, a KPI CSV and a staged file each re-hashed in
 * their own MANIFEST) gets a one-change edit (the last character of one line), and --verify
 * must exit 74 printing exactly the problem lines the documented hashes give: computed here
 * with sha256sum from the files as edited (forge.h), never by the product's code. Then the
 * consistent forgery: a date of birth moved in cld.xml and every hash after it recomputed,
 * the ledger re-chained. --verify alone passes it (its documented limit, pinned);
 * --verify --receiver names the ledger line whose upload the receiver does not hold.
 */
#include "forge.h"
#include "support.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERIOD "2023Q4"

struct root {
    char *conf, *runs, *run; /* the runs root and the one submitted run in it */
};

/* One run of PERIOD, submitted, its staged files kept, into a new runs root. */
static struct root
submitted_run(const char *tag)
{
    struct root t;
    char *dir = temp_dir(tag), *keep = malloc(4096), *sign_off = sign_off_for(PERIOD);
    struct cmd_result r;

    t.runs = path2(dir, "runs");
    t.conf = config_variant(tag, "runs_root", t.runs, "keep_staged", "yes", NULL);
    {
        const char *argv[] = {"yj-run",   "--config",   t.conf,   "--period", PERIOD,
                              "--submit", "--sign-off", sign_off, NULL};
        r = run_cmd(argv);
    }
    cr_assert_eq(r.status, 0, "yj-run exit %d; stderr:\n%s", r.status, r.err);
    t.run = strndup(r.out, strcspn(r.out, "\n"));
    cmd_result_free(&r);
    free(sign_off);
    free(keep);
    free(dir);
    return t;
}

static struct cmd_result
verify(const char *conf, const char *runs_root)
{
    const char *plain[] = {"yj-run", "--verify", runs_root, NULL};
    const char *receiver[] = {"yj-run",     "--config", conf, "--verify",
                              "--receiver", runs_root,  NULL};
    return run_cmd(conf ? receiver : plain);
}

/* A one-change edit of a character. */
static char
other(char c)
{
    if ((c >= '0' && c < '9') || (c >= 'a' && c < 'z') || (c >= 'A' && c < 'Z'))
        return (char)(c + 1);
    if (c == '9')
        return '0';
    if (c == 'z')
        return 'a';
    if (c == 'Z')
        return 'A';
    return c == 'x' ? 'y' : 'x';
}

/* Changes the last character of the first line of PATH starting with PREFIX (NULL: the last
 * line). */
static void
edit_line(const char *path, const char *prefix)
{
    size_t len;
    char *text = read_file(path, &len), *line = NULL, *nl;

    cr_assert(text && len > 1, "cannot read %s", path);
    if (!prefix) {
        text[len - 1] = '\0'; /* the last line's newline */
        line = strrchr(text, '\n') ? strrchr(text, '\n') + 1 : text;
        text[len - 1] = '\n';
    } else if (strncmp(text, prefix, strlen(prefix)) == 0)
        line = text;
    else {
        char want[1024];
        snprintf(want, sizeof(want), "\n%s", prefix);
        line = strstr(text, want);
        cr_assert(line, "%s has no line '%s'", path, prefix);
        line++;
    }
    nl = strchr(line, '\n');
    cr_assert(nl && nl > line, "%s: an empty line", path);
    nl[-1] = other(nl[-1]);
    {
        FILE *f = fopen(path, "wb");
        cr_assert(f);
        fwrite(text, 1, len, f);
        fclose(f);
    }
    free(text);
}

struct saved {
    char *path, *bytes;
    size_t len;
};

static struct saved
save(const char *path)
{
    struct saved s = {strdup(path), NULL, 0};
    s.bytes = read_file(path, &s.len);
    cr_assert(s.bytes, "cannot read %s", path);
    return s;
}

static void
restore(struct saved *s)
{
    FILE *f = fopen(s->path, "wb");
    cr_assert(f);
    fwrite(s->bytes, 1, s->len, f);
    fclose(f);
    free(s->bytes);
    free(s->path);
}

struct out {
    char *text;
    size_t len;
    int problems;
};

static void say(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(struct out *o, const char *fmt, ...)
{
    va_list ap;
    char line[16384];

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    o->text = realloc(o->text, o->len + strlen(line) + 1);
    strcpy(o->text + o->len, line);
    o->len += strlen(line);
    o->problems += strncmp(line, "problem ", 8) == 0;
}

/* The manifest MREL names, by its KEY, the SHA-256 of the manifest OFREL. */
static void
expect_input(struct out *o, const char *run, const char *mrel, const char *key, const char *ofrel)
{
    char *m = path2(run, mrel), *of = path2(run, ofrel);
    int line;
    char *want = forge_get(m, key, &line), *now = forge_file_sha256(of);

    if (strcmp(want, now) != 0)
        say(o, "problem %s: sha256 %s; %s line %d says %s %s\n", of, now, m, line, key, want);
    free(want);
    free(now);
    free(of);
    free(m);
}

/* What --verify prints for the runs root COPY (its run RUN), from the documented hashes of
 * the files as they are: RUN's record_sha256, each sealed line, the seal, the manifests'
 * input hashes, each ledger entry's seal; then the summary, SUMMARY (its start, "verified 1
 * run, N files, ledger checked") with the number of problems. */
static char *
expected(const char *copy, const char *run, const char *summary)
{
    struct out o = {calloc(1, 1), 0, 0};
    char *runfile = path2(run, "RUN"), *text = read_file(runfile, NULL), *have, *now;
    int line = 0;

    have = forge_get(runfile, "record_sha256", &line);
    now = forge_record_of(run);
    if (strcmp(have, now) != 0)
        say(&o,
            "problem %s line %d: record_sha256 %s, but its other lines give %s: a line of RUN "
            "was changed\n",
            runfile, line, have, now);
    free(have);
    free(now);
    line = 0;
    for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
        line++;
        if (strncmp(l, "sealed.", 7) == 0) {
            char *sp = strchr(l, ' '), *file;
            *sp = '\0';
            file = path2(run, l + 7);
            now = forge_file_sha256(file);
            if (strcmp(now, sp + 1) != 0)
                say(&o, "problem %s: sha256 %s; %s line %d says %s\n", file, now, runfile, line,
                    sp + 1);
            free(now);
            free(file);
        }
    }
    have = forge_get(runfile, "seal", &line);
    now = forge_seal_of_record(run);
    if (strcmp(have, now) != 0)
        say(&o, "problem %s line %d: seal %s, but its sealed lines give %s\n", runfile, line, have,
            now);
    free(have);
    free(now);
    expect_input(&o, run, "return/MANIFEST", "input_manifest_sha256", "staged/MANIFEST");
    expect_input(&o, run, "kpi/MANIFEST", "return_manifest_sha256", "return/MANIFEST");
    {
        char *ledger = path2(copy, "ledger"), *ltext = read_file(ledger, NULL);
        char *folder = forge_seal_of_folder(run);
        int n = 0;
        cr_assert(ltext);
        for (char *l = strtok(ltext, "\n"); l; l = strtok(NULL, "\n")) {
            char *seal = strstr(l, " seal=");
            n++;
            cr_assert(seal, "%s line %d has no seal", ledger, n);
            if (strncmp(seal + 6, folder, 64) != 0)
                say(&o,
                    "problem %s line %d: seal %.64s, but the manifests and reports of %s give "
                    "%s\n",
                    ledger, n, seal + 6, run, folder);
        }
        free(folder);
        free(ltext);
        free(ledger);
    }
    say(&o, "%s: %d problem%s, 0 incomplete\n", summary, o.problems, o.problems == 1 ? "" : "s");
    free(text);
    free(runfile);
    return o.text;
}

/* One edit of the table: the first line of FILE starting with PREFIX (NULL: its last line)
 * changed, then FILE re-hashed in the manifest REHASH when given. */
struct edit {
    char *file;
    char *prefix;
    const char *rehash;
};

static int
run_edit(const char *copy, const char *run, const char *summary, const struct edit *e)
{
    char *path = path2(run, e->file), *mpath = e->rehash ? path2(run, e->rehash) : NULL;
    struct saved s1 = save(path), s2 = {0};
    struct cmd_result r;
    char *want;
    int problems;

    if (mpath)
        s2 = save(mpath);
    edit_line(path, e->prefix);
    if (mpath)
        forge_rehash_file(mpath, strchr(e->file, '/') + 1);
    want = expected(copy, run, summary);
    r = verify(NULL, copy);
    problems = strstr(want, "problem ") != NULL;
    cr_assert(problems, "%s '%s': the edit gives no problem line at all", e->file,
              e->prefix ? e->prefix : "(last line)");
    cr_assert_eq(r.status, 74, "%s '%s': exit %d\n%s", e->file, e->prefix ? e->prefix : "",
                 r.status, r.out);
    cr_assert_str_eq(r.out, want, "%s '%s'", e->file, e->prefix ? e->prefix : "(last line)");
    cmd_result_free(&r);
    free(want);
    restore(&s1);
    if (mpath)
        restore(&s2);
    free(mpath);
    free(path);
    return 1;
}

/* Adds to the table one edit per kind of key (the key up to its first '.') of the manifest
 * REL, or with EVERY_KEY one per line but the first (RUN). */
static void
add_keys(struct edit **t, size_t *n, const char *run, const char *rel, int every_key)
{
    char *path = path2(run, rel), *text = read_file(path, NULL);
    char **kinds = NULL;
    size_t nk = 0;

    cr_assert(text, "%s", path);
    for (char *l = strtok(strchr(text, '\n') + 1, "\n"); l; l = strtok(NULL, "\n")) {
        size_t klen = strcspn(l, " "), kind = every_key ? klen : strcspn(l, ". ");
        int seen = 0;
        if (strncmp(l, "file ", 5) == 0)
            continue;
        for (size_t k = 0; k < nk && !seen; k++)
            seen = strlen(kinds[k]) == kind && strncmp(kinds[k], l, kind) == 0;
        if (seen)
            continue;
        kinds = realloc(kinds, (nk + 1) * sizeof(char *));
        kinds[nk++] = strndup(l, kind);
        *t = realloc(*t, (*n + 1) * sizeof(**t));
        (*t)[*n].file = strdup(rel);
        (*t)[*n].prefix = strndup(l, klen + 1); /* "key " */
        (*t)[(*n)++].rehash = NULL;
    }
    for (size_t k = 0; k < nk; k++)
        free(kinds[k]);
    free(kinds);
    free(text);
    free(path);
}

Test(tamper, every_kind_of_file_of_a_run_edited_once_is_a_problem, .timeout = 800)
{
    struct root t = submitted_run("tamper");
    char *copy_dir = temp_dir("tamper-copy"), *copy = path2(copy_dir, "runs"), *run, *summary;
    struct cmd_result r;
    struct edit *table = NULL;
    size_t n = 0, manifest_keys = 0, run_fields = 0;
    static const struct edit fixed[] = {
        /* the validation report: a finding, its header lines */
        {"validate/report.txt", "line ", NULL},
        {"validate/report.txt", "schema ", NULL},
        {"validate/report.txt", "rules ", NULL},
        {"validate/report.txt", "queries ", NULL},
        /* the receipt: its header lines and the receiver's answer */
        {"submit/receipt", "url ", NULL},
        {"submit/receipt", "http_status ", NULL},
        {"submit/receipt", "received_by ", NULL},
        {"submit/receipt", "submission ", NULL},
        {"submit/receipt", "submitted_at ", NULL},
        {"submit/receipt", "HTTP/1.1 ", NULL},
        {"submit/receipt", "Date: ", NULL},
        {"submit/receipt", "--- response body", NULL},
        /* data files re-hashed in their own MANIFEST, so that it still lists them right */
        {"kpi/headline.csv", NULL, "kpi/MANIFEST"},
        {"kpi/kpi9_sv.csv", NULL, "kpi/MANIFEST"},
        {"staged/person.tsv", NULL, "staged/MANIFEST"},
        {"staged/offence.tsv", NULL, "staged/MANIFEST"},
    };

    copy_tree(t.runs, copy);
    run = malloc(strlen(copy) + strlen(t.run) + 1);
    sprintf(run, "%s%s", copy, t.run + strlen(t.runs));
    /* untouched, it verifies: the summary every edit's is measured against */
    r = verify(NULL, copy);
    cr_assert_eq(r.status, 0, "exit %d\n%s\n%s", r.status, r.out, r.err);
    cr_assert(strncmp(r.out, "verified 1 run, ", 16) == 0 && !strchr(r.out, '\n')[1], "%s", r.out);
    summary = strndup(r.out, (size_t)(strstr(r.out, ": 0 problems") - r.out));
    cmd_result_free(&r);

    add_keys(&table, &n, run, "staged/MANIFEST", 0);
    add_keys(&table, &n, run, "return/MANIFEST", 0);
    add_keys(&table, &n, run, "kpi/MANIFEST", 0);
    manifest_keys = n;
    add_keys(&table, &n, run, "RUN", 1);
    run_fields = n - manifest_keys;
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        table = realloc(table, (n + 1) * sizeof(*table));
        table[n].file = strdup(fixed[i].file);
        table[n].prefix = fixed[i].prefix ? strdup(fixed[i].prefix) : NULL;
        table[n++].rehash = fixed[i].rehash;
    }
    for (size_t i = 0; i < n; i++)
        run_edit(copy, run, summary, &table[i]);
    /* the table covered what it says it does */
    cr_assert_geq(manifest_keys, 30, "%zu kinds of manifest key", manifest_keys);
    cr_assert_geq(run_fields, 25, "%zu RUN lines", run_fields);
    fprintf(stderr,
            "tamper test: %zu one-change edits (%zu kinds of manifest key, %zu RUN lines, "
            "%zu report, receipt and re-hashed data files), each a problem, exit 74\n",
            n, manifest_keys, run_fields, n - manifest_keys - run_fields);
    for (size_t i = 0; i < n; i++) {
        free(table[i].file);
        free(table[i].prefix);
    }
    free(table);
    free(summary);
    free(run);
    free(copy);
    free(copy_dir);
}

/* Replaces every FROM in PATH by TO. */
static void
replace_in_file(const char *path, const char *from, const char *to)
{
    char *text;
    while ((text = read_file(path, NULL)) != NULL && strstr(text, from)) {
        free(text);
        forge_replace(path, from, to);
    }
    free(text);
}

Test(tamper, a_consistent_forgery_passes_verify_and_is_caught_at_the_receiver)
{
    struct root t = submitted_run("tamper-forgery");
    char *copy_dir = temp_dir("tamper-forgery-copy"), *copy = path2(copy_dir, "runs"), *run;
    char *xml, *text, *dob, *old, *now, *old_seal, *new_seal, *clean, want[8192];
    char *ret_manifest, *kpi_manifest, *runfile, *ledger;
    struct cmd_result r;

    copy_tree(t.runs, copy);
    run = malloc(strlen(copy) + strlen(t.run) + 1);
    sprintf(run, "%s%s", copy, t.run + strlen(t.runs));
    xml = path2(run, "return/cld.xml");
    ret_manifest = path2(run, "return/MANIFEST");
    kpi_manifest = path2(run, "kpi/MANIFEST");
    runfile = path2(run, "RUN");
    ledger = path2(copy, "ledger");
    r = verify(NULL, copy);
    cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.out);
    clean = strdup(r.out);
    cmd_result_free(&r);
    /* the untouched runs root holds at the receiver too; a name the ledger records as
     * received twice (a second yj-submit of the run: "already") is asked for once */
    {
        char *ledger0 = path2(t.runs, "ledger");
        const char *argv[] = {"yj-submit", "--config", t.conf,  "--run-dir",
                              t.run,       "--ledger", ledger0, NULL};
        r = run_cmd(argv);
        cr_assert_eq(r.status, 0, "yj-submit again: exit %d\n%s", r.status, r.err);
        cmd_result_free(&r);
        free(ledger0);
    }
    r = verify(t.conf, t.runs);
    cr_assert_eq(r.status, 0, "exit %d\n%s\n%s", r.status, r.out, r.err);
    cr_assert(strstr(r.out, ", ledger checked, and at the receiver: 0 problems, 0 incomplete\n"),
              "%s", r.out);
    cr_assert(strstr(r.err, " yj-run: verify: asked the receiver for 1 name\n"), "%s", r.err);
    cmd_result_free(&r);

    /* a date of birth moved by a day (its last digit), then every hash that names it */
    old = forge_file_sha256(xml);
    text = read_file(xml, NULL);
    dob = strstr(text, "<dateOfBirth>");
    cr_assert(dob, "no dateOfBirth in %s", xml);
    {
        char from[64], to[64];
        snprintf(from, sizeof(from), "%.23s<", dob);
        snprintf(to, sizeof(to), "%.22s%c<", dob, dob[22] == '1' ? '2' : '1');
        cr_assert(strcmp(from, to) != 0);
        forge_replace(xml, from, to);
    }
    free(text);
    now = forge_file_sha256(xml);
    forge_rehash_file(ret_manifest, "cld.xml");
    replace_in_file(path2(run, "validate/report.txt"), old, now);
    replace_in_file(path2(run, "submit/receipt"), old, now);
    {
        char *h = forge_file_sha256(ret_manifest);
        forge_set(kpi_manifest, "return_manifest_sha256", h);
        free(h);
    }
    old_seal = forge_get(runfile, "seal", NULL);
    forge_reseal(run);
    new_seal = forge_get(runfile, "seal", NULL);
    forge_ledger(ledger, old, now);
    forge_ledger(ledger, old_seal, new_seal);

    /* what --verify can see: nothing (docs/design.md "Run seal": what it cannot detect) */
    r = verify(NULL, copy);
    cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.out);
    cr_assert_str_eq(r.out, clean);
    cmd_result_free(&r);
    /* the receiver never received the forged bytes: their name is not there */
    r = verify(t.conf, copy);
    cr_assert_eq(r.status, 74, "exit %d\n%s\n%s", r.status, r.out, r.err);
    snprintf(want, sizeof(want),
             "problem %s line 2: the receiver does not hold %sMEDWAY-" PERIOD
             "-%s.xml (HTTP 404): the ledger says it received these bytes\n"
             "%.*s, ledger checked, and at the receiver: 1 problem, 0 incomplete\n",
             ledger, env_get("YJ_TEST_URL"), now, (int)(strstr(clean, ", ledger checked") - clean),
             clean);
    cr_assert_str_eq(r.out, want);
    cmd_result_free(&r);
    /* a receiver that cannot be reached: the names are not asked for, 69 */
    {
        char *closed = config_variant("tamper-closed", "url", "https://127.0.0.1:1/upload/", NULL);
        r = verify(closed, t.runs);
        cr_assert_eq(r.status, 69, "exit %d\n%s\n%s", r.status, r.out, r.err);
        cr_assert_str_eq(r.out, clean);
        cr_assert(strstr(r.err, " yj-run: error: could not ask the receiver for "
                                "'https://127.0.0.1:1/upload/MEDWAY-" PERIOD "-"),
                  "%s", r.err);
        cmd_result_free(&r);
        free(closed);
    }
    free(old);
    free(now);
    free(old_seal);
    free(new_seal);
    free(clean);
    free(ledger);
    free(runfile);
    free(kpi_manifest);
    free(ret_manifest);
    free(xml);
    free(run);
    free(copy);
    free(copy_dir);
}
