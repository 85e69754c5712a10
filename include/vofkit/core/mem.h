/* SPDX-License-Identifier: Apache-2.0 */
/* Real-address access and validation of client-supplied buffers. */
#ifndef VOFKIT_MEM_H
#define VOFKIT_MEM_H

#include <stdint.h>
#include <stdbool.h>

/*
 * Clients pass 32-bit real addresses.  The firmware runs in real mode with
 * the MMU off, so a real address is the pointer.  Host unit tests run the
 * same code against a simulated RAM buffer instead.
 */
#ifdef VOFKIT_HOST
extern uint8_t *host_ram;
/* Integer arithmetic: subtracting unrelated pointers would let the compiler
 * assume the object never escapes and drop stores to it. */
static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)((uintptr_t)host_ram + pa);
}
static inline uint64_t virt_to_phys(const void *p)
{
	return (uint64_t)((uintptr_t)p - (uintptr_t)host_ram);
}
#else
static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}
static inline uint64_t virt_to_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}
#endif

/* Top of RAM addressable in real mode (the RMA), set by platform init. */
extern uint64_t fw_ram_top;
/* The firmware's own memory [start, end): code, data, bss and stack. */
extern uint64_t fw_own_start, fw_own_end;

/* [addr, addr+len) lies in RAM and does not wrap. */
bool fw_mem_readable(uint64_t addr, uint64_t len);

/* Readable, and writing there cannot corrupt the firmware itself. */
bool fw_mem_writable(uint64_t addr, uint64_t len);

#endif /* VOFKIT_MEM_H */
