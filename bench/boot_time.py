#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Benchmark: wall time from QEMU start to the guest's init marker, vofkit firmware vs QEMU's vof.bin and SLOF.
"""Boot-to-init benchmark for QEMU pseries firmware.

Boots the same Debian ppc64el kernel and busybox initramfs under each firmware
candidate, interleaving the runs, and reports the median/min/max wall time from
QEMU process start until the guest prints the marker line
"VOFKIT-INIT-REACHED". Candidates:

  vofkit-forward  samples/forward, board qemu_pseries_vof (-machine pseries,x-vof=on)
  vofkit-native   samples/linux-direct, board qemu_pseries (-machine pseries)
  qemu-vof.bin    QEMU's /usr/share/qemu/vof.bin (-machine pseries,x-vof=on)
  slof            QEMU's /usr/share/qemu/slof.bin (-machine pseries)

The ratios median(vofkit candidate)/median(qemu-vof.bin) and /median(slof) are
reported, never asserted: this is a benchmark, not a test.

Exit status: 0 if every run reached the marker and QEMU exited cleanly,
1 if any run failed, 2 on a usage or setup error.
"""

import argparse
import datetime
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "scripts", "lib"))
import vofkit_qemu  # noqa: E402  (builds the QEMU command, runs and kills QEMU)

MARKER = "VOFKIT-INIT-REACHED"
TIMEOUT_S = 180.0
# TCG runs many vCPUs slowly (a -smp 64 boot takes about 30 s on 2 host cores).
TIMEOUT_MANY_CPUS_S = 600.0
MANY_CPUS = 16
# With this many vCPUs and no --mem, use MANY_CPUS_MEM instead of the board's RAM.
MANY_CPUS_MEM = "4G"
APPEND = "console=hvc0 quiet"
QEMU_VOF_BIN = "/usr/share/qemu/vof.bin"
SLOF_BIN = "/usr/share/qemu/slof.bin"

# vofkit candidates: name -> (sample directory, board)
VOFKIT = {
    "vofkit-forward": ("forward", "qemu_pseries_vof"),
    "vofkit-native": ("linux-direct", "qemu_pseries"),
}
# A baseline is the same sample's firmware.bin from an earlier commit (--baseline-native /
# --baseline-forward), booted with that vofkit build's own flags: before/after in one interleaved set.
BASELINES = {"baseline-native": "vofkit-native", "baseline-forward": "vofkit-forward"}
REFERENCES = ("qemu-vof.bin", "slof") + tuple(BASELINES)
ALL_CANDIDATES = tuple(VOFKIT) + REFERENCES
DEFAULT_CANDIDATES = "vofkit-forward,qemu-vof.bin"

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class SetupError(Exception):
    pass


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def cache_dir():
    env = os.environ.get("VOFKIT_CACHE")
    if env:
        return env
    return os.path.join(os.path.expanduser("~"), ".cache", "vofkit")


def run_checked(cmd, what):
    """Run a setup command; on failure show its output and raise SetupError."""
    log("+ " + shlex.join(cmd))
    res = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, cwd=REPO)
    if res.returncode != 0:
        sys.stderr.write(res.stdout.decode(errors="replace")[-4000:])
        raise SetupError(f"{what} failed (exit {res.returncode}): {shlex.join(cmd)}")
    return res.stdout.decode(errors="replace")


def build_firmware(sample, board, build_dir):
    src = os.path.join(REPO, "samples", sample)
    run_checked(["cmake", "-S", src, "-B", build_dir, "-G", "Ninja", f"-DBOARD={board}"],
                "cmake configure")
    run_checked(["ninja", "-C", build_dir], "ninja build")


def load_board(build_dir):
    try:
        board = vofkit_qemu.load_build(build_dir)
    except vofkit_qemu.RunnerError as e:
        raise SetupError(str(e)) from e
    if not os.path.isfile(board["firmware"]):
        raise SetupError(f"firmware {board['firmware']} not found (is {build_dir} built?)")
    return board


get_flag = vofkit_qemu.get_flag


def machine_without_vof(machine):
    parts = [p for p in machine.split(",") if p not in ("x-vof=on", "x-vof=true")]
    return ",".join(parts)


def machine_with_vof(machine):
    parts = [p for p in machine.split(",") if not p.startswith("x-vof=")]
    return ",".join(parts + ["x-vof=on"])


def smp_count(flags):
    """Number of vCPUs from a -smp value such as "64" or "cpus=64,threads=1"."""
    val = get_flag(flags, "-smp")
    if val is None:
        return 1
    for part in val.split(","):
        if part.isdigit():
            return int(part)
        if part.startswith("cpus=") and part[5:].isdigit():
            return int(part[5:])
    return 1


def overrides(flags, args):
    """The -m and -smp values for one candidate: --smp/--mem, and the many-vCPU RAM default.

    Returns a dict of vofkit_qemu.command() keywords (None leaves the board's value).
    """
    smp = str(args.smp) if args.smp is not None else None
    mem = args.mem
    if smp is not None:
        flags = vofkit_qemu.set_flag(flags, "-smp", smp)
    if mem is None and smp_count(flags) >= MANY_CPUS:
        mem = MANY_CPUS_MEM
    return {"smp": smp, "mem": mem}


def without_machine(flags):
    out, skip = [], False
    for f in flags:
        if skip:
            skip = False
        elif f == "-machine":
            skip = True
        else:
            out.append(f)
    return out


def make_candidates(names, boards, args, kernel, initrd):
    """boards: vofkit candidate name -> loaded qemu.json. Returns the candidate dicts in `names` order."""
    # The references (vof.bin, SLOF) use the flags of a vofkit board, with only -machine changed,
    # so that every candidate gets the same RAM, vCPUs and devices.
    if "vofkit-native" in boards:
        base = boards["vofkit-native"]
    elif "vofkit-forward" in boards:
        base = boards["vofkit-forward"]
    else:
        base = vofkit_qemu.REFERENCE_BOARD
    if len(boards) == 2:
        a, b = (without_machine(boards[n]["flags"]) for n in VOFKIT)
        if a != b:
            log("boot_time: warning: the qemu.json flags of the two vofkit builds differ beyond "
                f"-machine ({shlex.join(a)} vs {shlex.join(b)}); references use vofkit-native's")
    machine = get_flag(base["flags"], "-machine")
    if machine is None:
        raise SetupError("qemu.json flags have no -machine option")
    client = {"kernel": kernel, "initrd": initrd, "append": APPEND,
              "console": vofkit_qemu.CONSOLE_NOGRAPHIC}
    cands = []
    for name in names:
        if name in VOFKIT:
            board = boards[name]
            fw = board["firmware"]
            cmd = vofkit_qemu.command(board, firmware=fw, **overrides(board["flags"], args),
                                      **client)
        elif name in BASELINES:
            board = boards[BASELINES[name]]
            fw = os.path.abspath(getattr(args, name.replace("-", "_")))
            cmd = vofkit_qemu.command(board, firmware=fw, **overrides(board["flags"], args),
                                      **client)
        else:
            fw = QEMU_VOF_BIN if name == "qemu-vof.bin" else SLOF_BIN
            ref_machine = (machine_with_vof(machine) if name == "qemu-vof.bin"
                           else machine_without_vof(machine))
            cmd = vofkit_qemu.command(base, firmware=fw, machine=ref_machine,
                                      **overrides(base["flags"], args), **client)
        if not os.path.isfile(fw):
            raise SetupError(f"{name}: firmware {fw} not found")
        timeout = TIMEOUT_MANY_CPUS_S if smp_count(cmd) >= MANY_CPUS else TIMEOUT_S
        cands.append({"name": name, "firmware": fw, "cmd": cmd, "timeout": timeout,
                      "runs": [], "warmup": []})
    return cands


def one_run(cmd, workdir, tag, timeout_s=TIMEOUT_S, marker=MARKER):
    """Boot once. Returns a dict: ok, marker_s, total_s, rc, reason."""
    stderr_path = os.path.join(workdir, f"{tag}.stderr")
    r = vofkit_qemu.run(cmd, timeout_s, marker=marker, stderr_path=stderr_path)
    reason = None
    if r.timed_out:
        reason = f"timeout after {timeout_s:.0f} s"
        if r.eof:
            reason += " (stdout closed, QEMU still running)"
    elif r.marker_s is None:
        reason = "marker not seen"
    elif r.returncode != 0:
        reason = f"QEMU exit status {r.returncode}"
    res = {
        "ok": reason is None,
        "marker_s": r.marker_s,
        "total_s": r.elapsed_s,
        "rc": r.returncode,
        "reason": reason,
    }
    if reason is not None:
        with open(stderr_path, "rb") as f:
            err = f.read()[-2000:].decode(errors="replace")
        res["detail"] = ("--- last stdout ---\n" + r.raw[-2000:].decode(errors="replace")
                         + "\n--- last stderr ---\n" + err)
    return res


def run_logged(cmd, workdir, tag, timeout_s, label, marker=MARKER):
    """one_run(), with one progress line (and the failure detail) logged."""
    r = one_run(cmd, workdir, tag, timeout_s, marker)
    status = (f"marker {r['marker_s']:.3f} s, exit {r['total_s']:.3f} s" if r["ok"]
              else f"FAILED: {r['reason']}")
    log(f"{label}: {status}")
    if not r["ok"]:
        log(r["detail"])
    return r


def stats(vals):
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals)}


def fmt(v, digits=3):
    return "n/a" if v is None else f"{v:.{digits}f}"


def summarize(cands):
    for c in cands:
        okr = [r for r in c["runs"] if r["ok"]]
        c["ok"] = len(okr)
        c["marker"] = stats([r["marker_s"] for r in okr])
        c["total"] = stats([r["total_s"] for r in okr])
        c["size"] = os.path.getsize(c["firmware"])
    by = {c["name"]: c for c in cands}
    ratios = []
    for name in VOFKIT:
        if name not in by:
            continue
        base = by[name]["marker"]
        for other in REFERENCES:
            if other in BASELINES and BASELINES[other] != name:
                continue  # a baseline compares with its own sample only
            if other in by:
                o = by[other]["marker"]
                r = base["median"] / o["median"] if base and o else None
                ratios.append((f"median({name}) / median({other})", r))
    return ratios


def table_rows(cands):
    by = {c["name"]: c for c in cands}
    refs = [r for r in REFERENCES if r in by]
    header = ["candidate", "firmware bytes", "OK runs", "median to marker (s)",
              "min (s)", "max (s)", "median to exit (s)"] + [f"ratio to {r}" for r in refs]
    rows = []
    for c in cands:
        m, t = c["marker"] or {}, c["total"] or {}
        row = [c["name"], str(c["size"]), f"{c['ok']}/{len(c['runs'])}",
               fmt(m.get("median")), fmt(m.get("min")), fmt(m.get("max")),
               fmt(t.get("median"))]
        for r in refs:
            o = by[r]["marker"]
            if c["name"] not in VOFKIT:
                row.append("-")
            else:
                row.append(fmt(m["median"] / o["median"] if m and o else None))
        rows.append(row)
    return header, rows


def text_table(header, rows):
    widths = [max(len(x) for x in col) for col in zip(header, *rows)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)),
             "  ".join("-" * w for w in widths)]
    for r in rows:
        lines.append("  ".join(x.ljust(w) if i == 0 else x.rjust(w)
                               for i, (x, w) in enumerate(zip(r, widths))))
    return "\n".join(lines)


def md_table(header, rows):
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(r) + " |")
    return "\n".join(lines)


def per_run_rows(cands, runs):
    header = ["run"] + [c["name"] + " (s)" for c in cands]
    rows = []
    for i in range(runs):
        row = [str(i + 1)]
        for c in cands:
            r = c["runs"][i]
            row.append(fmt(r["marker_s"]) if r["ok"] else f"FAILED ({r['reason']})")
        rows.append(row)
    return header, rows


def host_info():
    def cmd_out(cmd):
        try:
            return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  stdin=subprocess.DEVNULL, check=True).stdout.decode().strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"nproc": cmd_out(["nproc"]), "cpu": model}



def parse_candidates(ap, args):
    names = []
    for n in (x.strip() for x in args.candidates.split(",")):
        if not n:
            continue
        if n not in ALL_CANDIDATES:
            ap.error(f"unknown candidate {n!r} (choose from {', '.join(ALL_CANDIDATES)})")
        if n not in names:
            names.append(n)
    if args.with_slof and "slof" not in names:
        names.append("slof")
    for base, of in BASELINES.items():
        if getattr(args, base.replace("-", "_")):
            if of not in names:
                ap.error(f"--{base} needs {of} among the candidates")
            if base not in names:
                names.append(base)
        elif base in names:
            ap.error(f"candidate {base} needs --{base} FILE")
    if not names:
        ap.error("--candidates is empty")
    if args.build and "vofkit-forward" not in names:
        ap.error("--build is for vofkit-forward, which is not among the candidates")
    if args.build_native and "vofkit-native" not in names:
        ap.error("--build-native is for vofkit-native, which is not among the candidates")
    return names


def main():
    ap = argparse.ArgumentParser(
        description="Boot-to-init wall time of vofkit firmware (forward and/or native) vs QEMU's "
                    "vof.bin and SLOF. Reports numbers; does not assert them.")
    ap.add_argument("--candidates", default=DEFAULT_CANDIDATES, metavar="LIST",
                    help="comma-separated, from: " + ", ".join(ALL_CANDIDATES)
                    + f" (default {DEFAULT_CANDIDATES})")
    ap.add_argument("--runs", type=int, default=7, help="boots per candidate (default 7, min 5)")
    ap.add_argument("--build", metavar="DIR",
                    help="existing samples/forward build dir (used as is); default: build into a temp dir")
    ap.add_argument("--build-native", metavar="DIR",
                    help="existing samples/linux-direct build dir (board qemu_pseries, used as is); "
                         "default: build into a temp dir")
    ap.add_argument("--warmup", type=int, default=1, metavar="N",
                    help="rounds of boots (each candidate once) before the measured runs, "
                         "not counted (default 1)")
    ap.add_argument("--smp", type=int, help="override -smp from qemu.json (all candidates)")
    ap.add_argument("--mem", help="override -m from qemu.json (all candidates), e.g. 1G; "
                                  f"default with {MANY_CPUS} or more vCPUs: {MANY_CPUS_MEM}")
    ap.add_argument("--with-slof", action="store_true",
                    help="add slof to the candidates (-machine pseries, x-vof off); ~9 s per boot")
    ap.add_argument("--markdown", metavar="FILE", help="also write the results as a markdown section")
    ap.add_argument("--baseline-native", metavar="FILE",
                    help="firmware.bin of samples/linux-direct from an earlier commit, booted "
                         "interleaved with vofkit-native and its flags (before/after)")
    ap.add_argument("--baseline-forward", metavar="FILE",
                    help="firmware.bin of samples/forward from an earlier commit, as above")
    args = ap.parse_args()
    if args.runs < 5:
        ap.error("--runs must be at least 5")
    if args.smp is not None and args.smp < 1:
        ap.error("--smp must be at least 1")
    if args.warmup < 0:
        ap.error("--warmup must not be negative")
    names = parse_candidates(ap, args)
    # Default SIGTERM/SIGHUP would end Python without running `finally`, leaving QEMU behind.
    vofkit_qemu.raise_on_termination_signals()

    cache = cache_dir()
    kernel = os.path.join(cache, "guests", "vmlinux")
    try:
        if not os.path.isfile(kernel):
            raise SetupError(f"{kernel} not found; run scripts/setup.sh first")
        with tempfile.TemporaryDirectory(prefix="vofkit-bench-") as tmp:
            boards = {}
            given = {"vofkit-forward": args.build, "vofkit-native": args.build_native}
            for name, (sample, board) in VOFKIT.items():
                if name not in names:
                    continue
                if given[name]:
                    build_dir = os.path.abspath(given[name])
                else:
                    build_dir = os.path.join(tmp, f"build-{sample}")
                    build_firmware(sample, board, build_dir)
                boards[name] = load_board(build_dir)
                if boards[name].get("board", board) != board:
                    log(f"boot_time: warning: {build_dir} is a build for board "
                        f"{boards[name]['board']}, not {board}")
            initrd = os.path.join(tmp, "initrd.cpio.gz")
            run_checked(["bash", os.path.join(REPO, "tests", "guests", "mkinitramfs.sh"), initrd],
                        "mkinitramfs")
            cands = make_candidates(names, boards, args, kernel, initrd)
            rc = bench(cands, args, tmp, kernel, cache)
    except SetupError as e:
        log(f"boot_time: error: {e}")
        return 2
    except KeyboardInterrupt:
        log("boot_time: interrupted; QEMU killed")
        return 130
    except vofkit_qemu.Terminated as e:
        log(f"boot_time: terminated by signal {e.signum}; QEMU killed")
        return 128 + e.signum
    return rc


def bench(cands, args, tmp, kernel, cache):
    print("Command lines:")
    for c in cands:
        print(f"  {c['name']}: {shlex.join(c['cmd'])}")
    print(flush=True)

    k = len(cands)
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = vofkit_qemu.load_average()
    log(f"boot_time: load average before: {load_before}")
    # Warm-up: the first boot of a set tends to be the slowest (page cache of QEMU, kernel,
    # fresh initramfs and firmware); without this, it would always hit the first candidate.
    for i in range(args.warmup):
        for c in cands:
            c["warmup"].append(run_logged(c["cmd"], tmp, f"{c['name']}-warmup{i}", c["timeout"],
                                          f"[warm-up {i + 1}/{args.warmup}, not counted] {c['name']}"))
    for i in range(args.runs):
        order = [cands[(i + j) % k] for j in range(k)]  # rotate who goes first
        for c in order:
            c["runs"].append(run_logged(c["cmd"], tmp, f"{c['name']}-{i}", c["timeout"],
                                        f"[run {i + 1}/{args.runs}] {c['name']}"))
    load_after = vofkit_qemu.load_average()

    ratios = summarize(cands)
    header, rows = table_rows(cands)
    print(text_table(header, rows))
    print()
    for label, r in ratios:
        print(f"{label} = {fmt(r, 3)}")
    print(f"load average (1/5/15 min): before {load_before}, after {load_after}")
    failed = sum(len(c["runs"]) - c["ok"] for c in cands)
    failed_warmup = sum(not r["ok"] for c in cands for r in c["warmup"])
    if failed:
        print(f"\n{failed} run(s) failed")
    if failed_warmup:
        print(f"\n{failed_warmup} warm-up boot(s) failed")

    if args.markdown:
        write_markdown(args.markdown, cands, ratios, started, args, kernel, cache,
                       (load_before, load_after))
        log(f"boot_time: wrote {args.markdown}")
    return 1 if failed or failed_warmup else 0


def write_markdown(path, cands, ratios, started, args, kernel, cache, loads):
    host = host_info()
    qemu = cands[0]["cmd"][0]
    try:
        qver = subprocess.run([qemu, "--version"], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                              check=True).stdout.decode().splitlines()[0].strip()
    except (OSError, subprocess.CalledProcessError, IndexError):
        qver = "unknown"
    try:
        with open(os.path.join(cache, "guests", "vmlinux.version"), encoding="utf-8") as f:
            kver = f.read().strip()
    except OSError:
        kver = "unknown"
    header, rows = table_rows(cands)
    pheader, prows = per_run_rows(cands, args.runs)
    timeouts = sorted({c["timeout"] for c in cands})
    out = [
        f"## Boot-time benchmark, {started.strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        f"- Command: `{shlex.join([os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:])}`",
        f"- Host: {host['nproc']} CPU(s), {host['cpu']} ({platform.machine()}, Linux {platform.release()})",
        f"- Load average (1/5/15 min): {loads[0]} before the first boot, {loads[1]} after the last",
        f"- QEMU: {qver}",
        f"- Guest kernel: Debian ppc64el package version {kver}; busybox initramfs from tests/guests/mkinitramfs.sh",
        f"- Runs: {args.runs} per candidate, interleaved with rotating order, after {args.warmup} "
        "warm-up round(s) that are not counted; timeout "
        + " / ".join(f"{t:.0f}" for t in timeouts) + " s per run",
        "- Metric: wall time from QEMU process start until the guest prints `VOFKIT-INIT-REACHED` "
        "(\"to exit\": until QEMU exits after the guest powers off)",
        "",
        "Command lines (temporary paths as used in this run):",
        "",
        "```",
    ]
    out += [f"# {c['name']}\n{shlex.join(c['cmd'])}" for c in cands]
    out += ["```", "", md_table(header, rows), ""]
    out += [f"- {label} = **{fmt(r, 3)}**" for label, r in ratios]
    out += ["", "Per-run time to marker:", "", md_table(pheader, prows), ""]
    if args.warmup:
        out += ["Warm-up boots (not counted), time to marker: "
                + "; ".join(f"{c['name']} "
                            + ", ".join(fmt(r["marker_s"]) + " s" if r["ok"] else "FAILED"
                                        for r in c["warmup"])
                            for c in cands), ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    sys.exit(main())
