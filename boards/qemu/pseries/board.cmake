# SPDX-License-Identifier: Apache-2.0
# QEMU flags of board qemu_pseries: default pseries mode, the firmware replaces SLOF (-bios).
set(QEMU_BINARY qemu-system-ppc64)
set(QEMU_BOARD_FLAGS
  -machine pseries
  -m ${CONFIG_BOARD_RAM_MB}M
  -smp ${CONFIG_BOARD_NR_CPUS}
  -vga none
  -no-reboot)
