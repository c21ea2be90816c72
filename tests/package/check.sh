#!/usr/bin/env bash
# check.sh: the Debian package, the container image and the package list agree, and the
# package installs and works on a clean Debian 12 root.
#   1. debian/control's Build-Depends are the list's build role (build-essential implied), its
#      named Depends the list's runtime role less the libraries (they come from shlibs); the
#      Dockerfile and install-deps.sh name no package, they read scripts/packages.txt, and no
#      other script runs apt-get install;
#   2. debian/changelog's version is CMakeLists.txt's project(VERSION);
#   3. the nightly unit sorts every exit code of the README's table: success (0, and its
#      SuccessExitStatus), retried (69 and 75: an outage worth another try) or needing a
#      person (RestartPreventExitStatus), each code once;
#   4. with DEB: its Depends hold every runtime library of the list; it holds the six stages,
#      their manual pages, the units and the example configuration;
#   5. with DEB, as root: debootstrap a minimal Debian 12 root, install DEB there with apt,
#      and run `yj-run --help`, `man yj-run` and `systemd-analyze verify` of every unit in it;
#   6. with DEB, as root: in that root, the nightly service started by hand against a synthetic
#      warehouse writes a run that `yj-run --history` shows (tests/package/nightly.sh; yj-gen
#      from YJ_GEN, default build/bin/yj-gen).
# Prints one line per failed check and exits 1 if any failed.
# usage: tests/package/check.sh [DEB]
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
DEB=${1:-}
bad=0
fail() { echo "check.sh: $*" >&2; bad=1; }
role() { awk -v r="$1" '$1 == r { print $2 }' scripts/packages.txt | sort; }
field() { # field FILE NAME: a deb822 field's value, continuation lines joined
    awk -v f="$2" 'tolower($0) ~ "^" tolower(f) ":" { on = 1; sub(/^[^:]*:/, ""); print; next }
        on && /^[ \t]/ { print; next } { on = 0 }' "$1" | tr '\n' ' '
}
words() { tr ',' '\n' | sed 's/([^)]*)//; s/^[[:space:]]*//; s/[[:space:]]*$//' | grep -v '^$' | sort; }

# 1. one package list
want=$(role build | grep -vx build-essential)
have=$(field debian/control Build-Depends | words | grep -v '^debhelper-compat')
[[ "$want" == "$have" ]] || fail "debian/control Build-Depends differ from scripts/packages.txt's build role:
$(diff <(echo "$want") <(echo "$have") || true)"
want=$(role runtime | grep -v '^lib')
have=$(field debian/control Depends | words | grep -v '^\${')
[[ "$want" == "$have" ]] || fail "debian/control Depends differ from the runtime role's non-libraries:
$(diff <(echo "$want") <(echo "$have") || true)"
while read -r p; do
    if grep -v '^[[:space:]]*#' scripts/install-deps.sh | grep -qw -- "$p"; then
        fail "scripts/install-deps.sh names the package $p: it installs from scripts/packages.txt"
    fi
done < <(awk '!/^[[:space:]]*(#|$)/ { print $2 }' scripts/packages.txt)
# no other script installs packages by name: they call install-deps.sh with a role
while IFS= read -r hit; do
    fail "$hit: installs a package itself; call scripts/install-deps.sh ROLE"
done < <(grep -n 'apt-get install' scripts/*.sh scripts/lib/*.sh | grep -v '^scripts/install-deps.sh:' || true)
# each `apt-get install` of the Dockerfile installs only what an awk over the list prints
while read -r args; do
    [[ "$args" =~ ^\$\(awk\ .*\ /tmp/packages.txt\)$ ]] ||
        fail "Dockerfile installs '$args': install from scripts/packages.txt"
done < <(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' Dockerfile | grep -o 'apt-get install[^&]*' |
    sed 's/apt-get install//; s/ -[-a-z]*//g; s/^ *//; s/ *$//')
# 2. one version
cmake_version=$(sed -n 's/^project(yjreturns VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
deb_version=$(sed -n '1s/^yjreturns (\([^)]*\)).*/\1/p' debian/changelog)
[[ -n "$cmake_version" && "$cmake_version" == "$deb_version" ]] ||
    fail "debian/changelog says version $deb_version, CMakeLists.txt's project() $cmake_version"

# 3. the nightly unit's exit codes against the README's table
unit=debian/yjreturns.yjreturns-nightly@.service
codes=$(sed -n 's/^| \([0-9][0-9]*\) |.*/\1/p' README.md | sort -n)
success=$(sed -n 's/^SuccessExitStatus=//p' "$unit" | tr ' ' '\n')
prevent=$(sed -n 's/^RestartPreventExitStatus=//p' "$unit" | tr ' ' '\n')
retried=$(comm -23 <(echo "$codes" | grep -vx 0 | sort) <(printf '%s\n' $success $prevent | sort))
[[ "$(echo "$retried" | sort -n | tr '\n' ' ')" == "69 75 " ]] ||
    fail "$unit retries exit codes '$(echo $retried)' (expected 69 75: every other code of the README is a success or needs a person)"
dups=$(printf '%s\n' $success $prevent | sort | uniq -d)
[[ -z "$dups" ]] || fail "$unit lists exit code(s) $dups as both success and not to retry"
extra=$(comm -13 <(echo "$codes" | sort) <(printf '%s\n' $success $prevent | sort))
[[ -z "$extra" ]] || fail "$unit names exit code(s) $extra the README does not list"

if [[ -n "$DEB" ]]; then
    # 4. what the package holds
    depends=$(dpkg-deb -f "$DEB" Depends | words)
    for lib in $(role runtime | grep '^lib'); do
        grep -qx "$lib" <<<"$depends" || fail "$DEB does not depend on $lib (scripts/packages.txt runtime)"
    done
    contents=$(dpkg-deb -c "$DEB" | awk '{ print $6 }')
    for stage in yj-extract yj-transform yj-validate yj-kpi yj-submit yj-report yj-run; do
        grep -qx "./usr/bin/$stage" <<<"$contents" || fail "$DEB lacks /usr/bin/$stage"
        grep -qx "./usr/share/man/man1/$stage.1.gz" <<<"$contents" || fail "$DEB lacks $stage's manual page"
    done
    for f in ./etc/yjreturns/example.conf ./usr/share/yjreturns/mappings/bundles.conf \
        ./usr/share/yjreturns/sql/extract/person.sql; do
        grep -qx "$f" <<<"$contents" || fail "$DEB lacks $f"
    done
    units=$(grep -o '/lib/systemd/system/yjreturns-[^ ]*' <<<"$contents" | sort)
    [[ $(wc -l <<<"$units") -eq 4 ]] || fail "$DEB holds $(wc -l <<<"$units") units, not 4: $units"

    # 5. installed on a clean Debian 12 root
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "check.sh: not root: the install on a clean root is skipped" >&2
    else
        root=$(mktemp -d)
        chmod 0755 "$root" # a root directory every user of the root can enter
        cleanup() {
            umount "$root/dev/shm" "$root/proc" 2>/dev/null || true
            rm -rf --one-file-system "$root"
        }
        trap cleanup EXIT
        echo "check.sh: debootstrap of a minimal Debian 12 root in $root" >&2
        if ! debootstrap --variant=minbase --include=systemd,man-db bookworm "$root" \
            http://deb.debian.org/debian >"$root.log" 2>&1; then
            tail -5 "$root.log" >&2
            fail "debootstrap failed (log: $root.log)"
        else
            rm -f "$root.log"
            mount -t proc proc "$root/proc"
            cp "$DEB" "$root/tmp/"
            in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
            in_root sh -c "apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -q --no-install-recommends /tmp/$(basename "$DEB")" >"$root/tmp/install.log" 2>&1 ||
                fail "apt-get install of $(basename "$DEB") failed: $(tail -3 "$root/tmp/install.log")"
            in_root yj-run --help >/dev/null || fail "yj-run --help fails in the clean root"
            in_root sh -c 'MANWIDTH=80 man yj-run' | grep -q '^NAME' || fail "man yj-run shows no page in the clean root"
            in_root getent passwd yjreturns >/dev/null || fail "the package made no user yjreturns"
            [[ $(in_root stat -c '%U %a' /var/lib/yjreturns/runs) == "yjreturns 700" ]] ||
                fail "/var/lib/yjreturns/runs is not yjreturns's, mode 0700"
            for u in $(grep -o 'yjreturns-[^ ]*' <<<"$units"); do
                out=$(in_root systemd-analyze verify "/lib/systemd/system/$u" 2>&1) ||
                    fail "systemd-analyze verify $u: $out"
                [[ -z "$out" ]] || fail "systemd-analyze verify $u says: $out"
            done
            # 6. the nightly service, started by hand
            bash "$REPO/tests/package/nightly.sh" "$root" "${YJ_GEN:-$REPO/build/bin/yj-gen}" ||
                fail "the nightly service in the clean root (tests/package/nightly.sh)"
        fi
    fi
fi
exit "$bad"
