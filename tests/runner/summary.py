# SPDX-License-Identifier: Apache-2.0
# Run one tests/runner module's unittest cases and end with the suite's "N passed, N failed" line.
import sys
import unittest


def main(module_name, argv=None):
    """Run the TestCase classes of module module_name; return the process exit status."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[module_name])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    # Skips count as failures: every case here must run to mean anything.
    failed += len(result.skipped)
    print("%d passed, %d failed" % (result.testsRun - failed, failed))
    return 1 if failed or result.testsRun == 0 else 0
