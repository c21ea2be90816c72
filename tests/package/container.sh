#!/usr/bin/env bash
# container.sh: the Dockerfile builds, and its runtime image holds what the package list says.
# No container daemon and no registry: buildah (rootful, vfs storage, chroot isolation) builds
# from a base image made here, a minimal Debian 12 root (debootstrap) imported under the names
# the Dockerfile's FROM lines use, debian:12 and debian:12-slim. Then, in the runtime image:
#   - `yj-run --help` works as the image's user (yjreturns), found on the image's PATH;
#   - every runtime package of scripts/packages.txt is installed, and no package of the build
#     or test roles (no compiler, no header package, no test server) unless a runtime package
#     depends on it, directly or through another (ca-certificates needs openssl; chromium,
#     through its libraries, procps).
# The storage lives in a temporary folder, removed at the end. Root only (buildah, chroot).
# Prints one line per failed check and exits 1 if any failed.
# usage: tests/package/container.sh
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
if [[ "$(id -u)" -ne 0 ]]; then
    echo "container.sh: root only (buildah, chroot)" >&2
    exit 77
fi
bad=0
fail() { echo "container.sh: $*" >&2; bad=1; }
role() { awk -v r="$1" '$1 == r { print $2 }' scripts/packages.txt | sort; }

work=$(mktemp -d)
bh() { buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs "$@"; }
cleanup() {
    bh rm --all >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
export BUILDAH_ISOLATION=chroot

echo "container.sh: debootstrap of a minimal Debian 12 root for the base image" >&2
if ! debootstrap --variant=minbase bookworm "$work/base" http://deb.debian.org/debian \
    >"$work/debootstrap.log" 2>&1; then
    tail -5 "$work/debootstrap.log" >&2
    echo "container.sh: debootstrap failed" >&2
    exit 1
fi
tar -C "$work/base" -cf "$work/base.tar" .
rm -rf "$work/base"
c=$(bh from scratch)
bh add "$c" "$work/base.tar" / >/dev/null
bh commit -q "$c" docker.io/library/debian:12 >/dev/null
bh tag docker.io/library/debian:12 docker.io/library/debian:12-slim
bh rm "$c" >/dev/null
rm -f "$work/base.tar"

# the context: the repository's files as git holds them (no build trees, no demo)
mkdir "$work/context"
git ls-files -z | xargs -0 tar -cf - | tar -C "$work/context" -xf -
echo "container.sh: buildah bud of the Dockerfile (log: $work/bud.log while it runs)" >&2
if ! bh bud --pull=never -t yjreturns "$work/context" >"$work/bud.log" 2>&1; then
    tail -20 "$work/bud.log" >&2
    echo "container.sh: the Dockerfile does not build" >&2
    exit 1
fi

c=$(bh from --pull=never yjreturns)
out=$(bh run "$c" -- yj-run --help 2>&1) || fail "yj-run --help fails in the image: $out"
grep -q '^Usage: yj-run ' <<<"$out" || fail "yj-run --help in the image prints no usage: $out"
who=$(bh run "$c" -- id -un 2>&1) || true
[[ "$who" == yjreturns ]] || fail "the image runs as '$who', not yjreturns"
installed=$(bh run --user root "$c" -- dpkg-query -W -f '${Package}\n' | sed 's/:.*//' | sort -u)
for p in $(role runtime); do
    grep -qx "$p" <<<"$installed" || fail "the runtime image lacks $p (scripts/packages.txt runtime)"
done
# the installed packages PACKAGE... depend on (alternatives included)
deps_of() {
    { bh run --user root "$c" -- dpkg-query -W -f '${Depends}, ${Pre-Depends}\n' "$@" || true; } |
        tr ',|' '\n\n' | sed 's/([^)]*)//; s/:any//; s/^[[:space:]]*//; s/[[:space:]]*$//' |
        grep -v '^$' | sort -u | comm -12 - <(echo "$installed")
}
# what the runtime packages need, directly or through another (chromium needs procps through
# its libraries)
needed=$(role runtime | sort -u)
frontier=$needed
while [[ -n "$frontier" ]]; do
    frontier=$(deps_of $frontier | comm -23 - <(echo "$needed"))
    needed=$(printf '%s\n%s\n' "$needed" "$frontier" | grep -v '^$' | sort -u)
done
for p in $(role build; role test) gcc cpp; do
    if grep -qx "$p" <<<"$installed" && ! grep -qx "$p" <<<"$needed"; then
        fail "the runtime image holds $p (a compiler, or a package of the build or test role)"
    fi
done
echo "container.sh: runtime image yjreturns built, $(bh images --format '{{.Size}}' yjreturns)" >&2
exit "$bad"
