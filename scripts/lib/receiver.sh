# shellcheck shell=bash
# receiver.sh: sourced library for a throwaway HTTPS receiver (nginx, mutual TLS, WebDAV PUT).
#
#   receiver_certs DIR             make (or keep) the CA, server, client and "wrong CA" files
#   receiver_start DIR PORT [no-overwrite|overwrite]
#                                  certs + nginx on 127.0.0.1:PORT; prints the upload URL
#   receiver_stop DIR              stop nginx if running (safe when nothing is there)
#   receiver_running DIR           status 0 when the nginx of DIR is running
#   receiver_url DIR               prints https://127.0.0.1:PORT/upload/ of the last start
#   receiver_upload_dir DIR        prints DIR/uploads/upload (where PUT files land)
#   free_port BASE                 prints a free loopback TCP port >= BASE
#
# Files in DIR: ca.pem ca.key server.pem server.key client.pem client.key
#   wrongca.pem wrongca.key (unrelated CA) wrongclient.pem wrongclient.key (client cert
#   signed by the wrong CA), nginx.conf, port, run/nginx.pid, logs/, tmp/, uploads/upload/.
# Keys are mode 0600. Extra locations for tests: /fail/503/ answers 503, /fail/403/ answers
# 403. PUT onto an existing file answers 409 unless started with "overwrite"; GET and HEAD
# answer 200 with its length, as an object store does. As root, nginx runs as the system
# user "yjreturns". Private: DIR is readable by the service user only
# (0750, group of the service user, as root; else 0700), uploads/, run/, logs/ and tmp/ are
# the service user's alone (0700), and received files are stored 0600. Messages go to stderr.

_RECEIVER_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=pg.sh
source "$_RECEIVER_LIB_DIR/pg.sh" # service user helpers and free_port

_rcv_openssl() {
    local log
    log=$(mktemp)
    if ! openssl "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "receiver.sh: openssl $1 failed" >&2
        return 1
    fi
    rm -f "$log"
}

# _rcv_ca DIR NAME CN
_rcv_ca() {
    local dir=$1 name=$2 cn=$3
    (umask 077 && _rcv_openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
        -out "$dir/$name.key") || return 1
    _rcv_openssl req -x509 -new -key "$dir/$name.key" -sha256 -days 3650 \
        -subj "/O=yjreturns test/CN=$cn" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out "$dir/$name.pem" || return 1
    chmod 0644 "$dir/$name.pem"
}

# _rcv_leaf DIR NAME CA CN EXTENSIONS
_rcv_leaf() {
    local dir=$1 name=$2 ca=$3 cn=$4 ext=$5
    (umask 077 && _rcv_openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
        -out "$dir/$name.key") || return 1
    _rcv_openssl req -new -key "$dir/$name.key" -subj "/O=yjreturns test/CN=$cn" \
        -out "$dir/$name.csr" || return 1
    printf '%s\n' "$ext" >"$dir/$name.ext"
    _rcv_openssl x509 -req -in "$dir/$name.csr" -CA "$dir/$ca.pem" -CAkey "$dir/$ca.key" \
        -set_serial "0x$(openssl rand -hex 8)" -sha256 -days 825 \
        -extfile "$dir/$name.ext" -out "$dir/$name.pem" || return 1
    rm -f "$dir/$name.csr" "$dir/$name.ext"
    chmod 0644 "$dir/$name.pem"
}

receiver_certs() {
    local dir=$1 f ok=1
    mkdir -p "$dir"
    for f in ca server client wrongca wrongclient; do
        [[ -s "$dir/$f.pem" && -s "$dir/$f.key" ]] || ok=0
    done
    if ((ok)); then
        echo "receiver.sh: reusing certificates in $dir" >&2
    else
        echo "receiver.sh: making certificates in $dir" >&2
        _rcv_ca "$dir" ca "yjreturns test CA" || return 1
        _rcv_ca "$dir" wrongca "unrelated test CA" || return 1
        _rcv_leaf "$dir" server ca localhost "$(printf '%s\n' \
            "basicConstraints=critical,CA:FALSE" \
            "keyUsage=critical,digitalSignature,keyEncipherment" \
            "extendedKeyUsage=serverAuth" \
            "subjectAltName=IP:127.0.0.1,DNS:localhost")" || return 1
        _rcv_leaf "$dir" client ca "yjreturns submitter" "$(printf '%s\n' \
            "basicConstraints=critical,CA:FALSE" \
            "keyUsage=critical,digitalSignature" \
            "extendedKeyUsage=clientAuth")" || return 1
        _rcv_leaf "$dir" wrongclient wrongca "unknown submitter" "$(printf '%s\n' \
            "basicConstraints=critical,CA:FALSE" \
            "keyUsage=critical,digitalSignature" \
            "extendedKeyUsage=clientAuth")" || return 1
    fi
    chmod 0600 "$dir"/*.key
    if _yj_is_root; then
        yj_ensure_service_user || return 1
        chown "$YJ_SVC_USER:" "$dir/server.key" # nginx reads it as the service user
    fi
}

# DIR readable by the service user only: as root, group of the service user and 0750 (nginx,
# as that user, reads the configuration and certificates in it), parents traversable by it
# alone; otherwise 0700.
yj_private_dir() {
    local dir=$1
    if _yj_is_root; then
        chgrp "$(id -gn "$YJ_SVC_USER")" "$dir" && chmod 0750 "$dir" && yj_make_traversable "$dir"
    else
        chmod 0700 "$dir"
    fi
}

receiver_upload_dir() {
    echo "$(cd "$1" && pwd -P)/uploads/upload"
}

receiver_url() {
    local port
    port=$(cat "$1/port" 2>/dev/null) || {
        echo "receiver.sh: no receiver was started in $1" >&2
        return 1
    }
    echo "https://127.0.0.1:$port/upload/"
}

_rcv_pid() {
    local pid
    pid=$(cat "$1/run/nginx.pid" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == nginx ]] || return 1
    echo "$pid"
}

receiver_running() {
    _rcv_pid "$1" >/dev/null
}

_rcv_write_conf() {
    # shellcheck disable=SC2016 # $request_filename is nginx's, not ours
    local dir=$1 port=$2 overwrite=$3 guard='if ($put_exists = PF) { return 409; }'
    [[ "$overwrite" == overwrite ]] && guard='# overwrite allowed'
    cat >"$dir/nginx.conf" <<CONF
# written by scripts/lib/receiver.sh
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
    server {
        listen 127.0.0.1:$port ssl;
        server_name localhost 127.0.0.1;
        ssl_certificate "$dir/server.pem";
        ssl_certificate_key "$dir/server.key";
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_client_certificate "$dir/ca.pem";
        ssl_verify_client on;
        ssl_verify_depth 2;
        root "$dir/uploads";
        # 409 only to a PUT onto an existing name: GET and HEAD answer as an object store does
        set \$put_exists "";
        if (\$request_method = PUT) { set \$put_exists P; }
        if (-f \$request_filename) { set \$put_exists "\${put_exists}F"; }
        location /upload/ {
            $guard
            dav_methods PUT;
            create_full_put_path on;
            dav_access user:rw;
            client_max_body_size 4g;
            client_body_buffer_size 1m;
        }
        location /fail/503/ { return 503; }
        location /fail/403/ { return 403; }
        location / { return 404; }
    }
}
CONF
}

receiver_start() {
    if (($# < 2)); then
        echo "usage: receiver_start DIR PORT [no-overwrite|overwrite]" >&2
        return 64
    fi
    local dir=$1 port=$2 overwrite=${3:-no-overwrite} d i
    case "$overwrite" in overwrite | no-overwrite) ;; *)
        echo "receiver.sh: third argument must be overwrite or no-overwrite" >&2
        return 64
        ;;
    esac
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    if receiver_running "$dir"; then
        receiver_stop "$dir"
    fi
    command -v nginx >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
    receiver_certs "$dir" || return 1
    for d in run logs tmp uploads uploads/upload; do
        mkdir -p "$dir/$d"
        chmod 0700 "$dir/$d" # received returns and request bodies: the service user's alone
        if _yj_is_root; then chown "$YJ_SVC_USER:" "$dir/$d"; fi
    done
    yj_private_dir "$dir" || return 1
    _rcv_write_conf "$dir" "$port" "$overwrite"
    echo "receiver.sh: starting nginx on 127.0.0.1:$port (prefix $dir)" >&2
    if ! yj_as_service_user nginx -p "$dir" -e "$dir/logs/error.log" -c "$dir/nginx.conf" \
        >>"$dir/logs/start.log" 2>&1; then
        tail -n 5 "$dir/logs/start.log" "$dir/logs/error.log" >&2 2>/dev/null || true
        echo "receiver.sh: nginx failed to start on port $port" >&2
        return 1
    fi
    for ((i = 0; i < 50; i++)); do
        if receiver_running "$dir" && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port" >"$dir/port"
            echo "https://127.0.0.1:$port/upload/"
            return 0
        fi
        sleep 0.1
    done
    echo "receiver.sh: nginx did not come up on port $port" >&2
    return 1
}

receiver_stop() {
    if (($# < 1)); then
        echo "usage: receiver_stop DIR" >&2
        return 64
    fi
    local dir=$1 pid i
    [[ -d "$dir" ]] || return 0
    pid=$(_rcv_pid "$dir") || return 0
    echo "receiver.sh: stopping nginx (pid $pid) in $dir" >&2
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    return 0
}
