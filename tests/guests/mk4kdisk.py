#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Turn an MBR GRUB disk (512-byte sectors) into the same disk for 4096-byte logical blocks.
"""Usage: mk4kdisk.py IN.img OUT.img

mkgrubdisk.sh lays its partitions out in 512-byte sectors, 1 MiB aligned.  On
a device with 4096-byte logical blocks (QEMU's logical_block_size=4096) the
MBR's start and length fields count 4096-byte blocks, so this copies the image
and divides the four primary entries' fields by 8; the partitions' bytes stay
where they are.  The output is sparse like the input.  Refuses a GPT disk
(protective MBR) and entries that are not 4 KiB aligned."""

import os
import shutil
import struct
import sys


def die(msg):
    sys.stderr.write("mk4kdisk: %s\n" % msg)
    sys.exit(1)


def main():
    if len(sys.argv) != 3:
        die("usage: mk4kdisk.py IN.img OUT.img")
    src, out = sys.argv[1], sys.argv[2]
    with open(src, "rb") as f:
        mbr = bytearray(f.read(512))
    if len(mbr) != 512 or mbr[510:512] != b"\x55\xaa":
        die("%s: no MBR signature" % src)
    for i in range(4):
        off = 446 + 16 * i
        ptype = mbr[off + 4]
        start, count = struct.unpack_from("<II", mbr, off + 8)
        if ptype == 0:
            continue
        if ptype == 0xEE:
            die("%s: a GPT disk (only MBR is converted)" % src)
        if start % 8 or count % 8:
            die("%s: partition %d is not 4 KiB aligned" % (src, i + 1))
        struct.pack_into("<II", mbr, off + 8, start // 8, count // 8)
    tmp = out + ".tmp"
    with open(src, "rb") as fi, open(tmp, "wb") as fo:
        # sparse copy: seek over zero blocks
        size = os.fstat(fi.fileno()).st_size
        block = 1 << 20
        pos = 0
        while pos < size:
            data = fi.read(block)
            if data.count(0) != len(data):
                fo.seek(pos)
                fo.write(data)
            pos += len(data)
        fo.truncate(size)
        fo.seek(0)
        fo.write(mbr)
    shutil.move(tmp, out)


if __name__ == "__main__":
    main()
