# SPDX-License-Identifier: Apache-2.0
# QEMU flags of board qemu_pseries_vof: pseries with QEMU's built-in VOF (x-vof=on).
set(QEMU_BINARY qemu-system-ppc64)
# No VGA: QEMU writes /chosen stdout-path only when there is no display.
set(QEMU_BOARD_FLAGS
  -machine pseries,x-vof=on
  -m ${CONFIG_BOARD_RAM_MB}M
  -smp ${CONFIG_BOARD_NR_CPUS}
  -vga none
  -no-reboot)
