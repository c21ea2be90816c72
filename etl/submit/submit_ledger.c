/*
 * submit_ledger.c - yj-submit's side of the runs root's ledger: the entries it appends, what
 * the ledger knows of a document (received, pending, ...), resolving every earlier upload of
 * the period whose outcome is not known by asking the receiver (HEAD of its name), a return
 * the receiver already has, and the period's submission number (a correction needs
 * --resubmit).
 */
#include "submit.h"
#include "submit_int.h"

#include "log.h"
#include "receipt.h"
#include "rundir.h"
#include "mem.h"
#include "seal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

static void
entry_for(const struct session *s, const struct doc *d, size_t i, const char *event,
          struct ledger_entry *e, char *part, size_t np)
{
    static char seal[SHA256_HEX_LEN + 1]; /* one yj-submit at a time: one buffer */

    memset(e, 0, sizeof(*e));
    snprintf(part, np, "%zu/%zu", i + 1, s->ndocs);
    e->service = s->cfg->yot_ou_code;
    e->period = (char *)s->period;
    e->seq = s->seq;
    e->event = (char *)event;
    e->source_return_id = d->source_return_id;
    e->return_sha256 = (char *)s->return_sha;
    e->part = part;
    e->sha256 = (char *)d->sha;
    e->bytes = d->bytes;
    e->run = (char *)s->run;
    /* the run's seal as the run folder is now (seal.h): the ledger names its manifests and
     * reports */
    e->seal = seal_compute(s->opt->run_dir, seal) == 0 ? seal : NULL;
}

int
submit_record(struct session *s, const struct doc *d, size_t i, const char *event, long http,
              const char *result, const char *answer, struct yj_error *err)
{
    struct ledger_entry e;
    char part[48];

    entry_for(s, d, i, event, &e, part, sizeof(part));
    e.http = http;
    e.result = (char *)result;
    e.answer = (char *)answer;
    return ledger_append(&s->lg, &e, err);
}

/* The ledger entry that says the receiver has these bytes of this service and period, or
 * NULL. */
const struct ledger_entry *
submit_received_entry(const struct session *s, const char *sha)
{
    for (size_t k = 0; k < s->lg.n; k++) {
        const struct ledger_entry *e = &s->lg.e[k];
        if (strcmp(e->result, "received") == 0 && strcmp(e->sha256, sha) == 0 &&
            strcmp(e->service, s->cfg->yot_ou_code) == 0 && strcmp(e->period, s->period) == 0)
            return e;
    }
    return NULL;
}

/* The state of the document SHA; *last gets the index of its last "send" entry (if any). */
enum doc_state
submit_doc_state(const struct session *s, const char *sha, size_t *last)
{
    enum doc_state st = DS_NEW;

    for (size_t k = 0; k < s->lg.n; k++) {
        const struct ledger_entry *e = &s->lg.e[k];
        if (strcmp(e->sha256, sha) != 0 || strcmp(e->service, s->cfg->yot_ou_code) != 0 ||
            strcmp(e->period, s->period) != 0 || st == DS_RECEIVED)
            continue;
        if (strcmp(e->event, "send") == 0) {
            st = DS_PENDING;
            *last = k;
        } else if (strcmp(e->event, "answer") != 0 && strcmp(e->event, "check") != 0 &&
                   strcmp(e->event, "already") != 0)
            continue; /* refused, repair: no outcome of an upload */
        else if (strcmp(e->result, "received") == 0)
            st = DS_RECEIVED;
        else if (st == DS_PENDING &&
                 (strcmp(e->result, "absent") == 0 ||
                  (strcmp(e->event, "answer") == 0 &&
                   (strcmp(e->result, "rejected") == 0 || strcmp(e->result, "tls") == 0 ||
                    strcmp(e->result, "aborted") == 0))))
            st = DS_NOT_STORED; /* a HEAD's failure says nothing of the bytes */
        /* temporary, unknown, error: still pending */
    }
    return st;
}

/* The ledger's result for a verdict. Of a HEAD, other bytes under the name are "absent"
 * (these bytes are not there); of a PUT, "rejected". submit_doc_state() reads them back. */
const char *
submit_result_name(enum verdict v, int head, int status, const struct answer *a)
{
    switch (v) {
    case V_RECEIVED:
        return "received";
    case V_ABSENT:
        return "absent";
    case V_UNKNOWN:
        return "unknown";
    case V_TEMPORARY:
        return "temporary";
    case V_OTHER:
        return head ? "absent" : "rejected";
    default:
        if (status == YJ_EX_PROTOCOL)
            return "tls";
        return a->cc == CURLE_OK ? "rejected" : "error";
    }
}

/* Before anything is sent for this service and period: every earlier upload of other bytes
 * of the period whose outcome the ledger does not know (a crash after the bytes left, an
 * answer lost, cut or timed out, 5xx until the deadline, a HEAD that could not tell) is
 * looked for at the receiver with a HEAD of its content-addressed name, and the outcome
 * recorded as a "check" of that upload (its run, submission number and part). Found: it was
 * received (its run folder gets its receipt), and this return becomes a correction of it.
 * Not found, or other bytes under the name: it was not received. Anything else: nothing is
 * sent, for the period may already be at the receiver (75, naming the entry; 69 or 76 when
 * the receiver cannot be reached or trusted). Documents of this return are asked for by
 * submit_send_document() itself. */
int
submit_resolve_pending(struct session *s, const struct docs *ds, struct yj_error *err)
{
    size_t n0 = s->lg.n;
    int rc = YJ_OK;

    for (size_t k = 0; k < n0 && rc == YJ_OK; k++) {
        struct ledger_entry old = s->lg.e[k]; /* the strings stay where they are */
        char summary[1024], when[24], short_sha[20], *url;
        size_t last = 0;
        int own = 0, tries = 0, status = YJ_OK;
        unsigned long long n = old.n;

        if (strcmp(old.event, "send") != 0 || strcmp(old.service, s->cfg->yot_ou_code) != 0 ||
            strcmp(old.period, s->period) != 0)
            continue;
        for (size_t i = 0; i < ds->n; i++)
            own |= strcmp(ds->d[i].sha, old.sha256) == 0;
        if (own || submit_doc_state(s, old.sha256, &last) != DS_PENDING || last != k)
            continue; /* only the last send of each document that is still pending */
        memcpy(when, old.time, sizeof(when));
        snprintf(short_sha, sizeof(short_sha), "%.16s", old.sha256);
        url = submit_upload_url(s, old.service, old.period, old.sha256);
        log_info("%s %s: ledger entry %llu (%s, submission %lu, part %s, sha256 %s...) was sent "
                 "without a known outcome: asking the receiver for it before anything is sent",
                 old.service, old.period, n, when, old.seq, old.part, short_sha);
        for (;;) {
            struct answer a;
            enum verdict v;
            struct ledger_entry e = old;
            const char *result;

            submit_request(s, url, old.bytes, NULL, &a);
            v = submit_classify(&a, 1, old.bytes, old.sha256, &status, summary, sizeof(summary));
            result = submit_result_name(v, 1, status, &a);
            if (v == V_RECEIVED) {
                /* its receipt first, in its own run folder, as for any upload */
                char *name = submit_document_name(old.part);
                if (name && old.run && access(old.run, F_OK) == 0) {
                    char *dir = rundir_path(old.run, RD_SUBMIT_DIR);
                    char *path = rundir_part_file(dir, RD_SUBMIT_RECEIPT, name);
                    if (!receipt_is_of(path, old.sha256)) {
                        struct receipt_of r = {0};
                        r.run_dir = old.run;
                        r.name = name;
                        r.part = old.part;
                        r.sha = old.sha256;
                        r.bytes = old.bytes;
                        r.seq = old.seq;
                        r.period = old.period;
                        r.url = url;
                        r.how = "head";
                        r.http = a.http;
                        rc = submit_write_receipt(s, &r, &a, err);
                    }
                    free(path);
                    free(dir);
                }
                free(name);
            }
            if (rc == YJ_OK && v != V_TEMPORARY) {
                e.event = "check";
                e.http = a.http;
                e.result = (char *)result;
                e.answer = summary;
                rc = ledger_append(&s->lg, &e, err);
            }
            if (rc != YJ_OK) {
                submit_answer_release(&a);
                break;
            }
            if (v == V_RECEIVED || v == V_ABSENT || v == V_OTHER) {
                if (v == V_RECEIVED)
                    log_warn("%s %s: the receiver holds the return of ledger entry %llu (%s, "
                             "submission %lu, run %s): recorded as received",
                             old.service, old.period, n, when, old.seq, old.run);
                else
                    log_info("%s %s: ledger entry %llu was not received: %s", old.service,
                             old.period, n, summary);
                submit_answer_release(&a);
                break;
            }
            if (v == V_TEMPORARY) {
                double wait = submit_retry_wait(s, ++tries, a.retry_after);
                if (wait < s->deadline - log_now()) {
                    log_info("asking again for ledger entry %llu in %.1f s: %s", n, wait, summary);
                    submit_answer_release(&a);
                    submit_pause_for(wait);
                    continue;
                }
                e.event = "check";
                e.http = a.http;
                e.result = (char *)result;
                e.answer = summary;
                if ((rc = ledger_append(&s->lg, &e, err)) != YJ_OK) {
                    submit_answer_release(&a);
                    break;
                }
            }
            submit_answer_release(&a);
            /* unknown, temporary past the deadline, or failed: send nothing */
            rc = yj_error_set(err,
                              v == V_FAILED && status != YJ_EX_REJECTED ? status : YJ_EX_TEMPFAIL,
                              "%s %s: ledger entry %llu (%s, submission %lu, part %s, sha256 "
                              "%s...) was sent without a known outcome, and the receiver does "
                              "not say whether it holds it: nothing is sent, so that the period "
                              "is never submitted twice",
                              old.service, old.period, n, when, old.seq, old.part, short_sha);
            yj_error_detail(err, "HEAD %s: %s; run %s", url, summary, old.run);
            yj_error_hint(err, "run it again later (exit 75 is worth retrying): that upload is "
                               "asked for first; if the receiver never answers its HEAD with "
                               "200 and the length, or 404, ask its operator whether it holds "
                               "that name");
            break;
        }
        free(url);
    }
    return rc;
}

/* Records and logs that every document of the return is at the receiver already; a receipt
 * the ledger proves but the run folder lacks is rebuilt from the ledger. */
int
submit_already_submitted(struct session *s, const struct docs *ds, struct yj_error *err)
{
    /* copied: appending moves the entries */
    const struct ledger_entry *first = submit_received_entry(s, ds->d[0].sha);
    unsigned long long first_n = first->n;
    char *first_run = xstrdup(first->run), first_time[24];
    char answer[PATH_MAX + 128];
    int rc = YJ_OK;

    memcpy(first_time, first->time, sizeof(first_time));
    for (size_t i = 0; i < ds->n && rc == YJ_OK; i++) {
        struct ledger_entry e = *submit_received_entry(s, ds->d[i].sha);
        if ((rc = submit_rebuild_receipt(s, &e, err)) != YJ_OK)
            break;
        s->seq = e.seq;
        snprintf(answer, sizeof(answer),
                 "already received (ledger entry %llu, run %s); nothing sent", e.n, e.run);
        rc = submit_record(s, &ds->d[i], i, "already", 0, "received", answer, err);
    }
    if (rc == YJ_OK)
        log_info("already submitted: the receiver has these bytes (ledger entry %llu of %s, "
                 "run %s); nothing sent, the receipt is in that run's submit/",
                 first_n, first_time, first_run);
    free(first_run);
    return rc;
}

/* The period's submission number for this return: its own if it was numbered after every
 * other return received for the period (a retry of a correction needs no second --resubmit),
 * else the next one. Other bytes of a period the receiver already has are a correction:
 * refused (and recorded) unless --resubmit. With DRY set, nothing is recorded: 1 if it
 * would be refused. */
int
submit_number_submission(struct session *s, const struct docs *ds, int dry, struct yj_error *err)
{
    unsigned long own = 0, max = 0, other_max = 0;
    const struct ledger_entry *other = NULL;
    int keep;

    for (size_t k = 0; k < s->lg.n; k++) {
        const struct ledger_entry *e = &s->lg.e[k];
        if (strcmp(e->service, s->cfg->yot_ou_code) != 0 || strcmp(e->period, s->period) != 0)
            continue;
        if (e->seq > max)
            max = e->seq;
        if (e->seq && strcmp(e->return_sha256, s->return_sha) == 0)
            own = e->seq;
        if (strcmp(e->result, "received") == 0 && strcmp(e->return_sha256, s->return_sha) != 0 &&
            (!other || e->seq > other_max)) {
            other = e;
            other_max = e->seq;
        }
    }
    /* bytes numbered before the return received last are not its correction */
    keep = own && own > other_max;
    if (dry)
        return !keep && other && !s->opt->resubmit;
    if (!keep && other && !s->opt->resubmit) {
        char answer[512];
        struct ledger_entry e;
        char part[48];
        /* copied: appending moves the entries */
        unsigned long long other_n = other->n;
        unsigned long other_seq = other->seq;
        char *other_run = xstrdup(other->run);
        int rc;

        snprintf(answer, sizeof(answer),
                 "refused: the period was submitted with other bytes (ledger entry %llu, "
                 "submission %lu); no --resubmit",
                 other->n, other->seq);
        entry_for(s, &ds->d[0], 0, "refused", &e, part, sizeof(part));
        e.seq = 0;
        e.part = "-";
        e.sha256 = (char *)s->return_sha;
        e.bytes = 0;
        for (size_t i = 0; i < ds->n; i++)
            e.bytes += ds->d[i].bytes;
        e.result = "refused";
        e.answer = answer;
        if ((rc = ledger_append(&s->lg, &e, err)) != YJ_OK) {
            free(other_run);
            return rc;
        }
        yj_error_set(err, YJ_EX_RESUBMIT,
                     "%s %s was already submitted with other bytes (submission %lu, ledger "
                     "entry %llu, run %s): this return is a correction and is not sent",
                     s->cfg->yot_ou_code, s->period, other_seq, other_n, other_run);
        free(other_run);
        yj_error_hint(err,
                      "if it is meant to replace the return received, send it with "
                      "--resubmit (yj-run --submit --resubmit); it becomes submission %lu",
                      max + 1);
        return YJ_EX_RESUBMIT;
    }
    s->seq = keep ? own : max + 1;
    if (other && !keep) {
        /* a correction: of the return received last (submit_correction() shows what changes) */
        s->corrects.seq = other->seq;
        s->corrects.n = other->n;
        free(s->corrects.run);
        s->corrects.run = xstrdup(other->run);
        snprintf(s->corrects.return_sha, sizeof(s->corrects.return_sha), "%s",
                 other->return_sha256);
        log_info("resubmission: %s %s was submitted before (submission %lu); this return is "
                 "submission %lu",
                 s->cfg->yot_ou_code, s->period, other->seq, s->seq);
    }
    return YJ_OK;
}
