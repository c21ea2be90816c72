/*
 * banned.h - C library calls this project does not use, after git's banned.h.
 *
 * Each .c file of etl/ and scripts/gen/ includes this header last, after every system
 * header, so that a call to one of these is a compile error naming the reason. Use instead:
 *   strcpy, strcat, strncpy, strncat   memcpy with a length you computed, or snprintf
 *   sprintf, vsprintf                  snprintf, vsnprintf (and check the result)
 *   strtok, strtok_r                   str_token() (mem.h): no hidden state
 *   atoi, atol, atoll                  strtol/strtoll with end pointer and errno checked
 *   gmtime, localtime, ctime, asctime  gmtime_r, strftime (never the process's time zone)
 *   gets, mktemp, tmpnam               fgets/textline_read, mkstemp/mkdtemp
 * The test tests/lint/sources.sh holds every source file to including it.
 */
#ifndef YJ_BANNED_H
#define YJ_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef strtok_r
#define strtok_r(x, y, z) BANNED(strtok_r)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atoll
#define atoll(x) BANNED(atoll)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef ctime_r
#define ctime_r(t, buf) BANNED(ctime_r)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef asctime_r
#define asctime_r(t, buf) BANNED(asctime_r)
#undef gets
#define gets(x) BANNED(gets)
#undef mktemp
#define mktemp(x) BANNED(mktemp)
#undef tmpnam
#define tmpnam(x) BANNED(tmpnam)

#endif
