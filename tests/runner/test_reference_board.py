#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Check that vofkit_qemu.REFERENCE_BOARD equals the qemu.json of a real qemu_pseries build.
"""REFERENCE_BOARD stands in for board qemu_pseries when a benchmark has no
build to read qemu.json from (bench/boot_time.py --candidates qemu-vof.bin,slof).
It must stay what boards/qemu/pseries/board.cmake and the board's defconfig
produce.  Usage: test_reference_board.py BUILD_DIR (a qemu_pseries build of a
sample that keeps the board's RAM, CPUs and QEMU flags)."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts", "lib"))
sys.path.insert(0, HERE)
import summary  # noqa: E402
import vofkit_qemu  # noqa: E402

BUILD = None


class ReferenceBoard(unittest.TestCase):
    def test_matches_the_build(self):
        cfg = vofkit_qemu.load_build(BUILD)
        ref = vofkit_qemu.REFERENCE_BOARD
        self.assertEqual(cfg["board"], ref["board"])
        self.assertEqual(cfg["qemu"], ref["qemu"])
        self.assertEqual(cfg["flags"], ref["flags"])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: test_reference_board.py BUILD_DIR")
    BUILD = sys.argv[1]
    sys.exit(summary.main(__name__))
