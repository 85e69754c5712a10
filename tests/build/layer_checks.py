#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Layer-check tests: the real tree passes scripts/check_layers.py, and planted violations fail it.
"""Run one layer-check scenario (--case includes|calls|planted).

includes  the include check on the real tree (--root) finds nothing
calls     the include and call checks on the real tree, with the given --build directories
planted   a small synthetic tree, laid out by the checker's own layer table, passes as
          written; with an upward include and call (drivers -> ci), a peer include and call
          (block -> net) and a weak lib hook overridden from ci, the checker fails and names
          each planted file, line and symbol, and nothing else

Output is PASS/FAIL lines and "N passed, N failed".
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
CHECKER = os.path.join(BASE, "scripts", "check_layers.py")
CLOSING = re.compile(r"^layers: (\d+) upward references in (\d+) files \(includes\) / (.*)$")



def checker(*args):
    p = subprocess.run([sys.executable, CHECKER] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    return p.returncode, p.stdout


def closing(out):
    lines = out.strip().splitlines()
    return CLOSING.match(lines[-1]) if lines else None


def case_real(ctx, root, builds):
    rc, out = checker("--root", root, *sum((["--build", b] for b in builds), []))
    print(out.rstrip())
    m = closing(out)
    ctx.check(m is not None, "the output ends with the closing 'layers:' line", out)
    ctx.check(rc == 0 and m is not None and m.group(1) == "0",
              "no upward or peer dependency in the tree%s" % (" or its builds" if builds else ""))
    if builds and m:
        ctx.check(re.match(r"[1-9]\d* symbols \(calls\)$", m.group(3)) is not None,
                  "the call check looked at symbols from %d build(s)" % len(builds), out)


# ---- planted: a synthetic tree --------------------------------------------------------------
# Each file: path -> text.  "@PLANT@" lines exist only in the planted variant; the test finds
# their line numbers itself, so editing the fixture cannot desynchronise the expectations.
TREE = {
    "arch/ppc64/include/arch/ppc64.h": "#define ARCH_OK 1\n",
    "arch/ppc64/asm.h": "#define ASM_OK 1\n",
    # The upward calls the checker's allowlist permits, from the real file names.
    "arch/ppc64/entry.S": '#include "asm.h"\n#include <arch/ppc64.h>\n'
                          "\t.globl _start\n_start:\n\tbl fw_main\n\tb .\n",
    "arch/ppc64/ci_entry.S": "\t.globl ci_entry\nci_entry:\n\tbl ci_dispatch\n\tblr\n",
    "arch/ppc64/vectors.S": "\t.globl exc_fatal\nexc_fatal:\n\tbl fw_exception\n\tb .\n",
    "include/vofkit/lib/util.h": "#include <stdint.h>\nint util_min(int a, int b);\n"
                                 "void lib_hook(void);\nvoid lib_run(void);\n",
    "lib/util.c": "#include <vofkit/lib/util.h>\n#include <arch/ppc64.h>\n"
                  "int util_min(int a, int b) { return a < b ? a : b; }\n",
    # A weak default a higher layer may override: fine until someone does.
    "lib/hooks.c": "#include <vofkit/lib/util.h>\n"
                   "__attribute__((weak)) void lib_hook(void) { }\n"
                   "void lib_run(void) { lib_hook(); }\n",
    "include/vofkit/core/tree.h": "#include <vofkit/lib/util.h>\nint tree_find(const char *p);\n",
    # Linker-section bounds and libc are defined by no object: external, never a finding.
    "core/exception.c": "#include <vofkit/core/tree.h>\n"
                        "void fw_exception(void);\nvoid fw_exception(void) { tree_find(\"/\"); }\n",
    "core/tree.c": "#include <vofkit/core/tree.h>\n#include <stddef.h>\n"
                   "extern char __table_start[];\nextern void *memcpy(void *, const void *, size_t);\n"
                   "int tree_find(const char *p)\n{\n\tmemcpy(__table_start, p, 1);\n"
                   "\treturn util_min(p[0], 3);\n}\n",
    "include/vofkit/drivers/hvterm.h": "#include <vofkit/core/tree.h>\nint hvterm_probe(void);\n",
    "drivers/hvterm/hvterm.c": "/* #include <vofkit/ci/ci.h>: a comment is not an include */\n"
                               "#include <vofkit/drivers/hvterm.h>\n"
                               "#include <vofkit/ci/ci.h> /* @PLANT@ */\n"
                               "#include \"../../include/vofkit/ci/ci.h\" /* @PLANT@ */\n"
                               "int hvterm_probe(void)\n{\n"
                               "\tci_dispatch(0); /* @PLANT@ */\n"
                               "\treturn tree_find(\"/vdevice\");\n}\n",
    "include/vofkit/block/disk.h": "#include <vofkit/drivers/hvterm.h>\nint disk_register(void);\n",
    "block/disk.c": "#include <vofkit/block/disk.h>\n"
                    "#include <vofkit/net/netdev.h> /* @PLANT@ */\n"
                    "int disk_register(void)\n{\n"
                    "\tnet_register(); /* @PLANT@ */\n"
                    "\treturn hvterm_probe();\n}\n",
    "include/vofkit/net/netdev.h": "#include <vofkit/drivers/hvterm.h>\nint net_register(void);\n",
    "net/netdev.c": "#include <vofkit/net/netdev.h>\nint net_register(void) { return hvterm_probe(); }\n",
    "include/vofkit/boot/boot.h": "#include <vofkit/block/disk.h>\n#include <vofkit/net/netdev.h>\n"
                                  "void fw_main(void);\n",
    "boot/main.c": "#include <vofkit/boot/boot.h>\n"
                   "void fw_main(void) { lib_run(); disk_register(); net_register(); }\n",
    "include/vofkit/ci/ci.h": "#include <vofkit/boot/boot.h>\n#include <stdint.h>\n"
                              "int64_t ci_dispatch(uint64_t args);\n",
    "ci-services/core/dispatch.c": "#include <vofkit/ci/ci.h>\n"
                                   "int64_t ci_dispatch(uint64_t args) { return tree_find(\"/\") + (int64_t)args; }\n",
    "ci-services/hook/hook.c": "#include <vofkit/ci/ci.h> /* @PLANT@ */\n"
                               "void lib_hook(void) { } /* @PLANT@ */\n",
    # Not a layer folder: never scanned, never built.
    "tests/unit/fake.c": "#include <vofkit/ci/ci.h>\n",
}
# Objects built without -flto, like the assembly: the checker must read both kinds.
NO_LTO = {"lib/hooks.c"}


def write_tree(root, planted):
    for path, text in TREE.items():
        lines = text.splitlines(True)
        if not planted:
            # Blank the planted lines rather than drop them, so line numbers do not move.
            lines = ["\n" if "@PLANT@" in l else l for l in lines]
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write("".join(lines))


def plant_line(path, needle):
    """Line number of the planted line of `path` that contains `needle`."""
    for no, line in enumerate(TREE[path].splitlines(), 1):
        if "@PLANT@" in line and needle in line:
            return no
    raise KeyError((path, needle))


def build_objects(ctx, root, build, cc):
    """Compile every fixture source into <build>/CMakeFiles/firmware.dir/<source>.obj,
    where CMake puts a firmware build's objects."""
    ok = True
    for path in sorted(TREE):
        if not path.endswith((".c", ".S")) or path.startswith("tests/"):
            continue
        obj = os.path.join(build, "CMakeFiles", "firmware.dir", path + ".obj")
        os.makedirs(os.path.dirname(obj), exist_ok=True)
        flags = ["-O2", "-ffreestanding", "-fno-builtin", "-c"]
        if path.endswith(".c") and path not in NO_LTO:
            flags.append("-flto")
        p = subprocess.run([cc] + flags + ["-I", os.path.join(root, "include"),
                                           "-I", os.path.join(root, "arch/ppc64/include"),
                                           "-o", obj, os.path.join(root, path)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        if p.returncode:
            ctx.check(False, "compile fixture %s with %s" % (path, cc), p.stdout)
            ok = False
    return ok


def case_planted(ctx, workdir, cc):
    if not shutil.which(cc):
        ctx.check(False, "cross compiler %s found (scripts/setup.sh installs it)" % cc)
        return
    shutil.rmtree(workdir, ignore_errors=True)

    # 1. The tree as written: no findings, so nothing below is a false positive.
    clean, cbuild = os.path.join(workdir, "clean"), os.path.join(workdir, "clean-build")
    write_tree(clean, planted=False)
    if not build_objects(ctx, clean, cbuild, cc):
        return
    rc, out = checker("--root", clean, "--build", cbuild)
    m = closing(out)
    ctx.check(rc == 0 and m is not None and m.group(1) == "0",
              "the clean fixture tree passes (allowlisted arch calls, linker and libc symbols)",
              out)
    ctx.check("not used" not in out, "every allowlist entry is exercised", out)

    # 2. The planted tree: every violation is named, and nothing else is.
    tree, build = os.path.join(workdir, "planted"), os.path.join(workdir, "planted-build")
    write_tree(tree, planted=True)
    if not build_objects(ctx, tree, build, cc):
        return
    expected = [
        "drivers/hvterm/hvterm.c:%d: drivers includes vofkit/ci/ci.h (ci): upward dependency"
        % plant_line("drivers/hvterm/hvterm.c", "<vofkit/ci/ci.h>"),
        "drivers/hvterm/hvterm.c:%d: drivers includes ../../include/vofkit/ci/ci.h (ci): "
        "upward dependency" % plant_line("drivers/hvterm/hvterm.c", '"../../include'),
        "block/disk.c:%d: block includes vofkit/net/netdev.h (net): peer dependency"
        % plant_line("block/disk.c", "netdev.h"),
        "drivers/hvterm/hvterm.c:%d: drivers references ci_dispatch defined in "
        "ci-services/core/dispatch.c (ci): upward dependency"
        % plant_line("drivers/hvterm/hvterm.c", "ci_dispatch"),
        "block/disk.c:%d: block references net_register defined in net/netdev.c (net): "
        "peer dependency" % plant_line("block/disk.c", "net_register"),
        "lib/hooks.c:2: lib defines lib_hook weak, overridden by ci-services/hook/hook.c (ci): "
        "upward dependency",
    ]
    rc, out = checker("--root", tree, "--build", build)
    print(out.rstrip())
    ctx.check(rc == 1, "the checker fails on the planted tree (exit 1, got %d)" % rc, out)
    lines = out.splitlines()
    for e in expected:
        ctx.check(e in lines, "reported: " + e, out)
    found = [l for l in lines if re.match(r"^[^ :]+:\d+: ", l)]
    extra = [l for l in found if l not in expected]
    ctx.check(not extra, "nothing but the planted violations is reported", "\n".join(extra))
    m = closing(out)
    ctx.check(m is not None and m.group(1) == str(len(expected)),
              "the closing line counts %d upward references" % len(expected), out)

    # 3. Without --build only the include check runs, and it still fails on its own.
    rc, out = checker("--root", tree)
    m = closing(out)
    ctx.check(rc == 1 and m is not None and m.group(1) == "3"
              and "calls not checked" in m.group(3),
              "without --build: include findings only, calls not checked", out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--case", required=True, choices=["includes", "calls", "planted"])
    p.add_argument("--root", default=BASE)
    p.add_argument("--build", action="append", default=[])
    p.add_argument("--workdir", help="scratch folder for --case planted")
    p.add_argument("--cc", default="powerpc64-linux-gnu-gcc")
    args = p.parse_args()
    ctx = Ctx()
    if args.case == "includes":
        case_real(ctx, args.root, [])
    elif args.case == "calls":
        if not args.build:
            p.error("--case calls needs --build")
        case_real(ctx, args.root, args.build)
    else:
        if not args.workdir:
            p.error("--case planted needs --workdir")
        case_planted(ctx, os.path.abspath(args.workdir), args.cc)
    failed = ctx.results.count(False)
    print("%d passed, %d failed" % (len(ctx.results) - failed, failed))
    return 1 if failed or not ctx.results else 0


if __name__ == "__main__":
    sys.exit(main())
