/*
 * support.h - helpers for the integration tests: the harness environment, running the real
 * executables, reading files, and SQL against the real warehouse. Every returned string is
 * malloc'd and owned by the caller.
 */
#ifndef YJ_TEST_SUPPORT_H
#define YJ_TEST_SUPPORT_H

#include <stddef.h>
#include <sys/types.h>

struct cmd_result {
    int status; /* exit status, or 128 + signal */
    char *out;  /* stdout */
    char *err;  /* stderr */
};

/* Value of a key from YJ_HARNESS_DIR/env (aborts the test if missing). */
const char *env_get(const char *key);
/* Runs BIN_DIR/argv[0] with argv; captures stdout and stderr. */
struct cmd_result run_cmd(const char *const argv[]);
void cmd_result_free(struct cmd_result *r);
/* Reads a whole file; NULL if it cannot be read. *len gets its size. */
char *read_file(const char *path, size_t *len);
int file_exists(const char *path);
/* 1 if both files exist and have the same bytes. */
int files_equal(const char *a, const char *b);
/* A new empty folder under the harness folder. */
char *temp_dir(const char *tag);
/* Copies the harness config to a new file, replacing "key = ..." lines given as
 * key/value pairs ending with NULL. */
char *config_variant(const char *tag, ...);
/* Inserts LINES (each ending in a newline) at the top of SECTION ("[return]") of the config
 * file CONF, for a key the harness config does not have. */
void config_insert(const char *conf, const char *section, const char *lines);
/* Runs SQL as the warehouse superuser; aborts the test on failure. Returns the first value of
 * the first row, or NULL. */
char *sql_exec(const char *sql);
/* Runs SQL as the warehouse superuser on the cluster's database DB (a test's own copy of the
 * warehouse, or postgres to make one); fails the test when psql fails. */
void sql_exec_db(const char *db, const char *sql);
/* Copies a folder tree (cp -r). */
void copy_tree(const char *from, const char *to);
char *path2(const char *a, const char *b);
/* A sign-off date after the end of a period "YYYYQn": 15 April of the next year (malloc'd). */
char *sign_off_for(const char *period);
/* Starts BIN_DIR/argv[0] with argv in the background, stdout and stderr to /dev/null; returns
 * its pid (the caller waits for it). */
pid_t spawn_cmd(const char *const argv[]);
/* The number of regular files under a folder, recursively (0 if it does not exist). */
int count_files(const char *dir);

/* TEXT without each line's leading UTC time and with " in N.NN s" at a line's end as " in - s"
 * (malloc'd): what does not depend on when or how fast a run went. */
char *untimed(const char *text);
/* TEXT with every WHAT as WITH (malloc'd; TEXT freed). */
char *replace_all(char *text, const char *what, const char *with);
/* Sleeps MS milliseconds. */
void sleep_ms(long ms);
/* Starts BIN_DIR/argv[0] (or argv[0] when absolute) in the background, stdin from /dev/null,
 * stdout and stderr into the files OUT and ERR; returns its pid (the caller waits for it). */
pid_t start_run(const char *const argv[], const char *out, const char *err);
/* The pid of a child of PARENT whose name is COMM (waits up to 10 s); 0 if none. */
pid_t child_named(pid_t parent, const char *comm);
/* The state letter of PID in /proc (R, S, T, Z, ...), 0 if it is gone. */
char state_of(pid_t pid);
/* 1 while PID runs (a zombie has ended: it holds no file and no lock). */
int alive(pid_t pid);
/* 1 once PID no longer runs, waiting up to MS milliseconds. */
int wait_gone(pid_t pid, long ms);

#endif
