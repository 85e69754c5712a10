#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Benchmark: TFTP throughput of a network boot over QEMU's user networking, SLOF vs vofkit, on spapr-vlan and virtio-net.
"""Load one file (default: Debian's 45 MB vmlinux from the cache) over TFTP from
QEMU's user networking (slirp, `restrict=on`, `tftp=DIR,bootfile=FILE`) with
each firmware, interleaved, on each NIC model, and report medians.

The measure is firmware-neutral: every run records the NIC's traffic with
QEMU's `filter-dump` object (a pcap file) and the time is taken from it, from
the first to the last DATA packet of the first TFTP transfer of the file
(`filter-dump` stamps packets with QEMU's virtual clock, which under TCG runs
with the host's clock while the guest runs).  The same pcap splits every block's
round trip in two (the floor, (c) below):

  - firmware part: from a DATA packet leaving slirp to the ACK for it leaving the
    guest's NIC: QEMU's NIC model delivering the frame, the firmware noticing it
    (polling), its IP/UDP/TFTP work and copy, and its send hypercall or doorbell;
  - slirp part: from that ACK to the next DATA: slirp reading the next block.

A run ends (QEMU is quit with Ctrl-a x on its console, -nographic) once the
firmware has printed what follows a transfer: SLOF "TFTP: Received" (it then
refuses Debian's vmlinux, "E3403: Bad executable", whose ELF virtual and
physical addresses differ; the transfer is complete by then), vofkit a boot
line.  Neither firmware's own bytes/s line is used, though vofkit's is shown.

Sets: one per NIC model.  Each set has --warmup rounds (not counted) and then
--runs interleaved rounds (the order of the firmwares alternates); the host's
load average is recorded before and after each set.

--pxe (b) instead boots vofkit over PXELINUX (pxelinux.cfg/default naming the
vmlinux and the test initramfs) and measures the wall time to the guest's
`VOFKIT-GUEST: init started`, interleaved with the same kernel and initramfs
given with -kernel/-initrd.  It needs a vofkit with network boot (CONFIG_BOOT_FROM_NET).

Reports numbers, does not assert them (issue 10: vofkit >= 1.5 x SLOF's throughput).
"""

import argparse
import os
import platform
import re
import shlex
import statistics
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boot_time  # noqa: E402  (shared build helpers)
import vofkit_qemu  # noqa: E402  (boot_time put scripts/lib on the path; builds the QEMU command)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SLOF = "/usr/share/qemu/slof.bin"
NIC_MODELS = {"spapr-vlan": "spapr-vlan", "virtio-net": "virtio-net-pci"}
FIRMWARES = ("slof", "vofkit")
# What each firmware prints once a transfer is over (or has failed): the run
# stops there.  vofkit: network boot's throughput line for the file, the start
# of a client (Linux's prom_init), the boot loop's end and a crash report.
STOP_AFTER = {
    "slof": r"TFTP: Received|E3[0-9][0-9][0-9]|\n0 > ",
    "vofkit": r"vofkit: boot: [^\n]* bytes in [0-9.]+ s[^\n]*\n|Preparing to boot Linux|"
              r"vofkit: nothing to boot|vofkit: exception 0x",
}
QUIT = "\x01x"          # Ctrl-a x: QEMU's -nographic console quits QEMU
TIMEOUT_S = 180.0
TFTP_PORT = 69
OP_RRQ, OP_DATA, OP_ACK = 1, 3, 4
PXE_MARKER = "VOFKIT-GUEST: init started"
STALL_S = 0.001


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- pcap

def pcap_packets(path):
    """(seconds, frame bytes) for every record of a classic pcap file."""
    with open(path, "rb") as f:
        head = f.read(24)
        if len(head) < 24:
            return
        magic = struct.unpack("<I", head[:4])[0]
        endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
        nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, frac, incl, _orig = struct.unpack(endian + "IIII", rec)
            yield sec + frac / (1e9 if nano else 1e6), f.read(incl)


def tftp_events(path):
    """(seconds, opcode, block number or None, payload length, raw TFTP bytes) of the
    IPv4/UDP packets to or from port 69 (slirp answers from port 69 itself)."""
    for t, p in pcap_packets(path):
        if len(p) < 14 + 20 + 8 + 2 or p[12:14] != b"\x08\x00" or p[23] != 17:
            continue
        u = 14 + (p[14] & 15) * 4
        sport, dport = struct.unpack(">HH", p[u:u + 4])
        if TFTP_PORT not in (sport, dport):
            continue
        d = p[u + 8:]
        op = struct.unpack(">H", d[:2])[0]
        block = struct.unpack(">H", d[2:4])[0] if op in (OP_DATA, OP_ACK) and len(d) >= 4 else None
        yield t, op, block, len(d) - 4, d


def analyse_transfer(path, size):
    """The first TFTP transfer of `size` bytes in the pcap: a dict with bytes, seconds
    (first to last DATA), MB/s, blocks, blksize and the median firmware and slirp parts
    of a block's round trip (microseconds); or {"error": why}."""
    sessions = []
    for ev in tftp_events(path):
        if ev[1] == OP_RRQ:
            sessions.append([])
        if sessions:
            sessions[-1].append(ev)
    if not sessions:
        return {"error": "no TFTP read request in the capture"}
    for s in sessions:
        data = [(t, b, n) for t, op, b, n, _ in s if op == OP_DATA]
        # A block sent again (the same number as the DATA before it) counts once; block
        # numbers may wrap past 65535, so they are not used as keys.
        total, blocks, prev = 0, 0, None
        for _, b, n in data:
            if b != prev:
                total += n
                blocks += 1
            prev = b
        if not data or total < size:
            continue
        firmware, slirp = [], []
        seq = [(t, op) for t, op, b, n, _ in s if op in (OP_DATA, OP_ACK)]
        for (t0, a), (t1, b) in zip(seq, seq[1:]):
            if a == OP_DATA and b == OP_ACK:
                firmware.append(t1 - t0)
            elif a == OP_ACK and b == OP_DATA:
                slirp.append(t1 - t0)
        secs = data[-1][0] - data[0][0]
        return {
            "bytes": total, "seconds": secs, "mbps": total / secs / 1e6 if secs > 0 else None,
            "blocks": blocks, "blksize": max(n for _, _, n in data),
            "resent": len(data) - blocks,
            "fw_us": statistics.median(firmware) * 1e6 if firmware else None,
            "slirp_us": statistics.median(slirp) * 1e6 if slirp else None,
            "fw_mean_us": statistics.mean(firmware) * 1e6 if firmware else None,
            "slirp_mean_us": statistics.mean(slirp) * 1e6 if slirp else None,
            # gaps of a millisecond or more: what the medians do not show
            "stalls": sum(1 for g in firmware + slirp if g >= STALL_S),
            "stall_s": sum(g for g in firmware + slirp if g >= STALL_S),
        }
    best = max(sum(n for _, op, _, n, _ in s if op == OP_DATA) for s in sessions)
    return {"error": "no complete transfer (at most %d of %d bytes)" % (best, size)}


# ---------------------------------------------------------------- runs

def tftp_run(cmd, stop, pcap, size, timeout_s):
    """One transfer: QEMU runs until `stop` shows on the console (then Ctrl-a x quits it)
    or the timeout; the pcap holds the numbers."""
    if os.path.exists(pcap):
        os.unlink(pcap)
    r = vofkit_qemu.run(cmd, timeout_s, send_after=[(stop, QUIT)])
    res = {"ok": False, "wall_s": r.elapsed_s, "stopped_by": r.log.strip().splitlines()[-1:]}
    if not os.path.exists(pcap):
        res["reason"] = "no capture (QEMU %s)" % r.describe()
    else:
        a = analyse_transfer(pcap, size)
        os.unlink(pcap)
        res.update(a)
        if "error" in a:
            res["reason"] = a["error"]
        else:
            res["ok"] = True
    m = re.search(r"vofkit: boot: [^\n]* bytes in [0-9.]+ s[^\n]*", r.log)
    res["console"] = m.group(0).strip() if m else None
    if not res["ok"]:
        res["detail"] = r.log[-1500:]
    return res


def median_of(runs, key):
    vals = [r[key] for r in runs if r["ok"] and r.get(key) is not None]
    return statistics.median(vals) if vals else None


def fmt(v, digits=2):
    return "n/a" if v is None else "%.*f" % (digits, v)


def tftp_bench(args, cfg, tmp, out):
    src = os.path.abspath(args.file)
    size = os.path.getsize(src)
    tftp_dir = os.path.join(tmp, "tftp")
    os.makedirs(tftp_dir, exist_ok=True)
    name = os.path.basename(src)
    link = os.path.join(tftp_dir, name)
    if not os.path.exists(link):
        os.symlink(src, link)
    machine = boot_time.machine_without_vof(vofkit_qemu.get_flag(cfg["flags"], "-machine")
                                            or "pseries")
    out += ["## TFTP throughput: %s (%d bytes) over slirp, %s" % (
                name, size, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())),
            "",
            "- Host: %d CPUs, %s, %s; QEMU %s" % (
                os.cpu_count(), platform.machine(), boot_time.host_info()["cpu"],
                subprocess.run([cfg["qemu"], "--version"], stdout=subprocess.PIPE,
                               text=True).stdout.splitlines()[0].split("version ")[-1]),
            "- Metric: first to last TFTP DATA packet of the first whole transfer, from "
            "QEMU's `filter-dump` pcap; firmware part = DATA to its ACK, slirp part = ACK to "
            "the next DATA (medians over the transfer's blocks, then the median over runs); "
            "%d interleaved runs per firmware after %d warm-up round(s)" % (args.runs, args.warmup),
            ""]
    summary = []
    for nic in args.nics:
        cands = []
        for fw in args.firmwares:
            pcap = os.path.join(tmp, "%s-%s.pcap" % (fw, nic))
            spec = "%s,bootindex=1;user,restrict=on,tftp=%s,bootfile=%s,pcap=%s" % (
                NIC_MODELS[nic], tftp_dir, name, pcap)
            # strict: only the NIC is tried (SLOF would otherwise load the file a second
            # time from its default "disk cdrom net" list).
            cmd = vofkit_qemu.command(cfg, firmware=SLOF if fw == "slof" else None,
                                      machine=machine if fw == "slof" else None,
                                      console=vofkit_qemu.CONSOLE_NOGRAPHIC, nics=[spec],
                                      extra=["-boot", "strict=on"])
            cands.append({"fw": fw, "cmd": cmd, "pcap": pcap, "runs": [], "warmup": []})
        load_before = vofkit_qemu.load_average()
        for i in range(args.warmup + args.runs):
            warm = i < args.warmup
            k = i - args.warmup
            order = cands if warm else cands[k % 2:] + cands[:k % 2]
            for c in order:
                r = tftp_run(c["cmd"], STOP_AFTER[c["fw"]], c["pcap"], size, args.timeout)
                (c["warmup"] if warm else c["runs"]).append(r)
                log("[%s %s %s] %s: %s" % (
                    nic, "warm-up" if warm else "run %d/%d" % (k + 1, args.runs),
                    c["fw"], "%.2f MB/s, %.3f s, firmware %.1f/%.1f us, slirp %.1f/%.1f us "
                    "(median/mean), %d gaps >= 1 ms (%.3f s), blksize %d" % (
                        r["mbps"], r["seconds"], r["fw_us"], r["fw_mean_us"], r["slirp_us"],
                        r["slirp_mean_us"], r["stalls"], r["stall_s"], r["blksize"])
                    if r["ok"] else "FAILED: " + r["reason"],
                    r["console"] or ""))
                if not r["ok"]:
                    log(r["detail"])
        load_after = vofkit_qemu.load_average()
        out += ["### %s (`-device %s`)" % (nic, NIC_MODELS[nic]), "",
                "Load average (1/5/15 min) before: %s; after: %s" % (load_before, load_after),
                "", "```"]
        for c in cands:
            out += ["# " + c["fw"], shlex.join(c["cmd"])]
        out += ["```", "",
                "| firmware | OK runs | median MB/s | min | max | median s | blksize | "
                "firmware part µs/block (median, mean) | slirp part µs/block (median, mean) | "
                "gaps >= 1 ms (count, s) |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for c in cands:
            ok = [r["mbps"] for r in c["runs"] if r["ok"]]
            c["median"] = median_of(c["runs"], "mbps")
            out.append("| %s | %d/%d | %s | %s | %s | %s | %s | %s, %s | %s, %s | %s, %s |" % (
                c["fw"], len(ok), args.runs, fmt(c["median"]),
                fmt(min(ok) if ok else None), fmt(max(ok) if ok else None),
                fmt(median_of(c["runs"], "seconds"), 3),
                fmt(median_of(c["runs"], "blksize"), 0),
                fmt(median_of(c["runs"], "fw_us"), 1), fmt(median_of(c["runs"], "fw_mean_us"), 1),
                fmt(median_of(c["runs"], "slirp_us"), 1),
                fmt(median_of(c["runs"], "slirp_mean_us"), 1),
                fmt(median_of(c["runs"], "stalls"), 0), fmt(median_of(c["runs"], "stall_s"), 3)))
        by = {c["fw"]: c for c in cands}
        if "slof" in by and "vofkit" in by and by["slof"]["median"] and by["vofkit"]["median"]:
            ratio = by["vofkit"]["median"] / by["slof"]["median"]
            out += ["", "- median(vofkit) / median(slof) = **%.2f** (issue 10: >= 1.5)" % ratio]
            summary.append("%s %.2f" % (nic, ratio))
        out += ["", "| run | " + " | ".join("%s MB/s" % c["fw"] for c in cands) + " |",
                "|---|" + "---:|" * len(cands)]
        for i in range(args.runs):
            out.append("| %d | %s |" % (i + 1, " | ".join(
                fmt(c["runs"][i]["mbps"]) if c["runs"][i]["ok"] else "failed" for c in cands)))
        if args.warmup:
            out += ["", "Warm-up (not counted): " + "; ".join(
                "%s %s" % (c["fw"], ", ".join(fmt(r["mbps"]) + " MB/s" if r["ok"] else "FAILED"
                                              for r in c["warmup"])) for c in cands)]
        consoles = [r["console"] for c in cands for r in c["runs"] if r.get("console")]
        if consoles:
            out += ["", "vofkit's own line (first run): `%s`" % consoles[0]]
        out.append("")
    return all(r["ok"] for c in cands for r in c["runs"] + c["warmup"])


def pxe_bench(args, cfg, tmp, out):
    """(b): vofkit boots over PXELINUX to init, against -kernel/-initrd of the same files."""
    cache = boot_time.cache_dir()
    kernel = os.path.join(cache, "guests", "vmlinux")
    tftp_dir = os.path.join(tmp, "pxe")
    os.makedirs(os.path.join(tftp_dir, "pxelinux.cfg"), exist_ok=True)
    initrd = os.path.join(tftp_dir, "initramfs.cpio.gz")
    subprocess.run(["bash", os.path.join(ROOT, "tests/guests/mkinitramfs.sh"), initrd],
                   check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(os.path.join(tftp_dir, "vmlinux")):
        os.symlink(kernel, os.path.join(tftp_dir, "vmlinux"))
    append = "console=hvc0 quiet"
    with open(os.path.join(tftp_dir, "pxelinux.cfg", "default"), "w", encoding="utf-8") as f:
        f.write("DEFAULT linux\nLABEL linux\n  KERNEL vmlinux\n  INITRD initramfs.cpio.gz\n"
                "  APPEND %s\n" % append)
    out += ["## vofkit PXELINUX boot to init, %s" % time.strftime("%Y-%m-%d %H:%M UTC",
                                                                time.gmtime()), ""]
    sets = []
    for nic in args.nics:
        spec = "%s,bootindex=1;user,restrict=on,tftp=%s" % (NIC_MODELS[nic], tftp_dir)
        sets.append(("pxe-" + nic, vofkit_qemu.command(
            cfg, console=vofkit_qemu.CONSOLE_NOGRAPHIC, nics=[spec])))
    sets.append(("kernel-initrd", vofkit_qemu.command(
        cfg, kernel=kernel, initrd=initrd, append=append, console=vofkit_qemu.CONSOLE_NOGRAPHIC)))
    cands = [{"name": n, "cmd": c, "runs": []} for n, c in sets]
    load_before = vofkit_qemu.load_average()
    for i in range(args.warmup + args.runs):
        k = i - args.warmup
        order = cands if k < 0 else cands[k % len(cands):] + cands[:k % len(cands)]
        for c in order:
            r = boot_time.run_logged(c["cmd"], tmp, "%s-%d" % (c["name"], i), args.timeout,
                                     "[%s] %s" % ("warm-up" if k < 0 else "run %d/%d" % (
                                         k + 1, args.runs), c["name"]), PXE_MARKER)
            if k >= 0:
                c["runs"].append(r)
    load_after = vofkit_qemu.load_average()
    out += ["Load average before: %s; after: %s" % (load_before, load_after), "", "```"]
    for c in cands:
        out += ["# " + c["name"], shlex.join(c["cmd"])]
    out += ["```", "", "| boot | OK runs | median to init (s) | min | max |", "|---|---:|---:|---:|---:|"]
    for c in cands:
        ok = [r["marker_s"] for r in c["runs"] if r["ok"]]
        out.append("| %s | %d/%d | %s | %s | %s |" % (
            c["name"], len(ok), args.runs, fmt(statistics.median(ok) if ok else None, 3),
            fmt(min(ok) if ok else None, 3), fmt(max(ok) if ok else None, 3)))
    out.append("")
    return all(r["ok"] for c in cands for r in c["runs"])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1, metavar="N",
                    help="rounds before the measured runs, not counted (default 1)")
    ap.add_argument("--nics", default="spapr-vlan,virtio-net",
                    help="comma-separated NIC models, from %s" % ", ".join(NIC_MODELS))
    ap.add_argument("--firmwares", default="slof,vofkit",
                    help="comma-separated, from %s (default both)" % ", ".join(FIRMWARES))
    ap.add_argument("--file", default=os.path.join(boot_time.cache_dir(), "guests", "vmlinux"),
                    help="the file to load over TFTP (default: the cached Debian vmlinux)")
    ap.add_argument("--pxe", action="store_true",
                    help="(b) vofkit's PXELINUX boot to init instead of the TFTP sets")
    ap.add_argument("--build", help="existing samples/full build for qemu_pseries")
    ap.add_argument("--timeout", type=float, default=TIMEOUT_S)
    ap.add_argument("--markdown", help="also write the results as markdown")
    args = ap.parse_args()
    if args.runs < 5:
        ap.error("--runs must be at least 5")
    args.nics = [n for n in args.nics.split(",") if n]
    args.firmwares = [f for f in args.firmwares.split(",") if f]
    for n in args.nics:
        if n not in NIC_MODELS:
            ap.error("unknown NIC %r (have: %s)" % (n, ", ".join(NIC_MODELS)))
    for f in args.firmwares:
        if f not in FIRMWARES:
            ap.error("unknown firmware %r (have: %s)" % (f, ", ".join(FIRMWARES)))
    if not os.path.isfile(args.file):
        ap.error("%s not found (run scripts/setup.sh)" % args.file)

    vofkit_qemu.raise_on_termination_signals()
    tmp = tempfile.mkdtemp(prefix="vofkit-net-bench-")
    build = args.build or os.path.join(tmp, "build-full")
    if not args.build:
        boot_time.build_firmware("full", "qemu_pseries", build)
    try:
        cfg = vofkit_qemu.load_build(build)
    except vofkit_qemu.RunnerError as e:
        ap.error(str(e))
    out = []
    ok = pxe_bench(args, cfg, tmp, out) if args.pxe else tftp_bench(args, cfg, tmp, out)
    text = "\n".join(out) + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
