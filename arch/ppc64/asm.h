/* SPDX-License-Identifier: Apache-2.0 */
/* Assembler helpers shared by the ppc64 entry paths. */
#ifndef ARCH_PPC64_ASM_H
#define ARCH_PPC64_ASM_H

/* ELFv2: back chain, CR save, LR save, TOC save. */
#define STACK_FRAME_MIN	32

/*
 * Load a link-time address.  The firmware is linked and runs below 2 GiB,
 * so the sign extension of `lis` never sets the high word, whether the CPU
 * is still in 32-bit mode or already in 64-bit mode.
 */
#define LOAD_ADDR(reg, sym)		\
	lis	reg, (sym)@ha;		\
	addi	reg, reg, (sym)@l

/* Set MSR[SF]; every other MSR bit (endianness, ME, EE) is kept. */
#define SWITCH_TO_64BIT(tmp1, tmp2)	\
	mfmsr	tmp1;			\
	li	tmp2, 1;		\
	rldicr	tmp2, tmp2, 63, 0;	\
	or	tmp1, tmp1, tmp2;	\
	mtmsrd	tmp1;			\
	isync

#endif
