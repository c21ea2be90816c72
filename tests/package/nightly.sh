#!/usr/bin/env bash
# nightly.sh: the nightly service of the installed package, started by hand in a root where it
# is installed (check.sh's clean Debian 12 root), against a synthetic warehouse.
#   - a private PostgreSQL (scripts/lib/pg.sh) with its socket inside ROOT, loaded with
#     synthetic children by scripts/load-warehouse.sh; the root's own user yjreturns (made by
#     the package) is let through to the socket alone, by an ACL entry;
#   - /etc/yjreturns/test.conf made from the package's example configuration, only the values
#     marked CHANGE filled in (and [submit] left out: the nightly run never submits; the board
#     pack without its PDF: Chromium has no sandbox in a chroot);
#   - yjreturns-nightly@test.service run as its unit says: its ExecStart (%i = test), as its
#     User and Group, with its UMask;
#   - then `yj-run --history` as that user must show the run it wrote.
# Prints one line per failed check and exits 1 if any failed. Root only.
# usage: tests/package/nightly.sh ROOT YJ_GEN
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../../scripts/lib/pg.sh
source "$REPO/scripts/lib/pg.sh"
if (($# != 2)); then
    echo "usage: $0 ROOT YJ_GEN" >&2
    exit 64
fi
root=$(cd "$1" && pwd -P)
gen=$2
bad=0
fail() { echo "nightly.sh: $*" >&2; bad=1; }
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
unit_key() { sed -n "s/^$1=//p" "$root/lib/systemd/system/yjreturns-nightly@.service"; }

user=$(unit_key User)
group=$(unit_key Group)
umask_=$(unit_key UMask)
exec_start=$(unit_key ExecStart | sed 's/%i/test/g')
uid=$(in_root id -u "$user")

# the warehouse: its socket in ROOT/srv/warehouse, reached from inside as /srv/warehouse
pg=$root/srv/warehouse
port=$(free_port 25432)
# the shared memory a service has under systemd (/dev/shm, a tmpfs every user may write):
# Chromium, which prints the board pack's PDF, needs it; a debootstrapped root has none
mkdir -p "$root/dev/shm"
mount -t tmpfs -o mode=1777,size=256m,nosuid,nodev shm "$root/dev/shm"
cleanup() {
    pg_cluster_stop "$pg" >/dev/null 2>&1 || true
    umount "$root/dev/shm" 2>/dev/null || true
}
trap cleanup EXIT
conninfo=$(pg_cluster_start "$pg" "$port" test 2>"$root/tmp/pg.log") ||
    { cat "$root/tmp/pg.log" >&2; echo "nightly.sh: cannot start PostgreSQL" >&2; exit 1; }
bash "$REPO/scripts/load-warehouse.sh" --gen "$gen" --seed 1 --children 200 -- "$conninfo" \
    >"$root/tmp/load.log" 2>&1 ||
    { tail -5 "$root/tmp/load.log" >&2; echo "nightly.sh: cannot load the warehouse" >&2; exit 1; }
pg_ensure_extract_role "$pg" "$port"
setfacl -m "u:$uid:--x" "$pg"
setfacl -m "u:$uid:rw-" "$pg/.s.PGSQL.$port"

# the configuration: the shipped example with its CHANGE values filled in
conf=$root/etc/yjreturns/test.conf
awk -v ci="host=/srv/warehouse port=$port dbname=yj user=yj_extract" '
    /^\[/ { skip = ($0 == "[submit]") }
    skip { next }
    /^yot_ou_code = / { print "yot_ou_code = MEDWAY"; next }
    /^conninfo = / { print "conninfo = " ci; next }
    { print }
    # a chroot gives no process a user namespace, so Chromium has no sandbox to print the
    # board pack with: the pack here is the page alone (the browser test prints the PDF)
    /^\[report\]$/ { print "pdf = no" }' "$root/etc/yjreturns/example.conf" >"$conf"
grep -qx 'pdf = no' "$conf" || fail "the example configuration has no [report] section"
grep -v '^[[:space:]]*#' "$conf" | grep -q CHANGE && fail "the example configuration has a CHANGE value test.conf does not fill"
chown "root:$(in_root id -g "$user")" "$conf"
chmod 0640 "$conf"

# the service, started by hand as its unit says
rc=0
run_dir=$(in_root runuser -u "$user" -g "$group" -- sh -c "umask $umask_ && exec $exec_start" \
    2>"$root/tmp/nightly.log") || rc=$?
if ((rc != 0)); then
    fail "yjreturns-nightly@test ($exec_start) exited $rc: $(grep -E 'error|warning' "$root/tmp/nightly.log" | tail -5)"
fi
# --period current: the financial quarter of today (Q1 is April to June)
read -r year month < <(in_root date -u '+%Y %m')
month=$((10#$month))
quarter=$((month >= 4 ? year : year - 1))Q$(((month + 8) % 12 / 3 + 1))
case "$run_dir" in
/var/lib/yjreturns/runs/MEDWAY/"$quarter"/2*) ;;
*) fail "the nightly run printed '$run_dir', not a run folder of MEDWAY $quarter under the runs root" ;;
esac
if [[ -n "$run_dir" ]]; then
    grep -qx 'result validated' "$root$run_dir/RUN" ||
        fail "$run_dir/RUN does not say 'result validated': $(grep '^result' "$root$run_dir/RUN" || true)"
    # the example's [report] pack = yes: the run ends with the board pack's page
    [[ -f "$root$run_dir/report/pack.html" && -f "$root$run_dir/report/MANIFEST" ]] ||
        fail "$run_dir has no board pack (report/pack.html and its MANIFEST)"
    # the unit's UMask=0077 narrows the folders (0750 in the run-directory table) to 0700
    [[ $(in_root stat -c '%U %a' "$run_dir") == "$user 700" ]] ||
        fail "$run_dir is not $user's, mode 0700: $(in_root stat -c '%U %a' "$run_dir")"
    history=$(in_root runuser -u "$user" -- yj-run --config /etc/yjreturns/test.conf --history 2>&1) ||
        fail "yj-run --history exited $?: $history"
    grep -q "$(basename "$run_dir")" <<<"$history" ||
        fail "yj-run --history does not show the nightly run $(basename "$run_dir"): $history"
fi
exit "$bad"
