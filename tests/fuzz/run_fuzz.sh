#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run one libFuzzer target for a while from its seeds; fail on any crash, leak or sanitizer report.
#
#   run_fuzz.sh BINARY NAME SECONDS WORKDIR
#
# Corpus: WORKDIR/corpus (new inputs; kept between runs), the committed
# regression inputs tests/fuzz/corpus/NAME and the seeds made by mkseeds.sh
# ($VOFKIT_FUZZ_SEEDS/NAME).  A crashing input is written to
# WORKDIR/crash-* (copy it to tests/fuzz/corpus/NAME/ to keep it).  The last
# line is "fuzz NAME: SECONDS s, N executions, corpus C, findings F".
# VOFKIT_FUZZ_KEEP_GOING=1 (scripts/fuzz.sh): fuzz in a child process
# (-fork=1) that goes on after a crash; findings = crash files written.
set -u
bin=${1:?usage: run_fuzz.sh BINARY NAME SECONDS WORKDIR}
name=${2:?}
secs=${3:?}
work=${4:?}
here=$(cd "$(dirname "$0")" && pwd)

case $name in
partitions) max_len=131073 ;;
elf) max_len=600000 ;;
nvram) max_len=70000 ;;
dispatch) max_len=256 ;;
merge) max_len=262145 ;;
tree) max_len=4096 ;;
iso9660) max_len=131073 ;;
pxelinux) max_len=8192 ;;
*) max_len=65536 ;;
esac

[ -x "$bin" ] || { echo "run_fuzz: FAIL: $bin not built"; exit 1; }
mkdir -p "$work/corpus"
dirs=("$work/corpus")
[ -d "$here/corpus/$name" ] && dirs+=("$here/corpus/$name")
if [ -n "${VOFKIT_FUZZ_SEEDS:-}" ]; then
    [ -d "$VOFKIT_FUZZ_SEEDS/$name" ] || { echo "run_fuzz: FAIL: no seeds in $VOFKIT_FUZZ_SEEDS/$name"; exit 1; }
    dirs+=("$VOFKIT_FUZZ_SEEDS/$name")
fi
log="$work/fuzz.log"
rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mode=()
[ "${VOFKIT_FUZZ_KEEP_GOING:-0}" = 1 ] && mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
start=$(date +%s)
"$bin" "${mode[@]}" -max_total_time="$secs" -max_len="$max_len" -timeout=25 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/" "${dirs[@]}" >"$log" 2>&1
rc=$?
end=$(date +%s)
if [ "${#mode[@]}" -gt 0 ]; then
    execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -n 1)
else
    execs=$(awk '/stat::number_of_executed_units:/ { print $2 }' "$log" | tail -n 1)
fi
corpus=$(find "$work/corpus" -type f | wc -l)
findings=$(find "$work" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
bad=0
if [ "$rc" -ne 0 ] || [ "$findings" -ne 0 ] ||
    grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:|FUZZ ORACLE FAILED' "$log"; then
    bad=1
    grep -nE -A40 'ERROR: |runtime error:|FUZZ ORACLE FAILED|==ERROR|deadly signal' "$log" | head -80
    # each saved input once more, alone: its report's summary line (fork mode logs elsewhere)
    echo "distinct reports:"
    for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
        [ -f "$f" ] || continue
        timeout 60 "$bin" -runs=1 "$f" 2>&1 | grep -m1 -E '^SUMMARY: |FUZZ ORACLE FAILED' |
            sed 's/==[0-9]*==//' || echo "(no report when run alone: $f)"
    done | sort | uniq -c
    ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null
    [ "$findings" -eq 0 ] && findings=1
fi
tail -n 3 "$log" | grep -v '^$' || true
echo "fuzz $name: $((end - start)) s, ${execs:-0} executions, corpus $corpus, findings $findings"
[ "$bad" -eq 0 ] || { echo "fuzz $name: FAIL (log: $log)"; exit 1; }
echo "fuzz $name: PASS"
