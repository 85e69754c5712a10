#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Write a 64 KiB spapr-nvram image with a CHRP "common" partition holding Open Firmware variables (boot-device).
"""Usage: mknvram.py OUT [--boot-device VALUE] [--bad-checksum] [--unterminated]

The layout is SLOF's on a blank 64 KiB NVRAM (docs: boot-sources.md section 7):
an 8 KiB "ibm,CPU0log" partition (signature 0x51), a 2 KiB "ibm,CPU1log",
a 4 KiB "common" partition (0x70) at 0x2800, and free space (0x7f) to the end.
Each partition starts with a 16-byte header: signature, checksum, length in
16-byte blocks (header included, big-endian), 12-byte name.  The checksum is
SLOF's: s = signature + bytes 2..15, then ((s >> 8) + s) & 0xff.

The common partition holds NUL-terminated "name=value" strings, ended by an
empty string, as SLOF writes them, with boot-device=VALUE among them.

  --bad-checksum   the common header's checksum is off by one
  --unterminated   the variables fill the partition with no empty string after them

Attach with: -drive if=none,id=nvr,file=OUT,format=raw -global spapr-nvram.drive=nvr
"""

import argparse
import os
import sys

SIZE = 64 * 1024
BLOCK = 16


def header(sig, blocks, name):
    hdr = bytearray(BLOCK)
    hdr[0] = sig
    hdr[2:4] = blocks.to_bytes(2, "big")
    raw = name.encode()[:12]
    hdr[4:4 + len(raw)] = raw
    s = sig + sum(hdr[2:16])
    hdr[1] = ((s >> 8) + s) & 0xff
    return hdr


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--boot-device", default="")
    p.add_argument("--bad-checksum", action="store_true")
    p.add_argument("--unterminated", action="store_true")
    args = p.parse_args()

    img = bytearray(SIZE)
    parts = [(0x51, 8192, "ibm,CPU0log"), (0x51, 2048, "ibm,CPU1log"), (0x70, 4096, "common")]
    off = 0
    for sig, size, name in parts:
        hdr = header(sig, size // BLOCK, name)
        if sig == 0x70:
            common = off
            if args.bad_checksum:
                hdr[1] = (hdr[1] + 1) & 0xff
        img[off:off + BLOCK] = hdr
        off += size
    img[off:off + BLOCK] = header(0x7f, (SIZE - off) // BLOCK, "w" * 12)

    data_len = 4096 - BLOCK
    variables = ["little-endian?=false", "real-mode?=true", "auto-boot?=true",
                 "boot-device=" + args.boot_device, "boot-file=", "boot-command=boot"]
    data = b"".join(v.encode() + b"\0" for v in variables)
    if args.unterminated:
        # A last variable runs to the partition's last byte: no NUL, no empty string.
        data += b"filler="
        data += b"x" * (data_len - len(data))
    else:
        data += b"\0"
    if len(data) > data_len:
        sys.exit("mknvram.py: variables do not fit the common partition")
    img[common + BLOCK:common + BLOCK + len(data)] = data
    # the first image of a clean build may come before any disk fixture made the folder
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "wb") as f:
        f.write(img)
    return 0


if __name__ == "__main__":
    sys.exit(main())
