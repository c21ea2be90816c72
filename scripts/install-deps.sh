#!/usr/bin/env bash
# install-deps.sh: install the Debian 12 packages yjreturns needs to build, test, demo and
# package it: those of scripts/packages.txt (every role, or the roles named).
# Idempotent: does nothing when every package is already installed; otherwise runs
# `apt-get update` once and installs the missing set without recommends.
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    echo "usage: $0 [ROLE ...]   (installs the packages of scripts/packages.txt with apt-get;" >&2
    echo "       ROLE: build runtime test demo package; default: all of them)" >&2
    exit 0
fi

LIST="$(dirname "${BASH_SOURCE[0]}")/packages.txt"
mapfile -t PACKAGES < <(awk -v roles=" $* " '
    /^[[:space:]]*(#|$)/ { next }
    roles == "  " || index(roles, " " $1 " ") { print $2 }' "$LIST")
if ((${#PACKAGES[@]} == 0)); then
    echo "install-deps: no package of role(s) '$*' in $LIST" >&2
    exit 64
fi

missing=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "install-deps: all packages present" >&2
    exit 0
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "install-deps: not root and no sudo; please install: ${missing[*]}" >&2
        exit 1
    fi
fi

echo "install-deps: installing ${missing[*]}" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-deps: apt-get update failed" >&2
    exit 1
fi
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-deps: apt-get install failed" >&2
    exit 1
fi
echo "install-deps: done" >&2
