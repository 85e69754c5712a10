/* SPDX-License-Identifier: Apache-2.0 */
/* OF client that checks the CI trampoline's register, mode and return-code promises. */

/*
 * Loaded by QEMU -kernel at 0x400000 (linked at 0, position independent:
 * data is reached from r31 = run-time address of `base`, found with
 * bl/mflr).  The firmware enters it like a kernel: 32-bit big-endian real
 * mode, r3/r4 = initrd, r5 = CI entry, r1 = stack.
 *
 * The rules checked (arch/ppc64/ci_entry.S promises them):
 *  - Linux enter_prom clears MSR[SF] and [LE] before calling, so the CI is
 *    called in 32-bit mode and must come back in 32-bit mode; Linux only
 *    needs r1's low word back, the firmware promises all of r1.
 *  - GRUB is 32-bit SysV code: r1, r2, r13-r31 and CR2-CR4 preserved.
 *  - 64-bit BE clients: the same in 64-bit mode (MSR[SF] stays 1).
 *  - A 32-bit caller's registers may hold garbage in their high words: the
 *    firmware uses only the low word of r3 (the argument array) and must
 *    hand back every preserved register as the full 64-bit value it got.
 *  - Return codes: r3 = 0 when the service ran, -1 (low word) for an unknown
 *    service or an unusable array (nargs + nret > 10), which is left as is.
 *  - The firmware runs on its own stack: the client's stack below r1 is not
 *    written.
 *
 * Every CI call goes through ci_call, which loads per-call patterns into r2,
 * r13-r31 (high words "garbage"), CR (all 8 fields), puts garbage in r3's
 * high word (both modes) and r1's high word (32-bit mode, where addresses
 * use only the low word), fills 4 KiB below r1 with a canary, and after the
 * call records what came back.  abi_verify keeps the first violation of
 * each rule per phase; the phase prints one line per rule at its end
 * (covering every call made so far in that mode).
 *
 * Output: "CI-ABI: PASS <what>" / "CI-ABI: FAIL <what> (<detail>)" per check,
 * "CI-ABI: INFO ..." (not a check), then "CI-ABI: DONE <npass> passed,
 * <nfail> failed" with decimal counts, then the CI `exit` service.
 */

#define NPAT		20		/* patterned registers: r2, r13..r31 */
#define CANARY_BYTES	4096		/* client stack checked below r1 */
#define LINE_MAX	200		/* output line buffer (plus '\n') */

/* State of one phase's ABI findings: a call count and one record per rule. */
#define ST_NCALLS	0		/* word: calls made in this phase */
#define ST_R1		8		/* record: call#, detail, got, expected */
#define ST_GPR		40		/* detail = register number */
#define ST_CR24		72
#define ST_CRALL	104
#define ST_SF		136
#define ST_MSR		168
#define ST_STACK	200		/* detail = byte offset below r1 */
#define ST_SIZE		232

#define OFF(sym)	((sym) - base)
#define LA(reg, sym)	addi reg, %r31, OFF(sym)

/* dst = 1 if the low 32 bits of a and b are equal (CI cells are 32-bit). */
.macro EQ32 dst, a, b
	xor	\dst, \a, \b
	clrldi	\dst, \dst, 32
	cntlzd	\dst, \dst
	srdi	\dst, \dst, 6
.endm

/* Print a string literal from the data area into the line buffer. */
.macro EMIT str
	LA(%r3, \str)
	bl	emit_str
.endm

/* abi_verify: keep the first violation of a rule (r4 = call number). */
.macro RECORD st, d1, got, want
	lwz	%r0, OFF(abi_state)+\st(%r31)
	cmpwi	%r0, 0
	bne	.Lrec\@
	stw	%r4, OFF(abi_state)+\st(%r31)
	std	\d1, OFF(abi_state)+\st+8(%r31)
	std	\got, OFF(abi_state)+\st+16(%r31)
	std	\want, OFF(abi_state)+\st+24(%r31)
.Lrec\@:
.endm

	.section .client, "awx", @progbits
	.globl	_start
base:
_start:
	b	start

/* ---------------------------------------------------------------- data */
	.balign	8
pat_gpr:	/* r2, r13..r31: 0xBAD0kk00_600Dkk00 (+ call number in each word) */
	.irp	n, 2,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	((0xBAD00000 + (\n << 8)) << 32) + 0x600D0000 + (\n << 8)
	.endr
r3_garbage:	.quad	0xDEADBEEF00000000	/* r3's high word, every call */
r1_garbage_32:	.quad	0xF00DCAFE00000000	/* r1's high word, 32-bit calls */
canary:		.quad	0x5AFE5AFE5AFE5AFE
pat_cr:		.long	0x13579BDF		/* rotated by the call number */
		.long	0

/* ci_call's save area and what the firmware saw / gave back */
sv_lr:		.quad	0
sv_r1:		.quad	0
sv_msr:		.quad	0
sv_arg:		.quad	0
sv_gpr:		.space	8 * NPAT
sv_cr:		.long	0, 0
exp_gpr:	.space	8 * NPAT
exp_r1:		.quad	0
exp_cr:		.long	0, 0
out_gpr:	.space	8 * NPAT
out_r1:		.quad	0
out_r3:		.quad	0
out_msr:	.quad	0
out_cr:		.long	0, 0
r1_garbage:	.quad	0			/* this phase's r1 high word */
ci_entry_addr:	.quad	0

abi_state:	.space	ST_SIZE
abi_snap:	.space	ST_SIZE

/* what the firmware handed over at entry */
entry_r1:	.quad	0
entry_r3:	.quad	0
entry_r4:	.quad	0
entry_r5:	.quad	0
entry_msr:	.quad	0

/* link-register slots of the (non-reentrant) helpers */
phase_lr:	.quad	0
svc_lr:		.quad	0
svc_ret:	.quad	0
arr_lr:		.quad	0
arr_ptr:	.quad	0
arr_n:		.quad	0
chk_lr:		.quad	0
chk_ok:		.quad	0
chk_what:	.quad	0
eol_lr:		.quad	0
rep_lr:		.quad	0
rep_v1:		.quad	0
rep_v2:		.quad	0
rep_l1:		.quad	0
rep_l2:		.quad	0
sck_lr:		.quad	0
ack_lr:		.quad	0
abr_lr:		.quad	0
abr_rec:	.quad	0
abr_name:	.quad	0
abr_dec:	.quad	0
ent_lr:		.quad	0
mode_prefix:	.quad	0

npass:		.long	0
nfail:		.long	0
stdout_ih:	.long	0
ihbuf:		.long	0
line_len:	.long	0

/* argument arrays: service, nargs, nret, cells */
a_gen:		.space	4 * (3 + 10)
a_unk:		.space	4 * (3 + 2)		/* filled by fill_array */
a_big:		.space	4 * (3 + 11)
arr_snap:	.space	4 * 16

linebuf:	.space	LINE_MAX + 8
decbuf:		.space	24
decbuf_end:

s_finddevice:	.asciz	"finddevice"
s_getprop:	.asciz	"getprop"
s_test:		.asciz	"test"
s_write:	.asciz	"write"
s_exit:		.asciz	"exit"
s_callmethod:	.asciz	"call-method"
s_nosuch:	.asciz	"no-such-service"
s_nomethod:	.asciz	"no-such-method"
s_chosen:	.asciz	"/chosen"
s_stdout:	.asciz	"stdout"

s_head:		.asciz	"CI-ABI: "
s_pass:		.asciz	"PASS "
s_fail:		.asciz	"FAIL "
s_entry:	.asciz	"entry: "
s_mode32:	.asciz	"32-bit: "
s_mode64:	.asciz	"64-bit: "
s_open:		.asciz	" ("
s_close:	.asciz	")"
s_calls:	.asciz	" calls)"
s_callno:	.asciz	" (call #"
s_colon:	.asciz	": "
s_eq:		.asciz	" = "
s_expected:	.asciz	", expected "
s_info:		.asciz	"CI-ABI: INFO client at "
s_info_r1:	.asciz	", r1 = "
s_info_r5:	.asciz	", r5 (CI entry) = "
s_info_msr:	.asciz	", MSR = "
s_done:		.asciz	"CI-ABI: DONE "
s_passed:	.asciz	" passed, "
s_failed:	.asciz	" failed"
s_exit_ret:	.asciz	"CI-ABI: FAIL exit returned to the client"

s_l_r3:		.asciz	"r3 = "
s_l_r4:		.asciz	", r4 = "
s_l_r1:		.asciz	"r1 = "
s_l_msr:	.asciz	"MSR = "
s_l_ret:	.asciz	", return cell = "
s_l_word:	.asciz	", first changed word (-1: none) = "
s_n_r1:		.asciz	"r1"
s_n_r:		.asciz	"r"
s_n_cr:		.asciz	"CR"
s_n_msr:	.asciz	"MSR"
s_n_stack:	.asciz	"stack word at r1 - "

s_c_entry_mode:	.asciz	"entered in 32-bit big-endian mode (MSR[SF] = 0, MSR[LE] = 0)"
s_c_entry_rd:	.asciz	"entered with r3 = r4 = 0 (no initrd)"
s_c_entry_r1:	.asciz	"entered with a 16-byte aligned stack in r1"
s_c_find:	.asciz	"finddevice(\"/chosen\") with garbage in r3's high word -> r3 = 0, a phandle"
s_c_getprop:	.asciz	"getprop(/chosen, \"stdout\", buf, 4) -> r3 = 0, 4"
s_c_tw:		.asciz	"test(\"write\") -> r3 = 0, 0"
s_c_tn:		.asciz	"test(\"no-such-service\") -> r3 = 0, -1"
s_c_unk:	.asciz	"unknown service -> r3 = -1, argument array untouched"
s_c_big:	.asciz	"nargs+nret = 11 (call-method 6+5) -> r3 = -1, argument array untouched"
s_c_ten:	.asciz	"nargs+nret = 10 (call-method 2+8) accepted -> r3 = 0"
s_c_r1_32:	.asciz	"r1 restored exactly (64 bits, garbage high word included)"
s_c_r1_64:	.asciz	"r1 restored exactly"
s_c_gpr:	.asciz	"r2, r13-r31 preserved as full 64-bit values"
s_c_cr24:	.asciz	"CR2-CR4 preserved"
s_c_crall:	.asciz	"all 8 CR fields preserved"
s_c_sf0:	.asciz	"MSR[SF] still 0 after every call"
s_c_sf1:	.asciz	"MSR[SF] still 1 after every call"
s_c_msr:	.asciz	"whole MSR unchanged"
s_c_stack:	.asciz	"client stack below r1 not written (4096 bytes checked)"

/* ---------------------------------------------------------------- main */
	.balign	4
start:
	bl	1f
1:	mflr	%r31
	addi	%r31, %r31, base - 1b		/* r31 = base, for the whole run */
	std	%r1, OFF(entry_r1)(%r31)
	std	%r3, OFF(entry_r3)(%r31)
	std	%r4, OFF(entry_r4)(%r31)
	std	%r5, OFF(entry_r5)(%r31)
	std	%r5, OFF(ci_entry_addr)(%r31)
	mfmsr	%r0
	std	%r0, OFF(entry_msr)(%r31)
	stdu	%r1, -128(%r1)			/* leave the caller's area alone */

	li	%r30, 0				/* r30 = phase: 0 = 32-bit, 1 = 64-bit */
	bl	run_phase

	/* 64-bit mode: set MSR[SF] (supervisor real mode, nothing else changes) */
	mfmsr	%r3
	li	%r4, 1
	rldicr	%r4, %r4, 63, 0
	or	%r3, %r3, %r4
	mtmsrd	%r3
	isync
	li	%r30, 1
	bl	run_phase

	EMIT	s_done
	lwz	%r3, OFF(npass)(%r31)
	bl	emit_dec
	EMIT	s_passed
	lwz	%r3, OFF(nfail)(%r31)
	bl	emit_dec
	EMIT	s_failed
	bl	end_line

	LA(%r3, s_exit)				/* exit ( -- ): powers the machine off */
	li	%r4, 0
	li	%r5, 0
	bl	call_svc
	EMIT	s_exit_ret
	bl	end_line
2:	b	2b

/*
 * One phase in the current mode (r30): the service checks, then one line
 * per ABI rule covering every call of the phase so far.  Uses r14-r17.
 */
run_phase:
	mflr	%r0
	std	%r0, OFF(phase_lr)(%r31)
	LA(%r3, abi_state)			/* forget the last phase's findings */
	li	%r4, ST_SIZE / 8
	mtctr	%r4
	li	%r0, 0
1:	std	%r0, 0(%r3)
	addi	%r3, %r3, 8
	bdnz	1b
	/* r1 high-word garbage only in 32-bit mode (64-bit mode needs a real r1) */
	li	%r0, 0
	cmpwi	%r30, 0
	bne	2f
	ld	%r0, OFF(r1_garbage_32)(%r31)
2:	std	%r0, OFF(r1_garbage)(%r31)

	/* finddevice("/chosen"), getprop(chosen, "stdout", ihbuf, 4) */
	LA(%r3, s_finddevice)
	li	%r4, 1
	li	%r5, 1
	LA(%r6, s_chosen)
	bl	call_svc
	mr	%r14, %r3
	mr	%r15, %r4
	li	%r0, -1
	stw	%r0, OFF(ihbuf)(%r31)
	LA(%r3, s_getprop)
	li	%r4, 4
	li	%r5, 1
	mr	%r6, %r15
	LA(%r7, s_stdout)
	LA(%r8, ihbuf)
	li	%r9, 4
	bl	call_svc
	mr	%r16, %r3
	mr	%r17, %r4
	cmpwi	%r16, 0
	bne	3f
	cmpwi	%r17, 4
	bne	3f
	lwz	%r0, OFF(ihbuf)(%r31)
	stw	%r0, OFF(stdout_ih)(%r31)	/* from now on lines can be printed */
3:	cmpwi	%r30, 0
	bne	4f
	bl	report_entry
4:	LA(%r0, s_mode32)
	cmpwi	%r30, 0
	beq	5f
	LA(%r0, s_mode64)
5:	std	%r0, OFF(mode_prefix)(%r31)

	/* finddevice: status 0 and a phandle (not 0, not -1) */
	li	%r0, 0
	EQ32	%r3, %r14, %r0
	EQ32	%r5, %r15, %r0
	li	%r0, -1
	EQ32	%r6, %r15, %r0
	or	%r5, %r5, %r6
	xori	%r5, %r5, 1
	and	%r3, %r3, %r5
	LA(%r4, s_c_find)
	mr	%r5, %r14
	mr	%r6, %r15
	LA(%r7, s_l_r3)
	LA(%r8, s_l_ret)
	bl	report2

	mr	%r3, %r16			/* getprop returned 4 bytes */
	mr	%r4, %r17
	li	%r5, 4
	LA(%r6, s_c_getprop)
	bl	svc_check

	LA(%r3, s_test)				/* test("write") -> 0: it exists */
	li	%r4, 1
	li	%r5, 1
	LA(%r6, s_write)
	bl	call_svc
	li	%r5, 0
	LA(%r6, s_c_tw)
	bl	svc_check

	LA(%r3, s_test)				/* test("no-such-service") -> -1 */
	li	%r4, 1
	li	%r5, 1
	LA(%r6, s_nosuch)
	bl	call_svc
	li	%r5, -1
	LA(%r6, s_c_tn)
	bl	svc_check

	/* Unknown service: r3 = -1 and no cell written (IEEE 1275, Linux "< 0", GRUB "== -1"). */
	LA(%r3, a_unk)
	LA(%r0, s_nosuch)
	li	%r4, 1
	li	%r5, 1
	li	%r6, 2
	bl	fill_array
	LA(%r3, a_unk)
	li	%r4, 5
	bl	arr_call
	LA(%r5, s_c_unk)
	bl	arr_check

	/* nargs + nret = 11 > 10 (Linux's prom_args size): refused, array untouched. */
	LA(%r3, a_big)
	LA(%r0, s_callmethod)
	li	%r4, 6
	li	%r5, 5
	li	%r6, 11
	bl	fill_array
	LA(%r3, a_big)
	LA(%r0, s_nomethod)			/* a well-formed call-method otherwise */
	stw	%r0, 12(%r3)
	lwz	%r0, OFF(stdout_ih)(%r31)
	stw	%r0, 16(%r3)
	li	%r4, 3 + 11
	bl	arr_call
	LA(%r5, s_c_big)
	bl	arr_check

	/* Control for the limit: 2 + 8 = 10 is accepted (the service runs, r3 = 0). */
	LA(%r3, s_callmethod)
	li	%r4, 2
	li	%r5, 8
	LA(%r6, s_nomethod)
	lwz	%r7, OFF(stdout_ih)(%r31)
	bl	call_svc
	li	%r0, 0
	mr	%r5, %r3
	EQ32	%r3, %r5, %r0
	LA(%r4, s_c_ten)
	LA(%r7, s_l_r3)
	li	%r8, 0
	bl	report2

	/* The ABI rules, over every call of this phase so far (a snapshot:
	 * the writes below are checked too, but reported nowhere). */
	LA(%r3, abi_state)
	LA(%r4, abi_snap)
	li	%r5, ST_SIZE / 8
	mtctr	%r5
6:	ld	%r0, 0(%r3)
	std	%r0, 0(%r4)
	addi	%r3, %r3, 8
	addi	%r4, %r4, 8
	bdnz	6b

	LA(%r4, s_c_r1_32)
	cmpwi	%r30, 0
	beq	7f
	LA(%r4, s_c_r1_64)
7:	li	%r3, ST_R1				/* Linux: r1's low word; promised: all of it */
	LA(%r5, s_n_r1)
	li	%r6, 0
	bl	abi_report
	li	%r3, ST_GPR				/* GRUB (SysV) and ELFv2: r2, r13-r31 */
	LA(%r4, s_c_gpr)
	LA(%r5, s_n_r)
	li	%r6, 1
	bl	abi_report
	li	%r3, ST_CR24				/* GRUB (SysV) and ELFv2: CR2-CR4 */
	LA(%r4, s_c_cr24)
	LA(%r5, s_n_cr)
	li	%r6, 0
	bl	abi_report
	li	%r3, ST_CRALL				/* ci_entry.S restores the full CR */
	LA(%r4, s_c_crall)
	LA(%r5, s_n_cr)
	li	%r6, 0
	bl	abi_report
	LA(%r4, s_c_sf0)
	cmpwi	%r30, 0
	beq	8f
	LA(%r4, s_c_sf1)
8:	li	%r3, ST_SF				/* back in the caller's 32-/64-bit mode */
	LA(%r5, s_n_msr)
	li	%r6, 0
	bl	abi_report
	li	%r3, ST_MSR				/* the caller's MSR comes back as it was */
	LA(%r4, s_c_msr)
	LA(%r5, s_n_msr)
	li	%r6, 0
	bl	abi_report
	li	%r3, ST_STACK				/* the firmware runs on its own stack */
	LA(%r4, s_c_stack)
	LA(%r5, s_n_stack)
	li	%r6, 1
	bl	abi_report

	ld	%r0, OFF(phase_lr)(%r31)
	mtlr	%r0
	blr

/* What arch_enter_client promises at entry (and an INFO line). */
report_entry:
	mflr	%r0
	std	%r0, OFF(ent_lr)(%r31)
	LA(%r0, s_entry)
	std	%r0, OFF(mode_prefix)(%r31)
	EMIT	s_info
	mr	%r3, %r31
	bl	emit_hex
	EMIT	s_info_r1
	ld	%r3, OFF(entry_r1)(%r31)
	bl	emit_hex
	EMIT	s_info_r5
	ld	%r3, OFF(entry_r5)(%r31)
	bl	emit_hex
	EMIT	s_info_msr
	ld	%r3, OFF(entry_msr)(%r31)
	bl	emit_hex
	bl	end_line

	ld	%r5, OFF(entry_msr)(%r31)	/* SF (bit 0) and LE (bit 63) clear */
	srdi	%r3, %r5, 63
	clrldi	%r0, %r5, 63
	or	%r3, %r3, %r0
	xori	%r3, %r3, 1
	LA(%r4, s_c_entry_mode)
	LA(%r7, s_l_msr)
	li	%r8, 0
	bl	report2

	ld	%r5, OFF(entry_r3)(%r31)
	ld	%r6, OFF(entry_r4)(%r31)
	or	%r3, %r5, %r6
	cntlzd	%r3, %r3
	srdi	%r3, %r3, 6
	LA(%r4, s_c_entry_rd)
	LA(%r7, s_l_r3)
	LA(%r8, s_l_r4)
	bl	report2

	ld	%r5, OFF(entry_r1)(%r31)	/* aligned and not 0 */
	clrldi	%r3, %r5, 60
	cntlzd	%r3, %r3
	srdi	%r3, %r3, 6
	cntlzd	%r0, %r5
	srdi	%r0, %r0, 6
	andc	%r3, %r3, %r0
	LA(%r4, s_c_entry_r1)
	LA(%r7, s_l_r1)
	li	%r8, 0
	bl	report2

	ld	%r0, OFF(ent_lr)(%r31)
	mtlr	%r0
	blr

/* ------------------------------------------------------------ CI calls */

/*
 * ci_call: r3 = argument array.  Returns r3 as the firmware returned it.
 * Keeps the client's r1, r2, r13-r31, CR and LR itself (saved in memory),
 * so the client survives a firmware that breaks the rules; the registers
 * the firmware sees are this call's patterns.
 */
ci_call:
	mflr	%r0
	bl	1f
1:	mflr	%r12
	addi	%r12, %r12, base - 1b		/* r12 = base (r31 is about to go) */
	std	%r0, OFF(sv_lr)(%r12)
	std	%r1, OFF(sv_r1)(%r12)
	std	%r2, OFF(sv_gpr)(%r12)
	.irp	n, 13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	std	%r\n, OFF(sv_gpr)+8*(\n-12)(%r12)
	.endr
	mfcr	%r0
	stw	%r0, OFF(sv_cr)(%r12)
	mfmsr	%r0
	std	%r0, OFF(sv_msr)(%r12)
	std	%r3, OFF(sv_arg)(%r12)

	/* call number n; expected values PAT + n * 0x0000000100000001, CR rotated by n */
	lwz	%r4, OFF(abi_state)+ST_NCALLS(%r12)
	addi	%r4, %r4, 1
	stw	%r4, OFF(abi_state)+ST_NCALLS(%r12)
	li	%r5, 1
	sldi	%r5, %r5, 32
	addi	%r5, %r5, 1
	mulld	%r5, %r5, %r4
	li	%r6, 0
	addi	%r7, %r12, OFF(pat_gpr)
	addi	%r8, %r12, OFF(exp_gpr)
2:	ldx	%r9, %r7, %r6
	add	%r9, %r9, %r5
	stdx	%r9, %r8, %r6
	addi	%r6, %r6, 8
	cmpwi	%r6, 8 * NPAT
	blt	2b
	lwz	%r6, OFF(pat_cr)(%r12)
	rotlw	%r6, %r6, %r4
	stw	%r6, OFF(exp_cr)(%r12)

	/* canary below r1: a firmware running on the client's stack shows up here */
	ld	%r6, OFF(canary)(%r12)
	li	%r7, CANARY_BYTES / 8
	mtctr	%r7
	mr	%r7, %r1
3:	stdu	%r6, -8(%r7)
	bdnz	3b

	/* r1 as the firmware gets it: garbage high word in 32-bit mode */
	ld	%r0, OFF(r1_garbage)(%r12)
	or	%r7, %r1, %r0
	std	%r7, OFF(exp_r1)(%r12)

	ld	%r0, OFF(ci_entry_addr)(%r12)
	mtctr	%r0
	lwz	%r0, OFF(exp_cr)(%r12)
	mtcrf	0xff, %r0			/* all 8 CR fields */
	ld	%r2, OFF(exp_gpr)(%r12)
	.irp	n, 13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	%r\n, OFF(exp_gpr)+8*(\n-12)(%r12)
	.endr
	ld	%r3, OFF(sv_arg)(%r12)
	ld	%r0, OFF(r3_garbage)(%r12)
	or	%r3, %r3, %r0			/* firmware must use the low word only */
	mr	%r1, %r7
	bctrl

	/* Back: record everything before any of it changes. */
	mfcr	%r0
	bl	4f
4:	mflr	%r12
	addi	%r12, %r12, base - 4b
	stw	%r0, OFF(out_cr)(%r12)
	std	%r1, OFF(out_r1)(%r12)
	std	%r3, OFF(out_r3)(%r12)
	std	%r2, OFF(out_gpr)(%r12)
	.irp	n, 13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	std	%r\n, OFF(out_gpr)+8*(\n-12)(%r12)
	.endr
	mfmsr	%r0
	std	%r0, OFF(out_msr)(%r12)

	/* Carry on in this phase's mode, on our stack, with our registers. */
	ld	%r0, OFF(sv_msr)(%r12)
	mtmsrd	%r0
	isync
	ld	%r1, OFF(sv_r1)(%r12)
	ld	%r2, OFF(sv_gpr)(%r12)
	.irp	n, 13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	%r\n, OFF(sv_gpr)+8*(\n-12)(%r12)
	.endr
	bl	abi_verify
	lwz	%r0, OFF(sv_cr)(%r31)
	mtcrf	0xff, %r0
	ld	%r0, OFF(sv_lr)(%r31)
	mtlr	%r0
	ld	%r3, OFF(out_r3)(%r31)
	blr

/* Compare what came back with what was sent; keep the first violation of each rule. */
abi_verify:
	lwz	%r4, OFF(abi_state)+ST_NCALLS(%r31)
	li	%r8, 0
	ld	%r5, OFF(out_r1)(%r31)		/* r1: all 64 bits */
	ld	%r6, OFF(exp_r1)(%r31)
	cmpd	%r5, %r6
	beq	1f
	RECORD	ST_R1, %r8, %r5, %r6
1:	li	%r8, 0				/* r2, r13-r31: all 64 bits */
	addi	%r9, %r31, OFF(out_gpr)
	addi	%r10, %r31, OFF(exp_gpr)
2:	sldi	%r11, %r8, 3
	ldx	%r5, %r9, %r11
	ldx	%r6, %r10, %r11
	cmpd	%r5, %r6
	bne	3f
	addi	%r8, %r8, 1
	cmpwi	%r8, NPAT
	blt	2b
	b	4f
3:	addi	%r7, %r8, 12			/* slot 0 is r2, slot i is r(12+i) */
	cmpwi	%r8, 0
	bne	5f
	li	%r7, 2
5:	RECORD	ST_GPR, %r7, %r5, %r6
4:	lwz	%r5, OFF(out_cr)(%r31)		/* CR */
	lwz	%r6, OFF(exp_cr)(%r31)
	xor	%r7, %r5, %r6
	rlwinm	%r8, %r7, 0, 8, 19		/* CR2..CR4 = 0x00FFF000 */
	cmpwi	%r8, 0
	beq	6f
	RECORD	ST_CR24, %r8, %r5, %r6
6:	cmpwi	%r7, 0
	beq	7f
	RECORD	ST_CRALL, %r7, %r5, %r6
7:	ld	%r5, OFF(out_msr)(%r31)		/* MSR[SF], then the whole MSR */
	ld	%r6, OFF(sv_msr)(%r31)
	xor	%r7, %r5, %r6
	srdi	%r8, %r7, 63
	cmpdi	%r8, 0
	beq	8f
	RECORD	ST_SF, %r8, %r5, %r6
8:	cmpdi	%r7, 0
	beq	9f
	RECORD	ST_MSR, %r7, %r5, %r6
9:	ld	%r6, OFF(canary)(%r31)		/* the stack below r1 */
	ld	%r9, OFF(sv_r1)(%r31)
	li	%r8, CANARY_BYTES
10:	subf	%r10, %r8, %r9
	ld	%r5, 0(%r10)
	cmpd	%r5, %r6
	bne	11f
	addi	%r8, %r8, -8
	cmpwi	%r8, 0
	bgt	10b
	blr
11:	RECORD	ST_STACK, %r8, %r5, %r6
	blr

/*
 * fill_array: r3 = array, r0 = service name, r4 = nargs, r5 = nret,
 * r6 = cells to seed with 0x5EEDppcc (p = phase, c = cell), fresh each
 * phase so a write in one phase cannot hide one in the next.  Leaf.
 */
fill_array:
	stw	%r0, 0(%r3)
	stw	%r4, 4(%r3)
	stw	%r5, 8(%r3)
	mtctr	%r6
	lis	%r7, 0x5EED
	sldi	%r8, %r30, 8
	or	%r7, %r7, %r8
1:	stw	%r7, 12(%r3)
	addi	%r3, %r3, 4
	addi	%r7, %r7, 1
	bdnz	1b
	blr

/*
 * call_svc: r3 = service name, r4 = nargs, r5 = nret, r6-r9 = up to four
 * arguments.  Return cells are preset to 0xCCCCCCCC.  Returns r3 = CI
 * status, r4 = return cell 0.
 */
call_svc:
	mflr	%r0
	std	%r0, OFF(svc_lr)(%r31)
	LA(%r10, a_gen)
	stw	%r3, 0(%r10)
	stw	%r4, 4(%r10)
	stw	%r5, 8(%r10)
	stw	%r6, 12(%r10)
	stw	%r7, 16(%r10)
	stw	%r8, 20(%r10)
	stw	%r9, 24(%r10)
	sldi	%r11, %r4, 2
	add	%r11, %r11, %r10		/* r11 + 12 = first return cell */
	std	%r11, OFF(svc_ret)(%r31)
	lis	%r0, 0xCCCC
	ori	%r0, %r0, 0xCCCC
	cmpwi	%r5, 0
	beq	2f
	mtctr	%r5
1:	stw	%r0, 12(%r11)
	addi	%r11, %r11, 4
	bdnz	1b
2:	mr	%r3, %r10
	bl	ci_call
	ld	%r11, OFF(svc_ret)(%r31)
	lwz	%r4, 12(%r11)
	ld	%r0, OFF(svc_lr)(%r31)
	mtlr	%r0
	blr

/*
 * arr_call: r3 = a prepared argument array of r4 words.  Returns r3 = CI
 * status, r4 = index of the first word the call changed, or -1.
 */
arr_call:
	mflr	%r0
	std	%r0, OFF(arr_lr)(%r31)
	std	%r3, OFF(arr_ptr)(%r31)
	std	%r4, OFF(arr_n)(%r31)
	mtctr	%r4
	LA(%r5, arr_snap)
	mr	%r6, %r3
1:	lwz	%r0, 0(%r6)
	stw	%r0, 0(%r5)
	addi	%r5, %r5, 4
	addi	%r6, %r6, 4
	bdnz	1b
	bl	ci_call
	mr	%r7, %r3
	ld	%r3, OFF(arr_ptr)(%r31)
	ld	%r4, OFF(arr_n)(%r31)
	mtctr	%r4
	LA(%r5, arr_snap)
	li	%r4, 0
2:	lwz	%r0, 0(%r3)
	lwz	%r6, 0(%r5)
	cmpw	%r0, %r6
	bne	3f
	addi	%r3, %r3, 4
	addi	%r5, %r5, 4
	addi	%r4, %r4, 1
	bdnz	2b
	li	%r4, -1
3:	mr	%r3, %r7
	ld	%r0, OFF(arr_lr)(%r31)
	mtlr	%r0
	blr

/* ----------------------------------------------------------- reporting */

/* svc_check: r3 = status, r4 = return cell, r5 = expected cell, r6 = what. */
svc_check:
	mflr	%r0
	std	%r0, OFF(sck_lr)(%r31)
	mr	%r7, %r3
	mr	%r8, %r4
	li	%r0, 0
	EQ32	%r3, %r7, %r0
	EQ32	%r9, %r8, %r5
	and	%r3, %r3, %r9
	mr	%r4, %r6
	mr	%r5, %r7
	mr	%r6, %r8
	LA(%r7, s_l_r3)
	LA(%r8, s_l_ret)
	bl	report2
	ld	%r0, OFF(sck_lr)(%r31)
	mtlr	%r0
	blr

/* arr_check: r3 = status, r4 = changed word or -1 (from arr_call), r5 = what. */
arr_check:
	mflr	%r0
	std	%r0, OFF(ack_lr)(%r31)
	mr	%r6, %r4
	mr	%r4, %r5
	mr	%r5, %r3
	li	%r0, -1
	EQ32	%r3, %r5, %r0
	EQ32	%r9, %r6, %r0
	and	%r3, %r3, %r9
	LA(%r7, s_l_r3)
	LA(%r8, s_l_word)
	bl	report2
	ld	%r0, OFF(ack_lr)(%r31)
	mtlr	%r0
	blr

/*
 * report2: r3 = ok, r4 = what, r5/r6 = values shown on failure after the
 * labels r7/r8 (r8 = 0: one value).  One whole line.
 */
report2:
	mflr	%r0
	std	%r0, OFF(rep_lr)(%r31)
	std	%r5, OFF(rep_v1)(%r31)
	std	%r6, OFF(rep_v2)(%r31)
	std	%r7, OFF(rep_l1)(%r31)
	std	%r8, OFF(rep_l2)(%r31)
	bl	check_begin
	cmpdi	%r3, 0
	bne	1f
	EMIT	s_open
	ld	%r3, OFF(rep_l1)(%r31)
	bl	emit_str
	ld	%r3, OFF(rep_v1)(%r31)
	bl	emit_hex
	ld	%r3, OFF(rep_l2)(%r31)
	cmpdi	%r3, 0
	beq	2f
	bl	emit_str
	ld	%r3, OFF(rep_v2)(%r31)
	bl	emit_hex
2:	EMIT	s_close
1:	bl	end_line
	ld	%r0, OFF(rep_lr)(%r31)
	mtlr	%r0
	blr

/*
 * abi_report: r3 = record offset (ST_*) in the snapshot, r4 = what,
 * r5 = register name, r6 = 1 to print the record's detail in decimal
 * after the name.  PASS: " (<n> calls)"; FAIL: the first violation.
 */
abi_report:
	mflr	%r0
	std	%r0, OFF(abr_lr)(%r31)
	LA(%r7, abi_snap)
	add	%r7, %r7, %r3
	std	%r7, OFF(abr_rec)(%r31)
	std	%r5, OFF(abr_name)(%r31)
	std	%r6, OFF(abr_dec)(%r31)
	lwz	%r3, 0(%r7)			/* call number of the first violation */
	cntlzw	%r3, %r3
	srwi	%r3, %r3, 5			/* ok = (none) */
	bl	check_begin
	cmpdi	%r3, 0
	beq	1f
	EMIT	s_open
	lwz	%r3, OFF(abi_snap)+ST_NCALLS(%r31)
	bl	emit_dec
	EMIT	s_calls
	b	3f
1:	EMIT	s_callno
	ld	%r7, OFF(abr_rec)(%r31)
	lwz	%r3, 0(%r7)
	bl	emit_dec
	EMIT	s_colon
	ld	%r3, OFF(abr_name)(%r31)
	bl	emit_str
	ld	%r0, OFF(abr_dec)(%r31)
	cmpdi	%r0, 0
	beq	2f
	ld	%r7, OFF(abr_rec)(%r31)
	ld	%r3, 8(%r7)
	bl	emit_dec
2:	EMIT	s_eq
	ld	%r7, OFF(abr_rec)(%r31)
	ld	%r3, 16(%r7)
	bl	emit_hex
	EMIT	s_expected
	ld	%r7, OFF(abr_rec)(%r31)
	ld	%r3, 24(%r7)
	bl	emit_hex
	EMIT	s_close
3:	bl	end_line
	ld	%r0, OFF(abr_lr)(%r31)
	mtlr	%r0
	blr

/* check_begin: r3 = ok, r4 = what.  Counts it, starts the line; returns r3 = ok. */
check_begin:
	mflr	%r0
	std	%r0, OFF(chk_lr)(%r31)
	std	%r3, OFF(chk_ok)(%r31)
	std	%r4, OFF(chk_what)(%r31)
	cmpdi	%r3, 0
	LA(%r5, npass)
	bne	1f
	LA(%r5, nfail)
1:	lwz	%r6, 0(%r5)
	addi	%r6, %r6, 1
	stw	%r6, 0(%r5)
	EMIT	s_head
	ld	%r0, OFF(chk_ok)(%r31)
	LA(%r3, s_pass)
	cmpdi	%r0, 0
	bne	2f
	LA(%r3, s_fail)
2:	bl	emit_str
	ld	%r3, OFF(mode_prefix)(%r31)
	bl	emit_str
	ld	%r3, OFF(chk_what)(%r31)
	bl	emit_str
	ld	%r3, OFF(chk_ok)(%r31)
	ld	%r0, OFF(chk_lr)(%r31)
	mtlr	%r0
	blr

/* end_line: '\n', write(stdout, line, len), empty the buffer. */
end_line:
	mflr	%r0
	std	%r0, OFF(eol_lr)(%r31)
	lwz	%r8, OFF(line_len)(%r31)
	LA(%r7, linebuf)
	li	%r0, 10				/* '\n' */
	stbx	%r0, %r7, %r8
	addi	%r8, %r8, 1
	li	%r0, 0
	stw	%r0, OFF(line_len)(%r31)
	LA(%r3, s_write)
	li	%r4, 3
	li	%r5, 1
	lwz	%r6, OFF(stdout_ih)(%r31)
	bl	call_svc
	ld	%r0, OFF(eol_lr)(%r31)
	mtlr	%r0
	blr

/* Leaf helpers appending to linebuf (r3 = argument; use r0, r3-r12). */
emit_str:
	lwz	%r5, OFF(line_len)(%r31)
	LA(%r6, linebuf)
1:	lbz	%r0, 0(%r3)
	cmpwi	%r0, 0
	beq	3f
	cmplwi	%r5, LINE_MAX
	bge	2f
	stbx	%r0, %r6, %r5
	addi	%r5, %r5, 1
2:	addi	%r3, %r3, 1
	b	1b
3:	stw	%r5, OFF(line_len)(%r31)
	blr

/* "0x" and 16 hex digits */
emit_hex:
	lwz	%r5, OFF(line_len)(%r31)
	LA(%r6, linebuf)
	cmplwi	%r5, LINE_MAX - 18
	bgt	3f
	li	%r0, 48				/* '0' */
	stbx	%r0, %r6, %r5
	addi	%r5, %r5, 1
	li	%r0, 120			/* 'x' */
	stbx	%r0, %r6, %r5
	addi	%r5, %r5, 1
	li	%r7, 16
	mtctr	%r7
1:	rotldi	%r3, %r3, 4
	clrldi	%r4, %r3, 60
	cmplwi	%r4, 10
	blt	2f
	addi	%r4, %r4, 39			/* 'a' - '0' - 10 */
2:	addi	%r4, %r4, 48			/* '0' */
	stbx	%r4, %r6, %r5
	addi	%r5, %r5, 1
	bdnz	1b
	stw	%r5, OFF(line_len)(%r31)
3:	blr

/* unsigned decimal */
emit_dec:
	LA(%r6, decbuf_end)
	mr	%r8, %r6
	li	%r7, 10
1:	divdu	%r9, %r3, %r7
	mulld	%r10, %r9, %r7
	subf	%r10, %r10, %r3
	addi	%r10, %r10, 48			/* '0' */
	stbu	%r10, -1(%r8)
	mr	%r3, %r9
	cmpdi	%r3, 0
	bne	1b
	lwz	%r5, OFF(line_len)(%r31)
	LA(%r11, linebuf)
2:	cmpld	%r8, %r6
	bge	4f
	lbz	%r0, 0(%r8)
	cmplwi	%r5, LINE_MAX
	bge	3f
	stbx	%r0, %r11, %r5
	addi	%r5, %r5, 1
3:	addi	%r8, %r8, 1
	b	2b
4:	stw	%r5, OFF(line_len)(%r31)
	blr

	.section .note.GNU-stack, "", @progbits
