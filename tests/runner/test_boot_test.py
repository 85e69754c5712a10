#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Host tests of tests/boot/boot_test.py against a fake QEMU: the sample.yaml console harness, the QEMU exit status, kernel warnings.
"""Each case writes a build directory whose qemu.json names a shell script as
QEMU; the script prints a chosen console log and exits with a chosen status.
The cases show that boot_test.py fails when a harness line is missing, a
rejected line appears, or QEMU exits non-zero or is killed under --exit-clean,
that --kernel-warnings-max fails on a guest that reports warnings, reports
none at all, or whose kernel prints one on the console, and that every
samples/*/sample.yaml has a harness boot_test.py accepts."""

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

    def test_send_after_typed_and_checked(self):
        # A fake QEMU that echoes what is typed once it has printed its menu.
        self.write("firmware.bin", "")
        fake = self.write("fake-qemu", "#!/bin/sh\necho 'Press 1-2'\nread -r k\n"
                          "echo chose-$k\nexit 0\n")
        os.chmod(fake, 0o755)
        self.write("qemu.json", json.dumps({
            "qemu": fake, "flags": [], "firmware": os.path.join(self.dir, "firmware.bin")}))
        base = ["/usr/bin/python3", BOOT_TEST, "--name", "t", "--build", self.dir,
                "--timeout", "5", "--no-marker", "--exit-clean"]
        res = subprocess.run(base + ["--send-after", "Press 1-[0-9]", "2\\n",
                                     "--expect", "chose-2"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(res.returncode, 0, res.stdout)
        self.assertIn("PASS: typed '2\\n' after the console matched 'Press 1-[0-9]'",
                      res.stdout)
        # A pattern that never shows fails the test (and nothing is typed).
        res = subprocess.run(base + ["--send-after", "Boot menu", "2\\n", "--timeout", "2"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(res.returncode, 1, res.stdout)
        self.assertIn("FAIL: typed '2\\n' after the console matched 'Boot menu' (never matched)",
                      res.stdout)

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


    # ---- --kernel-warnings-max: the guest's count of kernel warnings ----
    WARN_LOG = ("[    0.100000] Linux version 6.1\n"
                "VOFKIT-GUEST: cpus=1\nVOFKIT-GUEST: kernel-warnings=%s\n"
                "VOFKIT-INIT-REACHED\n[    1.179350] reboot: Power down\n")

    def test_expect_net(self):
        ok = GOOD_LOG + ("VOFKIT-GUEST: net=eth0 10.0.2.15 (0.41 s)\n"
                         "VOFKIT-GUEST: net-handover=ok\n")
        rc, out = self.boot(ok, extra=["--expect-net", "10.0.2.15"])
        self.assertEqual(rc, 0, out)
        self.assertIn("PASS: guest's NIC got 10.0.2.15 by DHCP", out)
        # A lease on a NIC the firmware left running fails, and so does no report.
        for handover in ("net-handover=H_REGISTER_LOGICAL_LAN returned -16 0 (0 once is right);",
                         "net-handover-missing"):
            rc, out = self.boot(ok.replace("net-handover=ok", handover),
                                extra=["--expect-net", "10.0.2.15"])
            self.assertEqual(rc, 1, out)
            self.assertIn("FAIL: the firmware handed the NIC over stopped", out)
            self.assertIn("PASS: guest's NIC got 10.0.2.15 by DHCP", out)
        # Another address, no line at all, and a failure report each fail.
        rc, out = self.boot(ok.replace("10.0.2.15", "10.0.2.16"),
                            extra=["--expect-net", "10.0.2.15"])
        self.assertEqual(rc, 1, out)
        rc, out = self.boot(GOOD_LOG, extra=["--expect-net", "10.0.2.15"])
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: guest's NIC got 10.0.2.15 by DHCP (got None)", out)
        rc, out = self.boot(GOOD_LOG + "VOFKIT-GUEST: net=none\n"
                            "VOFKIT-GUEST: net-error=ip link set eth0 up: RTNETLINK\n",
                            extra=["--expect-net", "10.0.2.15"])
        self.assertEqual(rc, 1, out)
        self.assertIn("net-error 'ip link set eth0 up: RTNETLINK'", out)

    def test_nic_reaches_the_command(self):
        rc, out = self.boot(GOOD_LOG, extra=["--nic", "spapr-vlan"])
        self.assertEqual(rc, 0, out)
        self.assertIn("-netdev user,restrict=on,id=n0 -device spapr-vlan,netdev=n0", out)
        rc, out = self.boot(GOOD_LOG, extra=["--nic", ",x"])
        self.assertEqual(rc, 1, out)
        self.assertIn("no device model", out)

    def test_kernel_warnings_zero_passes(self):
        rc, out = self.boot(self.WARN_LOG % "0", extra=["--kernel-warnings-max", "0",
                                                        "--exit-clean"])
        self.assertEqual(rc, 0, out)
        self.assertIn("PASS: guest's kernel log has at most 0", out)
        self.assertIn("PASS: console shows at most 0", out)

    def test_kernel_warnings_reported_fails(self):
        log = self.WARN_LOG % "2" + (
            "VOFKIT-GUEST: kernel-warning-line=[    0.5] WARNING: CPU: 0 PID: 1 at x.c:1\n")
        rc, out = self.boot(log, extra=["--kernel-warnings-max", "0"])
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: guest's kernel log has at most 0 WARNING:/BUG/Oops/Call Trace "
                      "lines (got 2)", out)
        # The guest's copies of the lines are not counted again as console lines.
        self.assertIn("PASS: console shows at most 0", out)
        # A higher limit accepts the same guest.
        rc, out = self.boot(log, extra=["--kernel-warnings-max", "2"])
        self.assertEqual(rc, 0, out)

    def test_kernel_warnings_line_missing_fails(self):
        for log in (GOOD_LOG, self.WARN_LOG % "", self.WARN_LOG % "x"):
            rc, out = self.boot(log, extra=["--kernel-warnings-max", "0"])
            self.assertEqual(rc, 1, out)
            self.assertIn("FAIL: guest's kernel log has at most 0 WARNING:/BUG/Oops/Call Trace "
                          "lines (no kernel-warnings= line with a number", out)
        # Without the option the line is not needed.
        rc, out = self.boot(GOOD_LOG)
        self.assertEqual(rc, 0, out)

    def test_kernel_warning_on_console_fails(self):
        for line in ("[    2.000001] WARNING: CPU: 0 PID: 1 at mm/slub.c:1 x+0x10/0x20",
                     "partial guest text[   12.5] Call Trace:",
                     "[    3.1] kernel BUG at fs/x.c:9!",
                     "[    3.2] Oops: Kernel access of bad area, sig: 11 [#1]"):
            # After init read the log (its count is 0), e.g. while powering off.
            rc, out = self.boot(self.WARN_LOG % "0" + line + "\n",
                                extra=["--kernel-warnings-max", "0"])
            self.assertEqual(rc, 1, out)
            self.assertIn("FAIL: console shows at most 0 kernel WARNING:/BUG/Oops/Call Trace "
                          "lines (got 1", out)
        # The firmware's own lines (no kernel timestamp) are not kernel warnings.
        rc, out = self.boot("vofkit: WARNING: not a kernel line\n" + self.WARN_LOG % "0",
                            extra=["--kernel-warnings-max", "0"])
        self.assertEqual(rc, 0, out)


    def test_kernel_warning_allow(self):
        nvram = "[    0.335767] WARNING: nvram corruption detected: 0-length partition"
        other = "[    0.4] WARNING: CPU: 0 PID: 1 at arch/powerpc/kernel/x.c:2 f+0x1/0x2"
        allow = ["--kernel-warnings-max", "0",
                 "--kernel-warning-allow", "nvram corruption detected: 0-length partition"]

        def log(*lines):
            return (lines[0] + "\n" if lines else "") + "".join(
                "VOFKIT-GUEST: kernel-warning-line=%s\n" % l for l in lines) + (
                self.WARN_LOG % len(lines))
        # Only the allowed line, on the console (no quiet) and in the guest's list: passes.
        rc, out = self.boot(log(nvram), extra=allow)
        self.assertEqual(rc, 0, out)
        self.assertIn("(got 1, 1 of them allowed)", out)
        # Without the allowance the same boot fails twice.
        rc, out = self.boot(log(nvram), extra=["--kernel-warnings-max", "0"])
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL: guest's kernel log has at most 0", out)
        self.assertIn("FAIL: console shows at most 0", out)
        # Another warning next to the allowed one still fails.
        rc, out = self.boot(log(nvram, other), extra=allow)
        self.assertEqual(rc, 1, out)
        self.assertIn("(got 2, 1 of them allowed)", out)
        # A count the listed lines do not explain (more than the guest lists) still fails.
        rc, out = self.boot(log(nvram).replace("kernel-warnings=1", "kernel-warnings=25"),
                            extra=allow)
        self.assertEqual(rc, 1, out)
        self.assertIn("(got 25, 1 of them allowed)", out)
        # --kernel-warning-allow alone is a usage error.
        rc, out = self.boot(log(nvram), extra=["--kernel-warning-allow", "x"])
        self.assertEqual(rc, 2, out)


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
