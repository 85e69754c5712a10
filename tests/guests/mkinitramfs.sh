#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build the busybox test-guest initramfs (newc cpio, gzip) that reports what Linux saw, then powers off.
#
# Usage: tests/guests/mkinitramfs.sh OUTPUT.cpio.gz [MARKER]
#   OUTPUT.cpio.gz  where to write the archive (replaced atomically)
#   MARKER          line printed once the guest checks are done (default: VOFKIT-INIT-REACHED)
# Environment:
#   VOFKIT_CACHE       cache written by scripts/setup.sh (default: $HOME/.cache/vofkit);
#                      the static ppc64el busybox is taken from $VOFKIT_CACHE/guests/busybox
#   SOURCE_DATE_EPOCH  timestamp stored for every entry (default: 0), for reproducible archives
#   VOFKIT_GUEST_MODULES  kernel modules the init loads first, by name, in load order (default:
#                      none), taken from the cached linux-image .deb ($VOFKIT_CACHE/debs), e.g.
#                      the spapr-vscsi disk driver for a guest that must see its disk
#
# The guest's /init prints, one per line:
#   VOFKIT-GUEST: cmdline=<contents of /proc/cmdline>
#   VOFKIT-GUEST: cpus=<number of processor lines in /proc/cpuinfo>
#   VOFKIT-GUEST: memtotal_kb=<MemTotal from /proc/meminfo, in kB>
#   VOFKIT-GUEST: intc=<interrupt-controller node names in the device tree>.
#   VOFKIT-GUEST: block=<block devices in /sys/block, space-separated>.
#   VOFKIT-GUEST: kernel-warnings=<kernel log (dmesg) lines with WARNING:, BUG, Oops or Call Trace>
#   (before it, when that is not 0: the first 20 such lines, each as
#   "VOFKIT-GUEST: kernel-warning-line=<dmesg line>"; boot_test.py reads them for
#   --kernel-warning-allow)
#   <MARKER>
# and then powers the machine off. On failure it prints "VOFKIT-GUEST: error-detail=<what>",
# then "VOFKIT-GUEST: init error", and powers off all the same.

set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VK_PROG=mkinitramfs # read by common.sh
# shellcheck source-path=SCRIPTDIR/../.. source=scripts/lib/common.sh
. "$SCRIPT_DIR/../../scripts/lib/common.sh"

usage() {
    sed -n '5,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

trap 'vk_on_err $? $LINENO "$BASH_COMMAND"' ERR

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    usage
fi
case "$1" in -h | --help | "") usage ;; esac

OUTPUT=$1
MARKER=${2:-VOFKIT-INIT-REACHED}
case "$MARKER" in
    *$'\n'* | *$'\r'* | "") vk_die "MARKER must be a single non-empty line" ;;
esac

CACHE=$(vk_cache_dir)
BUSYBOX="$CACHE/guests/busybox"
[ -f "$BUSYBOX" ] || vk_die "$BUSYBOX not found; run scripts/setup.sh (as root) first"

OUT_DIR=$(dirname -- "$OUTPUT")
mkdir -p -- "$OUT_DIR"

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/vofkit-initramfs.XXXXXX")
TMP_OUT=$(mktemp "$OUTPUT.tmp.XXXXXX")
trap 'rm -rf -- "$STAGE" "$TMP_OUT"' EXIT

# ---------------------------------------------------------------- staging tree

chmod 755 "$STAGE"
for d in bin sbin dev proc sys etc tmp; do
    mkdir -m 755 "$STAGE/$d"
done
chmod 1777 "$STAGE/tmp"
cp -- "$BUSYBOX" "$STAGE/bin/busybox"
chmod 755 "$STAGE/bin/busybox"

# The kernel opens /dev/console for init before anything mounts devtmpfs.
if vk_is_root && mknod -m 600 "$STAGE/dev/console" c 5 1 2>/dev/null; then
    :
else
    vk_warn "cannot mknod /dev/console (needs root); init reopens it after mounting devtmpfs, early output may be lost"
fi

# Modules, from the kernel package the guest kernel came from (same version).
MODULES=${VOFKIT_GUEST_MODULES:-}
if [ -n "$MODULES" ]; then
    KDEB=$(ls "$CACHE"/debs/linux-image-*-powerpc64le_"$(cat "$CACHE/guests/vmlinux.version")"_*.deb 2>/dev/null |
        head -n 1)
    [ -f "$KDEB" ] || vk_die "no cached linux-image .deb for the guest kernel; run scripts/setup.sh (as root) first"
    mkdir -m 755 "$STAGE/modules"
    pats=()
    for m in $MODULES; do pats+=("*/$m.ko"); done
    dpkg-deb --fsys-tarfile "$KDEB" |
        tar -x -C "$STAGE/modules" --wildcards --no-anchored --transform 's,.*/,,' "${pats[@]}" ||
        vk_die "cannot extract modules ($MODULES) from $KDEB"
    : >"$STAGE/modules/order"
    for m in $MODULES; do
        [ -f "$STAGE/modules/$m.ko" ] || vk_die "module $m not in $KDEB"
        printf '%s\n' "$m" >>"$STAGE/modules/order"
    done
fi

# Quote MARKER for a single-quoted sh string.
marker_q=${MARKER//\'/\'\\\'\'}

cat >"$STAGE/init" <<'EOF'
#!/bin/busybox sh
# vofkit test guest init: report what the kernel handed over, then power off.
bb=/bin/busybox
PATH=/bin:/sbin
export PATH

off() {
    $bb sync
    $bb poweroff -f
    # Not reached unless power-off failed; a reset also ends QEMU under -no-reboot.
    $bb reboot -f
    while :; do $bb sleep 60; done
}

fail() {
    printf '%s\n' "VOFKIT-GUEST: error-detail=$1" "VOFKIT-GUEST: init error"
    off
}

$bb mount -t proc proc /proc || fail "mount proc"
$bb mount -t sysfs sysfs /sys || fail "mount sysfs"
if ! $bb grep -q '^[^ ]* /dev devtmpfs ' /proc/mounts; then
    $bb mount -t devtmpfs devtmpfs /dev || fail "mount devtmpfs"
fi
# Reattach to the console in case the archive carried no /dev/console node.
if [ -c /dev/console ]; then
    exec </dev/console >/dev/console 2>&1
fi

# Modules the archive carries (VOFKIT_GUEST_MODULES), then a few seconds for
# the disks they find to show up (SCSI scans run in the background).
if [ -f /modules/order ]; then
    while read -r m; do
        $bb insmod "/modules/$m.ko" || fail "load module $m"
    done </modules/order
    n=0
    while [ -z "$($bb ls /sys/block 2>/dev/null | $bb grep -v -E '^(loop|ram)')" ] && [ $n -lt 50 ]; do
        $bb sleep 0.1
        n=$((n + 1))
    done
fi
block=$($bb ls /sys/block 2>/dev/null | $bb grep -v -E '^(loop|ram)' | $bb tr '\n' ' ')

cmdline=$($bb cat /proc/cmdline) || fail "read /proc/cmdline"
cpus=$($bb grep -c '^processor' /proc/cpuinfo)
[ -n "$cpus" ] || fail "count processors in /proc/cpuinfo"
memtotal=$($bb awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
[ -n "$memtotal" ] || fail "read MemTotal from /proc/meminfo"

# Interrupt controllers in the device tree Linux got (a firmware that
# merges QEMU's CAS answer badly leaves a stale XICS node next to XIVE).
intc=$(cd /sys/firmware/devicetree/base 2>/dev/null && $bb ls -d interrupt-controller* 2>/dev/null | $bb tr '\n' ' ')

# Kernel warnings, bugs and oopses so far, read from the ring buffer (it holds them
# whatever the console loglevel: `quiet` hides them from the console only).
klog=$($bb dmesg) || fail "read the kernel log (dmesg)"
[ -n "$klog" ] || fail "empty kernel log (dmesg)"
warnings=$(printf '%s\n' "$klog" | $bb grep -c -E 'WARNING:|BUG|Oops|Call Trace')
[ -n "$warnings" ] || fail "count kernel warnings"
if [ "$warnings" != 0 ]; then
    # The first 20, for the test (a quiet console did not show them).
    printf '%s\n' "$klog" | $bb grep -E 'WARNING:|BUG|Oops|Call Trace' | $bb head -n 20 |
        while IFS= read -r l; do printf '%s\n' "VOFKIT-GUEST: kernel-warning-line=$l"; done
fi

printf '%s\n' "VOFKIT-GUEST: cmdline=$cmdline" \
              "VOFKIT-GUEST: cpus=$cpus" \
              "VOFKIT-GUEST: memtotal_kb=$memtotal" \
              "VOFKIT-GUEST: intc=${intc% }." \
              "VOFKIT-GUEST: block=${block% }." \
              "VOFKIT-GUEST: kernel-warnings=$warnings" || fail "print report"
EOF
{
    printf '%s\n' "printf '%s\\n' '$marker_q' || fail \"print marker\"" "off"
} >>"$STAGE/init"
chmod 755 "$STAGE/init"

# ---------------------------------------------------------------- archive

epoch=${SOURCE_DATE_EPOCH:-0}
find "$STAGE" -exec touch -h -d "@$epoch" {} +

(
    cd "$STAGE"
    find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
        cpio -o -H newc -R 0:0 --reproducible --quiet
) | gzip -9n >"$TMP_OUT"

chmod 644 "$TMP_OUT"
mv -f -- "$TMP_OUT" "$OUTPUT"
vk_msg "wrote $OUTPUT ($(stat -c %s "$OUTPUT") bytes, marker '$MARKER')"
