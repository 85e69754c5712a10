#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Seed corpora for the fuzz targets, made from real images at test time.
#
#   mkseeds.sh OUTDIR
#
# OUTDIR/<target>/ gets: partitions: disks partitioned by the real sfdisk
# (MBR primary, logical chain, GPT; each with the geometry byte the target
# reads first); elf: GRUB's core.elf from grub-mkimage (the modules
# scripts/setup.sh caches, as tests/guests/mkgrubdisk.sh makes it) and
# small ELF32/ELF64 images; nvram: CHRP layouts; dispatch: CI calls;
# merge, tree: QEMU's trees (VOFKIT_DTB_DIR, from tests/unit/dump_trees.sh);
# dhcp, tftp: replies and exchanges laid out as libslirp 4.7 sends them (QEMU's
# user networking: bootp.c, tftp.c), made here by python (no QEMU needed);
# iso9660: small xorriso CDs holding GRUB's real bootinfo.txt (Rock Ridge;
# Joliet with level-1 names), the head of a real grub-mkrescue CD, the hostile CDs of tests/guests/mkbadiso.py,
# all from sector 16 on, and boot scripts alone (byte 0 = 0x80).
# Committed regression inputs live in tests/fuzz/corpus/<target>/ instead.
set -eu
out=${1:?usage: mkseeds.sh OUTDIR}
cache=${VOFKIT_CACHE:-$HOME/.cache/vofkit}
grub="$cache/guests/grub/powerpc-ieee1275"
PATH=$PATH:/usr/sbin:/sbin
fail() { echo "mkseeds: FAIL: $*" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"/{partitions,elf,nvram,dispatch,merge,tree,iso9660,pxelinux}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- partitions: 200-block (100 KiB) disks; byte 0 = 0 (512-byte blocks)
disk() { # NAME SFDISK-SCRIPT [GEOMETRY-BYTE]
    truncate -s 0 "$tmp/d.img"
    truncate -s $((200 * 512)) "$tmp/d.img"
    printf '%b' "$2" | sfdisk -q --no-reread --no-tell-kernel "$tmp/d.img" >/dev/null 2>&1 ||
        fail "sfdisk: $1"
    { printf "\\x${3:-00}"; cat "$tmp/d.img"; } >"$out/partitions/$1"
}
prep=9E1A2D38-C612-4316-AA26-8B49521E5A8B
linux=0FC63DAF-8483-4772-8E79-3D69D8477DE4
disk mbr_primary 'label: dos\nstart=2, size=20, type=41\nstart=30, size=100, type=83\n'
disk mbr_second 'label: dos\nstart=2, size=20, type=83\nstart=30, size=10, type=41\n'
disk mbr_logical 'label: dos\nstart=2, size=10, type=83\nstart=20, size=170, type=5\nstart=22, size=10, type=83\nstart=40, size=10, type=83\nstart=60, size=20, type=41\n'
disk mbr_noprep 'label: dos\nstart=2, size=100, type=83\n'
disk gpt_prep "label: gpt\nstart=40, size=20, type=$prep\nstart=60, size=40, type=$linux\n"
disk gpt_second "label: gpt\nstart=40, size=20, type=$linux\nstart=60, size=40, type=$prep\n"
disk gpt_sparse "label: gpt\nstart=40, size=20, type=$linux\nstart=60, size=40, type=$prep\n" 0c
disk mbr_4k 'label: dos\nstart=2, size=20, type=41\n' 02

# ---- elf: GRUB's core image and hand-made ELF32/ELF64
[ -f "$grub/kernel.img" ] || fail "$grub/kernel.img missing; run scripts/setup.sh"
grub-mkimage -O powerpc-ieee1275 -d "$grub" -p '(ieee1275/disk,msdos2)/boot/grub' \
    -o "$out/elf/grub_core.elf" part_msdos part_gpt ext2 normal linux echo >/dev/null 2>&1 ||
    fail "grub-mkimage"
grub-mkimage -O powerpc-ieee1275 -d "$grub" -p '(ieee1275/disk,gpt2)/boot/grub' \
    -o "$out/elf/grub_kernel_only.elf" >/dev/null 2>&1 || fail "grub-mkimage (no modules)"

python3 - "$out" <<'PY'
import os, struct, sys
out = sys.argv[1]
def w(target, name, data):
    open(os.path.join(out, target, name), 'wb').write(data)

# ---- elf
def elf32(segs, entry):
    eh = b'\x7fELF' + bytes([1, 2, 1]) + bytes(9)
    eh += struct.pack('>HHIIIIIHHHHHH', 2, 20, 1, entry, 52, 0, 0, 52, 32, len(segs), 0, 0, 0)
    ph = b''; data = b''; off = 52 + 32 * len(segs)
    for paddr, filesz, memsz in segs:
        ph += struct.pack('>IIIIIIII', 1, off + len(data), paddr, paddr, filesz, memsz, 7, 4)
        data += bytes([0x60]) * filesz
    return eh + ph + data
def elf64(segs, entry, flags, vdelta=0, le=False):
    o = '<' if le else '>'
    eh = b'\x7fELF' + bytes([2, 1 if le else 2, 1]) + bytes(9)
    eh += struct.pack(o + 'HHIQQQIHHHHHH', 2, 21, 1, entry, 64, 0, flags, 64, 56, len(segs), 0, 0, 0)
    ph = b''; data = b''; off = 64 + 56 * len(segs)
    for paddr, filesz, memsz, body in segs:
        ph += struct.pack(o + 'IIQQQQQQ', 1, 7, off + len(data), paddr + vdelta, paddr, filesz, memsz, 8)
        data += body.ljust(filesz, b'\x60')
    return eh + ph + data
w('elf', 'elf32_one', elf32([(0x200000, 16, 64)], 0x200010))
w('elf', 'elf32_two', elf32([(0x200000, 32, 32), (0x300000, 16, 0x1000)], 0x300004))
w('elf', 'elf64_v2', elf64([(0x400000, 64, 128, b''), (0x500000, 32, 32, b'')], 0x400000, 2,
                            vdelta=0xc000000000000000))
desc = struct.pack('>Q', 0x400010)
w('elf', 'elf64_v1_desc', elf64([(0x400000, 64, 64, b'\x60' * 32 + desc)], 0x400020, 1))
# a ppc64el vmlinux in miniature: little-endian, p_paddr 0, linked at 0xc000..., bss after the
# file (network boot places it as -kernel does: elf_load_kernel)
w('elf', 'elf64_le_vmlinux', elf64([(0, 64, 256, b'')], 0xc000000000000000, 2,
                                    vdelta=0xc000000000000000, le=True))

# ---- nvram: CHRP headers with the byte-sum checksum (end-around carry)
def hdr(sig, blocks, name):
    h = bytearray([sig, 0]) + struct.pack('>H', blocks) + name.ljust(12, b'\0')[:12]
    s = h[0]
    for b in h[2:]:
        s += b
        if s > 0xff:
            s = (s & 0xff) + 1
    h[1] = s & 0xff
    return bytes(h)
def layout(size, common=256):
    img = bytearray(size)
    img[0:16] = hdr(0x70, common, b'common')
    off = common * 16
    free = size // 16 - common
    while free > 0:
        n = min(free, 0xffff)
        img[off:off + 16] = hdr(0x7f, n, b'w' * 12)
        off += n * 16; free -= n
    return bytes(img)
w('nvram', 'fresh_8k', layout(8192))
w('nvram', 'fresh_64k', layout(65536))
w('nvram', 'small_1k', layout(1024, 16))
w('nvram', 'blank_4k', bytes(4096))
bad = bytearray(layout(8192)); bad[4096 + 2:4096 + 4] = b'\x10\x00'
w('nvram', 'overrun_8k', bytes(bad))
linux = bytearray(layout(16384))
linux[4096:4112] = hdr(0xa0, 131, b'ibm,rtas-log')
linux[4096 + 131 * 16:4096 + 131 * 16 + 16] = hdr(0x7f, 1024 - 256 - 131, b'w' * 12)
w('nvram', 'linux_16k', bytes(linux))
# Open Firmware variables in "common", as SLOF writes them (the lookup's input).
vars_8k = bytearray(layout(8192))
v = b'auto-boot?=true\0boot-device=/pci@800000020000000/scsi@1:2 disk1\0boot-command=boot\0\0'
vars_8k[16:16 + len(v)] = v
w('nvram', 'vars_8k', bytes(vars_8k))

# ---- dispatch: where, name, nargs, nret, namelen, name, cells (little-endian)
def call(where, name, nargs, nret, svc, cells=b''):
    return struct.pack('<IIII', where, name, nargs, nret) + bytes([len(svc)]) + svc + cells
w('dispatch', 'test_write', call(0x2000, 0x3000, 1, 1, b'test\0', struct.pack('<I', 0x3100)))
w('dispatch', 'probe', call(0x2000, 0x3000, 3, 2, b'fz-probe\0', struct.pack('<III', 1, 2, 3)))
w('dispatch', 'chain', call(0x2000, 0x3000, 3, 2, b'fz-chain\0', struct.pack('<III', 1, 2, 3)))
w('dispatch', 'mixed', call(0x2000, 0x3000, 1, 2, b'fz-mixed\0', struct.pack('<I', 7)))
w('dispatch', 'top_of_ram', call(0x1ffe8, 0x3000, 1, 2, b'fz-probe\0', struct.pack('<I', 7)))
w('dispatch', 'call_method', call(0x2000, 0x3000, 2, 1, b'call-method\0', struct.pack('<II', 0x3100, 0xf0000000)))
w('dispatch', 'unknown', call(0x2000, 0x3000, 0, 0, b'no-such\0'))
w('dispatch', 'too_many', call(0x2000, 0x3000, 8, 3, b'fz-probe\0'))

# ---- tree: tree index, then operations (see fuzz_tree.c)
import random
r = random.Random(1275)
for i in range(5):
    ops = bytes(r.randrange(256) for _ in range(200))
    w('tree', 'ops%d' % i, bytes([i]) + ops)
w('tree', 'nextprop_all', bytes([0]) + b''.join(bytes([2, n]) for n in range(0, 60)))
w('tree', 'setprop_read', bytes([1]) + bytes([3, 5, 0, 8]) + b'ABCDEFGH' + bytes([0, 5, 0, 0x10, 0]))
PY

# ---- iso9660: CDs from sector 16 on (the target supplies the 32 KiB system area)
here=$(cd "$(dirname "$0")" && pwd)
cd_seed() { # NAME ISO GEOMETRY-BYTE
    { printf "\\x$3"; tail -c +32769 "$2"; } >"$out/iso9660/$1"
}
mkdir -p "$tmp/cd/ppc" "$tmp/cd/boot/grub/powerpc-ieee1275"
cp "$grub/bootinfo.txt" "$tmp/cd/ppc/bootinfo.txt" || fail "$grub/bootinfo.txt missing"
printf '\177ELF\1\2\1' >"$tmp/cd/boot/grub/powerpc.elf"
printf '\177ELF module' >"$tmp/cd/boot/grub/powerpc-ieee1275/linux.mod"
xorriso -as mkisofs -r -no-pad -sysid PPC -o "$tmp/rr.iso" "$tmp/cd" >/dev/null 2>&1 || fail "xorriso (Rock Ridge)"
xorriso -as mkisofs -no-pad -J -joliet-long -l -o "$tmp/joliet.iso" "$tmp/cd" >/dev/null 2>&1 || fail "xorriso (Joliet)"
cd_seed rr_512 "$tmp/rr.iso" 00
cd_seed rr_2048 "$tmp/rr.iso" 01
cd_seed joliet_4096_past_end "$tmp/joliet.iso" 06
# the head of a real grub-mkrescue CD: descriptors, path tables and directories
# (its files lie megabytes further on, where the target reads zeros)
mkdir -p "$tmp/empty"
grub-mkrescue -d "$grub" -o "$tmp/rescue.iso" "$tmp/empty" >/dev/null 2>&1 || fail "grub-mkrescue"
head -c $((32768 + 126976)) "$tmp/rescue.iso" >"$tmp/rescue_head.iso"
cd_seed grub_mkrescue_head "$tmp/rescue_head.iso" 05
python3 "$here/../guests/mkbadiso.py" "$tmp/bad" >/dev/null || fail "mkbadiso.py"
for f in "$tmp"/bad/*.iso; do
    cd_seed "bad_$(basename "$f" .iso)" "$f" 00
done
{ printf '\x80'; cat "$grub/bootinfo.txt"; } >"$out/iso9660/script_grub"
printf '\x83<boot-script>boot &device;:&partition;,\\ppc\\yaboot quiet\n x=1</boot-script>' \
    >"$out/iso9660/script_partition"

# ---- pxelinux: the configs the network-boot tests serve (tests/guests/mknettftp.sh's forms)
printf '# test\nPROMPT 0\nTIMEOUT 10\nMENU TITLE t\nDEFAULT linux\n\nLABEL rescue\n  KERNEL vmlinux\n  APPEND console=hvc0 x=1\n\nLABEL linux\n  MENU LABEL Linux\n  KERNEL vmlinux\n  INITRD initramfs.cpio.gz\n  APPEND console=hvc0 quiet\n' \
    >"$out/pxelinux/labels"
printf 'default mac\r\nlabel mac\r\n\tlinux vmlinux\r\n\tappend initrd=a.gz,b.gz console=hvc0  quiet\r\n' >"$out/pxelinux/crlf"
printf 'APPEND console=hvc0\nDEFAULT vmlinux initrd=rd.gz root=/dev/ram0\n' >"$out/pxelinux/default_kernel"
printf 'LABEL l\nKERNEL k\nTEXT HELP\nKERNEL no\nENDTEXT\nAPPEND -\nLABEL local\nLOCALBOOT 0\n' >"$out/pxelinux/text_block"
printf 'DEFAULT local\nLABEL local\n  LOCALBOOT 0\n' >"$out/pxelinux/no_kernel"

# ---- merge, tree: QEMU's trees
dtbs=${VOFKIT_DTB_DIR:-}
[ -n "$dtbs" ] && ls "$dtbs"/*.dtb >/dev/null 2>&1 || fail "VOFKIT_DTB_DIR has no .dtb (run tests/unit/dump_trees.sh)"
i=0
for f in $(ls "$dtbs"/*.dtb | sort); do
    n=$(basename "$f" .dtb)
    j=0
    for g in $(ls "$dtbs"/*.dtb | sort); do
        # start on tree i, merge tree j (a CAS answer from another machine configuration)
        { printf "\\x$(printf %02x $i)"; cat "$g"; } >"$out/merge/${n}_to_$(basename "$g" .dtb)"
        j=$((j + 1))
    done
    i=$((i + 1))
done
# ---- dhcp, tftp: what slirp answers (docs/boot-sources.md 4.5)
mkdir -p "$out"/{dhcp,tftp}
python3 - "$out" <<'PY'
import os, struct, sys
out = sys.argv[1]
def w(target, name, data):
    open(os.path.join(out, target, name), 'wb').write(data)
mac = bytes([0x52, 0x54, 0, 0x12, 0x34, 0x56])
def ip(s): return bytes(int(x) for x in s.split('.'))
def bootp(msg_type, extra=b'', cookie=True, file=b'boot/vmlinux', sname=b''):
    b = bytes([2, 1, 6, 0]) + struct.pack('>I', 0x1234abcd) + bytes(8)
    b += ip('10.0.2.15') + ip('10.0.2.2') + bytes(4) + mac + bytes(10)
    b += sname.ljust(64, b'\0') + file.ljust(128, b'\0')
    o = b''
    if cookie:
        o = bytes([99, 130, 83, 99])
        if msg_type:
            o += bytes([53, 1, msg_type])
        o += bytes([54, 4]) + ip('10.0.2.2')
        if msg_type != 6:
            o += bytes([1, 4]) + ip('255.255.255.0') + bytes([3, 4]) + ip('10.0.2.2')
            o += bytes([6, 4]) + ip('10.0.2.3') + bytes([51, 4]) + struct.pack('>I', 86400)
        o += extra + b'\xff'
    return b + o.ljust(312, b'\0')
offer, ack, nak, reply = bootp(2), bootp(5), bootp(6), bootp(0)
over = bootp(5, bytes([52, 1, 3]), file=bytes([67, 5]) + b'k/img' + b'\xff', sname=b'\xff')
opt66 = bootp(5, bytes([66, 8]) + b'10.0.2.9' + bytes([67, 9]) + b'grub/core')
for name, data in (('offer', offer), ('ack', ack), ('nak', nak), ('bootp', reply),
                   ('bootp_rfc951', bootp(0, cookie=False)), ('overload', over), ('opt66', opt66)):
    w('dhcp', 'parse_' + name, b'\x01' + data)
def chunk(data, flags=0): return bytes([flags]) + struct.pack('>H', len(data)) + data
arp_req = (mac + bytes([0x52, 0x55, 10, 0, 2, 2]) + b'\x08\x06' + bytes([0, 1, 8, 0, 6, 4, 0, 1]) +
           bytes([0x52, 0x55, 10, 0, 2, 2]) + ip('10.0.2.2') + bytes(6) + ip('10.0.2.15')).ljust(60, b'\0')
w('dhcp', 'exchange_offer_ack', b'\x80' + chunk(offer) + chunk(ack))
w('dhcp', 'exchange_bootp', b'\x80' + chunk(reply))
w('dhcp', 'exchange_nak', b'\x80' + chunk(offer) + chunk(nak) + chunk(offer) + chunk(ack))
w('dhcp', 'exchange_arp_overload', b'\x80' + chunk(arp_req, 1) + chunk(offer) + chunk(over))
def data(n, payload): return struct.pack('>HH', 3, n & 0xffff) + payload
oack = struct.pack('>H', 6) + b'blksize\x001428\x00tsize\x005000\x00'
err = struct.pack('>HH', 5, 1) + b'File not found\x00'
w('tftp', 'parse_data', b'\x00' + data(1, bytes(range(256)) * 2))
w('tftp', 'parse_oack', b'\x00' + oack)
w('tftp', 'parse_error', b'\x00' + err)
body = bytes((i * 131) & 0xff for i in range(5000))
blocks = [body[i:i + 1428] for i in range(0, 5000, 1428)]
w('tftp', 'transfer_oack', b'\x80' + chunk(oack) + b''.join(chunk(data(i + 1, b)) for i, b in enumerate(blocks)))
small = [body[i:min(i + 512, 1100)] for i in range(0, 1100, 512)]
w('tftp', 'transfer_plain', b'\x80' + b''.join(chunk(data(i + 1, b)) for i, b in enumerate(small)))
w('tftp', 'transfer_dup_stranger', b'\x80' + chunk(data(1, small[0])) + chunk(data(1, small[0])) +
  chunk(data(2, small[1]), 2) + chunk(data(2, small[1])) + chunk(data(3, small[2])))
w('tftp', 'transfer_error', b'\x80' + chunk(err))
w('tftp', 'transfer_too_large', b'\x8f' + chunk(struct.pack('>H', 6) + b'tsize\x0070000\x00'))
PY

echo "mkseeds: $(find "$out" -type f | wc -l) seeds in $out"
