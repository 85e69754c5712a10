#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Long fuzz runs: every libFuzzer target (tests/fuzz/) for MINUTES each, one after another,
# with a row per target appended to docs/fuzzing.md.
#
#   bash scripts/fuzz.sh MINUTES [TARGET...]      (default: all targets)
#
# Builds the targets in build/tests (as scripts/run-tests.sh configures it),
# dumps QEMU's trees and makes the seeds if needed, then runs each target in
# fork mode (a crash is saved and fuzzing goes on) with its corpus kept in
# build/fuzz-runs/TARGET/corpus, so a later run continues from it.  Crash
# inputs land in build/fuzz-runs/TARGET/crash-*; the distinct reports are
# printed.  Set VOFKIT_FUZZ_NO_RECORD=1 to leave docs/fuzzing.md alone.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes=${1:?usage: scripts/fuzz.sh MINUTES [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(partitions elf nvram dispatch merge tree iso9660 dhcp tftp)
[[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "fuzz.sh: MINUTES must be a number" >&2; exit 2; }
secs=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')
build="${VOFKIT_TEST_BUILD:-$root/build/tests}"
runs="$root/build/fuzz-runs"
doc="$root/docs/fuzzing.md"

cmake -S "$root/tests" -B "$build" -G Ninja >/dev/null
for t in "${targets[@]}"; do
    ninja -C "$build" -j1 "vk_fuzz_$t" >/dev/null
done
dtbs="$build/unit/dtbs"
[ -s "$dtbs/basic.dtb" ] || bash "$root/tests/unit/dump_trees.sh" "$dtbs" >/dev/null
seeds="$build/fuzz/seeds"
[ -d "$seeds/elf" ] || VOFKIT_DTB_DIR="$dtbs" bash "$root/tests/fuzz/mkseeds.sh" "$seeds" >/dev/null

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "?")
status=0
for t in "${targets[@]}"; do
    echo "fuzz.sh: $t for $secs s"
    set +e
    out=$(VOFKIT_FUZZ_KEEP_GOING=1 VOFKIT_FUZZ_SEEDS="$seeds" VOFKIT_DTB_DIR="$dtbs" \
        bash "$root/tests/fuzz/run_fuzz.sh" "$build/fuzz/fuzz_$t" "$t" "$secs" "$runs/$t")
    rc=$?
    set -e
    echo "$out" | grep -E '^fuzz |distinct reports|^ +[0-9]+ (SUMMARY|FUZZ)' || true
    [ $rc -eq 0 ] || status=1
    line=$(echo "$out" | grep -E "^fuzz $t: [0-9]+ s," | tail -n 1)
    if [ -n "$line" ] && [ "${VOFKIT_FUZZ_NO_RECORD:-0}" != 1 ]; then
        # fuzz NAME: S s, N executions, corpus C, findings F
        read -r s n c f < <(sed -E 's/^fuzz [^:]+: ([0-9]+) s, ([0-9]+) executions, corpus ([0-9]+), findings ([0-9]+)$/\1 \2 \3 \4/' <<<"$line")
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$t" "$s" "$n" "$c" "$f" \
            "$commit" >>"$doc"
    fi
done
exit $status
