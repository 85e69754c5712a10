#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Fail on printf formats the firmware's formatter (lib/printk.c) does not take.

fw_printf and the pr_* macros take %s %c %d %u %x %% with 'l'/'ll' and no
flags, widths or precisions.  A "%02x" is printed as the text "02x" and leaves
its argument unread, so every later conversion takes the wrong argument (a
later %s would read a number as a pointer).  GCC's format check accepts such
strings, so this script looks at every string literal in the firmware's
source folders.

  scripts/check_formats.py [--root DIR] [--self-test]

Prints one line per finding and `formats: N findings in F files`; exit 1 on
findings.  --self-test checks the script on planted strings.
"""
import argparse
import os
import re
import sys

FOLDERS = ["arch", "lib", "core", "drivers", "block", "net", "boot", "ci-services"]
STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
# a conversion: %, then anything but what the formatter knows, up to a letter
CONVERSION = re.compile(r'%(%|l{0,2}[scdux]|[^a-zA-Z%]*l{0,2}[a-zA-Z])')
ALLOWED = re.compile(r'^(%|l{0,2}[scdux])$')


def bad_conversions(text):
    return [m.group(0) for m in CONVERSION.finditer(text) if not ALLOWED.match(m.group(1))]


def scan(root):
    findings, files = [], set()
    for folder in FOLDERS:
        for dirpath, _, names in os.walk(os.path.join(root, folder)):
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    for no, line in enumerate(f, 1):
                        # inline assembly's %0, %1 are operands, not formats
                        if re.search(r"\b(__asm__|asm)\b", line):
                            continue
                        for lit in STRING.finditer(line):
                            for conv in bad_conversions(lit.group(1)):
                                findings.append("%s:%d: %s is not a conversion lib/printk.c takes"
                                                % (os.path.relpath(path, root), no, conv))
                                files.add(path)
    return findings, files


def self_test():
    planted = {'"%02x"': 1, '"%016llx"': 1, '"%-5s"': 1, '"%.3s"': 1, '"%p"': 1,
               '"%s %llx %u %d %c %%"': 0, '"100%% done"': 0, '"%lu"': 0}
    ok = True
    for text, want in planted.items():
        got = len(bad_conversions(text.strip('"')))
        if got != want:
            print("self-test: %s gave %d findings, want %d" % (text, got, want))
            ok = False
    print("self-test: %s" % ("passed" if ok else "FAILED"))
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        return 0 if self_test() else 1
    findings, files = scan(os.path.abspath(args.root))
    for f in findings:
        print(f)
    print("formats: %d findings in %d files" % (len(findings), len(files)))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
