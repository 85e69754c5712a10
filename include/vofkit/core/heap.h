/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware heap (native pairing): a bump allocator between the image and CONFIG_FW_HEAP_END. */
#ifndef VOFKIT_HEAP_H
#define VOFKIT_HEAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * [__fw_end, CONFIG_FW_HEAP_END) belongs to the firmware: the tree copy,
 * its index, instance tables, the client stack.  It stays below 1.5 MiB:
 * GRUB never claims there ("OpenFirmware hangs on qemu if one requests any
 * memory below 1.5 MiB") and loads itself at 2 MiB; Linux loads at 4 MiB.
 * The claim module pre-claims [0, fw_heap_end()) so no client gets it.
 * Nothing is ever freed: the firmware's needs are fixed after boot.
 */
void *fw_heap_alloc(size_t size, size_t align);
/* The end of the region (the first byte clients may own). */
uint64_t fw_heap_end(void);
/* The end of the heap proper; the client's start-up stack lies above it. */
uint64_t fw_heap_limit(void);

#endif
