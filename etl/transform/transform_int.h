/*
 * transform_int.h - private to yj-transform (transform.c, writer.c, parts.c): the state of
 * one run (struct tx), a file of the return (struct part), and the writer's and the parts'
 * entries the driver calls. The stage's interface is transform.h.
 */
#ifndef YJ_TRANSFORM_INT_H
#define YJ_TRANSFORM_INT_H

#include "atomic.h"
#include "bundle.h"
#include "config.h"
#include "cursor.h"
#include "deletions.h"
#include "error.h"
#include "items.h"
#include "manifest.h"
#include "period.h"
#include "sha256.h"
#include "xmlout.h"

/* One file of the return (a part, cld.xml or cld.zip): written as name.tmp and synced, renamed
 * into place only once every file is complete. */
struct part {
    char *path;     /* the final name */
    char *tmp_path; /* the synced temporary file, until renamed */
    int renamed;
    unsigned long long documents; /* children its envelope counts */
    unsigned long long children;  /* children written */
    unsigned long long bytes;
    char sha256[SHA256_HEX_LEN + 1];
};

struct tx {
    const struct yj_config *cfg;
    struct bundle bundle;
    struct items items;
    struct child_cursor cur;
    struct deletions deleted; /* children of the previous submitted return */
    int *src;                 /* item index -> cursor source index */
    struct xmlout xml;
    struct atomic_file errors_file;
    char *out_dir;
    unsigned long long data_errors;
    struct cursor_row *person; /* the current child's person row */
    char **used;               /* per item: which of its source's rows were written */
    const void *miss_row;      /* the last unmapped lookup, so one code is reported once */
    const struct codemap *miss_map;
    struct yj_error *err; /* where I/O errors go */
    int io_status;
};

/* writer.c: writes the current child (t->person and its rows) as one child element. */
void tx_write_child(struct tx *t);

/* parts.c */
int tx_part_open(struct tx *t, struct atomic_file *af, const struct part *p,
                 const struct manifest *m, const struct yj_period *period, long sign_off,
                 unsigned number, unsigned count);
int tx_part_close(struct tx *t, struct atomic_file *af, struct part *p);
int tx_write_zip(struct part *zip, const struct part *parts, unsigned n, struct yj_error *err);
int tx_commit_files(struct part *files, unsigned n, struct yj_error *err);
void tx_release_files(struct part *files, unsigned n, int failed);

#endif
