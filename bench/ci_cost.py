#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Benchmark: cost in ns per call of CI tree services, vofkit native and forward vs QEMU's vof.bin, at several -smp.
"""CI call-cost benchmark for QEMU pseries firmware.

Boots the OF client tests/clients/ci_cost.elf (QEMU -kernel) under each
firmware at each -smp value, interleaving the runs, and reports the cost of
getprop, getproplen, nextprop, finddevice, child, peer, parent,
package-to-path, instance-to-path and milliseconds in ns per call, as the
client measures it with the timebase. Firmware:

  native   samples/full, board qemu_pseries (-machine pseries, -bios firmware.bin)
  forward  samples/forward, board qemu_pseries_vof (-machine pseries,x-vof=on)
  vof.bin  QEMU's /usr/share/qemu/vof.bin (-machine pseries,x-vof=on)

Targets, reported and never asserted: every vofkit tree service costs at most
2x vof.bin's at the same -smp, and vofkit's cost at the largest -smp is at
most 1.2x its own at the smallest.

Exit status: 0 if every run printed all services and DONE, no FAIL, and QEMU
exited cleanly; 1 if any run failed; 2 on a usage or setup error.
"""

import argparse
import datetime
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "scripts", "lib"))
import vofkit_qemu  # noqa: E402  (builds the QEMU command, runs and kills QEMU)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boot_time  # noqa: E402  (shared set-up helpers)
from boot_time import SetupError, log, machine_with_vof, run_checked  # noqa: E402

# Output names of the client's measurements; finddevice-last-cpu is finddevice of the last CPU node.
SERVICES = ("getprop", "getproplen", "nextprop", "finddevice", "finddevice-last-cpu", "child",
            "peer", "parent", "package-to-path", "instance-to-path", "milliseconds")
# milliseconds is not a tree service: only the -smp target applies to it.
TREE_SERVICES = SERVICES[:-1]
TARGET_VS_VOF = 2.0
TARGET_SMP = 1.2

TIMEOUT_S = 120.0
# TCG starts many vCPUs slowly; the client never starts the secondaries, but
# QEMU still creates them.
TIMEOUT_MANY_CPUS_S = 600.0
MANY_CPUS = 16
MANY_CPUS_MEM = "4G"          # as bench/boot_time.py: room for a real guest's per-CPU memory
QEMU_VOF_BIN = "/usr/share/qemu/vof.bin"

# vofkit firmware: name -> (sample directory, board, option naming its build)
VOFKIT = {
    "native": ("full", "qemu_pseries", "--build-native"),
    "forward": ("forward", "qemu_pseries_vof", "--build-forward"),
}
FIRMWARES = ("native", "forward", "vof.bin")

LINE_RE = re.compile(r"CI-COST: (\S+) (\d+) ns \((\d+) calls")
FAIL_RE = re.compile(r"CI-COST: FAIL [^\r\n]*")
DONE_RE = re.compile(r"CI-COST: DONE (\d+) services, (\d+) failed")
# vofkit's banner names the commit the firmware was built from ("vofkit 150502d (full, board ...)").
BANNER_RE = re.compile(r"^vofkit [^\n:]*\(\S+, board \S+\)", re.M)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# Builds use one job: the benchmark host is small and shared, and these builds are small.
def build_firmware(sample, board, build_dir):
    run_checked(["cmake", "-S", os.path.join(REPO, "samples", sample), "-B", build_dir,
                 "-G", "Ninja", f"-DBOARD={board}"], "cmake configure")
    run_checked(["ninja", "-j1", "-C", build_dir], "ninja build")


def build_client(build_dir, target="ci_cost_client", elf="ci_cost.elf"):
    """Build only one client target of the tests/ project (its compile flags live there)."""
    run_checked(["cmake", "-S", os.path.join(REPO, "tests"), "-B", build_dir, "-G", "Ninja"],
                "cmake configure of tests/")
    run_checked(["ninja", "-j1", "-C", build_dir, target], "ninja " + target)
    return os.path.join(build_dir, "clients", elf)


def load_board(build_dir, board):
    cfg = boot_time.load_board(build_dir)
    if cfg.get("board", board) != board:
        log(f"ci_cost: warning: {build_dir} is a build for board {cfg['board']}, not {board}")
    return cfg


def make_settings(boards, client, args):
    """One setting per (firmware, smp), in table order; commands come from the runner."""
    settings = []
    for fw in FIRMWARES:
        for smp in args.smp:
            if fw == "vof.bin":
                # The same flags as native's board, with only -machine changed (as boot_time.py).
                base = boards["native"]
                machine = machine_with_vof(vofkit_qemu.get_flag(base["flags"], "-machine") or "pseries")
                bios = QEMU_VOF_BIN
            else:
                base = boards[fw]
                machine = None
                bios = base["firmware"]
            mem = args.mem or (MANY_CPUS_MEM if smp >= MANY_CPUS else None)
            cmd = vofkit_qemu.command(base, firmware=bios, machine=machine, mem=mem, smp=smp,
                                      kernel=client,
                                      append=f"ci_cost.calls={args.calls}" if args.calls else None,
                                      console=vofkit_qemu.CONSOLE_NOGRAPHIC)
            if not os.path.isfile(bios):
                raise SetupError(f"{fw}: firmware {bios} not found")
            settings.append({"fw": fw, "smp": smp, "label": f"{fw} smp{smp}", "cmd": cmd,
                             "bios": bios,
                             "timeout": TIMEOUT_MANY_CPUS_S if smp >= MANY_CPUS else TIMEOUT_S,
                             "runs": [], "warmup": []})
    return settings


def one_run(cmd, timeout_s):
    """Boot the client once. Returns a dict: ok, ns {service: ns}, calls, load, wall_s, reason."""
    load = vofkit_qemu.load_average()
    reason = None
    r = vofkit_qemu.run(cmd, timeout_s)
    if r.timed_out:
        reason = f"timeout after {timeout_s:.0f} s"
    wall = r.elapsed_s
    text = r.log
    ns, calls = {}, {}
    for m in LINE_RE.finditer(text):
        if m.group(1) in SERVICES:
            ns[m.group(1)] = int(m.group(2))
            calls[m.group(1)] = int(m.group(3))
    fails = FAIL_RE.findall(text)
    done = DONE_RE.search(text)
    if reason is None and fails:
        reason = fails[0]
    if reason is None and not done:
        reason = "no CI-COST: DONE line"
    missing = [s for s in SERVICES if s not in ns]
    if reason is None and missing:
        reason = "no time for " + ", ".join(missing)
    if reason is None and not (r.exited and r.returncode == 0):
        reason = "QEMU " + r.describe()
    banner = BANNER_RE.search(text)
    res = {"ok": reason is None, "ns": ns, "calls": sorted(set(calls.values())), "load": load,
           "wall_s": wall, "reason": reason, "banner": banner.group(0) if banner else None}
    if reason is not None:
        res["detail"] = "--- last output ---\n" + text[-3000:]
    return res


def run_logged(s, label):
    r = one_run(s["cmd"], s["timeout"])
    if r["ok"]:
        status = (f"{r['wall_s']:.2f} s, load {r['load']}: "
                  + " ".join(f"{k}={r['ns'][k]}" for k in SERVICES))
    else:
        status = f"FAILED: {r['reason']}"
    log(f"{label}: {status}")
    if not r["ok"]:
        log(r["detail"])
    return r


def median_ns(s, svc):
    vals = [r["ns"][svc] for r in s["runs"] if r["ok"]]
    return statistics.median(vals) if vals else None


def fmt_ns(v):
    return "n/a" if v is None else f"{v:.0f}"


def fmt_ratio(v):
    return "n/a" if v is None else f"{v:.2f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def verdicts(by, fw, svc, smps):
    """(ratios to vof.bin per smp, smp ratio, PASS/MISS text) for one vofkit firmware and service."""
    vs_vof = [ratio(median_ns(by[(fw, n)], svc), median_ns(by[("vof.bin", n)], svc)) for n in smps]
    lo, hi = min(smps), max(smps)
    smp_r = ratio(median_ns(by[(fw, hi)], svc), median_ns(by[(fw, lo)], svc)) if hi != lo else None
    misses = []
    if svc in TREE_SERVICES:
        for n, r in zip(smps, vs_vof):
            if r is None:
                misses.append(f"no data smp{n}")
            elif r > TARGET_VS_VOF:
                misses.append(f"{r:.2f}x vof.bin smp{n}")
    if hi != lo:
        if smp_r is None:
            misses.append("no smp data")
        elif smp_r > TARGET_SMP:
            misses.append(f"smp{hi}/smp{lo} {smp_r:.2f}x")
    return vs_vof, smp_r, ("PASS" if not misses else "MISS (" + "; ".join(misses) + ")")


def summary_table(by, settings, smps, fw):
    """Markdown table: every setting's median, then `fw`'s ratios and verdict."""
    lo, hi = min(smps), max(smps)
    header = ["service"] + [f"{s['label']} (ns)" for s in settings]
    header += [f"{fw}/vof.bin smp{n}" for n in smps]
    if hi != lo:
        header.append(f"{fw} smp{hi}/smp{lo}")
    header.append(f"{fw} targets")
    rows = []
    for svc in SERVICES:
        row = [svc] + [fmt_ns(median_ns(s, svc)) for s in settings]
        vs_vof, smp_r, verdict = verdicts(by, fw, svc, smps)
        row += [fmt_ratio(r) for r in vs_vof]
        if hi != lo:
            row.append(fmt_ratio(smp_r))
        row.append(verdict)
        rows.append(row)
    return header, rows


def ratio_table(by, smps, fw):
    """Ratios and verdicts only (for the firmware not in the main table)."""
    lo, hi = min(smps), max(smps)
    header = ["service"] + [f"{fw}/vof.bin smp{n}" for n in smps]
    if hi != lo:
        header.append(f"{fw} smp{hi}/smp{lo}")
    header.append(f"{fw} targets")
    rows = []
    for svc in SERVICES:
        vs_vof, smp_r, verdict = verdicts(by, fw, svc, smps)
        row = [svc] + [fmt_ratio(r) for r in vs_vof]
        if hi != lo:
            row.append(fmt_ratio(smp_r))
        rows.append(row + [verdict])
    return header, rows


def per_run_table(settings, rounds):
    header = ["round", "firmware", "load before (1/5/15)"] + list(SERVICES)
    rows = []
    for i in range(rounds):
        for s in settings:
            r = s["runs"][i]
            if r["ok"]:
                rows.append([str(i + 1), s["label"], r["load"]] + [str(r["ns"][k]) for k in SERVICES])
            else:
                rows.append([str(i + 1), s["label"], r["load"], f"FAILED ({r['reason']})"]
                            + [""] * (len(SERVICES) - 1))
    return header, rows


# Columns holding text rather than numbers are left-aligned.
TEXT_COLUMNS = ("service", "round", "firmware", "load before (1/5/15)", "native targets",
                "forward targets")


def md_table(header, rows):
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if h in TEXT_COLUMNS else "---:" for h in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def parse_smp(ap, text):
    try:
        vals = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        ap.error(f"--smp {text!r}: expected comma-separated numbers")
    if not vals or any(v < 1 for v in vals):
        ap.error("--smp needs at least one value, each at least 1")
    return list(dict.fromkeys(vals))


def main():
    ap = argparse.ArgumentParser(
        description="Cost in ns per call of CI services: vofkit native and forward vs QEMU's "
                    "vof.bin at several -smp. Reports numbers; does not assert them.")
    ap.add_argument("--build-native", metavar="DIR",
                    help="existing samples/full build for board qemu_pseries (firmware.bin, "
                         "qemu.json; used as is); default: build into a temp dir")
    ap.add_argument("--build-forward", metavar="DIR",
                    help="existing samples/forward build for board qemu_pseries_vof (used as is); "
                         "default: build into a temp dir")
    ap.add_argument("--client", metavar="ELF",
                    help="the client, e.g. build/tests/clients/ci_cost.elf; default: build it "
                         "from tests/ into a temp dir")
    ap.add_argument("--rounds", type=int, default=3,
                    help="measured boots per firmware and -smp, interleaved (default 3)")
    ap.add_argument("--warmup", type=int, default=1, metavar="N",
                    help="rounds before the measured ones, not counted (default 1)")
    ap.add_argument("--smp", default="1,64", metavar="LIST",
                    help="comma-separated -smp values (default 1,64)")
    ap.add_argument("--mem", help=f"-m for every run; default: the board's, or {MANY_CPUS_MEM} "
                                  f"with {MANY_CPUS} or more vCPUs")
    ap.add_argument("--calls", type=int,
                    help="calls per service (-append ci_cost.calls=N; default: the client's 2000)")
    ap.add_argument("--markdown", metavar="FILE", help="also write the results as a markdown section")
    args = ap.parse_args()
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    if args.warmup < 0:
        ap.error("--warmup must not be negative")
    if args.calls is not None and args.calls < 5:
        ap.error("--calls must be at least 5")
    args.smp = parse_smp(ap, args.smp)
    vofkit_qemu.raise_on_termination_signals()
    try:
        with tempfile.TemporaryDirectory(prefix="vofkit-ci-cost-") as tmp:
            boards = {}
            given = {"native": args.build_native, "forward": args.build_forward}
            for fw, (sample, board, _opt) in VOFKIT.items():
                if given[fw]:
                    build_dir = os.path.abspath(given[fw])
                else:
                    build_dir = os.path.join(tmp, f"build-{sample}")
                    build_firmware(sample, board, build_dir)
                boards[fw] = load_board(build_dir, board)
            client = os.path.abspath(args.client) if args.client else build_client(
                os.path.join(tmp, "tests"))
            if not os.path.isfile(client):
                raise SetupError(f"client {client} not found")
            settings = make_settings(boards, client, args)
            return bench(settings, args, client)
    except SetupError as e:
        log(f"ci_cost: error: {e}")
        return 2
    except KeyboardInterrupt:
        log("ci_cost: interrupted; QEMU killed")
        return 130
    except vofkit_qemu.Terminated as e:
        log(f"ci_cost: terminated by signal {e.signum}; QEMU killed")
        return 128 + e.signum


def bench(settings, args, client):
    print("Command lines:")
    for s in settings:
        print(f"  {s['label']}: {shlex.join(s['cmd'])}")
    print(flush=True)
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = vofkit_qemu.load_average()
    log(f"ci_cost: load average before: {load_before}")
    k = len(settings)
    for i in range(args.warmup):
        for s in settings:
            s["warmup"].append(run_logged(s, f"[warm-up {i + 1}/{args.warmup}, not counted] "
                                             f"{s['label']}"))
    for i in range(args.rounds):
        for s in [settings[(i + j) % k] for j in range(k)]:   # rotate who goes first
            s["runs"].append(run_logged(s, f"[round {i + 1}/{args.rounds}] {s['label']}"))
    load_after = vofkit_qemu.load_average()

    by = {(s["fw"], s["smp"]): s for s in settings}
    header, rows = summary_table(by, settings, args.smp, "native")
    fheader, frows = ratio_table(by, args.smp, "forward")
    pheader, prows = per_run_table(settings, args.rounds)
    calls = sorted({c for s in settings for r in s["runs"] if r["ok"] for c in r["calls"]})
    notes = [
        f"Median of {args.rounds} round(s) per cell, ns per call; calls per service per run: "
        + (", ".join(map(str, calls)) or "n/a"),
        "firmware: " + "; ".join(banners(settings)),
        f"load average (1/5/15 min): before {load_before}, after {load_after}",
    ]
    print(md_table(header, rows))
    print()
    print(md_table(fheader, frows))
    print()
    print("Every run (ns per call):")
    print()
    print(md_table(pheader, prows))
    print()
    for n in notes:
        print(n)
    failed = sum(not r["ok"] for s in settings for r in s["runs"])
    failed_warmup = sum(not r["ok"] for s in settings for r in s["warmup"])
    if failed:
        print(f"\n{failed} run(s) failed")
    if failed_warmup:
        print(f"\n{failed_warmup} warm-up run(s) failed")
    if args.markdown:
        write_markdown(args.markdown, settings, args, client, started, (load_before, load_after),
                       (header, rows), (fheader, frows), (pheader, prows), calls)
        log(f"ci_cost: wrote {args.markdown}")
    return 1 if failed or failed_warmup else 0


def banners(settings):
    """What each firmware says it is: vofkit's banner line, or the file for vof.bin."""
    out = {}
    for s in settings:
        b = next((r["banner"] for r in s["runs"] + s["warmup"] if r.get("banner")), None)
        out.setdefault(s["fw"], b or f"{s['bios']} ({os.path.getsize(s['bios'])} bytes)")
    return [f"{fw}: {b}" for fw, b in out.items()]


def write_markdown(path, settings, args, client, started, loads, main_t, fwd_t, runs_t, calls):
    try:
        qver = subprocess.run([settings[0]["cmd"][0], "--version"], stdout=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, check=True).stdout.decode().splitlines()[0]
    except (OSError, subprocess.CalledProcessError, IndexError):
        qver = "unknown"
    try:
        rev = subprocess.run(["git", "-C", REPO, "describe", "--always", "--dirty"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL, check=True).stdout.decode().strip()
    except (OSError, subprocess.CalledProcessError):
        rev = "unknown"
    nproc = os.cpu_count() or "unknown"
    out = [
        f"### CI call cost, {started.strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        f"- Command: `{shlex.join([os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:])}`",
        f"- Firmware: {'; '.join(f'`{b}`' for b in banners(settings))}",
        f"- Benchmark tree: {rev}; client "
        f"{os.path.relpath(client, REPO) if client.startswith(REPO) else client}",
        f"- Host: {nproc} CPU(s), {platform.machine()}, Linux {platform.release()}; {qver.strip()}",
        f"- Load average (1/5/15 min): {loads[0]} before the first run, {loads[1]} after the last",
        f"- {args.rounds} measured round(s) after {args.warmup} warm-up round(s), every firmware "
        "and -smp once per round in rotating order; each cell is the median over the rounds. "
        f"Calls per service per run: {', '.join(map(str, calls)) or 'n/a'} (plus 100 warm-up "
        "calls), in 5 batches; the client reports the median batch",
        f"- Targets (reported, not asserted): tree services <= {TARGET_VS_VOF}x vof.bin at the "
        "same -smp" + (f"; smp{max(args.smp)} <= {TARGET_SMP}x smp{min(args.smp)}"
                       if len(args.smp) > 1 else ""),
        "",
        "Command lines (temporary paths as used in this run):",
        "",
        "```",
    ]
    out += [f"# {s['label']}\n{shlex.join(s['cmd'])}" for s in settings]
    out += ["```", "", md_table(*main_t), "", "vofkit forward against the same targets:", "",
            md_table(*fwd_t), "", "Every run (ns per call):", "", md_table(*runs_t), ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    sys.exit(main())
