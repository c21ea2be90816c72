/*
 * stages.h - the seven executables' command lines, described once (etl/core/stages.c): for
 * each, the struct its options parse into and its cli_spec (options, synopsis, --help text).
 * Each main.c parses with its spec; yj-run builds each stage's argv from the same spec and
 * struct (stage_argv), so a renamed option or field breaks at compile time or in a test, never
 * in a run.
 */
#ifndef YJ_STAGES_H
#define YJ_STAGES_H

#include "cli.h"
#include "period.h"

/* What each stage's command line parses into: the options of its library's run function
 * (extract_run, transform_run, ...), and the few that only its main reads. */
struct extract_options {
    const char *config;
    const char *period_label; /* --period as given */
    struct yj_period period;  /* parsed from it by the main */
    const char *as_of;   /* "as recorded at" timestamp as given, or NULL for the snapshot time */
    const char *out_dir; /* the staged/ folder of a run directory; created if missing */
    const char *jobs;    /* --jobs as given (workers, each its own connection), or NULL: one
                            per online core */
};

struct transform_options {
    const char *config;
    const char *in_dir;    /* staged/ folder with its MANIFEST */
    const char *out_dir;   /* return/ folder; created if missing */
    const char *sign_off;  /* YYYY-MM-DD the return was signed off, or NULL (not for submission) */
    char **previous;       /* the service's last submitted return (cld.xml, or each of its parts in
                            * order; NULL-terminated), or NULL: its children the warehouse no
                            * longer holds are notified as deleted */
    const char *period;    /* the period asked for (YYYYQn): the staged MANIFEST's must be it; or
                            * NULL */
    const char *in_sha256; /* the staged MANIFEST's SHA-256 as recorded when yj-extract ended, or
                            * NULL */
    const char *parts_fd;  /* yj-run's: the socket the parts feed (partfeed.h) goes to, or NULL */
};

struct partfeed_part;

struct validate_options {
    const char *config;          /* the main reads [return] mappings from it */
    const char *mappings;        /* folder holding schema-N/ bundles */
    const char *report;          /* report file to write (mode 0600: messages may quote values) */
    const char *staged;          /* the return's staged folder, to name children by warehouse id; or
                                  * NULL (children named by ypid) */
    const char *justifications;  /* explained queries (justify.h), or NULL */
    const char *jobs;            /* --jobs as given: parts checked at once, or NULL (the cores) */
    struct cli_args files;       /* the operands: a return file, or the parts of a return */
    const char *file;            /* the one validate_run() checks: the main sets it per document */
    int justifications_required; /* named on the command line: a missing file is an error */
    int staged_verified;   /* --staged's person file verified whole once (the parts' caller) */
    const char *follow_fd; /* yj-run's: the parts feed to follow (partfeed.h), or NULL */
    const struct partfeed_part *fed; /* a part the feed announced: its facts in the stead of the
                                      * return MANIFEST's, which is not written yet; or NULL */
    int fed_period_complete;         /* with FED: whether the feed says the period had ended */
};

struct kpi_options {
    const char *config;     /* the main reads [return] mappings from it */
    const char *mappings;   /* folder holding schema-N/ bundles */
    const char *return_dir; /* the return folder: MANIFEST, cld.xml or cld-part-NNNN.xml */
    const char *staged;     /* the staged folder (service/ inputs for KPI 8 and 9), or NULL */
    const char *out_dir;    /* where to write */
    int provisional;        /* the return failed validation: figures are provisional */
    const char *verdict_fd; /* yj-run's: the descriptor the validation's verdict comes on, or
                             * NULL */
    const char *check_template, *period; /* the main's other command (kpi_check_template) */
};

struct submit_options {
    const char *config;
    const char *run_dir;  /* holds return/cld.xml, return/MANIFEST, validate/report.txt */
    const char *ledger;   /* NULL: RUNS_ROOT/ledger of the config's [run] runs_root */
    int resubmit;         /* other bytes for a period already submitted are a correction */
    int allow_empty;      /* a return with no children may be sent */
    int force_correction; /* a correction is sent even when it changes no child's document, or
                           * when the return it corrects is not on disk to compare with */
};

struct report_options {
    const char *config;  /* [return] mappings, [run] runs_root and the [report] section */
    const char *run_dir; /* the run directory: its return/ and staged/ are read, report/ written */
    const char *runs_root; /* the archive the trends are read from, or NULL: [run] runs_root */
    int no_pdf;            /* write pack.html only, whatever [report] pdf says */
};

struct run_args {
    const char *config, *period, *as_of;
    int submit;
    const char *sign_off;
    int resubmit, allow_empty, force_correction;
    const char *from, *to;
    int verify, receiver;
    const char *rerun;
    int with_current_mappings;
    int check;
    int history;        /* --history [RUNS_ROOT] */
    const char *format; /* with --history: text or json */
    struct cli_args operands;
};

/* In the order yj-run runs them. */
enum stage {
    STAGE_EXTRACT,
    STAGE_TRANSFORM,
    STAGE_VALIDATE,
    STAGE_KPI,
    STAGE_SUBMIT,
    STAGE_REPORT,
    STAGE_RUN
};
#define STAGE_COUNT 7

/* How yj-run runs a stage (stage_table's flags). */
#define STAGE_IN_RUN 0x01      /* yj-run runs it, in table order */
#define STAGE_ONLY_SUBMIT 0x02 /* only with --submit: never on a nightly run */
#define STAGE_FOLLOWS_PREVIOUS                                                                     \
    0x04 /* starts with the stage before it (yj-transform) and follows its parts feed on          \
          * --follow-fd (partfeed.h): each document checked as soon as it is whole, into the     \
          * stage's folder, which the run makes first */
#define STAGE_RECORDS_AS_OF 0x08 /* once it succeeded, RUN's as_of is its MANIFEST's */
#define STAGE_ONLY_PACK 0x10     /* only when [report] pack is yes (the default) */
#define STAGE_BESIDE_PREVIOUS                                                                      \
    0x20 /* starts with the stage before it (one that may find the return invalid) and reads       \
          * on --verdict-fd, before it writes anything, what that stage found */

/* What a stage's failure means to the run. */
enum stage_failure {
    STAGE_FAILURE_STOPS,   /* the run ends with the stage's exit status */
    STAGE_FAILURE_INVALID, /* exit 65 is "the return is invalid": the stage beside it writes,
                            * provisional (a nightly worklist), then the run ends 65; any other
                            * status stops it */
};

/* One stage as yj-run sees it. */
struct stage_def {
    enum stage id;
    const char *name; /* "extract": RUN's last_stage and status.<name>, seconds.<name> */
    const struct cli_spec *cli;
    unsigned flags;             /* STAGE_* */
    enum stage_failure failure; /* what its failure means */
    int provisional; /* its outputs can be marked provisional after an invalid return (yj-run
                      * tells it so on --verdict-fd, beside the validation) */
};

/* Every executable, in enum stage order (yj-run's own row last, not in the run). */
extern const struct stage_def stage_table[STAGE_COUNT];

extern const struct cli_spec extract_cli, transform_cli, validate_cli, kpi_cli, submit_cli,
    report_cli, run_cli;

/* What yj-run knows of a run (or a rerun) that its stages' argv are made of. NULL or 0: not
 * given. */
struct stage_inputs {
    const char *config, *period, *as_of, *sign_off;
    char **previous;       /* the last submitted return's files (NULL-terminated) */
    const char *staged;    /* RUN/staged */
    const char *in_sha256; /* the staged MANIFEST's SHA-256: yj-transform is then given it and
                            * --period; a rerun gives neither */
    const char *return_dir, *return_xml, *report, *kpi_dir, *run_dir, *ledger;
    const char *verdict_fd; /* the descriptor a STAGE_BESIDE_PREVIOUS stage reads its verdict on */
    const char *parts_fd;   /* the socket yj-transform writes the parts feed to (partfeed.h) */
    const char *follow_fd;  /* the one a STAGE_FOLLOWS_PREVIOUS stage reads it from */
    int provisional, resubmit, allow_empty, force_correction;
};

/* The argv yj-run gives stage s (free()): it parses with stage_table[s].cli. */
char **stage_argv(enum stage s, const struct stage_inputs *in);

#endif
