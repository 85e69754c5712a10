#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Size report of a firmware build: image size, sections, and bytes per source module.
"""Print how big firmware.bin is and where the bytes come from.

--summary prints one line (used after every build); --max N fails when
firmware.bin is larger than N bytes (CONFIG_FW_IMAGE_MAX_SIZE).
"""

import argparse
import os
import re
import sys

# Input-section lines in a GNU ld map: " .text.foo  0xADDR  0xSIZE  path/obj.o"
MAP_LINE = re.compile(r"^\s*(\.\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+\.(?:o|obj|a\(.+\)))\s*$")
LOADED = (".text", ".rodata", ".ci_services", ".ci_methods", ".fw_init", ".fw_boot",
          ".data", ".sdata", ".got", ".toc", ".bss", ".sbss")


def module_name(path):
    """Map an object path back to the source it came from."""
    m = re.search(r"lib(vk_\w+)\.a\((.+?)\.o(?:bj)?\)", path)
    if m:
        return "%s:%s" % (m.group(1), m.group(2))
    m = re.search(r"CMakeFiles/firmware\.dir/(.+?)\.o(?:bj)?$", path)
    if m:
        rel = m.group(1)
        # Sources outside the build tree appear under vofkit/ or as absolute paths.
        rel = re.sub(r"^.*?/(arch|ci-services|drivers|boot|lib|samples)/", r"\1/", "/" + rel)
        return rel
    return os.path.basename(path)


def parse_map(path):
    sizes = {}
    pending = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("/DISCARD/"):
                break
            m = MAP_LINE.match(line)
            if m:
                section = m.group(1) or pending
                pending = None
                size = int(m.group(3), 16)
                addr = int(m.group(2), 16)
                if not section or size == 0 or addr == 0 and size > 0x100000:
                    continue
                kind = next((k for k in LOADED if section == k or section.startswith(k + ".")), None)
                if kind is None:
                    continue
                bucket = "bss" if kind in (".bss", ".sbss") else "image"
                mod = module_name(m.group(4))
                entry = sizes.setdefault(mod, {"image": 0, "bss": 0})
                entry[bucket] += size
                continue
            stripped = line.strip()
            # A long section name wraps: the numbers follow on the next line.
            pending = stripped if re.match(r"^\.\S+$", stripped) else None
    return sizes


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("elf")
    p.add_argument("bin")
    p.add_argument("map")
    p.add_argument("--summary", action="store_true")
    p.add_argument("--max", type=int, default=0)
    args = p.parse_args()

    image = os.path.getsize(args.bin)
    sizes = parse_map(args.map)
    bss = sum(v["bss"] for v in sizes.values())
    limit = " (limit %d)" % args.max if args.max else ""
    line = "vofkit: firmware.bin %d bytes (%.1f KiB)%s, .bss+stack %d bytes" % (
        image, image / 1024.0, limit, bss)
    if args.summary:
        print(line)
    else:
        print(line)
        print("%-44s %8s %8s" % ("module", "image", "bss"))
        for mod, v in sorted(sizes.items(), key=lambda kv: -kv[1]["image"]):
            print("%-44s %8d %8d" % (mod, v["image"], v["bss"]))
        print("%-44s %8d %8d" % ("(sum of input sections)",
                                 sum(v["image"] for v in sizes.values()), bss))
    if args.max and image > args.max:
        print("error: firmware.bin is %d bytes, more than CONFIG_FW_IMAGE_MAX_SIZE=%d"
              % (image, args.max), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
