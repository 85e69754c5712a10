#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# QEMU boot test: run a built firmware with a real guest and check the console log.
"""Boot a real guest under QEMU with a vofkit firmware and check what it prints.

The QEMU command comes from scripts/lib/vofkit_qemu.py: the build's qemu.json
(the board's flags, as the `run` target uses them) plus -kernel/-initrd/-append,
the captured console and --qemu-arg.  QEMU runs in its own process group and is
killed on success, failure, timeout and interruption.  Its exit status is
always reported.

Checks (each reported as a PASS/FAIL line; exit status 1 if any failed):
  --sample-yaml F     the sample's console harness (samples/*/sample.yaml):
                      its `boot` lines must appear and its `boot` rejects must not
  --harness-set NAME  also apply the harness set NAME of that file (e.g. linux)
  --expect TEXT       TEXT appears in the log (repeatable)
  --reject TEXT       TEXT does not appear (repeatable)
  --marker TEXT       the guest's init marker (default VOFKIT-INIT-REACHED)
  --cmdline/--cpus/--memtotal-min-kb  what the guest's init reports
  --expect-net ADDR   the guest's init got a DHCP lease of ADDR on its NIC
                      (VOFKIT-GUEST: net=<interface> ADDR), and found the NIC as
                      after a reset (VOFKIT-GUEST: net-handover=ok)
  --nic SPEC          add a NIC: "MODEL[,DEVICE OPTIONS][;NETDEV OPTIONS]"
                      (repeatable; scripts/lib/vofkit_qemu.py nic_args)
  --kernel-warnings-max N  the guest's init must report its kernel log's count of
                      WARNING:/BUG/Oops/Call Trace lines (VOFKIT-GUEST:
                      kernel-warnings=), and it must be at most N; the kernel's
                      own lines on the console that match must number at most N
                      too (they show there without `quiet`, and also catch what
                      happens after init read the log)
  --kernel-warning-allow TEXT  a matching line that contains TEXT is not counted
                      (repeatable; the guest prints its first 20 matching lines)
  --exit-clean        QEMU must exit by itself (guest power-off) before the
                      timeout, with exit status 0
  --fresh-file P:N    create P as N zero bytes before starting QEMU (NVRAM images)
  --unchanged-file P  P must have the same contents after the run as before
  --send-after REGEX TEXT  type TEXT on the console (QEMU's stdin) once a console
                      line matches REGEX (repeatable, taken in order; "\\r" and
                      "\\n" in TEXT are Enter); each must have been typed
"""

import argparse
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "scripts", "lib"))
import vofkit_qemu  # noqa: E402

# The harness set every boot of the sample gets; others are chosen with --harness-set.
ALWAYS_SET = "boot"


class HarnessError(Exception):
    pass


def load_harness(path, names):
    """Expected and rejected lines from a sample.yaml console harness.

    The file is checked strictly: a typo that silently dropped a check would
    make the test unable to fail.  Returns (expect list, reject list).
    """
    import yaml  # python3-yaml; imported here so tests without a harness need no yaml
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise HarnessError("cannot read %s: %s" % (path, e)) from e
    if not isinstance(doc, dict) or doc.get("harness") != "console":
        raise HarnessError("%s: no 'harness: console'" % path)
    sets = doc.get("harness_config")
    if not isinstance(sets, dict) or ALWAYS_SET not in sets:
        raise HarnessError("%s: harness_config has no %r set" % (path, ALWAYS_SET))
    expect, reject = [], []
    for name in [ALWAYS_SET] + [n for n in names if n != ALWAYS_SET]:
        if name not in sets:
            raise HarnessError("%s: no harness set %r (have: %s)" % (path, name, ", ".join(sets)))
        entry = sets[name]
        if not isinstance(entry, dict) or set(entry) - {"expect", "reject"}:
            raise HarnessError("%s: harness set %r may only have 'expect' and 'reject'"
                               % (path, name))
        for key, out in (("expect", expect), ("reject", reject)):
            lines = entry.get(key, [])
            if not isinstance(lines, list) or not all(isinstance(x, str) and x for x in lines):
                raise HarnessError("%s: %s.%s must be a list of non-empty strings"
                                   % (path, name, key))
            out.extend(lines)
        if not entry.get("expect"):
            raise HarnessError("%s: harness set %r expects nothing" % (path, name))
    return expect, reject


def guest_value(log, key):
    # Kernel messages can land in front of the guest's line on the shared
    # console (an unterminated "#1 SMP Debian 6." banner), so look anywhere.
    prefix = "VOFKIT-GUEST: %s=" % key
    for line in log.splitlines():
        at = line.find(prefix)
        if at >= 0:
            return line[at + len(prefix):].strip()
    return None


# What counts as a kernel warning, in the guest's dmesg (tests/guests/mkinitramfs.sh
# greps for the same four) and on the console.
KERNEL_WARNING = re.compile(r"WARNING:|BUG|Oops|Call Trace")
# A kernel console line: "[    1.234567] ..." (possibly after a partial line).
KERNEL_LINE = re.compile(r"\[\s*\d+\.\d+\] ")


def console_kernel_warnings(log, allow=()):
    """The kernel's console lines that match KERNEL_WARNING (not the guest's copies),
    leaving out those that contain a text of allow."""
    out = []
    for line in log.splitlines():
        if "VOFKIT-GUEST:" in line or any(a in line for a in allow):
            continue
        m = KERNEL_LINE.search(line)
        if m and KERNEL_WARNING.search(line, m.end()):
            out.append(line.strip())
    return out


def guest_kernel_warnings(log, allow=()):
    """(count, allowed): the guest's kernel-warnings= count (None if absent or not a
    number) and how many of the lines it listed contain a text of allow."""
    got = guest_value(log, "kernel-warnings")
    if got is None or not got.isdigit():
        return None, 0
    prefix = "VOFKIT-GUEST: kernel-warning-line="
    allowed = 0
    for line in log.splitlines():
        at = line.find(prefix)
        if at >= 0 and any(a in line[at + len(prefix):] for a in allow):
            allowed += 1
    return int(got), allowed


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
    p.add_argument("--expect-net", metavar="ADDR",
                   help="the guest reports a lease of ADDR (VOFKIT-GUEST: net=IF ADDR)")
    p.add_argument("--nic", action="append", default=[], metavar="SPEC",
                   help="NIC MODEL[,DEVICE OPTIONS][;NETDEV OPTIONS] (repeatable)")
    p.add_argument("--kernel-warnings-max", type=int, metavar="N",
                   help="the guest must report at most N kernel warning lines (and the "
                        "console show at most N)")
    p.add_argument("--kernel-warning-allow", action="append", default=[], metavar="TEXT",
                   help="with --kernel-warnings-max: a warning line containing TEXT is not "
                        "counted (repeatable)")
    p.add_argument("--exit-clean", action="store_true")
    p.add_argument("--log", help="write the console log here")
    p.add_argument("--fresh-file", action="append", default=[], metavar="PATH:SIZE")
    p.add_argument("--unchanged-file", action="append", default=[], metavar="PATH")
    p.add_argument("--send-after", action="append", nargs=2, default=[],
                   metavar=("REGEX", "TEXT"),
                   help="type TEXT on the console once its output matches REGEX (repeatable)")
    p.add_argument("--sample-yaml", metavar="FILE",
                   help="apply the console harness of this sample.yaml (its 'boot' set)")
    p.add_argument("--harness-set", action="append", default=[], metavar="NAME",
                   help="also apply this set of the sample's harness (repeatable)")
    args = p.parse_args()
    if args.kernel_warning_allow and args.kernel_warnings_max is None:
        p.error("--kernel-warning-allow needs --kernel-warnings-max")
    if args.harness_set and not args.sample_yaml:
        p.error("--harness-set needs --sample-yaml")
    if not args.build and not args.bios:
        p.error("give --build (a firmware build) or --bios")
    send_after = []
    for rx, text in args.send_after:
        try:
            re.compile(rx)
        except re.error as e:
            p.error("--send-after: bad regex %r: %s" % (rx, e))
        send_after.append((rx, text.replace("\\r", "\r").replace("\\n", "\n")))

    def setup_failure(msg):
        print("FAIL: %s: %s" % (args.name, msg))
        print("0 passed, 1 failed")
        return 1

    expect, reject = list(args.expect), list(args.reject)
    if args.sample_yaml:
        try:
            sample_expect, sample_reject = load_harness(args.sample_yaml, args.harness_set)
        except HarnessError as e:
            return setup_failure(str(e))
        # The sample's lines first: they are the ones every boot must show.
        expect = sample_expect + expect
        reject = sample_reject + reject

    try:
        cfg = vofkit_qemu.load_build(args.build) if args.build else vofkit_qemu.bare_config()
    except vofkit_qemu.RunnerError as e:
        return setup_failure(str(e) + " (build the firmware first)")
    for path in (args.kernel, args.initrd, args.bios or cfg["firmware"]):
        if path and not os.path.isfile(path):
            return setup_failure("missing input %s (run scripts/setup.sh / build first)" % path)

    for spec in args.fresh_file:
        path, size = spec.rsplit(":", 1)
        with open(path, "wb") as f:
            f.truncate(int(size, 0))
    before = {}
    for path in args.unchanged_file:
        with open(path, "rb") as f:
            before[path] = hashlib.sha256(f.read()).hexdigest()

    try:
        argv = vofkit_qemu.command(cfg, firmware=args.bios, machine=args.machine,
                                   mem=args.mem, smp=args.smp, kernel=args.kernel,
                                   initrd=args.initrd, append=args.append,
                                   console=vofkit_qemu.CONSOLE_CAPTURED, extra=args.qemu_arg,
                                   nics=args.nic)
    except vofkit_qemu.RunnerError as e:
        return setup_failure(str(e))
    print("%s: %s" % (args.name, " ".join(argv)), flush=True)
    vofkit_qemu.raise_on_termination_signals()
    try:
        res = vofkit_qemu.run(argv, args.timeout, marker=args.marker, send_after=send_after)
    except (KeyboardInterrupt, vofkit_qemu.Terminated):
        print("FAIL: %s: interrupted; QEMU killed" % args.name)
        print("0 passed, 1 failed")
        return 1
    log, t_marker = res.log, res.marker_s
    print("QEMU %s after %.2f s" % (res.describe(), res.elapsed_s), flush=True)
    if args.log:
        with open(args.log, "w", encoding="utf-8") as f:
            f.write(log)

    results = []

    def check(ok, what):
        results.append(ok)
        print("%s: %s" % ("PASS" if ok else "FAIL", what))

    for i, (rx, text) in enumerate(send_after):
        if i < len(res.sent):
            check(True, "typed %r after the console matched %r (%.2f s)"
                  % (text, rx, res.sent[i][1]))
        else:
            check(False, "typed %r after the console matched %r (never matched)" % (text, rx))
    if args.no_marker:
        check(args.marker not in log, "guest did not reach init (as expected)")
    else:
        check(t_marker is not None, "guest init reached (%s)" % (
            "%.2f s" % t_marker if t_marker is not None else "marker never seen"))
    for text in expect:
        check(text in log, "log contains %r" % text)
    for text in reject:
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
    if args.expect_net is not None:
        got = guest_value(log, "net")
        words = (got or "").split()
        error = guest_value(log, "net-error")
        check(len(words) >= 2 and words[1] == args.expect_net,
              "guest's NIC got %s by DHCP (got %r%s)"
              % (args.expect_net, got, ", net-error %r" % error if error else ""))
        handover = guest_value(log, "net-handover")
        check(handover == "ok", "the firmware handed the NIC over stopped (net-handover=%r)"
              % handover)
    if args.kernel_warnings_max is not None:
        n, allow = args.kernel_warnings_max, args.kernel_warning_allow
        got, allowed = guest_kernel_warnings(log, allow)
        if got is None:
            what = ("no kernel-warnings= line with a number (%r)"
                    % guest_value(log, "kernel-warnings"))
        elif allow:
            what = "got %d, %d of them allowed" % (got, allowed)
        else:
            what = "got %d" % got
        check(got is not None and got - allowed <= n,
              "guest's kernel log has at most %d WARNING:/BUG/Oops/Call Trace lines (%s)"
              % (n, what))
        seen = console_kernel_warnings(log, allow)
        check(len(seen) <= n, "console shows at most %d kernel WARNING:/BUG/Oops/Call Trace "
                              "lines (got %d%s)" % (n, len(seen),
                                                    ": %r" % seen[0] if seen else ""))
    for path, digest in before.items():
        with open(path, "rb") as f:
            now = hashlib.sha256(f.read()).hexdigest()
        check(now == digest, "%s left unchanged by the boot" % path)
    if args.exit_clean:
        # A kill, a crash or an error exit (QEMU exits 1 when it refuses an
        # option or cannot load an image) is not a clean power-off.
        check(res.exited and res.returncode == 0,
              "clean QEMU exit (guest power-off, status 0) within %d s: QEMU %s"
              % (args.timeout, res.describe()))

    failed = results.count(False)
    if failed:
        print("---- console log (last 60 lines) ----")
        print("\n".join(log.splitlines()[-60:]))
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
