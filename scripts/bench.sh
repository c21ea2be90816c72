#!/usr/bin/env bash
# bench.sh: time every stage on synthetic warehouses and compare with floors measured in the
# same run on the same data. The return is written in parts, [return] children_per_part =
# BENCH_CHILDREN_PER_PART (default: a tenth of N, at least 1000), so every size is validated
# and sent in about ten parts; every floor works on the same parts, one after another.
#   load       yj-gen piped into psql COPY      (floor: none; the figure is the load itself)
#   extract    yj-extract --jobs 1, and --jobs N (N: the cores)
#                                               (floor: psql \copy of the extraction queries as
#                                               they were before the parallel read, serial, to
#                                               /dev/null: scripts/bench/extract-floor.sql)
#   transform  yj-transform                     (floor: xmllint --stream --noout of the parts)
#   validate   yj-validate --jobs N, and --jobs 1, given the parts as yj-run gives them
#                                               (floor: xmllint --stream --schema, same XSD)
#   kpi        yj-kpi                           (floor: transform's, the same parse)
#   submit     yj-submit over mutual TLS        (floor: curl PUT of every part, same certs)
#   report     yj-report --no-pdf               (floor: xmllint --stream --noout of the parts;
#                                               both run BENCH_REPORT_RUNS times, default 3,
#                                               alternating: the best of each, medians in the note)
#   report+pdf the PDF step alone: headless Chromium printing pack.html, as yj-report runs it
#                                               (no floor; its largest process's peak RSS)
#   nightly    yj-run --period, no --submit: extract, transform, validate and kpi
#                                               (floor: the sum of those four stages' floors)
#   run:STAGE  the nightly run's own record (RUN): seconds.STAGE and cpu.STAGE, "-" when absent
# Every row gives its wall seconds, peak RSS (KiB; /usr/bin/time's, the largest process of
# those the command waited for) and CPU seconds (user+sys, the stage's worker processes
# included) with the cores that makes (cpu / wall). The extract and nightly rows also give the
# CPU seconds of the server's backends (the postmaster's reaped children, so autovacuum's share
# too), and the extract floor's likewise.
# The stage-by-stage run and the nightly run read the warehouse as of one moment (just after
# the load) and are signed off the same day, so their return and kpi/ files must be the same
# bytes, as must the staged files of extract --jobs 1 and --jobs N (each MANIFEST but for the
# moment the reading began, snapshot_time, and the SHA-256 of the MANIFEST it was made from):
# the last line of each size says "identical: staged j1=jN yes; return yes; kpi yes" or names
# the first file that differs, and bench.sh exits 1 when any differs (a stage that fails stops
# it at once).
# The runs root of each size holds its one stage-by-stage run (RUNS/MEDWAY/2025Q1/<stamp>)
# and the ledger yj-submit writes, so the report's trend finds the quarter submitted in the
# archive; the nightly run has a runs root of its own. Disk: the files of a size go as soon as
# no row needs them (the receiver's copies after the submit row, the staged rows before the
# nightly run, the returns' XML and zips at the end); at the most a size holds the warehouse,
# two returns and one run's staged files: 2.3 GB at 100,000 children, about 25 GB at 1,000,000
# (the last line of each size, "disk:", gives what it held).
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
    awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0" >&2
    exit 0
fi
SIZES=("$@")
((${#SIZES[@]})) || SIZES=(10000 100000)
BIN="$REPO/build/bin"
STATE="$REPO/build/bench"
PERIOD=2025Q1
STAMP=20250720T020000Z
SIGN_OFF=2025-07-20
XSD="$REPO/mappings/schema-11/cld.xsd"
REPORT_RUNS=${BENCH_REPORT_RUNS:-3}
JOBS=$(nproc)
[[ -x "$BIN/yj-run" ]] || { echo "bench.sh: build first (cmake -S . -B build && cmake --build build)" >&2; exit 1; }
# time and bc: the demo role of scripts/packages.txt
bash "$REPO/scripts/install-deps.sh" demo >&2

say() { echo "bench: $*" >&2; }
die() {
    say "$*; see $STATE/bench.log"
    exit 1
}
num() { echo "$1" | bc -l | xargs printf "%.${2:-2}f"; }
# ratio A B: A / B with 2 decimals ("-" when B is 0)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else printf "-"}'; }
# best V...: the smallest; median V...: the middle one (the mean of the two middle ones)
best() { printf '%s\n' "$@" | sort -g | head -1; }
median() {
    printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
        printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# row CHILDREN STAGE SECONDS FLOOR RATIO RSS_KIB CPU CORES NOTE
row() { printf '%-9s %-13s %9s %9s %6s %9s %8s %5s  %s\n' "$@"; }

# stage CMD...: runs CMD under /usr/bin/time, after a sync (no figure pays for writing back
# what an earlier step left in the page cache); sets T (seconds), M (peak RSS, KiB), C (CPU
# seconds, user+sys) and U (cores: C / T). A command that fails stops the bench.
T=0 M=0 C=0 U=0
stage() {
    local rc u s
    sync
    /usr/bin/time -f '%e %M %U %S %x' -o "$STATE/time" "$@" >/dev/null 2>>"$STATE/bench.log" || true
    read -r T M u s rc < <(tail -1 "$STATE/time") # after "Command exited with ...", if any
    [[ "$rc" == 0 ]] || die "$(basename "$1") exited $rc"
    C=$(num "$u + $s")
    U=$(ratio "$C" "$T")
}
# floor CMD...: like stage, for a floor: sets F (seconds) and leaves T, M, C and U as they were
# (the stage's, which its row prints after its floor is measured)
F=0
floor() {
    local t=$T m=$M c=$C u=$U
    stage "$@"
    F=$T
    T=$t M=$m C=$c U=$u
}
# backend_ticks: CPU clock ticks of every backend the postmaster has reaped so far
backend_ticks() { awk '{print $16 + $17}' "/proc/$(head -1 "$STATE/pg/data/postmaster.pid")/stat"; }
# cpu_stage CMD...: like stage, and B: the backends' CPU seconds
B=0
cpu_stage() {
    local b0 b1
    b0=$(backend_ticks)
    stage "$@"
    sleep 0.5 # the postmaster reaps the backends of the connections just closed
    b1=$(backend_ticks)
    B=$(num "($b1 - $b0) / $(getconf CLK_TCK)")
}
# parts DIR: the return's documents in DIR, in order (cld.xml alone, or cld-part-NNNN.xml)
parts() { find "$1" -maxdepth 1 -name 'cld*.xml' | sort; }
# same_files A B: prints "yes" when folders A and B hold the same files with the same bytes,
# each MANIFEST but for the lines that differ between two runs of the same data (the reading's
# moment, snapshot_time, and the SHA-256 of the MANIFEST it was made from, which holds that
# moment); else prints the first file (relative to A) that differs, or is in one folder only,
# and returns 1
same_files() {
    local f skip='^(snapshot_time|input_manifest_sha256|return_manifest_sha256) '
    f=$( (cd "$1" && find . -type f; cd "$2" && find . -type f) | sort | uniq -u | head -1)
    if [[ -n "$f" ]]; then
        echo "${f#./} (in one folder only)"
        return 1
    fi
    while IFS= read -r f; do
        if [[ "$f" == */MANIFEST ]]; then
            cmp -s <(grep -Ev "$skip" "$1/$f") <(grep -Ev "$skip" "$2/$f") || { echo "${f#./}"; return 1; }
        else
            cmp -s "$1/$f" "$2/$f" || { echo "${f#./}"; return 1; }
        fi
    done < <(cd "$1" && find . -type f | sort)
    echo yes
}
# disk_mark: DISK, the MiB bench.sh's folder holds, if more than before
DISK=0
disk_mark() {
    local d
    d=$(du -sm "$STATE" | cut -f1)
    ((d <= DISK)) || DISK=$d
}
# bench_config FILE RUNS_ROOT PER_PART: the configuration yj_write_config writes, with the
# return in parts of PER_PART children, no board pack in a run, and a [submit] deadline no
# upload of the bench reaches
bench_config() {
    YJ_REPORT_PACK=no yj_write_config "$1" "$extract_conn" "$url" "$STATE/receiver" "$2" "$REPO"
    awk -v cpp="$3" '{print} /^\[return\]$/ {print "children_per_part = " cpp}
        /^\[submit\]$/ {print "deadline = 3600"}' "$1" >"$1.tmp"
    mv "$1.tmp" "$1"
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
uploads=$(receiver_upload_dir "$STATE/receiver")
extract_conn=$(pg_conninfo "$STATE/pg" 54329 yj_extract)
# the report+pdf row's browser: Chromium, timed alone (the PDF step), under /usr/bin/time
cat >"$STATE/chromium-timed" <<SH
#!/bin/sh
exec /usr/bin/time -f '%e %M %U %S' -o "$STATE/pdf-time" /usr/bin/chromium "\$@"
SH
chmod 0755 "$STATE/chromium-timed"

differs=0
row children stage seconds floor ratio rss_kib cpu_s cores note
for n in "${SIZES[@]}"; do
    per_part=${BENCH_CHILDREN_PER_PART:-$((n / 10 > 1000 ? n / 10 : 1000))}
    root="$STATE/runs/$n"
    nroot="$STATE/nightly/$n"
    run="$root/MEDWAY/$PERIOD/$STAMP"
    conf="$STATE/yj-$n.conf"
    mkdir -p "$run/validate" "$nroot"
    bench_config "$conf" "$root" "$per_part"
    bench_config "$STATE/nightly-$n.conf" "$nroot" "$per_part"
    # [report] is the last section: the browser key goes last
    { cat "$conf"; echo "browser = $STATE/chromium-timed"; } >"$STATE/yj-pdf-$n.conf"

    say "loading $n children"
    cpu_stage bash "$REPO/scripts/load-warehouse.sh" --gen "$BIN/yj-gen" --seed 7 --children "$n" -- "$conn"
    row "$n" load "$T" - - "$M" "$C" "$U" "yj-gen | psql COPY, DDL and ANALYZE; backends $B s cpu"
    sleep 1
    as_of=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ) # after the load: both runs read every row

    cpu_stage psql -X -q -d "$extract_conn" -f "$REPO/scripts/bench/extract-floor.sql"
    flo_ext=$T flo_cpu=$C flo_cores=$U flo_be=$B
    for j in 1 "$JOBS"; do
        out="$run/staged"
        [[ "$j" == "$JOBS" ]] || out="$run/staged-j$j"
        cpu_stage "$BIN/yj-extract" --config "$conf" --period $PERIOD --as-of "$as_of" \
            --out "$out" --jobs "$j"
        row "$n" "extract-j$j" "$T" "$flo_ext" "$(ratio "$T" "$flo_ext")" "$M" "$C" "$U" \
            "backends $B s cpu, $(ratio "$B" "$T") cores"
    done
    queries=$(grep -c '^\\copy' "$REPO/scripts/bench/extract-floor.sql")
    row "$n" floor "$flo_ext" - - - "$flo_cpu" "$flo_cores" "psql \\copy of the $queries queries \
before the parallel read, serial; backends $flo_be s cpu, $(ratio "$flo_be" "$flo_ext") cores"
    disk_mark
    same_staged=yes
    if ((JOBS > 1)); then
        same_staged=$(same_files "$run/staged-j1" "$run/staged") || { same_staged="no: $same_staged"; differs=1; }
        rm -rf "$run/staged-j1"
    fi

    stage "$BIN/yj-transform" --config "$conf" --in "$run/staged" --out "$run/return" --sign-off "$SIGN_OFF"
    mapfile -t docs < <(parts "$run/return")
    floor xmllint --stream --noout "${docs[@]}"
    flo_parse=$F
    size=$(stat -c %s "${docs[@]}" | awk '{s += $1} END {printf "%.0f", s}')
    row "$n" transform "$T" "$F" "$(ratio "$T" "$F")" "$M" "$C" "$U" \
        "floor: xmllint --stream parse of the ${#docs[@]} parts; XML $((size / 1048576)) MiB, $((size / n)) bytes per child"

    # as yj-run calls it: the report named once, each part's report-NNNN.txt beside it
    flo_val=
    for j in "$JOBS" 1; do
        stage "$BIN/yj-validate" --config "$conf" --report "$run/validate/report.txt" \
            --staged "$run/staged" --jobs "$j" "${docs[@]}"
        read -r t m c u <<<"$T $M $C $U"
        [[ -n "$flo_val" ]] || { floor xmllint --stream --noout --schema "$XSD" "${docs[@]}"; flo_val=$F; }
        row "$n" "validate-j$j" "$t" "$flo_val" "$(ratio "$t" "$flo_val")" "$m" "$c" "$u" \
            "floor: xmllint --stream --schema of the ${#docs[@]} parts, serial"
    done

    stage "$BIN/yj-kpi" --config "$conf" --return "$run/return" --staged "$run/staged" --out "$run/kpi"
    row "$n" kpi "$T" "$flo_parse" "$(ratio "$T" "$flo_parse")" "$M" "$C" "$U" \
        "floor: transform's; $(($(wc -l <"$run/kpi/cases.csv") - 1)) case lines"

    stage "$BIN/yj-submit" --config "$conf" --run-dir "$run" --ledger "$root/ledger"
    read -r t m c u <<<"$T $M $C $U"
    disk_mark
    find "$uploads" -mindepth 1 -delete # the ledger and receipts are what the report reads
    curl_args=()
    for d in "${docs[@]}"; do curl_args+=(-T "$d" "${url}floor-$n-$(basename "$d")"); done
    floor curl -sS --fail --cacert "$STATE/receiver/ca.pem" --cert "$STATE/receiver/client.pem" \
        --key "$STATE/receiver/client.key" "${curl_args[@]}"
    find "$uploads" -mindepth 1 -delete
    row "$n" submit "$t" "$F" "$(ratio "$t" "$F")" "$m" "$c" "$u" \
        "floor: curl PUT of the ${#docs[@]} parts on one connection, same certificates"

    rep=() rep_rss=() rep_cpu=() flos=()
    for ((i = 0; i < REPORT_RUNS; i++)); do
        stage "$BIN/yj-report" --config "$conf" --run-dir "$run" --runs-root "$root" --no-pdf
        [[ -s "$run/report/MANIFEST" ]] || die "yj-report wrote no MANIFEST"
        rep+=("$T") rep_rss+=("$M") rep_cpu+=("$T $C")
        floor xmllint --stream --noout "${docs[@]}"
        flos+=("$F")
    done
    t=$(best "${rep[@]}") flo=$(best "${flos[@]}")
    c=$(printf '%s\n' "${rep_cpu[@]}" | sort -g | head -1 | cut -d' ' -f2)
    t_med=$(median "${rep[@]}") flo_med=$(median "${flos[@]}")
    row "$n" report "$t" "$flo" "$(ratio "$t" "$flo")" "$(best "${rep_rss[@]}")" "$c" "$(ratio "$c" "$t")" \
        "best of $REPORT_RUNS, floor's too; medians: $t_med s against $flo_med s \
($(ratio "$t_med" "$flo_med")), rss $(median "${rep_rss[@]}" | xargs printf '%.0f') KiB"

    stage "$BIN/yj-report" --config "$STATE/yj-pdf-$n.conf" --run-dir "$run" --runs-root "$root"
    [[ -s "$run/report/MANIFEST" ]] || die "yj-report wrote no MANIFEST"
    t=$T
    read -r T M u s < <(tail -1 "$STATE/pdf-time")
    C=$(num "$u + $s")
    pages=$(pdfinfo "$run/report/pack.pdf" | awk '/^Pages:/ {print $2}')
    row "$n" report+pdf "$T" - - "$M" "$C" "$(ratio "$C" "$T")" "the PDF step alone: Chromium, \
its largest process's peak RSS; yj-report with it $t s, $pages pages"
    rm -f "$run/staged/"*.tsv # the children's data; staged/service/ stays

    # the nightly data-quality run: what a timer starts each night, without --submit
    sum=$(num "$flo_ext + $flo_parse + $flo_val + $flo_parse")
    cpu_stage "$BIN/yj-run" --config "$STATE/nightly-$n.conf" --period "$PERIOD" --as-of "$as_of" \
        --sign-off "$SIGN_OFF"
    row "$n" nightly "$T" "$sum" "$(ratio "$T" "$sum")" "$M" "$C" "$U" "yj-run without --submit; \
backends $B s cpu, client and backends $(ratio "$(num "$C + $B")" "$T") cores; floor: the sum of \
the four serial floors above"
    nrun=$(find "$nroot/MEDWAY/$PERIOD" -mindepth 1 -maxdepth 1 -type d | head -1)
    for s in extract transform validate kpi run; do
        read -r t c < <(awk -v s="$s" '$1 == "seconds." s {t = $2} $1 == "cpu." s {c = $2}
            END {print (t == "" ? "-" : t), (c == "" ? "-" : c)}' "$nrun/RUN")
        case "$s" in
        extract) flo=$flo_ext ;;
        transform | kpi) flo=$flo_parse ;;
        validate) flo=$flo_val ;;
        run) flo=$sum ;;
        esac
        r=- u=-
        [[ "$t" == - ]] || r=$(ratio "$t" "$flo")
        [[ "$t" == - || "$c" == - ]] || u=$(ratio "$c" "$t")
        row "$n" "run:$s" "$t" "$flo" "$r" - "$c" "$u" "from the nightly run's RUN: seconds.$s, cpu.$s"
    done

    disk_mark
    same_return=$(same_files "$run/return" "$nrun/return") || { same_return="no: $same_return"; differs=1; }
    same_kpi=$(same_files "$run/kpi" "$nrun/kpi") || { same_kpi="no: $same_kpi"; differs=1; }
    echo "identical: staged j1=j$JOBS $same_staged; return $same_return; kpi $same_kpi"
    echo "disk: $DISK MiB in $STATE at the most (after extract, submit and the nightly run)"
    rm -f "$run/return/"cld*.xml "$run/return/cld.zip" "$nrun/return/"cld*.xml "$nrun/return/cld.zip"
done
((differs == 0)) || die "outputs differ"
