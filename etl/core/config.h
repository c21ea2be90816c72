/*
 * config.h - the INI configuration shared by every stage.
 *
 * One table (config.c) lists every section and key: parsing, unknown-key errors and path
 * resolution all follow it. Secrets never live here: a conninfo with a password is refused
 * (also written with percent-escapes, or in a postgresql:// URI's user part or query), and
 * libpq's PGPASSFILE/PGSERVICE carry credentials instead. Relative paths are resolved
 * against the folder of the config file. All strings are owned by the struct and freed by
 * config_release().
 */
#ifndef YJ_CONFIG_H
#define YJ_CONFIG_H

#include "error.h"

struct yj_config {
    char *path;        /* the config file as given */
    char *yot_ou_code; /* [service] */
    char *cms_system;
    char *conninfo;     /* [warehouse] */
    char *max_age_text; /* [warehouse] max_age as written (36h, 2d); NULL when absent */
    double max_age;     /* from it, in seconds: the oldest the warehouse's newest recorded change
                           may be (yj-run's preflight); 0: not checked */
    char *work_mem;     /* [warehouse] work_mem of yj-extract's transaction as written (64MB);
                           NULL when absent: CONFIG_DEFAULT_WORK_MEM */
    char *mappings;     /* [return] */
    char *sql;
    char *children_per_part_text;    /* as written; NULL when absent */
    unsigned long children_per_part; /* from it: 1..CONFIG_MAX_CHILDREN_PER_PART, 0: no split */
    char *email_zip_text;            /* [return] email_zip as written: yes or no */
    int email_zip;                   /* 1: also write cld.zip, the email fallback */
    char *submit_url;                /* [submit] */
    char *ca_file;
    char *cert_file;
    char *key_file;
    char *deadline_text;    /* [submit] deadline as written; NULL when absent */
    double submit_deadline; /* seconds a submission may take in all, retries included; 0: the
                               default (CONFIG_DEFAULT_DEADLINE) */
    char *backoff_text;     /* [submit] backoff as written */
    double submit_backoff;  /* seconds before the first retry (doubling, with jitter); 0: the
                               default (CONFIG_DEFAULT_BACKOFF) */
    char *submit_proxy;     /* [submit] proxy: the upload's proxy URL, or "none"; NULL when
                               absent (none: the environment's proxies are never used) */
    char *runs_root;        /* [run] */
    char *keep_staged_text; /* [run] keep_staged as written: yes or no (default) */
    int keep_staged;        /* 1: keep the staged .tsv files of a run that succeeded */
    char *keep_days_text;   /* [run] keep_days as written; NULL when absent */
    long keep_days;         /* from it: nightly run folders older than this many days are pruned; 0:
                               never; CONFIG_DEFAULT_KEEP_DAYS when absent */
    char *pack_text;        /* [report] pack as written: yes or no */
    int pack;               /* 1 (default): yj-run writes the board pack (its report stage) */
    char *suppress_threshold_text; /* [report] suppress_threshold as written; NULL when absent */
    long suppress_threshold;       /* from it: a published count with 0 < n < this is shown as
                                      [c]; 0: none; CONFIG_DEFAULT_SUPPRESS_THRESHOLD when absent */
    char *suppress_round_text;     /* [report] suppress_round as written: none or a base */
    long suppress_round;           /* from it: published counts rounded to a multiple; 0: none */
    char *suppress_secondary_text; /* [report] suppress_secondary as written: yes or no */
    int suppress_secondary;        /* 1 (default): hide a second count where a total would give
                                      a hidden one back */
    char *custody_target_text;     /* [report] custody_target_pct as written */
    double custody_target_pct;     /* from it: 0 to 100; NAN when absent (no target) */
    char *quarters_text;           /* [report] quarters as written */
    long quarters;  /* from it: the trends' quarters; CONFIG_DEFAULT_QUARTERS when absent */
    char *browser;  /* [report] browser: the headless Chromium that prints the PDF; NULL when
                       absent: CONFIG_DEFAULT_BROWSER */
    char *pdf_text; /* [report] pdf as written: yes or no */
    int pdf;        /* 1 (default): print pack.pdf beside pack.html */
};

/* The largest [return] children_per_part accepted. */
#define CONFIG_MAX_CHILDREN_PER_PART 10000000UL
/* The longest [service] yot_ou_code. */
#define CONFIG_MAX_CODE 32
/* [submit] deadline and backoff when absent, in seconds. */
#define CONFIG_DEFAULT_DEADLINE 300.0
#define CONFIG_DEFAULT_BACKOFF 2.0
/* [run] keep_days when absent, and its largest value. */
#define CONFIG_DEFAULT_KEEP_DAYS 30L
#define CONFIG_MAX_KEEP_DAYS 36500L
/* [warehouse] work_mem when absent: PostgreSQL's memory per sort or hash of an extract query. */
#define CONFIG_DEFAULT_WORK_MEM "64MB"
/* The largest [warehouse] max_age, in days. */
#define CONFIG_MAX_AGE_DAYS 3650L

/* [report] defaults and limits. */
#define CONFIG_DEFAULT_SUPPRESS_THRESHOLD 5L
#define CONFIG_MAX_SUPPRESS 1000L /* the largest threshold and rounding base */
#define CONFIG_DEFAULT_QUARTERS 8L
#define CONFIG_MIN_QUARTERS 2L
#define CONFIG_MAX_QUARTERS 40L
#define CONFIG_DEFAULT_BROWSER "/usr/bin/chromium"

void config_init(struct yj_config *cfg);
/* Loads and checks the file. Errors name the file and line: YJ_EX_CONFIG or YJ_EX_NOINPUT. */
int config_load(struct yj_config *cfg, const char *path, struct yj_error *err);
/* Fails with YJ_EX_CONFIG naming the missing "[section] key" when value is NULL. */
int config_require(const char *value, const char *section, const char *key, const char *path,
                   struct yj_error *err);
void config_release(struct yj_config *cfg);
/* YJ_OK when BROWSER ([report] browser, or CONFIG_DEFAULT_BROWSER) can be run; else
 * YJ_EX_CONFIG naming it, with a hint: what yj-report's PDF step and yj-run's preflight say. */
int config_check_browser(const char *browser, struct yj_error *err);

#endif
