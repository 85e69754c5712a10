#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Host tests of tests/boot/boot_test.py against a fake QEMU: the sample.yaml console harness and the QEMU exit status.
"""Each case writes a build directory whose qemu.json names a shell script as
QEMU; the script prints a chosen console log and exits with a chosen status.
The cases show that boot_test.py fails when a harness line is missing, a
rejected line appears, or QEMU exits non-zero or is killed under --exit-clean,
and that every samples/*/sample.yaml has a harness boot_test.py accepts."""

import glob
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import boot_test  # noqa: E402
import summary  # noqa: E402

BOOT_TEST = os.path.join(ROOT, "tests", "boot", "boot_test.py")
HARNESS = """harness: console
harness_config:
  boot:
    expect: ["vofkit banner"]
    reject: ["nvram: Failed"]
  linux:
    expect: ["Preparing to boot Linux"]
"""
GOOD_LOG = "vofkit banner\nPreparing to boot Linux\nVOFKIT-INIT-REACHED\n"


class BootTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.yaml = self.write("sample.yaml", HARNESS)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def boot(self, log, status=0, extra=(), hang=False):
        """Run boot_test.py on a fake build whose QEMU prints log and exits with status."""
        self.write("console.txt", log)
        fake = self.write("fake-qemu", "#!/bin/sh\ncat %s\n%sexit %d\n" % (
            os.path.join(self.dir, "console.txt"), "sleep 300\n" if hang else "", status))
        os.chmod(fake, 0o755)
        self.write("firmware.bin", "")
        self.write("qemu.json", json.dumps({
            "qemu": fake, "flags": ["-machine", "pseries"],
            "firmware": os.path.join(self.dir, "firmware.bin")}))
        res = subprocess.run(["/usr/bin/python3", BOOT_TEST, "--name", "t", "--build", self.dir,
                              "--timeout", "2"] + list(extra),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return res.returncode, res.stdout

    def test_harness_passes(self):
        rc, out = self.boot(GOOD_LOG, extra=["--sample-yaml", self.yaml, "--harness-set", "linux",
                                             "--exit-clean"])
        self.assertEqual(rc, 0, out)
        self.assertIn("PASS: log contains 'vofkit banner'", out)
        self.assertIn("PASS: log does not contain 'nvram: Failed'", out)
        self.assertIn("QEMU exited by itself with status 0", out)
        self.assertIn("PASS: clean QEMU exit", out)

    def test_missing_boot_line_fails(self):
        rc, out = self.boot(GOOD_LOG.replace("vofkit banner", ""),
                            extra=["--sample-yaml", self.yaml])
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: log contains 'vofkit banner'", out)

    def test_named_set_applies_only_when_asked(self):
        log = GOOD_LOG.replace("Preparing to boot Linux", "")
        rc, out = self.boot(log, extra=["--sample-yaml", self.yaml])
        self.assertEqual(rc, 0, out)
        rc, out = self.boot(log, extra=["--sample-yaml", self.yaml, "--harness-set", "linux"])
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: log contains 'Preparing to boot Linux'", out)

    def test_rejected_line_fails(self):
        rc, out = self.boot(GOOD_LOG + "nvram: Failed to find\n",
                            extra=["--sample-yaml", self.yaml])
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: log does not contain 'nvram: Failed'", out)

    def test_unknown_set_fails(self):
        rc, out = self.boot(GOOD_LOG, extra=["--sample-yaml", self.yaml, "--harness-set", "grub"])
        self.assertEqual(rc, 1, out)
        self.assertIn("no harness set 'grub'", out)

    def test_bad_harness_fails(self):
        for text, why in (("harness: console\nharness_config:\n  boot:\n    expect: []\n",
                           "expects nothing"),
                          ("harness: console\nharness_config:\n  boot:\n    expcet: [x]\n",
                           "may only have"),
                          ("name: x\n", "no 'harness: console'")):
            self.write("bad.yaml", text)
            rc, out = self.boot(GOOD_LOG,
                                extra=["--sample-yaml", os.path.join(self.dir, "bad.yaml")])
            self.assertEqual(rc, 1, out)
            self.assertIn(why, out)

    def test_nonzero_exit_status_fails_exit_clean(self):
        rc, out = self.boot(GOOD_LOG, status=1, extra=["--exit-clean"])
        self.assertEqual(rc, 1, out)
        self.assertIn("QEMU exited by itself with status 1", out)
        self.assertIn("FAIL: clean QEMU exit", out)
        # Without --exit-clean the status is reported, not checked.
        rc, out = self.boot(GOOD_LOG, status=1)
        self.assertEqual(rc, 0, out)
        self.assertIn("QEMU exited by itself with status 1", out)

    def test_kill_fails_exit_clean(self):
        rc, out = self.boot(GOOD_LOG, hang=True, extra=["--exit-clean"])
        self.assertEqual(rc, 1, out)
        self.assertIn("QEMU killed after the timeout (status -9)", out)
        self.assertIn("FAIL: clean QEMU exit", out)


class SampleHarnesses(unittest.TestCase):
    def test_every_sample_has_a_harness(self):
        yamls = sorted(glob.glob(os.path.join(ROOT, "samples", "*", "sample.yaml")))
        self.assertTrue(yamls)
        for path in yamls:
            expect, _ = boot_test.load_harness(path, [])
            sample = os.path.basename(os.path.dirname(path))
            # The banner (lib/main.c) names the sample: a copied yaml would not match.
            self.assertIn("(%s, board " % sample, expect, path)
            expect, _ = boot_test.load_harness(path, ["linux"])
            self.assertIn("Preparing to boot Linux version", expect, path)


if __name__ == "__main__":
    sys.exit(summary.main(__name__))
