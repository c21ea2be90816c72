#!/usr/bin/env bash
# package.sh: build the Debian package from the working tree and check it with lintian.
# Copies the tracked and untracked-but-not-ignored files (without git: the whole tree but
# build/, build-*/ and demo/) to a temporary folder (so no build product lands in the
# repository), runs `dpkg-buildpackage -us -uc -b` there, then lintian at
# its default level (any error or warning fails), and leaves the .deb in OUT_DIR (default
# build/package/). Prints the .deb's path as the only line on stdout.
# usage: scripts/package.sh [OUT_DIR]
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 0
fi
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$REPO/build/package}
say() { echo "package: $*" >&2; }

bash "$REPO/scripts/install-deps.sh" build package >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/src"
if command -v git >/dev/null && git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$REPO" && git ls-files -z --cached --others --exclude-standard) |
        (cd "$REPO" && xargs -0 cp --parents -t "$work/src" 2>/dev/null || true)
    # files git lists but the working tree lacks (deleted, not yet committed) are simply absent
else # a source tree without git (an export): all of it but the build products
    tar -C "$REPO" --exclude=./build --exclude='./build-*' --exclude=./demo -cf - . |
        tar -C "$work/src" -xf -
fi
say "building in $work/src"
if ! (cd "$work/src" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1); then
    tail -40 "$work/build.log" >&2
    say "FAILED: dpkg-buildpackage (the whole log was $work/build.log)"
    exit 1
fi
deb=$(ls "$work"/yjreturns_*.deb)
say "lintian $(basename "$deb")"
if ! lintian --fail-on error,warning "$deb" >&2; then
    say "FAILED: lintian"
    exit 1
fi
mkdir -p "$OUT"
cp "$deb" "$OUT/"
echo "$OUT/$(basename "$deb")"
