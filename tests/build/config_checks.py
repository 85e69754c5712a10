#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Build-system checks: Kconfig strictness, clear one-line errors, .config persistence, targets.
"""Run one build-system scenario (--case NAME) or all of them (--case all).

Each scenario configures a sample in a fresh directory under --workdir and
checks the outcome; output is PASS/FAIL lines and "N passed, N failed".
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Ctx, run  # noqa: E402  (shared PASS/FAIL bookkeeping)

BASE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLE = os.path.join(BASE, "samples", "forward")
BOARD = "qemu_pseries_vof"





def configure(src, build, *extra, env=None):
    return run(["cmake", "-S", src, "-B", build, "-G", "Ninja"] + list(extra), env=env)


def vofkit_error_lines(out):
    """The error lines of CMake output that carry our message (status lines excluded)."""
    return [line.strip() for line in out.splitlines()
            if "vofkit:" in line and not line.startswith("-- ")]


def copy_sample(ctx, name):
    """A sample outside the SDK tree, found through VOFKIT_BASE like a user's app."""
    dst = os.path.join(ctx.fresh(name), "app")
    shutil.copytree(SAMPLE, dst)
    return dst


def case_typo(ctx):
    app = copy_sample(ctx, "typo")
    with open(os.path.join(app, "prj.conf"), "a", encoding="utf-8") as f:
        f.write("CONFIG_NO_SUCH=y\n")
    rc, out = configure(app, os.path.join(ctx.workdir, "typo", "build"), "-DBOARD=" + BOARD,
                        env={"VOFKIT_BASE": BASE})
    ctx.check(rc != 0, "a typo in prj.conf fails the configure step", out)
    ctx.check(re.search(r"prj\.conf:\d+: CONFIG_NO_SUCH is not a known Kconfig symbol", out)
              is not None, "the error names the file, line and symbol CONFIG_NO_SUCH", out)


def case_no_effect(ctx):
    build = ctx.fresh("noeffect")
    rc, out = configure(SAMPLE, build, "-DBOARD=qemu_pseries")
    ctx.check(rc != 0, "sample forward on the native board qemu_pseries is refused", out)
    ctx.check("CONFIG_CI_FORWARD=y did not take effect" in out and
              "QEMU_PAIRING_FORWARD" in out,
              "the error names CONFIG_CI_FORWARD and the unmet QEMU_PAIRING_FORWARD", out)


def case_no_prompt(ctx):
    build = ctx.fresh("noprompt")
    rc, out = configure(SAMPLE, build, "-DBOARD=" + BOARD, "-DCONFIG_QEMU_PAIRING_NATIVE=y")
    ctx.check(rc != 0 and "CONFIG_QEMU_PAIRING_NATIVE cannot be set by hand" in out,
              "assigning a symbol without a prompt is an error naming it", out)


def case_range(ctx):
    build = ctx.fresh("range")
    rc, out = configure(SAMPLE, build, "-DBOARD=" + BOARD, "-DCONFIG_BOARD_RAM_MB=128")
    ctx.check(rc != 0 and "CONFIG_BOARD_RAM_MB=128 did not take effect" in out,
              "an out-of-range value is an error naming the symbol", out)
    build = ctx.fresh("ram256")
    rc, out = configure(SAMPLE, build, "-DBOARD=" + BOARD, "-DCONFIG_BOARD_RAM_MB=768",
                        "-DCONFIG_BOARD_NR_CPUS=2")
    ctx.check(rc == 0, "768 MiB (a multiple of 256) configures", out)
    build = ctx.fresh("ram300")
    rc, out = configure(SAMPLE, build, "-DBOARD=" + BOARD, "-DCONFIG_BOARD_RAM_MB=300")
    ctx.check(rc != 0 and "not a multiple of 256" in out,
              "RAM that QEMU pseries refuses (300 MiB) is caught at configure time", out)


def case_board(ctx):
    rc, out = configure(SAMPLE, ctx.fresh("badboard"), "-DBOARD=nope")
    lines = vofkit_error_lines(out)
    ctx.check(rc != 0 and len(lines) == 1 and "unknown board 'nope'" in lines[0]
              and "qemu_pseries_vof" in lines[0],
              "an unknown board is one line listing the boards", out)
    env = {"BOARD": ""}
    rc, out = configure(SAMPLE, ctx.fresh("noboard"), env=env)
    ctx.check(rc != 0 and "no board given; add -DBOARD=" in out,
              "a missing board says how to give one", out)


def case_toolchain(ctx):
    rc, out = configure(SAMPLE, ctx.fresh("notc"), "-DBOARD=" + BOARD,
                        "-DCROSS_COMPILE=no-such-cross-")
    lines = vofkit_error_lines(out)
    ctx.check(rc != 0 and len(lines) == 1 and "no-such-cross-gcc not found" in lines[0]
              and "scripts/setup.sh" in lines[0],
              "a missing cross compiler is one line that says what to do", out)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def case_persistence(ctx):
    """menuconfig edits (.config) survive a re-configure until a fragment changes."""
    app = copy_sample(ctx, "persist")
    build = os.path.join(ctx.workdir, "persist", "build")
    rc, out = configure(app, build, "-DBOARD=" + BOARD, env={"VOFKIT_BASE": BASE})
    ctx.check(rc == 0, "sample configures", out)
    if rc:
        return
    dotconfig = os.path.join(build, ".config")
    autoconf = os.path.join(build, "include", "generated", "autoconf.h")
    text = read(dotconfig)
    ctx.check("CONFIG_FW_STACK_SIZE=8192" in text, ".config has the default stack size")
    # What menuconfig does when the user changes a value and saves.
    with open(dotconfig, "w", encoding="utf-8") as f:
        f.write(text.replace("CONFIG_FW_STACK_SIZE=8192", "CONFIG_FW_STACK_SIZE=12288"))
    rc, out = configure(app, build, env={"VOFKIT_BASE": BASE})
    ctx.check(rc == 0 and "CONFIG_FW_STACK_SIZE=12288" in read(dotconfig) and
              "#define CONFIG_FW_STACK_SIZE 12288" in read(autoconf),
              "a .config edit survives re-configure and reaches autoconf.h", out)
    with open(os.path.join(app, "prj.conf"), "a", encoding="utf-8") as f:
        f.write("CONFIG_CI_TRACE=y\n")
    rc, out = configure(app, build, env={"VOFKIT_BASE": BASE})
    text = read(dotconfig)
    ctx.check(rc == 0 and "CONFIG_CI_TRACE=y" in text and "CONFIG_FW_STACK_SIZE=8192" in text,
              "changing prj.conf re-merges the fragments (edit replaced, new value in)", out)


def case_layers(ctx):
    """Board defconfig < prj.conf < EXTRA_CONF_FILE < -DCONFIG_..."""
    build = ctx.fresh("layers")
    extra = os.path.join(build, "extra.conf")
    with open(extra, "w", encoding="utf-8") as f:
        f.write("CONFIG_BOARD_NR_CPUS=2\nCONFIG_FW_STACK_SIZE=16384\n")
    rc, out = configure(SAMPLE, os.path.join(build, "b"), "-DBOARD=" + BOARD,
                        "-DEXTRA_CONF_FILE=" + extra, "-DCONFIG_FW_STACK_SIZE=24576",
                        "-DCONFIG_QEMU_EXTRA_FLAGS=-d guest_errors")
    ctx.check(rc == 0, "configure with EXTRA_CONF_FILE and -DCONFIG_ options", out)
    if rc:
        return
    text = read(os.path.join(build, "b", ".config"))
    ctx.check("CONFIG_BOARD_NR_CPUS=2" in text, "EXTRA_CONF_FILE overrides the board defconfig")
    ctx.check("CONFIG_FW_STACK_SIZE=24576" in text, "-DCONFIG_ overrides EXTRA_CONF_FILE")
    ctx.check('CONFIG_QEMU_EXTRA_FLAGS="-d guest_errors"' in text,
              "a string option from the command line is quoted correctly")
    qemu = read(os.path.join(build, "b", "qemu.json"))
    ctx.check('"-smp", "2"' in qemu and '"-d", "guest_errors"' in qemu,
              "qemu.json carries the CPU count and the extra QEMU flags from Kconfig")


def case_targets(ctx):
    build = ctx.fresh("targets")
    rc, out = configure(SAMPLE, build, "-DBOARD=" + BOARD)
    ctx.check(rc == 0, "sample configures", out)
    if rc:
        return
    rc, out = run(["ninja", "-C", build, "-t", "targets", "all"])
    names = set(line.split(":")[0] for line in out.splitlines())
    for t in ("menuconfig", "guiconfig", "savedefconfig", "run", "debugserver", "size_report"):
        ctx.check(t in names, "target %s exists" % t)
    rc, out = run(["ninja", "-C", build, "savedefconfig"])
    defconfig = os.path.join(build, "defconfig")
    ctx.check(rc == 0 and os.path.isfile(defconfig) and
              "CONFIG_CI_FORWARD=y" in read(defconfig),
              "savedefconfig writes a minimal defconfig", out)
    rc, out = run(["ninja", "-C", build, "size_report"])
    ctx.check(rc == 0 and "firmware.bin" in out and "forward" in out,
              "size_report lists the image size and per-module sizes", out)
    rc, out = run(["/usr/bin/python3", os.path.join(BASE, "scripts", "qemu_run.py"),
                   "--print", "--debugserver", os.path.join(build, "qemu.json")])
    ctx.check(rc == 0 and "-S -gdb tcp::1234" in out and "x-vof=on" in out and "-bios" in out,
              "debugserver runs QEMU halted with a gdb stub on tcp::1234", out)


def case_size_limit(ctx):
    build = ctx.fresh("sizelimit")
    rc, out = configure(SAMPLE, build, "-DBOARD=" + BOARD, "-DCONFIG_FW_IMAGE_MAX_SIZE=4096")
    ctx.check(rc == 0, "configure", out)
    rc, out = run(["ninja", "-C", build])
    ctx.check(rc != 0 and "more than CONFIG_FW_IMAGE_MAX_SIZE=4096" in out,
              "an image over CONFIG_FW_IMAGE_MAX_SIZE fails the build, naming the limit", out)


CASES = {
    "typo": case_typo,
    "no_effect": case_no_effect,
    "no_prompt": case_no_prompt,
    "range": case_range,
    "board": case_board,
    "toolchain": case_toolchain,
    "persistence": case_persistence,
    "layers": case_layers,
    "targets": case_targets,
    "size_limit": case_size_limit,
}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--case", required=True, choices=sorted(CASES) + ["all"])
    p.add_argument("--workdir", required=True)
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    ctx = Ctx(os.path.abspath(args.workdir))
    for name, fn in sorted(CASES.items()):
        if args.case in (name, "all"):
            fn(ctx)
    failed = ctx.results.count(False)
    print("%d passed, %d failed" % (len(ctx.results) - failed, failed))
    return 1 if failed or not ctx.results else 0


if __name__ == "__main__":
    sys.exit(main())
