#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Checklist test: follow docs/architecture.md's three checklists in a copy of the tree, then count, build, check and boot.
"""Prove the "Checklists" of docs/architecture.md by following them literally.

1. Copy the repository's tracked files (git ls-files, working-tree contents) into a
   temporary directory and commit them there, so each step's changes can be counted.
2. Read the three checklists ("Add a CI service", "Add a driver", "Add a boot source")
   from the copy's docs/architecture.md: every table row with a plain number is a file
   the firmware build needs (rows in parentheses are optional and not followed), and
   "**N files**" is the stated count.  Each row is applied with the placeholders
   (<group>, <name>, <NAME>, <order>) filled in:
     CI service:  ci-services/example/hello.c, service "vofkit-hello" (a comma, as in
                  "vofkit,hello", fails to assemble: the name is part of a section name)
     driver:      drivers/ramdisk/ramdisk.c, a RAM disk whose MBR has no PReP partition
     boot source: boot/boot_hello.c, source "hello" (order 3) that returns a reason
   A "(new)" row writes the file; a CMakeLists.txt row adds the exact line the row
   gives; a Kconfig row adds the symbol the row names, inside the file's menu.
3. Each checklist's files are counted with git and compared with the stated count, the
   rows and the kind of change (new file, one added line, one added symbol).
4. samples/full is built for qemu_pseries with the three new symbols on (-DCONFIG_...=y);
   firmware.elf must hold the new table entries (powerpc64-linux-gnu-nm) and the copy's
   layer check must pass on the copy and its build.
5. One boot under QEMU without -kernel (tests/boot/boot_test.py): the RAM disk is tried by
   the disk source and skipped for want of a PReP partition, the hello source prints its
   reason, the sources run in table (section key) order, and QEMU powers off cleanly.
6. Negative controls: an upward include planted in the driver fails the layer check, and
   without the service's CMakeLists.txt line the service is not in the image.

Output is PASS/FAIL lines and "N passed, N failed"; exit status 1 on any failure.  The
temporary directory is removed after a clean pass and kept (and named) otherwise.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Ctx, run  # noqa: E402  (shared PASS/FAIL bookkeeping)
import tempfile
import time

BASE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOC = "docs/architecture.md"
SAMPLE = "full"
BOARD = "qemu_pseries"
NM = "powerpc64-linux-gnu-nm"
GIT_ID = ["-c", "user.name=vofkit checklists", "-c", "user.email=checklists@vofkit.invalid",
          "-c", "commit.gpgsign=false"]

# ---- what the test adds: one module per checklist -------------------------------------------

HELLO_C = r"""/* SPDX-License-Identifier: Apache-2.0 */
/* The `vofkit-hello` service: a sample service added by following the CI-service checklist. */

#include <vofkit/ci/ci.h>

#define HELLO_MAGIC 0x48454c4fu	/* "HELO" */

/*
 * vofkit-hello ( -- magic )
 *   in:  nothing
 *   out: [0] 0x48454c4f ("HELO")
 */
static enum ci_result ci_hello(struct ci_call *c)
{
	ci_ret(c, 0, HELLO_MAGIC);
	return CI_DONE;
}
CI_SERVICE(hello, "vofkit-hello", ci_hello, 0, 1);
"""

RAMDISK_BLOCKS = 8
RAMDISK_C = r"""/* SPDX-License-Identifier: Apache-2.0 */
/* ramdisk driver: a few blocks of RAM as a disk on its own node /ramdisk, with an MBR that has no PReP partition. */

#define pr_fmt(fmt) "ramdisk: " fmt
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <vofkit/core/device.h>
#include <vofkit/core/init.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/log.h>

#define RAMDISK_BLOCK_SIZE	512u
#define RAMDISK_BLOCKS		%(blocks)du
#define RAMDISK_MARK		"VOFKIT-RAMDISK"

/* In .bss: filled at init, so the image does not grow by the disk's size. */
static uint8_t ramdisk_data[RAMDISK_BLOCKS * RAMDISK_BLOCK_SIZE] __attribute__((aligned(8)));

static int ramdisk_read(struct block_dev *dev, uint64_t lba, uint32_t count, void *buf)
{
	if (lba > dev->blocks || count > dev->blocks - lba)
		return -1;
	memcpy(buf, ramdisk_data + lba * dev->block_size, (size_t)count * dev->block_size);
	return 0;
}

static struct block_dev ramdisk_dev = {
	.block_size = RAMDISK_BLOCK_SIZE,
	.blocks = RAMDISK_BLOCKS,
	.read = ramdisk_read,
};

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * Sector 0 is an MBR written byte by byte (the partition layouts belong to
 * block/, which a driver may not include): a recognisable mark in the boot
 * code, one Linux partition (type 0x83) over the other blocks, no PReP
 * partition (0x41), and the 0x55 0xaa signature.
 */
static int ramdisk_init(void)
{
	uint8_t *entry = ramdisk_data + 446;	/* the first of the four entries */
	uint32_t node = tree_find("/ramdisk", NULL);

	memcpy(ramdisk_data, RAMDISK_MARK, sizeof(RAMDISK_MARK));
	entry[4] = 0x83;
	put_le32(entry + 8, 1);
	put_le32(entry + 12, RAMDISK_BLOCKS - 1);
	ramdisk_data[510] = 0x55;
	ramdisk_data[511] = 0xaa;

	if (!node)
		node = tree_add_node(tree_root(), "ramdisk");
	if (!node)
		return -1;
	ramdisk_dev.phandle = node;
	if (block_dev_register(&ramdisk_dev) < 0)
		return -2;
	pr_info("/ramdisk: %%u blocks of %%u bytes\n", RAMDISK_BLOCKS, RAMDISK_BLOCK_SIZE);
	return 0;
}
FW_INIT(ramdisk_init, FW_INIT_DRIVER, "ramdisk");
""" % {"blocks": RAMDISK_BLOCKS}

HELLO_REASON = "hello from the checklist boot source, nothing to load"
BOOT_HELLO_C = r"""/* SPDX-License-Identifier: Apache-2.0 */
/* Boot source "hello": a sample source added by following the boot-source checklist; it never boots. */

#include <vofkit/core/init.h>

static const char *boot_from_hello(void)
{
	return "%s";
}
FW_BOOT_SOURCE("hello", boot_from_hello, 3);
""" % HELLO_REASON

KCONFIG = {
    "CI_HELLO": 'config CI_HELLO\n\tbool "vofkit-hello: a sample service (checklist test)"\n',
    "DRIVER_RAMDISK": 'config DRIVER_RAMDISK\n'
                      '\tbool "ramdisk: a few blocks of RAM as a disk (checklist test)"\n'
                      '\tdepends on QEMU_PAIRING_NATIVE\n'
                      '\tselect BLOCK_DEVICES\n',
    "BOOT_FROM_HELLO": 'config BOOT_FROM_HELLO\n'
                       '\tbool "Boot source hello: says hello, boots nothing (checklist test)"\n',
}

# title -> placeholder values and the new files' contents (by path after substitution)
CHECKLISTS = [
    ("Add a CI service", {"<group>": "example", "<name>": "hello", "<NAME>": "HELLO"},
     {"ci-services/example/hello.c": HELLO_C}),
    ("Add a driver", {"<name>": "ramdisk", "<NAME>": "RAMDISK"},
     {"drivers/ramdisk/ramdisk.c": RAMDISK_C}),
    ("Add a boot source", {"<name>": "hello", "<NAME>": "HELLO", "<order>": "3"},
     {"boot/boot_hello.c": BOOT_HELLO_C}),
]
SERVICE_SYM = "ci_service_hello"
BOOT_SYM = "fw_boot_boot_from_hello"
DRIVER_SYM = "fw_init_ramdisk_init"
RAMDISK_PATH = "/ramdisk"





def git(repo, *args):
    return run(["git", "-C", repo] + GIT_ID + list(args))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ---- 1. the copy -----------------------------------------------------------------------------

def make_copy(ctx, root, dst):
    rc, out = run(["git", "-C", root, "ls-files", "-z"])
    if not ctx.check(rc == 0, "git ls-files in %s" % root, out):
        return False
    files = [f for f in out.split("\0") if f]
    missing = []
    for rel in files:
        src = os.path.join(root, rel)
        if not os.path.isfile(src):
            missing.append(rel)
            continue
        os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
        shutil.copy2(src, os.path.join(dst, rel))
    ok = ctx.check(not missing and len(files) > 0,
                   "copied the %d tracked files (working-tree contents) to %s" % (len(files), dst),
                   "missing in the work tree: " + " ".join(missing))
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "tracked files"]):
        rc, out = git(dst, *cmd)
        if rc:
            return ctx.check(False, "git %s in the copy" % cmd[0], out)
    rc, out = git(dst, "status", "--porcelain", "--untracked-files=all")
    return ctx.check(ok and rc == 0 and not out.strip(),
                     "the copy is a git repository with a clean work tree", out) and ok


# ---- 2./3. the checklists ----------------------------------------------------------------------

ROW = re.compile(r"^\|\s*(\(?)(\d+)\)?\s*\|\s*`([^`]+)`(\s*\(new\))?\s*\|(.*)\|\s*$")


def parse_checklist(doc, title):
    """(rows, stated count) of the '### title' section; rows = (path, new?, change text)."""
    m = re.search(r"^### %s\s*$(.*?)(?=^##)" % re.escape(title), doc + "\n##",
                  re.M | re.S)
    if not m:
        return None, None
    section = m.group(1)
    rows = []
    for line in section.splitlines():
        r = ROW.match(line)
        if r and not r.group(1):  # "(4)" rows are optional: not part of the count
            rows.append((r.group(3), bool(r.group(4)), r.group(5)))
    stated = re.search(r"\*\*(\d+) files?\*\*", section)
    return rows, int(stated.group(1)) if stated else None


def subst(text, values):
    for k, v in values.items():
        text = text.replace(k, v)
    return text


def apply_row(copy, path, new, change, values, contents):
    """Apply one checklist row to the copy; returns (what was done, symbol or None) or raises."""
    full = os.path.join(copy, path)
    if new:
        if path not in contents:
            raise ValueError("the checklist names a new file %s this test has no text for" % path)
        if os.path.exists(full):
            raise ValueError("%s (new) already exists" % path)
        write(full, contents[path])
        return "new file", None
    if os.path.basename(path) == "CMakeLists.txt":
        m = re.search(r"`(vofkit_sources_ifdef\([^`]*\))`", change)
        if not m:
            raise ValueError("%s: the row gives no vofkit_sources_ifdef line" % path)
        line = subst(m.group(1), values)
        text = read(full)
        write(full, text + ("" if text.endswith("\n") else "\n") + line + "\n")
        return "line %s" % line, None
    if os.path.basename(path) == "Kconfig":
        m = re.search(r"`config ([A-Z0-9_<>]+)`", change)
        if not m:
            raise ValueError("%s: the row names no `config` symbol" % path)
        sym = subst(m.group(1), values)
        if sym not in KCONFIG:
            raise ValueError("%s: symbol %s is not one this test defines" % (path, sym))
        text = read(full)
        at = text.rfind("\nendmenu")
        if at < 0:
            raise ValueError("%s: no endmenu to insert before" % path)
        write(full, text[:at + 1] + KCONFIG[sym] + "\n" + text[at + 1:])
        return "symbol %s" % sym, sym
    raise ValueError("%s: the test does not know how to apply this row" % path)


def follow_checklist(ctx, copy, doc, title, values, contents):
    """Apply one checklist, count and check what it touched, commit.  Returns its Kconfig symbols."""
    rows, stated = parse_checklist(doc, title)
    if not ctx.check(rows and stated, "%s: %s has the table and a '**N files**' count"
                     % (title, DOC)):
        return None
    paths = [subst(p, values) for p, _, _ in rows]
    print("  %s: stated %d files; rows: %s" % (title, stated, ", ".join(paths)))
    ctx.check(stated == len(rows), "%s: the stated count (%d) equals the numbered rows (%d)"
              % (title, stated, len(rows)))
    symbols = []
    for (_, new, change), path in zip(rows, paths):
        try:
            what, sym = apply_row(copy, path, new, change, values, contents)
        except ValueError as e:
            ctx.check(False, "%s: %s" % (title, e))
            return None
        print("  applied %s: %s" % (path, what))
        if sym:
            symbols.append(sym)

    git(copy, "add", "-A")
    rc, status = git(copy, "diff", "--cached", "--name-status")
    touched = {}
    for line in status.splitlines():
        st, _, p = line.partition("\t")
        touched[p] = st
    rc2, numstat = git(copy, "diff", "--cached", "--numstat")
    counts = {}
    for line in numstat.splitlines():
        add, rem, p = line.split("\t", 2)
        counts[p] = (int(add), int(rem))
    print("  git: %d files changed: %s" % (len(touched), ", ".join(
        "%s %s" % (touched[p], p) for p in sorted(touched))))
    ctx.check(rc == 0 and len(touched) == stated,
              "%s: %d files touched, as the checklist states (%d)" % (title, len(touched), stated),
              status)
    ctx.check(set(touched) == set(paths),
              "%s: the files touched are exactly the checklist's rows" % title,
              "touched: %s\nrows: %s" % (sorted(touched), sorted(paths)))
    for (_, new, change), path in zip(rows, paths):
        add, rem = counts.get(path, (0, 0))
        if new:
            ok = touched.get(path) == "A"
            kind = "a new file"
        elif path.endswith("CMakeLists.txt"):
            ok = touched.get(path) == "M" and (add, rem) == (1, 0)
            kind = "one added line"
        else:
            rc3, diff = git(copy, "diff", "--cached", "-U0", "--", path)
            added = [l for l in diff.splitlines() if l.startswith("+config ")]
            ok = touched.get(path) == "M" and rem == 0 and len(added) == 1
            kind = "one added symbol"
        ctx.check(ok, "%s: %s is %s (+%d -%d)" % (title, path, kind, add, rem))
    rc, out = git(copy, "commit", "-q", "-m", title)
    ctx.check(rc == 0, "%s: committed in the copy" % title, out)
    return symbols


# ---- 4. build and image --------------------------------------------------------------------

def nm_symbols(elf):
    rc, out = run([NM, elf])
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return rc, syms, out


def in_table(syms, sym, table):
    start, end = syms.get("__%s_start" % table), syms.get("__%s_end" % table)
    return sym in syms and start is not None and end is not None and start <= syms[sym] < end


def boot_table_order(copy, syms):
    """The boot sources in image order, as (name, key); key = "<order>.<fn>" (the section key)."""
    regs = {}
    for dirpath, _, files in os.walk(os.path.join(copy, "boot")):
        for f in files:
            if f.endswith(".c"):
                for m in re.finditer(r'FW_BOOT_SOURCE\("([^"]+)",\s*(\w+),\s*(\d)\)',
                                     read(os.path.join(dirpath, f))):
                    regs["fw_boot_" + m.group(2)] = (m.group(1), "%s.%s" % (m.group(3), m.group(2)))
    present = sorted((syms[s], regs[s]) for s in regs if s in syms)
    return [r for _, r in present]


def build(ctx, copy, bdir, symbols):
    env = {"VOFKIT_BASE": copy}
    defs = ["-DCONFIG_%s=y" % s for s in symbols]
    print("  configure: cmake -S %s -B %s -G Ninja -DBOARD=%s %s"
          % (os.path.join(copy, "samples", SAMPLE), bdir, BOARD, " ".join(defs)), flush=True)
    rc, out = run(["cmake", "-S", os.path.join(copy, "samples", SAMPLE), "-B", bdir, "-G", "Ninja",
                   "-DBOARD=" + BOARD] + defs, env=env)
    if not ctx.check(rc == 0, "configure samples/%s for %s with %s" % (SAMPLE, BOARD, " ".join(defs)),
                     out):
        return False
    cache = read(os.path.join(bdir, "CMakeCache.txt"))
    m = re.search(r"^Vofkit_DIR:[A-Z]+=(.*)$", cache, re.M)
    ctx.check(m and os.path.realpath(m.group(1)) == os.path.realpath(os.path.join(copy, "cmake")),
              "the build uses the copy's SDK (Vofkit_DIR %s)" % (m.group(1) if m else "?"))
    config = read(os.path.join(bdir, ".config"))
    for s in symbols:
        ctx.check(re.search(r"^CONFIG_%s=y$" % s, config, re.M), ".config has CONFIG_%s=y" % s)
    t0 = time.time()
    rc, out = run(["cmake", "--build", bdir], env=env)
    ok = ctx.check(rc == 0 and os.path.isfile(os.path.join(bdir, "firmware.elf")),
                   "the build succeeds (%.1f s)" % (time.time() - t0), out)
    size = [l for l in out.splitlines() if "firmware.bin" in l]
    if size:
        print("  " + size[-1].strip())
    return ok


def check_image(ctx, copy, bdir):
    elf = os.path.join(bdir, "firmware.elf")
    rc, syms, out = nm_symbols(elf)
    if not ctx.check(rc == 0 and syms, "%s reads firmware.elf" % NM, out):
        return None
    ctx.check(in_table(syms, SERVICE_SYM, "ci_services"),
              "nm: the service's entry %s is in the ci_services table" % SERVICE_SYM)
    ctx.check(in_table(syms, BOOT_SYM, "fw_boot"),
              "nm: the boot source's entry %s is in the fw_boot table" % BOOT_SYM)
    ctx.check(in_table(syms, DRIVER_SYM, "fw_init"),
              "nm: the driver's init entry %s is in the fw_init table" % DRIVER_SYM)
    with open(os.path.join(bdir, "firmware.bin"), "rb") as f:
        image = f.read()
    ctx.check(b"vofkit-hello\0" in image, "firmware.bin holds the service name \"vofkit-hello\"")
    order = boot_table_order(copy, syms)
    keys = [k for _, k in order]
    print("  boot table, image order: %s" % ", ".join("%s (%s)" % o for o in order))
    ctx.check(len(order) >= 2 and keys == sorted(keys),
              "the boot sources sit in section-key order (<order>.<fn>)")
    return [n for n, _ in order]


def layer_check(copy, bdir=None):
    cmd = [sys.executable, os.path.join(copy, "scripts", "check_layers.py"), "--root", copy]
    if bdir:
        cmd += ["--build", bdir]
    return run(cmd)


# ---- 5. boot ---------------------------------------------------------------------------------

def boot(ctx, copy, bdir, work, sources):
    log = os.path.join(work, "boot.log")
    expect = [
        "vofkit: ramdisk: %s: %d blocks of 512 bytes" % (RAMDISK_PATH, RAMDISK_BLOCKS),
        "vofkit: boot: trying %s" % RAMDISK_PATH,
        "vofkit: boot: %s: no PReP partition in the MBR" % RAMDISK_PATH,
        "vofkit: boot: hello: %s" % HELLO_REASON,
        "vofkit: nothing to boot",
        "powering off",
    ]
    cmd = [sys.executable, os.path.join(copy, "tests", "boot", "boot_test.py"),
           "--name", "checklists", "--build", bdir, "--log", log,
           "--sample-yaml", os.path.join(copy, "samples", SAMPLE, "sample.yaml"),
           "--no-marker", "--exit-clean", "--timeout", "120",
           "--reject", "cannot set up", "--reject", "missing service"]
    for e in expect:
        cmd += ["--expect", e]
    t0 = time.time()
    rc, out = run(cmd)
    print("  " + out.strip().replace("\n", "\n  "))
    ctx.check(rc == 0, "boot_test.py: the boot without -kernel shows every expected line and "
              "QEMU powers off by itself (%.1f s)" % (time.time() - t0))
    text = read(log) if os.path.isfile(log) else ""
    # Each source's line, then the power-off line, in the boot table's order.
    marks = ["vofkit: boot: %s: " % n for n in sources] + ["vofkit: nothing to boot"]
    pos = [text.find(m) for m in marks]
    ctx.check(all(p >= 0 for p in pos) and pos == sorted(pos),
              "the sources report in table order: %s, then power-off" % ", ".join(sources),
              "positions: %s" % list(zip(marks, pos)))
    tried = text.find("vofkit: boot: trying %s" % RAMDISK_PATH)
    disk = text.find("vofkit: boot: disk: ")
    ctx.check(0 <= tried < disk, "the RAM disk is tried within the disk source, before its reason")


# ---- 6. negative controls ---------------------------------------------------------------------

def control_upward_include(ctx, copy):
    rel = "drivers/ramdisk/ramdisk.c"
    path = os.path.join(copy, rel)
    orig = read(path)
    lines = orig.splitlines(True)
    last = max(i for i, l in enumerate(lines) if l.startswith("#include"))
    planted = "#include <vofkit/block/partition_table.h>\n"
    write(path, "".join(lines[:last + 1] + [planted] + lines[last + 1:]))
    rc, out = layer_check(copy)
    write(path, orig)
    findings = [l for l in out.splitlines() if "upward dependency" in l]
    want = "%s:%d: drivers includes vofkit/block/partition_table.h (block)" % (rel, last + 2)
    ctx.check(rc == 1 and len(findings) == 1 and findings[0].startswith(want),
              "control: an upward include planted in the driver fails the layer check and is "
              "named (%s)" % want, out)
    rc, out = git(copy, "status", "--porcelain")
    ctx.check(rc == 0 and not out.strip(), "control: the driver is restored", out)


def control_no_cmake_line(ctx, copy, bdir):
    rel = "ci-services/CMakeLists.txt"
    path = os.path.join(copy, rel)
    orig = read(path)
    kept = [l for l in orig.splitlines(True) if "hello.c" not in l]
    write(path, "".join(kept))
    rc, out = run(["cmake", "--build", bdir], env={"VOFKIT_BASE": copy})
    built = ctx.check(rc == 0, "control: without the service's line in %s the firmware still "
                      "builds" % rel, out)
    if built:
        rc, syms, nmout = nm_symbols(os.path.join(bdir, "firmware.elf"))
        ctx.check(rc == 0 and SERVICE_SYM not in syms and BOOT_SYM in syms,
                  "control: ... and %s is not in the image (the boot source still is)"
                  % SERVICE_SYM, nmout)
    write(path, orig)
    rc, out = git(copy, "status", "--porcelain")
    ctx.check(rc == 0 and not out.strip(), "control: %s is restored" % rel, out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--root", default=BASE, help="repository to copy (default: this one)")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = p.parse_args()
    t_start = time.time()
    ctx = Ctx()
    work = tempfile.mkdtemp(prefix="vofkit-checklists-")
    copy, bdir = os.path.join(work, "src"), os.path.join(work, "build")
    print("work directory: %s" % work, flush=True)

    if make_copy(ctx, os.path.abspath(args.root), copy):
        doc = read(os.path.join(copy, DOC))
        symbols = []
        for title, values, contents in CHECKLISTS:
            print("---- checklist: %s" % title, flush=True)
            got = follow_checklist(ctx, copy, doc, title, values, contents)
            if got is None:
                symbols = None
                break
            symbols += got
        if symbols is not None:
            print("---- build", flush=True)
            if build(ctx, copy, bdir, symbols):
                sources = check_image(ctx, copy, bdir)
                rc, out = layer_check(copy, bdir)
                last = out.strip().splitlines()[-1] if out.strip() else ""
                ctx.check(rc == 0 and last.startswith("layers: 0 upward references")
                          and "symbols (calls)" in last,
                          "layer check on the copy and its build: %s" % last, out)
                if sources:
                    print("---- boot", flush=True)
                    boot(ctx, copy, bdir, work, sources)
                print("---- negative controls", flush=True)
                control_upward_include(ctx, copy)
                control_no_cmake_line(ctx, copy, bdir)

    failed = ctx.failed()
    print("checklists: %.1f s" % (time.time() - t_start))
    if failed or args.keep:
        print("kept %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (len(ctx.results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
