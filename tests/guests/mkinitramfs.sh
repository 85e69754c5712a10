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
#   VOFKIT_GUEST_MODULES  kernel modules the init loads first, e.g. "virtio_pci virtio_scsi sd_mod"
#                      (Debian builds the disk drivers as modules): taken with what they depend
#                      on from the cached kernel package; the init then waits up to 10 s for a
#                      disk and prints "VOFKIT-GUEST: block=<names in /sys/block>" (default: none,
#                      and the archive is the same as without the variable)
#
# The guest's /init prints, one per line:
#   VOFKIT-GUEST: cmdline=<contents of /proc/cmdline>
#   VOFKIT-GUEST: cpus=<number of processor lines in /proc/cpuinfo>
#   VOFKIT-GUEST: memtotal_kb=<MemTotal from /proc/meminfo, in kB>
#   VOFKIT-GUEST: intc=<interrupt-controller node names in the device tree>.
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

# ---------------------------------------------------------------- kernel modules (optional)

# Each module and, first, what its .modinfo "depends=" names, into /lib/modules/<name>.ko;
# LOAD_ORDER lists them dependencies first.  One extraction pass per dependency level.
LOAD_ORDER=""
if [ -n "${VOFKIT_GUEST_MODULES:-}" ]; then
    kver=$(cat "$CACHE/guests/vmlinux.version" 2>/dev/null) ||
        vk_die "$CACHE/guests/vmlinux.version not found; run scripts/setup.sh (as root) first"
    kdeb=""
    for f in "$CACHE"/debs/linux-image-*-powerpc64le_"${kver}"_ppc64el.deb; do
        [ -f "$f" ] && kdeb=$f
    done
    [ -n "$kdeb" ] || vk_die "no linux-image package $kver in $CACHE/debs; run scripts/setup.sh (as root)"
    KLIST=$(dpkg-deb -c "$kdeb" | awk '$NF ~ /^\.\/lib\/modules\/.*\.ko$/ { print $NF }')
    KTMP="$STAGE/.modules"
    mkdir -p "$KTMP" "$STAGE/lib/modules"
    declare -A MOD_PATH=() MOD_DEPS=()
    todo=$VOFKIT_GUEST_MODULES
    while [ -n "$todo" ]; do
        paths=()
        for m in $todo; do
            [ -n "${MOD_PATH[$m]:-}" ] && continue
            p=$(printf '%s\n' "$KLIST" | grep -m1 "/$m\.ko\$" || true)
            [ -n "$p" ] || vk_die "kernel module $m is not in $kdeb"
            MOD_PATH[$m]=$p
            paths+=("$p")
        done
        todo=""
        [ ${#paths[@]} -gt 0 ] || break
        dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$KTMP" "${paths[@]}"
        for p in "${paths[@]}"; do
            m=$(basename "$p" .ko)
            deps=$(strings -a "$KTMP/$p" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' ')
            MOD_DEPS[$m]=$deps
            todo="$todo $deps"
        done
        todo=$(printf '%s\n' $todo | sort -u | tr '\n' ' ' | sed 's/^ *//; s/ *$//')
    done
    visit() {
        local m=$1 d
        case " $LOAD_ORDER " in *" $m "*) return ;; esac
        for d in ${MOD_DEPS[$m]}; do visit "$d"; done
        LOAD_ORDER="$LOAD_ORDER $m"
        cp -- "$KTMP/${MOD_PATH[$m]}" "$STAGE/lib/modules/$m.ko"
    }
    for m in $VOFKIT_GUEST_MODULES; do visit "$m"; done
    rm -rf -- "$KTMP"
    chmod 755 "$STAGE/lib" "$STAGE/lib/modules"
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

EOF
if [ -n "$LOAD_ORDER" ]; then
    {
        printf '%s\n' '# Disk drivers Debian builds as modules, dependencies first.'
        for m in $LOAD_ORDER; do
            printf '%s\n' "\$bb insmod /lib/modules/$m.ko || fail \"insmod $m\""
        done
        cat <<'EOF'
# The disks appear asynchronously (the SCSI scan, sd's probe): up to 10 s.
tries=0
while [ $tries -lt 100 ] && ! $bb ls /sys/block | $bb grep -q -E '^(sd|vd)'; do
    $bb sleep 0.1
    tries=$((tries + 1))
done
printf '%s\n' "VOFKIT-GUEST: block=$($bb ls /sys/block | $bb grep -E '^(sd|vd)' | $bb tr '\n' ' ')" ||
    fail "print block devices"
EOF
    } >>"$STAGE/init"
fi
cat >>"$STAGE/init" <<'EOF'
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
