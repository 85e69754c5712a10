/* SPDX-License-Identifier: Apache-2.0 */
/* Reset entry at 0x100: switch to 64-bit, clear .bss, set the stack and TOC, call fw_main. */

#include "asm.h"
#include <arch/stack_guard.h>

	.section .text.reset, "ax", @progbits
	.globl	_start
	.type	_start, @function
/*
 * QEMU starts CPU 0 here (SPAPR_ENTRY_POINT) in 32-bit big-endian real mode
 * with MSR = 0.  What the registers hold depends on the pairing:
 *   native (x-vof=off): r3 = flattened tree, r4 = 0, r1 = 0 (no stack);
 *   forward (x-vof=on): r3/r4 = initrd base/size, r1 = a stack QEMU claimed.
 * 0x100 is also the system-reset vector, and the image is re-copied from
 * QEMU's ROM blob on every reset, so nothing here may assume earlier state.
 */
_start:
	mr	%r5, %r1		/* fw_main(r3, r4, r1) */
	SWITCH_TO_64BIT(%r10, %r11)

	/* .bss holds the stack, so it is cleared before anything is stored. */
	LOAD_ADDR(%r8, __bss_start)
	LOAD_ADDR(%r9, __bss_end)
	li	%r0, 0
1:	cmpld	%r8, %r9
	bge	2f
	std	%r0, 0(%r8)
	addi	%r8, %r8, 8
	b	1b
2:
#ifdef CONFIG_EXCEPTION_VECTORS
	/* The guard word ci_entry and the exception report check. */
	LOAD_ADDR(%r8, __stack_bottom)
	lis	%r9, ARCH_STACK_CANARY@h
	ori	%r9, %r9, ARCH_STACK_CANARY@l
	stw	%r9, 0(%r8)
#endif
	LOAD_ADDR(%r1, __stack_top)
	stdu	%r0, -STACK_FRAME_MIN(%r1)	/* null back chain ends gdb backtraces */
	LOAD_ADDR(%r2, .TOC.)
	bl	fw_main
	b	.
	.size	_start, . - _start
