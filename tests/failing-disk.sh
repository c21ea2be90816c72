#!/usr/bin/env bash
# failing-disk.sh: a filesystem whose disk runs out of space under it, for the tests of what
# yj-submit and the ledger do when an fsync fails (tests/unit/core/test_ledger.c,
# tests/integration/test_submit.c). No test hook in the code under test: a real failure.
#
#   failing-disk.sh start DIR   mounts DIR/mnt: ext4 without a journal on a loop device whose
#                               image is a sparse 64 MB file on a 16 MB tmpfs (DIR/back), so
#                               the filesystem has room while its disk may not
#   failing-disk.sh fill DIR [FILE...]
#                               fills the tmpfs: writes into DIR/mnt still succeed (the page
#                               cache), but the write-back of a block the disk has no space for
#                               fails and fsync reports ENOSPC (then EIO), as on a
#                               thin-provisioned or copy-on-write volume that ran out of space.
#                               Each FILE's blocks lose their backing first (as the blocks of a
#                               snapshot do on such a volume), so that rewriting them needs new
#                               space too
#   failing-disk.sh free DIR    frees the tmpfs again: fsync succeeds once more
#   failing-disk.sh stop DIR    unmounts both (safe when nothing is mounted)
#
# Needs root, loop devices and mkfs.ext4; exits 77 (and says why) when it cannot mount, so
# the caller can skip. No journal and errors=continue: with a journal, ext4 would abort it at
# the first failed write and turn read-only, which hides the fsync failure under test.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [[ -z "$cmd" || -z "$dir" ]]; then
    echo "usage: $0 start|fill|free|stop DIR" >&2
    exit 64
fi
PATH="$PATH:/usr/sbin:/sbin"

case "$cmd" in
start)
    if ((EUID != 0)); then
        echo "failing-disk.sh: needs root to mount (running as uid $EUID)" >&2
        exit 77
    fi
    for tool in mount losetup mkfs.ext4 filefrag fallocate; do
        command -v "$tool" >/dev/null || {
            echo "failing-disk.sh: $tool not found" >&2
            exit 77
        }
    done
    mkdir -p "$dir/back" "$dir/mnt"
    if ! mount -t tmpfs -o size=16m,mode=0700 tmpfs "$dir/back"; then
        echo "failing-disk.sh: cannot mount a tmpfs on $dir/back" >&2
        exit 77
    fi
    truncate -s 64M "$dir/back/disk.img"
    # inode tables written now, not by a background thread later (which would fill the tmpfs)
    mkfs.ext4 -q -F -b 4096 -O ^has_journal -E lazy_itable_init=0,lazy_journal_init=0 \
        "$dir/back/disk.img"
    if ! mount -o loop,errors=continue "$dir/back/disk.img" "$dir/mnt"; then
        umount "$dir/back" || true
        echo "failing-disk.sh: cannot mount a loop device (no /dev/loop*?)" >&2
        exit 77
    fi
    chmod 0700 "$dir/mnt"
    ;;
fill)
    shift 2
    for f in "$@"; do
        sync "$f"
        # the file's extents, in bytes of the image (4096-byte blocks: one tmpfs page each)
        while read -r start len; do
            fallocate --punch-hole --offset "$start" --length "$len" "$dir/back/disk.img"
        done < <(filefrag -v -b1 "$f" | awk '/^ *[0-9]+:/ { gsub(/\.\./, " "); gsub(/:/, "");
                                                             print $4, $6 }')
    done
    # until ENOSPC: the tmpfs under the image is full
    dd if=/dev/zero of="$dir/back/fill" bs=64k status=none 2>/dev/null || true
    ;;
free)
    rm -f "$dir/back/fill"
    ;;
stop)
    rm -f "$dir/back/fill"
    if mountpoint -q "$dir/mnt"; then umount "$dir/mnt" || umount -l "$dir/mnt"; fi
    if mountpoint -q "$dir/back"; then umount "$dir/back" || umount -l "$dir/back"; fi
    ;;
*)
    echo "usage: $0 start|fill|free|stop DIR" >&2
    exit 64
    ;;
esac
