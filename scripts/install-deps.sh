#!/usr/bin/env bash
# install-deps.sh: install the Debian 12 packages yjreturns needs to build, test and demo.
# Idempotent: does nothing when every package is already installed; otherwise runs
# `apt-get update` once and installs the missing set without recommends.
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    echo "usage: $0    (installs build/test/demo packages with apt-get; no arguments)" >&2
    exit 0
fi

PACKAGES=(
    build-essential cmake pkg-config
    libpq-dev libxml2-dev libxml2-utils libcurl4-openssl-dev libssl-dev libcriterion-dev libzip-dev
    postgresql postgresql-client nginx openssl curl clang-format libxerces-c-samples
    ca-certificates procps unzip acl
)

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
