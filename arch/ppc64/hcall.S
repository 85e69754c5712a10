/* SPDX-License-Identifier: Apache-2.0 */
/* Hypercall stub (`sc 1`) and the RTAS entry stub copied by instantiate-rtas. */

	.section .text.hcall, "ax", @progbits
	.globl	hcall
	.type	hcall, @function
/*
 * int64_t hcall(opcode r3, a0 r4, a1 r5, a2 r6, a3 r7, uint64_t out[4] r8)
 * QEMU returns the status in r3 and overwrites r4.. with outputs.  The out
 * pointer is kept in the ELFv2 protected zone below r1 across `sc 1`: the
 * hypervisor does not touch guest memory for the calls made here.
 */
hcall:
	std	%r8, -8(%r1)
	sc	1
	ld	%r8, -8(%r1)
	cmpdi	%r8, 0
	beqlr
	std	%r4, 0(%r8)
	std	%r5, 8(%r8)
	std	%r6, 16(%r8)
	std	%r7, 24(%r8)
	blr
	.size	hcall, . - hcall

/*
 * int64_t hcall_long(opcode r3, const uint64_t args[9] r4)
 * For hcalls that read past r7: r4..r12 are loaded from args[0..8].
 * H_SEND_LOGICAL_LAN reads BDs from r5..r10 and a continue token from
 * r11, and QEMU fails the call when that token is not 0: with hcall()
 * r8..r11 would hold whatever the caller left there.  Outputs are not
 * returned.  r11 is the base register, so it is loaded last.
 */
	/* its own section, so --gc-sections drops it from images without l-lan */
	.section .text.hcall_long, "ax", @progbits
	.globl	hcall_long
	.type	hcall_long, @function
hcall_long:
	mr	%r11, %r4
	ld	%r4, 0(%r11)
	ld	%r5, 8(%r11)
	ld	%r6, 16(%r11)
	ld	%r7, 24(%r11)
	ld	%r8, 32(%r11)
	ld	%r9, 40(%r11)
	ld	%r10, 48(%r11)
	ld	%r12, 64(%r11)
	ld	%r11, 56(%r11)
	sc	1
	blr
	.size	hcall_long, . - hcall_long

/*
 * The RTAS entry given to the OS: forwards the RTAS argument block in r3
 * to QEMU with KVMPPC_H_RTAS (0xf000).  `li` would sign-extend 0xf000,
 * hence lis/ori.  Kept as data: it is copied, never called here.
 */
	.section .rodata.rtas_stub, "a", @progbits
	.balign	4
	.globl	rtas_stub_start, rtas_stub_end
rtas_stub_start:
	mr	%r4, %r3
	lis	%r3, 0
	ori	%r3, %r3, 0xf000
	sc	1
	blr
rtas_stub_end:
