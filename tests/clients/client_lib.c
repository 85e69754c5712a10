/* SPDX-License-Identifier: Apache-2.0 */
/* Shared code of the freestanding 32-bit C OF clients: entry, CI calls, console, power-off (see client_lib.h). */

#include "client_lib.h"

/*
 * Entry: set up our own stack (the firmware's r1 may be small; vof.bin runs
 * its C code on it), clear MSR[SF] (SLOF may enter in 64-bit mode; vofkit
 * and VOF enter in 32-bit mode already, where this changes nothing) and pass
 * r5, the CI entry, to client_start.  The zero back chain ends stack walks.
 */
__asm__(
	"	.section .text.start, \"ax\", @progbits\n"
	"	.globl	_start\n"
	"_start:\n"
	"	lis	%r1, (__stack_top - 16)@ha\n"
	"	addi	%r1, %r1, (__stack_top - 16)@l\n"
	"	li	%r0, 0\n"
	"	stw	%r0, 0(%r1)\n"
	"	mfmsr	%r0\n"
	"	rldicl	%r0, %r0, 0, 1\n"
	"	mtmsrd	%r0\n"
	"	isync\n"
	"	mr	%r3, %r5\n"
	"	b	client_start\n"
	"	.text\n");

void client_start(uint32_t entry) __attribute__((noreturn, used));

extern char __bss_start[], __bss_end[];

ci_entry_t ci;
uint32_t stdout_ih;
int via_hcall;
uint32_t vty_reg;
const char *client_tag = "";

#define LINE_MAX	200
static char line[LINE_MAX + 1];
static uint32_t line_len;

void client_start(uint32_t entry)
{
	char *p;

	/* QEMU zero-fills .bss already; do not rely on every loader doing so. */
	for (p = __bss_start; p < __bss_end; p++)
		*p = 0;
	ci = (ci_entry_t)(uintptr_t)entry;
	client_main(entry);
}

/* gcc may emit calls to these for struct copies and clears. */
void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

uint32_t str_len(const char *s)
{
	uint32_t n = 0;

	while (s[n])
		n++;
	return n;
}

int mem_eq(const void *a, const void *b, uint32_t n)
{
	const unsigned char *p = a, *q = b;

	while (n--)
		if (*p++ != *q++)
			return 0;
	return 1;
}

/* ---------------------------------------------------------- hypercalls */

/*
 * sc 1 takes full 64-bit registers even in 32-bit mode, and -m32 code does
 * not keep the high words clean, so every input is cut to 32 bits first.
 * H_PUT_TERM_CHAR packs the bytes most-significant first into r6 (0-7) and
 * r7 (8-15): the two 32-bit halves are joined into r6 here (len <= 8).
 */
int32_t hcall_put_term(uint32_t reg, uint32_t len, uint32_t hi, uint32_t lo)
{
	register uint32_t r3 __asm__("r3") = H_PUT_TERM_CHAR;
	register uint32_t r4 __asm__("r4") = reg;
	register uint32_t r5 __asm__("r5") = len;
	register uint32_t r6 __asm__("r6") = hi;
	register uint32_t r7 __asm__("r7") = lo;

	__asm__ volatile(
		"clrldi	3, 3, 32\n\t"
		"clrldi	4, 4, 32\n\t"
		"clrldi	5, 5, 32\n\t"
		"clrldi	7, 7, 32\n\t"
		"rldimi	7, 6, 32, 0\n\t"
		"mr	6, 7\n\t"
		"li	7, 0\n\t"
		"sc	1"
		: "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7)
		:
		: "r0", "r8", "r9", "r10", "r11", "r12", "ctr", "xer",
		  "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
	return (int32_t)r3;
}

int32_t hcall1(uint32_t op, uint32_t arg)
{
	register uint32_t r3 __asm__("r3") = op;
	register uint32_t r4 __asm__("r4") = arg;

	__asm__ volatile(
		"clrldi	3, 3, 32\n\t"
		"clrldi	4, 4, 32\n\t"
		"sc	1"
		: "+r"(r3), "+r"(r4)
		:
		: "r0", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "xer",
		  "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
	return (int32_t)r3;
}

/* KVMPPC_H_RTAS: r4 = the RTAS argument block {token, nargs, nret, args, rets}. */
int32_t hcall_rtas(uint32_t *block)
{
	return hcall1(KVMPPC_H_RTAS, cell(block));
}

static void hv_write(const char *s, uint32_t len)
{
	while (len) {
		uint32_t n = len > 8 ? 8 : len, w[2] = { 0, 0 }, i;

		for (i = 0; i < n; i++)
			w[i / 4] |= (uint32_t)(unsigned char)s[i] << (24 - 8 * (i % 4));
		if (hcall_put_term(vty_reg, n, w[0], w[1]) != 0)
			return;		/* nowhere else to say it */
		s += n;
		len -= n;
	}
}

/* ---------------------------------------------------------- CI calls */

int32_t ci_call(struct ci_args *a, const char *service, uint32_t nargs, uint32_t nret,
		const uint32_t *in)
{
	uint32_t i;

	a->service = cell(service);
	a->nargs = nargs;
	a->nret = nret;
	for (i = 0; i < 10; i++)
		a->cell[i] = i < nargs ? in[i] : 0;
	return ci(a);
}

uint32_t ci1(const char *service, uint32_t nargs, const uint32_t *in)
{
	struct ci_args a;

	if (ci_call(&a, service, nargs, 1, in) != 0)
		return CI_ERR;
	return a.cell[nargs];
}

uint32_t of_finddevice(const char *path)
{
	uint32_t in[1] = { cell(path) };

	return ci1("finddevice", 1, in);
}

uint32_t of_getprop(uint32_t ph, const char *name, void *buf, uint32_t len)
{
	uint32_t in[4] = { ph, cell(name), cell(buf), len };

	return ci1("getprop", 4, in);
}

uint32_t of_tree(const char *service, uint32_t h)
{
	uint32_t in[1] = { h };

	return ci1(service, 1, in);
}

uint32_t of_open(const char *path)
{
	uint32_t in[1] = { cell(path) };

	return ci1("open", 1, in);
}

void of_close(uint32_t ih)
{
	struct ci_args a;
	uint32_t in[1] = { ih };

	ci_call(&a, "close", 1, 0, in);
}

uint32_t of_read(uint32_t ih, void *to, uint32_t len)
{
	uint32_t in[3] = { ih, cell(to), len };

	return ci1("read", 3, in);
}

uint32_t of_write(uint32_t ih, const void *from, uint32_t len)
{
	uint32_t in[3] = { ih, cell(from), len };

	return ci1("write", 3, in);
}

uint32_t of_seek(uint32_t ih, uint32_t pos_hi, uint32_t pos_lo)
{
	uint32_t in[3] = { ih, pos_hi, pos_lo };

	return ci1("seek", 3, in);
}

uint32_t of_method1(const char *method, uint32_t ih)
{
	struct ci_args a;
	uint32_t in[2] = { cell(method), ih };

	if (ci_call(&a, "call-method", 2, 2, in) != 0 || a.cell[2] != 0)
		return CI_ERR;
	return a.cell[3];
}

/* ---------------------------------------------------------- console */

void console_init(void)
{
	uint32_t chosen = of_finddevice("/chosen"), pkg, reg;

	if (chosen == CI_ERR || of_getprop(chosen, "stdout", &stdout_ih, 4) != 4)
		stdout_ih = 0;
	/* The vty for H_PUT_TERM_CHAR, in case CI write prints nothing. */
	vty_reg = 0;
	pkg = stdout_ih ? of_tree("instance-to-package", stdout_ih) : CI_ERR;
	if (pkg && pkg != CI_ERR && of_getprop(pkg, "reg", &reg, 4) == 4)
		vty_reg = reg;
}

static void line_flush(void)
{
	line[line_len++] = '\n';
	if (!via_hcall) {
		uint32_t in[3] = { stdout_ih, cell(line), line_len };

		if (stdout_ih && ci1("write", 3, in) == line_len)
			goto out;
		/* Nothing (or not all) was printed: from now on print ourselves. */
		via_hcall = 1;
	}
	hv_write(line, line_len);
out:
	line_len = 0;
}

void put_ch(char c)
{
	if (c == '\n') {
		line_flush();
		return;
	}
	if (line_len < LINE_MAX)
		line[line_len++] = c;
}

void put_str(const char *s)
{
	while (*s)
		put_ch(*s++);
}

void put_dec(uint32_t v)
{
	char buf[12];
	int i = 0;

	do {
		buf[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		put_ch(buf[--i]);
}

void put_hex(uint32_t v)
{
	int i;

	put_str("0x");
	for (i = 28; i >= 0; i -= 4)
		put_ch("0123456789abcdef"[(v >> i) & 0xf]);
}

/* ---------------------------------------------------------- checks */

uint32_t checks_passed, checks_failed;

void check(int ok, const char *what, const char *detail, uint32_t v)
{
	put_str(client_tag);
	if (ok) {
		checks_passed++;
		put_str("PASS ");
		put_str(what);
		put_ch('\n');
		return;
	}
	checks_failed++;
	put_str("FAIL ");
	put_str(what);
	put_str(" (");
	put_str(detail);
	put_hex(v);
	put_str(")\n");
}

void check_done(void)
{
	put_str(client_tag);
	put_str("DONE ");
	put_dec(checks_passed);
	put_str(" passed, ");
	put_dec(checks_failed);
	put_str(" failed\n");
}

/* ---------------------------------------------------------- power-off */

void rtas_power_off(void)
{
	uint32_t rtas = of_finddevice("/rtas"), token, block[6];

	if (rtas == CI_ERR || of_getprop(rtas, "power-off", &token, 4) != 4) {
		put_str(client_tag);
		put_str("FAIL exit: no /rtas power-off token\n");
		return;
	}
	block[0] = token;
	block[1] = 2;		/* power_on_mask_hi, power_on_mask_lo */
	block[2] = 1;
	block[3] = 0;
	block[4] = 0;
	block[5] = (uint32_t)-1;
	{
		uint32_t st = (uint32_t)hcall_rtas(block);

		put_str(client_tag);
		put_str("FAIL exit: RTAS power-off returned, hcall status ");
		put_hex(st);
		put_ch('\n');
	}
}

void client_power_off(int ci_exit)
{
	if (ci_exit) {
		struct ci_args a;

		ci_call(&a, "exit", 0, 0, NULL);
		put_str(client_tag);
		put_str("FAIL exit returned to the client\n");
	} else {
		rtas_power_off();
	}
	for (;;)
		;
}
