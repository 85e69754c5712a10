# SPDX-License-Identifier: Apache-2.0
# Shared by the tests/build drivers: PASS/FAIL bookkeeping with a closing "N passed, N failed" line, and running commands.
"""Test bookkeeping for the python test drivers in tests/build/.

Each check prints PASS or FAIL with what it checked (and, on failure, the
tail of the output that explains it); finish() prints the closing line CI
reads and returns the exit status: 1 when anything failed or nothing was
checked at all (a driver that checks nothing must not pass).
"""

import os
import shutil
import subprocess


class Ctx:
    def __init__(self, workdir=None):
        self.workdir = workdir
        self.results = []

    def check(self, ok, what, detail=""):
        self.results.append(bool(ok))
        print("%s: %s" % ("PASS" if ok else "FAIL", what), flush=True)
        if not ok and detail:
            print("  ---- output ----\n  " + detail.strip()[-6000:].replace("\n", "\n  "),
                  flush=True)
        return bool(ok)

    def failed(self):
        return self.results.count(False)

    def fresh(self, name):
        """An empty directory `name` under the work directory."""
        path = os.path.join(self.workdir, name)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        return path

    def finish(self):
        failed = self.failed()
        print("%d passed, %d failed" % (len(self.results) - failed, failed))
        return 1 if failed or not self.results else 0


def run(cmd, cwd=None, env=None):
    """Run cmd with env added to ours; (exit status, stdout and stderr as text)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run(cmd, cwd=cwd, env=full_env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    return p.returncode, p.stdout
