/* SPDX-License-Identifier: Apache-2.0 */
/* Exception vectors 0x200-0xf80: report a crash once and leave, or return from maskable interrupts. */

#include "asm.h"

/*
 * The firmware image is loaded at 0 and interrupts are taken in real mode
 * at their architected offsets (LPCR[AIL] = 0), so whatever lies at
 * 0x200..0xfff runs when a client crashes while the firmware still owns the
 * machine (GRUB, Linux's prom_init before it copies its own vectors).  This
 * section is placed at 0x200 by firmware.ld.in; each vector sits at its
 * offset through .org, and the space in between is zero (an illegal
 * instruction, never reached: every slot ends in a branch or rfid).
 *
 * Two kinds of vector:
 *  - fatal (storage, alignment, program, unavailable facilities, ...): the
 *    client's state is not returned to, so registers are used freely.  The
 *    vector number goes in r11 and exc_fatal calls fw_exception on the
 *    exception stack (never the client's stack, which may be what broke).
 *  - maskable asynchronous (external, decrementer, doorbell, performance
 *    monitor): only a client that set MSR[EE] gets these, and it cannot be
 *    expecting them, as the vectors are the firmware's.  They return with
 *    rfid without a report; see the stubs for why each cannot recur.
 * Hypercalls (sc 1) never arrive here: QEMU's virtual hypervisor serves
 * them.  0x100 (system reset) is _start, in entry.S.
 */

/* Absolute scratch doubleword for the returning stubs: one register must be
 * freed before anything else, and real mode offers only the RA=0 form
 * (a 16-bit absolute address) without touching a client register or SPRG. */
#define EXC_SCRATCH	0xff8

#define SLOT(vec)	.org (vec) - 0x200

/* A fatal vector: r11 = the vector, then the common report path. */
.macro FATAL vec
	SLOT(\vec)
	li	%r11, \vec
	b	exc_fatal
.endm

/* A maskable interrupt whose source cannot be silenced here (external,
 * doorbell, performance monitor): return with MSR[EE] cleared in SRR1, so a
 * level-triggered source does not re-interrupt forever. */
.macro MASK_AND_RETURN vec
	SLOT(\vec)
	std	%r11, EXC_SCRATCH(0)
	mfsrr1	%r11
	ori	%r11, %r11, 0x8000	/* MSR[EE] */
	xori	%r11, %r11, 0x8000
	mtsrr1	%r11
	ld	%r11, EXC_SCRATCH(0)
	rfid
.endm

	.section .text.vectors, "ax", @progbits
	.globl	__vectors_start
__vectors_start:
	FATAL	0x200			/* machine check */

/* The common fatal path, in the machine-check slot's spare room. */
exc_fatal:
	mr	%r3, %r11		/* fw_exception(vector, srr0, srr1, dar, dsisr, r1, lr) */
	mfsrr0	%r4
	mfsrr1	%r5
	mfdar	%r6
	mfdsisr	%r7
	mr	%r8, %r1
	mflr	%r9
	/* The interrupt set MSR[SF]; the firmware is linked below 2 GiB. */
	LOAD_ADDR(%r1, __exc_stack_top)
	li	%r0, 0
	stdu	%r0, -STACK_FRAME_MIN(%r1)
	LOAD_ADDR(%r2, .TOC.)
	bl	fw_exception
	nop
	b	.			/* fw_exception does not return */

	.globl	exc_report_stack_overflow
/* ci_entry found the guard word overwritten: report it as pseudo-vector 0. */
exc_report_stack_overflow:
	li	%r11, 0
	b	exc_fatal

	FATAL	0x300			/* data storage */
	FATAL	0x380			/* data segment */
	FATAL	0x400			/* instruction storage */
	FATAL	0x480			/* instruction segment */
	MASK_AND_RETURN 0x500		/* external */
	FATAL	0x600			/* alignment */
	FATAL	0x700			/* program */
	FATAL	0x800			/* floating-point unavailable */

	/* Decrementer: the source is DEC itself, which stays negative (and on
	 * POWER9 the interrupt stays pending) until rewritten; the largest
	 * positive value puts the next one about 4 s away, and EE stays as the
	 * client set it. */
	SLOT(0x900)
	std	%r11, EXC_SCRATCH(0)
	lis	%r11, 0x7fff
	ori	%r11, %r11, 0xffff
	mtdec	%r11
	ld	%r11, EXC_SCRATCH(0)
	rfid

	FATAL	0x980			/* hypervisor decrementer */
	MASK_AND_RETURN 0xa00		/* directed privileged doorbell */
	FATAL	0xb00			/* reserved */
	FATAL	0xc00			/* system call (sc 0; sc 1 goes to QEMU) */
	FATAL	0xd00			/* trace */
	FATAL	0xe00			/* hypervisor data storage */
	FATAL	0xe20			/* hypervisor instruction storage */
	FATAL	0xe40			/* hypervisor emulation assistance */
	FATAL	0xe60			/* hypervisor maintenance */
	FATAL	0xe80			/* directed hypervisor doorbell */
	FATAL	0xea0			/* hypervisor virtualization */
	MASK_AND_RETURN 0xf00		/* performance monitor */
	FATAL	0xf20			/* vector unavailable */
	FATAL	0xf40			/* VSX unavailable */
	FATAL	0xf60			/* facility unavailable */
	FATAL	0xf80			/* hypervisor facility unavailable */

	SLOT(EXC_SCRATCH)
	.quad	0
	.globl	__vectors_end
__vectors_end:

	.section .text.arch_call_on_stack, "ax", @progbits
	.globl	arch_call_on_stack
	.type	arch_call_on_stack, @function
/*
 * arch_call_on_stack(fn r3, stack_top r4): call fn() with r1 = stack_top,
 * abandoning the current stack.  The exception report uses it to go on with
 * the boot on a fresh firmware stack: nothing below is ever returned to.
 */
arch_call_on_stack:
	mr	%r1, %r4
	li	%r0, 0
	stdu	%r0, -STACK_FRAME_MIN(%r1)	/* null back chain */
	mr	%r12, %r3			/* ELFv2 global entry wants its address in r12 */
	mtctr	%r3
	bctrl
	b	.
	.size	arch_call_on_stack, . - arch_call_on_stack
