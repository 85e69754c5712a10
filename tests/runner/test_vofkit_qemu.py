#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Host tests of scripts/lib/vofkit_qemu.py: the argv it builds and how it runs and kills QEMU (a fake QEMU here).
"""The fake QEMU is a shell script, so these tests need no firmware and take
about two seconds.  They pin the argv order the boot tests and benchmarks rely
on, and check that QEMU's whole process group is gone on every path: normal
exit, timeout and KeyboardInterrupt."""

import json
import os
import signal
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts", "lib"))
sys.path.insert(0, HERE)
import summary  # noqa: E402
import vofkit_qemu as vq  # noqa: E402

CFG = {"board": "qemu_pseries_vof", "qemu": "qemu-system-ppc64",
       "flags": ["-machine", "pseries,x-vof=on", "-m", "1024M", "-smp", "1", "-vga", "none",
                 "-no-reboot"],
       "firmware": "/b/firmware.bin", "kernel": "", "initrd": "", "append": ""}


def alive(pid):
    """True while pid exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid, seconds=5.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not alive(pid):
            return True
        time.sleep(0.02)
    return False


class Command(unittest.TestCase):
    def test_captured_boot_test_order(self):
        argv = vq.command(CFG, mem="2G", smp=2, kernel="/k", initrd="/i", append="console=hvc0",
                          console=vq.CONSOLE_CAPTURED, extra=["-serial", "file:/x"])
        self.assertEqual(argv, [
            "qemu-system-ppc64", "-machine", "pseries,x-vof=on", "-m", "2G", "-smp", "2",
            "-vga", "none", "-no-reboot", "-bios", "/b/firmware.bin",
            "-kernel", "/k", "-initrd", "/i", "-append", "console=hvc0",
            # The captured console is the first -serial (hvc0), before the extras.
            "-display", "none", "-serial", "stdio", "-monitor", "none",
            "-serial", "file:/x"])

    def test_nographic_debugserver(self):
        argv = vq.command(CFG, firmware="/vof.bin", machine="pseries",
                          console=vq.CONSOLE_NOGRAPHIC, extra=["-d", "guest_errors"],
                          debugserver=True)
        self.assertEqual(argv, [
            "qemu-system-ppc64", "-machine", "pseries", "-m", "1024M", "-smp", "1",
            "-vga", "none", "-no-reboot", "-bios", "/vof.bin", "-nographic",
            "-d", "guest_errors", "-S", "-gdb", "tcp::1234"])

    def test_nics(self):
        argv = vq.command(CFG, nics=["spapr-vlan",
                                     "virtio-net-pci,bootindex=1;user,tftp=/t,pcap=/p.pcap",
                                     "virtio-net-pci,romfile=/r.rom;hubport,hubid=1"],
                          extra=["-S"])
        self.assertEqual(argv[argv.index("none", argv.index("-monitor")) + 1:], [
            "-netdev", "user,restrict=on,id=n0", "-device", "spapr-vlan,netdev=n0",
            "-netdev", "user,tftp=/t,id=n1",
            "-device", "virtio-net-pci,bootindex=1,netdev=n1,romfile=",
            "-object", "filter-dump,id=f1,netdev=n1,file=/p.pcap",
            "-netdev", "hubport,hubid=1,id=n2",
            "-device", "virtio-net-pci,romfile=/r.rom,netdev=n2",
            "-S"])
        with self.assertRaises(vq.RunnerError):
            vq.nic_args([";user"])

    def test_empty_append_is_passed(self):
        self.assertEqual(vq.command(CFG, kernel="/k", append="")[-8:-6], ["-append", ""])

    def test_missing_flag_is_appended(self):
        cfg = dict(CFG, flags=["-machine", "pseries"])
        self.assertEqual(vq.command(cfg, smp=4)[:5],
                         ["qemu-system-ppc64", "-machine", "pseries", "-smp", "4"])

    def test_build_client(self):
        cfg = dict(CFG, kernel="/k", initrd="/i", append="a")
        self.assertEqual(vq.build_client(cfg), ("/k", "/i", "a"))
        self.assertEqual(vq.build_client(cfg, append="b"), ("/k", "/i", "b"))
        # QEMU refuses -initrd/-append without -kernel.
        self.assertEqual(vq.build_client(dict(CFG, initrd="/i", append="a")), (None, None, None))

    def test_load_build(self):
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaises(vq.RunnerError):
                vq.load_build(d)
            with open(os.path.join(d, "qemu.json"), "w") as f:
                json.dump({"qemu": "q", "flags": []}, f)
            with self.assertRaisesRegex(vq.RunnerError, "firmware"):
                vq.load_build(d)
            with open(os.path.join(d, "qemu.json"), "w") as f:
                json.dump(CFG, f)
            self.assertEqual(vq.load_build(d), CFG)


class Run(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.pidfile = os.path.join(self.tmp.name, "pids")

    def tearDown(self):
        self.tmp.cleanup()

    def fake(self, body, child_holds_stdout=False):
        """A fake QEMU: records its pid and its background child's pid, then runs body."""
        path = os.path.join(self.tmp.name, "fake-qemu")
        child = "sleep 300 &" if child_holds_stdout else "sleep 300 >/dev/null 2>&1 &"
        with open(path, "w") as f:
            f.write("#!/bin/sh\n%s echo $$ $! > %s\n%s\n" % (child, self.pidfile, body))
        os.chmod(path, 0o755)
        return [path, "-machine", "pseries"]

    def pids(self):
        with open(self.pidfile) as f:
            return [int(x) for x in f.read().split()]

    def test_exit_status_log_and_marker(self):
        res = vq.run(self.fake("printf 'banner\\r\\nVOFKIT-INIT-'; sleep 0.2; "
                               "echo REACHED; echo oops >&2; exit 3"), 30,
                     marker="VOFKIT-INIT-REACHED")
        self.assertTrue(res.exited)
        self.assertFalse(res.timed_out)
        self.assertEqual(res.returncode, 3)
        # The marker was split across two writes; its time is that of the second.
        self.assertIsNotNone(res.marker_s)
        self.assertGreaterEqual(res.marker_s, 0.15)
        self.assertEqual(res.log, "banner\nVOFKIT-INIT-REACHED\noops\n")
        self.assertIn("status 3", res.describe())
        # QEMU exited by itself, but what it left behind in its group is killed too.
        for pid in self.pids():
            self.assertTrue(wait_gone(pid), "pid %d still running" % pid)

    def test_exit_seen_while_a_child_holds_stdout(self):
        # No EOF ever comes (the child keeps the pipe), yet QEMU's exit ends the run.
        res = vq.run(self.fake("echo bye; exit 0", child_holds_stdout=True), 30)
        self.assertTrue(res.exited)
        self.assertFalse(res.timed_out)
        self.assertLess(res.elapsed_s, 10)
        self.assertEqual((res.log, res.returncode), ("bye\n", 0))
        for pid in self.pids():
            self.assertTrue(wait_gone(pid), "pid %d still running" % pid)

    def test_stderr_to_file(self):
        err = os.path.join(self.tmp.name, "err")
        res = vq.run(self.fake("echo out; echo err >&2"), 30, stderr_path=err)
        self.assertEqual((res.log, res.returncode), ("out\n", 0))
        with open(err) as f:
            self.assertEqual(f.read(), "err\n")

    def test_send_after_types_on_stdin_in_order(self):
        # The fake "console" asks twice; each answer is typed only after its prompt,
        # and the second pattern ("ready") must match output after the first match:
        # the "ready" printed before the first prompt does not count.
        body = ("echo ready-too-early; echo 'menu>'; read -r a; echo got:$a; "
                "sleep 0.2; echo ready; read -r b; echo got:$b")
        res = vq.run(self.fake(body), 30,
                     send_after=[(r"menu>", "2\n"), (r"ready$", "x\n")])
        self.assertTrue(res.exited)
        self.assertEqual(res.returncode, 0)
        self.assertIn("got:2\n", res.log)
        self.assertIn("got:x\n", res.log)
        self.assertEqual([t for t, _ in res.sent], ["2\n", "x\n"])
        self.assertLessEqual(res.sent[0][1], res.sent[1][1])

    def test_send_after_never_matching_types_nothing(self):
        res = vq.run(self.fake("echo hello; read -t 1 -r a && echo got:$a || echo nothing"), 30,
                     send_after=[(r"menu>", "2\n")])
        self.assertEqual(res.sent, [])
        self.assertIn("nothing", res.log)

    def test_stdin_is_empty_without_send_after(self):
        res = vq.run(self.fake("read -r a && echo got || echo eof"), 30)
        self.assertEqual(res.log, "eof\n")

    def test_timeout_kills_the_group(self):
        res = vq.run(self.fake("echo started; sleep 300"), 1.0, marker="never")
        self.assertTrue(res.timed_out)
        self.assertFalse(res.exited)
        self.assertEqual(res.returncode, -signal.SIGKILL)
        self.assertIsNone(res.marker_s)
        self.assertEqual(res.log, "started\n")
        self.assertIn("timeout", res.describe())
        for pid in self.pids():
            self.assertTrue(wait_gone(pid), "pid %d still running" % pid)

    def test_stdout_closed_but_running_times_out(self):
        res = vq.run(self.fake("exec >&- 2>&-; sleep 300"), 1.0)
        self.assertTrue(res.eof)
        self.assertTrue(res.timed_out)
        self.assertFalse(res.exited)

    def test_keyboard_interrupt_kills_the_group(self):
        def interrupt(_signum, _frame):
            raise KeyboardInterrupt
        old = signal.signal(signal.SIGALRM, interrupt)
        try:
            signal.setitimer(signal.ITIMER_REAL, 0.5)
            with self.assertRaises(KeyboardInterrupt):
                vq.run(self.fake("sleep 300"), 30)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        for pid in self.pids():
            self.assertTrue(wait_gone(pid), "pid %d still running" % pid)

    def test_sigterm_becomes_terminated(self):
        old = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP))
        try:
            vq.raise_on_termination_signals()
            signal.signal(signal.SIGALRM, lambda *_: os.kill(os.getpid(), signal.SIGTERM))
            signal.setitimer(signal.ITIMER_REAL, 0.5)
            with self.assertRaises(vq.Terminated):
                vq.run(self.fake("sleep 300"), 30)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGTERM, old[0])
            signal.signal(signal.SIGHUP, old[1])
        for pid in self.pids():
            self.assertTrue(wait_gone(pid), "pid %d still running" % pid)


if __name__ == "__main__":
    sys.exit(summary.main(__name__))
