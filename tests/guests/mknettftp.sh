#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build the TFTP directories the network-boot tests serve with QEMU's user networking (tftp=DIR).
#
# Usage: tests/guests/mknettftp.sh OUTDIR VMLINUX INITRD CLIENT_ELF
#   OUTDIR      replaced: one directory per case below
#   VMLINUX     Debian's ppc64el vmlinux (symlinked, not copied: 45 MB)
#   INITRD      the test initramfs (tests/guests/mkinitramfs.sh)
#   CLIENT_ELF  the network boot-file client (tests/clients/netboot_client.c, run address in its
#               program header)
#
# Cases (each a tftp= root; the tests pass bootfile= where one is named):
#   default   pxelinux.cfg/default only: DEFAULT names the second of two labels, KERNEL/INITRD/APPEND
#             with MENU, PROMPT, TIMEOUT and comment lines around them; APPEND ... vofkit.test=pxe-default
#   mac       pxelinux.cfg/01-52-54-00-ab-cd-01 (LINUX, initrd= inside APPEND, CRLF lines,
#             lower-case keywords: vofkit.test=pxe-mac), 0A00020F (pxe-ip) and default
#             (pxe-default): the MAC's config wins
#   ip        pxelinux.cfg/0A0002 (pxe-ip6), 0A000 (pxe-ip5), 0A00021 (not a prefix of 0A00020F)
#             and default: the longest prefix of the address wins
#   dir       bootfile "pxe/": pxe/pxelinux.cfg/default (pxe-dir; KERNEL relative to pxe/, INITRD
#             an absolute /pxe/... path) and a decoy pxelinux.cfg/default at the root (pxe-root)
#   elf       netboot.elf (the client), booted as the DHCP boot file
#   nokernel  pxelinux.cfg/default naming vmlinux-missing
#   nolinux   pxelinux.cfg/default whose only label has no KERNEL (LOCALBOOT 0)
#   empty     nothing at all: no config
#   notelf    notelf.elf, a text file, as the boot file; huge.elf, 1.5 GiB of nothing (sparse: no disk
#             space), larger than the test machine's RAM
#   noinitrd  pxelinux.cfg/default naming the kernel and initrd-missing.gz
set -euo pipefail

if [ $# -ne 4 ]; then
    echo "usage: $0 OUTDIR VMLINUX INITRD CLIENT_ELF" >&2
    exit 2
fi
out=$1 vmlinux=$2 initrd=$3 client=$4
for f in "$vmlinux" "$initrd" "$client"; do
    if [ ! -f "$f" ]; then
        echo "mknettftp: missing input $f (run scripts/setup.sh / build first)" >&2
        exit 1
    fi
done

rm -rf "$out"
mkdir -p "$out"

# kernel and initramfs into DIR (symlinks: slirp's TFTP server opens them by path)
link_guest() {
    mkdir -p "$1"
    ln -s "$(realpath "$vmlinux")" "$1/vmlinux"
    ln -s "$(realpath "$initrd")" "$1/initramfs.cpio.gz"
}

d=$out/default
link_guest "$d"
mkdir -p "$d/pxelinux.cfg"
cat >"$d/pxelinux.cfg/default" <<'EOF'
# vofkit network-boot test: the DEFAULT label is the second one
PROMPT 0
TIMEOUT 10
MENU TITLE vofkit test
DEFAULT linux

LABEL rescue
  MENU LABEL Rescue (must not boot)
  KERNEL vmlinux
  APPEND console=hvc0 vofkit.test=pxe-wrong-label

LABEL linux
  MENU LABEL Linux
  KERNEL vmlinux
  INITRD initramfs.cpio.gz
  APPEND console=hvc0 quiet vofkit.test=pxe-default
EOF

d=$out/mac
link_guest "$d"
mkdir -p "$d/pxelinux.cfg"
printf 'default mac\r\nlabel mac\r\n\tlinux vmlinux\r\n\tappend initrd=initramfs.cpio.gz console=hvc0 quiet vofkit.test=pxe-mac\r\n' \
    >"$d/pxelinux.cfg/01-52-54-00-ab-cd-01"
printf 'DEFAULT vmlinux initrd=initramfs.cpio.gz console=hvc0 quiet vofkit.test=pxe-ip\n' \
    >"$d/pxelinux.cfg/0A00020F"
printf 'DEFAULT vmlinux initrd=initramfs.cpio.gz console=hvc0 quiet vofkit.test=pxe-default\n' \
    >"$d/pxelinux.cfg/default"

d=$out/ip
link_guest "$d"
mkdir -p "$d/pxelinux.cfg"
for name in 0A0002:pxe-ip6 0A000:pxe-ip5 0A00021:pxe-not-a-prefix default:pxe-default; do
    printf 'LABEL l\nKERNEL vmlinux\nINITRD initramfs.cpio.gz\nAPPEND console=hvc0 quiet vofkit.test=%s\n' \
        "${name#*:}" >"$d/pxelinux.cfg/${name%%:*}"
done

d=$out/dir
link_guest "$d/pxe"
mkdir -p "$d/pxe/pxelinux.cfg" "$d/pxelinux.cfg"
printf 'LABEL l\nKERNEL vmlinux\nINITRD /pxe/initramfs.cpio.gz\nAPPEND console=hvc0 quiet vofkit.test=pxe-dir\n' \
    >"$d/pxe/pxelinux.cfg/default"
printf 'LABEL l\nKERNEL pxe/vmlinux\nINITRD pxe/initramfs.cpio.gz\nAPPEND console=hvc0 quiet vofkit.test=pxe-root\n' \
    >"$d/pxelinux.cfg/default"

d=$out/elf
mkdir -p "$d"
cp "$client" "$d/netboot.elf"

d=$out/nokernel
link_guest "$d"
mkdir -p "$d/pxelinux.cfg"
printf 'LABEL l\nKERNEL vmlinux-missing\nINITRD initramfs.cpio.gz\nAPPEND console=hvc0\n' \
    >"$d/pxelinux.cfg/default"

d=$out/nolinux
mkdir -p "$d/pxelinux.cfg"
printf 'DEFAULT local\nLABEL local\n  LOCALBOOT 0\n' >"$d/pxelinux.cfg/default"

mkdir -p "$out/empty"

d=$out/notelf
mkdir -p "$d"
printf 'this is not an ELF image\n' >"$d/notelf.elf"
truncate -s 1536M "$d/huge.elf"

d=$out/noinitrd
link_guest "$d"
mkdir -p "$d/pxelinux.cfg"
printf 'LABEL l\nKERNEL vmlinux\nINITRD initrd-missing.gz\nAPPEND console=hvc0\n' \
    >"$d/pxelinux.cfg/default"

echo "mknettftp: $out: default mac ip dir elf nokernel nolinux empty notelf noinitrd"
