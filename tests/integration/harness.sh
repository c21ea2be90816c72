#!/usr/bin/env bash
# harness.sh: start/stop the integration test environment (docs/design.md "Test environment").
#   harness.sh start STATEDIR BINDIR   fresh PostgreSQL (yj-gen --seed 42 --children 300) +
#                                      nginx mutual-TLS receiver; writes STATEDIR/env, yj.conf
#                                      (the same cluster also holds database yj_golden: the
#                                      hand-written warehouse of tests/integration/golden/,
#                                      and yj_dirty: yj-gen --seed 7 --children 2000 --dirty)
#                                      and a second nginx, the faulty receiver of
#                                      test_submit.c (faults_start), and an openssl s_server
#                                      that aborts the handshake on an untrusted client
#                                      certificate (strict_start)
#   harness.sh stop STATEDIR           stops them all (safe when half started or never started)
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
    receiver_stop "$state/faults" || true # same layout: run/nginx.pid
    strict_stop "$state/strict" || true
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

# The faulty receiver (test_submit.c): a second nginx with the certificates of RCV, a mutual
# TLS front on FRONT and a plain-HTTP back on BACK (loopback only; the front proxies to it).
# Each fault is a path prefix; tests add a folder of their own (/ok/<tag>/...), and count
# what was stored in DIR/uploads/<fault>/<tag>/. GET and HEAD serve what is stored (200 with
# its Content-Length, else 404), as an object store does; PUT:
#   /ok/        stores; onto an existing name answers 412 with "If-None-Match: *", else 409
#   /busy/      503 with Retry-After: 2, stores nothing
#   /throttle/  429 with Retry-After: 2, stores nothing
#   /small/     stores up to 1 KB, else 413
#   /moved/     307 to /ok/moved/ (a redirect)
#   /store500/  stores (mirror to the back), then answers 500
#   /hang/      stores, then the answer trickles at 1 byte a second (never arrives whole)
#   /cut/       stores, then answers 201 and the connection drops in the body
#   /blind/     stores, then never answers (as /hang/); and answers every HEAD with 409, as
#               the test receiver once did: a receiver that cannot say what it holds
#   /digest/    as /ok/, and every answer offers "Repr-Digest: sha-256=:<32 zero bytes>:", a
#               SHA-256 that matches no upload
#   /ctrl/      stores, then answers 200 with escape sequences and a NUL in its body and an
#               escape sequence in a header (DIR/ctrl-answer.bin)
_faults_write_conf() {
    local dir=$1 rcv=$2 front=$3 back=$4 body esc
    body=$(printf 'x%.0s' {1..400})
    esc=$(printf '\033')
    # a title change, a screen clear, red text, a NUL, then text that would be hidden
    printf 'stored\n\033]0;owned\007\033[2J\033[31mred\000after NUL\r\n' >"$dir/ctrl-answer.bin"
    cat >"$dir/nginx.conf" <<CONF
# written by tests/integration/harness.sh (faults_start)
daemon on;
worker_processes 1;
pid "$dir/run/nginx.pid";
error_log "$dir/logs/error.log" warn;
events { worker_connections 64; }
http {
    access_log "$dir/logs/access.log";
    client_body_temp_path "$dir/tmp/client_body";
    proxy_temp_path "$dir/tmp/proxy";
    fastcgi_temp_path "$dir/tmp/fastcgi";
    uwsgi_temp_path "$dir/tmp/uwsgi";
    scgi_temp_path "$dir/tmp/scgi";
    default_type application/octet-stream;
    server_tokens off;
    client_max_body_size 4g;
    client_body_buffer_size 1m;
    # the back: stores any PUT under its path; the answers the front passes on
    server {
        listen 127.0.0.1:$back;
        root "$dir/uploads";
        location / {
            dav_methods PUT;
            create_full_put_path on;
            dav_access user:rw;
        }
        location = /_answer/500 { return 500 "stored, then failed\n"; }
        location = /_answer/hang { limit_rate 1; return 201 "$body\n"; }
        location = /_answer/cut { limit_rate_after 300; limit_rate 1; return 201 "$body\n"; }
        location = /_answer/ctrl {
            default_type text/plain;
            add_header X-Receiver-Note "${esc}[2Jcleared" always;
            alias "$dir/ctrl-answer.bin";
        }
    }
    server {
        listen 127.0.0.1:$front ssl;
        server_name localhost 127.0.0.1;
        ssl_certificate "$rcv/server.pem";
        ssl_certificate_key "$rcv/server.key";
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_client_certificate "$rcv/ca.pem";
        ssl_verify_client on;
        ssl_verify_depth 2;
        root "$dir/uploads";
        set \$put_exists "";
        if (\$request_method = PUT) { set \$put_exists P; }
        if (-f \$request_filename) { set \$put_exists "\${put_exists}F"; }
        if (\$http_if_none_match = "*") { set \$put_exists "\${put_exists}N"; }
        location /ok/ {
            if (\$put_exists = PFN) { return 412; }
            if (\$put_exists = PF) { return 409; }
            dav_methods PUT;
            create_full_put_path on;
            dav_access user:rw;
        }
        location /digest/ {
            add_header Repr-Digest "sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:" always;
            if (\$put_exists = PFN) { return 412; }
            if (\$put_exists = PF) { return 409; }
            dav_methods PUT;
            create_full_put_path on;
            dav_access user:rw;
        }
        location /blind/ {
            if (\$request_method = HEAD) { return 409; }
            if (\$request_method = PUT) { rewrite ^ /_hang\$uri last; }
        }
        location /ctrl/ {
            if (\$request_method = PUT) { rewrite ^ /_ctrl\$uri last; }
        }
        location /_ctrl/ {
            internal;
            mirror /_mirror;
            proxy_method GET;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header If-None-Match "";
            rewrite ^ /_answer/ctrl break;
            proxy_pass http://127.0.0.1:$back;
        }
        location /busy/ {
            add_header Retry-After 2 always;
            if (\$request_method = PUT) { return 503; }
        }
        location /throttle/ {
            add_header Retry-After 2 always;
            if (\$request_method = PUT) { return 429; }
        }
        location /small/ {
            client_max_body_size 1k;
            dav_methods PUT;
            create_full_put_path on;
            dav_access user:rw;
        }
        location /moved/ {
            if (\$request_method = PUT) { return 307 https://127.0.0.1:$front/ok/moved/; }
        }
        location /store500/ {
            if (\$request_method = PUT) { rewrite ^ /_store500\$uri last; }
        }
        location /_store500/ {
            internal;
            mirror /_mirror;
            rewrite ^ /_answer/500 break;
            proxy_pass http://127.0.0.1:$back;
        }
        location /hang/ {
            if (\$request_method = PUT) { rewrite ^ /_hang\$uri last; }
        }
        location /_hang/ {
            internal;
            mirror /_mirror;
            proxy_read_timeout 1h;
            rewrite ^ /_answer/hang break;
            proxy_pass http://127.0.0.1:$back;
        }
        location /cut/ {
            if (\$request_method = PUT) { rewrite ^ /_cut\$uri last; }
        }
        location /_cut/ {
            internal;
            mirror /_mirror;
            proxy_read_timeout 300ms;
            rewrite ^ /_answer/cut break;
            proxy_pass http://127.0.0.1:$back;
        }
        # the mirror subrequest stores the body under the name the client asked for
        location = /_mirror {
            internal;
            proxy_pass http://127.0.0.1:$back\$request_uri;
        }
        location / { return 404; }
    }
}
CONF
}

# faults_start DIR RCV: starts the faulty receiver; prints its base URL https://127.0.0.1:PORT.
faults_start() {
    local dir=$1 rcv=$2 front back d i
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    front=$(free_port $((20000 + RANDOM % 30000))) || return 1
    back=$(free_port $((front + 1))) || return 1
    for d in run logs tmp uploads; do
        mkdir -p "$dir/$d"
        chmod 0700 "$dir/$d" # the service user's alone
        if _yj_is_root; then chown "$YJ_SVC_USER:" "$dir/$d"; fi
    done
    yj_private_dir "$dir" || return 1
    _faults_write_conf "$dir" "$rcv" "$front" "$back"
    echo "harness: starting the faulty receiver on 127.0.0.1:$front (back $back)" >&2
    if ! yj_as_service_user nginx -p "$dir" -e "$dir/logs/error.log" -c "$dir/nginx.conf" \
        >>"$dir/logs/start.log" 2>&1; then
        tail -n 5 "$dir/logs/start.log" "$dir/logs/error.log" >&2 2>/dev/null || true
        return 1
    fi
    for ((i = 0; i < 50; i++)); do
        if receiver_running "$dir" && (exec 3<>"/dev/tcp/127.0.0.1/$front") 2>/dev/null; then
            echo "https://127.0.0.1:$front"
            return 0
        fi
        sleep 0.1
    done
    echo "harness: the faulty receiver did not come up" >&2
    return 1
}

# strict_start DIR RCV: an openssl s_server with RCV's server certificate that requires a
# client certificate of RCV's CA and aborts the handshake with a TLS alert otherwise (nginx
# always finishes the handshake and answers 400); prints its upload URL.
strict_start() {
    local dir=$1 rcv=$2 port i run=()
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    port=$(free_port $((20000 + RANDOM % 30000))) || return 1
    chmod 0700 "$dir"
    if _yj_is_root; then
        chown "$YJ_SVC_USER:" "$dir"
        run=(setpriv --reuid="$YJ_SVC_USER" --regid="$YJ_SVC_USER" --init-groups)
    fi
    (cd / && exec "${run[@]}" openssl s_server -accept "127.0.0.1:$port" -cert "$rcv/server.pem" \
        -key "$rcv/server.key" -CAfile "$rcv/ca.pem" -Verify 2 -verify_return_error -www \
        -quiet </dev/null >>"$dir/s_server.log" 2>&1) &
    echo $! >"$dir/pid"
    for ((i = 0; i < 50; i++)); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "https://127.0.0.1:$port/upload/"
            return 0
        fi
        sleep 0.1
    done
    echo "harness: openssl s_server did not come up" >&2
    return 1
}

strict_stop() {
    local dir=$1 pid
    pid=$(cat "$dir/pid" 2>/dev/null) || return 0
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == openssl ]]; then
        kill -TERM "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/pid"
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
    local state=$1 bindir=$2 pgdir conninfo golden dirty url port tries rcv faults strict
    mkdir -p "$state"
    state=$(cd "$state" && pwd -P)
    bindir=$(cd "$bindir" && pwd -P)
    if [[ ! -x "$bindir/yj-gen" ]]; then
        echo "harness: $bindir/yj-gen not found (build first)" >&2
        return 66
    fi

    # Start fresh: stop anything left running and remove what an earlier start made.
    do_stop "$state"
    # (tmp/: the tests' own folders, temp_dir(), which would otherwise pile up run after run)
    rm -rf "$state/pg" "$state/pg-dir" "$state/runs" "$state/receiver/uploads" \
        "$state/env" "$state/yj.conf" "$state/faults" "$state/strict" "$state/tmp"

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

    faults=$(faults_start "$state/faults" "$rcv")
    strict=$(strict_start "$state/strict" "$rcv")

    mkdir -p "$state/runs"
    chmod 0700 "$state/runs" # run folders hold staged data and returns
    # no board pack in every test's run: test_report makes one
    YJ_REPORT_PACK=no yj_write_config "$state/yj.conf" "$(pg_conninfo "$pgdir" "$PG_PORT" yj_extract)" \
        "$url" "$rcv" "$state/runs" "$REPO"

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
        env_line YJ_TEST_FAULT_URL "$faults"
        env_line YJ_TEST_FAULT_DIR "$state/faults/uploads"
        env_line YJ_TEST_STRICT_URL "$strict"
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
