# shellcheck shell=bash
# config.sh: sourced library writing the yjreturns configuration for a local warehouse and
# receiver (used by demo.sh, bench.sh and the test harness).
#
#   yj_write_config FILE CONNINFO URL RECEIVER_DIR RUNS_ROOT REPO
#       writes FILE atomically (FILE.tmp, then rename): service MEDWAY, the warehouse conninfo,
#       mappings and queries from REPO, the receiver URL with RECEIVER_DIR's CA and client
#       certificate, and RUNS_ROOT (staged files removed after a run that succeeds, nightly
#       runs kept 30 days: the defaults, written out); the board pack with a custody target
#       of 5.8% of court outcomes, printed to PDF, unless YJ_REPORT_PACK=no (the test
#       harness: its warehouses hold no population for most years, and most tests need no
#       pack; test_report turns it on).

yj_write_config() {
    if (($# != 6)); then
        echo "usage: yj_write_config FILE CONNINFO URL RECEIVER_DIR RUNS_ROOT REPO" >&2
        return 64
    fi
    local file=$1 conninfo=$2 url=$3 rcv=$4 runs=$5 repo=$6
    cat >"$file.tmp" <<CONF
[service]
yot_ou_code = MEDWAY
cms_system = yjreturns-reference-warehouse

[warehouse]
conninfo = $conninfo

[return]
mappings = $repo/mappings
sql = $repo/sql/extract

[submit]
url = $url
ca_file = $rcv/ca.pem
cert_file = $rcv/client.pem
key_file = $rcv/client.key

[run]
runs_root = $runs
keep_staged = no
keep_days = 30

[report]
pack = ${YJ_REPORT_PACK:-yes}
custody_target_pct = 5.8
pdf = yes
CONF
    mv "$file.tmp" "$file"
}
