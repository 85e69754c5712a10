/* SPDX-License-Identifier: Apache-2.0 */
/* OF client: IEEE 1275 conformance checks of a client-interface firmware, one CONF line per check. */

/*
 * Booted with QEMU -kernel like ci_cost.c (32-bit big-endian C, linked by
 * ci_cost.lds at 0x400000, shared code in client_lib.c), against vofkit
 * native and forward, QEMU's vof.bin and SLOF.  scripts/conformance.py
 * runs it and writes docs/conformance.md.
 *
 * Output:
 *   CONF: PLAN <n>                      first, then one line per check:
 *   CONF: CHECK <index> <id> <what>     the whole plan, in order
 *   CONF: PASS <id> <what>              each check as it runs
 *   CONF: FAIL <id> <what> (<detail>)
 *   CONF: DONE <passed> passed, <failed> failed
 *
 * A firmware that crashes or hangs in a check stops the client there: the
 * runner counts that check as failed and boots the client again with
 * "conf.start=<index>" in -append (/chosen bootargs) to run the checks after
 * it.  Checks that change state (claims, setprop, quiesce) come late, and
 * those that make QEMU's VOF abort the QEMU process (release of memory that
 * is not claimed: an assertion in vof_dt_memory_available) come last.
 *
 * Expected values are IEEE 1275 and its PowerPC binding, as the clients
 * rely on them (see of-clients.md section 6): handles are never 0 or -1,
 * finddevice/getprop of a bad handle -1, child/peer/parent 0 for "none" or
 * a bad handle (peer(0) is the root), open failure 0, and so on.
 */

#include <stdarg.h>

#include "client_lib.h"

#define BAD_PH		0xdeadbeefu
#define PATH_BUF	256
#define NAME_BUF	64	/* Linux's MAX_PROPERTY_NAME */
#define MAX_NODES	512
#define MiB		0x100000u

/* ---------------------------------------------------------- CI helpers */

static struct ci_args A;	/* the array of the last call (checked after it) */
static int32_t R3;		/* r3 of the last call */

/* One call; returns the first return cell, or -1 when r3 is not 0 or nret is 0. */
static uint32_t call(const char *svc, uint32_t nargs, uint32_t nret, ...)
{
	uint32_t in[10], i;
	va_list ap;

	va_start(ap, nret);
	for (i = 0; i < nargs && i < 10; i++)
		in[i] = va_arg(ap, uint32_t);
	va_end(ap);
	memset(&A, 0, sizeof(A));
	R3 = ci_call(&A, svc, nargs, nret, in);
	if (R3 != 0 || !nret)
		return CI_ERR;
	return A.cell[nargs];
}

static uint32_t getprop(uint32_t ph, const char *name, void *buf, uint32_t len)
{
	return call("getprop", 4, 1, ph, cell(name), cell(buf), len);
}

static uint32_t getproplen(uint32_t ph, const char *name)
{
	return call("getproplen", 2, 1, ph, cell(name));
}

static uint32_t p2p(uint32_t ph, char *buf, uint32_t len)
{
	return call("package-to-path", 3, 1, ph, cell(buf), len);
}

static uint32_t nextprop(uint32_t ph, const char *prev, char *buf)
{
	return call("nextprop", 3, 1, ph, cell(prev), cell(buf));
}

static uint32_t setprop(uint32_t ph, const char *name, const void *buf, uint32_t len)
{
	return call("setprop", 4, 1, ph, cell(name), cell(buf), len);
}

static uint32_t claim(uint32_t virt, uint32_t size, uint32_t align)
{
	return call("claim", 3, 1, virt, size, align);
}

static void release(uint32_t virt, uint32_t size)
{
	call("release", 2, 0, virt, size);
}

static int valid(uint32_t h)
{
	return h != 0 && h != CI_ERR;
}

/* ---------------------------------------------------------- reporting */

static const char *det_msg;
static uint32_t det_val;
static int det_has_val;

static int fail(const char *msg, uint32_t v)
{
	det_msg = msg;
	det_val = v;
	det_has_val = 1;
	return 1;
}

static int fail0(const char *msg)
{
	det_msg = msg;
	det_has_val = 0;
	return 1;
}

/* ---------------------------------------------------------- what setup finds */

static uint32_t root_ph, chosen_ph, cpus_ph, cpu_ph, mem_ph, stdin_ih;
static uint32_t addr_cells = 2, size_cells = 2;
static uint64_t ram_base, ram_size;
static uint32_t test_base;	/* 16 MiB that "available" listed as free at start */
static uint32_t align_got;	/* the aligned claim's address, or 0 */
static int quiesced;
static char cpu_path[PATH_BUF], stdout_path[PATH_BUF];
static char buf[PATH_BUF], buf2[PATH_BUF];
static char name[NAME_BUF], name2[NAME_BUF];
static uint32_t nodes[MAX_NODES], nnodes;

/* Depth-first over child/peer/parent, bounded. */
static void walk_tree(void)
{
	uint32_t ph = root_ph, c;

	nnodes = 0;
	while (valid(ph) && nnodes < MAX_NODES) {
		nodes[nnodes++] = ph;
		c = of_tree("child", ph);
		if (valid(c)) {
			ph = c;
			continue;
		}
		for (;;) {
			if (ph == root_ph) {
				ph = 0;
				break;
			}
			c = of_tree("peer", ph);
			if (valid(c)) {
				ph = c;
				break;
			}
			ph = of_tree("parent", ph);
			if (!valid(ph))
				break;
		}
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t read_cells(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;

	while (n--) {
		v = v << 32 | be32(p);
		p += 4;
	}
	return v;
}

/* /memory@0 "available", as (base, size) pairs; returns the count or -1. */
#define MAX_AVAIL 64
static uint64_t av_base[MAX_AVAIL], av_size[MAX_AVAIL];
static uint8_t av_raw[MAX_AVAIL * 16];

static int read_available(void)
{
	uint32_t len = getprop(mem_ph, "available", av_raw, sizeof(av_raw)), per, i;

	per = 4 * (addr_cells + size_cells);
	if (len == CI_ERR || len > sizeof(av_raw) || len % per)
		return -1;
	for (i = 0; i < len / per; i++) {
		av_base[i] = read_cells(av_raw + i * per, addr_cells);
		av_size[i] = read_cells(av_raw + i * per + 4 * addr_cells, size_cells);
	}
	return (int)(len / per);
}

/* 1: [a, a+s) is inside one available range; 0: it overlaps none; 2: partly. */
static int avail_state(uint64_t a, uint64_t s)
{
	int n = read_available(), i, any = 0;

	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (a >= av_base[i] && a + s <= av_base[i] + av_size[i])
			return 1;
		if (a < av_base[i] + av_size[i] && av_base[i] < a + s)
			any = 1;
	}
	return any ? 2 : 0;
}

static uint32_t bootarg_start(void)
{
	static char args[512];
	static const char key[] = "conf.start=";
	uint32_t len = getprop(chosen_ph, "bootargs", args, sizeof(args) - 1), i, k, v;

	if (len == CI_ERR)
		return 0;
	args[len < sizeof(args) - 1 ? len : sizeof(args) - 1] = 0;
	for (i = 0; args[i]; i++) {
		for (k = 0; key[k] && args[i + k] == key[k]; k++)
			;
		if (key[k])
			continue;
		for (v = 0, i += k; args[i] >= '0' && args[i] <= '9' && v < 100000; i++)
			v = v * 10 + (uint32_t)(args[i] - '0');
		return v;
	}
	return 0;
}

static void setup(void)
{
	uint32_t v, c;
	uint8_t reg[16];
	int n, i;

	root_ph = of_finddevice("/");
	chosen_ph = of_finddevice("/chosen");
	cpus_ph = of_finddevice("/cpus");
	if (getprop(root_ph, "#address-cells", &v, 4) == 4)
		addr_cells = v;
	if (getprop(root_ph, "#size-cells", &v, 4) == 4)
		size_cells = v;
	if (getprop(chosen_ph, "stdin", &stdin_ih, 4) != 4)
		stdin_ih = 0;
	/* The first child of /cpus with device_type "cpu". */
	cpu_ph = 0;
	for (c = of_tree("child", cpus_ph); valid(c); c = of_tree("peer", c))
		if (getprop(c, "device_type", buf, 8) == 4 && str_eq(buf, "cpu")) {
			cpu_ph = c;
			break;
		}
	if (p2p(cpu_ph, cpu_path, sizeof(cpu_path)) == CI_ERR)
		cpu_path[0] = 0;
	cpu_path[PATH_BUF - 1] = 0;
	if (call("instance-to-path", 3, 1, stdout_ih, cell(stdout_path), PATH_BUF) == CI_ERR)
		stdout_path[0] = 0;
	stdout_path[PATH_BUF - 1] = 0;
	/* The memory node holding "available": /chosen memory's package, else /memory@0. */
	mem_ph = CI_ERR;
	if (getprop(chosen_ph, "memory", &v, 4) == 4)
		mem_ph = of_tree("instance-to-package", v);
	if (!valid(mem_ph))
		mem_ph = of_finddevice("/memory@0");
	if (getprop(mem_ph, "reg", reg, sizeof(reg)) >= 4 * (addr_cells + size_cells)) {
		ram_base = read_cells(reg, addr_cells);
		ram_size = read_cells(reg + 4 * addr_cells, size_cells);
	}
	/* 16 MiB of free RAM, 1 MiB aligned, at or above 64 MiB and below 4 GiB. */
	n = read_available();
	for (i = 0; i < n; i++) {
		uint64_t a = av_base[i] < 64 * MiB ? 64 * MiB : av_base[i];

		a = (a + MiB - 1) & ~(uint64_t)(MiB - 1);
		if (a + 16 * MiB <= av_base[i] + av_size[i] && a + 16 * MiB < 0xf0000000ull) {
			test_base = (uint32_t)a;
			break;
		}
	}
	walk_tree();
}

/* ---------------------------------------------------------- register checks */

/*
 * A CI call as a 32-bit caller with garbage everywhere it may be: r3 (the
 * array pointer) and r1 get garbage high words, r4-r12 are garbage, and r2,
 * r13-r31 hold 64-bit patterns, CR a pattern.  After the call: bit 0 set if
 * r2 or r13-r31 changed (any of the 64 bits), bit 1 if CR2-CR4 changed, bit
 * 2 if MSR[SF] is not 0, bit 3 if r1 did not come back as the same 64-bit
 * value.  r1, r2, r13-r31 and CR are restored before returning; the
 * firmware's r3 goes to *r3_out.
 *   uint32_t ci_dirty(struct ci_args *a, ci_entry_t entry, int32_t *r3_out)
 */
uint32_t ci_dirty(struct ci_args *a, ci_entry_t entry, int32_t *r3_out);
uint32_t dirty_save_r1;
__asm__(
	"	.text\n"
	"	.globl	ci_dirty\n"
	"ci_dirty:\n"
	"	stwu	%r1, -128(%r1)\n"
	"	mflr	%r0\n"
	"	stw	%r0, 132(%r1)\n"
	"	stmw	%r13, 8(%r1)\n"		/* r13-r31: 8..83 */
	"	stw	%r2, 84(%r1)\n"
	"	mfcr	%r0\n"
	"	stw	%r0, 88(%r1)\n"
	"	stw	%r5, 92(%r1)\n"
	"	mtctr	%r4\n"
	"	lis	%r5, dirty_save_r1@ha\n"
	"	stw	%r1, dirty_save_r1@l(%r5)\n"
	"	.irp	n, 2, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
	"	lis	\\n, 0x5a5a\n"
	"	ori	\\n, \\n, \\n\n"
	"	sldi	\\n, \\n, 32\n"
	"	oris	\\n, \\n, 0xc0de\n"
	"	ori	\\n, \\n, \\n\n"
	"	.endr\n"
	"	lis	%r0, 0x0234\n"
	"	ori	%r0, %r0, 0x5678\n"
	"	mtcrf	0xff, %r0\n"
	"	lis	%r0, 0x7e57\n"
	"	ori	%r0, %r0, 0xbad1\n"
	"	rldimi	%r3, %r0, 32, 0\n"
	"	rldimi	%r1, %r0, 32, 0\n"
	"	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12\n"
	"	mr	\\n, %r0\n"
	"	rldimi	\\n, %r0, 32, 0\n"
	"	.endr\n"
	"	bctrl\n"
	/* r6: failure bits; r7, r8: scratch. */
	"	li	%r6, 0\n"
	"	mfcr	%r7\n"
	"	rlwinm	%r7, %r7, 0, 8, 19\n"
	"	lis	%r8, 0x0034\n"
	"	ori	%r8, %r8, 0x5000\n"
	"	cmpw	%r7, %r8\n"
	"	beq	1f\n"
	"	ori	%r6, %r6, 2\n"
	"1:\n"
	"	.irp	n, 2, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
	"	lis	%r7, 0x5a5a\n"
	"	ori	%r7, %r7, \\n\n"
	"	sldi	%r7, %r7, 32\n"
	"	oris	%r7, %r7, 0xc0de\n"
	"	ori	%r7, %r7, \\n\n"
	"	cmpd	\\n, %r7\n"
	"	beq	2f\n"
	"	ori	%r6, %r6, 1\n"
	"2:\n"
	"	.endr\n"
	"	mfmsr	%r7\n"
	"	srdi	%r7, %r7, 63\n"
	"	cmpwi	%r7, 0\n"
	"	beq	3f\n"
	"	ori	%r6, %r6, 4\n"
	"3:\n"
	"	lis	%r8, dirty_save_r1@ha\n"
	"	lwz	%r8, dirty_save_r1@l(%r8)\n"
	"	lis	%r0, 0x7e57\n"
	"	ori	%r0, %r0, 0xbad1\n"
	"	mr	%r7, %r8\n"
	"	rldimi	%r7, %r0, 32, 0\n"
	"	cmpd	%r1, %r7\n"
	"	beq	4f\n"
	"	ori	%r6, %r6, 8\n"
	"4:\n"
	"	mr	%r1, %r8\n"		/* low word only from here on */
	"	lwz	%r5, 92(%r1)\n"
	"	stw	%r3, 0(%r5)\n"
	"	lmw	%r13, 8(%r1)\n"
	"	lwz	%r2, 84(%r1)\n"
	"	lwz	%r0, 88(%r1)\n"
	"	mtcrf	0xff, %r0\n"
	"	mr	%r3, %r6\n"
	"	lwz	%r0, 132(%r1)\n"
	"	mtlr	%r0\n"
	"	addi	%r1, %r1, 128\n"
	"	blr\n");

static uint32_t dirty_bits;

/* getprop(cpu, "reg") made by ci_dirty; 0 if r3 and the result are right. */
static int dirty_getprop(void)
{
	static const char s_reg[] = "reg";
	uint32_t want = getprop(cpu_ph, s_reg, buf2, 16);
	int32_t r3 = -7;

	memset(&A, 0, sizeof(A));
	memset(buf, 0, 16);
	A.service = cell("getprop");
	A.nargs = 4;
	A.nret = 1;
	A.cell[0] = cpu_ph;
	A.cell[1] = cell(s_reg);
	A.cell[2] = cell(buf);
	A.cell[3] = 16;
	dirty_bits = ci_dirty(&A, ci, &r3);
	if (r3 != 0)
		return fail("r3 ", (uint32_t)r3);
	if (A.cell[4] != want || want == CI_ERR || !mem_eq(buf, buf2, want > 16 ? 16 : want))
		return fail("getprop result ", A.cell[4]);
	return 0;
}

static int c_abi_call(void)
{
	return dirty_getprop();
}

static int c_abi_gprs(void)
{
	if (dirty_getprop())
		return 1;
	return dirty_bits & 1 ? fail0("r2 or r13-r31 changed (64-bit compare)") : 0;
}

static int c_abi_cr(void)
{
	if (dirty_getprop())
		return 1;
	return dirty_bits & 2 ? fail0("CR2-CR4 changed") : 0;
}

static int c_abi_msr(void)
{
	if (dirty_getprop())
		return 1;
	return dirty_bits & 4 ? fail0("MSR[SF] set after the call") : 0;
}

static int c_abi_r1(void)
{
	if (dirty_getprop())
		return 1;
	return dirty_bits & 8 ? fail0("r1's high word not restored") : 0;
}

/* ---------------------------------------------------------- handles */

static int c_root(void)
{
	return valid(root_ph) ? 0 : fail("finddevice(\"/\") = ", root_ph);
}

static int expect_find(const char *path, uint32_t want)
{
	uint32_t r = of_finddevice(path);

	return r == want ? 0 : fail("returned ", r);
}

static int c_find_missing(void)
{
	return expect_find("/no-such-node", CI_ERR);
}

static int c_find_empty(void)
{
	return expect_find("", CI_ERR);
}

static int c_find_missing_child(void)
{
	return expect_find("/cpus/no-such-cpu@99", CI_ERR);
}

static int c_find_trailing(void)
{
	return expect_find("/chosen/", chosen_ph);
}

/* The first CPU's path without its @unit finds the first CPU (a missing unit matches any). */
static int c_find_nounit(void)
{
	uint32_t i;

	for (i = 0; cpu_path[i] && cpu_path[i] != '@'; i++)
		buf[i] = cpu_path[i];
	buf[i] = 0;
	if (!cpu_path[i])
		return fail0("the CPU's path has no unit address");
	return expect_find(buf, cpu_ph);
}

static int c_find_memory(void)
{
	uint32_t want = of_finddevice("/memory@0");

	if (!valid(want))
		return fail("finddevice(\"/memory@0\") = ", want);
	return expect_find("/memory", want);
}

static int c_parent_root(void)
{
	uint32_t r = of_tree("parent", root_ph);

	return r == 0 ? 0 : fail("parent(root) = ", r);
}

static int c_peer0(void)
{
	uint32_t r = of_tree("peer", 0);

	return r == root_ph ? 0 : fail("peer(0) = ", r);
}

static int c_child_parent(void)
{
	uint32_t c = of_tree("child", cpus_ph), p;

	if (!valid(c))
		return fail("child(/cpus) = ", c);
	p = of_tree("parent", c);
	return p == cpus_ph ? 0 : fail("parent(child(/cpus)) = ", p);
}

static int c_peer_end(void)
{
	uint32_t c = of_tree("child", root_ph), n = 0;

	while (valid(c) && n < 1000) {
		c = of_tree("peer", c);
		n++;
	}
	if (c != 0)
		return fail("the last peer gave ", c);
	return n ? 0 : fail0("root has no children");
}

static int c_child_leaf(void)
{
	uint32_t r = of_tree("child", cpu_ph);

	return r == 0 ? 0 : fail("child(cpu) = ", r);
}

static int expect_tree(const char *svc, uint32_t h, uint32_t want)
{
	uint32_t r = of_tree(svc, h);

	if (R3 != 0 && want == 0)
		return fail("r3 = ", (uint32_t)R3);
	return r == want ? 0 : fail("returned ", r);
}

static int c_child_bad(void)
{
	return expect_tree("child", BAD_PH, 0);
}

static int c_peer_bad(void)
{
	return expect_tree("peer", BAD_PH, 0);
}

static int c_parent_bad(void)
{
	return expect_tree("parent", BAD_PH, 0);
}

static int c_child_m1(void)
{
	return expect_tree("child", CI_ERR, 0);
}

static int c_getprop_bad(void)
{
	uint32_t r = getprop(BAD_PH, "name", buf, 32);

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_getprop_0(void)
{
	uint32_t r = getprop(0, "name", buf, 32);

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_getproplen_bad(void)
{
	uint32_t r = getproplen(CI_ERR, "name");

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_nextprop_bad(void)
{
	uint32_t r = nextprop(BAD_PH, "", name);

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_p2p_bad(void)
{
	uint32_t r = p2p(BAD_PH, buf, sizeof(buf));

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_i2pkg_bad(void)
{
	uint32_t r = of_tree("instance-to-package", BAD_PH);

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_i2path_bad(void)
{
	uint32_t r = call("instance-to-path", 3, 1, BAD_PH, cell(buf), PATH_BUF);

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_i2pkg_stdout(void)
{
	uint32_t p = of_tree("instance-to-package", stdout_ih);

	if (!valid(stdout_ih))
		return fail("/chosen stdout = ", stdout_ih);
	if (!valid(p))
		return fail("instance-to-package(stdout) = ", p);
	return p == of_finddevice(stdout_path) ? 0 : fail0("not the node of instance-to-path");
}

static int c_roundtrip(void)
{
	uint32_t i, r;

	if (nnodes < 5)
		return fail("the walk found only nodes: ", nnodes);
	for (i = 0; i < nnodes; i++) {
		r = p2p(nodes[i], buf, sizeof(buf));
		buf[PATH_BUF - 1] = 0;
		if (r == CI_ERR || buf[0] != '/')
			return fail("package-to-path failed for phandle ", nodes[i]);
		if (of_finddevice(buf) != nodes[i])
			return fail("finddevice(package-to-path) differs for phandle ", nodes[i]);
	}
	return 0;
}

/* ---------------------------------------------------------- lengths */

static int c_getprop_short(void)
{
	uint32_t full = getproplen(root_ph, "compatible"), r;

	memset(buf, 0x77, 16);
	r = getprop(root_ph, "compatible", buf, 4);
	if (full == CI_ERR || full <= 4)
		return fail("getproplen(/ compatible) = ", full);
	if (r != full)
		return fail("returned ", r);
	if (buf[4] != 0x77)
		return fail0("wrote past buflen");
	return buf[0] != 0x77 ? 0 : fail0("copied nothing");
}

static int c_getprop_null(void)
{
	uint32_t full = getproplen(root_ph, "compatible"), r = getprop(root_ph, "compatible", NULL, 0);

	return r == full ? 0 : fail("returned ", r);
}

static int c_getproplen(void)
{
	uint32_t l = getproplen(cpu_ph, "reg"), r = getprop(cpu_ph, "reg", buf, sizeof(buf));

	if (l == CI_ERR || l == 0)
		return fail("getproplen(cpu reg) = ", l);
	return r == l ? 0 : fail("getprop returned ", r);
}

static int c_missing_prop(void)
{
	uint32_t l = getproplen(root_ph, "no-such-prop"), r;

	memset(buf, 0x77, 8);
	r = getprop(root_ph, "no-such-prop", buf, 8);
	if (l != CI_ERR)
		return fail("getproplen returned ", l);
	if (r != CI_ERR)
		return fail("getprop returned ", r);
	return buf[0] == 0x77 ? 0 : fail0("buffer written");
}

/* "interrupt-controller" is an empty property of the interrupt controller(s). */
static int c_empty_prop(void)
{
	uint32_t i, l;

	for (i = 0; i < nnodes; i++) {
		l = getproplen(nodes[i], "interrupt-controller");
		if (l == CI_ERR)
			continue;
		if (l != 0)
			return fail("getproplen = ", l);
		l = getprop(nodes[i], "interrupt-controller", buf, 8);
		return l == 0 ? 0 : fail("getprop = ", l);
	}
	return fail0("no node with an interrupt-controller property");
}

/* "name" of a node: its node name without @unit, a NUL-terminated string. */
static int check_name(uint32_t ph, const char *path)
{
	const char *last = path, *p;
	uint32_t n = 0, r;

	for (p = path; *p; p++)
		if (*p == '/')
			last = p + 1;
	while (last[n] && last[n] != '@' && last[n] != ':')
		n++;
	memset(buf2, 0, sizeof(buf2));
	r = getprop(ph, "name", buf2, sizeof(buf2) - 1);
	if (r == CI_ERR)
		return fail0("no name property");
	if (r != n + 1 || buf2[n] != 0 || !mem_eq(buf2, last, n))
		return fail("wrong name, length ", r);
	return 0;
}

static int c_name_cpu(void)
{
	return check_name(cpu_ph, cpu_path);
}

static int c_name_chosen(void)
{
	return check_name(chosen_ph, "/chosen");
}

/* ---------------------------------------------------------- strings */

static int c_p2p_root(void)
{
	uint32_t r;

	memset(buf, 0x77, 8);
	r = p2p(root_ph, buf, 64);
	if (buf[0] != '/' || buf[1] != 0)
		return fail0("not \"/\"");
	return r == 1 ? 0 : fail("returned ", r);
}

static int c_p2p_len(void)
{
	uint32_t r = p2p(cpu_ph, buf, sizeof(buf));

	return r == str_len(cpu_path) ? 0 : fail("returned ", r);
}

static int c_p2p_nul(void)
{
	uint32_t n = str_len(cpu_path);

	memset(buf, 0x77, sizeof(buf));
	p2p(cpu_ph, buf, n + 8);
	if (!mem_eq(buf, cpu_path, n))
		return fail0("wrong path");
	return buf[n] == 0 ? 0 : fail("no NUL after the path, byte ", (uint8_t)buf[n]);
}

static int c_p2p_short(void)
{
	memset(buf, 0x77, 16);
	p2p(cpu_ph, buf, 4);
	if (buf[4] != 0x77)
		return fail0("wrote past buflen 4");
	return 0;
}

static int c_p2p_short_len(void)
{
	uint32_t r = p2p(cpu_ph, buf, 4);

	return r == str_len(cpu_path) ? 0 : fail("returned ", r);
}

static int c_p2p_zero(void)
{
	memset(buf, 0x77, 8);
	p2p(cpu_ph, buf, 0);
	return buf[0] == 0x77 ? 0 : fail0("wrote with buflen 0");
}

static int c_i2path(void)
{
	uint32_t p = of_tree("instance-to-package", stdout_ih);

	if (stdout_path[0] != '/')
		return fail0("instance-to-path(stdout) is not a path");
	memset(buf, 0, sizeof(buf));
	p2p(p, buf, sizeof(buf) - 1);
	return str_eq(buf, stdout_path) ? 0 : fail0("differs from package-to-path of its package");
}

/* The 33-character name in /rtas (LoPAPR) comes back whole in a 64-byte buffer. */
static int c_long_name(void)
{
	static const char want[] = "ibm,query-interrupt-source-number";
	uint32_t rtas = of_finddevice("/rtas"), n = 0, r;

	if (getproplen(rtas, want) == CI_ERR)
		return fail0("/rtas has no ibm,query-interrupt-source-number");
	name2[0] = 0;
	for (;;) {
		memset(name, 0, sizeof(name));
		r = nextprop(rtas, name2, name);
		if (r != 1 || ++n > 512)
			return fail("not listed by nextprop, last return ", r);
		if (str_eq(name, want))
			return 0;
		memcpy(name2, name, sizeof(name));
	}
}

static int c_canon(void)
{
	uint32_t r;

	memset(buf, 0, sizeof(buf));
	r = call("canon", 3, 1, cell("/cpus"), cell(buf), PATH_BUF - 1);
	if (R3 != 0)
		return fail("r3 = ", (uint32_t)R3);
	if (!str_eq(buf, "/cpus"))
		return fail0("not \"/cpus\"");
	return r == 5 ? 0 : fail("returned ", r);
}

/* ---------------------------------------------------------- services */

static int c_test_present(void)
{
	uint32_t r = call("test", 1, 1, cell("getprop"));

	return r == 0 ? 0 : fail("returned ", r);
}

static int c_test_absent(void)
{
	uint32_t r = call("test", 1, 1, cell("no-such-service"));

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_unknown(void)
{
	memset(&A, 0, sizeof(A));
	A.service = cell("no-such-service");
	A.nargs = 1;
	A.nret = 1;
	A.cell[0] = 0x1234;
	A.cell[1] = 0x5678;
	R3 = ci(&A);
	if (R3 != -1)
		return fail("r3 = ", (uint32_t)R3);
	return A.cell[0] == 0x1234 && A.cell[1] == 0x5678 ? 0 : fail("array changed: ", A.cell[1]);
}

static int c_too_many(void)
{
	memset(&A, 0, sizeof(A));
	A.service = cell("call-method");
	A.nargs = 6;
	A.nret = 5;
	A.cell[0] = cell("no-such-method");
	A.cell[1] = stdout_ih;
	R3 = ci(&A);
	return R3 == -1 ? 0 : fail("r3 = ", (uint32_t)R3);
}

/* getprop with 2 arguments: refused (r3 = -1 or -1 returned), nothing written. */
static int c_wrong_count(void)
{
	memset(&A, 0, sizeof(A));
	A.service = cell("getprop");
	A.nargs = 2;
	A.nret = 1;
	A.cell[0] = root_ph;
	A.cell[1] = cell("compatible");
	R3 = ci(&A);
	if (R3 == -1 || A.cell[2] == CI_ERR)
		return 0;
	return fail("accepted, returned ", A.cell[2]);
}

static int c_interpret(void)
{
	uint32_t r = call("interpret", 1, 1, cell("no-such-forth-word-xyzzy"));

	if (R3 != 0)
		return fail("r3 = ", (uint32_t)R3);
	return r != 0 ? 0 : fail0("catch-result 0");
}

static int c_ms_mono(void)
{
	uint32_t last = call("milliseconds", 0, 1), i, t;

	if (R3 != 0)
		return fail("r3 = ", (uint32_t)R3);
	for (i = 0; i < 1000; i++) {
		t = call("milliseconds", 0, 1);
		if (t < last)
			return fail("went back to ", t);
		last = t;
	}
	return 0;
}

static int c_ms_advance(void)
{
	uint32_t t0 = call("milliseconds", 0, 1), i;

	for (i = 0; i < 2000000; i++)
		if (call("milliseconds", 0, 1) - t0 >= 5)
			return 0;
	return fail0("no 5 ms passed in 2,000,000 calls");
}

/* ---------------------------------------------------------- aliases */

static uint32_t aliases_ph;

static int c_aliases_node(void)
{
	aliases_ph = of_finddevice("/aliases");
	return valid(aliases_ph) ? 0 : fail("finddevice(\"/aliases\") = ", aliases_ph);
}

/* Every alias that names a path: finddevice(alias) = finddevice(path); at least one. */
static int c_aliases_resolve(void)
{
	uint32_t n = 0, r, ph;

	if (!valid(aliases_ph))
		return fail0("no /aliases");
	name2[0] = 0;
	while ((r = nextprop(aliases_ph, name2, name)) == 1 && n < 256) {
		memcpy(name2, name, sizeof(name));
		if (str_eq(name, "name"))
			continue;
		memset(buf, 0, sizeof(buf));
		getprop(aliases_ph, name, buf, sizeof(buf) - 1);
		if (buf[0] != '/')
			continue;
		ph = of_finddevice(buf);
		if (!valid(ph))
			continue;		/* an alias to a node that is not there */
		if (of_finddevice(name) != ph)
			return fail0("an alias does not find its node");
		n++;
	}
	return n ? 0 : fail0("no alias resolves");
}

static int c_alias_args(void)
{
	uint32_t ph;

	if (!valid(aliases_ph))
		return fail0("no /aliases");
	name2[0] = 0;
	while (nextprop(aliases_ph, name2, name) == 1) {
		memcpy(name2, name, sizeof(name));
		ph = of_finddevice(name);
		if (str_eq(name, "name") || !valid(ph))
			continue;
		memcpy(buf, name, sizeof(name));
		memcpy(buf + str_len(buf), ":0", 3);
		return of_finddevice(buf) == ph ? 0 : fail0("alias:args not resolved");
	}
	return fail0("no alias resolves");
}

static int c_alias_missing(void)
{
	return expect_find("no-such-alias", CI_ERR);
}

/* ---------------------------------------------------------- instances */

static uint32_t open_ih;

static int c_open(void)
{
	open_ih = call("open", 1, 1, cell(stdout_path));
	return valid(open_ih) ? 0 : fail("open(stdout's path) = ", open_ih);
}

static int c_open_pkg(void)
{
	uint32_t p = of_tree("instance-to-package", open_ih);

	return p == of_finddevice(stdout_path) ? 0 : fail("instance-to-package = ", p);
}

static int c_open_distinct(void)
{
	return open_ih != stdout_ih ? 0 : fail0("open returned /chosen stdout's ihandle");
}

static int c_open_missing(void)
{
	uint32_t r = call("open", 1, 1, cell("/no-such-node"));

	return r == 0 ? 0 : fail("returned ", r);
}

static int c_open_root(void)
{
	uint32_t ih = call("open", 1, 1, cell("/"));

	if (!valid(ih))
		return fail("returned ", ih);
	return of_tree("instance-to-package", ih) == root_ph ? 0 : fail0("not the root's instance");
}

static int c_close(void)
{
	uint32_t r;

	call("close", 1, 0, open_ih);
	if (R3 != 0)
		return fail("r3 = ", (uint32_t)R3);
	r = of_tree("instance-to-package", open_ih);
	return r == CI_ERR ? 0 : fail("closed ihandle still valid: ", r);
}

static int c_close_twice(void)
{
	call("close", 1, 0, open_ih);
	if (R3 != 0 && R3 != -1)
		return fail("r3 = ", (uint32_t)R3);
	return call("write", 3, 1, stdout_ih, cell(""), 0) == 0 ? 0 : fail0("write broke");
}

static int c_callmethod_missing(void)
{
	uint32_t ih = call("open", 1, 1, cell("/")), r;

	r = call("call-method", 2, 1, cell("no-such-method"), ih);
	if (R3 != 0 && R3 != -1)
		return fail("r3 = ", (uint32_t)R3);
	return R3 == -1 || r != 0 ? 0 : fail0("catch-result 0");
}

static int c_callmethod_badih(void)
{
	uint32_t r = call("call-method", 2, 1, cell("open"), BAD_PH);

	return R3 == -1 || r != 0 ? 0 : fail0("catch-result 0");
}

static int c_stdin(void)
{
	uint32_t p = of_tree("instance-to-package", stdin_ih);

	if (!valid(stdin_ih))
		return fail("/chosen stdin = ", stdin_ih);
	return valid(p) ? 0 : fail("instance-to-package(stdin) = ", p);
}

/* ---------------------------------------------------------- console */

static int c_stdout_type(void)
{
	uint32_t p = of_tree("instance-to-package", stdout_ih);

	memset(buf, 0, 16);
	getprop(p, "device_type", buf, 15);
	return str_eq(buf, "serial") ? 0 : fail0("device_type is not \"serial\"");
}

static int c_write(void)
{
	static const char s[] = "CONF: INFO CI write on stdout\n";
	uint32_t r = call("write", 3, 1, stdout_ih, cell(s), sizeof(s) - 1);

	return r == sizeof(s) - 1 ? 0 : fail("returned ", r);
}

static int c_write0(void)
{
	uint32_t r = call("write", 3, 1, stdout_ih, cell(buf), 0);

	return r == 0 ? 0 : fail("returned ", r);
}

static int c_write_bad(void)
{
	uint32_t r = call("write", 3, 1, BAD_PH, cell("x"), 1);

	return r == CI_ERR || R3 == -1 ? 0 : fail("returned ", r);
}

static int c_read(void)
{
	uint32_t r;

	if (!valid(stdin_ih))
		return fail("/chosen stdin = ", stdin_ih);
	r = call("read", 3, 1, stdin_ih, cell(buf), 1);
	return r == 0 || r == (uint32_t)-2 ? 0 : fail("returned ", r);
}

/* ---------------------------------------------------------- memory */

static int c_avail(void)
{
	int n = read_available(), i;

	if (n <= 0)
		return fail("available entries: ", (uint32_t)n);
	for (i = 0; i < n; i++) {
		if (!av_size[i])
			return fail("empty entry ", (uint32_t)i);
		if (av_base[i] < ram_base || av_base[i] + av_size[i] > ram_base + ram_size)
			return fail("entry outside /memory reg: ", (uint32_t)i);
		if (i && av_base[i] <= av_base[i - 1] + av_size[i - 1])
			return fail("not sorted or not merged at entry ", (uint32_t)i);
	}
	return test_base ? 0 : fail0("no 16 MiB free below 4 GiB");
}

static int c_claim(void)
{
	uint32_t r = claim(test_base, MiB, 0);

	return r == test_base ? 0 : fail("returned ", r);
}

static int c_avail_claimed(void)
{
	int s = avail_state(test_base, MiB);

	return s == 0 ? 0 : fail("claimed range still available, state ", (uint32_t)s);
}

static int c_claim_again(void)
{
	uint32_t r = claim(test_base, MiB, 0);

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_claim_partial(void)
{
	uint32_t r = claim(test_base + MiB / 2, MiB, 0);

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_claim_adjacent(void)
{
	uint32_t r = claim(test_base + MiB, 0x10000, 0);

	return r == test_base + MiB ? 0 : fail("returned ", r);
}

static int c_claim_odd(void)
{
	uint32_t r = claim(test_base + 2 * MiB, 0x1001, 0);

	return r == test_base + 2 * MiB ? 0 : fail("returned ", r);
}

static int c_claim_zero(void)
{
	uint32_t r = claim(test_base + 3 * MiB, 0, 0);

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_claim_outside(void)
{
	uint64_t end = ram_base + ram_size;
	uint32_t r;

	if (!ram_size || end >= 0xfff00000ull)
		return fail0("RAM reaches 4 GiB: no address outside it");
	r = claim((uint32_t)end + MiB, 0x10000, 0);
	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_claim_wrap(void)
{
	uint32_t r = claim(0xfffff000u, 0x2000, 0);

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_claim_client(void)
{
	uint32_t r = claim(0x400000, 0x1000, 0);

	return r == CI_ERR ? 0 : fail("claimed the client's own image: ", r);
}

static int c_claim_vectors(void)
{
	uint32_t r = claim(0, 0x1000, 0);

	return r == CI_ERR ? 0 : fail("claimed page 0: ", r);
}

static int c_claim_align(void)
{
	uint32_t r = claim(0, 0x10000, MiB);

	align_got = 0;
	if (r == CI_ERR)
		return fail0("returned -1");
	align_got = r;
	if (r & (MiB - 1))
		return fail("not 1 MiB aligned: ", r);
	if (r < test_base + 3 * MiB && r + 0x10000 > test_base)
		return fail("overlaps earlier claims: ", r);
	return avail_state(r, 0x10000) == 0 ? 0 : fail("still available: ", r);
}

static int c_release(void)
{
	int s;

	release(test_base, MiB);
	if (R3 != 0)
		return fail("r3 = ", (uint32_t)R3);
	s = avail_state(test_base, MiB);
	return s == 1 ? 0 : fail("not available again, state ", (uint32_t)s);
}

static int c_reclaim(void)
{
	uint32_t r = claim(test_base, MiB, 0);

	if (r != test_base)
		return fail("returned ", r);
	release(test_base, MiB);
	return 0;
}

static int c_release_align(void)
{
	if (!align_got)
		return fail0("no aligned claim");
	release(align_got, 0x10000);
	return avail_state(align_got, 0x10000) == 1 ? 0 : fail0("not available again");
}

/* ---------------------------------------------------------- nextprop */

static int c_np_first(void)
{
	uint32_t r = nextprop(cpu_ph, "", name);

	if (r != 1)
		return fail("returned ", r);
	return getproplen(cpu_ph, name) != CI_ERR ? 0 : fail0("name is not a property");
}

static int c_np_null(void)
{
	uint32_t r = nextprop(cpu_ph, "", name2);

	r = nextprop(cpu_ph, NULL, name);
	if (r != 1)
		return fail("returned ", r);
	return str_eq(name, name2) ? 0 : fail0("not the same as prev \"\"");
}

/* All of one node's properties: no repeats, each exists, ends with 0. Returns the count or -1. */
static int np_walk(uint32_t ph, uint32_t *last_ret)
{
	static char seen[96][NAME_BUF];
	uint32_t n = 0, r, i;

	name2[0] = 0;
	for (;;) {
		memset(name, 0, sizeof(name));
		r = nextprop(ph, name2, name);
		*last_ret = r;
		if (r != 1)
			break;
		if (name[NAME_BUF - 1] || !name[0] || getproplen(ph, name) == CI_ERR)
			return -1;
		for (i = 0; i < n && i < 96; i++)
			if (str_eq(seen[i], name))
				return -1;
		if (n < 96)
			memcpy(seen[n], name, NAME_BUF);
		if (++n > 1000)
			return -1;
		memcpy(name2, name, sizeof(name));
	}
	return r == 0 ? (int)n : -1;
}

static int c_np_walk(void)
{
	uint32_t last;
	int n = np_walk(cpu_ph, &last);

	if (n < 0)
		return fail("bad walk; last return ", last);
	return n >= 3 ? 0 : fail("properties: ", (uint32_t)n);
}

static int c_np_end(void)
{
	uint32_t last;

	if (np_walk(chosen_ph, &last) < 0)
		return fail("bad walk; last return ", last);
	/* name2 holds the last property now. */
	last = nextprop(chosen_ph, name2, name);
	return last == 0 ? 0 : fail("after the last: ", last);
}

static int c_np_bad_prev(void)
{
	uint32_t r = nextprop(cpu_ph, "no-such-prop", name);

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_np_all(void)
{
	uint32_t i, last;

	for (i = 0; i < nnodes; i++)
		if (np_walk(nodes[i], &last) < 0)
			return fail("bad walk of phandle ", nodes[i]);
	return 0;
}

/* ---------------------------------------------------------- setprop */

static const uint32_t val4 = 0x12345678, val8[2] = { 0xcafe0001, 0xcafe0002 };

static int c_setprop_new(void)
{
	uint32_t r = setprop(chosen_ph, "linux,conf-test", &val4, 4), v = 0;

	if (r != 4)
		return fail("returned ", r);
	r = getprop(chosen_ph, "linux,conf-test", &v, 4);
	return r == 4 && v == val4 ? 0 : fail("getprop then gives ", v);
}

static int c_setprop_replace(void)
{
	uint32_t r = setprop(chosen_ph, "linux,conf-test", val8, 8), v[2] = { 0, 0 };

	if (r != 8)
		return fail("returned ", r);
	r = getprop(chosen_ph, "linux,conf-test", v, 8);
	return r == 8 && v[1] == val8[1] ? 0 : fail("getprop then gives length ", r);
}

static int c_setprop_nextprop(void)
{
	name2[0] = 0;
	while (nextprop(chosen_ph, name2, name) == 1) {
		if (str_eq(name, "linux,conf-test"))
			return 0;
		memcpy(name2, name, sizeof(name));
	}
	return fail0("nextprop does not list it");
}

static int c_setprop_empty(void)
{
	uint32_t r = setprop(chosen_ph, "linux,conf-empty", NULL, 0);

	if (r != 0)
		return fail("returned ", r);
	r = getproplen(chosen_ph, "linux,conf-empty");
	return r == 0 ? 0 : fail("getproplen then gives ", r);
}

static int c_setprop_large(void)
{
	static uint8_t big[4096], back[4096];
	uint32_t i, r;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + 1);
	r = setprop(chosen_ph, "linux,conf-large", big, sizeof(big));
	if (r != sizeof(big))
		return fail("returned ", r);
	r = getprop(chosen_ph, "linux,conf-large", back, sizeof(back));
	return r == sizeof(big) && mem_eq(big, back, sizeof(big)) ? 0 : fail("read back ", r);
}

static int c_setprop_bad(void)
{
	uint32_t r = setprop(BAD_PH, "linux,conf-test", &val4, 4);

	return r == CI_ERR ? 0 : fail("returned ", r);
}

static int c_setprop_bootargs(void)
{
	static const char s[] = "conf.bootargs";
	uint32_t r = setprop(chosen_ph, "bootargs", s, sizeof(s));

	if (r != sizeof(s))
		return fail("returned ", r);
	memset(buf, 0, 32);
	getprop(chosen_ph, "bootargs", buf, 31);
	return str_eq(buf, s) ? 0 : fail0("not read back");
}

/* A vendor property on the root (1275: setprop creates any property). */
static int c_setprop_any(void)
{
	uint32_t r = setprop(root_ph, "conf,vendor-prop", &val4, 4);

	return r == 4 ? 0 : fail("returned ", r);
}

static int c_setprop_name(void)
{
	static const char s[] = "conf-renamed";
	uint32_t r = setprop(cpu_ph, "ibm,conf-test", s, sizeof(s));

	return r == sizeof(s) ? 0 : fail("returned ", r);
}

/* ---------------------------------------------------------- quiesce */

static int c_quiesce(void)
{
	call("quiesce", 0, 0);
	quiesced = 1;
	return R3 == 0 ? 0 : fail("r3 = ", (uint32_t)R3);
}

static int c_after_quiesce(void)
{
	uint32_t v = 0;

	if (getprop(cpu_ph, "reg", &v, 4) == CI_ERR)
		return fail0("getprop failed");
	if (call("milliseconds", 0, 1) == CI_ERR)
		return fail0("milliseconds failed");
	return call("write", 3, 1, stdout_ih, cell(buf), 0) == 0 ? 0 : fail0("write failed");
}

/* ---------------------------------------------------------- last: releases VOF aborts on */

static int avail_consistent(void)
{
	int n = read_available(), i;

	if (n <= 0)
		return 1;
	for (i = 1; i < n; i++)
		if (av_base[i] <= av_base[i - 1] + av_size[i - 1])
			return 1;
	return 0;
}

static int c_release_partial(void)
{
	uint32_t b = test_base + 4 * MiB;

	if (claim(b, MiB, 0) != b)
		return fail0("claim failed");
	release(b, MiB / 2);
	if (avail_consistent())
		return fail0("available corrupt");
	if (avail_state(b + MiB / 2, MiB / 2) != 0)
		return fail0("the part not released became available");
	return avail_state(b, MiB / 2) == 1 ? 0 : fail0("the released half is not available");
}

static int c_release_double(void)
{
	uint32_t b = test_base + 6 * MiB;

	if (claim(b, MiB, 0) != b)
		return fail0("claim failed");
	release(b, MiB);
	release(b, MiB);
	if (avail_consistent())
		return fail0("available corrupt");
	return claim(b, MiB, 0) == b ? 0 : fail0("claim after the double release failed");
}

static int c_release_unclaimed(void)
{
	uint32_t b = test_base + 8 * MiB;

	release(b, MiB);
	if (avail_consistent())
		return fail0("available corrupt");
	if (avail_state(b, MiB) != 1)
		return fail0("range no longer available");
	return claim(b, MiB, 0) == b ? 0 : fail0("claim after the release failed");
}

/* ---------------------------------------------------------- the plan */

struct check {
	const char *id;
	const char *what;
	int (*fn)(void);
};

static const struct check checks[] = {
	/* 32-bit caller, garbage in the high halves */
	{ "abi.call", "getprop as a 32-bit caller with garbage in r1/r3-r12 high halves", c_abi_call },
	{ "abi.gprs", "r2, r13-r31 preserved as 64-bit values", c_abi_gprs },
	{ "abi.cr", "CR2-CR4 preserved", c_abi_cr },
	{ "abi.msr", "MSR[SF] still 0 after the call", c_abi_msr },
	{ "abi.r1", "r1 comes back with its high word", c_abi_r1 },
	/* handles */
	{ "h.root", "finddevice(\"/\") is a valid phandle", c_root },
	{ "h.find-missing", "finddevice of a missing node: -1", c_find_missing },
	{ "h.find-empty", "finddevice(\"\"): -1", c_find_empty },
	{ "h.find-missing-child", "finddevice of a missing child of /cpus: -1", c_find_missing_child },
	{ "h.find-trailing", "finddevice(\"/chosen/\") finds /chosen", c_find_trailing },
	{ "h.find-nounit", "finddevice of a name without @unit finds the first match", c_find_nounit },
	{ "h.find-memory", "finddevice(\"/memory\") finds /memory@0", c_find_memory },
	{ "h.parent-root", "parent(root): 0", c_parent_root },
	{ "h.peer0", "peer(0): the root", c_peer0 },
	{ "h.child-parent", "parent(child(/cpus)) = /cpus", c_child_parent },
	{ "h.peer-end", "peer of the last child: 0", c_peer_end },
	{ "h.child-leaf", "child of a leaf: 0", c_child_leaf },
	{ "h.child-bad", "child(0xdeadbeef): 0", c_child_bad },
	{ "h.peer-bad", "peer(0xdeadbeef): 0", c_peer_bad },
	{ "h.parent-bad", "parent(0xdeadbeef): 0", c_parent_bad },
	{ "h.child-m1", "child(-1): 0", c_child_m1 },
	{ "h.getprop-bad", "getprop(0xdeadbeef): -1", c_getprop_bad },
	{ "h.getprop-0", "getprop(phandle 0): -1", c_getprop_0 },
	{ "h.getproplen-bad", "getproplen(-1): -1", c_getproplen_bad },
	{ "h.nextprop-bad", "nextprop(0xdeadbeef): -1", c_nextprop_bad },
	{ "h.p2p-bad", "package-to-path(0xdeadbeef): -1", c_p2p_bad },
	{ "h.i2pkg-bad", "instance-to-package(0xdeadbeef): -1", c_i2pkg_bad },
	{ "h.i2path-bad", "instance-to-path(0xdeadbeef): -1", c_i2path_bad },
	{ "h.i2pkg-stdout", "instance-to-package(stdout) is its path's node", c_i2pkg_stdout },
	{ "h.roundtrip", "finddevice(package-to-path(ph)) = ph for every node", c_roundtrip },
	/* lengths */
	{ "l.getprop-short", "getprop with buflen < size: copies buflen, returns size", c_getprop_short },
	{ "l.getprop-null", "getprop(buf 0, len 0) returns the size", c_getprop_null },
	{ "l.getproplen", "getproplen = getprop's return", c_getproplen },
	{ "l.missing", "missing property: getprop/getproplen -1, buffer untouched", c_missing_prop },
	{ "l.empty", "empty property: getproplen 0, getprop 0", c_empty_prop },
	{ "l.name-cpu", "\"name\" of a CPU node: its name without @unit, with NUL", c_name_cpu },
	{ "l.name-chosen", "\"name\" of /chosen is \"chosen\"", c_name_chosen },
	/* strings */
	{ "s.p2p-root", "package-to-path(root): \"/\", returns 1", c_p2p_root },
	{ "s.p2p-len", "package-to-path returns the path length", c_p2p_len },
	{ "s.p2p-nul", "package-to-path NUL-terminates when there is room", c_p2p_nul },
	{ "s.p2p-short", "package-to-path with buflen 4 writes at most 4 bytes", c_p2p_short },
	{ "s.p2p-short-len", "package-to-path with buflen 4 returns the full length", c_p2p_short_len },
	{ "s.p2p-zero", "package-to-path with buflen 0 writes nothing", c_p2p_zero },
	{ "s.i2path", "instance-to-path(stdout) = package-to-path of its package", c_i2path },
	{ "s.long-name", "nextprop gives the 33-character /rtas name whole", c_long_name },
	{ "s.canon", "canon(\"/cpus\"): \"/cpus\", 5", c_canon },
	/* services */
	{ "c.test-present", "test(\"getprop\"): 0", c_test_present },
	{ "c.test-absent", "test(\"no-such-service\"): -1", c_test_absent },
	{ "c.unknown", "unknown service: r3 = -1, array untouched", c_unknown },
	{ "c.too-many", "nargs+nret = 11: r3 = -1", c_too_many },
	{ "c.wrong-count", "getprop with 2 arguments is refused", c_wrong_count },
	{ "c.interpret", "interpret of an unknown word: catch-result non-zero", c_interpret },
	{ "c.ms-mono", "milliseconds is monotonic", c_ms_mono },
	{ "c.ms-advance", "milliseconds advances", c_ms_advance },
	/* aliases */
	{ "a.node", "/aliases exists", c_aliases_node },
	{ "a.resolve", "finddevice(alias) = finddevice(its path)", c_aliases_resolve },
	{ "a.args", "finddevice(\"alias:args\") = finddevice(alias)", c_alias_args },
	{ "a.missing", "finddevice of a missing alias: -1", c_alias_missing },
	/* instances */
	{ "i.open", "open(stdout's path): a valid ihandle", c_open },
	{ "i.open-pkg", "instance-to-package(open(path)) = finddevice(path)", c_open_pkg },
	{ "i.open-distinct", "open gives a new instance, not stdout's", c_open_distinct },
	{ "i.open-missing", "open of a missing node: 0", c_open_missing },
	{ "i.open-root", "open(\"/\"): the root's instance", c_open_root },
	{ "i.close", "close: the ihandle is no longer valid", c_close },
	{ "i.close-twice", "close twice: no crash, console still works", c_close_twice },
	{ "i.callmethod-missing", "call-method of a missing method: catch-result non-zero", c_callmethod_missing },
	{ "i.callmethod-badih", "call-method on a bad ihandle: refused", c_callmethod_badih },
	{ "i.stdin", "/chosen stdin is a valid ihandle", c_stdin },
	/* console */
	{ "k.stdout-type", "stdout's device_type is \"serial\"", c_stdout_type },
	{ "k.write", "write(stdout) prints and returns the length", c_write },
	{ "k.write0", "write of 0 bytes returns 0", c_write0 },
	{ "k.write-bad", "write to a bad ihandle: -1", c_write_bad },
	{ "k.read", "read(stdin) with nothing pending: 0 or -2 at once", c_read },
	/* nextprop */
	{ "n.first", "nextprop(\"\"): 1 and the first property", c_np_first },
	{ "n.null", "nextprop(NULL) = nextprop(\"\")", c_np_null },
	{ "n.walk", "nextprop walk of a CPU: no repeats, ends with 0", c_np_walk },
	{ "n.end", "nextprop after the last property: 0", c_np_end },
	{ "n.bad-prev", "nextprop with a prev that is not a property: -1", c_np_bad_prev },
	{ "n.all", "nextprop walk of every node ends cleanly", c_np_all },
	/* claim/release and available */
	{ "m.avail", "available: sorted, merged, inside /memory reg", c_avail },
	{ "m.claim", "exact claim of free memory", c_claim },
	{ "m.avail-claimed", "available no longer lists a claim", c_avail_claimed },
	{ "m.claim-again", "claim of claimed memory: -1", c_claim_again },
	{ "m.claim-partial", "claim overlapping a claim: -1", c_claim_partial },
	{ "m.claim-adjacent", "claim adjacent to a claim", c_claim_adjacent },
	{ "m.claim-odd", "claim of an odd size", c_claim_odd },
	{ "m.claim-zero", "claim of size 0: -1", c_claim_zero },
	{ "m.claim-outside", "claim beyond the end of RAM: -1", c_claim_outside },
	{ "m.claim-wrap", "claim wrapping at 4 GiB: -1", c_claim_wrap },
	{ "m.claim-client", "claim of the client's own image: -1", c_claim_client },
	{ "m.claim-vectors", "claim of page 0: -1", c_claim_vectors },
	{ "m.claim-align", "aligned claim: aligned, free, removed from available", c_claim_align },
	{ "m.release", "release: available again", c_release },
	{ "m.reclaim", "claim after release", c_reclaim },
	{ "m.release-align", "release of the aligned claim", c_release_align },
	/* setprop */
	{ "p.new", "setprop of a new linux,* property on /chosen", c_setprop_new },
	{ "p.replace", "setprop replaces with a new length", c_setprop_replace },
	{ "p.nextprop", "nextprop lists the new property", c_setprop_nextprop },
	{ "p.empty", "setprop of an empty value", c_setprop_empty },
	{ "p.large", "setprop of 4 KiB, read back", c_setprop_large },
	{ "p.bad-ph", "setprop on a bad phandle: -1", c_setprop_bad },
	{ "p.bootargs", "setprop of /chosen bootargs", c_setprop_bootargs },
	{ "p.any", "setprop of a vendor property on /", c_setprop_any },
	{ "p.cpu", "setprop of an ibm,* property on a CPU node", c_setprop_name },
	/* quiesce */
	{ "q.quiesce", "quiesce: r3 = 0", c_quiesce },
	{ "q.after", "getprop, milliseconds and write after quiesce", c_after_quiesce },
	/* last: QEMU's VOF aborts QEMU on these */
	{ "d.release-partial", "release of half a claim", c_release_partial },
	{ "d.release-double", "double release: no corruption", c_release_double },
	{ "d.release-unclaimed", "release of memory never claimed: no corruption", c_release_unclaimed },
};
#define NCHECKS (sizeof(checks) / sizeof(checks[0]))

static int is_slof(void)
{
	uint32_t p = of_finddevice("/openprom");

	memset(buf, 0, 8);
	getprop(p, "model", buf, 4);
	return buf[0] == 'S' && buf[1] == 'L' && buf[2] == 'O' && buf[3] == 'F';
}

void client_main(uint32_t entry)
{
	uint32_t i, start, passed = 0, failed = 0;
	int slof;

	(void)entry;
	client_tag = "CONF: ";
	console_init();
	setup();
	slof = is_slof();
	put_str("CONF: INFO conformance client started\n");
	put_str("CONF: INFO console: ");
	put_str(via_hcall ? "H_PUT_TERM_CHAR (CI write printed nothing)" : "CI write");
	put_str("; exit: ");
	put_str(via_hcall || slof ? "RTAS power-off" : "CI exit");
	put_str("\nCONF: INFO stdout ");
	put_str(stdout_path);
	put_str(", first CPU ");
	put_str(cpu_path);
	put_str(", nodes ");
	put_dec(nnodes);
	put_str(", test memory ");
	put_hex(test_base);
	put_str("\nCONF: INFO available:");
	{
		int n = read_available(), k;

		for (k = 0; k < n && k < 6; k++) {
			put_ch(' ');
			put_hex((uint32_t)av_base[k]);
			put_ch('+');
			put_hex((uint32_t)av_size[k]);
		}
		if (n > 6)
			put_str(" ...");
	}
	put_str("\nCONF: PLAN ");
	put_dec(NCHECKS);
	put_ch('\n');
	for (i = 0; i < NCHECKS; i++) {
		put_str("CONF: CHECK ");
		put_dec(i);
		put_ch(' ');
		put_str(checks[i].id);
		put_ch(' ');
		put_str(checks[i].what);
		put_ch('\n');
	}
	start = bootarg_start();
	if (start) {
		put_str("CONF: INFO starting at check ");
		put_dec(start);
		put_ch('\n');
	}
	for (i = start; i < NCHECKS; i++) {
		det_msg = "";
		det_has_val = 0;
		if (checks[i].fn()) {
			failed++;
			put_str("CONF: FAIL ");
			put_str(checks[i].id);
			put_ch(' ');
			put_str(checks[i].what);
			put_str(" (");
			put_str(det_msg);
			if (det_has_val)
				put_hex(det_val);
			put_str(")\n");
		} else {
			passed++;
			put_str("CONF: PASS ");
			put_str(checks[i].id);
			put_ch(' ');
			put_str(checks[i].what);
			put_ch('\n');
		}
	}
	put_str("CONF: DONE ");
	put_dec(passed);
	put_str(" passed, ");
	put_dec(failed);
	put_str(" failed\n");
	(void)quiesced;
	client_power_off(!via_hcall && !slof);
}
