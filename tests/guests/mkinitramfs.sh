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
#
# The guest's /init prints, one per line:
#   VOFKIT-GUEST: cmdline=<contents of /proc/cmdline>
#   VOFKIT-GUEST: cpus=<number of processor lines in /proc/cpuinfo>
#   VOFKIT-GUEST: memtotal_kb=<MemTotal from /proc/meminfo, in kB>
#   VOFKIT-GUEST: intc=<interrupt-controller node names in the device tree>.
#   VOFKIT-GUEST: kernel-warnings=<kernel log (dmesg) lines with WARNING:, BUG, Oops or Call Trace>
#   VOFKIT-GUEST: nvme=<NVMe block devices and partitions Linux found>. (<seconds it took>)  (only with an NVMe
#   controller: the init loads the nvme modules, which the archive carries, taken from the
#   cached Debian kernel package that matches $VOFKIT_CACHE/guests/vmlinux, and waits for them)
#   VOFKIT-GUEST: scsi=<SCSI disks Linux found>. (<seconds it took>)  (only with a virtio-scsi
#   controller, 1af4:1004 or 1af4:1048: the init loads virtio_pci, virtio_scsi and sd_mod, carried
#   and taken the same way, and waits for the disks)
#   VOFKIT-GUEST: vscsi=<SCSI disks and partitions Linux found>. (<seconds it took>)  (only when the
#   firmware's /aliases name a disk on spapr-vscsi: the same, with ibmvscsi and sd_mod)
#   VOFKIT-GUEST: net=<interface> <IPv4 address>  (only with a NIC: an l-lan node under
#   /proc/device-tree/vdevice or a virtio-net function, 1af4:1000 or 1af4:1041. The init loads
#   ibmveth or virtio_net and its dependencies, carried and taken the same way, brings the first
#   interface up and asks for a lease with busybox udhcpc; on failure "net=none" and then
#   "VOFKIT-GUEST: net-error=<what failed>"; after it "VOFKIT-GUEST: net-handover=ok", or what
#   the firmware left running: a virtio-net device not reset, or an l-lan still registered,
#   which makes ibmveth's first H_REGISTER_LOGICAL_LAN return H_RESOURCE)
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

# Debian builds the NVMe driver as modules: nvme.ko, nvme-core.ko and what they need
# (modinfo "depends"), in load order.
NVME_MODULES="crypto/crct10dif_common.ko crypto/crct10dif_generic.ko lib/crc-t10dif.ko
lib/crc64.ko crypto/crc64_rocksoft_generic.ko lib/crc64-rocksoft.ko block/t10-pi.ko
drivers/nvme/host/nvme-core.ko drivers/nvme/host/nvme.ko"
# The same for virtio-scsi disks: the virtio PCI transport, virtio_scsi and the SCSI disk
# driver sd_mod (which needs t10-pi, as nvme-core does: the init skips what is loaded).
SCSI_MODULES="drivers/virtio/virtio.ko drivers/virtio/virtio_ring.ko
drivers/virtio/virtio_pci_modern_dev.ko drivers/virtio/virtio_pci_legacy_dev.ko
drivers/virtio/virtio_pci.ko drivers/scsi/virtio_scsi.ko crypto/crct10dif_common.ko
crypto/crct10dif_generic.ko lib/crc-t10dif.ko lib/crc64.ko crypto/crc64_rocksoft_generic.ko
lib/crc64-rocksoft.ko block/t10-pi.ko drivers/scsi/sd_mod.ko"
# The same for spapr-vscsi disks: ibmvscsi, the SRP transport class and sd_mod.
VSCSI_MODULES="crypto/crct10dif_common.ko crypto/crct10dif_generic.ko lib/crc-t10dif.ko
lib/crc64.ko crypto/crc64_rocksoft_generic.ko lib/crc64-rocksoft.ko block/t10-pi.ko
drivers/scsi/sd_mod.ko drivers/scsi/scsi_transport_srp.ko drivers/scsi/ibmvscsi/ibmvscsi.ko"
# The NIC drivers: ibmveth (spapr-vlan) has no dependencies; virtio_net needs the virtio
# PCI transport (as virtio-scsi does) and net_failover/failover. Debian 6.1 builds all of
# them as modules; af_packet, which udhcpc's raw socket needs, is built in.
LLAN_MODULES="drivers/net/ethernet/ibm/ibmveth.ko"
VNET_MODULES="drivers/virtio/virtio.ko drivers/virtio/virtio_ring.ko
drivers/virtio/virtio_pci_modern_dev.ko drivers/virtio/virtio_pci_legacy_dev.ko
drivers/virtio/virtio_pci.ko net/core/failover.ko drivers/net/net_failover.ko
drivers/net/virtio_net.ko"
KVER_DEB=""
if [ -f "$CACHE/guests/vmlinux.version" ]; then
    kpkg_ver=$(cat "$CACHE/guests/vmlinux.version")
    for f in "$CACHE"/debs/linux-image-*-powerpc64le_"${kpkg_ver}"_ppc64el.deb; do
        [ -f "$f" ] && KVER_DEB=$f
    done
fi

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

# The NVMe modules, flat in /lib/nvme (the init loads them in NVME_MODULES order), the
# virtio-scsi ones in /lib/scsi (SCSI_MODULES order) and the spapr-vscsi ones in /lib/vscsi.
mkdir -m 755 "$STAGE/lib" "$STAGE/lib/nvme" "$STAGE/lib/scsi" "$STAGE/lib/vscsi" \
    "$STAGE/lib/llan" "$STAGE/lib/vnet"
if [ -n "$KVER_DEB" ]; then
    mods=$(mktemp -d "${TMPDIR:-/tmp}/vofkit-mods.XXXXXX")
    globs=""
    # once each: tar reports a second pattern for the same member as not found
    # shellcheck disable=SC2086 # one module per word
    for m in $(printf '%s\n' $NVME_MODULES $SCSI_MODULES $VSCSI_MODULES $LLAN_MODULES $VNET_MODULES | sort -u); do
        globs="$globs ./lib/modules/*/kernel/$m"
    done
    # shellcheck disable=SC2086 # one pattern per word
    dpkg-deb --fsys-tarfile "$KVER_DEB" | tar -x -C "$mods" --wildcards $globs
    # copy_modules DIR MODULE...: into $STAGE/lib/DIR, numbered in load order
    copy_modules() {
        local dir=$1 n=0 m
        shift
        for m in "$@"; do
            n=$((n + 1))
            cp -- "$mods"/lib/modules/*/kernel/"$m" "$STAGE/lib/$dir/$(printf %02d "$n")-${m##*/}"
        done
    }
    # shellcheck disable=SC2086 # one module per word
    copy_modules nvme $NVME_MODULES
    # shellcheck disable=SC2086
    copy_modules scsi $SCSI_MODULES
    # shellcheck disable=SC2086
    copy_modules vscsi $VSCSI_MODULES
    # shellcheck disable=SC2086
    copy_modules llan $LLAN_MODULES
    # shellcheck disable=SC2086
    copy_modules vnet $VNET_MODULES
    rm -rf -- "$mods"
else
    vk_warn "no cached Debian kernel package for $CACHE/guests/vmlinux; the guest cannot use NVMe or SCSI disks or NICs"
fi

# udhcpc's hook: busybox runs it with deconfig, bound, renew, nak or leasefail and the
# lease in the environment; it only has to put the leased address on the interface.
cat >"$STAGE/etc/udhcpc.script" <<'EOF'
#!/bin/busybox sh
# Set the leased address with ip (the guest's init reads it back from the interface).
bb=/bin/busybox
case "$1" in
    deconfig)
        $bb ip -4 addr flush dev "$interface"
        $bb ip link set "$interface" up
        ;;
    bound | renew)
        $bb ip -4 addr flush dev "$interface"
        $bb ip addr add "$ip/${mask:-24}" dev "$interface" || exit 1
        ;;
esac
exit 0
EOF
chmod 755 "$STAGE/etc/udhcpc.script"

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

# Load the modules of one folder in their numbered order, skipping those an
# earlier block loaded (the NVMe and SCSI sets share the CRC modules).
load_modules() {
    for m in "$1"/*.ko; do
        name=${m##*/}
        name=${name#??-}
        name=$(printf '%s' "${name%.ko}" | $bb sed 's/-/_/g')
        [ -d "/sys/module/$name" ] && continue
        $bb insmod "$m" || fail "load $m"
    done
}

# Seconds since an uptime reading, for the report lines.
seconds_since() {
    $bb awk -v t0="$1" -v t1="$($bb cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.2f", t1 - t0 }'
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
# The moment init runs, before the checks below load drivers and wait for
# disks: bench/grub_boot_time.py --to init-start measures boots to this line.
printf '%s\n' "VOFKIT-GUEST: init started"

cmdline=$($bb cat /proc/cmdline) || fail "read /proc/cmdline"
cpus=$($bb grep -c '^processor' /proc/cpuinfo)
[ -n "$cpus" ] || fail "count processors in /proc/cpuinfo"
memtotal=$($bb awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
[ -n "$memtotal" ] || fail "read MemTotal from /proc/meminfo"

# Interrupt controllers in the device tree Linux got (a firmware that
# merges QEMU's CAS answer badly leaves a stale XICS node next to XIVE).
intc=$(cd /sys/firmware/devicetree/base 2>/dev/null && $bb ls -d interrupt-controller* 2>/dev/null | $bb tr '\n' ' ')

# NVMe (PCI class 0x010802): load the driver, wait for its namespaces and partitions
# (the probe is asynchronous), so a firmware that left the controller or its DMA window
# in a bad state shows up here and in the warnings below.
nvme=""
if $bb cat /sys/bus/pci/devices/*/class 2>/dev/null | $bb grep -q '^0x010802$'; then
    t0=$($bb cut -d' ' -f1 /proc/uptime)
    load_modules /lib/nvme
    # done when a partition showed up and the list stayed the same for 0.3 s (at most 10 s)
    i=0
    same=0
    while [ $i -lt 100 ] && [ $same -lt 3 ]; do
        $bb sleep 0.1
        now=$(cd /sys/class/block && $bb ls -d nvme* 2>/dev/null | $bb tr '\n' ' ')
        case "$now" in
            *p1\ *) if [ "$now" = "$nvme" ]; then same=$((same + 1)); else same=0; fi ;;
        esac
        nvme=$now
        i=$((i + 1))
    done
    nvme="VOFKIT-GUEST: nvme=${nvme% }. ($(seconds_since "$t0") s)"
fi

# virtio-scsi (1af4:1004 transitional, 1af4:1048 modern): load virtio_pci, virtio_scsi and
# sd_mod (what NVMe's part loaded already is skipped), wait for the disks the same way, so a
# firmware that left the controller in a bad state at quiesce shows up here.
scsi=""
vscsi_found=""
for d in /sys/bus/pci/devices/*; do
    [ "$($bb cat "$d/vendor" 2>/dev/null)" = 0x1af4 ] || continue
    case "$($bb cat "$d/device" 2>/dev/null)" in 0x1004 | 0x1048) vscsi_found=1 ;; esac
done
if [ -n "$vscsi_found" ]; then
    t0=$($bb cut -d' ' -f1 /proc/uptime)
    load_modules /lib/scsi
    # done when a disk showed up and the list stayed the same for 0.3 s (at most 10 s)
    i=0
    same=0
    while [ $i -lt 100 ] && [ $same -lt 3 ]; do
        $bb sleep 0.1
        now=$(cd /sys/class/block && $bb ls -d sd* 2>/dev/null | $bb grep -v '[0-9]$' | $bb tr '\n' ' ')
        case "$now" in
            ?*) if [ "$now" = "$scsi" ]; then same=$((same + 1)); else same=0; fi ;;
        esac
        scsi=$now
        i=$((i + 1))
    done
    scsi="VOFKIT-GUEST: scsi=${scsi% }. ($(seconds_since "$t0") s)"
fi

# spapr-vscsi disks: the firmware's /aliases disk... that name a v-scsi LUN (QEMU's
# default empty CD-ROM drive alone does not count). Load ibmvscsi and sd_mod (skipping
# what was loaded above) and wait until Linux has as many more SCSI disks: the firmware
# must have left the adapter as after a reset (CRQ freed, no TCE left) for Linux to
# register its own queue and read them.
vscsi=""
want=0
for a in /sys/firmware/devicetree/base/aliases/disk*; do
    if [ -f "$a" ] && $bb grep -q '/v-scsi@' "$a"; then want=$((want + 1)); fi
done
if [ $want -gt 0 ]; then
    t0=$($bb cut -d' ' -f1 /proc/uptime)
    have=$($bb ls -d /sys/block/sd* 2>/dev/null | $bb wc -l)
    load_modules /lib/vscsi
    # at most 10 s; a disk's partitions are read when it is added, 0.2 s more for the last
    i=0
    while [ $i -lt 100 ] && [ "$($bb ls -d /sys/block/sd* 2>/dev/null | $bb wc -l)" -lt $((have + want)) ]; do
        $bb sleep 0.1
        i=$((i + 1))
    done
    $bb sleep 0.2
    vscsi=$(cd /sys/class/block && $bb ls -d sd* 2>/dev/null | $bb tr '\n' ' ')
    vscsi="VOFKIT-GUEST: vscsi=${vscsi% }. ($(seconds_since "$t0") s)"
fi

# One byte (decimal) or a little-endian 32-bit word of a PCI function's config space.
cfg8() { $bb hexdump -s "$2" -n 1 -e '1/1 "%u"' "$1/config"; }
cfg32() { $bb hexdump -s "$2" -n 4 -e '1/4 "%u"' "$1/config"; }

# The device_status byte of a modern virtio function (e.g. "0x0F"), read with devmem from
# its common configuration structure (vendor capability 9 of cfg_type 1; device_status is
# at +20), or nothing for a function without one or whose memory decoding is off.
virtio_status() {
    [ $(($(cfg8 "$1" 4) & 2)) -ne 0 ] || return 0
    cap=$(cfg8 "$1" 0x34)
    n=0
    while [ -n "$cap" ] && [ "$cap" -ne 0 ] && [ $n -lt 48 ]; do
        if [ "$(cfg8 "$1" "$cap")" = 9 ] && [ "$(cfg8 "$1" $((cap + 3)))" = 1 ]; then
            bar=$(cfg8 "$1" $((cap + 4)))
            start=$($bb sed -n "$((bar + 1))p" "$1/resource" | $bb cut -d' ' -f1)
            $bb devmem $((start + $(cfg32 "$1" $((cap + 8))) + 20)) 8
            return 0
        fi
        cap=$(cfg8 "$1" $((cap + 1)))
        n=$((n + 1))
    done
}

# NICs: spapr-vlan (an l-lan node under /vdevice) and virtio-net (1af4:1000 transitional,
# 1af4:1041 modern). Load the driver, bring the first interface up and ask slirp for a lease:
# the firmware must have handed the NIC over in a state Linux's driver can open, and its node
# must still describe the device. Linux 6.1 copes with a NIC the firmware left running (ibmveth
# frees a LAN that is still registered and registers again; virtio_pci resets the device), so
# the handover is checked on its own: a virtio-net function must be reset (device_status 0)
# before Linux's driver loads, and ibmveth's first H_REGISTER_LOGICAL_LAN must succeed, not
# return H_RESOURCE (-16) for a LAN the firmware left registered (the powerpc:hcall_exit
# tracepoint shows its return values).
# Prints "net=<interface> <address> (<seconds> s)", or "net=none" and "net-error=<what>", and
# "net-handover=ok" or what was wrong.
net_report() {
    t0=$($bb cut -d' ' -f1 /proc/uptime)
    handover=""
    for d in $2; do
        st=$(virtio_status "$d")
        case "$st" in
            "" | 0x00) ;;
            *) handover="$handover ${d##*/}: virtio device_status $st, not reset;" ;;
        esac
    done
    tr=""
    case "$1" in
        */lib/llan*)
            tr=/sys/kernel/tracing
            ev=$tr/events/powerpc/hcall_exit
            if ! { $bb mount -t tracefs nodev "$tr" && echo 'opcode == 276' >"$ev/filter" &&
                echo 1 >"$ev/enable"; } 2>/dev/null; then
                handover="$handover cannot trace hcalls;"
                tr=""
            fi
            ;;
    esac
    for dir in $1; do
        for m in "$dir"/*.ko; do
            name=${m##*/}
            name=${name#??-}
            name=$(printf '%s' "${name%.ko}" | $bb sed 's/-/_/g')
            [ -d "/sys/module/$name" ] && continue
            if ! $bb insmod "$m" 2>/dev/null; then
                printf '%s\n' "net=none" "net-error=load ${m##*/}"
                return
            fi
        done
    done
    # The interface appears once the driver's probe ran (at most 5 s).
    ifname=""
    i=0
    while [ $i -lt 50 ]; do
        for f in /sys/class/net/*; do
            [ -e "$f/device" ] && ifname=${f##*/} && break
        done
        [ -n "$ifname" ] && break
        $bb sleep 0.1
        i=$((i + 1))
    done
    if [ -z "$ifname" ]; then
        printf '%s\n' "net=none" "net-error=no network interface after loading $1"
        return
    fi
    if ! $bb ip link set "$ifname" up 2>/tmp/ip.log; then
        printf '%s\n' "net=none" "net-error=ip link set $ifname up: $($bb tail -n 1 /tmp/ip.log)"
        return
    fi
    # Four DISCOVERs a second apart; slirp answers the first at once.
    if ! $bb udhcpc -i "$ifname" -s /etc/udhcpc.script -f -q -n -t 4 -T 1 >/tmp/udhcpc.log 2>&1; then
        printf '%s\n' "net=none" "net-error=no DHCP lease on $ifname: $($bb tail -n 1 /tmp/udhcpc.log)"
        return
    fi
    addr=$($bb ip -4 addr show dev "$ifname" | $bb awk '$1 == "inet" { split($2, a, "/"); print a[1]; exit }')
    if [ -z "$addr" ]; then
        printf '%s\n' "net=none" "net-error=lease on $ifname but no IPv4 address on it"
        return
    fi
    printf '%s\n' "net=$ifname $addr ($(seconds_since "$t0") s)"
    if [ -n "$tr" ]; then
        echo 0 >"$ev/enable"
        rets=$($bb sed -n 's/.*hcall_exit: opcode=276 retval=\(-*[0-9]*\).*/\1/p' "$tr/trace" | $bb tr '\n' ' ')
        [ "$rets" = "0 " ] || handover="$handover H_REGISTER_LOGICAL_LAN returned ${rets% } (0 once is right);"
    fi
    handover=${handover# }
    printf '%s\n' "net-handover=${handover:-ok}"
}
net=""
netdirs=""
vnets=""
for n in /proc/device-tree/vdevice/l-lan@*; do
    if [ -d "$n" ]; then netdirs=/lib/llan; break; fi
done
for d in /sys/bus/pci/devices/*; do
    [ "$($bb cat "$d/vendor" 2>/dev/null)" = 0x1af4 ] || continue
    case "$($bb cat "$d/device" 2>/dev/null)" in
        0x1000 | 0x1041) vnets="$vnets $d" ;;
    esac
done
[ -z "$vnets" ] || netdirs="$netdirs /lib/vnet"
if [ -n "$netdirs" ]; then
    net=$(net_report "$netdirs" "$vnets" | $bb sed 's/^/VOFKIT-GUEST: /')
fi

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
if [ -n "$nvme" ]; then
    printf '%s\n' "$nvme" || fail "print report"
fi
if [ -n "$scsi" ]; then
    printf '%s\n' "$scsi" || fail "print report"
fi
if [ -n "$vscsi" ]; then
    printf '%s\n' "$vscsi" || fail "print report"
fi
if [ -n "$net" ]; then
    printf '%s\n' "$net" || fail "print report"
fi
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
