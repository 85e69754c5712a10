#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Run QEMU for a vofkit build (the `run` and `debugserver` targets) from its qemu.json.
"""Start QEMU with the board's flags, the firmware and the optional client.

The console is this terminal (-nographic: serial and monitor multiplexed;
Ctrl-a x quits, Ctrl-a c switches to the monitor).  QEMU_EXTRA_FLAGS from
the environment is appended last.  --print shows the command instead.
"""

import argparse
import json
import os
import shlex
import sys


def qemu_command(cfg, debugserver=False, kernel=None, initrd=None, append=None):
    cmd = [cfg["qemu"]] + list(cfg["flags"]) + ["-bios", cfg["firmware"]]
    kernel = kernel if kernel is not None else cfg.get("kernel")
    initrd = initrd if initrd is not None else cfg.get("initrd")
    append = append if append is not None else cfg.get("append")
    if kernel:
        cmd += ["-kernel", kernel]
        if initrd:
            cmd += ["-initrd", initrd]
        if append:
            cmd += ["-append", append]
    cmd += shlex.split(os.environ.get("QEMU_EXTRA_FLAGS", ""))
    if debugserver:
        cmd += ["-S", "-gdb", "tcp::1234"]
    return cmd


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("qemu_json")
    parser.add_argument("--debugserver", action="store_true",
                        help="halt at reset and wait for gdb on tcp::1234")
    parser.add_argument("--kernel")
    parser.add_argument("--initrd")
    parser.add_argument("--append")
    parser.add_argument("--print", action="store_true", help="print the command only")
    args = parser.parse_args()

    with open(args.qemu_json, encoding="utf-8") as f:
        cfg = json.load(f)
    cmd = qemu_command(cfg, args.debugserver, args.kernel, args.initrd, args.append)
    cmd.append("-nographic")
    if args.print:
        print(shlex.join(cmd))
        return
    if not os.path.isfile(cfg["firmware"]):
        sys.exit("error: %s not built yet; run ninja first" % cfg["firmware"])
    print("vofkit: " + shlex.join(cmd), flush=True)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main()
