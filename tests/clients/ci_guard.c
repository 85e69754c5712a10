/* SPDX-License-Identifier: Apache-2.0 */
/* OF client that makes the hostile claim/release/phandle calls QEMU's VOF does not check, then checks /chosen stdin. */

/*
 * Booted with QEMU -kernel like ci_cost.c (32-bit big-endian C, linked by
 * ci_cost.lds to run at 0x400000; see ci_cost.c for why -m32).  Under the
 * forward pairing every call here would reach QEMU's VOF unguarded, and the
 * first one, a release of VOF's own claim at 0, makes VOF assert and QEMU
 * abort (hw/ppc/vof.c, vof_dt_memory_available).  The test requires the
 * client to get to DONE and QEMU to exit by itself with status 0.
 *
 * Output: "CI-GUARD: PASS <what>" / "CI-GUARD: FAIL <what> (<detail>)" per
 * check, then "CI-GUARD: DONE <npass> passed, <nfail> failed", then CI exit.
 * Console: CI write on /chosen stdout (only vofkit firmware runs this).
 */

#include <stddef.h>
#include <stdint.h>

#define LINE_MAX	200
#define PATH_BUF	256	/* VOF ignores the length of the path services */
#define OWN_MEM		0x2000000u	/* a free 8 KiB for the client's own claim */
#define FAIL		0xffffffffu

struct ci_args {
	uint32_t service, nargs, nret;
	uint32_t cell[10];
};

typedef int32_t (*ci_entry_t)(struct ci_args *args);

/* Entry: our own stack (as ci_cost.c), r5 = the CI entry. */
__asm__(
	"	.section .text.start, \"ax\", @progbits\n"
	"	.globl	_start\n"
	"_start:\n"
	"	lis	%r1, (__stack_top - 16)@ha\n"
	"	addi	%r1, %r1, (__stack_top - 16)@l\n"
	"	li	%r0, 0\n"
	"	stw	%r0, 0(%r1)\n"
	"	mr	%r3, %r5\n"
	"	b	guard_main\n"
	"	.text\n");

void guard_main(uint32_t entry) __attribute__((noreturn, used));

extern char __bss_start[], __bss_end[];

static ci_entry_t ci;
static uint32_t stdout_ih, npass, nfail;
static char line[LINE_MAX + 1];
static uint32_t line_len;
static char buf[PATH_BUF];

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

static uint32_t cell(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

/* ---------------------------------------------------------- CI calls */

/* nret = 0 or 1; returns the first return, or FAIL when r3 != 0. */
static uint32_t ci_n(const char *service, uint32_t nargs, uint32_t nret, uint32_t a0,
		     uint32_t a1, uint32_t a2, uint32_t a3)
{
	struct ci_args a = { cell(service), nargs, nret, { a0, a1, a2, a3 } };

	a.cell[nargs] = 0x5a5a5a5a;	/* a return must overwrite it */
	if (ci(&a) != 0)
		return FAIL;
	return nret ? a.cell[nargs] : 0;
}

#define ci1(s, n, a0, a1, a2, a3)	ci_n(s, n, 1, a0, a1, a2, a3)

static uint32_t claim(uint32_t virt, uint32_t size, uint32_t align)
{
	return ci1("claim", 3, virt, size, align, 0);
}

static void release(uint32_t virt, uint32_t size)
{
	ci_n("release", 2, 0, virt, size, 0, 0);
}

static uint32_t getprop(uint32_t ph, const char *name, void *to, uint32_t len)
{
	return ci1("getprop", 4, ph, cell(name), cell(to), len);
}

/* ---------------------------------------------------------- console */

static void line_flush(void)
{
	line[line_len++] = '\n';
	if (stdout_ih)
		ci1("write", 3, stdout_ih, cell(line), line_len, 0);
	line_len = 0;
}

static void put_str(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			line_flush();
		else if (line_len < LINE_MAX)
			line[line_len++] = *s;
	}
}

static void put_hex(uint32_t v)
{
	char h[11];
	int i;

	h[0] = '0';
	h[1] = 'x';
	for (i = 0; i < 8; i++)
		h[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
	h[10] = '\0';
	put_str(h);
}

static void put_dec(uint32_t v)
{
	char d[11];
	int i = 10;

	d[i] = '\0';
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_str(d + i);
}

/* One check: PASS or FAIL with what the firmware answered. */
static void check(int ok, const char *what, uint32_t got)
{
	put_str(ok ? "CI-GUARD: PASS " : "CI-GUARD: FAIL ");
	put_str(what);
	if (!ok) {
		put_str(" (got ");
		put_hex(got);
		put_str(")");
	}
	put_str("\n");
	if (ok)
		npass++;
	else
		nfail++;
}

/* ---------------------------------------------------------- the checks */

static uint32_t ram_top;	/* end of /memory@0 */

static void check_release(void)
{
	uint32_t mem = ci1("finddevice", 1, cell("/memory@0"), 0, 0, 0);
	uint32_t avail[4] = { 0, 0, 0, 0 }, fw_size = 0x1000, got;

	/*
	 * VOF's "available" starts where its claim at 0 ends (2-cell address):
	 * releasing exactly [0, that) is what makes QEMU abort.
	 */
	if (getprop(mem, "available", avail, sizeof(avail)) >= 8 && avail[1])
		fw_size = avail[1];
	put_str("CI-GUARD: INFO releasing [0, ");
	put_hex(fw_size);
	put_str("), the claim at 0\n");
	release(0, fw_size);
	got = claim(0, 0x100, 0);
	check(got == FAIL, "release of the firmware's claim at 0 refused (still claimed)", got);

	release(0x8000, 0x8000);	/* QEMU's stack claim at the first 32 KiB boundary */
	got = claim(0x8000, 0x1000, 0);
	check(got == FAIL, "release of 0x8000+0x8000 (QEMU's stack claim) refused (still claimed)", got);

	got = claim(OWN_MEM, 0x2000, 0);
	check(got == OWN_MEM, "claim of the client's own 8 KiB", got);
	release(OWN_MEM, 0x1000);	/* part of a claim */
	got = claim(OWN_MEM, 0x1000, 0);
	check(got == FAIL, "release of half a claim refused (still claimed)", got);
	release(OWN_MEM, 0x2000);
	got = claim(OWN_MEM, 0x2000, 0);
	check(got == OWN_MEM, "release of the client's own claim done (claimable again)", got);
	release(OWN_MEM, 0x2000);
	release(OWN_MEM, 0x2000);	/* twice: nothing of it is claimed any more */
}

static void check_claim_outside_ram(void)
{
	uint32_t got;

	got = claim(ram_top - 0x1000, 0x2000, 0);
	check(got == FAIL, "claim across the end of RAM refused", got);
	got = claim(ram_top, 0x1000, 0);
	check(got == FAIL, "claim past the end of RAM refused", got);
	got = claim(0xfffff000u, 0x2000, 0);
	check(got == FAIL, "claim wrapping past 4 GiB refused", got);
	got = claim(0, ram_top, 0x10000);
	check(got == FAIL, "aligned claim of all of RAM refused", got);
	/* VOF aborts QEMU for a claim at or above 2 GiB (run with -m 4G) */
	got = claim(0x7ffff000u, 0x2000, 0);
	check(got == FAIL, "claim across 2 GiB refused", got);
	got = claim(0x80000000u, 0x1000, 0);
	check(got == FAIL, "claim at 2 GiB refused", got);
	got = claim(0, 0x1000, 0x80000000u);
	check(got == FAIL, "claim aligned to 2 GiB refused", got);
	/* a plain aligned claim still works, where VOF would put it */
	got = claim(0, 0x3000, 0x10000);
	check(got != FAIL && !(got & 0xffff), "aligned claim of 12 KiB at a 64 KiB boundary", got);
	if (got != FAIL) {
		release(got, 0x3000);
		check(claim(got, 0x3000, 0) == got, "... released and claimable again", got);
		release(got, 0x3000);
	}
}

/* One phandle service, its other arguments, and its answer for a bad phandle. */
struct bad_call {
	const char *service;
	uint32_t nargs, want;
	int buf_args;		/* 0: none; 1: "" and buf (nextprop); 2: buf, size; 3: "name", buf, 32; 4: "name" */
	const char *what;
};

static const struct bad_call bad_calls[] = {
	{ "child", 1, 0, 0, "child(0, -1, 0xdeadbeef) -> 0" },
	{ "parent", 1, 0, 0, "parent(0, -1, 0xdeadbeef) -> 0" },
	{ "peer", 1, 0, 0, "peer(-1, 0xdeadbeef) -> 0" },
	{ "nextprop", 3, FAIL, 1, "nextprop(0, -1, 0xdeadbeef) -> -1" },
	{ "package-to-path", 3, FAIL, 2, "package-to-path(0, -1, 0xdeadbeef) -> -1" },
	{ "getprop", 4, FAIL, 3, "getprop(0, -1, 0xdeadbeef, \"name\") -> -1" },
	{ "getproplen", 2, FAIL, 4, "getproplen(0, -1, 0xdeadbeef, \"name\") -> -1" },
};

static void check_phandles(void)
{
	static const uint32_t bad_ph[] = { 0, 0xffffffffu, 0xdeadbeefu };
	uint32_t n, i, got, first_bad, ok;

	for (n = 0; n < sizeof(bad_calls) / sizeof(bad_calls[0]); n++) {
		const struct bad_call *b = &bad_calls[n];

		ok = 1;
		first_bad = 0;
		for (i = 0; i < 3; i++) {
			uint32_t ph = bad_ph[i], a1 = 0, a2 = 0, a3 = 0;

			if (!ph && b->service[0] == 'p' && b->service[1] == 'e')
				continue;	/* peer(0) is the root */
			switch (b->buf_args) {
			case 1: a1 = cell(""); a2 = cell(buf); break;
			case 2: a1 = cell(buf); a2 = sizeof(buf); break;
			case 3: a1 = cell("name"); a2 = cell(buf); a3 = 32; break;
			case 4: a1 = cell("name"); break;
			}
			got = ci1(b->service, b->nargs, ph, a1, a2, a3);
			if (got != b->want && ok) {
				ok = 0;
				first_bad = got;
			}
		}
		check(ok, b->what, first_bad);
	}
	/* and the good ones still answer */
	got = ci1("peer", 1, 0, 0, 0, 0);
	check(got && got != FAIL, "peer(0) is the root", got);
	got = ci1("child", 1, got, 0, 0, 0);
	check(got && got != FAIL, "child(root) is a node", got);
}

static void check_stdin(void)
{
	uint32_t chosen = ci1("finddevice", 1, cell("/chosen"), 0, 0, 0), ih = 0, len;

	len = getprop(chosen, "stdin", &ih, 4);
	check(len == 4 && ih && ih != FAIL, "/chosen stdin present", len);
	if (len != 4)
		return;
	check(ci1("instance-to-package", 1, ih, 0, 0, 0) ==
	      ci1("instance-to-package", 1, stdout_ih, 0, 0, 0),
	      "/chosen stdin is the stdout device", ih);
}

void guard_main(uint32_t entry)
{
	uint32_t chosen, mem, reg[4];
	char *p;

	for (p = __bss_start; p < __bss_end; p++)
		*p = 0;
	ci = (ci_entry_t)(uintptr_t)entry;
	chosen = ci1("finddevice", 1, cell("/chosen"), 0, 0, 0);
	getprop(chosen, "stdout", &stdout_ih, 4);
	put_str("CI-GUARD: INFO start\n");

	/* /memory@0 "reg" = <addr-hi addr-lo size-hi size-lo>; the CI sees only 32 bits */
	mem = ci1("finddevice", 1, cell("/memory@0"), 0, 0, 0);
	if (getprop(mem, "reg", reg, sizeof(reg)) != 16) {
		check(0, "setup: /memory@0 reg", mem);
	} else {
		ram_top = reg[2] ? 0xfffff000u : reg[3];
		put_str("CI-GUARD: INFO RAM ends at ");
		put_hex(ram_top);
		put_str("\n");
		check_release();
		check_claim_outside_ram();
	}
	check_phandles();
	check_stdin();

	put_str("CI-GUARD: DONE ");
	put_dec(npass);
	put_str(" passed, ");
	put_dec(nfail);
	put_str(" failed\n");
	ci_n("exit", 0, 0, 0, 0, 0, 0);
	put_str("CI-GUARD: FAIL exit returned to the client\n");
	for (;;)
		;
}
