#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# IEEE 1275 conformance: the client tests/clients/conformance.elf against vofkit native and forward, QEMU's vof.bin and SLOF.
"""IEEE 1275 client-interface conformance table for QEMU pseries firmware.

Boots tests/clients/conformance.elf (QEMU -kernel) under each firmware and
collects its `CONF: PASS <id>` / `CONF: FAIL <id> ... (<detail>)` lines:

  native   samples/full, board qemu_pseries (-machine pseries, -bios firmware.bin)
  forward  samples/forward, board qemu_pseries_vof (-machine pseries,x-vof=on)
  vof.bin  QEMU's /usr/share/qemu/vof.bin (-machine pseries,x-vof=on)
  slof     QEMU's /usr/share/qemu/slof.bin (-machine pseries)

A firmware that crashes, aborts QEMU or hangs in a check stops the client:
that check is counted as failed ("crash: ..." / "hang: ...") and the client
is booted again with `conf.start=<next index>` in -append, so the run goes
on with the checks after it (at most --max-restarts times per firmware).

    python3 bench/conformance.py                     # all four, table on stdout
    python3 bench/conformance.py --markdown docs/conformance.md
    python3 bench/conformance.py --firmware native --build-native DIR \\
        --client build/tests/clients/conformance.elf --allow-fail p.any,p.cpu

--markdown replaces the part of FILE between the markers
`<!-- conformance-table:begin -->` and `<!-- conformance-table:end -->`
(or writes FILE with the table alone if it has no markers).

Exit status: 0 if every check passed on every firmware run, except the
checks named by --allow-fail; 1 otherwise; 2 on a usage or setup error.
Unless --firmware narrows the run, the peers (vof.bin, slof) are reported
but never make the exit status 1: their failures are the point of the table.
"""

import argparse
import os
import re
import shlex
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts", "lib"))
import vofkit_qemu  # noqa: E402  (builds the QEMU command, runs and kills QEMU)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boot_time  # noqa: E402
from boot_time import SetupError, log, machine_with_vof  # noqa: E402
import ci_cost  # noqa: E402  (firmware and client builds)

QEMU_VOF_BIN = "/usr/share/qemu/vof.bin"
QEMU_SLOF_BIN = "/usr/share/qemu/slof.bin"
FIRMWARES = ("native", "forward", "vof.bin", "slof")
PEERS = ("vof.bin", "slof")
VOFKIT = {
    "native": ("full", "qemu_pseries"),
    "forward": ("forward", "qemu_pseries_vof"),
}
# A whole run takes 2-3 s under vofkit and VOF and about 12 s under SLOF (8 s
# of it SLOF's start); a crashed SLOF sits at its prompt until the timeout.
TIMEOUT_S = {"native": 60.0, "forward": 60.0, "vof.bin": 60.0, "slof": 40.0}

# Not anchored at the line start: a firmware may print before the client's line
# without a newline (SLOF's interpret of an unknown word does).
PLAN_RE = re.compile(r"CONF: PLAN (\d+)[ \t]*$", re.M)
CHECK_RE = re.compile(r"CONF: CHECK (\d+) (\S+) (.*?)[ \t]*$", re.M)
RESULT_RE = re.compile(r"CONF: (PASS|FAIL) (\S+) (.*?)[ \t]*$", re.M)
DONE_RE = re.compile(r"CONF: DONE (\d+) passed, (\d+) failed", re.M)
BANNER_RE = re.compile(r"^vofkit [^\n:]*\(\S+, board \S+\)", re.M)


def base_config(fw, boards):
    """(qemu.json config, firmware image, -machine value or None) for one firmware."""
    if fw in VOFKIT:
        return boards[fw], boards[fw]["firmware"], None
    # The peers take native's board flags (as bench/ci_cost.py), with only -machine changed.
    if "native" in boards:
        base = boards["native"]
    else:
        base = dict(vofkit_qemu.REFERENCE_BOARD)
    machine = vofkit_qemu.get_flag(base["flags"], "-machine") or "pseries"
    if fw == "vof.bin":
        return base, QEMU_VOF_BIN, machine_with_vof(machine)
    parts = [p for p in machine.split(",") if not p.startswith("x-vof=")]
    return base, QEMU_SLOF_BIN, ",".join(parts)


def run_firmware(fw, boards, client, max_restarts, verbose):
    """Run every check on one firmware. Returns (plan, results, runs, banner)."""
    cfg, bios, machine = base_config(fw, boards)
    if not os.path.isfile(bios):
        raise SetupError(f"{fw}: firmware {bios} not found")
    plan = []                     # [(id, what)] in order
    results = {}                  # id -> (PASS|FAIL, detail)
    runs = []                     # [(start index, command, how QEMU ended)]
    banner = None
    start = 0
    while True:
        cmd = vofkit_qemu.command(cfg, firmware=bios, machine=machine, kernel=client,
                                  append=f"conf.start={start}" if start else None)
        r = vofkit_qemu.run(cmd, TIMEOUT_S[fw])
        text = r.log
        if verbose:
            sys.stderr.write(text)
        runs.append((start, cmd, r.describe()))
        b = BANNER_RE.search(text)
        banner = banner or (b.group(0) if b else None)
        if not plan:
            plan = [(m.group(2), m.group(3)) for m in CHECK_RE.finditer(text)]
            pm = PLAN_RE.search(text)
            if not plan or not pm or int(pm.group(1)) != len(plan):
                log(f"conformance: {fw}: the client printed no complete plan; QEMU {r.describe()}")
                log(text[-2000:])
                return plan, results, runs, banner
        what = dict(plan)
        for m in RESULT_RE.finditer(text):
            # FAIL lines are "<id> <what> (<detail>)": the detail is what follows the plan's text.
            rest = m.group(3)
            w = what.get(m.group(2), "")
            detail = ""
            if m.group(1) == "FAIL":
                detail = rest[len(w):].strip() if rest.startswith(w) else rest
                if detail.startswith("(") and detail.endswith(")"):
                    detail = detail[1:-1]
            results[m.group(2)] = (m.group(1), detail)
        log(f"conformance: {fw}: run from check {start}: QEMU {r.describe()} "
            f"after {r.elapsed_s:.1f} s")
        if DONE_RE.search(text):
            break
        # The first check at or after `start` with no result is the one that crashed or hung.
        idx = next((i for i in range(start, len(plan)) if plan[i][0] not in results), None)
        if idx is None:
            break
        how = "hang (timeout)" if r.timed_out else (
            "QEMU exited with status %d" % r.returncode if r.exited else "QEMU killed")
        results[plan[idx][0]] = ("FAIL", "crash/" + how)
        tail = [ln for ln in text.strip().splitlines() if ln.strip()][-3:]
        log(f"conformance: {fw}: {plan[idx][0]}: {how}; last lines: " + " | ".join(tail))
        start = idx + 1
        if start >= len(plan):
            break
        if len(runs) > max_restarts:
            for cid, _ in plan[start:]:
                results.setdefault(cid, ("FAIL", "not run: too many crashes"))
            break
    for cid, _ in plan:
        results.setdefault(cid, ("FAIL", "no result"))
    return plan, results, runs, banner


def cell_text(res):
    status, detail = res
    if status == "PASS":
        return "PASS"
    return f"**FAIL** ({detail})" if detail else "**FAIL**"


def md_escape(s):
    return s.replace("|", "\\|")


def table(fws, plan, by_fw):
    lines = ["| # | check | what | " + " | ".join(fws) + " |",
             "|---:|---|---|" + "---|" * len(fws)]
    for i, (cid, what) in enumerate(plan):
        cells = [md_escape(cell_text(by_fw[fw]["results"].get(cid, ("FAIL", "not in plan"))))
                 for fw in fws]
        lines.append(f"| {i + 1} | `{cid}` | {md_escape(what)} | " + " | ".join(cells) + " |")
    totals = []
    for fw in fws:
        res = by_fw[fw]["results"]
        totals.append(f"**{sum(1 for c, _ in plan if res.get(c, ('',))[0] == 'PASS')}"
                      f" / {len(plan)}**")
    lines.append("| | **passed** | | " + " | ".join(totals) + " |")
    return "\n".join(lines)


def write_markdown(path, fws, plan, by_fw, client):
    if client.startswith(REPO + os.sep):
        where = f"`{os.path.relpath(client, REPO)}`"
    else:
        where = "`conformance.elf` (built from tests/clients in a temporary directory)"
    out = [f"Client {where}, {len(plan)} checks. Firmware:", ""]
    for fw in fws:
        d = by_fw[fw]
        boots = len(d["runs"])
        out.append(f"- {fw}: {d['banner'] or d['bios']}; {boots} boot(s)"
                   + (" (restarted after a crash or hang)" if boots > 1 else ""))
    out += ["", table(fws, plan, by_fw)]
    text = "\n".join(out) + "\n"
    begin, end = "<!-- conformance-table:begin -->", "<!-- conformance-table:end -->"
    try:
        with open(path, encoding="utf-8") as f:
            old = f.read()
    except OSError:
        old = ""
    if begin in old and end in old:
        new = old[:old.index(begin) + len(begin)] + "\n" + text + old[old.index(end):]
    else:
        new = text
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


def main():
    ap = argparse.ArgumentParser(description="IEEE 1275 conformance checks against vofkit and "
                                 "QEMU's vof.bin and SLOF (one QEMU at a time).")
    ap.add_argument("--firmware", default=",".join(FIRMWARES),
                    help="comma-separated subset of " + ", ".join(FIRMWARES))
    ap.add_argument("--build-native", metavar="DIR", help="existing samples/full build for "
                    "qemu_pseries; default: build into a temp dir (also gives the peers' flags)")
    ap.add_argument("--build-forward", metavar="DIR", help="existing samples/forward build for "
                    "qemu_pseries_vof; default: build into a temp dir")
    ap.add_argument("--client", metavar="ELF", help="conformance.elf; default: build it")
    ap.add_argument("--allow-fail", default="", metavar="IDS",
                    help="comma-separated check ids whose failure does not fail the run "
                         "(the documented by-design ones)")
    ap.add_argument("--max-restarts", type=int, default=25,
                    help="boots after a crash or hang per firmware (default 25)")
    ap.add_argument("--markdown", metavar="FILE", help="write the table into FILE")
    ap.add_argument("-v", "--verbose", action="store_true", help="copy the consoles to stderr")
    args = ap.parse_args()
    fws = [f.strip() for f in args.firmware.split(",") if f.strip()]
    for f in fws:
        if f not in FIRMWARES:
            ap.error(f"unknown firmware {f!r}")
    allowed = {x.strip() for x in args.allow_fail.split(",") if x.strip()}
    vofkit_qemu.raise_on_termination_signals()
    try:
        with tempfile.TemporaryDirectory(prefix="vofkit-conformance-") as tmp:
            boards = {}
            given = {"native": args.build_native, "forward": args.build_forward}
            for fw, (sample, board) in VOFKIT.items():
                if fw not in fws and not (fw == "native" and given["native"]):
                    continue
                d = given[fw]
                if not d:
                    d = os.path.join(tmp, f"build-{sample}")
                    ci_cost.build_firmware(sample, board, d)
                boards[fw] = boot_time.load_board(os.path.abspath(d))
            client = os.path.abspath(args.client) if args.client else ci_cost.build_client(
                os.path.join(tmp, "tests"), "conformance_client", "conformance.elf")
            if not os.path.isfile(client):
                raise SetupError(f"client {client} not found")
            return conformance(fws, boards, client, allowed, args)
    except SetupError as e:
        log(f"conformance: error: {e}")
        return 2
    except KeyboardInterrupt:
        log("conformance: interrupted; QEMU killed")
        return 130
    except vofkit_qemu.Terminated as e:
        log(f"conformance: terminated by signal {e.signum}; QEMU killed")
        return 128 + e.signum


def conformance(fws, boards, client, allowed, args):
    by_fw = {}
    plan = []
    for fw in fws:
        p, results, runs, banner = run_firmware(fw, boards, client, args.max_restarts,
                                                args.verbose)
        by_fw[fw] = {"results": results, "runs": runs, "banner": banner,
                     "bios": base_config(fw, boards)[1]}
        if len(p) > len(plan):
            plan = p
    if not plan:
        log("conformance: no firmware ran the client")
        return 1
    print("Command lines:")
    for fw in fws:
        for start, cmd, how in by_fw[fw]["runs"]:
            print(f"  {fw} (from check {start}; QEMU {how}): {shlex.join(cmd)}")
    print()
    print(table(fws, plan, by_fw))
    print()
    bad = 0
    judged = [fw for fw in fws if fw not in PEERS] if any(f not in PEERS for f in fws) else fws
    for fw in fws:
        res = by_fw[fw]["results"]
        failed = [c for c, _ in plan if res.get(c, ("FAIL",))[0] != "PASS"]
        unexpected = [c for c in failed if c not in allowed]
        passed_allowed = sorted(c for c in allowed if res.get(c, ("",))[0] == "PASS")
        print(f"{fw}: {len(plan) - len(failed)} of {len(plan)} passed"
              + (f"; failed: {', '.join(failed)}" if failed else ""))
        if fw in judged:
            if unexpected:
                print(f"{fw}: failed and not in --allow-fail: {', '.join(unexpected)}")
                bad += 1
            if passed_allowed:
                print(f"{fw}: note: allowed to fail but passed: {', '.join(passed_allowed)}")
    if args.markdown:
        write_markdown(args.markdown, fws, plan, by_fw, client)
        log(f"conformance: wrote {args.markdown}")
    print(f"conformance: {'FAILED' if bad else 'OK'} ({len(plan)} checks)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
