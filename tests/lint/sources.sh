#!/usr/bin/env bash
# sources.sh: rules every C source of the project keeps, checked over the tree (a ctest).
#   1. each .c of etl/ and scripts/gen/ includes "banned.h", after every other #include;
#   2. no file of etl/ but etl/core/rundir.[ch] names a file or folder of a run directory
#      (a string literal that is such a name, or starts with one of its folders) or spells a
#      file mode (0600, 0640, 0644, 0700, 0750, 0755) outside a comment or a message:
#      they are rows of the table in etl/core/rundir.c. (A message may name them; the one
#      literal allowed is a bundle's "kpi/inputs.conf", a path of mappings/, not of a run.)
#   3. no .c file of etl/ is over 800 lines, and no function over 120 (the lines between its
#      "{" and "}" at column 0, as clang-format's Linux braces put them).
# Prints one line per breach (FILE:LINE: what) and exits 1 if there is any.
# usage: tests/lint/sources.sh [REPO]
set -euo pipefail
REPO=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
cd "$REPO"
bad=0

# 1. banned.h last
while IFS= read -r f; do
    last=$(grep -n '^#include' "$f" | tail -1 | cut -d: -f2-)
    if [[ "$last" != '#include "banned.h"' ]]; then
        echo "$f: its last #include is not \"banned.h\" (etl/core/banned.h)"
        bad=1
    fi
done < <(find etl scripts/gen -name '*.c' | sort)

# 2. run-directory names and modes. Comments are cut first (/* ... */ and //), then whole
# string literals are compared with the names; a mode counts only outside string literals.
names='MANIFEST|RUN|RERUN|cld\.xml|cld\.zip|errors\.txt|diff\.csv|correction\.csv|ledger\.dirty|report\.txt|receipt|headline\.csv|cases\.csv|worklist\.csv|worklist\.txt|recording\.csv'
folders='staged/|return/|validate/|kpi/|submit/|rerun-|answer-|cld-part-'
while IFS= read -r f; do
    case "$f" in etl/core/rundir.c | etl/core/rundir.h | etl/core/banned.h) continue ;; esac
    awk -v file="$f" -v names="^\"($names)\"$" -v folders="^\"($folders)[^ ]*\"$" '
        BEGIN { incomment = 0; found = 0 }
        {
            line = $0; out = ""
            # cut comments, keeping string literals
            i = 1
            while (i <= length(line)) {
                c = substr(line, i, 1); two = substr(line, i, 2)
                if (incomment) {
                    if (two == "*/") { incomment = 0; i += 2 } else i++
                    continue
                }
                if (two == "/*") { incomment = 1; i += 2; continue }
                if (two == "//") break
                if (c == "\"") {
                    j = i + 1
                    while (j <= length(line) && substr(line, j, 1) != "\"") {
                        if (substr(line, j, 1) == "\\") j++
                        j++
                    }
                    lit = substr(line, i, j - i + 1)
                    if ((lit ~ names || lit ~ folders) && lit != "\"kpi/inputs.conf\"") {
                        printf "%s:%d: names a run-directory file: %s (use etl/core/rundir.h)\n", file, NR, lit
                        found = 1
                    }
                    out = out "\"\""
                    i = j + 1
                    continue
                }
                out = out c; i++
            }
            if (out ~ /(^|[^0-9A-Za-z_.])0(600|640|644|700|750|755)([^0-9]|$)/) {
                printf "%s:%d: spells a file mode (use etl/core/rundir.h)\n", file, NR
                found = 1
            }
        }
        END { exit found }' "$f" || bad=1
done < <(find etl -name '*.c' -o -name '*.h' | sort)

# 3. sizes
MAX_FILE=800
MAX_FUNCTION=120
while IFS= read -r f; do
    awk -v file="$f" -v maxf="$MAX_FILE" -v maxfn="$MAX_FUNCTION" '
        /^[A-Za-z_].*\(/ && !/;$/ { name = $0; sub(/\(.*/, "", name); at = NR }
        /^\{/ { start = NR }
        /^\}/ && start {
            if (NR - start - 1 > maxfn) {
                printf "%s:%d: function %s is %d lines (at most %d)\n", file, at, name, NR - start - 1, maxfn
                found = 1
            }
            start = 0
        }
        END {
            if (NR > maxf) { printf "%s: %d lines (at most %d)\n", file, NR, maxf; found = 1 }
            exit found
        }' "$f" || bad=1
done < <(find etl -name '*.c' | sort)
exit "$bad"
