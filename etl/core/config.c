/*
 * config.c - INI parsing. Lines are "key = value", "[section]", blank or comments starting
 * with '#' or ';' (also after a value, when preceded by whitespace). Values are trimmed.
 * A duplicate key is an error: the last-wins rule hides mistakes in a file that decides
 * where children's data is sent. Every value is kept as text; the numbers,
 * [return] children_per_part and [submit] deadline and backoff, are also checked and kept as
 * numbers, and so are [run] keep_days and [warehouse] max_age (a duration). [service] yot_ou_code
 * goes into file names and the upload URL, so it is checked here, for every executable: letters,
 * digits, '_' and '-' only. A NUL byte, a UTF-8 byte order mark (textline.h) and a folder given as
 * the file are named (78), never read as something else. The [report] section's suppression
 * policy, custody target and trend length are checked here too, so that a bad one stops a run
 * before any pack is written.
 */
#include "config.h"

#include "mem.h"
#include "textline.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

enum {
    KEY_PLAIN,
    KEY_PATH,
    KEY_CONNINFO,
    KEY_COUNT,
    KEY_YESNO,
    KEY_CODE,
    KEY_SECONDS,
    KEY_DAYS,
    KEY_DURATION,
    KEY_THRESHOLD,
    KEY_ROUND,
    KEY_PERCENT,
    KEY_QUARTERS
};

/* Each key: where its text goes (offset) and, for a number or yes/no, where its value goes
 * (target: an unsigned long for KEY_COUNT, an int for KEY_YESNO, a long for KEY_DAYS,
 * KEY_THRESHOLD, KEY_ROUND and KEY_QUARTERS, a double for KEY_SECONDS, KEY_DURATION and
 * KEY_PERCENT; 0 for none). */
static const struct config_key {
    const char *section;
    const char *key;
    size_t offset;
    int kind;
    size_t target;
} config_keys[] = {
    {"service", "yot_ou_code", offsetof(struct yj_config, yot_ou_code), KEY_CODE, 0},
    {"service", "cms_system", offsetof(struct yj_config, cms_system), KEY_PLAIN, 0},
    {"warehouse", "conninfo", offsetof(struct yj_config, conninfo), KEY_CONNINFO, 0},
    {"warehouse", "max_age", offsetof(struct yj_config, max_age_text), KEY_DURATION,
     offsetof(struct yj_config, max_age)},
    {"warehouse", "work_mem", offsetof(struct yj_config, work_mem), KEY_PLAIN, 0},
    {"return", "mappings", offsetof(struct yj_config, mappings), KEY_PATH, 0},
    {"return", "sql", offsetof(struct yj_config, sql), KEY_PATH, 0},
    {"return", "children_per_part", offsetof(struct yj_config, children_per_part_text), KEY_COUNT,
     offsetof(struct yj_config, children_per_part)},
    {"return", "email_zip", offsetof(struct yj_config, email_zip_text), KEY_YESNO,
     offsetof(struct yj_config, email_zip)},
    {"submit", "url", offsetof(struct yj_config, submit_url), KEY_PLAIN, 0},
    {"submit", "ca_file", offsetof(struct yj_config, ca_file), KEY_PATH, 0},
    {"submit", "cert_file", offsetof(struct yj_config, cert_file), KEY_PATH, 0},
    {"submit", "key_file", offsetof(struct yj_config, key_file), KEY_PATH, 0},
    {"submit", "deadline", offsetof(struct yj_config, deadline_text), KEY_SECONDS,
     offsetof(struct yj_config, submit_deadline)},
    {"submit", "backoff", offsetof(struct yj_config, backoff_text), KEY_SECONDS,
     offsetof(struct yj_config, submit_backoff)},
    {"submit", "proxy", offsetof(struct yj_config, submit_proxy), KEY_PLAIN, 0},
    {"run", "runs_root", offsetof(struct yj_config, runs_root), KEY_PATH, 0},
    {"run", "keep_staged", offsetof(struct yj_config, keep_staged_text), KEY_YESNO,
     offsetof(struct yj_config, keep_staged)},
    {"run", "keep_days", offsetof(struct yj_config, keep_days_text), KEY_DAYS,
     offsetof(struct yj_config, keep_days)},
    {"report", "pack", offsetof(struct yj_config, pack_text), KEY_YESNO,
     offsetof(struct yj_config, pack)},
    {"report", "suppress_threshold", offsetof(struct yj_config, suppress_threshold_text),
     KEY_THRESHOLD, offsetof(struct yj_config, suppress_threshold)},
    {"report", "suppress_round", offsetof(struct yj_config, suppress_round_text), KEY_ROUND,
     offsetof(struct yj_config, suppress_round)},
    {"report", "suppress_secondary", offsetof(struct yj_config, suppress_secondary_text), KEY_YESNO,
     offsetof(struct yj_config, suppress_secondary)},
    {"report", "custody_target_pct", offsetof(struct yj_config, custody_target_text), KEY_PERCENT,
     offsetof(struct yj_config, custody_target_pct)},
    {"report", "quarters", offsetof(struct yj_config, quarters_text), KEY_QUARTERS,
     offsetof(struct yj_config, quarters)},
    {"report", "browser", offsetof(struct yj_config, browser), KEY_PATH, 0},
    {"report", "pdf", offsetof(struct yj_config, pdf_text), KEY_YESNO,
     offsetof(struct yj_config, pdf)},
};

#define NKEYS (sizeof(config_keys) / sizeof(config_keys[0]))

void
config_init(struct yj_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->keep_days = CONFIG_DEFAULT_KEEP_DAYS;
    cfg->suppress_threshold = CONFIG_DEFAULT_SUPPRESS_THRESHOLD;
    cfg->suppress_secondary = 1;
    cfg->custody_target_pct = NAN;
    cfg->quarters = CONFIG_DEFAULT_QUARTERS;
    cfg->pdf = 1;
    cfg->pack = 1;
}

int
config_check_browser(const char *browser, struct yj_error *err)
{
    if (access(browser, X_OK) == 0)
        return YJ_OK;
    yj_error_errno(err, YJ_EX_CONFIG, errno,
                   "could not run the browser '%s' that prints the board pack", browser);
    yj_error_hint(err, "install chromium, name another headless Chromium in [report] browser, "
                       "or set [report] pdf = no");
    return YJ_EX_CONFIG;
}

void
config_release(struct yj_config *cfg)
{
    free(cfg->path);
    for (size_t i = 0; i < NKEYS; i++)
        free(*(char **)((char *)cfg + config_keys[i].offset));
    config_init(cfg);
}

static char *
resolve_path(const char *cfgpath, const char *value)
{
    const char *slash = strrchr(cfgpath, '/');
    size_t dirlen;
    char *out;

    if (value[0] == '/' || !slash)
        return xstrdup(value);
    dirlen = (size_t)(slash - cfgpath);
    out = xmalloc(dirlen + 1 + strlen(value) + 1);
    memcpy(out, cfgpath, dirlen);
    out[dirlen] = '/';
    memcpy(out + dirlen + 1, value, strlen(value) + 1); /* sized above */
    return out;
}

static int
hex_digit(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* S with every %XX decoded (libpq decodes them in a URI's parts, keys and values), malloc'd. */
static char *
percent_decoded(const char *s)
{
    char *out = xmalloc(strlen(s) + 1), *o = out;

    for (; *s; s++) {
        int hi, lo;
        if (s[0] == '%' && (hi = hex_digit((unsigned char)s[1])) >= 0 &&
            (lo = hex_digit((unsigned char)s[2])) >= 0) {
            *o++ = (char)(hi * 16 + lo);
            s += 2;
        } else
            *o++ = *s;
    }
    *o = '\0';
    return out;
}

/* True if CI names a password keyword (password or sslpassword), in any case, at the start
 * of a word or of a URI query parameter, followed by '='. */
static int
names_password_key(const char *ci)
{
    static const char *const keys[] = {"password", "sslpassword"};

    for (const char *p = ci; *p; p++) {
        int at_word_start =
            p == ci || isspace((unsigned char)p[-1]) || p[-1] == '?' || p[-1] == '&';
        if (!at_word_start)
            continue;
        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
            size_t n = strlen(keys[k]);
            const char *q = p + n;
            if (strncasecmp(p, keys[k], n) != 0)
                continue;
            while (isspace((unsigned char)*q))
                q++;
            if (*q == '=')
                return 1;
        }
    }
    return 0;
}

/* True if the libpq conninfo string holds a password: a password= (or sslpassword=) keyword,
 * also percent-encoded (pass%77ord=), or a postgresql:// (postgres://) URI whose user part
 * has a ':' (postgresql://user:secret@host/db). */
static int
conninfo_has_password(const char *ci)
{
    char *decoded = percent_decoded(ci);
    int found = names_password_key(ci) || names_password_key(decoded);

    free(decoded);
    if (!found &&
        (strncasecmp(ci, "postgresql://", 13) == 0 || strncasecmp(ci, "postgres://", 11) == 0)) {
        const char *auth = strstr(ci, "://") + 3;
        size_t len = strcspn(auth, "/?");
        const char *at = NULL;
        for (const char *p = auth; p < auth + len; p++)
            if (*p == '@')
                at = p;
        found = at && memchr(auth, ':', (size_t)(at - auth)) != NULL;
    }
    return found;
}

int
config_require(const char *value, const char *section, const char *key, const char *path,
               struct yj_error *err)
{
    if (value && *value)
        return YJ_OK;
    yj_error_set(err, YJ_EX_CONFIG, "config file '%s': missing [%s] %s", path, section, key);
    return YJ_EX_CONFIG;
}

/* Where in CFG key K's typed value goes. */
#define TARGET(cfg, k, type) ((type *)(void *)((char *)(cfg) + (k)->target))

/* Where a line is, for every message about it. */
struct config_at {
    const char *path;
    int lineno;
    const char *section;
};

/* A section header line S ("[name]"), into SECTION. */
static int
parse_section(char *s, char *section, size_t len, const struct config_at *at, struct yj_error *err)
{
    char *close = strchr(s, ']');
    int known = 0;

    if (!close || close[1] != '\0' || close - s - 1 >= (long)len)
        return yj_error_set(err, YJ_EX_CONFIG, "config file '%s' line %d: malformed section header",
                            at->path, at->lineno);
    *close = '\0';
    snprintf(section, len, "%s", str_trim(s + 1)); /* length checked above */
    for (size_t i = 0; i < NKEYS; i++)
        known |= strcmp(config_keys[i].section, section) == 0;
    if (!known)
        return yj_error_set(err, YJ_EX_CONFIG, "config file '%s' line %d: unknown section '[%s]'",
                            at->path, at->lineno, section);
    return YJ_OK;
}

/* [return] children_per_part: a whole number of children, 1 to the maximum. */
static int
check_count(struct yj_config *cfg, const struct config_key *k, const char *value,
            const struct config_at *at, struct yj_error *err)
{
    size_t nd = strspn(value, "0123456789");
    unsigned long n = 0;

    for (size_t i = 0; i < nd && i < 12; i++)
        n = n * 10 + (unsigned long)(value[i] - '0');
    if (nd == 0 || value[nd] != '\0' || nd > 12 || n < 1 || n > CONFIG_MAX_CHILDREN_PER_PART) {
        yj_error_set(err, YJ_EX_CONFIG,
                     "config file '%s' line %d: [%s] %s must be a whole number "
                     "from 1 to %lu, not '%s'",
                     at->path, at->lineno, at->section, k->key, CONFIG_MAX_CHILDREN_PER_PART,
                     value);
        yj_error_hint(err, "leave the key out to write the return as one cld.xml");
        return YJ_EX_CONFIG;
    }
    *TARGET(cfg, k, unsigned long) = n;
    return YJ_OK;
}

static int
check_yesno(struct yj_config *cfg, const struct config_key *k, const char *value,
            const struct config_at *at, struct yj_error *err)
{
    if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
        return yj_error_set(err, YJ_EX_CONFIG,
                            "config file '%s' line %d: [%s] %s must be yes or no, not '%s'",
                            at->path, at->lineno, at->section, k->key, value);
    *TARGET(cfg, k, int) = strcmp(value, "yes") == 0;
    return YJ_OK;
}

/* [service] yot_ou_code: it names folders and the upload URL. */
static int
check_code(const struct config_key *k, const char *value, const struct config_at *at,
           struct yj_error *err)
{
    if (*value && strlen(value) <= CONFIG_MAX_CODE &&
        strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(value))
        return YJ_OK;
    /* the value is not echoed: it may be anything */
    yj_error_set(err, YJ_EX_CONFIG,
                 "config file '%s' line %d: [%s] %s may hold only letters, digits, "
                 "'_' and '-' (1 to %d of them)",
                 at->path, at->lineno, at->section, k->key, CONFIG_MAX_CODE);
    yj_error_hint(err, "it names folders and the upload URL");
    return YJ_EX_CONFIG;
}

/* [run] keep_days: a whole number of days, 0 (keep every run) to the maximum. */
static int
check_days(struct yj_config *cfg, const struct config_key *k, const char *value,
           const struct config_at *at, struct yj_error *err)
{
    size_t nd = strspn(value, "0123456789");
    long n = 0;

    for (size_t i = 0; i < nd && i < 6; i++)
        n = n * 10 + (value[i] - '0');
    if (nd == 0 || value[nd] != '\0' || nd > 6 || n > CONFIG_MAX_KEEP_DAYS) {
        yj_error_set(err, YJ_EX_CONFIG,
                     "config file '%s' line %d: [%s] %s must be a whole number "
                     "of days from 0 to %ld, not '%s'",
                     at->path, at->lineno, at->section, k->key, CONFIG_MAX_KEEP_DAYS, value);
        yj_error_hint(err, "0 keeps every run; absent, nightly runs are kept %ld days",
                      CONFIG_DEFAULT_KEEP_DAYS);
        return YJ_EX_CONFIG;
    }
    *TARGET(cfg, k, long) = n;
    return YJ_OK;
}

/* [submit] deadline and backoff. */
static int
check_seconds(struct yj_config *cfg, const struct config_key *k, const char *value,
              const struct config_at *at, struct yj_error *err)
{
    char *end = NULL;
    double v;

    errno = 0;
    v = strtod(value, &end);
    if (!*value || !end || *end || errno || !(v >= 0.001 && v <= 86400) ||
        strspn(value, "0123456789.") != strlen(value))
        return yj_error_set(err, YJ_EX_CONFIG,
                            "config file '%s' line %d: [%s] %s must be a number of seconds "
                            "from 0.001 to 86400, not '%s'",
                            at->path, at->lineno, at->section, k->key, value);
    *TARGET(cfg, k, double) = v;
    return YJ_OK;
}

/* [warehouse] max_age: a whole number and a unit, s, m, h or d (36h, 2d), up to
 * CONFIG_MAX_AGE_DAYS days. */
static int
check_duration(struct yj_config *cfg, const struct config_key *k, const char *value,
               const struct config_at *at, struct yj_error *err)
{
    static const struct {
        char unit;
        double seconds;
    } units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
    size_t nd = strspn(value, "0123456789");
    double n = 0;

    for (size_t i = 0; i < nd && i < 9; i++)
        n = n * 10 + (value[i] - '0');
    for (size_t u = 0; nd > 0 && nd <= 9 && n > 0 && value[nd] != '\0' && value[nd + 1] == '\0' &&
                       u < sizeof(units) / sizeof(units[0]);
         u++)
        if (value[nd] == units[u].unit && n * units[u].seconds <= CONFIG_MAX_AGE_DAYS * 86400.0) {
            *TARGET(cfg, k, double) = n * units[u].seconds;
            return YJ_OK;
        }
    yj_error_set(err, YJ_EX_CONFIG,
                 "config file '%s' line %d: [%s] %s must be a whole number and a unit, s, m, h "
                 "or d (36h, 2d), from 1s to %ldd, not '%s'",
                 at->path, at->lineno, at->section, k->key, CONFIG_MAX_AGE_DAYS, value);
    yj_error_hint(err, "leave the key out not to check the warehouse's age");
    return YJ_EX_CONFIG;
}

/* A whole number of at most 9 digits into *N; -1 when VALUE is not one. */
static int
whole(const char *value, long *n)
{
    size_t nd = strspn(value, "0123456789");

    *n = 0;
    if (nd == 0 || nd > 9 || value[nd] != '\0')
        return -1;
    for (size_t i = 0; i < nd; i++)
        *n = *n * 10 + (value[i] - '0');
    return 0;
}

/* [report] suppress_threshold (0 to the maximum), suppress_round (none or 1 to the maximum)
 * and quarters (the trends' length). */
static int
check_report_number(struct yj_config *cfg, const struct config_key *k, const char *value,
                    const struct config_at *at, struct yj_error *err)
{
    long n, lo = k->kind == KEY_THRESHOLD ? 0 : k->kind == KEY_ROUND ? 1 : CONFIG_MIN_QUARTERS;
    long hi = k->kind == KEY_QUARTERS ? CONFIG_MAX_QUARTERS : CONFIG_MAX_SUPPRESS;

    if (k->kind == KEY_ROUND && strcmp(value, "none") == 0) {
        *TARGET(cfg, k, long) = 0;
        return YJ_OK;
    }
    if (whole(value, &n) == 0 && n >= lo && n <= hi) {
        *TARGET(cfg, k, long) = n;
        return YJ_OK;
    }
    yj_error_set(err, YJ_EX_CONFIG,
                 "config file '%s' line %d: [%s] %s must be %sa whole number from %ld to %ld, "
                 "not '%s'",
                 at->path, at->lineno, at->section, k->key, k->kind == KEY_ROUND ? "none or " : "",
                 lo, hi, value);
    if (k->kind == KEY_THRESHOLD)
        yj_error_hint(err, "0 publishes every count; absent, counts from 1 to %ld are hidden",
                      CONFIG_DEFAULT_SUPPRESS_THRESHOLD - 1);
    else if (k->kind == KEY_ROUND)
        yj_error_hint(err, "none (the default) publishes counts unrounded; 5 rounds them to the "
                           "nearest multiple of 5");
    return YJ_EX_CONFIG;
}

/* [report] custody_target_pct: a percentage, 0 to 100, with at most two decimals. */
static int
check_percent(struct yj_config *cfg, const struct config_key *k, const char *value,
              const struct config_at *at, struct yj_error *err)
{
    size_t nd = strspn(value, "0123456789"), nf = 0;
    double v;

    if (value[nd] == '.')
        nf = strspn(value + nd + 1, "0123456789");
    v = strtod(value, NULL);
    if (nd > 0 && nd <= 3 && (value[nd] == '\0' || (nf >= 1 && nf <= 2 && !value[nd + 1 + nf])) &&
        v <= 100) {
        *TARGET(cfg, k, double) = v;
        return YJ_OK;
    }
    return yj_error_set(err, YJ_EX_CONFIG,
                        "config file '%s' line %d: [%s] %s must be a percentage from 0 to 100 "
                        "with at most two decimals (8, 12.5), not '%s'",
                        at->path, at->lineno, at->section, k->key, value);
}

/* VALUE checked for its kind, its typed value set. */
static int
check_value(struct yj_config *cfg, const struct config_key *k, const char *value,
            const struct config_at *at, struct yj_error *err)
{
    switch (k->kind) {
    case KEY_CONNINFO:
        if (!conninfo_has_password(value))
            return YJ_OK;
        yj_error_set(err, YJ_EX_CONFIG,
                     "config file '%s' line %d: a password in conninfo is refused", at->path,
                     at->lineno);
        yj_error_hint(err, "use libpq's password file (PGPASSFILE) or service file "
                           "(PGSERVICE) instead");
        return YJ_EX_CONFIG;
    case KEY_COUNT:
        return check_count(cfg, k, value, at, err);
    case KEY_YESNO:
        return check_yesno(cfg, k, value, at, err);
    case KEY_CODE:
        return check_code(k, value, at, err);
    case KEY_DAYS:
        return check_days(cfg, k, value, at, err);
    case KEY_SECONDS:
        return check_seconds(cfg, k, value, at, err);
    case KEY_DURATION:
        return check_duration(cfg, k, value, at, err);
    case KEY_THRESHOLD:
    case KEY_ROUND:
    case KEY_QUARTERS:
        return check_report_number(cfg, k, value, at, err);
    case KEY_PERCENT:
        return check_percent(cfg, k, value, at, err);
    }
    return YJ_OK;
}

/* One "key = value" line S of section AT->section. */
static int
parse_key(struct yj_config *cfg, char *s, const struct config_at *at, struct yj_error *err)
{
    char *eq = strchr(s, '='), *key, *value, *hash, **slot;
    const char *section = at->section;
    const struct config_key *k = NULL;
    int rc;

    if (!eq)
        return yj_error_set(err, YJ_EX_CONFIG, "config file '%s' line %d: expected key = value",
                            at->path, at->lineno);
    *eq = '\0';
    key = str_trim(s);
    value = eq + 1;
    for (hash = value; (hash = strpbrk(hash, "#;")) != NULL; hash++)
        if (hash > value && isspace((unsigned char)hash[-1])) {
            *hash = '\0';
            break;
        }
    value = str_trim(value);
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(config_keys[i].section, section) == 0 && strcmp(config_keys[i].key, key) == 0)
            k = &config_keys[i];
    if (!k)
        return yj_error_set(
            err, YJ_EX_CONFIG, "config file '%s' line %d: unknown key '%s' in %s%s%s", at->path,
            at->lineno, key, section[0] ? "[" : "no section", section, section[0] ? "]" : "");
    slot = (char **)((char *)cfg + k->offset);
    if (*slot)
        return yj_error_set(err, YJ_EX_CONFIG, "config file '%s' line %d: duplicate key '%s'",
                            at->path, at->lineno, key);
    if ((rc = check_value(cfg, k, value, at, err)) != YJ_OK)
        return rc;
    *slot = k->kind == KEY_PATH && *value ? resolve_path(at->path, value) : xstrdup(value);
    return YJ_OK;
}

int
config_load(struct yj_config *cfg, const char *path, struct yj_error *err)
{
    FILE *f;
    char line[4096];
    char section[64] = "";
    struct config_at at = {path, 0, section};
    int rc = YJ_OK;
    struct stat st;
    int got;

    f = fopen(path, "r");
    if (!f)
        return yj_error_errno(err, YJ_EX_CONFIG, errno, "could not open config file '%s'", path);
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        /* fopen() opens a folder for reading; only the first read fails (EISDIR, 74) */
        fclose(f);
        return yj_error_errno(err, YJ_EX_CONFIG, EISDIR, "could not open config file '%s'", path);
    }
    cfg->path = xstrdup(path);
    while ((got = textline_read(f, line, sizeof(line), at.lineno + 1, 0)) == TEXTLINE_OK) {
        char *s;

        at.lineno++;
        s = str_trim(line);
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        rc = *s == '[' ? parse_section(s, section, sizeof(section), &at, err)
                       : parse_key(cfg, s, &at, err);
        if (rc != YJ_OK)
            goto done;
    }
    if (got == TEXTLINE_ERROR)
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read config file '%s'", path);
    else if (got != TEXTLINE_EOF) {
        rc = yj_error_set(err, YJ_EX_CONFIG, "config file '%s' line %d: %s", path, at.lineno + 1,
                          textline_problem(got));
        if (textline_hint(got))
            yj_error_hint(err, "%s", textline_hint(got));
    }
done:
    fclose(f);
    return rc;
}
