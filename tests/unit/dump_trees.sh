#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Dump QEMU pseries device trees (dumpdtb) for several machine configurations, for the unit.tree tests.
#
#   dump_trees.sh OUTDIR
#
# Writes OUTDIR/{basic,big,devices,kernel,nodefaults}.dtb: QEMU builds the
# tree it would hand to firmware, writes it and exits.  Every dtb is
# required: a configuration QEMU refuses, or a missing input (the cached
# guest kernel), makes the script fail, and with it the tests that use the
# trees.  QEMU_SYSTEM_PPC64 overrides the emulator; VOFKIT_CACHE the cache
# (default ~/.cache/vofkit) that holds guests/vmlinux.
set -u

out=${1:?usage: dump_trees.sh OUTDIR}
qemu=${QEMU_SYSTEM_PPC64:-qemu-system-ppc64}
cache=${VOFKIT_CACHE:-$HOME/.cache/vofkit}
kernel="$cache/guests/vmlinux"

fail() {
	echo "dump_trees: FAIL: $*" >&2
	exit 1
}

mkdir -p "$out" || fail "cannot create $out"
# Stale trees from an earlier run must not stand in for ones QEMU refused.
rm -f "$out"/*.dtb
command -v "$qemu" >/dev/null 2>&1 || fail "$qemu not found (run scripts/setup.sh)"

tmp=$(mktemp -d) || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT

# dump NAME QEMU-ARGS...: QEMU writes $out/NAME.dtb and exits.
dump() {
	local name=$1 log="$tmp/$1.log"
	shift
	if ! timeout 60 "$qemu" -machine "pseries,dumpdtb=$out/$name.dtb" "$@" \
		</dev/null >"$log" 2>&1; then
		cat "$log" >&2
		fail "$name: qemu-system-ppc64 $*"
	fi
	[ -s "$out/$name.dtb" ] || { cat "$log" >&2; fail "$name: no dtb written"; }
	echo "dump_trees: $name.dtb ($(stat -c %s "$out/$name.dtb") bytes)"
}

dump basic -m 1G -smp 1 -nographic -vga none

dump big -m 4G -smp 8 -nographic -vga none

# A 1 MiB raw disk behind virtio-blk in PCI slot 0xb ("scsi@b": a hex letter
# in a unit address), a second v-scsi at a chosen reg, and virtio-net when
# this QEMU has user networking (romfile= : no option ROM needed to dump).
truncate -s 1M "$tmp/disk.raw" || fail "cannot create the scratch disk"
devices=(-m 2G -smp 2 -nographic -vga none
	-drive "if=none,id=d0,file=$tmp/disk.raw,format=raw"
	-device virtio-blk-pci,drive=d0,addr=0xb
	-device spapr-vscsi,reg=0x7100000c)
if "$qemu" -netdev help 2>/dev/null | grep -qx user; then
	devices+=(-netdev user,id=n0 -device virtio-net-pci,netdev=n0,romfile=)
else
	echo "dump_trees: devices: no user networking in this QEMU; dumping without a NIC"
fi
dump devices "${devices[@]}"

[ -f "$kernel" ] || fail "kernel: missing input $kernel (run scripts/setup.sh first)"
dump kernel -m 1G -nographic -vga none -kernel "$kernel" -append "console=hvc0 foo=bar"

dump nodefaults -nodefaults -display none -m 1G \
	-chardev null,id=c0 -device spapr-vty,chardev=c0

exit 0
