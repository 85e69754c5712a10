#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Run QEMU for a vofkit build (the `run` and `debugserver` targets) from its qemu.json.
"""Start QEMU with the board's flags, the firmware and the optional client.

The console is this terminal (-nographic: serial and monitor multiplexed;
Ctrl-a x quits, Ctrl-a c switches to the monitor).  QEMU_EXTRA_FLAGS from
the environment is appended after the console.  --print shows the command
instead.  The command itself comes from scripts/lib/vofkit_qemu.py.
"""

import argparse
import os
import shlex
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import vofkit_qemu  # noqa: E402


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

    try:
        cfg = vofkit_qemu.load_build(args.qemu_json)
    except vofkit_qemu.RunnerError as e:
        sys.exit("error: %s" % e)
    kernel, initrd, append = vofkit_qemu.build_client(cfg, args.kernel, args.initrd, args.append)
    cmd = vofkit_qemu.command(cfg, kernel=kernel, initrd=initrd, append=append,
                              console=vofkit_qemu.CONSOLE_NOGRAPHIC,
                              extra=shlex.split(os.environ.get("QEMU_EXTRA_FLAGS", "")),
                              debugserver=args.debugserver)
    if args.print:
        print(shlex.join(cmd))
        return
    if not os.path.isfile(cfg["firmware"]):
        sys.exit("error: %s not built yet; run ninja first" % cfg["firmware"])
    print("vofkit: " + shlex.join(cmd), flush=True)
    vofkit_qemu.exec_interactive(cmd)


if __name__ == "__main__":
    main()
