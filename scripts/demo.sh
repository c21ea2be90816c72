#!/usr/bin/env bash
# demo.sh: one-command demonstration of yjreturns on this machine.
#   scripts/demo.sh [run]   install packages, build Release into build/, start a persistent
#                           PostgreSQL in demo/pg (2,000 synthetic children, seed 1, with the
#                           shares of a service's plans, loaded once) and an nginx mutual-TLS
#                           receiver in demo/receiver, write demo/yj.conf, then backfill and
#                           submit the seven quarters before 2025Q1 (those the ledger does not
#                           hold yet), run and submit the 2025Q1 return, and print the history
#                           of the demo's runs (yj-run --history: each period's latest run, its
#                           ten KPI headline figures and every submission), and last the path
#                           of the board pack of the eight quarters (report/pack.html and
#                           pack.pdf, which yj-run's last stage, yj-report, wrote).
#   scripts/demo.sh stop    stop both servers (the data in demo/ is kept).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/pg.sh
source "$REPO/scripts/lib/pg.sh"
# shellcheck source=lib/receiver.sh
source "$REPO/scripts/lib/receiver.sh"
# shellcheck source=lib/config.sh
source "$REPO/scripts/lib/config.sh"

DEMO="$REPO/demo"
PG_PORT=54320 # socket only: the port just names the socket file in demo/pg
SEED=1
CHILDREN=2000
GEN_OPTS=(--board-shares) # yj-gen: the shares the board pack shows (docs/domain.md)
PERIOD=2025Q1
SIGN_OFF=2025-07-20 # after the end of $PERIOD: the day the demo return is signed off
# The history before $PERIOD, eight quarters with it: one backfill, signed off on one day
# after the end of its last quarter
BACKFILL_FROM=2023Q2
BACKFILL_TO=2024Q4
BACKFILL_SIGN_OFF=2025-04-20

say() { echo "demo: $*" >&2; }

usage() {
    cat >&2 <<USAGE
usage: $0 [run|stop|--help]
  run   (default) build, start PostgreSQL and the receiver under demo/, run and submit $PERIOD
  stop  stop the demo PostgreSQL and receiver
USAGE
}

demo_stop() {
    receiver_stop "$DEMO/receiver" || true
    pg_cluster_stop "$DEMO/pg" || true
    say "servers stopped (data kept in $DEMO; remove that folder to start from scratch)"
}

# The financial quarters FROM..TO (YYYYQn), one a line.
quarters() {
    local y=${1%Q*} q=${1#*Q} last=$2
    while :; do
        echo "${y}Q$q"
        [[ "${y}Q$q" == "$last" ]] && return 0
        if ((q == 4)); then
            q=1
            y=$((y + 1))
        else
            q=$((q + 1))
        fi
    done
}

# Whether the ledger holds an upload of PERIOD that the receiver received (yj-run --history).
period_received() {
    "$REPO/build/bin/yj-run" --config "$DEMO/yj.conf" --history --period "$1" 2>/dev/null |
        grep -Eq '^  submission [0-9]+  part [0-9]+/[0-9]+  [^ ]+  received '
}

# Backfills and submits BACKFILL_FROM..BACKFILL_TO as recorded at AS_OF, from the first
# quarter the receiver has not received: a second demo does not build them again.
demo_backfill() {
    local as_of=$1 p first=""
    for p in $(quarters "$BACKFILL_FROM" "$BACKFILL_TO"); do
        if ! period_received "$p"; then
            first=$p
            break
        fi
    done
    if [[ -z "$first" ]]; then
        say "$BACKFILL_FROM to $BACKFILL_TO already submitted; no backfill"
        return 0
    fi
    say "running: build/bin/yj-run --config demo/yj.conf --from $first --to $BACKFILL_TO --as-of $as_of --submit --sign-off $BACKFILL_SIGN_OFF"
    local rc=0
    "$REPO/build/bin/yj-run" --config "$DEMO/yj.conf" --from "$first" --to "$BACKFILL_TO" \
        --as-of "$as_of" --submit --sign-off "$BACKFILL_SIGN_OFF" >/dev/null || rc=$?
    if ((rc != 0)); then
        say "the backfill failed with exit code $rc (its table above names each quarter's run); servers left running"
        say "stop them with: scripts/demo.sh stop"
    fi
    return "$rc"
}

demo_run() {
    say "installing packages if needed"
    bash "$REPO/scripts/install-deps.sh"

    say "building Release into build/"
    cmake -S "$REPO" -B "$REPO/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$REPO/build" -j2 >/dev/null

    mkdir -p "$DEMO"
    # private: only the service user (which runs the servers in demo/pg and demo/receiver)
    # may enter demo/, and only its owner the runs and configuration in it
    if _yj_is_root; then
        yj_ensure_service_user
        chgrp "$(id -gn "$YJ_SVC_USER")" "$DEMO"
        chmod 0750 "$DEMO"
    else
        chmod 0700 "$DEMO"
    fi
    # A cluster whose first load did not finish is thrown away and made again.
    if [[ -d "$DEMO/pg" && ! -f "$DEMO/pg/loaded" ]]; then
        say "removing an unfinished demo database"
        pg_cluster_stop "$DEMO/pg"
        rm -rf "$DEMO/pg"
    fi
    local conninfo
    conninfo=$(pg_cluster_start "$DEMO/pg" "$PG_PORT" demo)
    if [[ ! -f "$DEMO/pg/loaded" ]]; then
        say "loading the synthetic warehouse ($CHILDREN children, seed $SEED, ${GEN_OPTS[*]}); this takes a moment"
        bash "$REPO/scripts/load-warehouse.sh" --gen "$REPO/build/bin/yj-gen" --seed "$SEED" \
            --children "$CHILDREN" "${GEN_OPTS[@]}" -- "$conninfo"
        pg_ensure_extract_role "$DEMO/pg" "$PG_PORT"
        echo "--seed $SEED --children $CHILDREN ${GEN_OPTS[*]}" >"$DEMO/pg/generated"
        # to the microsecond: a whole second could fall before the load's own commit time,
        # and the return as recorded then would be empty
        date -u +%Y-%m-%dT%H:%M:%S.%6NZ >"$DEMO/pg/loaded"
    else
        say "warehouse already loaded; reusing it"
        if [[ "$(cat "$DEMO/pg/generated" 2>/dev/null)" != "--seed $SEED --children $CHILDREN ${GEN_OPTS[*]}" ]]; then
            say "warning: an older demo loaded it, without the shares the board pack shows;"
            say "remove $DEMO (scripts/demo.sh stop first) to load the warehouse of this demo"
        fi
        # a warehouse loaded by an older demo lacks the return's functions (CREATE OR REPLACE:
        # safe to run again)
        "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -d "$conninfo" \
            -f "$REPO/sql/warehouse/025_return.sql" >/dev/null
    fi

    local port url
    receiver_stop "$DEMO/receiver" # frees its port for the probe below
    port=$(free_port 8443)
    url=$(receiver_start "$DEMO/receiver" "$port" overwrite)

    mkdir -p "$DEMO/runs"
    chmod 0700 "$DEMO/runs" # staged data and returns hold children's personal data
    yj_write_config "$DEMO/yj.conf" "$(pg_conninfo "$DEMO/pg" "$PG_PORT" yj_extract)" "$url" \
        "$DEMO/receiver" "$DEMO/runs" "$REPO"

    # as recorded when the warehouse was loaded: a second demo run builds the same bytes, and
    # the ledger answers "already submitted" instead of sending them again
    local as_of
    as_of=$(cat "$DEMO/pg/loaded")
    demo_backfill "$as_of" || return $?
    say "running: build/bin/yj-run --config demo/yj.conf --period $PERIOD --as-of $as_of --submit --sign-off $SIGN_OFF"
    local rundir rc=0
    rundir=$("$REPO/build/bin/yj-run" --config "$DEMO/yj.conf" --period "$PERIOD" --as-of "$as_of" \
        --submit --sign-off "$SIGN_OFF") || rc=$?
    [[ -n "$rundir" ]] && echo "$rundir"
    if ((rc != 0)); then
        say "yj-run failed with exit code $rc (see docs/design.md \"Exit codes\"); servers left running"
        say "stop them with: scripts/demo.sh stop"
        return "$rc"
    fi
    cat <<INFO

Returns for $BACKFILL_FROM to $BACKFILL_TO (backfilled) and $PERIOD built and submitted.
  run directory     $rundir  (staged/, return/cld.xml, validate/report.txt, submit/receipt)
  KPIs              $rundir/kpi  (kpi1_accommodation_detail.csv ... kpi10_victims.csv,
                    headline.csv, worklist.csv and worklist.txt: what to record, per child)
  configuration     $DEMO/yj.conf
  uploads received  $(receiver_upload_dir "$DEMO/receiver")
  warehouse         psql "$conninfo"
  receiver          $url (nginx, logs in $DEMO/receiver/logs)
Another quarter:    build/bin/yj-run --config demo/yj.conf --period 2025Q2 --submit --sign-off 2025-10-20
Stop the servers:   scripts/demo.sh stop   (scripts/demo.sh starts them again, keeping the data)
INFO
    echo
    echo "History of the demo's runs (build/bin/yj-run --config demo/yj.conf --history):"
    "$REPO/build/bin/yj-run" --config "$DEMO/yj.conf" --history

    # the board pack: yj-run's last stage (yj-report) wrote it into the run, from the
    # return's whole histories and the eight quarters of runs in demo/runs
    local pack
    pack="$rundir/report/pack.html"
    [[ -f "$pack" ]] || { say "no board pack at $pack"; return 70; }
    cat <<PACK

Board pack of the eight quarters $BACKFILL_FROM to $PERIOD (small numbers suppressed; open it in a browser):
  $pack
  ${pack%.html}.pdf  (the same page on A4)
  figures as CSV and the children behind each (cases.csv, mode 0600): $(dirname "$pack")
PACK
}

case "${1:-run}" in
run) demo_run ;;
stop) demo_stop ;;
-h | --help) usage ;;
*)
    usage
    exit 64
    ;;
esac
