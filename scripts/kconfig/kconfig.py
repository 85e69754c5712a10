#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Merge Kconfig fragments into .config and autoconf.h, treating every doubt as an error.
"""Strict Kconfig merge for vofkit builds.

Fragments are applied in the order given (board defconfig, sample prj.conf,
EXTRA_CONF_FILE, command-line -DCONFIG_...), a later one overriding an
earlier one.  With --keep-existing the current .config is the only input:
that is how menuconfig edits survive a re-configure.

Errors (each reported as one line naming the symbol and the file):
  * an assignment to a symbol that does not exist;
  * an assignment to a symbol the user cannot set (no prompt);
  * an assignment that did not take effect (unmet dependency, range, ...);
  * any other kconfiglib warning.
"""

import argparse
import os
import re
import sys

try:
    import kconfiglib
except ImportError:
    sys.exit("error: Python module kconfiglib missing for %s; run scripts/setup.sh "
             "(or: apt-get install python3-kconfiglib)" % sys.executable)

ASSIGN_RE = re.compile(r"^(CONFIG_[A-Za-z0-9_]+)=(.*)$")
UNSET_RE = re.compile(r"^# (CONFIG_[A-Za-z0-9_]+) is not set$")


def parse_fragment(path):
    """Yield (line number, symbol name without CONFIG_, value or None for 'not set')."""
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            m = ASSIGN_RE.match(line)
            if m:
                yield lineno, m.group(1)[len("CONFIG_"):], m.group(2)
                continue
            m = UNSET_RE.match(line)
            if m:
                yield lineno, m.group(1)[len("CONFIG_"):], None


def unquote(value):
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def unmet_dependencies(sym):
    """Name the parts of a symbol's dependency that are false."""
    parts = kconfiglib.split_expr(sym.direct_dep, kconfiglib.AND)
    unmet = [kconfiglib.expr_str(p) for p in parts if kconfiglib.expr_value(p) == 0]
    return " && ".join(unmet)


def check_assignments(kconf, fragments):
    """Every hand-written assignment must name a settable symbol and take effect."""
    errors = []
    last = {}
    for path in fragments:
        for lineno, name, value in parse_fragment(path):
            last[name] = (path, lineno, value)

    for name, (path, lineno, value) in sorted(last.items()):
        where = "%s:%d" % (path, lineno)
        sym = kconf.syms.get(name)
        if sym is None or not sym.nodes:
            errors.append("%s: CONFIG_%s is not a known Kconfig symbol; check the "
                          "spelling (menuconfig lists them) or remove the line"
                          % (where, name))
            continue
        if not any(node.prompt for node in sym.nodes):
            errors.append("%s: CONFIG_%s cannot be set by hand (it has no prompt; "
                          "boards and other options select it)" % (where, name))
            continue
        wanted = "n" if value is None else unquote(value)
        actual = sym.str_value
        if sym.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
            same = wanted == actual
        elif sym.orig_type in (kconfiglib.INT, kconfiglib.HEX):
            try:
                same = int(wanted, 0) == int(actual, 0)
            except ValueError:
                same = False
        else:
            same = wanted == actual
        if not same:
            reason = ""
            if sym.direct_dep is not kconf.y and kconfiglib.expr_value(sym.direct_dep) == 0:
                reason = "; it depends on %s, which is not met" % unmet_dependencies(sym)
            elif sym.orig_type in (kconfiglib.INT, kconfiglib.HEX) and sym.ranges:
                reason = "; the value must be within its range (see menuconfig)"
            errors.append("%s: CONFIG_%s=%s did not take effect (the result is '%s')%s"
                          % (where, name, value if value is not None else "n",
                             actual, reason))
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kconfig_root")
    parser.add_argument("dotconfig")
    parser.add_argument("autoconf_h")
    parser.add_argument("sources_txt", help="where to list every Kconfig file parsed")
    parser.add_argument("fragments", nargs="*")
    parser.add_argument("--keep-existing", action="store_true",
                        help="load only the existing .config (keeps menuconfig edits)")
    args = parser.parse_args()

    for path in args.fragments:
        if not os.path.isfile(path):
            sys.exit("error: configuration fragment %s does not exist" % path)

    kconf = kconfiglib.Kconfig(args.kconfig_root, warn_to_stderr=False,
                               suppress_traceback=True)
    kconf.warn_assign_undef = True
    # prj.conf overrides the board defconfig on purpose: not worth a warning.
    kconf.warn_assign_override = False
    kconf.warn_assign_redun = False

    if args.keep_existing and os.path.isfile(args.dotconfig):
        kconf.load_config(args.dotconfig)
        errors = []
    else:
        if args.fragments:
            kconf.load_config(args.fragments[0])
            for path in args.fragments[1:]:
                kconf.load_config(path, replace=False)
        errors = check_assignments(kconf, args.fragments)

    for warning in kconf.warnings:
        # Undefined-symbol warnings are already reported above, by name.
        if "undefined symbol" in warning:
            continue
        errors.append(warning.replace("\n", " ").strip())

    if errors:
        for e in errors:
            print("error: " + e, file=sys.stderr)
        sys.exit(1)

    kconf.write_config(args.dotconfig, header="# vofkit configuration (generated)\n")
    kconf.write_autoconf(args.autoconf_h,
                         header="/* vofkit configuration (generated; do not edit) */\n")
    with open(args.sources_txt, "w", encoding="utf-8") as f:
        for name in sorted(set(kconf.kconfig_filenames)):
            f.write(os.path.join(kconf.srctree, name) + "\n")


if __name__ == "__main__":
    main()
