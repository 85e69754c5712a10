#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# boot.full_netself.*: expect the digest the firmware's network self-test must print for FILE, then run boot_test.py.
#
#   net_selftest.sh FILE boot_test.py-arguments...
#
# The digest is net/net_selftest.c's: FNV-1a over big-endian 64-bit words,
# the tail zero-padded.  Computed here from the file slirp serves, so a
# byte lost, doubled or misplaced anywhere in 45 MB fails the test.
set -eu
file=${1:?usage: net_selftest.sh FILE boot_test.py-arguments...}
shift
[ -f "$file" ] || { echo "net_selftest: FAIL: $file missing (run scripts/setup.sh)"; exit 1; }
digest=$(python3 - "$file" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
d += bytes(-len(d) % 8)
h, m = 0xcbf29ce484222325, (1 << 64) - 1
for (w,) in struct.iter_unpack('>Q', d):
    h = ((h ^ w) * 0x100000001b3) & m
print('%x' % h)
PY
)
size=$(stat -c %s "$file")
exec python3 "$(dirname "$0")/boot_test.py" "$@" --expect "NIC 0: $size bytes in " \
    --expect "digest $digest"
