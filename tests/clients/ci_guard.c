/* SPDX-License-Identifier: Apache-2.0 */
/* OF client that makes the hostile claim/release/phandle calls QEMU's VOF does not check, checks /chosen stdin (also after CAS), and claims after quiesce. */

/*
 * Booted with QEMU -kernel like ci_cost.c (32-bit big-endian C, linked by
 * ci_cost.lds to run at 0x400000; see ci_cost.c for why -m32).  Under the
 * forward pairing every call here would reach QEMU's VOF unguarded, and the
 * first one, a release of VOF's own claim at 0, makes VOF assert and QEMU
 * abort (hw/ppc/vof.c, vof_dt_memory_available); a claim after 1,000
 * setprops of 2 KiB, or after quiesce, makes QEMU exit (VOF's tree is full
 * or packed: FDT_ERR_NOSPACE).
 * The test requires the client to get to DONE and QEMU to exit by itself
 * with status 0.
 *
 * Output: "CI-GUARD: PASS <what>" / "CI-GUARD: FAIL <what> (<detail>)" per
 * check, then "CI-GUARD: DONE <n> passed, <m> failed", then CI exit.
 * Entry, console and stack come from client_lib.c, as for ci_cost.c.
 */

#include "client_lib.h"

#define PATH_BUF	256	/* VOF ignores the length of the path services */
#define OWN_MEM		0x2000000u	/* a free 8 KiB for the client's own claim */
#define FAIL		CI_ERR

static char buf[PATH_BUF];

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

#define call1(s, n, a0, a1, a2, a3)	ci_n(s, n, 1, a0, a1, a2, a3)

static uint32_t claim(uint32_t virt, uint32_t size, uint32_t align)
{
	return call1("claim", 3, virt, size, align, 0);
}

static void release(uint32_t virt, uint32_t size)
{
	ci_n("release", 2, 0, virt, size, 0, 0);
}

static uint32_t getprop(uint32_t ph, const char *name, void *to, uint32_t len)
{
	return call1("getprop", 4, ph, cell(name), cell(to), len);
}

/* One check: PASS, or FAIL with what the firmware answered. */
static void check_got(int ok, const char *what, uint32_t got)
{
	check(ok, what, "got ", got);
}

/* ---------------------------------------------------------- the checks */

static uint32_t ram_top;	/* end of /memory@0 */

static void check_release(void)
{
	uint32_t mem = call1("finddevice", 1, cell("/memory@0"), 0, 0, 0);
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
	check_got(got == FAIL, "release of the firmware's claim at 0 refused (still claimed)", got);

	release(0x8000, 0x8000);	/* QEMU's stack claim at the first 32 KiB boundary */
	got = claim(0x8000, 0x1000, 0);
	check_got(got == FAIL,
		  "release of 0x8000+0x8000 (QEMU's stack claim) refused (still claimed)", got);

	got = claim(OWN_MEM, 0x2000, 0);
	check_got(got == OWN_MEM, "claim of the client's own 8 KiB", got);
	release(OWN_MEM, 0x1000);	/* part of a claim */
	got = claim(OWN_MEM, 0x1000, 0);
	check_got(got == FAIL, "release of half a claim refused (still claimed)", got);
	release(OWN_MEM, 0x2000);
	got = claim(OWN_MEM, 0x2000, 0);
	check_got(got == OWN_MEM, "release of the client's own claim done (claimable again)", got);
	release(OWN_MEM, 0x2000);
	release(OWN_MEM, 0x2000);	/* twice: nothing of it is claimed any more */
}

static void check_claim_outside_ram(void)
{
	uint32_t got;

	got = claim(ram_top - 0x1000, 0x2000, 0);
	check_got(got == FAIL, "claim across the end of RAM refused", got);
	got = claim(ram_top, 0x1000, 0);
	check_got(got == FAIL, "claim past the end of RAM refused", got);
	got = claim(0xfffff000u, 0x2000, 0);
	check_got(got == FAIL, "claim wrapping past 4 GiB refused", got);
	got = claim(0, ram_top, 0x10000);
	check_got(got == FAIL, "aligned claim of all of RAM refused", got);
	/* VOF aborts QEMU for a claim at or above 2 GiB (run with -m 4G) */
	got = claim(0x7ffff000u, 0x2000, 0);
	check_got(got == FAIL, "claim across 2 GiB refused", got);
	got = claim(0x80000000u, 0x1000, 0);
	check_got(got == FAIL, "claim at 2 GiB refused", got);
	got = claim(0, 0x1000, 0x80000000u);
	check_got(got == FAIL, "claim aligned to 2 GiB refused", got);
	/* a plain aligned claim still works, where VOF would put it */
	got = claim(0, 0x3000, 0x10000);
	check_got(got != FAIL && !(got & 0xffff), "aligned claim of 12 KiB at a 64 KiB boundary", got);
	if (got != FAIL) {
		release(got, 0x3000);
		check_got(claim(got, 0x3000, 0) == got, "... released and claimable again", got);
		release(got, 0x3000);
	}
}

/*
 * VOF places an aligned claim above the highest claim ever made, released
 * or not: after a claim of RAM's last claimable page no aligned claim fits
 * any more.  The guards take the lowest aligned fit in VOF's "available".
 */
static void check_aligned_reuse(void)
{
	uint32_t last = (ram_top < 0x80000000u ? ram_top : 0x80000000u) - 0x1000, first, got;

	got = claim(last, 0x1000, 0);
	check_got(got == last, "claim of the last page below min(RAM, 2 GiB)", got);
	release(last, 0x1000);
	first = claim(0, 0x10000, 0x10000);
	check_got(first != FAIL && !(first & 0xffff) && first < last,
		  "aligned claim after it lands below it", first);
	if (first == FAIL)
		return;
	release(first, 0x10000);
	got = claim(0, 0x10000, 0x10000);
	check_got(got == first, "aligned claim again reuses the released range", got);
	if (got != FAIL)
		release(got, 0x10000);
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
			got = call1(b->service, b->nargs, ph, a1, a2, a3);
			if (got != b->want && ok) {
				ok = 0;
				first_bad = got;
			}
		}
		check_got(ok, b->what, first_bad);
	}
	/* and the good ones still answer */
	got = call1("peer", 1, 0, 0, 0, 0);
	check_got(got && got != FAIL, "peer(0) is the root", got);
	got = call1("child", 1, got, 0, 0, 0);
	check_got(got && got != FAIL, "child(root) is a node", got);
}

static void check_stdin(void)
{
	uint32_t chosen = call1("finddevice", 1, cell("/chosen"), 0, 0, 0), ih = 0, len;

	len = getprop(chosen, "stdin", &ih, 4);
	check_got(len == 4 && ih && ih != FAIL, "/chosen stdin present", len);
	if (len != 4)
		return;
	check_got(call1("instance-to-package", 1, ih, 0, 0, 0) ==
		  call1("instance-to-package", 1, stdout_ih, 0, 0, 0),
		  "/chosen stdin is the stdout device", ih);
}

/*
 * A CAS vector QEMU acts on: a PVR pair with mask 0 (any CPU), the
 * terminator pair, then option vectors 1 to 5 of one zero byte each.
 * Without vector 5 QEMU refuses CAS (H_PARAMETER) before it rebuilds the
 * tree; all-zero vector 5 asks for the hash MMU and XICS, which TCG gives.
 */
static const uint8_t cas_vector[] __attribute__((aligned(4))) = {
	0, 0, 0, 0, 0, 0, 0, 0,		/* mask 0, value 0: any PVR */
	0, 0, 0, 0, 0, 0, 0, 1,		/* mask 0, value 1: the end of the list */
	4,				/* number of option vectors - 1 */
	0, 0, 0, 0, 0, 0, 0, 0,		/* vectors 1-4: length - 1, one byte */
	0, 0,				/* vector 5 */
};

/*
 * VOF's tree has a fixed size (2 MiB): about 1,000 new properties of 2 KiB,
 * then smaller ones down to empty, fill it to the last byte, and the next
 * claim's "available" update makes QEMU exit (FDT_ERR_NOSPACE).  The guards
 * refuse setprops past 512 KiB of growth.  Before the CAS check, whose new
 * tree drops these properties again.
 */
static void check_setprop_fill(void)
{
	static const uint32_t sizes[] = { 2048, 256, 32, 4, 0 };
	static uint8_t value[2048];
	static char name[] = "vofkit,fill-0000";
	uint32_t chosen = call1("finddevice", 1, cell("/chosen"), 0, 0, 0), n = 0, big = 0;
	uint32_t z, i, got;

	for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		for (i = 0; i < 1200 && n < 9999; i++, n++) {
			name[12] = (char)('0' + n / 1000 % 10);
			name[13] = (char)('0' + n / 100 % 10);
			name[14] = (char)('0' + n / 10 % 10);
			name[15] = (char)('0' + n % 10);
			if (call1("setprop", 4, chosen, cell(name), cell(value), sizes[z]) != sizes[z])
				break;
			big += !z;
		}
	}
	check_got(big && big < 1000, "new 2 KiB properties: refused before VOF's tree is full", big);
	got = claim(OWN_MEM, 0x2000, 0);
	check_got(got == OWN_MEM, "claim after them (room left for VOF's available)", got);
	if (got == OWN_MEM)
		release(OWN_MEM, 0x2000);
}

/* QEMU builds VOF a new tree at CAS, with no stdin: the guards put it back. */
static void check_stdin_after_cas(void)
{
	uint32_t root = call1("open", 1, cell("/"), 0, 0, 0), chosen, ih = 0, len;
	struct ci_args a = { cell("call-method"), 3, 2,
			     { cell("ibm,client-architecture-support"), root, cell(cas_vector) } };

	check_got(ci(&a) == 0 && a.cell[3] == 0, "ibm,client-architecture-support answered", a.cell[3]);
	chosen = call1("finddevice", 1, cell("/chosen"), 0, 0, 0);
	len = getprop(chosen, "stdin", &ih, 4);
	check_got(len == 4 && ih && ih != FAIL, "/chosen stdin present after CAS", len);
}

/*
 * VOF packs its tree at quiesce (fdt_pack): a claim afterwards needs room
 * for one more "available" entry and makes QEMU exit.  Last: nothing may
 * claim after it.  QEMU surviving shows in the DONE line and its exit.
 */
static void check_claim_after_quiesce(void)
{
	uint32_t got;

	ci_n("quiesce", 0, 0, 0, 0, 0, 0);
	got = claim(OWN_MEM, 0x2000, 0);
	check_got(got == FAIL, "claim after quiesce refused", got);
	got = claim(0, 0x10000, 0x10000);
	check_got(got == FAIL, "aligned claim after quiesce refused", got);
}

void client_main(uint32_t entry)
{
	uint32_t mem, reg[4];

	(void)entry;
	client_tag = "CI-GUARD: ";
	console_init();
	put_str("CI-GUARD: INFO start\n");

	/* /memory@0 "reg" = <addr-hi addr-lo size-hi size-lo>; the CI sees only 32 bits */
	mem = call1("finddevice", 1, cell("/memory@0"), 0, 0, 0);
	if (getprop(mem, "reg", reg, sizeof(reg)) != 16) {
		check_got(0, "setup: /memory@0 reg", mem);
	} else {
		ram_top = reg[2] ? 0xfffff000u : reg[3];
		put_str("CI-GUARD: INFO RAM ends at ");
		put_hex(ram_top);
		put_str("\n");
		check_release();
		check_claim_outside_ram();
		check_aligned_reuse();
	}
	check_phandles();
	check_stdin();
	check_setprop_fill();
	check_stdin_after_cas();
	check_claim_after_quiesce();

	check_done();
	ci_n("exit", 0, 0, 0, 0, 0, 0);
	put_str("CI-GUARD: FAIL exit returned to the client\n");
	for (;;)
		;
}
