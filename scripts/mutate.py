#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Mutation testing: apply each one-line mutant of tests/mutation/mutants.yaml in a copy of the tree, run its tests, print the score.
"""Mutation score of the test suite.

Every mutant in tests/mutation/mutants.yaml is one line of firmware source
changed the way a plausible bug would change it (an off-by-one, a dropped
check, a swapped field).  For each, in one scratch copy of the tracked tree:
the line is changed, the ctest tests named by the mutant's `tests` regex are
built and run, and the line is put back.  A mutant is

  killed    when at least one of its tests fails (or its test build fails to
            compile: then the "mutant" is not a valid program, which is
            reported separately as `invalid`, not as killed),
  survived  when every test passes,
  stale     when its `from` text is no longer found exactly once in `file`.

The score is killed / (killed + survived), where a survivor the list marks
`equivalent: true` (the change cannot alter behaviour; `why_survives` says
why) is left out of both.  Other survivors are listed with the reason the
list gives (`why_survives`), or flagged as new.

  scripts/mutate.py                 # every mutant
  scripts/mutate.py --only M03,M07  # some
  scripts/mutate.py --markdown docs/mutation.md

Exit status: 0 when the score reaches --target (default 0.9) and nothing is
stale, 1 otherwise, 2 on a usage or setup error.
"""

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MUTANTS = os.path.join(REPO, "tests", "mutation", "mutants.yaml")
KEYS = {"id", "file", "from", "to", "tests", "what", "why_survives", "equivalent"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def load_mutants(path):
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, dict) or not isinstance(data.get("mutants"), list):
        sys.exit("mutate: %s: expected a mapping with a `mutants` list" % path)
    seen = set()
    for m in data["mutants"]:
        unknown = set(m) - KEYS
        missing = {"id", "file", "from", "to", "tests", "what"} - set(m)
        if unknown or missing:
            sys.exit("mutate: %s: mutant %s: unknown keys %s, missing %s"
                     % (path, m.get("id"), sorted(unknown), sorted(missing)))
        if m["id"] in seen:
            sys.exit("mutate: duplicate mutant id %s" % m["id"])
        if m["from"] == m["to"] or "\n" in m["from"] or "\n" in m["to"]:
            sys.exit("mutate: mutant %s must change exactly one line" % m["id"])
        seen.add(m["id"])
    return data["mutants"]


def run(cmd, cwd, timeout=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, timeout=timeout)
    return p.returncode, p.stdout


def copy_tree(dst):
    rc, out = run(["git", "-C", REPO, "ls-files", "-z"], REPO)
    if rc:
        sys.exit("mutate: git ls-files failed: " + out)
    for rel in out.split("\0"):
        if not rel:
            continue
        src = os.path.join(REPO, rel)
        if not os.path.isfile(src):
            continue  # deleted in the working tree
        os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
        shutil.copy2(src, os.path.join(dst, rel))


def apply(tree, m):
    """Change the line; returns the original text, or None when `from` is not found exactly once."""
    path = os.path.join(tree, m["file"])
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return None
    if text.count(m["from"]) != 1:
        return None
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(m["from"], m["to"]))
    return text


def restore(tree, m, text):
    with open(os.path.join(tree, m["file"]), "w", encoding="utf-8") as f:
        f.write(text)


def test_mutant(tree, build, m, timeout):
    """killed / survived / invalid, and a short detail."""
    rc, out = run(["cmake", "--build", build], tree, timeout)
    if rc:
        return "invalid", "test build failed: " + (re.findall(r"error: .*", out) or ["?"])[0]
    rc, out = run(["ctest", "--test-dir", build, "-R", m["tests"], "-j", "2",
                   "--timeout", "600"], tree, timeout)
    failed = re.findall(r"\d+ - (\S+) \(", out)
    if "No tests were found" in out:
        return "invalid", "no test matches " + m["tests"]
    if rc == 0:
        return "survived", "every test of %s passed" % m["tests"]
    # a fixture build that fails to compile means the mutant is not a program
    if failed and all(t.startswith("build.") for t in failed):
        return "invalid", "firmware build failed"
    return "killed", "failed: " + ", ".join(failed[:4])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="comma-separated mutant ids")
    ap.add_argument("--target", type=float, default=0.9, help="score to reach (default 0.9)")
    ap.add_argument("--markdown", metavar="FILE", help="write the result table there")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per mutant (build + tests)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch copy")
    args = ap.parse_args()

    mutants = load_mutants(MUTANTS)
    if args.only:
        want = set(args.only.split(","))
        mutants = [m for m in mutants if m["id"] in want]
        if not mutants:
            ap.error("no mutant matches --only")
    started = datetime.datetime.now(datetime.timezone.utc)
    tmp = tempfile.mkdtemp(prefix="vofkit-mutate-")
    tree, build = os.path.join(tmp, "tree"), os.path.join(tmp, "build")
    results = []
    try:
        copy_tree(tree)
        rc, out = run(["cmake", "-S", os.path.join(tree, "tests"), "-B", build, "-G", "Ninja"],
                      tree)
        if rc:
            log(out)
            return 2
        # the unmutated tree must pass the union of the mutants' tests first
        union = "|".join(sorted({"(%s)" % m["tests"] for m in mutants}))
        rc, out = run(["cmake", "--build", build], tree)
        if rc == 0:
            rc, out = run(["ctest", "--test-dir", build, "-R", union, "-j", "2"], tree)
        if rc:
            log(out[-4000:])
            log("mutate: the unmutated tree fails its own tests; fix that first")
            return 2
        for i, m in enumerate(mutants, 1):
            t0 = time.monotonic()
            original = apply(tree, m)
            if original is None:
                state, detail = "stale", "`from` not found exactly once in " + m["file"]
            else:
                try:
                    state, detail = test_mutant(tree, build, m, args.timeout)
                except subprocess.TimeoutExpired:
                    state, detail = "killed", "timed out (a hang counts as caught)"
                finally:
                    restore(tree, m, original)
            results.append([m, state, detail, time.monotonic() - t0])
            log("[%d/%d] %s %s: %s (%s, %.0f s)" % (i, len(mutants), m["id"], m["what"], state,
                                                     detail, time.monotonic() - t0))
        # put the tree back the way it was tested first (incremental builds for the next run)
        run(["cmake", "--build", build], tree)
    finally:
        if args.keep:
            log("mutate: scratch copy kept in " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    for r in results:
        if r[1] == "survived" and r[0].get("equivalent"):
            r[1] = "equivalent"
    counts = {s: sum(1 for r in results if r[1] == s)
              for s in ("killed", "survived", "equivalent", "invalid", "stale")}
    decided = counts["killed"] + counts["survived"]
    score = counts["killed"] / decided if decided else 0.0
    lines = ["| id | file | mutant | result | detail |", "|---|---|---|---|---|"]
    for m, state, detail, _ in results:
        note = detail
        if state in ("survived", "equivalent"):
            note = m.get("why_survives") or "NEW SURVIVOR: no reason recorded"
        lines.append("| %s | `%s` | %s: `%s` → `%s` | %s | %s |" % (
            m["id"], m["file"], m["what"], m["from"].strip().replace("|", "\\|"),
            m["to"].strip().replace("|", "\\|"), state, note.replace("|", "\\|")))
    summary = ("mutation score %.1f%% (%d killed, %d survived; %d equivalent, %d invalid, "
               "%d stale) of %d mutants"
               % (100 * score, counts["killed"], counts["survived"], counts["equivalent"],
                  counts["invalid"], counts["stale"], len(results)))
    print("\n".join(lines))
    print()
    print(summary)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write("<!-- SPDX-License-Identifier: Apache-2.0 -->\n")
            f.write("<!-- Mutation score of the test suite: generated by scripts/mutate.py. -->\n\n")
            f.write("# Mutation testing\n\n")
            f.write("Generated by `/usr/bin/python3 scripts/mutate.py --markdown docs/mutation.md` "
                    "on %s UTC (tree %s). The mutants are in `tests/mutation/mutants.yaml`.\n\n"
                    % (started.strftime("%Y-%m-%d %H:%M"), git_describe()))
            f.write("**%s.** Target: %.0f%% killed.\n\n" % (summary, 100 * args.target))
            f.write("\n".join(lines) + "\n")
    return 0 if score >= args.target and not counts["stale"] and not counts["invalid"] else 1


def git_describe():
    rc, out = run(["git", "-C", REPO, "describe", "--always", "--dirty"], REPO)
    return out.strip() if rc == 0 else "unknown"


if __name__ == "__main__":
    sys.exit(main())
