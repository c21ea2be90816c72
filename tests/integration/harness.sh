#!/usr/bin/env bash
# harness.sh: start/stop the integration test environment (docs/design.md "Test environment").
#   harness.sh start STATEDIR BINDIR   fresh PostgreSQL (yj-gen --seed 42 --children 300) +
#                                      nginx mutual-TLS receiver; writes STATEDIR/env, yj.conf
#                                      (the same cluster also holds database yj_golden: the
#                                      hand-written warehouse of tests/integration/golden/,
#                                      and yj_dirty: yj-gen --seed 7 --children 2000 --dirty)
#   harness.sh stop STATEDIR           stops both (safe when half started or never started)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=../../scripts/lib/pg.sh
source "$REPO/scripts/lib/pg.sh"
# shellcheck source=../../scripts/lib/receiver.sh
source "$REPO/scripts/lib/receiver.sh"
# shellcheck source=../../scripts/lib/config.sh
source "$REPO/scripts/lib/config.sh"

PG_PORT=54321 # socket only: the port just names the socket file inside the cluster dir
SEED=42
CHILDREN=300
DIRTY_SEED=7 # database yj_dirty: every business rule a warehouse can break (test_dirty.c)
DIRTY_CHILDREN=2000

usage() {
    cat >&2 <<USAGE
usage: $0 start STATEDIR BINDIR
       $0 stop STATEDIR
start: fresh PostgreSQL loaded with yj-gen (seed $SEED, $CHILDREN children) and an nginx
       HTTPS receiver with mutual TLS on 127.0.0.1; writes STATEDIR/env and STATEDIR/yj.conf.
stop:  stops both servers of STATEDIR.
USAGE
}

# The cluster lives in STATEDIR/pg unless that path is too long for a unix socket, in which
# case it lives in a short /tmp folder recorded in STATEDIR/pg-dir.
pg_dir_of() {
    local state=$1
    if [[ -f "$state/pg-dir" ]]; then cat "$state/pg-dir"; else echo "$state/pg"; fi
}

do_stop() {
    local state=$1 pgdir
    [[ -d "$state" ]] || return 0
    state=$(cd "$state" && pwd -P)
    receiver_stop "$state/receiver" || true
    pgdir=$(pg_dir_of "$state")
    pg_cluster_stop "$pgdir" || true
    # A short-path cluster in /tmp is not kept: nothing else would ever remove it.
    if [[ -f "$state/pg-dir" ]]; then
        rm -rf "$pgdir" "$state/pg-dir"
    fi
}

# Creates database DB in the running cluster of PGDIR (socket port PORT) and applies
# sql/warehouse/*.sql to it in name order (030_roles.sql grants yj_extract read access to this
# database's schemas); prints the superuser conninfo of DB. Returns on failure, so that the
# caller's ERR trap runs.
create_warehouse_db() {
    local pgdir=$1 port=$2 db=$3 super f
    super=$(pg_conninfo "$pgdir" "$port")
    psql -X -q -v ON_ERROR_STOP=1 -d "${super/dbname=yj /dbname=postgres }" \
        -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" \
        -c "CREATE DATABASE $db" >/dev/null ||
        return 1
    super=${super/dbname=yj /dbname=$db }
    for f in "$REPO"/sql/warehouse/*.sql; do
        psql -X -q -v ON_ERROR_STOP=1 -d "$super" -f "$f" >/dev/null || return 1
    done
    echo "$super"
}

# Creates database yj_golden and loads the hand-written tests/integration/golden/warehouse.sql
# into it in one transaction.
load_golden() {
    local pgdir=$1 port=$2 super
    super=$(create_warehouse_db "$pgdir" "$port" yj_golden) || return 1
    psql -X -q -v ON_ERROR_STOP=1 -1 -d "$super" -f "$HERE/golden/warehouse.sql" >/dev/null ||
        return 1
    psql -X -q -v ON_ERROR_STOP=1 -d "$super" -c 'ANALYZE' >/dev/null || return 1
}

# Creates database yj_dirty and loads yj-gen --dirty (DIRTY_SEED, DIRTY_CHILDREN) into it in
# one transaction: a return from it transforms, and breaks every rule a warehouse can break.
load_dirty() {
    local pgdir=$1 port=$2 gen=$3 super
    super=$(create_warehouse_db "$pgdir" "$port" yj_dirty) || return 1
    "$gen" --seed "$DIRTY_SEED" --children "$DIRTY_CHILDREN" --dirty |
        psql -X -q -v ON_ERROR_STOP=1 -1 -d "$super" >/dev/null || return 1
    psql -X -q -v ON_ERROR_STOP=1 -d "$super" -c 'ANALYZE' >/dev/null || return 1
}

# Quote a value for a shell KEY=value line only when it needs it.
env_line() {
    local key=$1 val=$2
    if [[ "$val" =~ ^[A-Za-z0-9_./:=@%+,-]*$ ]]; then
        printf '%s=%s\n' "$key" "$val"
    else
        printf "%s='%s'\n" "$key" "${val//\'/\'\\\'\'}"
    fi
}

do_start() {
    local state=$1 bindir=$2 pgdir conninfo golden dirty url port tries rcv
    mkdir -p "$state"
    state=$(cd "$state" && pwd -P)
    bindir=$(cd "$bindir" && pwd -P)
    if [[ ! -x "$bindir/yj-gen" ]]; then
        echo "harness: $bindir/yj-gen not found (build first)" >&2
        return 66
    fi

    # Start fresh: stop anything left running and remove what an earlier start made.
    do_stop "$state"
    rm -rf "$state/pg" "$state/pg-dir" "$state/runs" "$state/receiver/uploads" \
        "$state/env" "$state/yj.conf"

    trap 'echo "harness: start failed, stopping what was started" >&2; do_stop "'"$state"'"' ERR

    pgdir="$state/pg"
    if ((${#pgdir} > 80)); then
        pgdir=$(mktemp -d /tmp/yj-pg.XXXXXX)
        echo "$pgdir" >"$state/pg-dir"
    fi
    conninfo=$(pg_cluster_start "$pgdir" "$PG_PORT" test)
    pgdir=$(cd "$pgdir" && pwd -P)

    echo "harness: loading warehouse (seed $SEED, $CHILDREN children)" >&2
    bash "$REPO/scripts/load-warehouse.sh" --gen "$bindir/yj-gen" --seed "$SEED" \
        --children "$CHILDREN" -- "$conninfo"
    pg_ensure_extract_role "$pgdir" "$PG_PORT"
    echo "harness: loading golden warehouse (database yj_golden)" >&2
    load_golden "$pgdir" "$PG_PORT"
    golden=$(pg_conninfo "$pgdir" "$PG_PORT" yj_extract)
    golden=${golden/dbname=yj /dbname=yj_golden }
    echo "harness: loading dirty warehouse (database yj_dirty, seed $DIRTY_SEED," \
        "$DIRTY_CHILDREN children)" >&2
    load_dirty "$pgdir" "$PG_PORT" "$bindir/yj-gen"
    dirty=$(pg_conninfo "$pgdir" "$PG_PORT" yj_extract)
    dirty=${dirty/dbname=yj /dbname=yj_dirty }

    rcv="$state/receiver"
    url=""
    for ((tries = 0; tries < 5; tries++)); do
        port=$(free_port $((20000 + RANDOM % 30000)))
        if url=$(receiver_start "$rcv" "$port"); then break; fi
        url=""
    done
    if [[ -z "$url" ]]; then
        echo "harness: could not start the receiver" >&2
        false
    fi

    mkdir -p "$state/runs"
    yj_write_config "$state/yj.conf" "$(pg_conninfo "$pgdir" "$PG_PORT" yj_extract)" "$url" "$rcv" \
        "$state/runs" "$REPO"

    {
        env_line YJ_TEST_CONF "$state/yj.conf"
        env_line YJ_TEST_CONNINFO "$conninfo"
        env_line YJ_TEST_URL "$url"
        env_line YJ_TEST_CA "$rcv/ca.pem"
        env_line YJ_TEST_CERT "$rcv/client.pem"
        env_line YJ_TEST_KEY "$rcv/client.key"
        env_line YJ_TEST_WRONG_CA "$rcv/wrongca.pem"
        env_line YJ_TEST_WRONG_CERT "$rcv/wrongclient.pem"
        env_line YJ_TEST_WRONG_KEY "$rcv/wrongclient.key"
        env_line YJ_TEST_UPLOAD_DIR "$(receiver_upload_dir "$rcv")"
        env_line YJ_TEST_RUNS_ROOT "$state/runs"
        env_line YJ_TEST_GOLDEN_CONNINFO "$golden"
        env_line YJ_TEST_DIRTY_CONNINFO "$dirty"
    } >"$state/env.tmp"
    mv "$state/env.tmp" "$state/env"
    trap - ERR
    echo "harness: ready; environment in $state/env" >&2
}

case "${1:-}" in
-h | --help)
    usage
    exit 0
    ;;
start)
    if (($# != 3)); then
        usage
        exit 64
    fi
    do_start "$2" "$3"
    ;;
stop)
    if (($# != 2)); then
        usage
        exit 64
    fi
    do_stop "$2"
    ;;
*)
    usage
    exit 64
    ;;
esac
