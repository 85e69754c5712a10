#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Copy a GPT disk image and damage both GPT headers (primary at LBA 1, backup at the last LBA).
"""corrupt_gpt.py IN.img OUT.img: the copy's header CRCs no longer match."""

import os
import shutil
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    tmp = dst + ".tmp"
    shutil.copyfile(src, tmp)
    size = os.path.getsize(tmp)
    with open(tmp, "r+b") as f:
        for header in (512, size - 512):
            f.seek(header)
            if f.read(8) != b"EFI PART":
                sys.exit("corrupt_gpt: %s has no GPT header at byte %d" % (src, header))
            # byte 40..47 is the first usable LBA: flip one so the CRC breaks
            f.seek(header + 40)
            b = f.read(1)
            f.seek(header + 40)
            f.write(bytes([b[0] ^ 0xff]))
    os.replace(tmp, dst)
    print("corrupt_gpt: wrote %s" % dst)


if __name__ == "__main__":
    main()
