/* SPDX-License-Identifier: Apache-2.0 */
/* OF clients that crash on purpose (one per EXC_* case), to check the firmware's exception report. */

/*
 * Built once per case with -DEXC_PROGRAM, -DEXC_ALIGN or -DEXC_STACK and
 * loaded by QEMU -kernel at 0x400000 (linked at 0 by client.lds; data is
 * reached from r31 = run-time address of `base`).  The firmware enters it
 * in 32-bit big-endian real mode with r5 = the CI entry.
 *
 *  EXC_PROGRAM  the first instruction is 0, an illegal instruction: a
 *               program check (0x700) with SRR0 = the entry, before any
 *               CI call.
 *  EXC_ALIGN    calls `milliseconds`, then lwarx from 0x12345679: lwarx
 *               needs a word-aligned address, so this is an alignment
 *               interrupt (0x600) with DAR = 0x12345679, after a known CI
 *               service.  (A load beyond RAM would be the obvious data
 *               storage fault, but QEMU's TCG does not fault real-mode
 *               loads from unassigned addresses: it reads zero.)
 *  EXC_DEC     enables MSR[EE] with a short decrementer and waits until
 *               the firmware's 0x900 stub has re-armed DEC and returned,
 *               then hits an illegal instruction (0x700) at offset 0x24:
 *               the report proves the client ran on after the interrupt,
 *               with EE still on (SRR1 0x88000).
 *  EXC_STACK    calls `vofkit-test-stack-overflow` (CONFIG_CI_TEST_HOOKS),
 *               which runs the firmware stack down over its guard word; the
 *               CI trampoline must report that instead of returning here.
 * Nothing after the fault is meant to run; if it does, the client falls
 * into `b .` and the test's timeout and missing report lines fail it.
 */

#define OFF(sym)	((sym) - base)

	.section .client, "ax", @progbits
	.globl	_start
_start:
#if defined(EXC_PROGRAM)
	.long	0
#elif defined(EXC_DEC)
	/* DEC = 1000 ticks, MSR[EE] on, then wait until DEC reads large:
	 * only the firmware's 0x900 stub (which rewrites DEC to 0x7fffffff
	 * and returns) makes it so.  Then crash, to prove the client ran on. */
	li	%r3, 1000
	mtdec	%r3
	mfmsr	%r4
	ori	%r4, %r4, 0x8000
	mtmsrd	%r4, 1
	lis	%r6, 0x4000
1:	mfdec	%r5
	cmpw	%r5, %r6
	blt	1b
	.long	0
#else
	mr	%r30, %r5
	bl	base
base:
	mflr	%r31
	/* args = { service, nargs 0, nret 1, ret } */
	addi	%r3, %r31, OFF(args)
	addi	%r4, %r31, OFF(service)
	stw	%r4, 0(%r3)
	mtctr	%r30
	bctrl
#ifdef EXC_ALIGN
	lis	%r4, 0x1234
	ori	%r4, %r4, 0x5679
	lwarx	%r3, 0, %r4
#endif
	b	.

	.balign	4
args:
	.long	0, 0, 1, 0
service:
#ifdef EXC_ALIGN
	.asciz	"milliseconds"
#else
	.asciz	"vofkit-test-stack-overflow"
#endif
#endif
