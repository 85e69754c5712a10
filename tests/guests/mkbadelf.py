#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Copy a GPT disk image and put a hostile ELF in its PReP partition: a huge bss, then a segment no claim can get.
"""mkbadelf.py IN.img OUT.img: the copy's PReP partition holds an ELF a loader must refuse.

The ELF32 image has two PT_LOAD segments and a valid entry:
  1. at 0x200000 (where GRUB loads itself), 16 bytes of file and 256 MiB of
     bss: it can be claimed;
  2. at 0xF0000000, below 4 GiB but beyond the guest's RAM: its claim fails.
A loader that claims as it goes and never releases on error keeps the
256 MiB claim, and the next disk's GRUB cannot be loaded at 0x200000.  One
that fails safe names the refused claim, gives segment 1 back, and boots
the next disk.
"""

import os
import shutil
import struct
import sys

PREP_GUID = bytes.fromhex("382d1a9e12c61643aa268b49521e5a8b")  # 9E1A2D38-... as stored
SECTOR = 512


def bad_elf():
    phoff, phnum, phentsize = 52, 2, 32
    # e_ident, then type, machine, version, entry, phoff, shoff, flags,
    # ehsize, phentsize, phnum, shentsize, shnum, shstrndx (big-endian ELF32)
    ehdr = b"\x7fELF" + bytes([1, 2, 1]) + bytes(9)
    ehdr += struct.pack(">HHIIIIIHHHHHH", 2, 20, 1, 0x200000, phoff, 0, 0,
                        52, phentsize, phnum, 0, 0, 0)
    code_off = 0x100
    # type, offset, vaddr, paddr, filesz, memsz, flags, align
    ph1 = struct.pack(">8I", 1, code_off, 0x200000, 0x200000, 16, 0x10000000, 7, 0x1000)
    ph2 = struct.pack(">8I", 1, code_off, 0xF0000000, 0xF0000000, 0, 0x1000, 6, 0x1000)
    img = bytearray(ehdr + ph1 + ph2)
    img += bytes(code_off - len(img))
    img += struct.pack(">I", 0x48000000) * 4  # "b ." : never run
    return bytes(img)


def prep_offset(f, name):
    f.seek(SECTOR)
    hdr = f.read(92)
    if hdr[:8] != b"EFI PART":
        sys.exit("mkbadelf: %s has no primary GPT header" % name)
    entries_lba, count, esize = struct.unpack_from("<QII", hdr, 72)
    for i in range(count):
        f.seek(entries_lba * SECTOR + i * esize)
        e = f.read(esize)
        if e[:16] == PREP_GUID:
            return struct.unpack_from("<Q", e, 32)[0] * SECTOR
    sys.exit("mkbadelf: %s has no PReP partition" % name)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    tmp = dst + ".tmp"
    shutil.copyfile(src, tmp)
    with open(tmp, "r+b") as f:
        f.seek(prep_offset(f, src))
        f.write(bad_elf())
    os.replace(tmp, dst)
    print("mkbadelf: wrote %s" % dst)


if __name__ == "__main__":
    main()
