#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job: build the default firmware and boot the Debian ppc64el kernel with it under QEMU.
# Run scripts/setup.sh first (the README's main command does both).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/common.sh
source "$root/scripts/lib/common.sh"
cache="$(vk_cache_dir)"
sample="${VOFKIT_SAMPLE:-full}"
board="${VOFKIT_BOARD:-qemu_pseries}"
build="${VOFKIT_BUILD:-$root/build/$sample-$board}"

bash "$root/tests/guests/mkinitramfs.sh" "$build-guest/initramfs.cpio.gz" >/dev/null
cmake -S "$root/samples/$sample" -B "$build" -G Ninja -DBOARD="$board" \
      -DQEMU_KERNEL="$cache/guests/vmlinux" \
      -DQEMU_INITRD="$build-guest/initramfs.cpio.gz" \
      -DQEMU_APPEND="console=hvc0 quiet"
ninja -C "$build"
# The guest's init prints its findings and powers off; QEMU then exits.
exec ninja -C "$build" run
