#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run every test (unit, build matrix, build-system checks, QEMU boots) through ctest.
# Run scripts/setup.sh first (the README's test command does both).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${VOFKIT_TEST_BUILD:-$root/build/tests}"

cmake -S "$root/tests" -B "$build" -G Ninja >/dev/null
cmake --build "$build"
# Two jobs: builds and QEMU boots hold locks (RESOURCE_LOCK) so they don't
# starve each other on a 2-core machine; unit tests run beside them.
ctest --test-dir "$build" --output-on-failure -j 2 "$@"
