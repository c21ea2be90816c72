/*
 * submit_int.h - what the files of yj-submit share, private to etl/submit/:
 *   submit.c          the driver: the documents of the return, their checks, submit_run()
 *   submit_http.c     the HTTP layer: curl options, one request, what an answer means,
 *                     the receiver's digest header, the wait before a retry
 *   submit_receipt.c  receipts and kept answers, a receipt rebuilt from the ledger
 *   submit_ledger.c   ledger entries, a document's state, resolving earlier unresolved
 *                     sends at the receiver, already submitted, the submission number
 *   submit_send.c     one document sent exactly once
 *   submit_body.c     its bytes: read once, hashed as they are sent, the last held back
 *   submit_correction.c  what a correction changes: its diff against the return received last
 */
#ifndef YJ_SUBMIT_INT_H
#define YJ_SUBMIT_INT_H

#include "config.h"
#include "error.h"
#include "https.h"
#include "ledger.h"
#include "sha256.h"
#include "stages.h"

#include <curl/curl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#define MAX_RESPONSE (64 * 1024)

/* One document of the return: cld.xml, or one part of a split return. */
struct doc {
    char *name;    /* "cld.xml" or "cld-part-0001.xml" */
    char *path;    /* RUN/return/<name> */
    char *report;  /* RUN/validate/report.txt or report-0001.txt */
    char *receipt; /* RUN/submit/receipt or receipt-0001 */
    char sha[SHA256_HEX_LEN + 1];
    unsigned long long bytes;
    unsigned long long rows; /* children, by the manifest */
    long long children;      /* children, by the validation report of these bytes; -1: none */
    long document_count;     /* the envelope's; -1 if absent */
    char *source_return_id;
};

struct docs {
    struct doc *d;
    size_t n;
};

/* The body of one PUT: a document read once and hashed as it is sent (submit_body.c). The
 * last bytes are held back until everything read hashes to the expected SHA-256; otherwise
 * the transfer is aborted before the body is complete, so the receiver never stores it. */
struct upload_body {
    int fd;                   /* opened by submit_body_open(), closed by _release() */
    const char *path;         /* borrowed */
    const char *sha;          /* the validated SHA-256 (the manifest's and the report's) */
    unsigned long long bytes; /* the validated size (the manifest's) */
    unsigned long long off;   /* bytes read (and hashed) in this transfer */
    struct sha256 h;
    int hashing;    /* h holds a context */
    int verified;   /* this transfer read exactly the validated bytes */
    int changed;    /* this transfer read other bytes (stopped: "aborted") */
    int read_errno; /* this transfer could not read the file (stopped: "aborted") */
};

struct response {
    char *data;
    size_t len;
};

struct answer {
    CURLcode cc;
    long http;
    char curl_err[CURL_ERROR_SIZE];
    struct response hdr, body;
    curl_off_t retry_after;          /* seconds; 0: none */
    curl_off_t length;               /* Content-Length of the answer; -1: unknown */
    char location[256];              /* of a redirect, printable ASCII only */
    char digest[SHA256_HEX_LEN + 1]; /* the SHA-256 the receiver offers; "": none */
};

enum verdict {
    V_RECEIVED,  /* the receiver has these bytes */
    V_ABSENT,    /* HEAD: not there */
    V_UNKNOWN,   /* HEAD: an answer that does not say (405, 403, a 409 to a HEAD, no length) */
    V_CONFLICT,  /* PUT: 409 or 412, the name is taken: a HEAD tells by which bytes */
    V_OTHER,     /* HEAD: the receiver holds other bytes (length or digest) under the name */
    V_TEMPORARY, /* worth retrying */
    V_FAILED,    /* never retried: see the status */
};

/* The return a correction corrects: the one received last for the service and period (a
 * copy of its ledger entry's fields: appending moves the entries). seq 0: not a correction. */
struct corrected {
    unsigned long seq;
    unsigned long long n; /* its ledger entry */
    char *run;            /* its run folder, as the ledger names it (malloc'd) */
    char return_sha[SHA256_HEX_LEN + 1];
};

struct session {
    const struct yj_config *cfg;
    const struct submit_options *opt;
    struct ledger lg;
    CURL *curl;
    struct curl_slist *put_headers, *head_headers;
    const char *period;
    char run[PATH_MAX];
    char return_sha[SHA256_HEX_LEN + 1];
    unsigned long seq;
    double deadline; /* log_now() seconds */
    double backoff;
    size_t ndocs;
    struct corrected corrects; /* set by submit_number_submission() */
    char *receipt_extra;       /* the correction's lines for every receipt (malloc'd), or NULL */
};

/* What the ledger knows of a document (SHA-256) of this service and period. */
enum doc_state {
    DS_NEW,        /* never sent */
    DS_PENDING,    /* sent, and what the receiver did with it is not known: a crash, a lost or
                      cut answer, a timeout, a 5xx, a HEAD that could not tell */
    DS_NOT_STORED, /* sent, and known not to be there: refused (4xx, redirect, TLS) or not
                      found by a HEAD */
    DS_RECEIVED,
};

/* What a receipt records: the document, where and how it was received. */
struct receipt_of {
    const char *run_dir;
    const char *name; /* cld.xml or cld-part-NNNN.xml */
    const char *part; /* "k/n" */
    const char *sha;
    unsigned long long bytes;
    unsigned long seq;
    const char *period;
    const char *url;
    const char *how; /* put, conflict, head, ledger */
    long http;
    const char *when;  /* UTC, as the ledger writes it; NULL: now */
    const char *extra; /* more header lines ("key value\n"), or NULL */
};

/* submit_http.c */
void submit_answer_release(struct answer *a);
const char *submit_reason(long http);
enum verdict submit_classify(const struct answer *a, int head, unsigned long long bytes,
                             const char *sha, int *status, char *summary, size_t n);
char *submit_upload_url(const struct session *s, const char *service, const char *period,
                        const char *sha);
void submit_request(struct session *s, const char *url, unsigned long long bytes,
                    struct upload_body *in, struct answer *a);
double submit_retry_wait(const struct session *s, int retry, curl_off_t retry_after);
void submit_pause_for(double seconds);

/* submit_receipt.c */
int submit_keep_answer(struct session *s, const char *run_dir, const char *url,
                       const struct answer *a, char *name, size_t n, struct yj_error *err);
char *submit_document_name(const char *part);
int submit_write_receipt(struct session *s, const struct receipt_of *r, const struct answer *a,
                         struct yj_error *err);
int submit_rebuild_receipt(struct session *s, const struct ledger_entry *e, struct yj_error *err);

/* submit_ledger.c */
int submit_record(struct session *s, const struct doc *d, size_t i, const char *event, long http,
                  const char *result, const char *answer, struct yj_error *err);
const struct ledger_entry *submit_received_entry(const struct session *s, const char *sha);
enum doc_state submit_doc_state(const struct session *s, const char *sha, size_t *last);
const char *submit_result_name(enum verdict v, int head, int status, const struct answer *a);
int submit_resolve_pending(struct session *s, const struct docs *ds, struct yj_error *err);
int submit_already_submitted(struct session *s, const struct docs *ds, struct yj_error *err);
int submit_number_submission(struct session *s, const struct docs *ds, int dry,
                             struct yj_error *err);

/* submit_correction.c */
int submit_correction(struct session *s, struct yj_error *err);

/* submit_body.c */
int submit_body_open(struct upload_body *b, const struct doc *d, struct yj_error *err);
void submit_body_rewind(struct upload_body *b);
size_t submit_body_read(char *buf, size_t size, size_t nmemb, void *userdata);
int submit_body_seek(void *userdata, curl_off_t offset, int origin);
int submit_body_verify(struct upload_body *b, struct yj_error *err);
int submit_body_changed(const struct upload_body *b, int sent, struct yj_error *err);
void submit_body_release(struct upload_body *b);
int submit_document_differs(const char *path, const char *detail, struct yj_error *err);

/* submit_send.c */
int submit_send_document(struct session *s, const struct doc *d, size_t i, struct yj_error *err);

#endif
