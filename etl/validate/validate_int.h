/*
 * validate_int.h - private to yj-validate (validate.c, vevents.c): the state of the one pass
 * over a return (struct vstate) and the event side's entries the driver calls. The stage's
 * interface is validate.h.
 */
#ifndef YJ_VALIDATE_INT_H
#define YJ_VALIDATE_INT_H

#include "atomic.h"
#include "error.h"
#include "justify.h"
#include "rules.h"
#include "sha256.h"
#include "staged.h"
#include "validate.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

/* Element names are the parser's own: libxml2 keeps each in its dictionary until the parser is
 * freed, so a level holds a pointer, never a copy. Names are used as their first
 * PATH_NAME_MAX - 1 bytes (paths print no more), as the fixed buffers they replaced did. */
#define PATH_NAME_MAX 64
struct path_level {
    const char *name;           /* borrowed from the parser's dictionary */
    unsigned long index;        /* 1-based position among same-named siblings */
    const char *last_child;     /* name of the last child element seen at this level, or NULL */
    unsigned long last_child_n; /* its count */
};

/* The first error libxml2 reported while reading a file that is not well-formed. */
struct xml_fault {
    int line;
    char message[512]; /* libxml2's own words, first line only; "" when it said nothing */
};

/* The return, read once and hashed as it is read (vinput.c). */
struct vinput {
    FILE *fp;
    struct sha256 hash;
    unsigned long long pos;    /* offset of the next byte read */
    unsigned long long hashed; /* bytes hashed: the file's first ones, in order */
    char *replay;              /* the bytes the peek read, for the parser (keep) */
    size_t replay_len;
    int keep, overflow; /* keeping them; more than VINPUT_REPLAY_MAX were read */
    int err;            /* errno of the open or of a read that failed, else 0 */
};

/* Opens FILE: 0, or -1 with in->err set. vinput_release() either way. */
int vinput_open(struct vinput *in, const char *file);
/* Reads up to LEN bytes (0 at the end or after an error: in->err). */
size_t vinput_read(struct vinput *in, char *buf, size_t len);
/* vinput_read as libxml2's xmlInputReadCallback (ctx: the struct vinput). */
int vinput_read_xml(void *ctx, char *buf, int len);
/* Ends the peek: BYTES[0..LEN) (borrowed) are the ones it read, for the parser first, and
 * vinput_read() goes on after them; or none, and the file is read again from its start. 0, or
 * -1 with in->err set. */
int vinput_replay(struct vinput *in, const char **bytes, size_t *len);
/* Reads (and hashes) whatever the parse left unread, then the whole file's SHA-256 into HEX.
 * 0, or -1 with in->err set. */
int vinput_finish(struct vinput *in, char hex[SHA256_HEX_LEN + 1]);
void vinput_release(struct vinput *in);

struct vstate {
    struct path_level *stack; /* grown by doubling, never past VALIDATE_MAX_DEPTH levels */
    int stack_levels;         /* levels allocated */
    int depth;
    struct atomic_file *report;
    struct yj_error *err;
    struct validate_result *res;
    int io_status;
    struct rules *rules;     /* the bundle's business rules */
    struct justify *justify; /* explained queries, or NULL */
    char *explained;         /* their report lines, written after the findings */
    size_t explained_len;
    struct staged_reader *persons; /* staged person.tsv in step with the children, or NULL */
    int persons_ypid;              /* its ypid column */
    const char *envelope;          /* the envelope's element (items.conf), borrowed */
    const char *count_field;       /* its field of document_count(), or NULL: none to check */
    long document_count;           /* the envelope's documentCount, -1 until read */
    int document_count_line;
    char text[256];
    int text_len;
    xmlParserCtxtPtr parser; /* for the current line in rule findings */
    int doctype;
    int too_deep; /* an element past VALIDATE_MAX_DEPTH stopped the parser */
    int pending_pop;
    const char *log_where; /* a schema finding's child, item and field for stderr, or NULL */
};

/* A finding at LINE, at the current element path, to the report (and the first few, without
 * the message, to stderr); SEVERITY "error" or "query". */
void vstate_finding(struct vstate *v, int line, const char *severity, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Keeps libxml2's first error (not warnings) in F. */
void xml_fault_set(struct xml_fault *f, const xmlError *e);
/* The schema validator's structured error handler (ctx: the struct vstate). */
void vstate_schema_error(void *ctx, xmlErrorPtr e);
/* The rules' emit function (ctx: the struct vstate). */
void vstate_rule_finding(void *ctx, int line, struct rule *rule, const char *where);
/* Applies an element end still pending (see vevents.c). */
void vstate_apply_pending_pop(struct vstate *v);
/* Our SAX callbacks (user data: the struct vstate), for xmlSchemaSAXPlug. */
void vstate_sax_handler(xmlSAXHandler *sax);

#endif
