/*
 * submit_send.c - one document sent exactly once: looked for at the receiver first when the
 * ledger has an unresolved send of it, then PUT with "If-None-Match: *" and retried while it
 * is worth it within the deadline; a 409 or 412 counts as received only when a HEAD shows
 * these bytes under the name. Every step is in the ledger before the next one.
 */
#include "submit.h"
#include "submit_int.h"

#include "log.h"
#include "receipt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* After a PUT answered 409 or 412: a HEAD of the name says whether it holds these bytes.
 * Turns *v and summary into the outcome: received (these bytes, by length and any digest),
 * other bytes (never received: 80), a TLS or connection failure, or, when the HEAD does not
 * say, temporary (asked again within the deadline, then 75). */
static void
confirm_conflict(struct session *s, const char *url, const struct doc *d, const struct answer *put,
                 enum verdict *v, int *status, char *summary, size_t n, curl_off_t *retry_after)
{
    struct answer h;
    char hs[512];
    int hstatus = YJ_OK;
    enum verdict hv;

    submit_request(s, url, d->bytes, NULL, &h);
    hv = submit_classify(&h, 1, d->bytes, d->sha, &hstatus, hs, sizeof(hs));
    switch (hv) {
    case V_RECEIVED:
        *v = V_RECEIVED;
        snprintf(summary, n,
                 "HTTP %ld %s: the receiver already holds these %llu bytes under this "
                 "content-addressed name (HEAD: length%s match)",
                 put->http, submit_reason(put->http), d->bytes, h.digest[0] ? " and SHA-256" : "");
        break;
    case V_OTHER:
        *v = V_OTHER;
        *status = YJ_EX_REJECTED;
        snprintf(summary, n,
                 "HTTP %ld %s, and the receiver holds other bytes under this content-addressed "
                 "name (HEAD: %s): these were not received",
                 put->http, submit_reason(put->http), hs);
        break;
    case V_FAILED:
        *v = V_FAILED;
        *status = hstatus;
        snprintf(summary, n, "HTTP %ld %s, then the HEAD that would confirm it failed: %s",
                 put->http, submit_reason(put->http), hs);
        break;
    default:
        *v = V_TEMPORARY;
        *status = YJ_EX_TEMPFAIL;
        *retry_after = h.retry_after;
        snprintf(summary, n,
                 "HTTP %ld %s, and the HEAD that would confirm which bytes it holds did not say: "
                 "%s",
                 put->http, submit_reason(put->http), hs);
        break;
    }
    submit_answer_release(&h);
}

/* The document is at the receiver: its receipt (unless the run has it already), then the
 * ledger's entry of EVENT; a receipt that could not be written is the error, once the entry
 * is in the ledger. */
static int
keep_receipt(struct session *s, const struct doc *d, size_t i, const char *url, const char *how,
             const char *event, const struct answer *a, const char *summary, struct yj_error *err)
{
    int rc;
    struct yj_error e2;
    int wr = YJ_OK;
    if (!receipt_is_of(d->receipt, d->sha)) {
        char dpart[48];
        struct receipt_of r = {0};
        snprintf(dpart, sizeof(dpart), "%zu/%zu", i + 1, s->ndocs);
        r.run_dir = s->opt->run_dir;
        r.name = d->name;
        r.part = dpart;
        r.sha = d->sha;
        r.bytes = d->bytes;
        r.seq = s->seq;
        r.period = s->period;
        r.url = url;
        r.how = how;
        r.http = a->http;
        r.extra = s->receipt_extra; /* a correction's: what it changes */
        wr = submit_write_receipt(s, &r, a, err);
    }
    yj_error_init(&e2);
    rc = submit_record(s, d, i, event, a->http, "received", summary, wr == YJ_OK ? err : &e2);
    if (wr != YJ_OK) {
        if (e2.code != YJ_OK)
            log_yj_error(&e2);
        rc = wr;
    }
    return rc;
}

/* The error of an answer that ends the document's upload: V_OTHER, V_UNKNOWN or V_FAILED. */
static int
not_received(enum verdict v, int check, int status, const char *what, const char *url,
             unsigned long long send_n, const struct answer *a, const char *summary,
             struct yj_error *err)
{
    int rc = YJ_OK;

    if (v == V_OTHER) {
        rc = yj_error_set(err, YJ_EX_REJECTED,
                          "%s was not received: the receiver holds other bytes under its "
                          "content-addressed name '%s'",
                          what, url);
        yj_error_detail(err, "%s", summary);
        yj_error_hint(err, "the name holds the SHA-256 of the bytes it should hold, and "
                           "nothing there is replaced: ask the receiver's operator what it "
                           "holds under it");
        return rc;
    }
    if (v == V_UNKNOWN) {
        rc = yj_error_set(err, YJ_EX_TEMPFAIL,
                          "%s was sent before (ledger entry %llu) and the receiver does not "
                          "say whether it holds it: nothing is sent, so that it is never "
                          "received twice",
                          what, send_n);
        yj_error_detail(err, "HEAD %s: %s", url, summary);
        yj_error_hint(err, "run it again later (exit 75 is worth retrying): the receiver is "
                           "asked again first; if its HEAD never answers 200 with the "
                           "length, or 404, ask its operator whether it holds that name");
        return rc;
    }
    if (v == V_FAILED) {
        rc = yj_error_set(err, status, "%s '%s' failed: %s",
                          check ? "looking at the receiver for" : "upload to", url, summary);
        if (status == YJ_EX_PROTOCOL && strstr(summary, "client certificate"))
            yj_error_hint(err, "check [submit] cert_file and key_file: the receiver requires "
                               "a client certificate it trusts");
        else if (status == YJ_EX_PROTOCOL)
            yj_error_hint(err, "check [submit] ca_file: the receiver's certificate must be "
                               "signed by that CA");
        else if (a->http >= 300 && a->http <= 399)
            yj_error_hint(err, "a return goes only to [submit] url; if the receiver has "
                               "moved, change the configuration");
        return rc;
    }
    return rc;
}

/* The error when the next try would not fit in [submit] deadline. */
static int
gave_up(const char *what, const char *url, int uploads, unsigned long long send_n,
        const char *summary, double t0, struct yj_error *err)
{
    int rc;

    if (uploads)
        rc = yj_error_set(err, YJ_EX_TEMPFAIL,
                          "upload to '%s' failed: %s; gave up after %d upload%s in "
                          "%.1f s ([submit] deadline)",
                          url, summary, uploads, uploads == 1 ? "" : "s", log_now() - t0);
    else
        rc = yj_error_set(err, YJ_EX_TEMPFAIL,
                          "%s was sent before (ledger entry %llu) and asking the "
                          "receiver for it failed: %s; gave up after %.1f s "
                          "([submit] deadline), nothing sent",
                          what, send_n, summary, log_now() - t0);
    yj_error_hint(err, "run it again (exit 75 is worth retrying): the ledger and the "
                       "receiver are asked first, so nothing is sent twice");
    return rc;
}

/* The PUT was stopped before its body was complete: the file read was not the validated
 * bytes, or could not be read. The receiver never got a whole body, so it stores nothing: the
 * ledger's "answer" is "aborted", which leaves the document not stored (docs/design.md). */
static int
stopped(struct session *s, const struct doc *d, size_t i, const struct upload_body *b,
        const struct answer *a, struct yj_error *err)
{
    char summary[256];
    int rc;

    snprintf(
        summary, sizeof(summary),
        "stopped after %llu of %llu bytes: %s; the receiver got no whole body", b->off, d->bytes,
        b->read_errno ? "the file could not be read" : "the file read is not the validated bytes");
    if ((rc = submit_record(s, d, i, "answer", a->http, "aborted", summary, err)) != YJ_OK)
        return rc;
    log_warn("%s: %s", d->name, summary);
    return submit_body_changed(b, 1, err);
}

/* A PUT answered 409 or 412 before its body was read whole (the receiver did not wait for
 * it): the name is taken, and only bytes read once more, and found to be the validated ones,
 * may be confirmed by a HEAD. Other bytes: the answer is recorded as "unknown" (the document
 * stays pending: the next run asks the receiver first) and the document refused. */
static int
unconfirmed(struct session *s, const struct doc *d, size_t i, struct upload_body *b,
            const struct answer *a, struct yj_error *err)
{
    char summary[256];
    int rc;

    if (submit_body_verify(b, err) == YJ_OK)
        return YJ_OK;
    snprintf(summary, sizeof(summary),
             "HTTP %ld %s: the name is taken at the receiver, and the file is not the validated "
             "bytes any more: which bytes it holds is not confirmed",
             a->http, submit_reason(a->http));
    {
        struct yj_error e2;
        yj_error_init(&e2);
        if ((rc = submit_record(s, d, i, "answer", a->http, "unknown", summary, &e2)) != YJ_OK) {
            log_yj_error(err);
            *err = e2;
            return rc;
        }
    }
    return err->code;
}

/* Sends one document, exactly once: looks for it at the receiver first when it was sent
 * before without a known outcome, retries what is worth retrying within the deadline, and
 * records every step in the ledger. */
int
submit_send_document(struct session *s, const struct doc *d, size_t i, struct yj_error *err)
{
    char part[64], summary[1024], what[96], hdr_sha[128], *url = NULL;
    size_t last = 0;
    int check = submit_doc_state(s, d->sha, &last) == DS_PENDING, uploads = 0, tries = 0;
    unsigned long long send_n = check ? s->lg.e[last].n : 0; /* the last send's entry */
    int status = YJ_OK, rc;
    double t0 = log_now();
    struct upload_body body = {.fd = -1};
    struct answer a = {0};

    snprintf(part, sizeof(part), "%zu of %zu", i + 1, s->ndocs);
    if (s->ndocs > 1)
        snprintf(what, sizeof(what), "part %s", part);
    else
        snprintf(what, sizeof(what), "the return");
    /* content addressed: the same bytes always go to the same name */
    url = submit_upload_url(s, s->cfg->yot_ou_code, s->period, d->sha);
    snprintf(hdr_sha, sizeof(hdr_sha), "X-Content-SHA256: %s", d->sha);
    s->put_headers = curl_slist_append(NULL, "Content-Type: application/xml");
    s->put_headers = curl_slist_append(s->put_headers, hdr_sha);
    s->put_headers = curl_slist_append(s->put_headers, "If-None-Match: *");
    s->put_headers = curl_slist_append(s->put_headers, "Expect:");
    /* a regular file of the manifest's size, or nothing is sent */
    if ((rc = submit_body_open(&body, d, err)) != YJ_OK)
        goto done;
    if (check) {
        /* what a HEAD finds makes these bytes received without a PUT to read them: they are
         * read once here, before it */
        if ((rc = submit_body_verify(&body, err)) != YJ_OK)
            goto done;
        log_info("%s was sent before without a known outcome (ledger entry %llu): asking the "
                 "receiver for it first",
                 what, send_n);
    }
    for (;;) {
        enum verdict v;
        const char *event = check ? "check" : "answer", *how = check ? "head" : "put";
        curl_off_t retry_after;

        if (!check) {
            if ((rc = submit_record(s, d, i, "send", 0, NULL, NULL, err)) != YJ_OK)
                goto done;
            send_n = s->lg.e[s->lg.n - 1].n;
            uploads++;
            log_info("uploading %s: %llu bytes (sha256 %.16s...) to %s", what, d->bytes, d->sha,
                     url);
        }
        submit_request(s, url, d->bytes, check ? NULL : &body, &a);
        if (!check && (body.changed || body.read_errno)) {
            rc = stopped(s, d, i, &body, &a, err);
            goto done;
        }
        v = submit_classify(&a, check, d->bytes, d->sha, &status, summary, sizeof(summary));
        retry_after = a.retry_after;
        if (v == V_CONFLICT && !body.verified && (rc = unconfirmed(s, d, i, &body, &a, err)))
            goto done;
        if (v == V_CONFLICT) {
            confirm_conflict(s, url, d, &a, &v, &status, summary, sizeof(summary), &retry_after);
            how = "conflict";
        }
        if (v == V_RECEIVED) {
            /* the receipt first: a crash before the ledger entry leaves bytes "sent without
             * an answer", which the next run confirms at the receiver */
            rc = keep_receipt(s, d, i, url, how, event, &a, summary, err);
            if (rc == YJ_OK)
                log_info("submitted %s: %s; %llu bytes, %.2f s; receipt in %s", what, summary,
                         d->bytes, log_now() - t0, d->receipt);
            goto done;
        }
        if (!check && a.cc == CURLE_OK && a.http > 0) {
            char kept[64];
            size_t k = strlen(summary);
            if ((rc = submit_keep_answer(s, s->opt->run_dir, url, &a, kept, sizeof(kept), err)) !=
                YJ_OK)
                goto done;
            snprintf(summary + k, sizeof(summary) - k, "; answer kept in %s (mode 0600)", kept);
        }
        if ((rc = submit_record(s, d, i, event, a.http, submit_result_name(v, check, status, &a),
                                summary, err)) != YJ_OK)
            goto done;
        if (v == V_ABSENT) {
            log_info("%s: %s; uploading it", what, summary);
            check = 0;
            submit_answer_release(&a);
            continue;
        }
        log_warn("%s: %s", what, summary);
        if (v == V_OTHER || v == V_UNKNOWN || v == V_FAILED) {
            rc = not_received(v, check, status, what, url, send_n, &a, summary, err);
            goto done;
        }
        /* temporary: the receiver may have stored the bytes before the answer was lost, so
         * the next try asks it first */
        check = 1;
        {
            double wait = submit_retry_wait(s, ++tries, retry_after);
            double left = s->deadline - log_now();
            if (wait >= left) {
                rc = gave_up(what, url, uploads, send_n, summary, t0, err);
                goto done;
            }
            log_info("retrying %s in %.1f s", what, wait);
            submit_answer_release(&a);
            submit_pause_for(wait);
        }
    }
done:
    submit_answer_release(&a);
    curl_slist_free_all(s->put_headers);
    s->put_headers = NULL;
    submit_body_release(&body);
    free(url);
    return rc;
}
