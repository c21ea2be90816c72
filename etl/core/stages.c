/*
 * stages.c - every executable's command line: its options (type, target, required), synopsis
 * and --help text. The mains parse with these specs and yj-run builds each stage's argv from
 * them (stage_argv), so an option is named in one place only.
 */
#include "stages.h"

#include <stddef.h>

#include "banned.h"

static const struct cli_option extract_rows[] = {
    {"config", "FILE", "configuration file (required)", CLI_STRING,
     offsetof(struct extract_options, config), CLI_REQUIRED, NULL},
    {"period", "YYYYQn", "return period, e.g. 2025Q1 = April-June 2025 (required)", CLI_STRING,
     offsetof(struct extract_options, period_label), CLI_REQUIRED, NULL},
    {"as-of", "TIMESTAMP", "read the warehouse as it was recorded at this moment", CLI_STRING,
     offsetof(struct extract_options, as_of), 0, NULL},
    {"out", "DIR", "folder for the staged files and MANIFEST (required)", CLI_STRING,
     offsetof(struct extract_options, out_dir), CLI_REQUIRED, NULL},
    {"jobs", "N", "read with N connections in parallel, on one snapshot (default: one per core)",
     CLI_STRING, offsetof(struct extract_options, jobs), 0, NULL},
    CLI_COMMON_OPTIONS,
};

const struct cli_spec extract_cli = {
    .program = "yj-extract",
    .summary = "reads the warehouse in one snapshot, optionally as recorded at a past moment, into "
               "staged files and a MANIFEST",
    .synopsis = "yj-extract --config FILE --period YYYYQn --out DIR [--as-of TIMESTAMP] [--jobs N]",
    .description = "Reads the case warehouse in one consistent read-only snapshot and writes one\n"
                   "staged file per entity, ordered by child, plus a MANIFEST with row counts,\n"
                   "SHA-256 and the snapshot's as-of time. The connection comes from [warehouse]\n"
                   "conninfo; passwords belong in libpq's PGPASSFILE, never on the command line.",
    .options = extract_rows,
    .noptions = (int)(sizeof(extract_rows) / sizeof(extract_rows[0])),
};

static const struct cli_option transform_rows[] = {
    {"config", "FILE", "configuration file (required)", CLI_STRING,
     offsetof(struct transform_options, config), CLI_REQUIRED, NULL},
    {"in", "DIR", "staged folder written by yj-extract, with its MANIFEST (required)", CLI_STRING,
     offsetof(struct transform_options, in_dir), CLI_REQUIRED, NULL},
    {"out", "DIR", "folder for the return (cld.xml or its parts), cld.zip and MANIFEST (required)",
     CLI_STRING, offsetof(struct transform_options, out_dir), CLI_REQUIRED, NULL},
    {"sign-off", "DATE", "YYYY-MM-DD the return was signed off (needed to submit it)", CLI_STRING,
     offsetof(struct transform_options, sign_off), 0, NULL},
    {"previous", "FILE",
     "the last submitted return: its children now gone are sent as deletions; once per part, "
     "in order, when it was split",
     CLI_LIST, offsetof(struct transform_options, previous), 0, NULL},
    {"period", "YYYYQn", "the period asked for: the staged MANIFEST must be of it", CLI_STRING,
     offsetof(struct transform_options, period), 0, NULL},
    {"in-sha256", "HEX", "the staged MANIFEST's SHA-256 recorded when yj-extract ended", CLI_STRING,
     offsetof(struct transform_options, in_sha256), 0, NULL},
    {"parts-fd", "N", "yj-run's: tell the socket N each part once it is whole (the parts feed)",
     CLI_STRING, offsetof(struct transform_options, parts_fd), 0, NULL},
    CLI_COMMON_OPTIONS,
};

const struct cli_spec transform_cli = {
    .program = "yj-transform",
    .summary =
        "maps local codes to YJB codes and writes the return (cld.xml, or parts) and its MANIFEST",
    .synopsis = "yj-transform --config FILE --in STAGED_DIR --out RETURN_DIR [--sign-off DATE]\n"
                "             [--previous LAST_SUBMITTED.xml ...] [--period YYYYQn]\n"
                "             [--in-sha256 HEX] [--parts-fd N]",
    .description = "Checks the staged files against their MANIFEST, merges them child by child\n"
                   "(memory does not grow with the number of children), maps local codes to YJB\n"
                   "codes through the schema bundle chosen for the period under [return]\n"
                   "mappings, and writes cld.xml and a MANIFEST. With [return] children_per_part\n"
                   "= N and more than N children it writes parts cld-part-0001.xml ... instead,\n"
                   "each a whole document. cld.zip holds the return's files, the same bytes for\n"
                   "the same return. A local code with no mapping fails the run (exit 65) and is\n"
                   "listed, with the child id and field, in RETURN_DIR/errors.txt. The staged\n"
                   "MANIFEST must be of --period and have the SHA-256 --in-sha256 when given\n"
                   "(yj-run gives both), and its period_start and period_end must be its\n"
                   "period's: else exit 74, as for an edited staged file. With --parts-fd N\n"
                   "(yj-run's) it tells the socket N each document once it is whole, so that a\n"
                   "yj-validate --follow-fd validates it while the next is written.",
    .options = transform_rows,
    .noptions = (int)(sizeof(transform_rows) / sizeof(transform_rows[0])),
    .load_config = 1,
    .config_target = offsetof(struct transform_options, config),
};

static const struct cli_option validate_rows[] = {
    {"config", "FILE", "configuration file: takes the mappings folder from [return] mappings",
     CLI_STRING, offsetof(struct validate_options, config), CLI_ONE_OF, NULL},
    {"mappings", "DIR", "mappings folder holding the schema-N bundles (instead of --config)",
     CLI_STRING, offsetof(struct validate_options, mappings), CLI_ONE_OF, NULL},
    {"report", "FILE", "where to write the report (required; mode 0600)", CLI_STRING,
     offsetof(struct validate_options, report), CLI_REQUIRED, NULL},
    {"staged", "DIR", "the return's staged folder: findings name children by warehouse id",
     CLI_STRING, offsetof(struct validate_options, staged), 0, NULL},
    {"justifications", "FILE",
     "explained queries (default: justifications.csv beside the --config file)", CLI_STRING,
     offsetof(struct validate_options, justifications), 0, NULL},
    {"jobs", "N", "parts checked at once, each in its own process (default: the online cores)",
     CLI_STRING, offsetof(struct validate_options, jobs), 0, NULL},
    {"follow-fd", "N",
     "yj-run's: check each part as the parts feed on descriptor N says it is whole", CLI_STRING,
     offsetof(struct validate_options, follow_fd), 0, NULL},
    CLI_COMMON_OPTIONS,
};

const struct cli_spec validate_cli = {
    .program = "yj-validate",
    .summary =
        "checks any return against its schema and the business rules; a report of every finding",
    .synopsis = "yj-validate (--config FILE | --mappings DIR) --report FILE [--staged DIR] "
                "RETURN.xml\n       yj-validate (--config FILE | --mappings DIR) --report FILE "
                "[--staged DIR] [--jobs N]\n                   cld-part-NNNN.xml ...",
    .description = "Validates a return, streaming, against the XSD of the schema version named\n"
                   "by its root element (mappings/schema-N/cld.xsd) and the business rules of\n"
                   "the same bundle (mappings/schema-N/rules.conf: id, severity error or query,\n"
                   "item, field, check, message). Schema findings are 'line: path: error:\n"
                   "message'; rule findings 'line: RULE severity: child ID ypid YPID item ID\n"
                   "field F: message' (the warehouse id when --staged names the return's staged\n"
                   "folder). Stderr has a summary per rule; the report every finding. A query\n"
                   "explained in justifications.csv (rule,child,item,reason,who,date) beside\n"
                   "the config is listed apart; one that matches nothing is stale. Network\n"
                   "access, DOCTYPEs and entity expansion are refused. Exit 65 when invalid or\n"
                   "not well-formed; exit 64, before anything is written, when --report names\n"
                   "the return file itself. Given the parts of a return, it checks up to --jobs\n"
                   "of them at once and writes each part's report as one call for that part\n"
                   "would, named after --report with the part's number (report.txt ->\n"
                   "report-0002.txt for cld-part-0002.xml); stderr has each part's lines in\n"
                   "part order, and the exit status is that of the first part that failed.\n"
                   "With --follow-fd N (yj-run's, given the return's cld.xml) it follows a\n"
                   "yj-transform --parts-fd still writing the return: each part is checked\n"
                   "as soon as it is whole, and the return MANIFEST, once written, must say of\n"
                   "every part what the feed said (else exit 65). The reports, stderr and\n"
                   "status are those of a call after yj-transform ended. A feed that ends\n"
                   "first is exit 75; no report is kept then, or after a 65 of the feed.",
    .options = validate_rows,
    .noptions = (int)(sizeof(validate_rows) / sizeof(validate_rows[0])),
    .operands = CLI_SOME_OPERANDS,
    .operand = "return file",
    .operand_target = offsetof(struct validate_options, files),
};

static const struct cli_option kpi_rows[] = {
    {"config", "FILE", "configuration file: takes the mappings folder from [return] mappings",
     CLI_STRING, offsetof(struct kpi_options, config), CLI_ONE_OF | CLI_MODE_ONE_OF, NULL},
    {"mappings", "DIR", "mappings folder holding the schema-N bundles (instead of --config)",
     CLI_STRING, offsetof(struct kpi_options, mappings), CLI_ONE_OF | CLI_MODE_ONE_OF, NULL},
    {"return", "DIR", "the return folder written by yj-transform (required)", CLI_STRING,
     offsetof(struct kpi_options, return_dir), CLI_REQUIRED, NULL},
    {"staged", "DIR", "the run's staged folder: board attendance (KPI 8) and population (KPI 9)",
     CLI_STRING, offsetof(struct kpi_options, staged), 0, NULL},
    {"out", "DIR", "where to write the KPI outputs (required)", CLI_STRING,
     offsetof(struct kpi_options, out_dir), CLI_REQUIRED, NULL},
    {"provisional", NULL, "the return failed validation: mark every figure provisional", CLI_FLAG,
     offsetof(struct kpi_options, provisional), 0, NULL},
    {"verdict-fd", "N", "yj-run's: before writing, read the validation's verdict from descriptor N",
     CLI_STRING, offsetof(struct kpi_options, verdict_fd), 0, NULL},
    {"check-template", "FILE",
     "compare a YJB template file with the bundle's labels instead (needs --period)", CLI_STRING,
     offsetof(struct kpi_options, check_template), CLI_MODE, NULL},
    {"period", "PERIOD", "with --check-template: the period whose bundle to compare with",
     CLI_STRING, offsetof(struct kpi_options, period), CLI_MODE_REQUIRED, NULL},
    CLI_COMMON_OPTIONS,
};

const struct cli_spec kpi_cli = {
    .program = "yj-kpi",
    .summary = "computes the ten KPIs from the return: the YJB's templates, headline figures, the "
               "worklist",
    .synopsis = "yj-kpi (--config FILE | --mappings DIR) --return DIR --out DIR [--staged DIR] "
                "[--provisional] [--verdict-fd N]\n       yj-kpi (--config FILE | --mappings DIR) "
                "--check-template "
                "FILE "
                "--period PERIOD",
    .description =
        "Computes KPIs 1-10 of the return's period from the return itself, read child\n"
        "by child, with the counting rules of its schema bundle (mappings/schema-N/kpi/:\n"
        "code tables, kpi.conf, templates.conf). Writes to --out: one CSV per YJB summary\n"
        "template (kpi1_accommodation_detail.csv ... kpi10_victims.csv, labels byte for\n"
        "byte), headline.csv (numerator, denominator and rate per KPI and type of\n"
        "order), cases.csv (mode 0600: the record that decided each count),\n"
        "worklist.csv (mode 0600: one line per child and problem, with the item, id,\n"
        "field and what to record), worklist.txt and recording.csv (counts per problem,\n"
        "no personal data), and a MANIFEST, last. KPI 8 and the KPI 9 rate need\n"
        "--staged (the run's service inputs). --provisional marks a return that failed\n"
        "validation: the figures are for the nightly worklist, never for submission.\n"
        "yj-run computes the KPIs while the return is validated: with --verdict-fd N,\n"
        "yj-kpi reads the return, then a line from descriptor N before it writes:\n"
        "'valid', or 'invalid' (the figures are provisional); anything else or end of\n"
        "file means the run is ending: nothing is written, exit 75.\n"
        "headline.csv also gives each figure as the YJB's case-level SQL computes it\n"
        "(yjb_* columns), and worklist.txt the cells where the two differ. A board\n"
        "attendance row whose sector the rules do not hold goes on the worklist and\n"
        "makes KPI 8 provisional. Exit 78 for a bad counting-rules file, 65 for a\n"
        "return that is not well-formed, not a return, or whose children differ from\n"
        "its MANIFEST, 64 for --out in the return folder (nothing removed), 66/74 for a\n"
        "missing or altered return. --check-template compares a\n"
        "template file from the YJB (e.g. kpi2_ete_v1.csv) with the bundle's columns\n"
        "and row labels, byte for byte: exit 78 naming the first line that differs.",
    .options = kpi_rows,
    .noptions = (int)(sizeof(kpi_rows) / sizeof(kpi_rows[0])),
    .see_help = 1,
    .load_config = 1,
    .config_target = offsetof(struct kpi_options, config),
};

static const struct cli_option submit_rows[] = {
    {"config", "FILE", "configuration file (required): [submit] url, ca_file, cert_file, key_file",
     CLI_STRING, offsetof(struct submit_options, config), CLI_REQUIRED, NULL},
    {"run-dir", "DIR", "run directory holding return/ and validate/ (required)", CLI_STRING,
     offsetof(struct submit_options, run_dir), CLI_REQUIRED, NULL},
    {"ledger", "FILE", "submission ledger (default: RUNS_ROOT/ledger of [run] runs_root)",
     CLI_STRING, offsetof(struct submit_options, ledger), 0, NULL},
    {"resubmit", NULL, "send other bytes for a period already submitted (a correction)", CLI_FLAG,
     offsetof(struct submit_options, resubmit), 0, NULL},
    {"allow-empty", NULL, "send a return that holds no children", CLI_FLAG,
     offsetof(struct submit_options, allow_empty), 0, NULL},
    {"force-correction", NULL,
     "with --resubmit: send a correction that changes no child, or whose corrected return is "
     "not on disk",
     CLI_FLAG, offsetof(struct submit_options, force_correction), 0, NULL},
    CLI_COMMON_OPTIONS,
};

const struct cli_spec submit_cli = {
    .program = "yj-submit",
    .summary = "uploads a validated return over mutual-TLS HTTPS, exactly once, with a receipt and "
               "a ledger",
    .synopsis = "yj-submit --config FILE --run-dir DIR [--ledger FILE]\n"
                "          [--resubmit [--force-correction]] [--allow-empty]",
    .description = "Uploads RUN/return/cld.xml with HTTP PUT over HTTPS only, under a name that\n"
                   "holds its SHA-256, verifying the receiver against [submit] ca_file and\n"
                   "presenting the client certificate (mutual TLS). The return must match its\n"
                   "MANIFEST and a validation report that says 'result valid' for the same\n"
                   "SHA-256, and its documentCount the children it holds; an empty return is\n"
                   "sent only with --allow-empty (else exit 82). Once the receiver has it, the\n"
                   "receipt (status, headers, body, payload SHA-256) is written to\n"
                   "RUN/submit/receipt; without a receipt the return was not submitted.\n"
                   "Every attempt and its outcome is appended to the ledger (RUNS_ROOT/ledger):\n"
                   "bytes already received are not sent again (exit 0, 'already submitted');\n"
                   "before anything is sent for a period, every earlier upload of it whose\n"
                   "answer was lost (any bytes) is looked for at the receiver with a HEAD:\n"
                   "found, it was received; not found, it was not; no clear answer, nothing is\n"
                   "sent (exit 75, naming the ledger entry). Other bytes for a period already\n"
                   "submitted need --resubmit (else exit 81). Before a correction is sent, its\n"
                   "differences from the return received last (that run's return/) are written\n"
                   "to RUN/submit/correction.csv (mode 0600) and counted on stderr and in the\n"
                   "receipt; a correction that changes no child's document (only the envelope,\n"
                   "e.g. the as-of moment) is refused (exit 83), and one whose corrected return\n"
                   "is not on disk any more too (exit 66), unless --force-correction. The PUT\n"
                   "says If-None-Match: *;\n"
                   "a taken name counts only when a HEAD shows these bytes (else exit 80).\n"
                   "5xx, 429, timeouts and resets are retried with backoff within [submit]\n"
                   "deadline (default 300 s); a 4xx or a redirect is never retried (exit 80).\n"
                   "A return split into parts (cld-part-NNNN.xml) is sent part by part, each\n"
                   "checked against validate/report-NNNN.txt first and given its own\n"
                   "submit/receipt-NNNN; it is submitted once every part has its receipt.\n"
                   "SSLKEYLOGFILE is cleared: no TLS key of an upload is ever written out, and\n"
                   "no proxy of the environment is used: only [submit] proxy (default none).\n"
                   "The receipt holds printable text only; an answer that held other bytes is\n"
                   "kept whole in submit/answer-NNNNNN (mode 0600).\n"
                   "It takes the lock of the service and period (RUNS_ROOT/<yot>/<period>.lock,\n"
                   "which yj-run holds for a whole run, and passes on to the yj-submit it\n"
                   "starts): exit 79 at once while another run holds it. It then waits for\n"
                   "another yj-submit to let go of the ledger, up to [submit] deadline (exit 79).",
    .options = submit_rows,
    .noptions = (int)(sizeof(submit_rows) / sizeof(submit_rows[0])),
    .load_config = 1,
    .config_target = offsetof(struct submit_options, config),
};

static const struct cli_option report_rows[] = {
    {"config", "FILE",
     "configuration file (required): [return] mappings, [run] runs_root, the [report] section",
     CLI_STRING, offsetof(struct report_options, config), CLI_REQUIRED, NULL},
    {"run-dir", "DIR", "run directory holding return/ and staged/ (required)", CLI_STRING,
     offsetof(struct report_options, run_dir), CLI_REQUIRED, NULL},
    {"runs-root", "DIR", "the archive of runs the trends are read from (default: [run] runs_root)",
     CLI_STRING, offsetof(struct report_options, runs_root), 0, NULL},
    {"no-pdf", NULL, "write pack.html only, whatever [report] pdf says", CLI_FLAG,
     offsetof(struct report_options, no_pdf), 0, NULL},
    CLI_COMMON_OPTIONS,
};

const struct cli_spec report_cli = {
    .program = "yj-report",
    .summary = "writes the board pack: local national indicators, KPI trends, one page and its PDF",
    .synopsis = "yj-report --config FILE --run-dir DIR [--runs-root DIR] [--no-pdf]",
    .description =
        "Writes RUN/report/ from the run's return and the archive of runs. From the\n"
        "return, read child by child with the rules of its schema bundle\n"
        "(mappings/schema-N/report/), and the run's staged 10-17 population: first time\n"
        "entrants, use of custody, reoffending by 3-month cohort, each ethnicity group\n"
        "against the population, and offence types leading to custody, each as a CSV\n"
        "of exact figures, and cases.csv (mode 0600: the children and records behind\n"
        "every figure). From the runs root: each quarter's KPI headlines and recording\n"
        "problems (trend_kpi.csv, trend_recording.csv), from the run submitted for it,\n"
        "else its newest run, marked as such. Then pack.html, one self-contained page\n"
        "whose small numbers are suppressed by the [report] policy, and pack.pdf, the\n"
        "same page printed on A4 by [report] browser (headless Chromium), and a\n"
        "MANIFEST, last. yj-run runs it after the KPIs (and after the submission).\n"
        "Exit 78 for a bad [report] setting or rules file, 65 for a population that\n"
        "lacks a year the rates need or holds a bad row, 66/74 for a missing or\n"
        "altered return, 69 when the browser cannot print the PDF.",
    .options = report_rows,
    .noptions = (int)(sizeof(report_rows) / sizeof(report_rows[0])),
    .load_config = 1,
    .config_target = offsetof(struct report_options, config),
};

/* --period, the row that --from and --to stand in for */
enum { RUN_PERIOD_ROW = 1 };

static const struct cli_option run_rows[] = {
    {"config", "FILE", "configuration file (required)", CLI_STRING,
     offsetof(struct run_args, config), CLI_REQUIRED, NULL},
    {"period", "YYYYQn",
     "return period, e.g. 2025Q1 = April-June 2025, or 'current': the quarter of today (UTC), as "
     "the nightly timer runs it (required)",
     CLI_STRING, offsetof(struct run_args, period), CLI_REQUIRED, NULL},
    {"as-of", "TIMESTAMP", "read the warehouse as recorded at this moment (audit reruns)",
     CLI_STRING, offsetof(struct run_args, as_of), 0, NULL},
    {"submit", NULL, "after validation, upload the return and keep the receipt", CLI_FLAG,
     offsetof(struct run_args, submit), 0, NULL},
    {"sign-off", "DATE", "YYYY-MM-DD the return was signed off (required with --submit)",
     CLI_STRING, offsetof(struct run_args, sign_off), 0, NULL},
    {"resubmit", NULL, "with --submit: send a correction of a period already submitted", CLI_FLAG,
     offsetof(struct run_args, resubmit), 0, NULL},
    {"allow-empty", NULL, "with --submit: send a return that holds no children", CLI_FLAG,
     offsetof(struct run_args, allow_empty), 0, NULL},
    {"force-correction", NULL,
     "with --resubmit: send a correction that changes no child, or whose corrected return is "
     "not on disk",
     CLI_FLAG, offsetof(struct run_args, force_correction), 0, NULL},
    {"from", "YYYYQn", "backfill: run every period from this one (instead of --period)", CLI_STRING,
     offsetof(struct run_args, from), 0, &run_rows[RUN_PERIOD_ROW]},
    {"to", "YYYYQn", "backfill: ... to this one, oldest first, going on past failures", CLI_STRING,
     offsetof(struct run_args, to), 0, &run_rows[RUN_PERIOD_ROW]},
    {"verify", NULL, "check the runs root (operand RUNS_ROOT, or [run] runs_root) and exit",
     CLI_FLAG, offsetof(struct run_args, verify), 0, NULL},
    {"receiver", NULL, "with --verify: ask the receiver ([submit]) for every name received",
     CLI_FLAG, offsetof(struct run_args, receiver), 0, NULL},
    {"rerun", "RUN_DIR", "reproduce a past run into RUN_DIR/rerun-<UTC time> and compare",
     CLI_STRING, offsetof(struct run_args, rerun), 0, NULL},
    {"with-current-mappings", NULL, "with --rerun: use changed mapping files, list differences",
     CLI_FLAG, offsetof(struct run_args, with_current_mappings), 0, NULL},
    {"check", NULL, "run the preflight of this run (or backfill) only: a line per check, then exit",
     CLI_FLAG, offsetof(struct run_args, check), 0, NULL},
    {"history", NULL, "print each period's latest run, KPIs and submissions (RUNS_ROOT) and exit",
     CLI_FLAG, offsetof(struct run_args, history), 0, NULL},
    {"format", "FORMAT", "with --history: text (the default) or json", CLI_STRING,
     offsetof(struct run_args, format), 0, NULL},
    CLI_COMMON_OPTIONS,
};

const struct cli_spec run_cli = {
    .program = "yj-run",
    .summary = "runs the stages into a run directory (nightly, submission, backfill); --verify and "
               "--rerun for auditors",
    .synopsis = "yj-run --config FILE --period YYYYQn [--as-of TIMESTAMP] [--submit --sign-off "
                "DATE\n"
                "              [--resubmit [--force-correction]] [--allow-empty]]\n"
                "       yj-run --config FILE --from YYYYQn --to YYYYQn [the options above]\n"
                "       yj-run --config FILE --period YYYYQn [--submit --sign-off DATE] --check\n"
                "       yj-run [--config FILE] --verify [RUNS_ROOT]\n"
                "       yj-run --config FILE --verify --receiver [RUNS_ROOT]\n"
                "       yj-run --config FILE --rerun RUN_DIR [--with-current-mappings]\n"
                "       yj-run [--config FILE] --history [--period YYYYQn] [--format json] "
                "[RUNS_ROOT]",
    .description = "Runs yj-extract, yj-transform, yj-validate, yj-kpi, yj-submit (only with\n"
                   "--submit) and yj-report (the board pack, when [report] pack is yes, the\n"
                   "default) as separate processes into a new run directory\n"
                   "RUNS_ROOT/<yot_ou_code>/<period>/<UTC time>, and prints that directory as\n"
                   "the only line on stdout. Without --submit nothing is sent: the nightly\n"
                   "data-quality run. A lock (RUNS_ROOT/<yot_ou_code>/<period>.lock)\n"
                   "keeps two runs of the same service and period from overlapping (exit 79).\n"
                   "The exit status is that of the first stage that failed.\n"
                   "Every run first runs the preflight, before it reads the warehouse or makes\n"
                   "a run folder: the configuration the mode needs, the period's bundle and\n"
                   "queries, the warehouse reached as the configured role with the rights\n"
                   "every query needs (EXPLAIN), its newest recorded change against [warehouse]\n"
                   "max_age (a warning for a nightly run, 75 for --submit), the free space of\n"
                   "the runs root against the last run's size; with --submit also the sign-off,\n"
                   "the client certificate's expiry (a warning within 30 days, 76 once\n"
                   "expired), the receiver over mutual TLS (a HEAD: nothing is uploaded) and\n"
                   "the ledger's chain; with [report] pack, the browser that prints its PDF. A\n"
                   "failed check refuses the run with its exit status.\n"
                   "--check runs the preflight alone: one line per check on stdout ('ok',\n"
                   "'warning', 'error' or 'skip', its name, what it found), then a summary; 0\n"
                   "when none failed, else the status of the first that failed.\n"
                   "--from and --to run every period between them, oldest first, each as\n"
                   "above, going on past a period that fails; stdout gets each run directory,\n"
                   "stderr a table of periods, exit statuses, results and run directories. The\n"
                   "exit status is 0 when every period succeeded, else that of the first failed.\n"
                   "SIGTERM, SIGINT or SIGHUP stops the running stage and waits for it, records\n"
                   "'result interrupted' in RUN, frees the lock, and ends yj-run by the same\n"
                   "signal (128 + its number in a shell: 143 for SIGTERM, 130 for SIGINT).\n"
                   "--verify checks every run directory of RUNS_ROOT (default: [run] runs_root)\n"
                   "against its manifests and RUN's seal, every receipt against its payload and\n"
                   "the ledger's chain, printing one line per problem and a summary: 0 if all\n"
                   "hold, else 74 (66: not a runs root). --receiver also asks the receiver for\n"
                   "every name the ledger says it received (69 if it cannot be reached).\n"
                   "--rerun reproduces RUN_DIR as recorded at its as-of moment with the SQL and\n"
                   "mappings its manifests name by hash (78 if one changed), prints the rerun\n"
                   "folder, and compares the return: 0 when identical, else 65 with every\n"
                   "difference in RUN_DIR/rerun-<UTC time>/diff.csv (mode 0600).\n"
                   "--history prints, per period of RUNS_ROOT (default: [run] runs_root), the\n"
                   "newest first, its latest run with its result, errors, queries and ten KPI\n"
                   "headlines, and every submission the ledger records, the newest first (66:\n"
                   "RUNS_ROOT is not a folder; 74: the ledger does not verify).",
    .options = run_rows,
    .noptions = (int)(sizeof(run_rows) / sizeof(run_rows[0])),
    .operands = CLI_OPERANDS,
    .operand_target = offsetof(struct run_args, operands),
    .defer_required = 1,
};

const struct stage_def stage_table[STAGE_COUNT] = {
    {STAGE_EXTRACT, "extract", &extract_cli, STAGE_IN_RUN | STAGE_RECORDS_AS_OF,
     STAGE_FAILURE_STOPS, 0},
    {STAGE_TRANSFORM, "transform", &transform_cli, STAGE_IN_RUN, STAGE_FAILURE_STOPS, 0},
    {STAGE_VALIDATE, "validate", &validate_cli, STAGE_IN_RUN | STAGE_FOLLOWS_PREVIOUS,
     STAGE_FAILURE_INVALID, 0},
    {STAGE_KPI, "kpi", &kpi_cli, STAGE_IN_RUN | STAGE_BESIDE_PREVIOUS, STAGE_FAILURE_STOPS, 1},
    {STAGE_SUBMIT, "submit", &submit_cli, STAGE_IN_RUN | STAGE_ONLY_SUBMIT, STAGE_FAILURE_STOPS, 0},
    {STAGE_REPORT, "report", &report_cli, STAGE_IN_RUN | STAGE_ONLY_PACK, STAGE_FAILURE_STOPS, 0},
    {STAGE_RUN, "run", &run_cli, 0, STAGE_FAILURE_STOPS, 0},
};

char **
stage_argv(enum stage s, const struct stage_inputs *in)
{
    switch (s) {
    case STAGE_EXTRACT: {
        struct extract_options a = {.config = in->config,
                                    .period_label = in->period,
                                    .as_of = in->as_of,
                                    .out_dir = in->staged};
        return cli_argv(&extract_cli, &a);
    }
    case STAGE_TRANSFORM: {
        /* the staged MANIFEST must be of this period, and the one yj-extract wrote */
        struct transform_options a = {.config = in->config,
                                      .in_dir = in->staged,
                                      .out_dir = in->return_dir,
                                      .sign_off = in->sign_off,
                                      .previous = in->previous,
                                      .period = in->in_sha256 ? in->period : NULL,
                                      .in_sha256 = in->in_sha256,
                                      .parts_fd = in->parts_fd};
        return cli_argv(&transform_cli, &a);
    }
    case STAGE_VALIDATE: {
        char *one[] = {(char *)in->return_xml};
        struct validate_options a = {
            .config = in->config,
            .report = in->report,
            .staged = in->staged,
            .files = {1, one},
            .follow_fd = in->follow_fd};
        return cli_argv(&validate_cli, &a);
    }
    case STAGE_KPI: {
        struct kpi_options a = {.config = in->config,
                                .return_dir = in->return_dir,
                                .staged = in->staged,
                                .out_dir = in->kpi_dir,
                                .provisional = in->provisional,
                                .verdict_fd = in->verdict_fd};
        return cli_argv(&kpi_cli, &a);
    }
    case STAGE_SUBMIT: {
        /* yj-submit records every attempt in the runs root's ledger; --resubmit,
         * --allow-empty and --force-correction are passed on */
        struct submit_options a = {.config = in->config,
                                   .run_dir = in->run_dir,
                                   .ledger = in->ledger,
                                   .resubmit = in->resubmit,
                                   .allow_empty = in->allow_empty,
                                   .force_correction = in->force_correction};
        return cli_argv(&submit_cli, &a);
    }
    case STAGE_REPORT: {
        struct report_options a = {.config = in->config, .run_dir = in->run_dir};
        return cli_argv(&report_cli, &a);
    }
    case STAGE_RUN:
        break;
    }
    return NULL;
}
