#!/usr/bin/env bash
# bench.sh: time every stage on synthetic warehouses and compare with floors measured in the
# same run on the same data:
#   load       yj-gen piped into psql COPY      (floor: none; the figure is the load itself)
#   extract    yj-extract --jobs 1, and --jobs N (N: the cores)
#                                               (floor: psql \copy of the extraction queries as
#                                               they were before the parallel read, serial, to
#                                               /dev/null: scripts/bench/extract-floor.sql)
#   transform  yj-transform                     (floor: xmllint --stream --noout of its output)
#   validate   yj-validate                      (floor: xmllint --stream --schema, same XSD)
#   kpi        yj-kpi                           (floor: xmllint --stream --noout of the return)
#   submit     yj-submit over mutual TLS        (floor: curl PUT of the same file, same certs)
#   report     yj-report --no-pdf               (floor: xmllint --stream --noout of the return;
#                                               both run BENCH_REPORT_RUNS times, default 3,
#                                               alternating: the best of each, medians in the note)
#   report+pdf the PDF step alone: headless Chromium printing pack.html, as yj-report runs it
#                                               (no floor; its largest process's peak RSS)
# The runs root of each size holds its one run (RUNS/MEDWAY/2025Q1/<stamp>) and the ledger
# yj-submit writes, so the report's trend finds the quarter submitted in the archive.
# Every stage's peak RSS (KiB) is printed beside its time; the extract rows also give the CPU
# seconds of the client (user+sys) and of the server's backends (the postmaster's reaped
# children, so autovacuum's share too), the floor's likewise.
# usage: scripts/bench.sh [N ...]      (default: 10000 100000 children; build/ must exist)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/pg.sh
source "$REPO/scripts/lib/pg.sh"
# shellcheck source=lib/receiver.sh
source "$REPO/scripts/lib/receiver.sh"
# shellcheck source=lib/config.sh
source "$REPO/scripts/lib/config.sh"

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 0
fi
SIZES=("$@")
((${#SIZES[@]})) || SIZES=(10000 100000)
BIN="$REPO/build/bin"
STATE="$REPO/build/bench"
PERIOD=2025Q1
STAMP=20250720T020000Z
REPORT_RUNS=${BENCH_REPORT_RUNS:-3}
[[ -x "$BIN/yj-run" ]] || { echo "bench.sh: build first (cmake -S . -B build && cmake --build build)" >&2; exit 1; }
# time and bc: the demo role of scripts/packages.txt
bash "$REPO/scripts/install-deps.sh" demo >&2

say() { echo "bench: $*" >&2; }
# secs CMD...: runs CMD, prints elapsed seconds with 3 decimals. Every timing starts after a
# sync, so no figure pays for writing back what an earlier step left in the page cache.
secs() {
    local t0 t1
    sync
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>>"$STATE/bench.log"
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l | xargs printf '%.3f'
}
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
# best V...: the smallest; median V...: the middle one (the mean of the two middle ones)
best() { printf '%s\n' "$@" | sort -g | head -1; }
median() {
    printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
        printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# stage CMD...: runs CMD under /usr/bin/time; prints "seconds peak_rss_kib"
stage() {
    sync
    /usr/bin/time -f '%e %M' -o "$STATE/time" "$@" >/dev/null 2>>"$STATE/bench.log"
    cat "$STATE/time"
}
# backend_ticks: CPU clock ticks of every backend the postmaster has reaped so far
backend_ticks() { awk '{print $16 + $17}' "/proc/$(head -1 "$STATE/pg/data/postmaster.pid")/stat"; }
# cpu_stage CMD...: like stage, then the client's and the backends' CPU seconds:
# "seconds peak_rss_kib client_cpu backends_cpu"
cpu_stage() {
    local b0 b1 e m u s
    sync
    b0=$(backend_ticks)
    /usr/bin/time -f '%e %M %U %S' -o "$STATE/time" "$@" >/dev/null 2>>"$STATE/bench.log"
    sleep 0.5 # the postmaster reaps the backends of the connections just closed
    b1=$(backend_ticks)
    read -r e m u s <"$STATE/time"
    echo "$e $m $(echo "$u + $s" | bc -l | xargs printf '%.2f') $(echo "($b1 - $b0) / $(getconf CLK_TCK)" | bc -l | xargs printf '%.2f')"
}

cleanup() {
    receiver_stop "$STATE/receiver" >/dev/null 2>&1 || true
    pg_cluster_stop "$STATE/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT

rm -rf "$STATE"
mkdir -p "$STATE"
conn=$(pg_cluster_start "$STATE/pg" 54329 test)
port=$(free_port 18443)
url=$(receiver_start "$STATE/receiver" "$port" overwrite)
extract_conn=$(pg_conninfo "$STATE/pg" 54329 yj_extract)
yj_write_config "$STATE/yj.conf" "$extract_conn" "$url" \
    "$STATE/receiver" "$STATE/runs" "$REPO"
# the report+pdf row's browser: Chromium, timed alone (the PDF step), under /usr/bin/time;
# its key goes last, into [report], the last section yj_write_config writes
cat >"$STATE/chromium-timed" <<SH
#!/bin/sh
exec /usr/bin/time -f '%e %M' -o "$STATE/pdf-time" /usr/bin/chromium "\$@"
SH
chmod 0755 "$STATE/chromium-timed"
{ cat "$STATE/yj.conf"; echo "browser = $STATE/chromium-timed"; } >"$STATE/yj-pdf.conf"

printf '%-9s %-10s %9s %9s %7s %9s  %s\n' children stage seconds floor ratio rss_kib note
for n in "${SIZES[@]}"; do
    say "loading $n children"
    load=$(secs bash "$REPO/scripts/load-warehouse.sh" --gen "$BIN/yj-gen" --seed 7 --children "$n" -- "$conn")
    printf '%-9s %-10s %9s %9s %7s %9s  %s\n' "$n" load "$load" - - - "yj-gen | psql COPY, DDL and ANALYZE"
    root="$STATE/runs/$n"
    run="$root/MEDWAY/$PERIOD/$STAMP"
    mkdir -p "$run/validate"

    jobs=$(nproc)
    read -r flo _ flo_cpu flo_be < <(cpu_stage psql -X -q -d "$extract_conn" \
        -f "$REPO/scripts/bench/extract-floor.sql")
    for j in 1 "$jobs"; do
        rm -rf "$run/staged"
        read -r ext ext_rss ext_cpu ext_be < <(cpu_stage "$BIN/yj-extract" --config "$STATE/yj.conf" \
            --period $PERIOD --out "$run/staged" --jobs "$j")
        printf '%-9s %-10s %9s %9s %7s %9s  %s\n' "$n" "extract-j$j" "$ext" "$flo" "$(ratio "$ext" "$flo")" \
            "$ext_rss" "cpu: client $ext_cpu s, backends $ext_be s; floor's: psql $flo_cpu s, backends $flo_be s"
    done
    printf '%-9s %-10s %9s %9s %7s %9s  %s\n' "$n" floor "$flo" - - - \
        "psql \\copy of the $(grep -c '^\\copy' "$REPO/scripts/bench/extract-floor.sql") queries before the parallel read, serial"

    read -r tra tra_rss < <(stage "$BIN/yj-transform" --config "$STATE/yj.conf" --in "$run/staged" \
        --out "$run/return" --sign-off 2025-07-20)
    flo=$(secs xmllint --stream --noout "$run/return/cld.xml")
    size=$(stat -c %s "$run/return/cld.xml")
    printf '%-9s %-10s %9s %9s %7s %9s  %s\n' "$n" transform "$tra" "$flo" "$(ratio "$tra" "$flo")" "$tra_rss" \
        "floor: xmllint --stream parse; XML $((size / 1048576)) MiB, $((size / n)) bytes per child"

    read -r val val_rss < <(stage "$BIN/yj-validate" --config "$STATE/yj.conf" --report "$run/validate/report.txt" "$run/return/cld.xml")
    flo=$(secs xmllint --stream --noout --schema "$REPO/mappings/schema-11/cld.xsd" "$run/return/cld.xml")
    printf '%-9s %-10s %9s %9s %7s %9s  %s\n' "$n" validate "$val" "$flo" "$(ratio "$val" "$flo")" "$val_rss" "floor: xmllint --stream --schema"

    read -r kpi kpi_rss < <(stage "$BIN/yj-kpi" --config "$STATE/yj.conf" --return "$run/return" \
        --staged "$run/staged" --out "$run/kpi")
    flo=$(secs xmllint --stream --noout "$run/return/cld.xml")
    printf '%-9s %-10s %9s %9s %7s %9s  %s\n' "$n" kpi "$kpi" "$flo" "$(ratio "$kpi" "$flo")" "$kpi_rss" \
        "floor: xmllint --stream parse of the same return; $(($(wc -l <"$run/kpi/cases.csv") - 1)) case lines"

    read -r sub sub_rss < <(stage "$BIN/yj-submit" --config "$STATE/yj.conf" --run-dir "$run" \
        --ledger "$root/ledger")
    flo=$(secs curl -sS --fail --cacert "$STATE/receiver/ca.pem" --cert "$STATE/receiver/client.pem" \
        --key "$STATE/receiver/client.key" -T "$run/return/cld.xml" "${url}floor-$n.xml")
    printf '%-9s %-10s %9s %9s %7s %9s  %s\n' "$n" submit "$sub" "$flo" "$(ratio "$sub" "$flo")" "$sub_rss" "floor: curl PUT, same certificates"

    rep=() rep_rss=() flos=()
    for ((i = 0; i < REPORT_RUNS; i++)); do
        read -r t m < <(stage "$BIN/yj-report" --config "$STATE/yj.conf" --run-dir "$run" \
            --runs-root "$root" --no-pdf)
        [[ -s "$run/report/MANIFEST" ]] || { say "yj-report failed: see $STATE/bench.log"; exit 1; }
        rep+=("$t") rep_rss+=("$m")
        flos+=("$(secs xmllint --stream --noout "$run/return/cld.xml")")
    done
    rep_best=$(best "${rep[@]}") flo=$(best "${flos[@]}")
    printf '%-9s %-10s %9s %9s %7s %9s  %s\n' "$n" report "$rep_best" "$flo" "$(ratio "$rep_best" "$flo")" \
        "$(best "${rep_rss[@]}")" "best of $REPORT_RUNS, floor's too; medians: $(median "${rep[@]}") s against $(median "${flos[@]}") s ($(ratio "$(median "${rep[@]}")" "$(median "${flos[@]}")")), rss $(median "${rep_rss[@]}" | xargs printf '%.0f') KiB"

    read -r rpdf _ < <(stage "$BIN/yj-report" --config "$STATE/yj-pdf.conf" --run-dir "$run" \
        --runs-root "$root")
    [[ -s "$run/report/MANIFEST" ]] || { say "yj-report failed: see $STATE/bench.log"; exit 1; }
    read -r pdf pdf_rss <"$STATE/pdf-time"
    printf '%-9s %-10s %9s %9s %7s %9s  %s\n' "$n" report+pdf "$pdf" - - "$pdf_rss" \
        "the PDF step alone: Chromium, its largest process's peak RSS; yj-report with it $rpdf s, $(pdfinfo "$run/report/pack.pdf" | awk '/^Pages:/ {print $2}') pages"
    rm -f "$run/staged/"*.tsv # the children's data; staged/service/ stays, for yj-report again
done
