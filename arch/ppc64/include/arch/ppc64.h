/* SPDX-License-Identifier: Apache-2.0 */
/* ppc64 processor definitions and the client-entry helper. */
#ifndef ARCH_PPC64_H
#define ARCH_PPC64_H

#include <stdint.h>

#define MSR_SF		(1ull << 63)	/* 64-bit mode */
#define MSR_ME		(1ull << 12)
#define MSR_LE		(1ull << 0)

#ifdef VOFKIT_HOST
/* Host unit tests: no timebase, nothing to synchronise. */
uint64_t mftb(void);
static inline void arch_sync_icache(void *addr, unsigned long len)
{
	(void)addr;
	(void)len;
}
#else
static inline uint64_t mftb(void)
{
	uint64_t tb;

	__asm__ volatile("mftb %0" : "=r"(tb));
	return tb;
}

/* Make freshly written code visible to instruction fetch (copied stubs). */
static inline void arch_sync_icache(void *addr, unsigned long len)
{
	char *p = (char *)((unsigned long)addr & ~127ul);
	char *end = (char *)addr + len;

	for (; p < end; p += 128)
		__asm__ volatile("dcbst 0,%0; sync; icbi 0,%0" : : "r"(p) : "memory");
	__asm__ volatile("sync; isync" : : : "memory");
}
#endif

/*
 * Start a client (OS or boot loader) in 32-bit big-endian real mode, as
 * SLOF and QEMU's vof.bin do: r3/r4 = initrd base/size, r5 = CI entry,
 * r1 = the stack top.  Does not return.
 */
void arch_enter_client(uint64_t entry, uint64_t r3, uint64_t r4,
		       uint64_t stack_top) __attribute__((noreturn));

/*
 * Call fn() with r1 = stack_top, abandoning the current stack (the
 * exception report restarts the boot on a fresh firmware stack).
 */
void arch_call_on_stack(void (*fn)(void), uint64_t stack_top)
	__attribute__((noreturn));

/* The client-interface entry point handed to clients in r5. */
void ci_entry(void);

#endif /* ARCH_PPC64_H */
