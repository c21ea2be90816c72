/*
 * test_main.c - yj-gen's output, pinned (scripts/gen/main.c and all it calls).
 *
 * The integration tests' golden files, the demo and the benchmarks are made from yj-gen's
 * warehouses, so its output is a contract: a pure function of the command line, the same
 * bytes on every machine and build. These are the SHA-256 of the warehouses the harness loads
 * (--seed 42 --children 300; --seed 7 --children 2000 --dirty), of the demo's (--seed 1
 * --children 2000 --board-shares) and of two more; a change that moves one changes every
 * warehouse made since: do it on purpose, then pin the new hashes and regenerate the golden
 * files. --board-shares draws from streams of its own, so the others keep their bytes.
 */
#include "sha256.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *args;
    const char *sha256;
    unsigned long long bytes;
} pinned[] = {
    {"--seed 42 --children 300", "1d1498e5c8183f1fe502e0d866bce28b53fb801d15ecfe03909c42d6b88c000d",
     321498},
    {"--seed 7 --children 2000 --dirty",
     "b37e858eaf221953e17881355d30b9ea83cf334e4b57c7ebcdb1f6e71807dce4", 2072171},
    {"--seed 7 --children 2000 --dirty --unmapped",
     "be10cea97d5c844517609da238d244422510fa8e5e1973a646793ca1eba933c3", 2072118},
    {"--seed 1 --children 2000 --board-shares",
     "e09c7dd8ac598c65c7014519e491e988c7f1645aedf830d0a1717ce3ef492962", 1363607},
    {"--help", "dc4466517ab4d1460ee7b409e358cbdbbcefec1c14a2c2fb914606017952f381", 1332},
};

Test(gen_main, writes_the_pinned_bytes)
{
    for (size_t i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++) {
        char cmd[256], buf[65536], hex[SHA256_HEX_LEN + 1];
        struct sha256 h;
        unsigned long long bytes = 0;
        size_t n;
        FILE *p;

        snprintf(cmd, sizeof(cmd), "%s/yj-gen %s", YJ_BIN_DIR, pinned[i].args);
        p = popen(cmd, "r");
        cr_assert_not_null(p, "could not run %s", cmd);
        sha256_init(&h);
        while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
            sha256_update(&h, buf, n);
            bytes += n;
        }
        sha256_final_hex(&h, hex);
        sha256_release(&h);
        cr_expect_eq(pclose(p), 0, "yj-gen %s failed", pinned[i].args);
        cr_expect_eq(bytes, pinned[i].bytes, "yj-gen %s: %llu bytes, pinned %llu", pinned[i].args,
                     bytes, pinned[i].bytes);
        cr_expect_str_eq(hex, pinned[i].sha256, "yj-gen %s: output changed (sha256 %s)",
                         pinned[i].args, hex);
    }
}
