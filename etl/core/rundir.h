/*
 * rundir.h - the one description of a runs root and of a run directory.
 *
 * Every folder and file yjreturns keeps under a runs root is a row of one table
 * (rundir.c): where it lives, relative to the run directory or to the runs root, its mode,
 * which executable writes it and what it holds. Code asks this module for a path or a mode
 * instead of spelling either; the README's picture of a run directory is printed from the
 * same table (rundir_describe()), and a test holds the two together.
 *
 *   RUNS_ROOT/ledger                          the submission ledger (0640)
 *   RUNS_ROOT/<yot>/<period>.lock             the service-and-period lock (0640)
 *   RUNS_ROOT/<yot>/<period>/<stamp>/         one run directory (0750)
 *   RUNS_ROOT/<yot>/<period>/latest           a symbolic link to the newest complete run
 *
 * Names of documents: a return is cld.xml or the parts cld-part-NNNN.xml; the files kept per
 * document (validation reports, receipts) are BASE EXT or BASE-NNNN EXT
 * (manifest_part_file()).
 */
#ifndef YJ_RUNDIR_H
#define YJ_RUNDIR_H

#include "error.h"

#include <dirent.h>
#include <stdio.h>

/* Names the code needs as constants; the table below is built from them. */
#define RUNDIR_MANIFEST "MANIFEST"     /* each stage's manifest, in its folder */
#define RUNDIR_RETURN_XML "cld.xml"    /* the return, one document */
#define RUNDIR_PART_PREFIX "cld-part-" /* the parts: cld-part-0001.xml ... */
#define RUNDIR_PART_FORMAT "cld-part-%04u.xml"
#define RUNDIR_MAX_PARTS 9999                /* four digits keep the names in part order */
#define RUNDIR_RETURN_ZIP "cld.zip"          /* the email fallback */
#define RUNDIR_RETURN_ERRORS "errors.txt"    /* transform errors, with values */
#define RUNDIR_SERVICE "service"             /* staged/service/ */
#define RUNDIR_ANSWER_FORMAT "answer-%06llu" /* submit/: a kept answer, by ledger entry */
#define RUNDIR_RERUN_PREFIX "rerun-"         /* a rerun\'s folder: rerun-<stamp> */
#define RUNDIR_LATEST "latest"               /* RUNS_ROOT/<yot>/<period>/latest */

/* Where a row lives. */
enum rundir_base {
    RUNDIR_IN_RUN,  /* relative to a run directory */
    RUNDIR_IN_ROOT, /* relative to the runs root */
};

/* Every folder and file of a runs root. Folders first, then files, by stage. */
enum rundir_id {
    RD_STAGED_DIR,
    RD_STAGED_SERVICE_DIR,
    RD_RETURN_DIR,
    RD_VALIDATE_DIR,
    RD_KPI_DIR,
    RD_SUBMIT_DIR,
    RD_REPORT_DIR,
    RD_RUN_FILE,
    RD_STAGED_MANIFEST,
    RD_STAGED_TSV,
    RD_STAGED_SERVICE_TSV,
    RD_RETURN_MANIFEST,
    RD_RETURN_XML,
    RD_RETURN_PART,
    RD_RETURN_ZIP,
    RD_RETURN_ERRORS,
    RD_VALIDATE_REPORT,
    RD_KPI_MANIFEST,
    RD_KPI_TEMPLATE,
    RD_KPI_HEADLINE,
    RD_KPI_CASES,
    RD_KPI_WORKLIST,
    RD_KPI_WORKLIST_TXT,
    RD_KPI_RECORDING,
    RD_SUBMIT_RECEIPT,
    RD_SUBMIT_ANSWER,
    RD_SUBMIT_CORRECTION,
    RD_REPORT_MANIFEST,
    RD_REPORT_FTE,
    RD_REPORT_CUSTODY,
    RD_REPORT_REOFFENDING,
    RD_REPORT_ETHNICITY,
    RD_REPORT_OFFENCE_TYPES,
    RD_REPORT_CASES,
    RD_REPORT_TREND_KPI,
    RD_REPORT_TREND_RECORDING,
    RD_REPORT_HTML,
    RD_REPORT_PDF,
    RD_RERUN_DIR,
    RD_RERUN_FILE,
    RD_RERUN_DIFF,
    RD_LEDGER,
    RD_LEDGER_DIRTY,
    RD_LOCK,
    RD_LATEST,
    RD_COUNT
};

/* Where a file says which format (and version) it holds. */
enum rundir_carry {
    RUNDIR_FMT_NONE, /* nowhere: a folder, or a file whose format cannot carry a line (below) */
    RUNDIR_FMT_LINE, /* its first line is the format, "<name> <version>" */
    RUNDIR_FMT_KEY,  /* a line "format.<name> <version>" of its folder's MANIFEST (or RERUN,
                        or the receipts of submit/): the CSV files an analyst opens in a
                        spreadsheet, the staged TSVs */
    RUNDIR_FMT_ROOT, /* an XML return: the root cldReturn, namespace urn:yjreturns:cld:schema-N
                        and schemaVersion N, N the bundle's schema version */
};

struct rundir_entry {
    enum rundir_id id;
    enum rundir_base base;
    const char *path;   /* relative path; a pattern (<entity>, NNNN, <stamp>) where it varies */
    int mode;           /* file or folder mode */
    int is_dir;         /* 1 for a folder */
    const char *writer; /* the executable that writes it */
    const char *what;   /* one line: what it holds */
    enum rundir_carry carry;
    const char *format; /* "<name> <version>" (NULL for a folder) */
};

/* The format name of every manifest-format file (MANIFEST, RUN, RERUN). */
#define RUNDIR_MANIFEST_FORMAT "yjreturns-manifest"
/* The key prefix of a RUNDIR_FMT_KEY format in a MANIFEST or RERUN: format.<name> <version>. */
#define RUNDIR_FORMAT_KEY "format."

/* The mode of every folder yjreturns makes under a runs root. */
#define RUNDIR_DIR_MODE 0750
/* A file that may quote a value from the warehouse (a code, a date of birth). */
#define RUNDIR_PRIVATE_MODE 0600
/* A file without personal data, readable by the service's group. */
#define RUNDIR_GROUP_MODE 0640
/* A file without personal data meant to be read and published. */
#define RUNDIR_PUBLIC_MODE 0644
/* A symbolic link (its own mode is not used: access is that of what it points to). */
#define RUNDIR_LINK_MODE 0777

/* The row of id; never NULL for a valid id. */
const struct rundir_entry *rundir_entry(enum rundir_id id);
/* The mode of id's file or folder. */
int rundir_mode(enum rundir_id id);
/* BASE/<path of id> (malloc'd), for a row whose path is fixed (not a pattern). BASE is the run
 * directory or the runs root, as the row says. */
char *rundir_path(const char *base, enum rundir_id id);
/* The name of id's row inside its folder, e.g. "MANIFEST" for RD_RETURN_MANIFEST. */
const char *rundir_name(enum rundir_id id);

/* The file kept for DOCUMENT (cld.xml, or a part cld-part-NNNN.xml) in DIR, by the pattern of
 * row ID (RD_VALIDATE_REPORT, RD_SUBMIT_RECEIPT): DIR/report.txt or DIR/report-NNNN.txt
 * (malloc'd). DIR is the row's folder of a run directory. */
char *rundir_part_file(const char *dir, enum rundir_id id, const char *document);

/* RUNS_ROOT/<yot>/<period> (malloc'd). */
char *rundir_period_dir(const char *runs_root, const char *yot, const char *period);
/* 1 when NAME is a period folder's name (YYYYQn). */
int rundir_is_period_name(const char *name);
/* scandir() filters and a test the run folders' walkers share: not a dot file; a folder. */
int rundir_not_dot(const struct dirent *d);
int rundir_is_dir(const char *path);
/* scandir() filter: a period folder (YYYYQn). */
int rundir_period_filter(const struct dirent *d);
/* scandir() filter of a period folder's entries that may be runs: not a dot file, not the
 * period's latest link (RD_LATEST, which names one of them again). */
int rundir_run_filter(const struct dirent *d);
/* Calls FN(period_dir, ARG) for every folder RUNS_ROOT/<yot>/<period>/ (a period's name,
 * YYYYQn), services and periods in name order; stops at the first FN that returns non-zero
 * and returns that value, else 0. */
int rundir_each_period(const char *runs_root, int (*fn)(const char *period_dir, void *arg),
                       void *arg);
/* rundir_each_period(), a service's periods the newest first when NEWEST_FIRST. */
int rundir_each_period_ordered(const char *runs_root, int newest_first,
                               int (*fn)(const char *period_dir, void *arg), void *arg);
/* 1 when NAME is a run folder's stamp YYYYMMDDTHHMMSSZ, optionally followed by -n. */
int rundir_is_stamp(const char *name);

/* Creates PARENT/<prefix><UTC time>[-n] (RUNDIR_DIR_MODE), a new name each time; *out is
 * malloc'd. */
int rundir_make_stamped(const char *parent, const char *prefix, char **out, struct yj_error *err);

/* Removes the staged data files of the children (every *.tsv of staged/) of the run directory
 * RUN_DIR and syncs the folder; the staged MANIFEST stays, and so do the service inputs of
 * staged/service/ (the population, the board's attendance: no child's data), which yj-kpi and
 * yj-report read again when they are run on the run later. Returns how many were removed, or
 * -1 when one could not be removed. */
int rundir_remove_staged(const char *run_dir);

/* The first folder of a run directory that WRITER ("yj-kpi") writes, or NULL. */
const struct rundir_entry *rundir_folder_of(const char *writer);

/* The folder ID of RUN_DIR as a stage the run never reached (it began beside one that failed)
 * left it: every file in it goes, then the folder if that leaves it empty. */
void rundir_remove_left_out(const char *run_dir, enum rundir_id id);

/* Splits row ID's format into its name (NAME, N bytes) and *VERSION (0 when it has none). */
void rundir_format_of(enum rundir_id id, char *name, size_t n, unsigned long *version);
/* The row of the relative path PATH (a file or folder under BASE, a run directory or the runs
 * root), its patterns matched (<entity>, <template>, NNNN, <stamp>), or NULL. */
const struct rundir_entry *rundir_find(enum rundir_base base, const char *path);
/* Sets in M, a MANIFEST or RERUN record (row RECORD), a key "format.<name> <version>" for
 * every RUNDIR_FMT_KEY file of RECORD's folder. */
struct manifest;
void rundir_format_keys(struct manifest *m, enum rundir_id record);
/* Checks a "KEY VALUE" line (line LINE of PATH) of a MANIFEST or RERUN: a key format.<name> of
 * a format the table knows must not be of a newer version (rundir_format_version()). */
int rundir_format_key_check(const char *path, unsigned long line, const char *key,
                            const char *value, struct yj_error *err);

/* The version VALUE of a format line "FORMAT VALUE" (line LINE of PATH) in *version; a version
 * newer than KNOWN (or not a number) is refused in one line naming PATH and LINE
 * (YJ_EX_DATAERR): this program does not know how to read it. */
int rundir_format_version(const char *path, unsigned long line, const char *format,
                          const char *value, unsigned long known, unsigned long *version,
                          struct yj_error *err);

/* Writes the picture of a run directory and a runs root, one row a line, for the README. */
void rundir_describe(FILE *out);

#endif
