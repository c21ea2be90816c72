/*
 * cli.c - table-driven option parsing, help text and the argv that parses back.
 *
 * Long options match only when spelled out: getopt_long would take any unambiguous prefix
 * (--subm for --submit), so a typo or a truncated option could change what a run does. Before
 * getopt_long sees argv, every "--name" is looked up exactly in the table and an inexact one is
 * refused. "-h" is the one short option, the same as --help.
 */
#include "cli.h"

#include "error.h"
#include "log.h"
#include "mem.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

/* 0 when every long option of argv is spelled out in full; else prints getopt's message for
 * the first that is not (a prefix, or no option at all) and returns -1. Walks argv as
 * getopt_long will: an option that takes an argument and has no "=" takes the next word. */
static int
exact_names(const struct cli_spec *s, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        size_t len;
        int k;

        if (strcmp(a, "--") == 0)
            return 0;
        if (strncmp(a, "--", 2) != 0)
            continue;
        len = strcspn(a + 2, "=");
        for (k = 0; k < s->noptions; k++)
            if (strlen(s->options[k].name) == len && strncmp(s->options[k].name, a + 2, len) == 0)
                break;
        if (k == s->noptions) {
            fprintf(stderr, "%s: unrecognized option '%.*s'\n", argv[0], (int)len + 2, a);
            return -1;
        }
        if (s->options[k].metavar && a[2 + len] != '=')
            i++;
    }
    return 0;
}

static void *
field(void *args, size_t target)
{
    return (char *)args + target;
}

/* Whether args holds a value of the option. */
static int
given(const struct cli_option *o, const void *args)
{
    const char *p = (const char *)args + o->target;
    const char *s;
    char **list;
    int flag;

    switch (o->type) {
    case CLI_STRING:
        memcpy(&s, p, sizeof(s));
        return s != NULL;
    case CLI_FLAG:
        memcpy(&flag, p, sizeof(flag));
        return flag != 0;
    case CLI_LIST:
        memcpy(&list, p, sizeof(list));
        return list != NULL && list[0] != NULL;
    case CLI_COMMON:
        break;
    }
    return 0;
}

/* Stores the value of option o (arg) in args; a list gets room for every word of argv. */
static void
store(const struct cli_option *o, const char *arg, int argc, void *args)
{
    void *p = field(args, o->target);
    char **list;
    int one = 1, n = 0;

    switch (o->type) {
    case CLI_STRING:
        memcpy(p, &arg, sizeof(arg));
        break;
    case CLI_FLAG:
        memcpy(p, &one, sizeof(one));
        break;
    case CLI_LIST:
        memcpy(&list, p, sizeof(list));
        if (!list) {
            list = xcalloc((size_t)argc + 1, sizeof(char *));
            memcpy(p, &list, sizeof(list));
        }
        while (list[n])
            n++;
        list[n] = (char *)arg;
        break;
    case CLI_COMMON:
        break;
    }
}

/* A common option: 0 to go on, CLI_DONE after printing the help or the version, or
 * YJ_EX_USAGE for a bad --log-format. */
static int
common(const struct cli_spec *s, const struct cli_option *o, const char *arg, int *fmt)
{
    enum log_format f;

    if (strcmp(o->name, "log-format") == 0) {
        if (log_parse_format(arg, &f) != 0) {
            fprintf(stderr, "%s: invalid --log-format '%s': use text or json\n", s->program, arg);
            return YJ_EX_USAGE;
        }
        *fmt = (int)f;
        return YJ_OK;
    }
    if (strcmp(o->name, "version") == 0)
        printf("%s %s\n", s->program, YJ_VERSION);
    else
        cli_usage(s, stdout);
    return CLI_DONE;
}

static int
parse_options(const struct cli_spec *s, int argc, char **argv, void *args, int *fmt)
{
    struct option *lo = xcalloc((size_t)s->noptions + 1, sizeof(struct option));
    int ch, rc = YJ_OK, help = -1;

    for (int i = 0; i < s->noptions; i++) {
        lo[i].name = s->options[i].name;
        lo[i].has_arg = s->options[i].metavar ? required_argument : no_argument;
        lo[i].val = 1000 + i;
        if (strcmp(s->options[i].name, "help") == 0)
            help = i;
    }
    optind = 1;
    opterr = 1;
    if (exact_names(s, argc, argv) != 0)
        rc = YJ_EX_USAGE;
    while (rc == YJ_OK && (ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        const struct cli_option *o;

        if (ch == 'h' && help >= 0)
            ch = 1000 + help;
        if (ch < 1000 || ch >= 1000 + s->noptions) {
            rc = YJ_EX_USAGE;
            break;
        }
        o = &s->options[ch - 1000];
        if (o->type == CLI_COMMON)
            rc = common(s, o, optarg, fmt);
        else
            store(o, optarg, argc, args);
    }
    free(lo);
    return rc;
}

int
cli_parse(const struct cli_spec *s, int argc, char **argv, void *args)
{
    int fmt = LOG_TEXT, rc;

    log_init(s->program, LOG_TEXT);
    if ((rc = parse_options(s, argc, argv, args, &fmt)) != YJ_OK)
        return rc;
    log_init(s->program, (enum log_format)fmt);
    switch (s->operands) {
    case CLI_NO_OPERAND:
        if (optind < argc)
            return cli_unexpected(s, argv[optind]);
        break;
    case CLI_ONE_OPERAND:
        if (argc - optind != 1) {
            fprintf(stderr, "%s: expected exactly one %s (see --help)\n", s->program, s->operand);
            return YJ_EX_USAGE;
        }
        memcpy(field(args, s->operand_target), &argv[optind], sizeof(char *));
        break;
    case CLI_SOME_OPERANDS:
        if (argc - optind < 1) {
            fprintf(stderr, "%s: expected at least one %s (see --help)\n", s->program, s->operand);
            return YJ_EX_USAGE;
        }
        /* fall through */
    case CLI_OPERANDS: {
        struct cli_args rest = {argc - optind, argv + optind};
        memcpy(field(args, s->operand_target), &rest, sizeof(rest));
        break;
    }
    }
    return s->defer_required ? YJ_OK : cli_require(s, args);
}

int
cli_unexpected(const struct cli_spec *s, const char *arg)
{
    fprintf(stderr, "%s: unexpected argument '%s'%s\n", s->program, arg,
            s->see_help ? " (see --help)" : "");
    return YJ_EX_USAGE;
}

int
cli_exit_status(int parsed)
{
    return parsed == CLI_DONE ? YJ_OK : parsed;
}

/* Appends "--name" to the list being written in buf ("A", "A and B", "A, B and C"): item k of
 * n. */
static void
list_item(char *buf, size_t size, const char *item, int k, int n)
{
    size_t len = strlen(buf);

    snprintf(buf + len, size - len, "%s%s", k == 0 ? "" : k == n - 1 ? " and " : ", ", item);
}

int
cli_require(const struct cli_spec *s, const void *args)
{
    const struct cli_option *mode = NULL;
    unsigned req, one;
    int missing = 0, nreq = 0, ngroup = 0, ngiven = 0, k = 0;
    char msg[512] = "", group[256] = "", item[96];

    for (int i = 0; i < s->noptions && !mode; i++)
        if ((s->options[i].required & CLI_MODE) && given(&s->options[i], args))
            mode = &s->options[i];
    req = mode ? CLI_MODE_REQUIRED : CLI_REQUIRED;
    one = mode ? CLI_MODE_ONE_OF : CLI_ONE_OF;
    for (int i = 0; i < s->noptions; i++) {
        const struct cli_option *o = &s->options[i];
        int has = given(o, args);

        for (int j = 0; j < s->noptions && !has; j++)
            has = s->options[j].stands_for == o && given(&s->options[j], args);
        if (o->required & req) {
            nreq++;
            missing |= !has;
        }
        if (o->required & one) {
            size_t len = strlen(group);
            snprintf(group + len, sizeof(group) - len, "%s--%s", ngroup ? " or " : "one of ",
                     o->name);
            ngroup++;
            ngiven += has;
        }
    }
    if (!missing && (ngroup == 0 || ngiven == 1))
        return YJ_OK;
    for (int i = 0; i < s->noptions; i++)
        if (s->options[i].required & req) {
            snprintf(item, sizeof(item), "--%s", s->options[i].name);
            list_item(msg, sizeof(msg), item, k++, nreq + (ngroup > 0));
        }
    if (ngroup)
        list_item(msg, sizeof(msg), group, k, nreq + 1);
    if (mode)
        fprintf(stderr, "%s: --%s needs %s\n", s->program, mode->name, msg);
    else
        fprintf(stderr, "%s: %s %s required%s\n", s->program, msg,
                nreq + (ngroup > 0) > 1 ? "are" : "is", ngroup ? "" : " (see --help)");
    return YJ_EX_USAGE;
}

void
cli_usage(const struct cli_spec *s, FILE *out)
{
    fprintf(out, "Usage: %s\n\n%s\n\nOptions:\n", s->synopsis, s->description);
    for (int i = 0; i < s->noptions; i++) {
        const struct cli_option *o = &s->options[i];
        char left[64];

        snprintf(left, sizeof(left), "--%s%s%s", o->name, o->metavar ? " " : "",
                 o->metavar ? o->metavar : "");
        fprintf(out, "  %-24s %s\n", left, o->help);
    }
    fprintf(out, "\n%s", yj_exit_codes_help);
}

/* How many times the option o stands in argv for args; its values in out (when out is not
 * NULL; NULL for a flag). */
static int
values(const struct cli_option *o, const void *args, const char **out)
{
    const char *p = (const char *)args + o->target;
    char **list;
    int n = 0;

    if (!given(o, args))
        return 0;
    switch (o->type) {
    case CLI_STRING:
        memcpy(&out[0], p, sizeof(char *));
        return 1;
    case CLI_FLAG:
        out[0] = NULL;
        return 1;
    case CLI_LIST:
        memcpy(&list, p, sizeof(list));
        while (list[n]) {
            if (out)
                out[n] = list[n];
            n++;
        }
        return n;
    case CLI_COMMON:
        break;
    }
    return 0;
}

char **
cli_argv(const struct cli_spec *s, const void *args)
{
    size_t nwords = 2, bytes = 0;
    struct cli_args rest = {0, NULL};
    const char *one = NULL;
    char **argv, *text;
    int k = 0;

    if (s->operands == CLI_ONE_OPERAND)
        memcpy(&one, (const char *)args + s->operand_target, sizeof(one));
    else if (s->operands == CLI_OPERANDS || s->operands == CLI_SOME_OPERANDS)
        memcpy(&rest, (const char *)args + s->operand_target, sizeof(rest));
    nwords += (size_t)rest.n + 1;
    for (int i = 0; i < s->noptions; i++) {
        int n = s->options[i].type == CLI_LIST ? values(&s->options[i], args, NULL)
                                               : given(&s->options[i], args);
        nwords += 2 * (size_t)n;
        bytes += (size_t)n * (strlen(s->options[i].name) + 3);
    }
    argv = xcalloc(nwords * sizeof(char *) + bytes, 1);
    text = (char *)(argv + nwords);
    argv[k++] = (char *)s->program;
    for (int i = 0; i < s->noptions; i++) {
        const struct cli_option *o = &s->options[i];
        const char **v = xcalloc(nwords, sizeof(char *));
        int n = values(o, args, v);

        for (int j = 0; j < n; j++) {
            size_t len = strlen(o->name) + 3;
            snprintf(text, len, "--%s", o->name);
            argv[k++] = text;
            text += len;
            if (o->type != CLI_FLAG)
                argv[k++] = (char *)v[j];
        }
        free(v);
    }
    if (one)
        argv[k++] = (char *)one;
    for (int i = 0; i < rest.n; i++)
        argv[k++] = rest.v[i];
    argv[k] = NULL;
    return argv;
}

void
cli_free(const struct cli_spec *s, void *args)
{
    for (int i = 0; i < s->noptions; i++)
        if (s->options[i].type == CLI_LIST) {
            char **list;
            memcpy(&list, field(args, s->options[i].target), sizeof(list));
            free(list);
            list = NULL;
            memcpy(field(args, s->options[i].target), &list, sizeof(list));
        }
}

int
cli_main(const struct cli_spec *spec, int argc, char **argv, void *opts,
         int (*stage)(struct cli_session *ss, void *opts))
{
    struct cli_session ss;
    const char *config;
    int rc;

    ss.t0 = log_now();
    ss.ended = 0;
    yj_error_init(&ss.err);
    config_init(&ss.cfg);
    rc = cli_parse(spec, argc, argv, opts);
    if (rc == YJ_OK && spec->load_config) {
        memcpy(&config, (const char *)opts + spec->config_target, sizeof(config));
        if (config)
            rc = config_load(&ss.cfg, config, &ss.err);
        if (rc != YJ_OK)
            cli_outcome(&ss, rc);
    } else if (rc != YJ_OK)
        ss.ended = 1; /* cli_parse said why */
    if (rc == YJ_OK)
        rc = cli_outcome(&ss, stage(&ss, opts));
    cli_free(spec, opts);
    config_release(&ss.cfg);
    return cli_exit_status(rc);
}

int
cli_outcome(struct cli_session *ss, int rc)
{
    if (rc != YJ_OK && !ss->ended)
        log_yj_error(&ss->err);
    ss->ended = 1;
    return rc;
}

int
cli_end(struct cli_session *ss, int rc)
{
    cli_outcome(ss, rc);
    log_info("end: status %d in %.2f s", rc, log_now() - ss->t0);
    return rc;
}

int
cli_descriptor(const char *option, const char *text, int socket, int *fd, struct yj_error *err)
{
    struct stat st;
    char *end;
    long n;

    errno = 0;
    n = strtol(text, &end, 10);
    if (*text < '0' || *text > '9' || *end || errno || n > 65535) /* no sign, no space */
        return yj_error_set(err, YJ_EX_USAGE, "--%s '%s' is not a file descriptor", option, text);
    if (fstat((int)n, &st) != 0)
        return yj_error_set(err, YJ_EX_USAGE, "--%s %ld is not an open file descriptor", option, n);
    if (socket && !S_ISSOCK(st.st_mode))
        return yj_error_set(err, YJ_EX_USAGE, "--%s %ld is not a socket", option, n);
    *fd = (int)n;
    return YJ_OK;
}

int
cli_jobs(const char *text, int max, int *jobs, struct yj_error *err)
{
    long n;
    char *end;

    if (!text) {
        n = sysconf(_SC_NPROCESSORS_ONLN);
        *jobs = n < 1 ? 1 : n > max ? max : (int)n;
        return YJ_OK;
    }
    errno = 0;
    n = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || n < 1 || n > max)
        return yj_error_set(err, YJ_EX_USAGE, "--jobs '%s' is not a number from 1 to %d", text,
                            max);
    *jobs = (int)n;
    return YJ_OK;
}
