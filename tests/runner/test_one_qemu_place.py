#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Check that no file outside scripts/lib/vofkit_qemu.py (and the places listed here) builds a QEMU command line.
"""Looks for the QEMU binary name and for QEMU options written as argv items
("-bios", "-nographic", ...) in every text file of the source tree except the
documentation.  A hit outside ALLOWED means a second place assembles a QEMU
command, which is how run, the boot tests and the benchmarks drifted apart
before: use scripts/lib/vofkit_qemu.py instead, or add the file here with the
reason it needs its own."""

import fnmatch
import os
import re
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import summary  # noqa: E402

PATTERN = re.compile(r"qemu-system-|[\"'](?:-bios|-nographic|-serial|-monitor|-display|-kernel|"
                     r"-initrd|-append)[\"']")

# path pattern -> why it may name QEMU or its options
ALLOWED = {
    "scripts/lib/vofkit_qemu.py": "the runner: the one place that builds QEMU commands",
    "boards/*/*/board.cmake": "each board's QEMU binary and flags, the source of qemu.json",
    "scripts/setup.sh": "installs the qemu-system-ppc package and checks the binary is on PATH",
    "tests/unit/dump_trees.sh": "asks QEMU to write its device tree (-machine pseries,dumpdtb=) "
                                "for the unit tests; runs no firmware and no guest",
    "tests/build/config_checks.py": "checks the command `qemu_run.py --print` shows",
    "tests/runner/*.py": "the runner's tests spell out the argv they expect",
    "*.md": "documentation",
}


def allowed(rel):
    return any(fnmatch.fnmatch(rel, pat) for pat in ALLOWED)


def scan(root):
    """Every (path, line number, line) outside ALLOWED that matches PATTERN."""
    hits = []
    for dirpath, dirnames, filenames in os.walk(root):
        # Skip VCS data and build trees (any directory CMake configured), not tests/build.
        dirnames[:] = sorted(d for d in dirnames if d != ".git" and d != "__pycache__"
                             and not os.path.exists(os.path.join(dirpath, d, "CMakeCache.txt"))
                             and not (dirpath == root and d == "build"))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if allowed(rel):
                continue
            try:
                with open(path, encoding="utf-8") as f:
                    lines = f.readlines()
            except (UnicodeDecodeError, OSError):
                continue  # binary files
            for n, line in enumerate(lines, 1):
                if PATTERN.search(line):
                    hits.append((rel, n, line.rstrip()))
    return hits


class OneQemuPlace(unittest.TestCase):
    def test_scan_finds_a_second_place(self):
        # The scan itself must be able to fail.
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "bench"))
            os.makedirs(os.path.join(d, "scripts", "lib"))
            with open(os.path.join(d, "bench", "new.py"), "w") as f:
                f.write('cmd = ["qemu-system-ppc64", "-m", "1G"]\nargv += ["-bios", fw]\n')
            with open(os.path.join(d, "scripts", "lib", "vofkit_qemu.py"), "w") as f:
                f.write('DEFAULT_QEMU = "qemu-system-ppc64"\n')
            self.assertEqual([(p, n) for p, n, _ in scan(d)],
                             [("bench/new.py", 1), ("bench/new.py", 2)])

    def test_no_other_place_builds_a_qemu_command(self):
        hits = scan(ROOT)
        self.assertEqual(hits, [], "QEMU command lines outside scripts/lib/vofkit_qemu.py:\n"
                         + "\n".join("%s:%d: %s" % h for h in hits))

    def test_allowed_files_exist(self):
        # A stale entry would silently allow a file of that name to reappear.
        for pat in ALLOWED:
            if pat != "*.md":
                self.assertTrue(any(fnmatch.fnmatch(os.path.relpath(os.path.join(dp, f), ROOT), pat)
                                    for dp, _, fs in os.walk(ROOT) for f in fs), pat)


if __name__ == "__main__":
    sys.exit(summary.main(__name__))
