#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Benchmark: wall time to init when the guest's own GRUB boots from its disk, vofkit (native) vs SLOF.
"""Boot the same GRUB disk (tests/guests/mkgrubdisk.sh) with vofkit's samples/full
(-bios) and with SLOF (QEMU's default firmware), interleaved, and report the
medians of the time until the guest's init prints its marker.  A warm-up
round (--warmup, default 1: each firmware boots once) comes first and is not
counted, as in bench/boot_time.py.

Reports numbers, does not assert them (issue #4's target: vofkit <= 0.35 x SLOF).

--attach nvme puts the disk on an NVMe controller instead of virtio-blk.  SLOF
has no NVMe driver and cannot boot it, so the comparison is then vofkit on
NVMe against vofkit on virtio-blk with the same disk (the guest's init also
loads Linux's nvme modules and waits for the disk before its marker).
--attach vscsi puts it on an spapr-vscsi adapter (scsi-hd), for both firmwares
(issue 9's target: vofkit <= 0.30 x SLOF).
--attach cdrom boots a grub-mkrescue ISO (tests/guests/mkgrubiso.sh) from
-cdrom (a scsi-cd on spapr-vscsi) with no hard disk, for both firmwares
(issue 9's target: vofkit <= 0.30 x SLOF).
"""

import argparse
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boot_time  # noqa: E402  (shared build and run-and-log helpers)
import vofkit_qemu  # noqa: E402  (boot_time put scripts/lib on the path; builds the QEMU command)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SLOF = "/usr/share/qemu/slof.bin"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1, metavar="N",
                    help="rounds of boots (each firmware once) before the measured runs, "
                         "not counted (default 1)")
    ap.add_argument("--label", choices=["mbr", "gpt"], default="mbr")
    ap.add_argument("--attach", choices=["virtio-blk", "nvme", "virtio-scsi", "vscsi", "cdrom"], default="virtio-blk",
                    help="how the disk is attached (default virtio-blk)")
    ap.add_argument("--to", choices=["marker", "init-start"], default="marker",
                    help="stop the clock at the init's last line (marker: after the guest's "
                         "own driver loading and disk checks) or at its first (init-start: "
                         "the moment Linux runs init, which is what the firmware affects)")
    ap.add_argument("--build", help="existing samples/full build for qemu_pseries")
    ap.add_argument("--markdown", help="also write the results as markdown")
    args = ap.parse_args()
    if args.runs < 5:
        ap.error("--runs must be at least 5")
    if args.warmup < 0:
        ap.error("--warmup must not be negative")

    tmp = tempfile.mkdtemp(prefix="vofkit-grub-bench-")
    build = args.build or os.path.join(tmp, "build-full")
    if not args.build:
        boot_time.build_firmware("full", "qemu_pseries", build)
    if args.attach == "cdrom":
        disk = os.path.join(tmp, "grub.iso")
        subprocess.run(["bash", os.path.join(ROOT, "tests/guests/mkgrubiso.sh"), disk],
                       check=True, stdout=subprocess.DEVNULL)
    else:
        disk = os.path.join(tmp, "grub-%s.img" % args.label)
        subprocess.run(["bash", os.path.join(ROOT, "tests/guests/mkgrubdisk.sh"), disk, args.label],
                       check=True, stdout=subprocess.DEVNULL)

    try:
        cfg = vofkit_qemu.load_build(build)
    except vofkit_qemu.RunnerError as e:
        ap.error(str(e))
    # Both firmwares get the build's board flags (qemu_pseries: -machine pseries, x-vof off)
    # and the same disk; only -bios differs.
    drive = ["-drive", "file=%s,if=none,format=raw,id=d0,readonly=on" % disk]
    if args.attach == "virtio-scsi":    # vofkit against SLOF, both from target 0 LUN 0
        disk_args = drive + ["-device", "virtio-scsi-pci,id=scsi0",
                             "-device", "scsi-hd,bus=scsi0.0,drive=d0,scsi-id=0,lun=0"]
    elif args.attach == "cdrom":        # what a new user types for an installer ISO
        disk_args = ["-cdrom", disk]
    elif args.attach == "vscsi":        # the same on spapr-vscsi (what -hda does)
        disk_args = drive + ["-device", "spapr-vscsi,id=vs0", "-device", "scsi-hd,bus=vs0.0,drive=d0"]
    else:
        disk_args = drive + ["-device", "virtio-blk-pci,drive=d0"]
    machine = vofkit_qemu.get_flag(cfg["flags"], "-machine") or "pseries"
    machine = boot_time.machine_without_vof(machine)
    if args.attach == "nvme":
        nvme_args = drive + ["-device", "nvme,drive=d0,serial=bench0"]
        cands = [
            {"name": "vofkit-full-nvme", "runs": [], "warmup": [],
             "cmd": vofkit_qemu.command(cfg, console=vofkit_qemu.CONSOLE_NOGRAPHIC,
                                        extra=nvme_args)},
            {"name": "vofkit-full-virtio-blk", "runs": [], "warmup": [],
             "cmd": vofkit_qemu.command(cfg, console=vofkit_qemu.CONSOLE_NOGRAPHIC,
                                        extra=disk_args)},
        ]
    else:
        cands = [
            {"name": "vofkit-full", "runs": [], "warmup": [],
             "cmd": vofkit_qemu.command(cfg, console=vofkit_qemu.CONSOLE_NOGRAPHIC,
                                        extra=disk_args)},
            {"name": "slof", "runs": [], "warmup": [],
             "cmd": vofkit_qemu.command(cfg, firmware=SLOF, machine=machine,
                                        console=vofkit_qemu.CONSOLE_NOGRAPHIC, extra=disk_args)},
        ]
    marker = "VOFKIT-GUEST: init started" if args.to == "init-start" else boot_time.MARKER
    load_before = os.getloadavg()
    # Warm-up: the first boot of a set tends to be the slowest (page cache of QEMU, the
    # disk image and the firmware); without it, it would always hit round 1's first firmware.
    for i in range(args.warmup):
        for c in cands:
            c["warmup"].append(boot_time.run_logged(
                c["cmd"], tmp, "%s-warmup%d" % (c["name"], i), 300,
                "[warm-up %d/%d, not counted] %s" % (i + 1, args.warmup, c["name"]), marker))
    for i in range(args.runs):
        order = cands[i % 2:] + cands[:i % 2]
        for c in order:
            c["runs"].append(boot_time.run_logged(c["cmd"], tmp, "%s-%d" % (c["name"], i), 300,
                                                  "[run %d/%d] %s" % (i + 1, args.runs, c["name"]),
                                                  marker))

    lines = []
    for c in cands:
        ok = [r["marker_s"] for r in c["runs"] if r["ok"]]
        c["median"] = sorted(ok)[len(ok) // 2] if ok else None
        lines.append("| %s | %d/%d | %s | %s | %s |" % (
            c["name"], len(ok), args.runs,
            "%.3f" % c["median"] if ok else "-",
            "%.3f" % min(ok) if ok else "-", "%.3f" % max(ok) if ok else "-"))
    ratio = (cands[0]["median"] / cands[1]["median"]
             if cands[0]["median"] and cands[1]["median"] else None)
    what = ("a CD (-cdrom, grub-mkrescue ISO)" if args.attach == "cdrom" else
            "disk (%s, %s)" % (args.label, args.attach))
    out = ["## GRUB from %s%s, %s" % (what, ", to init start" if args.to == "init-start" else "",
                                      time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())),
           "",
           "- Host: %d CPUs, %s; load average before: %.2f" % (os.cpu_count(), platform.machine(),
                                                              load_before[0]),
           ("- Disk: `tests/guests/mkgrubiso.sh ISO` (grub-mkrescue CD: GRUB 2.06 from "
            "\\ppc\\bootinfo.txt, the Debian 6.1 kernel, busybox initramfs, grub.cfg)"
            if args.attach == "cdrom" else
            "- Disk: `tests/guests/mkgrubdisk.sh IMG %s` (GRUB 2.06 core.elf in a PReP partition, "
            "ext2 with the Debian 6.1 kernel, busybox initramfs, grub.cfg)" % args.label),
           "- Metric: wall time from QEMU start to %s; %d interleaved "
           "runs each, after %d warm-up round(s) that are not counted" % (
               "the init's first line (`--to init-start`: Linux runs init)"
               if args.to == "init-start" else
               "the guest's init marker (after its own driver loading and disk checks)",
               args.runs, args.warmup),
           "",
           "```",
           "# " + cands[0]["name"],
           shlex.join(cands[0]["cmd"]),
           "# " + cands[1]["name"],
           shlex.join(cands[1]["cmd"]),
           "```",
           "",
           "| firmware | OK runs | median (s) | min (s) | max (s) |",
           "|---|---:|---:|---:|---:|"] + lines + [
           "",
           "- median(%s) / median(%s) = **%s**" % (cands[0]["name"], cands[1]["name"],
                                                   "%.3f" % ratio if ratio else "n/a"),
           "",
           "| run | %s (s) | %s (s) |" % (cands[0]["name"], cands[1]["name"]),
           "|---|---:|---:|"]
    for i in range(args.runs):
        cells = []
        for c in cands:
            r = c["runs"][i]
            cells.append("%.3f" % r["marker_s"] if r["ok"] else "failed")
        out.append("| %d | %s | %s |" % (i + 1, cells[0], cells[1]))
    if args.warmup:
        out += ["", "Warm-up boots (not counted), time to marker: " + "; ".join(
            "%s %s" % (c["name"], ", ".join("%.3f s" % r["marker_s"] if r["ok"] else "FAILED"
                                            for r in c["warmup"]))
            for c in cands)]
    text = "\n".join(out) + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(text)
    # A failed warm-up boot is a failed boot too.
    return 0 if all(r["ok"] for c in cands for r in c["runs"] + c["warmup"]) else 1


if __name__ == "__main__":
    sys.exit(main())
