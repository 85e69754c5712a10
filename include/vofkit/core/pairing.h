/* SPDX-License-Identifier: Apache-2.0 */
/* The QEMU pairing: how the firmware takes over from QEMU; one implementation per pairing, chosen by the board. */
#ifndef VOFKIT_CORE_PAIRING_H
#define VOFKIT_CORE_PAIRING_H

#include <stdint.h>

/*
 * Exactly one of core/pairing/native.c (QEMU_PAIRING_NATIVE: QEMU hands
 * over its FDT, the firmware owns tree and memory) and core/pairing/forward.c
 * (QEMU_PAIRING_FORWARD: x-vof=on, QEMU's VOF owns them) is compiled.  Both
 * also serve the first group of <vofkit/core/tree.h>.  Nothing is chosen
 * at run time and nothing is weak: a missing function is a link error.
 */

/* The registers QEMU left at reset; their meaning depends on the pairing. */
struct fw_entry_regs {
	uint64_t r3;	/* native: the FDT; forward: initrd base */
	uint64_t r4;	/* forward: initrd size */
	uint64_t r1;	/* forward: QEMU's 32 KiB stack for the client */
};

/*
 * Take over from QEMU: the tree is usable and fw_ram_top is the RMA size
 * when this returns 0.  Called by fw_main after FW_INIT_EARLY (so failures
 * can be printed) and before every other init level.
 */
int pairing_init(const struct fw_entry_regs *regs);

/* Top of the stack a client starts on. */
uint64_t pairing_client_stack_top(void);

/*
 * Reserve [addr, addr + size) of client memory for an image the firmware
 * loads itself (ELF segments), so it never overlaps the firmware or memory
 * already handed out.  0, or -1 when any of it is taken or outside RAM.
 */
int pairing_claim(uint64_t addr, uint64_t size);

/*
 * Give back exactly what one pairing_claim(addr, size) took, when the
 * image it was for is refused after all (the loader's claims must not
 * outlive a failed load, or the next device cannot be loaded).  Calls
 * that do not match a claim of the firmware's own are not made.
 */
void pairing_release(uint64_t addr, uint64_t size);

/*
 * Reserve size bytes of client memory anywhere, at a base aligned to
 * align (a power of two; 0 or 1: any), for a buffer the firmware fills
 * itself (a network boot's load window).  The native pairing takes the
 * lowest free fit above the firmware; the forward pairing has no such
 * user and answers -1.  0 and *base set, or -1.  pairing_release(*base,
 * size) gives it back.
 */
int pairing_claim_any(uint64_t size, uint64_t align, uint64_t *base);

#endif /* VOFKIT_CORE_PAIRING_H */
