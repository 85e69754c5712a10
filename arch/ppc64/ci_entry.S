/* SPDX-License-Identifier: Apache-2.0 */
/* Client-interface trampoline: any big-endian client (32- or 64-bit) into the C dispatcher. */

#include "asm.h"
#include <arch/stack_guard.h>

/* Frame layout above the ELFv2 minimum frame the callee may use. */
#define CI_SAVE_MSR	(STACK_FRAME_MIN + 0)
#define CI_SAVE_LR	(STACK_FRAME_MIN + 8)
#define CI_SAVE_R2	(STACK_FRAME_MIN + 16)
#define CI_SAVE_R13	(STACK_FRAME_MIN + 24)
#define CI_SAVE_CR	(STACK_FRAME_MIN + 32)
#define CI_FRAME	(STACK_FRAME_MIN + 48)

	.section .text.ci_entry, "ax", @progbits
	.globl	ci_entry
	.type	ci_entry, @function
/*
 * IEEE 1275 client entry: r3 = argument array, return status in r3 (0 done,
 * -1 unknown service).  Callers:
 *   Linux enter_prom: clears MSR[SF] and [LE] and rfids here, so 32-bit BE;
 *     an LE kernel switches to BE first.  It only needs r1's low word back.
 *   GRUB (32-bit SysV code): expects r1, r2, r13-r31 and CR2-CR4 preserved.
 *   64-bit BE clients: same rules in 64-bit mode.
 * A 32-bit caller's registers may hold garbage in their high words, so the
 * argument pointer is cut to 32 bits (cells and pointers are 32-bit real
 * addresses).  The firmware runs on its own stack, so a client with a small
 * stack cannot be overrun by the C code; r14-r31 and CR2-CR4 are preserved
 * by the C code itself (ELFv2 callee-saved); r2, r13, LR, the full CR and
 * the caller's MSR (and with it 32-/64-bit mode) are saved here.
 */
ci_entry:
	mfmsr	%r11
	mr	%r12, %r1
	LOAD_ADDR(%r1, __stack_top)
	SWITCH_TO_64BIT(%r10, %r0)
	stdu	%r12, -CI_FRAME(%r1)	/* back chain = caller's stack */
	std	%r11, CI_SAVE_MSR(%r1)
	mflr	%r0
	std	%r0, CI_SAVE_LR(%r1)
	mfcr	%r0
	stw	%r0, CI_SAVE_CR(%r1)
	std	%r2, CI_SAVE_R2(%r1)
	std	%r13, CI_SAVE_R13(%r1)
	LOAD_ADDR(%r2, .TOC.)
	clrldi	%r3, %r3, 32
	bl	ci_dispatch
	nop
#ifdef CONFIG_EXCEPTION_VECTORS
	/* A call that ran the stack past its bottom has overwritten .bss
	 * below it: report that before the client sees any result. */
	LOAD_ADDR(%r11, __stack_bottom)
	lwz	%r11, 0(%r11)
	lis	%r12, ARCH_STACK_CANARY@h
	ori	%r12, %r12, ARCH_STACK_CANARY@l
	cmplw	%r11, %r12
	bne-	exc_report_stack_overflow
#endif
	ld	%r13, CI_SAVE_R13(%r1)
	ld	%r2, CI_SAVE_R2(%r1)
	lwz	%r0, CI_SAVE_CR(%r1)
	mtcrf	0xff, %r0
	ld	%r0, CI_SAVE_LR(%r1)
	mtlr	%r0
	ld	%r11, CI_SAVE_MSR(%r1)
	ld	%r1, 0(%r1)
	mtmsrd	%r11			/* back to the caller's 32- or 64-bit mode */
	isync
	blr
	.size	ci_entry, . - ci_entry

	.section .text.arch_enter_client, "ax", @progbits
	.globl	arch_enter_client
	.type	arch_enter_client, @function
/*
 * arch_enter_client(entry r3, initrd r4, initrd_size r5, stack_top r6)
 * Enter a client the way SLOF and vof.bin do: 32-bit big-endian real mode
 * (rfid with MSR[SF] cleared), r3/r4 = initrd, r5 = CI entry, r1 = stack.
 * r1 sits 256 bytes below the top: an ELFv1 client (the 64-bit BE kernel's
 * prom_init) may store into its caller's parameter save area above r1.
 */
arch_enter_client:
	mtsrr0	%r3
	mfmsr	%r7
	clrldi	%r7, %r7, 1
	mtsrr1	%r7
	addi	%r1, %r6, -256
	clrrdi	%r1, %r1, 4
	li	%r0, 0
	std	%r0, 0(%r1)
	mr	%r3, %r4
	mr	%r4, %r5
	LOAD_ADDR(%r5, ci_entry)
	li	%r6, 0
	li	%r7, 0
	rfid
	.size	arch_enter_client, . - arch_enter_client
