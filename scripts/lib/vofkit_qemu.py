# SPDX-License-Identifier: Apache-2.0
# The one place that builds a QEMU command line for a vofkit build and runs QEMU (run targets, boot tests, benchmarks).
"""QEMU runner shared by scripts/qemu_run.py, tests/boot/boot_test.py and bench/*.py.

A build's qemu.json (written by cmake/modules/vofkit_qemu.cmake) holds the
board's QEMU binary and flags; command() turns it into an argv, always in this
order:

    QEMU  board flags (with -machine/-m/-smp replaced)  -bios FIRMWARE
          [-kernel K] [-initrd I] [-append A]  CONSOLE  NICS...  EXTRA...
          [-S -gdb tcp::1234]

Each NIC is a spec "MODEL[,DEVICE OPTIONS][;NETDEV OPTIONS]" (nic_args()).

The console comes before the extra arguments so that the captured console is
always QEMU's first serial port (hvc0), even when the extras add another one.

run() starts QEMU in its own process group, reads its console until it exits
or the timeout passes (typing text on it when given lines appear), and kills
the whole group on every path (normal end,
failure, timeout, KeyboardInterrupt, and SIGTERM/SIGHUP once
raise_on_termination_signals() is installed).  exec_interactive() hands the
terminal to QEMU for `ninja run`.
"""

import json
import os
import re
import selectors
import signal
import subprocess
import time

DEFAULT_QEMU = "qemu-system-ppc64"

# The qemu.json flags of board qemu_pseries at its defconfig (1024 MiB, 1 CPU).
# Only for callers that have no build to read them from (the reference-only
# benchmark); tests/runner/test_reference_board.py compares them with a real
# qemu_pseries build so they cannot drift from boards/qemu/pseries/board.cmake.
REFERENCE_BOARD = {
    "board": "qemu_pseries",
    "qemu": DEFAULT_QEMU,
    "flags": ["-machine", "pseries", "-m", "1024M", "-smp", "1", "-vga", "none", "-no-reboot"],
}

# Serial console and monitor multiplexed on stdio: the interactive `run`
# target (Ctrl-a x quits).  The benchmarks use it too, with stdout captured,
# so that their numbers stay comparable with docs/results.md.
CONSOLE_NOGRAPHIC = "nographic"
# Only the serial console on stdout and no monitor: the boot tests, whose log
# must hold nothing but what the firmware and the guest print.
CONSOLE_CAPTURED = "captured"
_CONSOLE_ARGS = {
    CONSOLE_NOGRAPHIC: ["-nographic"],
    CONSOLE_CAPTURED: ["-display", "none", "-serial", "stdio", "-monitor", "none"],
}
DEBUGSERVER_ARGS = ["-S", "-gdb", "tcp::1234"]
# A NIC's backend unless its spec names one: user networking (slirp) that
# reaches nothing outside QEMU, so a test never depends on the host's network.
DEFAULT_NETDEV = "user,restrict=on"
# How often run() checks whether QEMU has exited while its stdout stays silent.
_EXIT_POLL_S = 0.1


class RunnerError(Exception):
    """A build or input the runner cannot use; the message says which and why."""


def load_build(path):
    """Read qemu.json from a build directory (or the file itself) and check its keys."""
    if os.path.isdir(path):
        path = os.path.join(path, "qemu.json")
    try:
        with open(path, encoding="utf-8") as f:
            cfg = json.load(f)
    except (OSError, ValueError) as e:
        raise RunnerError("cannot read %s: %s" % (path, e)) from e
    for key in ("qemu", "flags", "firmware"):
        if key not in cfg:
            raise RunnerError("%s: missing key %r" % (path, key))
    return cfg


def bare_config():
    """A configuration with no board flags, for a firmware given without a build."""
    return {"qemu": DEFAULT_QEMU, "flags": [], "firmware": None}


def get_flag(flags, name):
    """The value after option `name` in flags, or None."""
    for i, f in enumerate(flags[:-1]):
        if f == name:
            return flags[i + 1]
    return None


def set_flag(flags, name, value):
    """A copy of flags with the value after `name` replaced, or the pair appended."""
    out = list(flags)
    for i, f in enumerate(out[:-1]):
        if f == name:
            out[i + 1] = value
            return out
    return out + [name, value]


def build_client(cfg, kernel=None, initrd=None, append=None):
    """The client of `ninja run`: arguments win over the build's QEMU_KERNEL/INITRD/APPEND.

    -initrd and -append are dropped without a kernel (QEMU refuses them), and
    an empty value means "none".  Returns (kernel, initrd, append), each a
    string or None.
    """
    kernel = kernel if kernel is not None else cfg.get("kernel")
    initrd = initrd if initrd is not None else cfg.get("initrd")
    append = append if append is not None else cfg.get("append")
    if not kernel:
        return None, None, None
    return kernel, initrd or None, append or None


def nic_args(nics):
    """The -netdev/-device (and -object filter-dump) arguments for NIC specs.

    A spec is "MODEL[,DEVICE OPTIONS][;NETDEV OPTIONS]", e.g. "spapr-vlan",
    "virtio-net-pci,bootindex=1;user,restrict=on,tftp=/srv" or, to record the
    NIC's traffic, a netdev with pcap=FILE (taken out of the netdev options and
    turned into a filter-dump object).  The i-th NIC gets netdev n<i>; the
    netdev defaults to DEFAULT_NETDEV.
    """
    argv = []
    for i, spec in enumerate(nics):
        device, _, netdev = spec.partition(";")
        if not device or device.startswith(","):
            raise RunnerError("NIC %r: no device model" % spec)
        opts, pcap = [], None
        for opt in (netdev or DEFAULT_NETDEV).split(","):
            if opt.startswith("pcap="):
                pcap = opt[len("pcap="):]
            else:
                opts.append(opt)
        nid = "n%d" % i
        device += ",netdev=" + nid
        # Debian's QEMU looks for an iPXE option ROM (efi-virtio.rom, only in the
        # recommended ipxe-qemu package) unless romfile is given; pseries never runs it.
        if device.startswith("virtio-net") and ",romfile=" not in device:
            device += ",romfile="
        argv += ["-netdev", "%s,id=%s" % (",".join(opts), nid), "-device", device]
        if pcap:
            argv += ["-object", "filter-dump,id=f%d,netdev=%s,file=%s" % (i, nid, pcap)]
    return argv


def command(cfg, firmware=None, machine=None, mem=None, smp=None,
            kernel=None, initrd=None, append=None,
            console=CONSOLE_CAPTURED, extra=(), debugserver=False, nics=()):
    """The QEMU argv for build configuration cfg (a loaded qemu.json).

    firmware defaults to the build's firmware.bin; machine/mem/smp replace the
    board's -machine/-m/-smp values; append="" is passed on as an empty
    command line (only None leaves -append out); nics are NIC specs (nic_args).
    """
    if console not in _CONSOLE_ARGS:
        raise ValueError("unknown console mode %r" % console)
    firmware = firmware or cfg.get("firmware")
    if not firmware:
        raise RunnerError("no firmware: give a build with qemu.json or a firmware image")
    flags = list(cfg["flags"])
    if machine is not None:
        flags = set_flag(flags, "-machine", machine)
    if mem is not None:
        flags = set_flag(flags, "-m", str(mem))
    if smp is not None:
        flags = set_flag(flags, "-smp", str(smp))
    argv = [cfg["qemu"]] + flags + ["-bios", firmware]
    if kernel:
        argv += ["-kernel", kernel]
    if initrd:
        argv += ["-initrd", initrd]
    if append is not None:
        argv += ["-append", append]
    argv += _CONSOLE_ARGS[console]
    argv += nic_args(nics)
    argv += list(extra)
    if debugserver:
        argv += DEBUGSERVER_ARGS
    return argv


def exec_interactive(argv):
    """Replace this process with QEMU on the terminal (`ninja run`, `ninja debugserver`).

    QEMU must be in the terminal's foreground process group to read the
    keyboard, so it is not put in a group of its own; exec leaves no parent
    behind that could die and orphan it.
    """
    os.execvp(argv[0], argv)


def load_average():
    """The 1/5/15-minute load averages from /proc/loadavg, as a string ("unknown" if unreadable).

    Benchmarks report it with every set: a run on a busy host is not comparable.
    """
    try:
        with open("/proc/loadavg", encoding="utf-8") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


class Terminated(Exception):
    """Raised by the SIGTERM/SIGHUP handler so that `finally` blocks run and kill QEMU."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum, _frame):
    raise Terminated(signum)


def raise_on_termination_signals():
    """Turn SIGTERM and SIGHUP into Terminated.

    Python's default action for them ends the interpreter without running
    `finally`, which would leave QEMU (in its own group) running.
    """
    signal.signal(signal.SIGTERM, _raise_terminated)
    signal.signal(signal.SIGHUP, _raise_terminated)


class Result:
    """What one QEMU run produced.

    raw        the console bytes (stdout, plus stderr unless it went to a file)
    log        raw decoded, with CRLF turned into LF
    returncode QEMU's exit status; negative (-9) when it was killed
    exited     QEMU ended by itself before the timeout (not killed by us)
    timed_out  the timeout passed and QEMU was killed
    eof        QEMU closed its stdout (it may still have been running)
    marker_s   seconds from start until the chunk holding the marker arrived, or None
    elapsed_s  seconds from start until QEMU exited or was killed
    sent       [(text, seconds)] for each send_after pair whose pattern appeared
    """

    def __init__(self):
        self.raw = b""
        self.returncode = None
        self.exited = False
        self.timed_out = False
        self.eof = False
        self.marker_s = None
        self.elapsed_s = None
        self.sent = []

    @property
    def log(self):
        return self.raw.decode("utf-8", "replace").replace("\r\n", "\n")

    def describe(self):
        """One line on how QEMU ended, for logs and failure messages."""
        if self.exited:
            return "exited by itself with status %d" % self.returncode
        if self.timed_out:
            return "killed after the timeout (status %d)" % self.returncode
        return "killed (status %d)" % self.returncode


def _kill_group(proc):
    """Kill QEMU's process group; True if QEMU itself was still running.

    The group is killed even when QEMU has exited, in case something it
    started is still there (the group id stays reserved while it has members).
    """
    alive = proc.poll() is None
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    return alive


class _Typist:
    """Types text on QEMU's stdin (the console, with -serial stdio) after console lines.

    pairs are (regex, text), taken in order: the text of a pair is written
    once its regex matches the console output that came after the previous
    pair's match.
    """

    def __init__(self, pairs):
        self.pending = [(re.compile(rx.encode() if isinstance(rx, str) else rx),
                         t.encode() if isinstance(t, str) else t) for rx, t in pairs]
        self.start = 0

    def feed(self, out, proc, res, t0):
        """out: all the console bytes so far."""
        while self.pending:
            rx, text = self.pending[0]
            m = rx.search(out, self.start)
            if not m:
                return
            self.pending.pop(0)
            self.start = m.end()
            try:
                proc.stdin.write(text)
                proc.stdin.flush()
            except (BrokenPipeError, OSError):
                return
            res.sent.append((text.decode("utf-8", "replace"), time.monotonic() - t0))


def run(argv, timeout, marker=None, stderr_path=None, send_after=()):
    """Run QEMU with its console captured; return a Result.

    stdin is /dev/null, or a pipe when send_after gives (regex, text) pairs:
    each text is typed on the console once its regex has matched what QEMU
    printed (after the previous pair's match).  The clock starts just before
    QEMU is spawned.  marker (str or bytes) is searched in a sliding window,
    since it may be split across reads or interleaved with kernel messages.
    stderr goes to stderr_path if given, else into the log.
    """
    if isinstance(marker, str):
        marker = marker.encode()
    typist = _Typist(send_after) if send_after else None
    res = Result()
    chunks = []
    out = b""
    tail = b""
    errf = open(stderr_path, "wb") if stderr_path else None
    try:
        t0 = time.monotonic()
        deadline = t0 + timeout
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE if typist else subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=errf if errf else subprocess.STDOUT,
                                start_new_session=True)
        sel = selectors.DefaultSelector()
        try:
            fd = proc.stdout.fileno()
            sel.register(fd, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    res.timed_out = True
                    break
                # Wake up now and then to notice QEMU's exit even when something
                # else still holds the pipe open; output wakes us at once, so the
                # marker time is not rounded.
                if not sel.select(timeout=min(left, _EXIT_POLL_S)):
                    if proc.poll() is not None:
                        break
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    res.eof = True
                    break
                chunks.append(chunk)
                if typist and typist.pending:
                    out += chunk
                    typist.feed(out, proc, res, t0)
                if marker and res.marker_s is None:
                    window = tail + chunk
                    if marker in window:
                        res.marker_s = time.monotonic() - t0
                    tail = window[-max(8192, 2 * len(marker)):]
            if res.eof:
                # stdout closed: QEMU is exiting; give it what is left of the timeout.
                try:
                    proc.wait(timeout=max(deadline - time.monotonic(), 0.001))
                except subprocess.TimeoutExpired:
                    res.timed_out = True
        finally:
            sel.close()
            killed = _kill_group(proc)
            res.elapsed_s = time.monotonic() - t0
            proc.stdout.close()
            if proc.stdin:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
    finally:
        if errf:
            errf.close()
    res.raw = b"".join(chunks)
    res.returncode = proc.returncode
    res.exited = not killed
    return res
