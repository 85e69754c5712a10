#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# QEMU boot test: run a built firmware with a real guest and check the console log.
"""Boot a real guest under QEMU with a vofkit firmware and check what it prints.

The QEMU command comes from the build's qemu.json (the board's flags, as the
`run` target uses them) plus -kernel/-initrd/-append.  QEMU runs in its own
process group and is killed on success, failure, timeout and interruption.

Checks (each reported as a PASS/FAIL line; exit status 1 if any failed):
  --expect TEXT       TEXT appears in the log (repeatable)
  --reject TEXT       TEXT does not appear (repeatable)
  --marker TEXT       the guest's init marker (default VOFKIT-INIT-REACHED)
  --cmdline/--cpus/--memtotal-min-kb  what the guest's init reports
  --exit-clean        QEMU must exit by itself (guest power-off) before the timeout
  --fresh-file P:N    create P as N zero bytes before starting QEMU (NVRAM images)
  --unchanged-file P  P must have the same contents after the run as before
"""

import argparse
import hashlib
import json
import os
import signal
import subprocess
import sys
import time


def qemu_argv(cfg, args):
    argv = [cfg["qemu"]] + list(cfg["flags"])
    if args.machine:
        i = argv.index("-machine")
        argv[i + 1] = args.machine
    if args.mem:
        argv[argv.index("-m") + 1] = args.mem
    if args.smp:
        argv[argv.index("-smp") + 1] = str(args.smp)
    argv += ["-bios", args.bios or cfg["firmware"]]
    if args.kernel:
        argv += ["-kernel", args.kernel]
    if args.initrd:
        argv += ["-initrd", args.initrd]
    if args.append is not None:
        argv += ["-append", args.append]
    argv += ["-display", "none", "-serial", "stdio", "-monitor", "none"]
    argv += args.qemu_arg
    return argv


def run_qemu(argv, timeout, marker):
    """Return (log text, seconds to marker or None, exited-by-itself flag)."""
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    start = time.monotonic()
    chunks = []
    t_marker = None
    exited = False
    try:
        os.set_blocking(proc.stdout.fileno(), False)
        while True:
            if time.monotonic() - start > timeout:
                break
            try:
                data = proc.stdout.read()
            except BlockingIOError:
                data = None
            if data:
                chunks.append(data)
                if t_marker is None and marker.encode() in b"".join(chunks[-4:]):
                    t_marker = time.monotonic() - start
            elif proc.poll() is not None:
                rest = proc.stdout.read()
                if rest:
                    chunks.append(rest)
                exited = True
                break
            else:
                time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    log = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    if t_marker is None and marker in log:
        t_marker = time.monotonic() - start
    return log, t_marker, exited


def guest_value(log, key):
    # Kernel messages can land in front of the guest's line on the shared
    # console (an unterminated "#1 SMP Debian 6." banner), so look anywhere.
    prefix = "VOFKIT-GUEST: %s=" % key
    for line in log.splitlines():
        at = line.find(prefix)
        if at >= 0:
            return line[at + len(prefix):].strip()
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--name", default="boot")
    p.add_argument("--build", help="firmware build directory (has qemu.json)")
    p.add_argument("--bios", help="firmware image instead of the build's firmware.bin")
    p.add_argument("--machine", help="override -machine")
    p.add_argument("--mem", help="override -m")
    p.add_argument("--smp", type=int, help="override -smp")
    p.add_argument("--kernel")
    p.add_argument("--initrd")
    p.add_argument("--append")
    p.add_argument("--qemu-arg", action="append", default=[],
                   help="extra QEMU argument (repeatable)")
    p.add_argument("--timeout", type=float, default=240)
    p.add_argument("--marker", default="VOFKIT-INIT-REACHED")
    p.add_argument("--no-marker", action="store_true",
                   help="the guest is not expected to reach init")
    p.add_argument("--expect", action="append", default=[])
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--cmdline")
    p.add_argument("--cpus", type=int)
    p.add_argument("--memtotal-min-kb", type=int)
    p.add_argument("--exit-clean", action="store_true")
    p.add_argument("--log", help="write the console log here")
    p.add_argument("--fresh-file", action="append", default=[], metavar="PATH:SIZE")
    p.add_argument("--unchanged-file", action="append", default=[], metavar="PATH")
    args = p.parse_args()

    cfg = {"qemu": "qemu-system-ppc64", "flags": [], "firmware": None}
    if args.build:
        with open(os.path.join(args.build, "qemu.json"), encoding="utf-8") as f:
            cfg = json.load(f)
    for path in (args.kernel, args.initrd, args.bios or cfg["firmware"]):
        if path and not os.path.isfile(path):
            print("FAIL: %s: missing input %s (run scripts/setup.sh / build first)"
                  % (args.name, path))
            print("0 passed, 1 failed")
            return 1

    for spec in args.fresh_file:
        path, size = spec.rsplit(":", 1)
        with open(path, "wb") as f:
            f.truncate(int(size, 0))
    before = {}
    for path in args.unchanged_file:
        with open(path, "rb") as f:
            before[path] = hashlib.sha256(f.read()).hexdigest()

    argv = qemu_argv(cfg, args)
    print("%s: %s" % (args.name, " ".join(argv)), flush=True)
    log, t_marker, exited = run_qemu(argv, args.timeout, args.marker)
    if args.log:
        with open(args.log, "w", encoding="utf-8") as f:
            f.write(log)

    results = []

    def check(ok, what):
        results.append(ok)
        print("%s: %s" % ("PASS" if ok else "FAIL", what))

    if args.no_marker:
        check(args.marker not in log, "guest did not reach init (as expected)")
    else:
        check(t_marker is not None, "guest init reached (%s)" % (
            "%.2f s" % t_marker if t_marker is not None else "marker never seen"))
    for text in args.expect:
        check(text in log, "log contains %r" % text)
    for text in args.reject:
        check(text not in log, "log does not contain %r" % text)
    if args.cmdline is not None:
        got = guest_value(log, "cmdline")
        check(got == args.cmdline, "guest /proc/cmdline is %r (got %r)" % (args.cmdline, got))
    if args.cpus is not None:
        got = guest_value(log, "cpus")
        check(got == str(args.cpus), "guest sees %d CPUs (got %r)" % (args.cpus, got))
    if args.memtotal_min_kb is not None:
        got = guest_value(log, "memtotal_kb")
        ok = got is not None and got.isdigit() and int(got) >= args.memtotal_min_kb
        check(ok, "guest MemTotal >= %d kB (got %r)" % (args.memtotal_min_kb, got))
    for path, digest in before.items():
        with open(path, "rb") as f:
            now = hashlib.sha256(f.read()).hexdigest()
        check(now == digest, "%s left unchanged by the boot" % path)
    if args.exit_clean:
        check(exited, "QEMU exited by itself (guest powered off) within %d s" % args.timeout)

    failed = results.count(False)
    if failed:
        print("---- console log (last 60 lines) ----")
        print("\n".join(log.splitlines()[-60:]))
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
