#!/usr/bin/env bash
# test.sh: everything CI checks. Installs packages, then
#   1. Release build in build/ (warnings are errors) and ctest,
#   2. Debug build with AddressSanitizer/UBSan in build-asan/ and ctest,
#   3. clang-format check of the C sources,
#   4. the Debian package: built (scripts/package.sh, lintian included) and checked, installed
#      on a clean Debian 12 root (tests/package/check.sh);
#   5. the container image: the Dockerfile built with buildah from a locally made Debian 12
#      base image, no registry (tests/package/container.sh; root only, else skipped).
# Every step runs even when an earlier one failed (unless it needs that build); exit status is
# non-zero when any step failed. Run from anywhere: it works in the repository root.
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    echo "usage: $0    (install deps, build + ctest Release and ASan, clang-format check, package, container)" >&2
    exit 0
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
JOBS=${JOBS:-2}
failed=()
passed=()

step() { # step NAME COMMAND...
    local name=$1 start rc=0
    shift
    echo "=== test.sh: $name" >&2
    start=$SECONDS
    "$@" || rc=$?
    if ((rc == 0)); then
        passed+=("$name")
        echo "=== test.sh: $name: ok ($((SECONDS - start)) s)" >&2
    else
        failed+=("$name")
        echo "=== test.sh: $name: FAILED (exit $rc, $((SECONDS - start)) s)" >&2
    fi
    return "$rc"
}

build_and_test() { # build_and_test DIR CMAKE-ARGS...
    local dir=$1
    shift
    step "configure $dir" cmake -S . -B "$dir" -DYJ_WERROR=ON "$@" || return 0
    step "build $dir" cmake --build "$dir" -j"$JOBS" || return 0
    step "ctest $dir" ctest --test-dir "$dir" --output-on-failure --no-tests=error || return 0
}

format_check() {
    local files=()
    mapfile -d '' files < <(find etl tests scripts/gen -type f \( -name '*.c' -o -name '*.h' \) \
        -print0 2>/dev/null | sort -z)
    if ((${#files[@]} == 0)); then
        echo "test.sh: no C sources to check" >&2
        return 0
    fi
    clang-format --dry-run --Werror "${files[@]}"
}

package_check() {
    local deb
    deb=$(bash scripts/package.sh build/package) && bash tests/package/check.sh "$deb"
}

step "install-deps" bash scripts/install-deps.sh || {
    echo "test.sh: FAILED: cannot install packages" >&2
    exit 1
}
build_and_test build -DCMAKE_BUILD_TYPE=Release
build_and_test build-asan -DCMAKE_BUILD_TYPE=Debug -DYJ_SANITIZE=ON
step "clang-format" format_check || true
step "package" package_check || true
if [[ "$(id -u)" -eq 0 ]]; then
    step "container" bash tests/package/container.sh || true
else
    echo "=== test.sh: container: skipped (buildah needs root)" >&2
fi

if ((${#failed[@]} > 0)); then
    echo "test.sh: FAILED: ${#failed[@]} step(s) failed: ${failed[*]}; ${#passed[@]} passed" >&2
    exit 1
fi
echo "test.sh: OK: all ${#passed[@]} steps passed" >&2
