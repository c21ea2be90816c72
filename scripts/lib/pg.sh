# shellcheck shell=bash
# pg.sh: sourced library to run a private PostgreSQL cluster in a directory.
#
#   pg_cluster_start DIR PORT [test|demo]  initdb (first time) + start; prints the conninfo
#   pg_cluster_stop DIR                    stop if running (safe when nothing is there)
#   pg_cluster_running DIR                 status 0 when the server in DIR is running
#   pg_conninfo DIR PORT [USER]            prints "host=DIR port=PORT dbname=yj user=USER"
#   pg_ensure_extract_role DIR PORT        creates read-only login role yj_extract if missing
#   pg_bindir                              prints the folder holding initdb/pg_ctl
#
# Layout: DIR/data (PGDATA), DIR/postgres.log, unix socket in DIR itself, no TCP
# (listen_addresses=''), superuser "yj", trust auth on the socket, database "yj".
# As root, the cluster belongs to the system user "yjreturns" (created if missing) and every
# server command runs as that user through runuser. Private: DIR and the socket are mode 0700
# (the service user, and root, only: trust auth is safe only because nobody else can reach
# the socket), and a parent folder the service user cannot traverse is opened to it alone
# (an ACL entry), never to all users. Messages go to stderr.

YJ_SVC_USER="${YJ_SVC_USER:-yjreturns}"

_yj_is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Create the unprivileged service user when running as root (no-op otherwise).
yj_ensure_service_user() {
    _yj_is_root || return 0
    id -u "$YJ_SVC_USER" >/dev/null 2>&1 && return 0
    useradd --system --create-home --home-dir "/var/lib/$YJ_SVC_USER" \
        --shell /usr/sbin/nologin --user-group "$YJ_SVC_USER" >/dev/null 2>&1 || true
    if ! id -u "$YJ_SVC_USER" >/dev/null 2>&1; then
        echo "pg.sh: cannot create system user $YJ_SVC_USER" >&2
        return 1
    fi
}

# Run a command as the service user when root, else as ourselves. Runs from / so that an
# unreadable current directory (for example /root) does not upset the server tools.
yj_as_service_user() {
    if _yj_is_root; then
        (cd / && runuser -u "$YJ_SVC_USER" -- "$@")
    else
        "$@"
    fi
}

# Make every parent of DIR traversable by the service user (mktemp dirs are 0700): by an ACL
# entry for that user alone (setfacl, package acl), never by opening the folder to all users;
# fails, saying so, when setfacl is not there.
yj_make_traversable() {
    local d
    d=$(cd "$1" && pwd -P) || return 1
    _yj_is_root || return 0
    while [[ "$d" != "/" ]]; do
        d=$(dirname "$d")
        if ! runuser -u "$YJ_SVC_USER" -- test -x "$d" 2>/dev/null; then
            if command -v setfacl >/dev/null 2>&1 &&
                setfacl -m "u:$YJ_SVC_USER:--x" "$d" 2>/dev/null; then
                continue
            fi
            echo "pg.sh: the service user $YJ_SVC_USER cannot reach $d; let it through alone" \
                "(setfacl -m u:$YJ_SVC_USER:x '$d', package acl) or use a folder it can reach" >&2
            return 1
        fi
    done
}

# Make DIR (created if missing) owned by the service user and private to it (0700), parents
# traversable by it.
yj_prepare_service_dir() {
    local dir=$1
    mkdir -p "$dir"
    chmod 0700 "$dir"
    if _yj_is_root; then
        yj_ensure_service_user || return 1
        chown "$YJ_SVC_USER:" "$dir"
        yj_make_traversable "$dir" || return 1
    fi
}

pg_bindir() {
    local d best="" cfg
    # Debian: the server lives in /usr/lib/postgresql/<major>/bin; take the newest.
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x "$d/initdb" ]] || continue
        if [[ -z "$best" ]] || (($(basename "$(dirname "$d")") > $(basename "$(dirname "$best")"))); then
            best=$d
        fi
    done
    if [[ -z "$best" ]] && command -v pg_config >/dev/null 2>&1; then
        cfg=$(pg_config --bindir 2>/dev/null || true)
        [[ -n "$cfg" && -x "$cfg/initdb" ]] && best=$cfg
    fi
    if [[ -z "$best" ]] && command -v initdb >/dev/null 2>&1; then
        best=$(dirname "$(command -v initdb)")
    fi
    if [[ -z "$best" ]]; then
        echo "pg.sh: PostgreSQL server binaries (initdb, pg_ctl) not found" >&2
        return 1
    fi
    echo "$best"
}

pg_conninfo() {
    echo "host=$1 port=$2 dbname=yj user=${3:-yj}"
}

pg_cluster_running() {
    local dir=$1 bin
    [[ -f "$dir/data/PG_VERSION" ]] || return 1
    bin=$(pg_bindir) || return 1
    yj_as_service_user "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

# Write the settings include (port, socket, tuning); rewritten on every start.
_pg_write_settings() {
    local dir=$1 port=$2 mode=$3 f="$1/data/yjreturns.conf"
    local qdir=${dir//\'/\'\'}
    {
        echo "# written by scripts/lib/pg.sh on every start"
        echo "port = $port"
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$qdir'"
        echo "unix_socket_permissions = 0700" # the service user (and root) only
        echo "max_connections = 40"
        echo "shared_buffers = 128MB"
        echo "work_mem = 16MB"
        echo "maintenance_work_mem = 128MB"
        echo "max_wal_size = 2GB"
        echo "timezone = 'UTC'"
        echo "log_timezone = 'UTC'"
        echo "logging_collector = off"
        echo "log_min_messages = warning"
        if [[ "$mode" == test ]]; then
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
            echo "autovacuum = off"
        else
            echo "synchronous_commit = off"
        fi
    } | yj_as_service_user tee "$f" >/dev/null
    if ! grep -q "^include_if_exists = 'yjreturns.conf'" "$dir/data/postgresql.conf"; then
        echo "include_if_exists = 'yjreturns.conf'" |
            yj_as_service_user tee -a "$dir/data/postgresql.conf" >/dev/null
    fi
}

pg_cluster_start() {
    if (($# < 2)); then
        echo "usage: pg_cluster_start DIR PORT [test|demo]" >&2
        return 64
    fi
    local dir=$1 port=$2 mode=${3:-test} bin
    case "$mode" in test | demo) ;; *)
        echo "pg.sh: mode must be test or demo, not '$mode'" >&2
        return 64
        ;;
    esac
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    if ((${#dir} + 20 > 107)); then
        echo "pg.sh: cluster directory path too long for a unix socket: $dir" >&2
        return 1
    fi
    bin=$(pg_bindir) || return 1
    yj_prepare_service_dir "$dir" || return 1

    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        echo "pg.sh: initdb in $dir/data" >&2
        if ! yj_as_service_user "$bin/initdb" -D "$dir/data" -U yj -A trust -E UTF8 \
            --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
            cat "$dir/initdb.log" >&2
            echo "pg.sh: initdb failed" >&2
            return 1
        fi
        # Socket only: local connections trusted, nothing else accepted.
        printf '%s\n' "# written by scripts/lib/pg.sh: unix socket only" \
            "local all all trust" | yj_as_service_user tee "$dir/data/pg_hba.conf" >/dev/null
    fi

    if pg_cluster_running "$dir"; then
        echo "pg.sh: server in $dir already running" >&2
    else
        _pg_write_settings "$dir" "$port" "$mode"
        echo "pg.sh: starting PostgreSQL ($mode) in $dir on socket port $port" >&2
        if ! yj_as_service_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" \
            -w -t 60 start >/dev/null 2>&1; then
            tail -n 20 "$dir/postgres.log" >&2 || true
            echo "pg.sh: PostgreSQL failed to start" >&2
            return 1
        fi
    fi
    # The running server's port (it may differ from PORT when it was already running).
    port=$(sed -n 4p "$dir/data/postmaster.pid")

    local psql="$bin/psql"
    if [[ "$("$psql" -X -q -A -t -h "$dir" -p "$port" -U yj -d postgres \
        -c "SELECT 1 FROM pg_database WHERE datname = 'yj'")" != 1 ]]; then
        "$psql" -X -q -h "$dir" -p "$port" -U yj -d postgres -v ON_ERROR_STOP=1 \
            -c "CREATE DATABASE yj" >/dev/null || return 1
    fi
    pg_conninfo "$dir" "$port"
}

pg_cluster_stop() {
    if (($# < 1)); then
        echo "usage: pg_cluster_stop DIR" >&2
        return 64
    fi
    local dir=$1 bin
    [[ -d "$dir" ]] || return 0
    dir=$(cd "$dir" && pwd -P)
    [[ -f "$dir/data/postmaster.pid" ]] || return 0
    bin=$(pg_bindir) || return 1
    if pg_cluster_running "$dir"; then
        echo "pg.sh: stopping PostgreSQL in $dir" >&2
        yj_as_service_user "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
            yj_as_service_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 ||
            true
    fi
    return 0
}

# Read-only login role for yj-extract, made only when the warehouse scripts did not.
pg_ensure_extract_role() {
    local dir=$1 port=$2 bin
    bin=$(pg_bindir) || return 1
    "$bin/psql" -X -q -h "$dir" -p "$port" -U yj -d yj -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
DO $$
DECLARE s text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yj_extract') THEN
    CREATE ROLE yj_extract LOGIN;
    FOR s IN SELECT nspname FROM pg_namespace WHERE nspname IN ('cms', 'cms_history', 'cms_asof') LOOP
      EXECUTE format('GRANT USAGE ON SCHEMA %I TO yj_extract', s);
      EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO yj_extract', s);
      EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO yj_extract', s);
    END LOOP;
  END IF;
END
$$;
SQL
}

# Print a free loopback TCP port at or above BASE (a successful connect means in use).
free_port() {
    local p=${1:-20000} last
    last=$((p + 2000))
    while ((p < last)); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
        p=$((p + 1))
    done
    echo "free_port: no free port in $1..$last" >&2
    return 1
}
