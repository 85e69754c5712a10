#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Layer check: fail on any include or symbol reference that goes up (or sideways) the layer stack.

  scripts/check_layers.py [--root DIR] [--build BUILD_DIR ...] [--nm TOOL] [-v]

Include check (always): every #include in a .c/.h/.S file under a layer folder or include/ is
mapped to the layer of the header it names; a header of a higher layer, or of a peer layer of
the same rank, is reported.

Call check (with --build): the compiled objects of a firmware build are read with gcc-nm (which
also reads LTO objects).  Each object's defined global symbols are mapped to the layer of its
source file; every undefined symbol an object uses must be defined by an object of the same or
a lower layer.  Symbols no firmware object defines (newlib, libfdt, linker-script symbols such as
the registration-table bounds) are external and ignored.  A weak definition that a strong one
in a higher layer overrides is reported too: that is a call going up through the linker.
Objects, not source text, are the evidence: they hold every reference the compiler kept,
including those made through macros and function-pointer tables.  The one blind spot is a
symbol named only inside an inline-asm string of an LTO object (LTO symbol tables list what
the C code references); the firmware has none, and a -DCONFIG_LTO=n build would show them.

Output: one line per finding, `path:line: ...: upward dependency`, then a closing line
`layers: N upward references in F files (includes) / S symbols (calls)`.  Exit 1 on findings.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

# ---- the layer table: the one place to add a layer or a folder ----------------------------
# (name, rank, path prefixes relative to the repository root: source folders and header
# folders).  Lower rank = lower layer.  Layers with the same rank are peers: neither may
# depend on the other.
LAYERS = [
    ("arch",    0, ["arch/"]),
    ("lib",     1, ["lib/", "include/vofkit/lib/"]),
    ("core",    2, ["core/", "include/vofkit/core/"]),
    ("drivers", 3, ["drivers/", "include/vofkit/drivers/"]),
    ("block",   4, ["block/", "include/vofkit/block/"]),
    ("net",     4, ["net/", "include/vofkit/net/"]),
    ("boot",    5, ["boot/", "include/vofkit/boot/"]),
    ("ci",      6, ["ci-services/", "include/vofkit/ci/"]),
]
# Where the firmware build looks for <...> headers (CMakeLists.txt: target_include_directories),
# relative to the root; "*" matches one folder level (every arch).
INCLUDE_DIRS = ["include", "arch/*/include"]
# Header-name prefixes that belong to the project: such a header must map to a layer.  Any
# other header (<string.h>, <libfdt.h>, <stdint.h>, the build's autoconf.h) is external.
PROJECT_HEADER_PREFIXES = ["vofkit/", "arch/"]
# Folders scanned for includes besides the layer folders: headers outside every layer folder
# are reported, so a header cannot dodge the check by living in include/vofkit/.
EXTRA_SCAN_DIRS = ["include/"]
SOURCE_SUFFIXES = (".c", ".h", ".S")

# Upward calls that exist by design.  Key: (source file, symbol); value: why it is allowed.
# Keep this list short: each entry is a hole in the check.
ALLOWED_CALLS = {
    ("arch/ppc64/entry.S", "fw_main"):
        "the reset entry has nothing to return to: it sets up 64-bit mode, stack and BSS and "
        "then hands over to the boot flow for good",
    ("arch/ppc64/ci_entry.S", "ci_dispatch"):
        "the CI trampoline is the client's call gate: it saves the client's state and calls "
        "the dispatcher, which is the CI layer by definition",
    ("arch/ppc64/vectors.S", "fw_exception"):
        "a fatal exception vector has no caller to return to: it calls the crash report once, "
        "on its own stack, and the report goes on with the boot or powers off",
}
# Includes allowed upward by design: (file, header) -> reason.  Empty on purpose.
ALLOWED_INCLUDES = {}
# ---------------------------------------------------------------------------------------------

LAYER_RANK = {name: rank for name, rank, _ in LAYERS}
INCLUDE_RE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"]+)[>"]')


def layer_of(rel):
    """Layer name of a root-relative path, or None; the longest matching prefix wins."""
    best, best_len = None, -1
    for name, _, prefixes in LAYERS:
        for p in prefixes:
            if rel.startswith(p) and len(p) > best_len:
                best, best_len = name, len(p)
    return best


def verdict(user, used):
    """None if `user` may depend on `used`, else "upward" or "peer"."""
    if user == used:
        return None
    if LAYER_RANK[used] > LAYER_RANK[user]:
        return "upward"
    if LAYER_RANK[used] == LAYER_RANK[user]:
        return "peer"
    return None


def strip_comments(text):
    """Blank out C comments and string literals, keeping newlines so line numbers stay right."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def rel(root, path):
    return os.path.relpath(path, root).replace(os.sep, "/")


def scan_files(root):
    """Every .c/.h/.S file under the layer folders and the extra scan folders, sorted."""
    tops = set()
    for _, _, prefixes in LAYERS:
        tops.update(prefixes)
    tops.update(EXTRA_SCAN_DIRS)
    # A prefix inside another (include/vofkit/lib/ in include/) would scan files twice.
    files = set()
    for top in tops:
        base = os.path.join(root, top)
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for f in filenames:
                if f.endswith(SOURCE_SUFFIXES):
                    files.add(rel(root, os.path.join(dirpath, f)))
    return sorted(files)


def include_dirs(root):
    dirs = []
    for pattern in INCLUDE_DIRS:
        parts = pattern.split("/")
        found = [""]
        for part in parts:
            nxt = []
            for d in found:
                if part == "*":
                    full = os.path.join(root, d)
                    if os.path.isdir(full):
                        nxt += [os.path.join(d, e) for e in sorted(os.listdir(full))
                                if os.path.isdir(os.path.join(full, e))]
                else:
                    nxt.append(os.path.join(d, part))
            found = nxt
        dirs += [d.replace(os.sep, "/") for d in found]
    return dirs


def resolve_header(root, incdirs, src, kind, name):
    """(layer or None, project?) for the header `name` included from `src`.

    A quoted include is looked up next to the including file first, as the preprocessor
    does.  A project header (by name prefix) that exists in no include folder is still
    mapped by name, so a wrong or planted include is caught even before it compiles."""
    cands = []
    if kind == '"':
        cands.append(os.path.normpath(os.path.join(os.path.dirname(src), name)).replace(os.sep, "/"))
    cands += ["%s/%s" % (d, name) for d in incdirs]
    for c in cands:
        if os.path.isfile(os.path.join(root, c)):
            return layer_of(c), True, c
    if any(name.startswith(p) for p in PROJECT_HEADER_PREFIXES):
        for d in incdirs:
            lay = layer_of("%s/%s" % (d, name))
            if lay:
                return lay, True, None
        return None, True, None
    return None, False, None


def check_includes(root, findings):
    incdirs = include_dirs(root)
    files = scan_files(root)
    for f in files:
        user = layer_of(f)
        lines = strip_comments(read(os.path.join(root, f))).splitlines()
        for no, line in enumerate(lines, 1):
            m = INCLUDE_RE.match(line)
            if not m:
                continue
            kind, name = m.group(1), m.group(2).strip()
            used, project, _ = resolve_header(root, incdirs, f, kind, name)
            if not project:
                continue
            if (f, name) in ALLOWED_INCLUDES:
                continue
            if user is None:
                findings.append("%s:%d: file outside every layer includes %s: add its folder "
                                "to the layer table" % (f, no, name))
                continue
            if used is None:
                findings.append("%s:%d: %s includes %s (no layer): project header outside "
                                "every layer folder" % (f, no, user, name))
                continue
            v = verdict(user, used)
            if v:
                findings.append("%s:%d: %s includes %s (%s): %s dependency"
                                % (f, no, user, name, used, v))
    return len(files)


# ---- call check ------------------------------------------------------------------------------

def cache_value(build, key):
    path = os.path.join(build, "CMakeCache.txt")
    if not os.path.isfile(path):
        return None
    for line in read(path).splitlines():
        if line.startswith(key + ":"):
            return line.split("=", 1)[1]
    return None


def find_nm(build, override):
    """gcc-nm of the build's own compiler: it has the LTO plugin, plain nm does not."""
    if override:
        return override
    cc = cache_value(build, "CMAKE_C_COMPILER")
    if cc and cc.endswith("gcc"):
        cand = cc + "-nm"
        if os.path.isfile(cand) or shutil.which(cand):
            return cand
    for cand in ("powerpc64-linux-gnu-gcc-nm", "gcc-nm"):
        if shutil.which(cand):
            return cand
    sys.exit("check_layers: no gcc-nm found (give --nm)")


def link_objects(build):
    """Objects of the firmware link, relative to `build`.

    Taken from the firmware.elf link edge in build.ninja, so stale objects of sources a
    reconfigure dropped are not counted; without a build.ninja (a hand-made object folder)
    every *.obj under a firmware.dir folder is used."""
    ninja = os.path.join(build, "build.ninja")
    if os.path.isfile(ninja):
        text = read(ninja).replace("$\n", " ")
        for line in text.splitlines():
            m = re.match(r"build (.*?): (C_EXECUTABLE_LINKER__firmware\S*) (.*)$", line)
            if not m:
                continue
            objs = []
            for tok in re.split(r"(?<!\$) ", m.group(3)):
                if tok in ("|", "||"):
                    break
                tok = tok.replace("$ ", " ").replace("$:", ":").replace("$$", "$")
                if tok.endswith((".obj", ".o")):
                    objs.append(tok)
            return objs
    objs = []
    for dirpath, _, filenames in os.walk(build):
        if "firmware.dir" in dirpath.replace(os.sep, "/").split("/"):
            objs += [os.path.relpath(os.path.join(dirpath, f), build)
                     for f in filenames if f.endswith((".obj", ".o"))]
    return sorted(objs)


def source_of(obj):
    """Root-relative source path of a CMake object path (…/firmware.dir/<source>.obj)."""
    parts = obj.replace(os.sep, "/").split("/")
    if "firmware.dir" not in parts:
        return None
    src = "/".join(parts[parts.index("firmware.dir") + 1:])
    for suffix in (".obj", ".o"):
        if src.endswith(suffix):
            return src[:-len(suffix)]
    return src


def read_symbols(nm, build, objs):
    """{obj: [(type, name)]} from one `gcc-nm -A -P` call over all objects."""
    res = {o: [] for o in objs}
    if not objs:
        return res
    p = subprocess.run([nm, "-A", "-P"] + objs, cwd=build, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if p.returncode != 0:
        sys.exit("check_layers: %s failed in %s:\n%s" % (nm, build, p.stderr))
    for line in p.stdout.splitlines():
        # "<obj>: <name> <type> [value size]"; an archive would add "[member]".
        head, sep, rest = line.partition(": ")
        if not sep or head not in res:
            continue
        fields = rest.split()
        if len(fields) >= 2:
            res[head].append((fields[1], fields[0]))
    return res


def symbol_line(root, src, sym):
    """First line of `src` that names `sym` outside a comment, for the report (0 if none)."""
    path = os.path.join(root, src)
    if not os.path.isfile(path):
        return 0
    pat = re.compile(r"(?<![A-Za-z0-9_])%s(?![A-Za-z0-9_])" % re.escape(sym))
    for no, line in enumerate(strip_comments(read(path)).splitlines(), 1):
        if pat.search(line):
            return no
    return 0


def check_calls(root, builds, nm_override, findings, notes, used_allow):
    checked = set()
    seen = set()
    for build in builds:
        if not os.path.isdir(build):
            sys.exit("check_layers: no build directory %s" % build)
        objs = link_objects(build)
        if not objs:
            sys.exit("check_layers: no firmware objects in %s (not built?)" % build)
        syms = read_symbols(find_nm(build, nm_override), build, objs)
        src_layer = {}
        strong, weak = {}, {}
        for o in objs:
            src = source_of(o)
            lay = layer_of(src) if src else None
            src_layer[o] = (src, lay)
            if src and lay is None and os.path.isfile(os.path.join(root, src)):
                key = ("unlayered", src)
                if key not in seen:
                    seen.add(key)
                    findings.append("%s:0: built into the firmware from a folder outside every "
                                    "layer: add its folder to the layer table" % src)
            for t, name in syms[o]:
                if t in "UNn-?":
                    continue
                if t in "WwVv":
                    weak.setdefault(name, []).append(o)
                elif t.isupper() or t == "u":   # global (u: GNU unique)
                    strong.setdefault(name, []).append(o)
        for o in objs:
            src, user = src_layer[o]
            if user is None:
                if src is None or not os.path.isfile(os.path.join(root, src)):
                    notes.append("note: %s: %s is not a source of this tree: not checked"
                                 % (build, o))
                continue
            for t, name in syms[o]:
                overridden = t in "WwVv" and name in strong
                if t != "U" and not overridden:
                    continue
                definers = strong.get(name) or weak.get(name) or []
                definers = [d for d in definers if d != o and src_layer[d][1]]
                if not definers:
                    continue   # newlib, libfdt, linker-script symbol: external
                checked.add((src, name))
                if (src, name) in ALLOWED_CALLS:
                    used_allow.add((src, name))
                    continue
                for d in definers:
                    dsrc, dlay = src_layer[d]
                    v = verdict(user, dlay)
                    if not v:
                        continue
                    key = (src, name, dsrc)
                    if key in seen:
                        continue
                    seen.add(key)
                    what = ("defines %s weak, overridden by" % name if overridden
                            else "references %s defined in" % name)
                    findings.append("%s:%d: %s %s %s (%s): %s dependency"
                                    % (src, symbol_line(root, src, name), user, what, dsrc,
                                       dlay, v))
    return len(checked)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--root", default=os.path.dirname(here),
                   help="repository root (default: the one this script is in)")
    p.add_argument("--build", action="append", default=[],
                   help="firmware build directory for the call check (repeatable)")
    p.add_argument("--nm", help="nm tool with LTO support (default: the build's gcc-nm)")
    p.add_argument("-v", "--verbose", action="store_true", help="also list the allowlist")
    args = p.parse_args()
    root = os.path.abspath(args.root)

    findings, notes, used_allow = [], [], set()
    nfiles = check_includes(root, findings)
    nsyms = None
    if args.build:
        nsyms = check_calls(root, [os.path.abspath(b) for b in args.build], args.nm,
                            findings, notes, used_allow)
        for key in sorted(set(ALLOWED_CALLS) - used_allow):
            # Not an error (a build may leave a file out), but a hint the list has gone stale.
            notes.append("note: allowlist entry %s -> %s was not used" % key)
    if args.verbose:
        for (src, sym), why in sorted(ALLOWED_CALLS.items()):
            notes.append("allowed: %s -> %s: %s" % (src, sym, why))
    for line in findings:
        print(line)
    for line in notes:
        print(line)
    calls = ("%d symbols (calls)" % nsyms) if nsyms is not None else "calls not checked (no --build)"
    print("layers: %d upward references in %d files (includes) / %s" % (len(findings), nfiles, calls))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
