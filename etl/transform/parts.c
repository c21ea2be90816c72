/*
 * parts.c - the files of yj-transform's return: each part's envelope (the envelope item of
 * items.conf, its fields the run's values), its synced temporary file, cld.zip (the email
 * fallback, fixed level, times and modes so the same return gives the same bytes), and
 * renaming them all into place or removing them. The child/item writer is writer.c, the
 * driver transform.c.
 */
#include "transform_int.h"

#include "atomic.h"
#include "rundir.h"
#include "bundle.h"
#include "cli.h"
#include "manifest.h"
#include "period.h"
#include "xmlout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "banned.h"

/* The zip's fixed settings: deflate at level 6 and every entry dated 1980-01-01 00:00, the
 * first moment a zip can hold (MS-DOS date: (year - 1980) << 9 | month << 5 | day). */
#define ZIP_LEVEL 6
#define ZIP_DOS_TIME 0
#define ZIP_DOS_DATE ((0 << 9) | (1 << 5) | 1)

/* The return's name: service, period and the moment the warehouse was read, so that a rerun
 * as recorded at the same moment gives the same bytes ("MEDWAY-2025Q1-20250701T000000.000000Z"). */
static void
source_return_id(const char *yot, const struct yj_period *p, const char *as_of, char *buf,
                 size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "%s-%s-", yot, p->label);

    for (; as_of && *as_of && n + 1 < size; as_of++)
        if (*as_of != '-' && *as_of != ':')
            buf[n++] = *as_of;
    buf[n < size ? n : size - 1] = '\0';
}

/* What an envelope is written from: the run, and which document of the return it heads. */
struct envelope_run {
    const struct manifest *staged; /* the staged MANIFEST (as_of, yjreturns_version) */
    const struct yj_period *period;
    long sign_off; /* DATE_NONE when not given */
    unsigned long long children;
    unsigned number, count; /* part NUMBER of COUNT (count 1: one document) */
};

/* The run's value an envelope field takes (items.conf: its source); NULL writes nothing. BUF
 * (of SIZE, at least 160 bytes) may hold it. */
static const char *
envelope_value(const struct tx *t, const struct item_field *fd, const struct envelope_run *e,
               char *buf, size_t size)
{
    switch (fd->fn) {
    case FN_RETURN_ID:
        source_return_id(t->cfg->yot_ou_code, e->period, manifest_get(e->staged, "as_of"), buf,
                         size);
        return buf;
    case FN_SERVICE:
        return t->cfg->yot_ou_code;
    case FN_PERIOD_START:
        date_format(e->period->start, buf);
        return buf;
    case FN_PERIOD_END:
        date_format(e->period->end, buf);
        return buf;
    case FN_SIGN_OFF:
        if (e->sign_off == DATE_NONE)
            return NULL;
        date_format(e->sign_off, buf);
        return buf;
    case FN_CMS_SYSTEM:
        return t->cfg->cms_system ? t->cfg->cms_system : "yjreturns-reference-warehouse";
    case FN_STAGED_VERSION:
        return manifest_get(e->staged, "yjreturns_version");
    case FN_SCHEMA_VERSION:
        return t->bundle.schema_version;
    case FN_YJRETURNS_VERSION:
        return "yjreturns " YJ_VERSION;
    case FN_DOCUMENT_COUNT:
        snprintf(buf, size, "%llu", e->children);
        return buf;
    case FN_PART_NUMBER:
    case FN_PART_COUNT:
        if (e->count < 2)
            return NULL;
        snprintf(buf, size, "%u", fd->fn == FN_PART_NUMBER ? e->number : e->count);
        return buf;
    default: /* a field of an item: items.c allows none in the envelope */
        return NULL;
    }
}

/* The root element and the envelope, as items.conf describes it. */
static void
write_envelope(struct tx *t, const struct envelope_run *e)
{
    const struct item *env = &t->items.envelope;
    char root[512], buf[160];

    /* schemaLocation names the XSD beside the file, for validators that need a hint */
    snprintf(root, sizeof(root),
             "xmlns=\"urn:yjreturns:cld:schema-%s\" "
             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
             "xsi:schemaLocation=\"urn:yjreturns:cld:schema-%s cld.xsd\" schemaVersion=\"%s\"",
             t->bundle.schema_version, t->bundle.schema_version, t->bundle.schema_version);
    xmlout_raw(&t->xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xmlout_open(&t->xml, "cldReturn", root);
    xmlout_open(&t->xml, env->element, NULL);
    for (int f = 0; f < env->nfields; f++) {
        const struct item_field *fd = &env->fields[f];
        const char *v = envelope_value(t, fd, e, buf, sizeof(buf));
        xmlout_elem(&t->xml, fd->element, v ? v : fd->null_value);
    }
    xmlout_close(&t->xml);
}

/* Starts part NUMBER of COUNT: its temporary file and its envelope. */
int
tx_part_open(struct tx *t, struct atomic_file *af, const struct part *p, const struct manifest *m,
             const struct yj_period *period, long sign_off, unsigned number, unsigned count)
{
    struct envelope_run e = {.staged = m,
                             .period = period,
                             .sign_off = sign_off,
                             .children = p->documents,
                             .number = number,
                             .count = count};
    int rc;

    if ((rc = atomic_file_open(af, p->path, rundir_mode(RD_RETURN_PART), t->err)) != YJ_OK)
        return rc;
    xmlout_init(&t->xml, af, t->err);
    write_envelope(t, &e);
    return YJ_OK;
}

/* Ends the current part: closes the root element, syncs and closes the temporary file and
 * takes it over from the writer, so that it is renamed with the other files or removed. */
int
tx_part_close(struct tx *t, struct atomic_file *af, struct part *p)
{
    int rc;

    xmlout_close(&t->xml);
    rc = xmlout_flush(&t->xml);
    xmlout_release(&t->xml);
    if (rc != YJ_OK || (rc = atomic_file_sync(af, t->err)) != YJ_OK)
        return rc;
    sha256_final_hex(&af->hash, p->sha256);
    p->bytes = af->bytes;
    p->tmp_path = af->tmp_path;
    af->tmp_path = NULL;
    atomic_file_release(af);
    return YJ_OK;
}

/* cld.zip, the email fallback: every file of the return, in order, in a zip that depends on
 * their bytes only. Each entry is deflated at a fixed level, dated 1980-01-01 00:00 and marked
 * a Unix file of mode 0600; libzip writes no extra field with times or owners. libzip writes
 * a file of its own beside ZIP->tmp_path and renames it over, keeping that file's mode, so
 * the temporary name is created with mode 0600 first. */
int
tx_write_zip(struct part *zip, const struct part *parts, unsigned n, struct yj_error *err)
{
    zip_t *za = NULL;
    int fd, zerr, rc = YJ_OK;

    fd = open(zip->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, rundir_mode(RD_RETURN_ZIP));
    if (fd < 0)
        return yj_error_errno(err, errno == EACCES ? YJ_EX_NOPERM : YJ_EX_CANTCREAT, errno,
                              "could not create '%s'", zip->tmp_path);
    fchmod(fd, (mode_t)rundir_mode(RD_RETURN_ZIP));
    close(fd);
    za = zip_open(zip->tmp_path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        rc = yj_error_set(err, YJ_EX_CANTCREAT, "could not create '%s': %s", zip->tmp_path,
                          zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    for (unsigned i = 0; i < n; i++) {
        const char *name = strrchr(parts[i].path, '/') + 1; /* path_join put one there */
        zip_source_t *src = zip_source_file(za, parts[i].tmp_path, 0, 0);
        zip_int64_t idx = src ? zip_file_add(za, name, src, ZIP_FL_ENC_GUESS) : -1;

        if (idx < 0) {
            if (src)
                zip_source_free(src);
            rc = yj_error_set(err, YJ_EX_IOERR, "could not add '%s' to '%s': %s", parts[i].tmp_path,
                              zip->tmp_path, zip_strerror(za));
            goto done;
        }
        if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, ZIP_LEVEL) != 0 ||
            zip_file_set_dostime(za, (zip_uint64_t)idx, ZIP_DOS_TIME, ZIP_DOS_DATE, 0) != 0 ||
            zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                             (zip_uint32_t)(S_IFREG | rundir_mode(RD_RETURN_PART))
                                                 << 16) != 0) {
            rc = yj_error_set(err, YJ_EX_SOFTWARE, "could not set up '%s' in '%s': %s", name,
                              zip->tmp_path, zip_strerror(za));
            goto done;
        }
    }
    if (zip_close(za) != 0) {
        rc = yj_error_set(err, YJ_EX_IOERR, "could not write '%s': %s", zip->tmp_path,
                          zip_strerror(za));
        goto done;
    }
    za = NULL;
    fd = open(zip->tmp_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not write '%s'", zip->tmp_path);
        if (fd >= 0)
            close(fd);
        goto done;
    }
    close(fd);
    if (sha256_file(zip->tmp_path, zip->sha256, &zip->bytes) != 0)
        rc = yj_error_errno(err, YJ_EX_IOERR, errno, "could not read '%s'", zip->tmp_path);
done:
    if (za)
        zip_discard(za);
    return rc;
}

/* Renames every file of the return into place, then syncs the folder. */
int
tx_commit_files(struct part *files, unsigned n, struct yj_error *err)
{
    for (unsigned i = 0; i < n; i++) {
        if (rename(files[i].tmp_path, files[i].path) != 0)
            return yj_error_errno(err, YJ_EX_IOERR, errno, "could not rename '%s' to '%s'",
                                  files[i].tmp_path, files[i].path);
        files[i].renamed = 1;
    }
    return n ? fsync_parent_dir(files[0].path, err) : YJ_OK;
}

/* Removes what a failed run wrote (renamed or not); frees the names. */
void
tx_release_files(struct part *files, unsigned n, int failed)
{
    for (unsigned i = 0; files && i < n; i++) {
        if (files[i].tmp_path && !files[i].renamed)
            unlink(files[i].tmp_path);
        if (failed && files[i].renamed)
            unlink(files[i].path);
        free(files[i].path);
        free(files[i].tmp_path);
    }
    free(files);
}
