/*
 * support.c - integration test helpers. Commands run through fork/exec with pipes, no shell;
 * SQL runs through psql as the superuser the harness created (tests need to change the
 * warehouse to check history and as-of reads).
 */
#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *env_text;

char *
path2(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);

    cr_assert(p);
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

char *
read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, k;

    if (!f)
        return NULL;
    do {
        if (n + 65536 + 1 > cap) {
            cap = (n + 65536 + 1) * 2;
            buf = realloc(buf, cap);
            cr_assert(buf);
        }
        k = fread(buf + n, 1, 65536, f);
        n += k;
    } while (k > 0);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

const char *
env_get(const char *key)
{
    size_t klen = strlen(key);
    char *line;
    static struct {
        const char *key;
        char *value;
    } cache[32];
    static int ncache;

    if (!env_text) {
        char *p = path2(YJ_HARNESS_DIR, "env");
        env_text = read_file(p, NULL);
        free(p);
        cr_assert(env_text, "harness env file missing: is the harness started?");
    }
    for (int i = 0; i < ncache; i++)
        if (strcmp(cache[i].key, key) == 0)
            return cache[i].value;
    for (line = env_text; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
            const char *v = line + klen + 1;
            size_t n = strcspn(v, "\n");
            if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'') {
                v++;
                n -= 2;
            }
            cr_assert(ncache < 32);
            cache[ncache].key = key;
            cache[ncache].value = strndup(v, n);
            return cache[ncache++].value;
        }
    }
    cr_assert_fail("harness env has no %s", key);
    return NULL;
}

/* Appends what one read gives; returns the read's result (0 at end of file). */
static ssize_t
drain(int fd, char **buf, size_t *len, size_t *cap)
{
    char tmp[65536];
    ssize_t n = read(fd, tmp, sizeof(tmp));

    if (n <= 0)
        return n;
    if (*len + (size_t)n + 1 > *cap) {
        *cap = (*len + (size_t)n + 1) * 2;
        *buf = realloc(*buf, *cap);
        cr_assert(*buf);
    }
    memcpy(*buf + *len, tmp, (size_t)n);
    *len += (size_t)n;
    (*buf)[*len] = '\0';
    return n;
}

struct cmd_result
run_cmd(const char *const argv[])
{
    int out[2], err[2], status;
    struct cmd_result r = {0};
    size_t len[2] = {0, 0}, cap[2] = {1, 1};
    pid_t pid;
    char *prog = argv[0][0] == '/' ? strdup(argv[0]) : path2(YJ_BIN_DIR, argv[0]);
    struct pollfd p[2];

    r.out = calloc(1, 1);
    r.err = calloc(1, 1);
    cr_assert(pipe(out) == 0 && pipe(err) == 0);
    pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]);
        close(err[0]);
        close(out[1]);
        close(err[1]);
        execv(prog, (char *const *)argv);
        _exit(127);
    }
    free(prog);
    close(out[1]);
    close(err[1]);
    p[0].fd = out[0];
    p[1].fd = err[0];
    p[0].events = p[1].events = POLLIN;
    while (p[0].fd >= 0 || p[1].fd >= 0) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++)
            if (p[i].fd >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
                drain(p[i].fd, i == 0 ? &r.out : &r.err, &len[i], &cap[i]) <= 0)
                p[i].fd = -1;
    }
    close(out[0]);
    close(err[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

void
cmd_result_free(struct cmd_result *r)
{
    free(r->out);
    free(r->err);
}

int
file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int
files_equal(const char *a, const char *b)
{
    size_t la, lb;
    char *x = read_file(a, &la), *y = read_file(b, &lb);
    int eq = x && y && la == lb && memcmp(x, y, la) == 0;

    free(x);
    free(y);
    return eq;
}

char *
temp_dir(const char *tag)
{
    char *base = path2(YJ_HARNESS_DIR, "tmp");
    char tmpl[1024];

    mkdir(base, 0755);
    snprintf(tmpl, sizeof(tmpl), "%s/%s-XXXXXX", base, tag);
    free(base);
    cr_assert(mkdtemp(tmpl), "mkdtemp: %s", strerror(errno));
    return strdup(tmpl);
}

char *
config_variant(const char *tag, ...)
{
    char *dir = temp_dir(tag);
    char *path = path2(dir, "yj.conf");
    char *base = read_file(env_get("YJ_TEST_CONF"), NULL);
    FILE *f = fopen(path, "w");
    va_list ap;

    cr_assert(base && f);
    for (char *line = strtok(base, "\n"); line; line = strtok(NULL, "\n")) {
        const char *key, *value;
        int replaced = 0;
        va_start(ap, tag);
        while ((key = va_arg(ap, const char *)) != NULL) {
            value = va_arg(ap, const char *);
            size_t k = strlen(key);
            if (strncmp(line, key, k) == 0 && (line[k] == ' ' || line[k] == '=')) {
                if (value)
                    fprintf(f, "%s = %s\n", key, value);
                replaced = 1;
            }
        }
        va_end(ap);
        if (!replaced)
            fprintf(f, "%s\n", line);
    }
    fclose(f);
    free(base);
    free(dir);
    return path;
}

void
config_insert(const char *conf, const char *section, const char *lines)
{
    char *text = read_file(conf, NULL), head[64], *at;
    FILE *f;

    cr_assert(text, "no %s", conf);
    snprintf(head, sizeof(head), "%s\n", section);
    at = strstr(text, head);
    cr_assert(at, "%s has no %s section", conf, section);
    at += strlen(head);
    f = fopen(conf, "w");
    cr_assert(f);
    fprintf(f, "%.*s%s%s", (int)(at - text), text, lines, at);
    cr_assert_eq(fclose(f), 0);
    free(text);
}

void
sql_exec_db(const char *db, const char *sql)
{
    const char *super = env_get("YJ_TEST_CONNINFO"), *at = strstr(super, "dbname=yj ");
    char conn[1024];
    struct cmd_result r;

    cr_assert(at, "no dbname=yj in %s", super);
    snprintf(conn, sizeof(conn), "%.*sdbname=%s %s", (int)(at - super), super, db,
             at + strlen("dbname=yj "));
    {
        const char *argv[] = {
            "/usr/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conn, "-c", sql, NULL};
        r = run_cmd(argv);
    }
    cr_assert_eq(r.status, 0, "psql failed: %s", r.err);
    cmd_result_free(&r);
}

char *
sql_exec(const char *sql)
{
    char conn[1024];
    struct cmd_result r;
    char *value;

    snprintf(conn, sizeof(conn), "%s", env_get("YJ_TEST_CONNINFO"));
    {
        const char *argv[] = {"/usr/bin/psql",   "-X", "-q", "-t", "-A", "-v",
                              "ON_ERROR_STOP=1", "-d", conn, "-c", sql,  NULL};
        r = run_cmd(argv);
    }
    cr_assert_eq(r.status, 0, "psql failed: %s", r.err);
    value = r.out[0] ? strndup(r.out, strcspn(r.out, "\n")) : NULL;
    cmd_result_free(&r);
    return value;
}

void
copy_tree(const char *from, const char *to)
{
    const char *argv[] = {"/bin/cp", "-r", from, to, NULL};
    struct cmd_result r = run_cmd(argv);

    cr_assert_eq(r.status, 0, "cp failed: %s", r.err);
    cmd_result_free(&r);
}

char *
sign_off_for(const char *period)
{
    char *s = malloc(32);

    cr_assert(s && strlen(period) == 6);
    snprintf(s, 32, "%04d-04-15", (int)(strtol(period, NULL, 10) % 10000) + 1);
    return s;
}

pid_t
spawn_cmd(const char *const argv[])
{
    return start_run(argv, "/dev/null", "/dev/null");
}

int
count_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        char *p;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        p = path2(dir, e->d_name);
        if (lstat(p, &st) == 0)
            n += S_ISDIR(st.st_mode) ? count_files(p) : S_ISREG(st.st_mode) ? 1 : 0;
        free(p);
    }
    closedir(d);
    return n;
}

char *
untimed(const char *text)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1), *o = out;

    cr_assert(out);
    for (const char *in = text; *in;) {
        size_t n = strcspn(in, "\n");
        const char *end = in + n, *tail;
        if (n > 21 && in[4] == '-' && in[10] == 'T' && in[19] == 'Z' && in[20] == ' ')
            in += 21;
        tail = end;
        if (end - in > 4 && memcmp(end - 2, " s", 2) == 0) {
            const char *p = end - 2;
            while (p > in && (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9')))
                p--;
            if (p - in >= 3 && memcmp(p - 3, "in ", 3) == 0)
                tail = p;
        }
        memcpy(o, in, (size_t)(tail - in));
        o += tail - in;
        if (tail != end) {
            memcpy(o, "- s", 3);
            o += 3;
        }
        if (*end == '\n')
            *o++ = '\n';
        in = end + (*end == '\n');
    }
    *o = '\0';
    return out;
}

void
sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

pid_t
start_run(const char *const argv[], const char *out, const char *err)
{
    char *prog = argv[0][0] == '/' ? strdup(argv[0]) : path2(YJ_BIN_DIR, argv[0]);
    pid_t pid = fork();

    cr_assert(pid >= 0);
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        dup2(o, 1);
        dup2(e, 2);
        execv(prog, (char *const *)argv);
        _exit(127);
    }
    free(prog);
    return pid;
}

/* The pid of a child of PARENT whose name is COMM (waits up to 10 s); 0 if none. */
pid_t
child_named(pid_t parent, const char *comm)
{
    for (int tries = 0; tries < 200; tries++) {
        DIR *d = opendir("/proc");
        struct dirent *e;
        pid_t found = 0;

        cr_assert(d);
        while (!found && (e = readdir(d)) != NULL) {
            char path[300], buf[512], name[64];
            int ppid = 0;
            FILE *f;
            if (strspn(e->d_name, "0123456789") != strlen(e->d_name))
                continue;
            snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
            if (!(f = fopen(path, "r")))
                continue;
            if (fgets(buf, sizeof(buf), f)) {
                char *open_paren = strchr(buf, '('), *close_paren = strrchr(buf, ')');
                if (open_paren && close_paren && close_paren > open_paren &&
                    sscanf(close_paren + 2, "%*c %d", &ppid) == 1) {
                    snprintf(name, sizeof(name), "%.*s", (int)(close_paren - open_paren - 1),
                             open_paren + 1);
                    if (ppid == parent && strcmp(name, comm) == 0)
                        found = (pid_t)atoi(e->d_name);
                }
            }
            fclose(f);
        }
        closedir(d);
        if (found)
            return found;
        sleep_ms(50);
    }
    return 0;
}

/* The state letter of PID in /proc (R, S, T, Z, ...), 0 if it is gone. */
char
state_of(pid_t pid)
{
    char path[64], buf[512], state = 0;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "r")) != NULL) {
        if (fgets(buf, sizeof(buf), f)) {
            char *p = strrchr(buf, ')');
            if (p && p[1] == ' ')
                state = p[2];
        }
        fclose(f);
    }
    return state;
}

/* 1 while PID runs (a zombie has ended: it holds no file and no lock). */
int
alive(pid_t pid)
{
    char state = state_of(pid);

    return kill(pid, 0) == 0 && state && state != 'Z' && state != 'X';
}

int
wait_gone(pid_t pid, long ms)
{
    for (long t = 0; t < ms; t += 20) {
        if (!alive(pid))
            return 1;
        sleep_ms(20);
    }
    return !alive(pid);
}

char *
replace_all(char *text, const char *what, const char *with)
{
    size_t nw = strlen(what), nr = strlen(with), n = 0;
    char *out, *o;

    for (char *at = strstr(text, what); at; at = strstr(at + nw, what))
        n++;
    out = o = malloc(strlen(text) + n * nr + 1);
    cr_assert(out);
    for (char *in = text, *at;; in = at + nw) {
        at = strstr(in, what);
        if (!at) {
            memcpy(o, in, strlen(in) + 1);
            break;
        }
        memcpy(o, in, (size_t)(at - in));
        o += at - in;
        memcpy(o, with, nr);
        o += nr;
    }
    free(text);
    return out;
}
