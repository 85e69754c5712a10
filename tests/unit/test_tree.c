/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the native tree, its CI services and instances, over device trees QEMU dumped at test time. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <vofkit/ci/ci.h>
#include <vofkit/lib/console.h>
#include "capture.h"
#include <vofkit/core/heap.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/pairing.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/util.h>

/*
 * The firmware runs here as it does after reset in the native pairing:
 * QEMU's tree (dumped by dump_trees.sh into $VOFKIT_DTB_DIR) is placed in
 * the simulated RAM, pairing_init gets r3 pointing at it, and the init table runs
 * from FW_INIT_EARLY to FW_INIT_STDIO as fw_main() runs it.  Clients are
 * then simulated through ci_dispatch() with argument arrays in RAM.
 *
 * The heap (lib/heap.c) starts at the linker symbol __fw_end: the CMake
 * rule defines it (--defsym) as vk_tree_ram + VK_TREE_HEAP_BASE, so the
 * tree copy, its index and every heap allocation are simulated-RAM real
 * addresses, inside the firmware's protected range as on the machine.
 *
 * Byte order: the firmware reads FDT cells as native uint32 (it is
 * big-endian).  On the host, property bytes are compared as bytes, cells
 * QEMU wrote are decoded with fdt32_to_cpu, and cells the firmware itself
 * stores natively (the /chosen ihandles) are read back natively.  CI
 * argument cells are host-native here (the dispatcher uses plain uint32_t).
 */

/* ---- Simulated machine ---- */

#define SIM_RAM_SIZE	0x10000000u	/* 256 MiB */
#define FW_IMAGE_START	0x100u		/* fw_own_start: the image's entry, as fw_main sets it */
#define HEAP_BASE	VK_TREE_HEAP_BASE	/* __fw_end */
#define HEAP_END	CONFIG_FW_HEAP_END
#define CLIENT_STACK	0x10000u	/* the top of the heap region is the client's stack */

/* Client memory, above the firmware's region. */
#define ARGS_ADDR	0x8000000u	/* argument array */
#define NAME_ADDR	0x8000800u	/* service name */
#define STR_ADDR	0x8001000u	/* string arena (strings live for one call) */
#define STR_END		0x8010000u
#define BUF_ADDR	0x8010000u	/* client buffer, 256 KiB */
#define BUF_SIZE	0x40000u
#define BUF2_ADDR	0x8050000u	/* second buffer, 64 KiB */
#define BUF2_SIZE	0x10000u
#define BIG_ADDR	0x8100000u	/* large setprop values, 1 MiB */
#define CLIENT_END	0x8200000u
#define DTB_ADDR	0x9000000u	/* QEMU's tree, where r3 points at reset */
#define NEW_DTB_ADDR	0x9400000u	/* a CAS answer to merge */
#define DTB_MAX		0x400000u

#define FILL		0xeeu
#define RET_POISON	0x5a5a5a5au
#define TAIL_POISON	0xa5a5a5a5u
#define FAIL		0xffffffffu
#define QEMU_PHANDLE	0x1111u		/* QEMU's /interrupt-controller */
#define SETPROP_LIMIT	0x10000u	/* tree_services.c: the largest client value */
#define MAX_NODES	4096u

uint8_t vk_tree_ram[SIM_RAM_SIZE] __attribute__((aligned(1 << 20)));
uint8_t *host_ram = vk_tree_ram;
extern char __fw_end[];

/* lib/main.c's entry registers (main.c itself is not linked: it boots). */

static void *ram(uint64_t pa, size_t len)
{
	if (pa > SIM_RAM_SIZE || len > SIM_RAM_SIZE - pa)
		fail_msg("ram(0x%llx, %zu) is outside the simulated RAM", (unsigned long long)pa, len);
	return vk_tree_ram + pa;
}

static uint32_t rd32(uint32_t pa)
{
	uint32_t v;

	memcpy(&v, ram(pa, 4), 4);
	return v;
}

static void wr32(uint32_t pa, uint32_t v)
{
	memcpy(ram(pa, 4), &v, 4);
}

/* A cell QEMU wrote (big-endian in the blob). */
static uint32_t be_cell(const void *p)
{
	fdt32_t v;

	memcpy(&v, p, 4);
	return fdt32_to_cpu(v);
}

/* A cell the firmware stored itself (native: big-endian on the machine). */
static uint32_t fw_cell(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* ---- Console capture (the Linux-policy build has the CI trace on) ---- */


/* ---- Client interface calls ---- */

static uint32_t str_next = STR_ADDR;

/* Put a string in client memory; valid until the arena wraps (one call is enough). */
static uint32_t S(const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t a;

	assert_true(n <= STR_END - STR_ADDR);
	if (str_next + n > STR_END)
		str_next = STR_ADDR;
	a = str_next;
	memcpy(ram(a, n), s, n);
	str_next = ALIGN_UP(a + (uint32_t)n, 8u);
	return a;
}

static int64_t ci_call(const char *svc, uint32_t nargs, uint32_t nret, const uint32_t *in)
{
	size_t n = strlen(svc) + 1;
	uint32_t i, cell = ARGS_ADDR + 12;

	memcpy(ram(NAME_ADDR, n), svc, n);
	wr32(ARGS_ADDR, NAME_ADDR);
	wr32(ARGS_ADDR + 4, nargs);
	wr32(ARGS_ADDR + 8, nret);
	for (i = 0; i < nargs; i++, cell += 4)
		wr32(cell, in[i]);
	for (i = 0; i < nret; i++, cell += 4)
		wr32(cell, RET_POISON);
	wr32(cell, TAIL_POISON);
	return ci_dispatch(ARGS_ADDR);
}

static uint32_t ret_cell(unsigned int i)
{
	return rd32(ARGS_ADDR + 12 + 4 * (rd32(ARGS_ADDR + 4) + i));
}

/* Call a service that must exist; returns its first return cell. */
static uint32_t ci(const char *svc, uint32_t nargs, uint32_t nret, ...)
{
	uint32_t in[CI_MAX_CELLS], i;
	int64_t rc;
	va_list ap;

	assert_true(nargs <= CI_MAX_CELLS);
	va_start(ap, nret);
	for (i = 0; i < nargs; i++)
		in[i] = va_arg(ap, uint32_t);
	va_end(ap);
	rc = ci_call(svc, nargs, nret, in);
	if (rc != 0)
		fail_msg("%s: the dispatcher returned %lld", svc, (long long)rc);
	if (rd32(ARGS_ADDR + 12 + 4 * (nargs + nret)) != TAIL_POISON)
		fail_msg("%s wrote past its return cells", svc);
	return nret ? ret_cell(0) : 0;
}

static uint32_t finddevice(const char *path)
{
	return ci("finddevice", 1, 1, S(path));
}

static uint32_t getprop(uint32_t ph, const char *name, uint32_t buf, uint32_t len)
{
	return ci("getprop", 4, 1, ph, S(name), buf, len);
}

static uint32_t getproplen(uint32_t ph, const char *name)
{
	return ci("getproplen", 2, 1, ph, S(name));
}

static uint32_t nextprop(uint32_t ph, uint32_t prev, uint32_t buf)
{
	return ci("nextprop", 3, 1, ph, prev, buf);
}

static uint32_t setprop(uint32_t ph, const char *name, uint32_t buf, uint32_t len)
{
	return ci("setprop", 4, 1, ph, S(name), buf, len);
}

static uint32_t peer(uint32_t ph)
{
	return ci("peer", 1, 1, ph);
}

static uint32_t child(uint32_t ph)
{
	return ci("child", 1, 1, ph);
}

static uint32_t parent(uint32_t ph)
{
	return ci("parent", 1, 1, ph);
}

static uint32_t pkg2path(uint32_t ph, uint32_t buf, uint32_t len)
{
	return ci("package-to-path", 3, 1, ph, buf, len);
}

static uint32_t canon(const char *spec, uint32_t buf, uint32_t len)
{
	return ci("canon", 3, 1, S(spec), buf, len);
}

static uint32_t i2pkg(uint32_t ih)
{
	return ci("instance-to-package", 1, 1, ih);
}

static uint32_t i2path(uint32_t ih, uint32_t buf, uint32_t len)
{
	return ci("instance-to-path", 3, 1, ih, buf, len);
}

/* Every ihandle ever handed capture_out, so a reload can close them all. */
static uint32_t tracked[512];
static unsigned int n_tracked;
static uint32_t cur_stdout, cur_stdin;

static void track(uint32_t ih)
{
	if (ih && ih != FAIL && n_tracked < ARRAY_SIZE(tracked))
		tracked[n_tracked++] = ih;
}

static uint32_t open_dev(const char *spec)
{
	uint32_t ih = ci("open", 1, 1, S(spec));

	track(ih);
	return ih;
}

static void close_ih(uint32_t ih)
{
	ci("close", 1, 0, ih);
}

/* A property read through getprop into host memory; its size or -1. */
static int prop(uint32_t ph, const char *name, void *dst, size_t max)
{
	uint32_t size = getprop(ph, name, BUF_ADDR, BUF_SIZE);

	if (size == FAIL)
		return -1;
	assert_true(size <= BUF_SIZE && size <= max);
	memcpy(dst, ram(BUF_ADDR, size), size);
	return (int)size;
}

/* A string property (must be NUL-terminated); NULL when absent. */
static const char *prop_str(uint32_t ph, const char *name)
{
	static char s[4096];
	int len = prop(ph, name, s, sizeof(s) - 1);

	if (len < 0)
		return NULL;
	if (len == 0 || s[len - 1])
		fail_msg("%s is not a NUL-terminated string (%d bytes)", name, len);
	return s;
}

static uint32_t prop_be_cell(uint32_t ph, const char *name)
{
	uint8_t v[4];

	assert_int_equal(prop(ph, name, v, sizeof(v)), 4);
	return be_cell(v);
}

/* The path package-to-path gives, as a C string. */
static const char *path_of(uint32_t ph)
{
	static char p[1024];
	uint32_t len = pkg2path(ph, BUF2_ADDR, sizeof(p));

	if (len == FAIL)
		fail_msg("package-to-path(%x) failed", ph);
	assert_true(len < sizeof(p));
	memcpy(p, ram(BUF2_ADDR, len + 1), len + 1);
	assert_int_equal(strlen(p), len);
	return p;
}

static uint32_t must_find(const char *path)
{
	uint32_t ph = finddevice(path);

	if (ph == FAIL || ph == 0)
		fail_msg("finddevice(\"%s\") = %x", path, ph);
	return ph;
}

static void fill_client(uint32_t pa, uint32_t len)
{
	memset(ram(pa, len), FILL, len);
}

static bool untouched(uint32_t pa, uint32_t len)
{
	const uint8_t *p = ram(pa, len);
	uint32_t i;

	for (i = 0; i < len; i++)
		if (p[i] != FILL)
			return false;
	return true;
}

/* ---- QEMU's trees ---- */

enum cfg { CFG_BASIC, CFG_BIG, CFG_DEVICES, CFG_KERNEL, CFG_NODEFAULTS, CFG_COUNT };

static const char *const cfg_name[CFG_COUNT] = {
	"basic", "big", "devices", "kernel", "nodefaults",
};

static void *dtb[CFG_COUNT];
static size_t dtb_len[CFG_COUNT];

static int load_dtbs(void)
{
	const char *dir = getenv("VOFKIT_DTB_DIR");
	int i, bad = 0;

	if (!dir || !*dir) {
		fprintf(stderr, "test_tree: VOFKIT_DTB_DIR is not set (ctest sets it; "
				"the setup.dtbs fixture fills it)\n");
		return -1;
	}
	for (i = 0; i < CFG_COUNT; i++) {
		char path[4096];
		FILE *f;
		long n;

		snprintf(path, sizeof(path), "%s/%s.dtb", dir, cfg_name[i]);
		f = fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "test_tree: FAIL: missing %s (run dump_trees.sh)\n", path);
			bad = -1;
			continue;
		}
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		dtb[i] = malloc(n > 0 ? (size_t)n : 1);
		if (n <= 0 || n > (long)DTB_MAX || !dtb[i] ||
		    fread(dtb[i], 1, (size_t)n, f) != (size_t)n ||
		    fdt_check_full(dtb[i], (size_t)n)) {
			fprintf(stderr, "test_tree: FAIL: %s is not a valid device tree\n", path);
			bad = -1;
		}
		dtb_len[i] = (size_t)n;
		fclose(f);
	}
	return bad;
}

/* ---- Bringing the firmware up on a tree ---- */

static int cur_cfg;		/* the configuration of the running group */
static int loaded_cfg = -1;	/* what the firmware holds; -1 = something else */
static bool dirty;		/* a test changed the tree or the instances */
static uint64_t ram_top_at_init;	/* fw_ram_top as platform init left it */
static const void *ref;		/* the tree the firmware was started on */

static const struct fw_init_entry *init_entry(const char *name)
{
	const struct fw_init_entry *e;

	for (e = __fw_init_start; e < __fw_init_end; e++)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

static void close_tracked(void)
{
	unsigned int i;

	for (i = 0; i < n_tracked; i++)
		close_ih(tracked[i]);
	n_tracked = 0;
	cur_stdout = cur_stdin = 0;
}

/*
 * Reset as QEMU does: the tree at DTB_ADDR, r3 pointing at it, then the init
 * levels up to FW_INIT_STDIO.  Returns the first failing init's code (0 = all ran).
 */
static int boot_fdt(const void *fdt, size_t len)
{
	const struct fw_init_entry *e;
	uint32_t chosen;
	int rc = 0;

	close_tracked();
	assert_true(len <= DTB_MAX);
	memcpy(ram(DTB_ADDR, len), fdt, len);
	fw_own_start = FW_IMAGE_START;
	fw_own_end = virt_to_phys(__fw_end);
	fw_ram_top = SIM_RAM_SIZE;
	ref = fdt;
	/* as fw_main: EARLY, the pairing's take-over, then the levels up to STDIO */
	for (e = __fw_init_start; e < __fw_init_end; e++) {
		int r;

		if (e->level != FW_INIT_EARLY)
			continue;
		r = e->fn();
		if (r && !rc)
			rc = r;
	}
	{
		const struct fw_entry_regs regs = { .r3 = DTB_ADDR };
		int r = pairing_init(&regs);

		if (r && !rc)
			rc = r;
	}
	for (e = __fw_init_start; e < __fw_init_end; e++) {
		int r;

		if (e->level <= FW_INIT_EARLY || e->level > FW_INIT_STDIO)
			continue;
		r = e->fn();
		if (r && !rc)
			rc = r;
	}
	/* memory@0 sets the RMA; the tests' RAM is smaller than any QEMU's */
	ram_top_at_init = fw_ram_top;
	fw_ram_top = SIM_RAM_SIZE;
	chosen = tree_find("/chosen", NULL);
	if (chosen) {
		int l;
		const void *p = tree_getprop(chosen, "stdout", &l);

		if (p && l == 4)
			track(cur_stdout = fw_cell(p));
		p = tree_getprop(chosen, "stdin", &l);
		if (p && l == 4)
			track(cur_stdin = fw_cell(p));
	}
	loaded_cfg = -1;
	dirty = true;
	return rc;
}

static void use_cfg(int cfg)
{
	if (loaded_cfg == cfg && !dirty)
		return;
	if (!dtb[cfg])
		fail_msg("no %s.dtb (dump_trees.sh did not produce it)", cfg_name[cfg]);
	assert_int_equal(boot_fdt(dtb[cfg], dtb_len[cfg]), 0);
	loaded_cfg = cfg;
	dirty = false;
}

/* The running test changes the firmware's state: the next one reloads. */
static void mutates(void)
{
	dirty = true;
}

static int setup(void **state)
{
	(void)state;
	use_cfg(cur_cfg);
	str_next = STR_ADDR;
	fill_client(ARGS_ADDR, CLIENT_END - ARGS_ADDR);
	capture_clear();
	return 0;
}

/* Close what the test opened (stdin/stdout stay). */
static int teardown(void **state)
{
	unsigned int i, keep = 0;

	(void)state;
	for (i = 0; i < n_tracked; i++) {
		if (tracked[i] == cur_stdout || tracked[i] == cur_stdin)
			tracked[keep++] = tracked[i];
		else
			close_ih(tracked[i]);
	}
	n_tracked = keep;
	return 0;
}

#define SETUP_FOR(cfg)                                  \
	static int setup_##cfg(void **state)            \
	{                                               \
		cur_cfg = cfg;                          \
		return setup(state);                    \
	}
SETUP_FOR(CFG_BASIC)
SETUP_FOR(CFG_BIG)
SETUP_FOR(CFG_DEVICES)
SETUP_FOR(CFG_KERNEL)
SETUP_FOR(CFG_NODEFAULTS)

/* ---- Reference facts from QEMU's blob (host libfdt) ---- */

static int fdt_count_nodes(const void *fdt)
{
	int off, depth = 0, n = 0;

	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(fdt, off, &depth))
		n++;
	return n;
}

static const char *ref_str(const void *fdt, const char *path, const char *name)
{
	int off = fdt_path_offset(fdt, path), len;
	const char *v = off >= 0 ? fdt_getprop(fdt, off, name, &len) : NULL;

	return v && len > 0 && !v[len - 1] ? v : NULL;
}

/*
 * What platform init sets fw_ram_top to: memory@0 "reg" size cells read as
 * native words, the way the big-endian firmware reads them (on a
 * little-endian host that is a byte-swapped number; the tests then put
 * fw_ram_top back to the simulated RAM's size).
 */
static uint64_t expected_ram_top(const void *fdt)
{
	int off = fdt_path_offset(fdt, "/memory@0"), len;
	const void *reg = off >= 0 ? fdt_getprop(fdt, off, "reg", &len) : NULL;
	uint32_t cells[4];

	assert_non_null(reg);
	assert_int_equal(len, 16);
	memcpy(cells, reg, 16);
	return ((uint64_t)cells[2] << 32) | cells[3];
}

/* The console node QEMU named in /chosen stdout-path. */
static const char *ref_stdout_path(void)
{
	const char *p = ref_str(ref, "/chosen", "stdout-path");

	assert_non_null(p);
	return p;
}

/* ---- Whole-tree checks ---- */

/* Depth-first walk with peer(0), child, peer, parent only; returns the count. */
static unsigned int ci_walk(uint32_t *phs, unsigned int max)
{
	uint32_t node = peer(0), c, n = 0;

	while (node) {
		if (n >= max)
			fail_msg("the walk does not end after %u nodes", n);
		phs[n++] = node;
		c = child(node);
		if (c) {
			assert_int_equal(parent(c), node);
			node = c;
			continue;
		}
		while (node && !(c = peer(node)))
			node = parent(node);
		if (node)
			assert_int_equal(parent(c), parent(node));
		node = node ? c : 0;
	}
	return n;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Node name without "@unit". */
static size_t base_len(const char *full)
{
	const char *at = strchr(full, '@');

	return at ? (size_t)(at - full) : strlen(full);
}

/*
 * The invariants of a live tree: the CI walk visits every node of the blob
 * once, in FDT order, with the index's offsets; every node has its name and
 * a unique phandle stored as "phandle"; paths round-trip.
 */
static void check_live_tree(void)
{
	static uint32_t phs[MAX_NODES], sorted[MAX_NODES];
	const void *blob = tree_blob();
	unsigned int i, n = ci_walk(phs, MAX_NODES);
	int off, depth = 0;

	assert_int_equal(fdt_check_full(blob, tree_blob_size()), 0);
	assert_int_equal(n, tree_node_count());
	assert_int_equal(n, fdt_count_nodes(blob));
	assert_int_equal(peer(0), tree_root());
	assert_int_equal(parent(phs[0]), 0);
	assert_int_equal(peer(phs[0]), 0);

	memcpy(sorted, phs, n * sizeof(*phs));
	qsort(sorted, n, sizeof(*sorted), cmp_u32);
	for (i = 0; i < n; i++) {
		assert_true(sorted[i] != 0 && sorted[i] != FAIL);
		if (i && sorted[i] == sorted[i - 1])
			fail_msg("phandle %x is visited twice", sorted[i]);
	}

	for (i = 0, off = 0; i < n; i++, off = fdt_next_node(blob, off, &depth)) {
		char fpath[1024], name[256];
		const char *full;
		int nlen;
		size_t blen;

		assert_true(off >= 0);
		assert_int_equal(tree_offset(phs[i]), off);
		assert_int_equal(fdt_get_phandle(blob, off), phs[i]);
		assert_int_equal(prop_be_cell(phs[i], "phandle"), phs[i]);

		full = fdt_get_name(blob, off, &nlen);
		assert_non_null(full);
		blen = base_len(full);
		assert_int_equal(getproplen(phs[i], "name"), blen + 1);
		assert_int_equal(prop(phs[i], "name", name, sizeof(name)), (int)blen + 1);
		assert_int_equal(name[blen], '\0');
		assert_memory_equal(name, full, blen);

		assert_int_equal(fdt_get_path(blob, off, fpath, sizeof(fpath)), 0);
		assert_string_equal(path_of(phs[i]), fpath);
		assert_int_equal(finddevice(fpath), phs[i]);
	}
}

/* Every node and property of `fdt` is in the live tree with the same bytes. */
static void check_has_tree(const void *fdt)
{
	static uint8_t val[BUF_SIZE];
	int off, depth = 0, poff;

	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(fdt, off, &depth)) {
		char path[1024];
		uint32_t ph;

		assert_int_equal(fdt_get_path(fdt, off, path, sizeof(path)), 0);
		ph = must_find(path);
		fdt_for_each_property_offset(poff, fdt, off) {
			const char *name;
			int len;
			const void *v = fdt_getprop_by_offset(fdt, poff, &name, &len);

			assert_non_null(v);
			if (getproplen(ph, name) != (uint32_t)len)
				fail_msg("%s %s: getproplen %d, QEMU wrote %d bytes", path, name,
					 (int)getproplen(ph, name), len);
			assert_int_equal(prop(ph, name, val, sizeof(val)), len);
			if (memcmp(val, v, (size_t)len))
				fail_msg("%s %s differs from QEMU's value", path, name);
		}
	}
}

/* ---- Generic tests: each runs on every dumped configuration ---- */

static void init_copies_qemu_tree(void **state)
{
	const void *blob = tree_blob();
	int i;

	(void)state;
	assert_non_null(init_entry("/chosen stdin and stdout"));
	assert_non_null(init_entry("the memory map"));
	/* the copy lives in the heap, which the firmware protects from clients */
	assert_int_equal(fw_heap_end(), HEAP_END);
	assert_int_equal(fw_own_end, HEAP_END - CLIENT_STACK);
	assert_true(virt_to_phys(blob) >= HEAP_BASE);
	assert_true(virt_to_phys(blob) + tree_blob_size() <= fw_own_end);
	assert_true(tree_blob_size() >= 2 * fdt_totalsize(ref) + 0x10000);
	assert_true(tree_blob_size() >= CONFIG_TREE_MIN_BUFFER);
	assert_int_equal(fdt_totalsize(blob), tree_blob_size());
	assert_int_equal(fdt_check_full(blob, tree_blob_size()), 0);
	/* the memreserve block (kernel, initrd) survives the copy */
	assert_int_equal(fdt_num_mem_rsv(blob), fdt_num_mem_rsv(ref));
	for (i = 0; i < fdt_num_mem_rsv(ref); i++) {
		uint64_t a0, s0, a1, s1;

		assert_int_equal(fdt_get_mem_rsv(ref, i, &a0, &s0), 0);
		assert_int_equal(fdt_get_mem_rsv(blob, i, &a1, &s1), 0);
		assert_true(a0 == a1 && s0 == s1);
	}
	/* the RMA, memory@0 "reg" as the big-endian firmware reads its cells */
	assert_true(ram_top_at_init == expected_ram_top(ref));
	/* QEMU writes no /aliases: platform init adds the node */
	assert_true(fdt_path_offset(ref, "/aliases") < 0);
	assert_int_not_equal(finddevice("/aliases"), FAIL);
	assert_int_equal(tree_node_count(), fdt_count_nodes(ref) + 1);
}

static void every_node_named_and_phandled(void **state)
{
	(void)state;
	check_live_tree();
}

static void qemu_phandle_kept(void **state)
{
	static uint32_t phs[MAX_NODES];
	static uint8_t map[0x4000];
	uint32_t ic = must_find("/interrupt-controller");
	unsigned int i, n = ci_walk(phs, MAX_NODES), seen = 0;

	(void)state;
	assert_int_equal(ic, QEMU_PHANDLE);
	assert_int_equal(prop_be_cell(ic, "phandle"), QEMU_PHANDLE);
	assert_int_equal(prop_be_cell(ic, "linux,phandle"), QEMU_PHANDLE);
	/* the PHB's interrupt-map still points at it (cell 4 of each entry) */
	assert_true(prop(must_find("/pci@800000020000000"), "interrupt-map", map, sizeof(map)) > 20);
	assert_int_equal(be_cell(map + 16), QEMU_PHANDLE);
	/* no other node got it; ihandles are no phandles */
	for (i = 0; i < n; i++) {
		if (phs[i] == QEMU_PHANDLE)
			seen++;
		assert_true(phs[i] != cur_stdout && phs[i] != cur_stdin);
	}
	assert_int_equal(seen, 1);
	assert_int_equal(tree_offset(QEMU_PHANDLE), fdt_node_offset_by_phandle(tree_blob(), QEMU_PHANDLE));
}

static void walk_matches_libfdt(void **state)
{
	static uint32_t phs[MAX_NODES];
	unsigned int i, n = ci_walk(phs, MAX_NODES), leaves = 0;

	(void)state;
	assert_int_equal(n, fdt_count_nodes(tree_blob()));
	assert_int_equal(n, fdt_count_nodes(ref) + 1);
	for (i = 0; i < n; i++) {
		uint32_t c = child(phs[i]);

		if (!c)
			leaves++;
		else
			assert_int_equal(parent(c), phs[i]);
		assert_true(tree_valid(phs[i]));
	}
	assert_true(leaves > 0 && leaves < n);
}

static void navigation_edges(void **state)
{
	uint32_t root = peer(0), bad[] = { 0, FAIL, 0x12345678, 0x7fffffff, 0xf0000000 };
	unsigned int i;

	(void)state;
	assert_int_not_equal(root, 0);
	assert_int_equal(root, must_find("/"));
	assert_int_equal(parent(root), 0);
	assert_int_equal(peer(root), 0);
	assert_int_equal(child(must_find("/rtas")), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (bad[i])
			assert_int_equal(peer(bad[i]), 0);
		assert_int_equal(child(bad[i]), 0);
		assert_int_equal(parent(bad[i]), 0);
		assert_false(tree_valid(bad[i]));
	}
	/* ihandles are not packages */
	assert_int_equal(child(cur_stdout), 0);
	assert_int_equal(peer(cur_stdout), 0);
	assert_int_equal(parent(cur_stdout), 0);
}

static void qemu_properties_preserved(void **state)
{
	(void)state;
	check_has_tree(ref);
}

/* The live node's properties: QEMU's, plus name and phandle (plus stdio, plus the memory map's "available"). */
static void live_properties_are_qemus_plus_name_phandle(void **state)
{
	int off, depth = 0;

	(void)state;
	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(ref, off, &depth)) {
		char path[1024], name[80];
		uint32_t ph, prev = 0, n = 0, r;
		int poff, nref = 0;

		assert_int_equal(fdt_get_path(ref, off, path, sizeof(path)), 0);
		ph = must_find(path);
		fdt_for_each_property_offset(poff, ref, off)
			nref++;
		while ((r = nextprop(ph, prev, BUF2_ADDR)) == 1) {
			snprintf(name, sizeof(name), "%s", (char *)ram(BUF2_ADDR, 1));
			if (strcmp(name, "name") && strcmp(name, "phandle") &&
			    !(!strcmp(path, "/chosen") &&
			      (!strcmp(name, "stdout") || !strcmp(name, "stdin"))) &&
			    !(!strcmp(path, "/memory@0") && !strcmp(name, "available")))
				assert_true(fdt_getprop(ref, off, name, NULL) != NULL);
			prev = S(name);
			n++;
		}
		assert_int_equal(r, 0);
		assert_int_equal(n, nref + 1 + !fdt_getprop(ref, off, "phandle", NULL) +
					    (!strcmp(path, "/chosen") ? 2 : 0) +
					    (!strcmp(path, "/memory@0") && !fdt_getprop(ref, off, "available", NULL)));
	}
}

static void paths_round_trip(void **state)
{
	int off, depth = 0;

	(void)state;
	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(ref, off, &depth)) {
		char path[1024];
		uint32_t ph;

		assert_int_equal(fdt_get_path(ref, off, path, sizeof(path)), 0);
		ph = must_find(path);
		assert_string_equal(path_of(ph), path);
		/* the tree API agrees with the service */
		assert_int_equal(tree_find(path, NULL), ph);
	}
}

static void finddevice_root_and_slashes(void **state)
{
	uint32_t root = peer(0), vdev = must_find("/vdevice");

	(void)state;
	assert_int_equal(finddevice("/"), root);
	assert_int_equal(finddevice("/vdevice/"), vdev);
	assert_int_equal(finddevice("/vdevice:args"), vdev);
	assert_int_equal(finddevice("/rtas:x,y"), must_find("/rtas"));
	assert_int_equal(parent(vdev), root);
	assert_string_equal(path_of(vdev), "/vdevice");
}

static void finddevice_without_unit(void **state)
{
	uint32_t mem = must_find("/memory"), vdev = must_find("/vdevice"), c, first_vty = 0;
	char stdout_path[256];

	(void)state;
	assert_int_equal(mem, must_find("/memory@0"));
	assert_string_equal(path_of(mem), "/memory@0");
	/* the first vty child in tree order */
	for (c = child(vdev); c && !first_vty; c = peer(c)) {
		const char *nm = prop_str(c, "name");

		if (nm && !strcmp(nm, "vty"))
			first_vty = c;
	}
	assert_int_not_equal(first_vty, 0);
	assert_int_equal(finddevice("/vdevice/vty"), first_vty);
	strcpy(stdout_path, ref_stdout_path());
	assert_int_equal(finddevice(stdout_path), first_vty);
	assert_int_equal(must_find("/cpus/PowerPC,POWER9"), must_find("/cpus/PowerPC,POWER9@0"));
}

static void finddevice_units_and_case(void **state)
{
	char p[300];
	const char *vty = ref_stdout_path();
	uint32_t ph = must_find(vty);
	const char *at = strchr(vty, '@');

	(void)state;
	assert_non_null(at);
	/* leading zeros in a unit address */
	snprintf(p, sizeof(p), "%.*s@00%s", (int)(at - vty), vty, at + 1);
	assert_int_equal(finddevice(p), ph);
	assert_int_equal(finddevice("/memory@00000"), must_find("/memory@0"));
	assert_int_equal(finddevice("/pci@0800000020000000"), must_find("/pci@800000020000000"));
	/* another unit: no match even though the name exists */
	snprintf(p, sizeof(p), "%.*s@%s0", (int)(at - vty), vty, at + 1);
	assert_int_equal(finddevice(p), FAIL);
	assert_int_equal(finddevice("/memory@1"), FAIL);
	/* names are case-sensitive */
	assert_int_equal(finddevice("/VDEVICE"), FAIL);
	assert_int_equal(finddevice("/vdevice/VTY"), FAIL);
	assert_int_equal(finddevice("/Memory@0"), FAIL);
	assert_int_equal(finddevice("/cpus/powerpc,power9@0"), FAIL);
	/* a unit on a node that has none */
	assert_int_equal(finddevice("/chosen@0"), FAIL);
}

static void finddevice_aliases(void **state)
{
	uint32_t vty = must_find(ref_stdout_path());

	(void)state;
	assert_int_equal(finddevice("hvterm"), vty);
	assert_int_equal(finddevice("hvterm:args"), vty);
	assert_int_equal(finddevice("hvterm:"), vty);
	assert_int_equal(finddevice("hvterm/"), vty);
	assert_string_equal(prop_str(must_find("/aliases"), "hvterm"), ref_stdout_path());
	assert_int_equal(finddevice("nosuchalias"), FAIL);
	assert_int_equal(finddevice("nosuchalias:args"), FAIL);
	assert_int_equal(finddevice("hvterm/nonexistent"), FAIL);
	/* the aliases node's own properties are not aliases */
	assert_int_equal(finddevice("name"), FAIL);
	assert_int_equal(finddevice("phandle"), FAIL);
	/* a relative path is not an alias */
	assert_int_equal(finddevice("vdevice"), FAIL);
}

static void finddevice_not_found(void **state)
{
	(void)state;
	assert_int_equal(finddevice("/nonexistent"), FAIL);
	assert_int_equal(finddevice(""), FAIL);
	assert_int_equal(finddevice("/chosen/nonexistent"), FAIL);
	assert_int_equal(finddevice("/rtas/child"), FAIL);
	assert_int_equal(finddevice("/vdevice/vty@71000000/x"), FAIL);
	assert_int_equal(finddevice(":args"), FAIL);
	assert_int_equal(tree_find("/nonexistent", NULL), 0);
	assert_int_equal(tree_find(NULL, NULL), 0);
}

static void finddevice_bad_strings(void **state)
{
	char longp[300];

	(void)state;
	/* no NUL before the end of RAM */
	memcpy(ram(SIM_RAM_SIZE - 4, 4), "/cpu", 4);
	assert_int_equal(ci("finddevice", 1, 1, SIM_RAM_SIZE - 4), FAIL);
	assert_int_equal(ci("finddevice", 1, 1, SIM_RAM_SIZE), FAIL);
	assert_int_equal(ci("finddevice", 1, 1, FAIL), FAIL);
	/* longer than the 255-character path limit */
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(finddevice(longp), FAIL);
	/* the limit itself is fine (255 characters, not found) */
	longp[255] = '\0';
	assert_int_equal(finddevice(longp), FAIL);
	/* args are not part of the path */
	assert_int_equal(finddevice("/rtas:/vdevice"), must_find("/rtas"));
}

static void getprop_copies_min_returns_size(void **state)
{
	uint32_t root = peer(0);
	const char *model = ref_str(ref, "/", "model");
	uint32_t size = (uint32_t)strlen(model) + 1;

	(void)state;
	fill_client(BUF_ADDR, 64);
	assert_int_equal(getprop(root, "model", BUF_ADDR, 4), size);
	assert_memory_equal(ram(BUF_ADDR, 4), model, 4);
	assert_true(untouched(BUF_ADDR + 4, 60));	/* no NUL added, nothing more */
	fill_client(BUF_ADDR, 64);
	assert_int_equal(getprop(root, "model", BUF_ADDR, size - 1), size);
	assert_memory_equal(ram(BUF_ADDR, size - 1), model, size - 1);
	assert_true(untouched(BUF_ADDR + size - 1, 4));
	fill_client(BUF_ADDR, 64);
	assert_int_equal(getprop(root, "model", BUF_ADDR, 64), size);
	assert_string_equal((char *)ram(BUF_ADDR, size), model);
	assert_true(untouched(BUF_ADDR + size, 64 - size));
	assert_int_equal(getproplen(root, "model"), size);
	/* a buflen larger than RAM is fine when the property is small */
	assert_int_equal(getprop(root, "model", BUF_ADDR, FAIL), size);
}

static void getprop_existence_test(void **state)
{
	uint8_t before[256];
	uint32_t root = peer(0);

	(void)state;
	memcpy(before, ram(0, sizeof(before)), sizeof(before));
	assert_int_equal(getprop(root, "model", 0, 0), strlen(ref_str(ref, "/", "model")) + 1);
	assert_int_equal(getprop(root, "#address-cells", 0, 0), 4);
	assert_int_equal(getprop(root, "nonexistent", 0, 0), FAIL);
	assert_memory_equal(ram(0, sizeof(before)), before, sizeof(before));
	/* len 0 on a real buffer writes nothing */
	assert_int_equal(getprop(root, "model", BUF_ADDR, 0), strlen(ref_str(ref, "/", "model")) + 1);
	assert_true(untouched(BUF_ADDR, 64));
}

static void getprop_empty_property(void **state)
{
	uint32_t rtas = must_find("/rtas"), evs = must_find("/event-sources");

	(void)state;
	assert_int_equal(getproplen(rtas, "ibm,extended-os-term"), 0);
	assert_int_equal(getprop(rtas, "ibm,extended-os-term", BUF_ADDR, 16), 0);
	assert_true(untouched(BUF_ADDR, 16));
	assert_int_equal(getprop(evs, "interrupt-controller", BUF_ADDR, 16), 0);
	assert_int_equal(getprop(evs, "interrupt-controller", 0, 0), 0);
}

static void getprop_missing_and_bad_phandles(void **state)
{
	uint32_t bad[] = { 0, FAIL, 0x12345678, 0xdeadbeef, 0x7fffffff };
	unsigned int i;

	(void)state;
	assert_int_equal(getprop(peer(0), "nonexistent", BUF_ADDR, 16), FAIL);
	assert_int_equal(getproplen(peer(0), "nonexistent"), FAIL);
	assert_int_equal(getproplen(peer(0), ""), FAIL);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(getprop(bad[i], "name", BUF_ADDR, 16), FAIL);
		assert_int_equal(getproplen(bad[i], "name"), FAIL);
		assert_int_equal(nextprop(bad[i], 0, BUF_ADDR), FAIL);
		assert_int_equal(pkg2path(bad[i], BUF_ADDR, 64), FAIL);
		assert_int_equal(setprop(bad[i], "linux,x", BUF2_ADDR, 4), FAIL);
	}
	/*
	 * Every number that is not a node's phandle is refused, not only a few
	 * far-off ones: phandle hash slots are mostly full near the real
	 * numbers, so a lookup that trusted the slot would answer there.
	 */
	{
		static uint32_t phs[MAX_NODES];
		unsigned int n = ci_walk(phs, MAX_NODES), k;
		uint32_t p, top = 0;

		for (k = 0; k < n; k++)
			top = MAX(top, phs[k]);
		for (p = 1; p < top + 4096; p++) {
			bool real = false;

			for (k = 0; k < n && !real; k++)
				real = phs[k] == p;
			if (real)
				continue;
			if (getproplen(p, "name") != FAIL || peer(p) != 0 || child(p) != 0)
				fail_msg("phandle %x is no node, but the tree answers for it", p);
		}
	}
	/* an ihandle is not a phandle */
	assert_int_equal(getprop(cur_stdout, "name", BUF_ADDR, 16), FAIL);
	assert_int_equal(getproplen(cur_stdin, "name"), FAIL);
	assert_true(untouched(BUF_ADDR, 64));
}

/* Client buffers over the firmware (image, heap, tree) or outside RAM: -1, nothing written. */
static void getprop_refuses_firmware_buffers(void **state)
{
	static uint8_t before[64];
	uint32_t root = peer(0), bufs[3], i;

	(void)state;
	bufs[0] = FW_IMAGE_START + 0x100;
	bufs[1] = (uint32_t)virt_to_phys(tree_blob());
	bufs[2] = (uint32_t)fw_own_end - 8;
	for (i = 0; i < 3; i++) {
		memcpy(before, ram(bufs[i], sizeof(before)), sizeof(before));
		assert_int_equal(getprop(root, "model", bufs[i], 32), FAIL);
		assert_int_equal(nextprop(root, 0, bufs[i]), FAIL);
		assert_int_equal(pkg2path(must_find("/vdevice"), bufs[i], 32), FAIL);
		assert_int_equal(i2path(cur_stdout, bufs[i], 32), FAIL);
		assert_int_equal(canon("/rtas", bufs[i], 32), FAIL);
		assert_memory_equal(ram(bufs[i], sizeof(before)), before, sizeof(before));
	}
	/* straddling the start of the firmware */
	memcpy(before, ram(0, sizeof(before)), sizeof(before));
	assert_int_equal(getprop(root, "model", FW_IMAGE_START - 4, 16), FAIL);
	assert_memory_equal(ram(0, sizeof(before)), before, sizeof(before));
	/* the client stack above the protected range is the client's */
	assert_int_equal(fw_own_end, HEAP_END - CLIENT_STACK);
	assert_int_equal(getprop(root, "#size-cells", (uint32_t)fw_own_end, 4), 4);
	assert_int_equal(getprop(root, "#size-cells", FW_IMAGE_START - 4, 4), 4);
	/* beyond RAM, or wrapping */
	assert_int_equal(getprop(root, "model", SIM_RAM_SIZE - 4, 16), FAIL);
	assert_int_equal(getprop(root, "model", FAIL - 3, 16), FAIL);
	assert_int_equal(getprop(root, "model", SIM_RAM_SIZE, 1), FAIL);
}

static void getprop_long_names(void **state)
{
	uint32_t rtas = must_find("/rtas");
	char name[80];

	(void)state;
	/* LoPAPR's 33-character name, which QEMU's /rtas has */
	assert_int_equal(getproplen(rtas, "ibm,query-interrupt-source-number"), 4);
	assert_int_equal(prop_be_cell(rtas, "ibm,query-interrupt-source-number"),
			 be_cell(fdt_getprop(ref, fdt_path_offset(ref, "/rtas"),
					     "ibm,query-interrupt-source-number", NULL)));
	fill_client(BUF_ADDR, 16);
	memset(name, 'x', sizeof(name));
	name[64] = '\0';
	assert_int_equal(getproplen(rtas, name), FAIL);	/* 64: accepted, absent */
	name[64] = 'x';
	name[79] = '\0';
	assert_int_equal(getproplen(rtas, name), FAIL);	/* too long */
	assert_int_equal(getprop(rtas, name, BUF_ADDR, 16), FAIL);
	/* unterminated before the end of RAM, unreadable */
	memcpy(ram(SIM_RAM_SIZE - 4, 4), "name", 4);
	assert_int_equal(ci("getprop", 4, 1, rtas, SIM_RAM_SIZE - 4, BUF_ADDR, 16), FAIL);
	assert_int_equal(ci("getproplen", 2, 1, rtas, FAIL), FAIL);
	assert_true(untouched(BUF_ADDR, 16));
}

static void nextprop_first(void **state)
{
	const void *blob = tree_blob();
	uint32_t nodes[] = { peer(0), must_find("/chosen"), must_find("/rtas"),
			     must_find("/memory"), must_find("/interrupt-controller") };
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(nodes); i++) {
		const char *first;
		int poff = fdt_first_property_offset(blob, tree_offset(nodes[i]));

		assert_true(poff >= 0);
		assert_non_null(fdt_getprop_by_offset(blob, poff, &first, NULL));
		fill_client(BUF_ADDR, 128);
		assert_int_equal(nextprop(nodes[i], S(""), BUF_ADDR), 1);
		assert_string_equal((char *)ram(BUF_ADDR, 1), first);
		assert_true(untouched(BUF_ADDR + strlen(first) + 1, 8));
		fill_client(BUF_ADDR, 128);
		assert_int_equal(nextprop(nodes[i], 0, BUF_ADDR), 1);
		assert_string_equal((char *)ram(BUF_ADDR, 1), first);
	}
}

static void nextprop_iterates_in_order(void **state)
{
	static uint32_t phs[MAX_NODES];
	const void *blob = tree_blob();
	unsigned int i, n = ci_walk(phs, MAX_NODES);

	(void)state;
	for (i = 0; i < n; i++) {
		int poff;
		uint32_t prev = 0;

		fdt_for_each_property_offset(poff, blob, tree_offset(phs[i])) {
			const char *name;

			assert_non_null(fdt_getprop_by_offset(blob, poff, &name, NULL));
			assert_int_equal(nextprop(phs[i], prev, BUF_ADDR), 1);
			assert_string_equal((char *)ram(BUF_ADDR, 1), name);
			prev = S(name);
		}
		fill_client(BUF_ADDR, 8);
		assert_int_equal(nextprop(phs[i], prev, BUF_ADDR), 0);
		/* at the end: no name written */
		assert_true(untouched(BUF_ADDR, 8));
		/* and again: still the end, not a restart */
		assert_int_equal(nextprop(phs[i], prev, BUF_ADDR), 0);
	}
}

static void nextprop_bad_prev(void **state)
{
	uint32_t rtas = must_find("/rtas");
	char longname[80];

	(void)state;
	assert_int_equal(nextprop(rtas, S("nonexistent"), BUF_ADDR), FAIL);
	/* a property of another node is no prev here */
	assert_int_equal(nextprop(rtas, S("stdout-path"), BUF_ADDR), FAIL);
	memset(longname, 'y', sizeof(longname));
	longname[79] = '\0';
	assert_int_equal(nextprop(rtas, S(longname), BUF_ADDR), FAIL);
	assert_int_equal(nextprop(rtas, FAIL, BUF_ADDR), FAIL);
	assert_true(untouched(BUF_ADDR, 64));
	/* the 33-character name comes back whole */
	assert_int_equal(nextprop(rtas, S("ibm,change-msi"), BUF_ADDR), 1);
	assert_string_equal((char *)ram(BUF_ADDR, 1), "ibm,query-interrupt-source-number");
}

static void setprop_bad_arguments(void **state)
{
	static uint8_t before[1 << 19];
	uint32_t chosen = must_find("/chosen");
	size_t used = fdt_totalsize(tree_blob());

	(void)state;
	assert_true(used <= sizeof(before));
	memcpy(before, tree_blob(), used);
	memcpy(ram(BUF2_ADDR, 8), "abcdefg", 8);
	assert_int_equal(setprop(0, "linux,x", BUF2_ADDR, 8), FAIL);
	assert_int_equal(setprop(FAIL, "linux,x", BUF2_ADDR, 8), FAIL);
	assert_int_equal(setprop(cur_stdout, "linux,x", BUF2_ADDR, 8), FAIL);
	/* the value must be readable RAM */
	assert_int_equal(setprop(chosen, "linux,x", SIM_RAM_SIZE - 4, 8), FAIL);
	assert_int_equal(setprop(chosen, "linux,x", FAIL, 8), FAIL);
	/* name unreadable or too long */
	assert_int_equal(ci("setprop", 4, 1, chosen, FAIL, BUF2_ADDR, 8), FAIL);
	/* too big for a client value */
	assert_int_equal(setprop(chosen, "linux,x", BIG_ADDR, SETPROP_LIMIT + 1), FAIL);
	assert_int_equal(setprop(chosen, "linux,x", BIG_ADDR, FAIL), FAIL);
	assert_memory_equal(tree_blob(), before, used);
	assert_int_equal(getproplen(chosen, "linux,x"), FAIL);
}

static void setprop_new_and_replace(void **state)
{
	uint32_t chosen = must_find("/chosen"), prev = 0, r;
	bool seen = false;

	(void)state;
	mutates();
	memcpy(ram(BUF2_ADDR, 8), "\x12\x34\x56\x78value", 8);
	assert_int_equal(setprop(chosen, "linux,foo", BUF2_ADDR, 8), 8);
	assert_int_equal(getproplen(chosen, "linux,foo"), 8);
	assert_int_equal(getprop(chosen, "linux,foo", BUF_ADDR, 64), 8);
	assert_memory_equal(ram(BUF_ADDR, 8), "\x12\x34\x56\x78value", 8);
	/* nextprop sees it */
	while ((r = nextprop(chosen, prev, BUF_ADDR)) == 1) {
		if (!strcmp(ram(BUF_ADDR, 1), "linux,foo"))
			seen = true;
		prev = S(ram(BUF_ADDR, 1));
	}
	assert_int_equal(r, 0);
	assert_true(seen);
	/* replace: longer, then shorter */
	assert_int_equal(setprop(chosen, "bootargs", S("console=hvc0 quiet splash"), 26), 26);
	assert_string_equal(prop_str(chosen, "bootargs"), "console=hvc0 quiet splash");
	assert_int_equal(setprop(chosen, "bootargs", S("ro"), 3), 3);
	assert_string_equal(prop_str(chosen, "bootargs"), "ro");
	assert_int_equal(getproplen(chosen, "bootargs"), 3);
	assert_int_equal(setprop(chosen, "bootpath", S("/vdevice/v-scsi@71000003/disk@0"), 32), 32);
	assert_int_equal(getproplen(chosen, "bootpath"), 32);
	check_live_tree();
}

static void setprop_empty_value(void **state)
{
	uint32_t chosen = must_find("/chosen");

	(void)state;
	mutates();
	assert_int_equal(setprop(chosen, "linux,empty", 0, 0), 0);
	assert_int_equal(getproplen(chosen, "linux,empty"), 0);
	assert_int_equal(getprop(chosen, "linux,empty", BUF_ADDR, 8), 0);
	/* len 0 with a garbage buffer: still an empty property */
	assert_int_equal(setprop(chosen, "linux,empty2", FAIL, 0), 0);
	assert_int_equal(getproplen(chosen, "linux,empty2"), 0);
	/* an existing property emptied */
	assert_int_equal(setprop(chosen, "linux,foo", S("abc"), 4), 4);
	assert_int_equal(setprop(chosen, "linux,foo", 0, 0), 0);
	assert_int_equal(getproplen(chosen, "linux,foo"), 0);
}

static void setprop_limit(void **state)
{
	uint32_t chosen = must_find("/chosen");
	uint8_t *big = ram(BIG_ADDR, SETPROP_LIMIT + 1);
	uint32_t i;

	(void)state;
	mutates();
	for (i = 0; i <= SETPROP_LIMIT; i++)
		big[i] = (uint8_t)(i * 7);
	assert_int_equal(setprop(chosen, "linux,big", BIG_ADDR, SETPROP_LIMIT + 1), FAIL);
	assert_int_equal(getproplen(chosen, "linux,big"), FAIL);
	assert_int_equal(setprop(chosen, "linux,big", BIG_ADDR, SETPROP_LIMIT), SETPROP_LIMIT);
	assert_int_equal(getprop(chosen, "linux,big", BUF_ADDR, BUF_SIZE), SETPROP_LIMIT);
	assert_memory_equal(ram(BUF_ADDR, SETPROP_LIMIT), big, SETPROP_LIMIT);
	check_live_tree();
}

/* A property on the root moves every other node: the index must follow. */
static void setprop_moves_offsets(void **state)
{
	static uint32_t before[MAX_NODES], after[MAX_NODES];
	uint32_t root = peer(0), n;
	int mem_off = tree_offset(must_find("/memory@0"));

	(void)state;
	mutates();
	n = ci_walk(before, MAX_NODES);
	memset(ram(BIG_ADDR, 0x8000), 0x42, 0x8000);
	assert_int_equal(setprop(root, "linux,pad", BIG_ADDR, 0x8000), 0x8000);
	assert_true(tree_offset(must_find("/memory@0")) >= mem_off + 0x8000);
	assert_int_equal(ci_walk(after, MAX_NODES), n);
	assert_memory_equal(before, after, n * sizeof(*before));
	check_live_tree();
	check_has_tree(ref);
	/* and shrinking moves them back */
	assert_int_equal(setprop(root, "linux,pad", 0, 0), 0);
	assert_int_equal(tree_offset(must_find("/memory@0")), mem_off + 12);
	check_live_tree();
}

static void setprop_until_full(void **state)
{
	uint32_t cpus = must_find("/cpus"), i, ok = 0;
	char name[32];

	(void)state;
	mutates();
	memset(ram(BIG_ADDR, SETPROP_LIMIT), 0x5a, SETPROP_LIMIT);
	for (i = 0; i < 64; i++) {
		snprintf(name, sizeof(name), "linux,fill%u", i);
		if (setprop(cpus, name, BIG_ADDR, SETPROP_LIMIT) == FAIL)
			break;
		ok++;
	}
	/* the buffer has room for some of them, never for unlimited ones */
	assert_true(ok >= 1 && i < 64);
	snprintf(name, sizeof(name), "linux,fill%u", i);
	assert_int_equal(getproplen(cpus, name), FAIL);
	assert_true(fdt_totalsize(tree_blob()) == tree_blob_size());
	check_live_tree();
	check_has_tree(ref);
	/* small edits may still fit; a replacement of the same size always does */
	assert_int_equal(setprop(cpus, "linux,fill0", BIG_ADDR, SETPROP_LIMIT), SETPROP_LIMIT);
	check_live_tree();
}

/*
 * The property index is keyed by node and name: a property handed out by
 * nextprop on one node must never answer getprop on another node for the
 * same name (a cache keyed by name alone returned the root's "name" for
 * /chosen after a walk of /).
 */
static void getprop_after_nextprop_on_another_node(void **state)
{
	uint32_t root = must_find("/"), chosen = must_find("/chosen");
	char name[OF_PROP_NAME_MAX], val[64];
	uint32_t prev = 0;
	int shared = 0;

	(void)state;
	while (nextprop(root, prev, BUF2_ADDR) == 1) {
		int len;
		const void *want;

		snprintf(name, sizeof(name), "%s", (char *)ram(BUF2_ADDR, 1));
		prev = S(name);
		want = tree_getprop(chosen, name, &len);
		if (!want) {
			assert_int_equal(getproplen(chosen, name), FAIL);
			continue;
		}
		shared++;
		assert_int_equal(getproplen(chosen, name), (uint32_t)len);
		assert_int_equal(prop(chosen, name, val, sizeof(val)), len);
		assert_memory_equal(val, want, (size_t)MIN(len, (int)sizeof(val)));
	}
	assert_true(shared >= 2);	/* at least "name" and "phandle" */
	assert_int_equal(prop(chosen, "name", val, sizeof(val)), 7);
	assert_string_equal(val, "chosen");
}

/*
 * Thousands of new properties: the property index outgrows its first
 * table and is replaced while lookups go on; every property, old and new,
 * must still be found with its own value, and the walk must see them all.
 */
static void setprop_many_grows_the_index(void **state)
{
	uint32_t cpus = must_find("/cpus"), prev = 0, count = 0, before = 0, i, n;
	char name[32];

	(void)state;
	mutates();
	while (nextprop(cpus, prev, BUF2_ADDR) == 1) {
		prev = S((char *)ram(BUF2_ADDR, 1));
		before++;
	}
	for (n = 0; n < 3000; n++) {
		uint32_t v = n * 2654435761u;

		snprintf(name, sizeof(name), "linux,p%u", n);
		memcpy(ram(BUF_ADDR, 4), &v, 4);
		if (setprop(cpus, name, BUF_ADDR, 4) != 4)
			break;
	}
	assert_true(n >= 2000);		/* the buffer has room for thousands */
	for (i = 0; i < n; i++) {
		uint32_t v = 0, want = i * 2654435761u;

		snprintf(name, sizeof(name), "linux,p%u", i);
		assert_int_equal(prop(cpus, name, &v, 4), 4);
		assert_int_equal(v, want);
	}
	prev = 0;
	while (nextprop(cpus, prev, BUF2_ADDR) == 1) {
		prev = S((char *)ram(BUF2_ADDR, 1));
		count++;
	}
	assert_int_equal(count, before + n);
	check_live_tree();
	check_has_tree(ref);
	check_has_tree(tree_blob());
}

static void setprop_policy(void **state)
{
	static uint8_t before[1 << 19];
	uint32_t cpus = must_find("/cpus"), chosen = must_find("/chosen"), rtas = must_find("/rtas");
	size_t used;

	(void)state;
	mutates();
	/* allowed by both policies */
	assert_int_equal(setprop(chosen, "linux,initrd-start", S("12345678"), 8), 8);
	assert_int_equal(setprop(chosen, "bootargs", S("a=b"), 4), 4);
	assert_int_equal(setprop(chosen, "bootpath", S("/x"), 3), 3);
	assert_int_equal(setprop(rtas, "linux,rtas-base", S("1234"), 4), 4);
	used = fdt_totalsize(tree_blob());
	memcpy(before, tree_blob(), used);
	capture_clear();
	if (IS_ENABLED(CONFIG_SETPROP_POLICY_LINUX)) {
		assert_int_equal(setprop(cpus, "foo", S("bar"), 4), FAIL);
		assert_int_equal(setprop(chosen, "foo", S("bar"), 4), FAIL);
		assert_int_equal(setprop(rtas, "bootargs", S("bar"), 4), FAIL);
		assert_int_equal(setprop(peer(0), "model", S("x"), 2), FAIL);
		assert_int_equal(setprop(must_find("/interrupt-controller"), "phandle", S("1234"), 4), FAIL);
		assert_int_equal(setprop(must_find("/aliases"), "disk", S("/vdevice"), 9), FAIL);
		/* tree unchanged, byte for byte */
		assert_memory_equal(tree_blob(), before, used);
		assert_int_equal(getproplen(cpus, "foo"), FAIL);
		assert_string_equal(prop_str(peer(0), "model"), ref_str(ref, "/", "model"));
		/* the CI trace says why */
		assert_non_null(strstr(capture_out, "setprop foo refused"));
		assert_non_null(strstr(capture_out, "Linux-compatible"));
	} else {
		assert_int_equal(setprop(cpus, "foo", S("bar"), 4), 4);
		assert_string_equal(prop_str(cpus, "foo"), "bar");
		assert_int_equal(setprop(peer(0), "model", S("x"), 2), 2);
		assert_string_equal(prop_str(peer(0), "model"), "x");
		/* an alias set by the client resolves */
		assert_int_equal(setprop(must_find("/aliases"), "disk", S("/vdevice"), 9), 9);
		assert_int_equal(finddevice("disk"), must_find("/vdevice"));
		assert_int_equal(finddevice("disk:0"), must_find("/vdevice"));
	}
	check_live_tree();
}

static void package_to_path_root(void **state)
{
	(void)state;
	fill_client(BUF_ADDR, 16);
	assert_int_equal(pkg2path(peer(0), BUF_ADDR, 16), 1);
	assert_memory_equal(ram(BUF_ADDR, 2), "/", 2);
	assert_true(untouched(BUF_ADDR + 2, 14));
	fill_client(BUF_ADDR, 16);
	assert_int_equal(pkg2path(peer(0), BUF_ADDR, 1), 1);
	assert_int_equal(*(uint8_t *)ram(BUF_ADDR, 1), '/');
	assert_true(untouched(BUF_ADDR + 1, 15));
	assert_int_equal(tree_path(tree_root(), (char *)ram(BUF_ADDR, 16), 16), 1);
}

static void package_to_path_small_buffers(void **state)
{
	const char *path = ref_stdout_path();
	uint32_t ph = must_find(path), len = (uint32_t)strlen(path);

	(void)state;
	fill_client(BUF_ADDR, 64);
	assert_int_equal(pkg2path(ph, BUF_ADDR, 5), len);
	assert_memory_equal(ram(BUF_ADDR, 5), path, 5);
	assert_true(untouched(BUF_ADDR + 5, 59));
	/* exactly the length: no room for the NUL */
	fill_client(BUF_ADDR, 64);
	assert_int_equal(pkg2path(ph, BUF_ADDR, len), len);
	assert_memory_equal(ram(BUF_ADDR, len), path, len);
	assert_true(untouched(BUF_ADDR + len, 4));
	/* one more: NUL-terminated */
	fill_client(BUF_ADDR, 64);
	assert_int_equal(pkg2path(ph, BUF_ADDR, len + 1), len);
	assert_string_equal((char *)ram(BUF_ADDR, 1), path);
	assert_true(untouched(BUF_ADDR + len + 1, 4));
	/* buflen 0: the length only */
	fill_client(BUF_ADDR, 64);
	assert_int_equal(pkg2path(ph, BUF_ADDR, 0), len);
	assert_int_equal(pkg2path(ph, 0, 0), len);
	assert_true(untouched(BUF_ADDR, 64));
}

static void package_to_path_bad(void **state)
{
	(void)state;
	assert_int_equal(pkg2path(0, BUF_ADDR, 64), FAIL);
	assert_int_equal(pkg2path(FAIL, BUF_ADDR, 64), FAIL);
	assert_int_equal(pkg2path(cur_stdout, BUF_ADDR, 64), FAIL);
	assert_int_equal(pkg2path(peer(0), SIM_RAM_SIZE - 1, 4), FAIL);
	assert_true(untouched(BUF_ADDR, 64));
}

static void canon_resolves(void **state)
{
	const char *vty = ref_stdout_path();
	char exp[300];
	uint32_t len;

	(void)state;
	len = canon("hvterm", BUF_ADDR, 256);
	assert_int_equal(len, strlen(vty));
	assert_string_equal((char *)ram(BUF_ADDR, 1), vty);
	snprintf(exp, sizeof(exp), "%s:abc", vty);
	assert_int_equal(canon(exp, BUF_ADDR, 256), strlen(exp));
	assert_string_equal((char *)ram(BUF_ADDR, 1), exp);
	assert_int_equal(canon("/memory", BUF_ADDR, 256), strlen("/memory@0"));
	assert_string_equal((char *)ram(BUF_ADDR, 1), "/memory@0");
	assert_int_equal(canon("/memory@000:1,2", BUF_ADDR, 256), strlen("/memory@0:1,2"));
	assert_string_equal((char *)ram(BUF_ADDR, 1), "/memory@0:1,2");
	assert_int_equal(canon("/", BUF_ADDR, 256), 1);
	assert_int_equal(canon("/nonexistent", BUF_ADDR, 256), FAIL);
	assert_int_equal(canon("", BUF_ADDR, 256), FAIL);
	assert_int_equal(canon("nosuchalias", BUF_ADDR, 256), FAIL);
	/* small buffer: truncated copy, full length */
	fill_client(BUF_ADDR, 64);
	assert_int_equal(canon("/memory", BUF_ADDR, 3), strlen("/memory@0"));
	assert_memory_equal(ram(BUF_ADDR, 3), "/me", 3);
	assert_true(untouched(BUF_ADDR + 3, 8));
}

static void chosen_stdio(void **state)
{
	uint32_t chosen = must_find("/chosen"), vty = must_find(ref_stdout_path());
	uint8_t cell[4];
	uint32_t out_ih, in_ih;

	(void)state;
	assert_int_equal(prop(chosen, "stdout", cell, 4), 4);
	out_ih = fw_cell(cell);
	assert_int_equal(prop(chosen, "stdin", cell, 4), 4);
	in_ih = fw_cell(cell);
	assert_int_equal(out_ih, cur_stdout);
	assert_int_equal(in_ih, cur_stdin);
	assert_true(out_ih != 0 && out_ih != FAIL && in_ih != 0 && in_ih != FAIL);
	assert_int_not_equal(out_ih, in_ih);
	assert_int_equal(i2pkg(out_ih), vty);
	assert_int_equal(i2pkg(in_ih), vty);
	assert_false(tree_valid(out_ih));
	assert_false(tree_valid(in_ih));
	/* instance-to-path: the vty's path, no args */
	assert_int_equal(i2path(out_ih, BUF_ADDR, 256), strlen(ref_stdout_path()));
	assert_string_equal((char *)ram(BUF_ADDR, 1), ref_stdout_path());
	/* compatible "hvterm1", the vty QEMU chose */
	assert_string_equal(prop_str(vty, "compatible"), "hvterm1");
	/* QEMU's strings are left alone */
	assert_string_equal(prop_str(chosen, "linux,stdout-path"), ref_stdout_path());
}

static void open_and_close(void **state)
{
	uint32_t root, rtas, rtas2;

	(void)state;
	root = open_dev("/");
	assert_true(root != 0 && root != FAIL);
	assert_int_equal(i2pkg(root), peer(0));
	rtas = open_dev("/rtas");
	rtas2 = open_dev("/rtas");
	assert_true(rtas != 0 && rtas != FAIL && rtas != root);
	assert_int_not_equal(rtas, rtas2);	/* two opens, two instances */
	assert_int_equal(i2pkg(rtas), must_find("/rtas"));
	assert_int_equal(open_dev("/nonexistent"), 0);
	assert_int_equal(open_dev(""), 0);
	assert_int_equal(open_dev("nosuchalias"), 0);
	assert_int_equal(ci("open", 1, 1, FAIL), 0);
	assert_int_equal(ci("open", 1, 1, SIM_RAM_SIZE), 0);
	/* close twice: harmless */
	close_ih(rtas);
	assert_int_equal(i2pkg(rtas), FAIL);
	close_ih(rtas);
	assert_int_equal(i2pkg(rtas), FAIL);
	assert_int_equal(i2pkg(rtas2), must_find("/rtas"));
	/* garbage and packages: harmless */
	close_ih(0);
	close_ih(FAIL);
	close_ih(must_find("/rtas"));
	close_ih(0xf0000000u + 4096);
	assert_int_equal(i2pkg(root), peer(0));
	assert_int_equal(i2pkg(cur_stdout), must_find(ref_stdout_path()));
	assert_int_equal(i2pkg(cur_stdin), must_find(ref_stdout_path()));
	close_ih(root);
	close_ih(rtas2);
}

static void open_with_args(void **state)
{
	const char *vty = ref_stdout_path();
	char spec[300];
	uint32_t ih;

	(void)state;
	snprintf(spec, sizeof(spec), "%s:foo", vty);
	ih = open_dev(spec);
	assert_int_not_equal(ih, 0);
	assert_int_equal(i2pkg(ih), must_find(vty));
	assert_int_equal(i2path(ih, BUF_ADDR, 256), strlen(spec));
	assert_string_equal((char *)ram(BUF_ADDR, 1), spec);
	/* "path:" : no args */
	snprintf(spec, sizeof(spec), "%s:", vty);
	ih = open_dev(spec);
	assert_int_equal(i2path(ih, BUF_ADDR, 256), strlen(vty));
	/* without a unit */
	ih = open_dev("/memory:x");
	assert_int_equal(i2pkg(ih), must_find("/memory@0"));
	assert_int_equal(i2path(ih, BUF_ADDR, 256), strlen("/memory@0:x"));
	assert_string_equal((char *)ram(BUF_ADDR, 1), "/memory@0:x");
}

static void instance_to_package_bad(void **state)
{
	static uint32_t phs[MAX_NODES];
	unsigned int i, n = ci_walk(phs, MAX_NODES);
	uint32_t ih;

	(void)state;
	assert_int_equal(i2pkg(0), FAIL);
	assert_int_equal(i2pkg(FAIL), FAIL);
	assert_int_equal(i2pkg(0xefffffffu), FAIL);
	/* a closed instance */
	ih = open_dev("/rtas");
	assert_int_equal(i2pkg(ih), must_find("/rtas"));
	close_ih(ih);
	assert_int_equal(i2pkg(ih), FAIL);
	for (i = 0; i < n; i++)
		assert_int_equal(i2pkg(phs[i]), FAIL);
}

static void instance_to_path_buffers(void **state)
{
	const char *vty = ref_stdout_path();
	uint32_t len = (uint32_t)strlen(vty);

	(void)state;
	assert_int_equal(i2path(0, BUF_ADDR, 64), FAIL);
	assert_int_equal(i2path(FAIL, BUF_ADDR, 64), FAIL);
	assert_int_equal(i2path(peer(0), BUF_ADDR, 64), FAIL);
	assert_true(untouched(BUF_ADDR, 64));
	assert_int_equal(i2path(cur_stdout, BUF_ADDR, 4), len);
	assert_memory_equal(ram(BUF_ADDR, 4), vty, 4);
	assert_true(untouched(BUF_ADDR + 4, 60));
	assert_int_equal(i2path(cur_stdout, 0, 0), len);
	assert_int_equal(i2path(cur_stdin, BUF_ADDR, len + 1), len);
	assert_string_equal((char *)ram(BUF_ADDR, 1), vty);
}

static void close_stdin_keeps_stdout(void **state)
{
	uint32_t vty = must_find(ref_stdout_path());

	(void)state;
	mutates();
	close_ih(cur_stdin);
	assert_int_equal(i2pkg(cur_stdin), FAIL);
	assert_int_equal(i2pkg(cur_stdout), vty);
	assert_int_equal(i2path(cur_stdout, BUF_ADDR, 256), strlen(ref_stdout_path()));
	close_ih(cur_stdin);
	assert_int_equal(i2pkg(cur_stdout), vty);
}

static void no_io_methods_on_packages(void **state)
{
	uint32_t ih = open_dev("/rtas");
	const char *svc[] = { "read", "write", "seek" };
	unsigned int i;

	(void)state;
	assert_int_not_equal(ih, 0);
	memcpy(ram(BUF_ADDR, 4), "abc", 4);
	for (i = 0; i < ARRAY_SIZE(svc); i++) {
		assert_int_equal(ci(svc[i], 3, 1, ih, BUF_ADDR, 4), FAIL);
		assert_int_equal(ci(svc[i], 3, 1, 0, BUF_ADDR, 4), FAIL);
		assert_int_equal(ci(svc[i], 3, 1, FAIL, BUF_ADDR, 4), FAIL);
		assert_int_equal(ci(svc[i], 3, 1, peer(0), BUF_ADDR, 4), FAIL);
	}
	/* without a console module even stdout has no write here */
	assert_int_equal(ci("write", 3, 1, cur_stdout, BUF_ADDR, 4), FAIL);
	/* call-method: a throw for a missing method, nothing for N_returns = 0 */
	assert_int_not_equal(ci("call-method", 2, 1, S("open"), ih), 0);
	assert_int_not_equal(ci("call-method", 3, 2, S("nosuch"), ih, 5), 0);
	assert_int_not_equal(ci("call-method", 2, 1, S("read"), 0), 0);
	assert_int_equal(ci("call-method", 2, 0, S("nosuch"), ih), 0);
	assert_true(untouched(BUF_ADDR + 4, 60));
}

static void instances_run_out_and_recover(void **state)
{
	static uint32_t ih[256];
	unsigned int n = 0, i, j;

	(void)state;
	while (n < ARRAY_SIZE(ih)) {
		uint32_t h = open_dev("/rtas");

		assert_int_not_equal(h, FAIL);	/* never -1: GRUB tests for 0 */
		if (!h)
			break;
		ih[n++] = h;
	}
	assert_true(n >= 16 && n < ARRAY_SIZE(ih));
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			assert_int_not_equal(ih[i], ih[j]);
	assert_int_equal(open_dev("/"), 0);
	/*
	 * The edges of the handle range: the highest handle handed out is the
	 * last slot, and the handle one past it is refused by every instance
	 * service (an off-by-one bound reads past the table: UBSan aborts).
	 */
	{
		uint32_t last = 0, past;

		for (i = 0; i < n; i++)
			last = MAX(last, ih[i]);
		past = last + 1;
		assert_int_equal(i2pkg(last), must_find("/rtas"));
		assert_int_equal(i2pkg(past), FAIL);
		assert_int_equal(ci("instance-to-path", 3, 1, past, BUF_ADDR, 64), FAIL);
		assert_int_equal(ci("close", 1, 0, past), 0);
		assert_int_equal(i2pkg(last), must_find("/rtas"));
	}
	close_ih(ih[n / 2]);
	ih[n / 2] = open_dev("/");
	assert_int_not_equal(ih[n / 2], 0);
	assert_int_equal(i2pkg(ih[n / 2]), peer(0));
	assert_int_equal(open_dev("/"), 0);
	/* stdio untouched */
	assert_int_equal(i2pkg(cur_stdout), must_find(ref_stdout_path()));
	for (i = 0; i < n; i++)
		close_ih(ih[i]);
	assert_int_not_equal(open_dev("/"), 0);
}

static void test_service(void **state)
{
	const char *svc[] = { "finddevice", "getprop", "getproplen", "nextprop", "setprop",
			      "peer", "child", "parent", "package-to-path", "canon", "open",
			      "close", "instance-to-package", "instance-to-path", "read",
			      "write", "seek", "call-method", "test" };
	unsigned int i;
	uint32_t in[1];

	(void)state;
	for (i = 0; i < ARRAY_SIZE(svc); i++)
		if (ci("test", 1, 1, S(svc[i])) != 0)
			fail_msg("test(\"%s\") says it is missing", svc[i]);
	assert_int_equal(ci("test", 1, 1, S("bogus")), FAIL);
	assert_int_equal(ci("test", 1, 1, S("")), FAIL);
	assert_int_equal(ci("test", 1, 1, S("finddevice ")), FAIL);
	assert_int_equal(ci("test", 1, 1, FAIL), FAIL);
	/* an unknown service: r3 = -1, returns untouched */
	in[0] = S("/");
	assert_int_equal(ci_call("bogus", 1, 1, in), -1);
	assert_int_equal(ret_cell(0), RET_POISON);
	/* wrong counts for a known one */
	assert_int_equal(ci_call("finddevice", 1, 2, in), -1);
	assert_int_equal(ret_cell(0), RET_POISON);
}

/* ---- CAS merge ---- */

/* Every node's phandle by path, before and after. */
struct ph_map {
	unsigned int n;
	uint32_t ph[MAX_NODES];
	char path[MAX_NODES][128];
};

static void record_phandles(struct ph_map *m)
{
	static uint32_t phs[MAX_NODES];
	unsigned int i;

	m->n = ci_walk(phs, MAX_NODES);
	for (i = 0; i < m->n; i++) {
		m->ph[i] = phs[i];
		assert_true(strlen(path_of(phs[i])) < sizeof(m->path[i]));
		strcpy(m->path[i], path_of(phs[i]));
	}
}

static void check_phandles(const struct ph_map *m)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (finddevice(m->path[i]) != m->ph[i])
			fail_msg("%s was %x, is %x after the merge", m->path[i], m->ph[i],
				 finddevice(m->path[i]));
}

/* A CAS-style answer: QEMU's tree edited with libfdt, placed in RAM. */
static void *new_tree(void)
{
	void *t = ram(NEW_DTB_ADDR, DTB_MAX);

	assert_int_equal(fdt_open_into(ref, t, (int)fdt_totalsize(ref) + 0x4000), 0);
	return t;
}

static void merge_same_tree(void **state)
{
	static struct ph_map before;
	uint32_t chosen = must_find("/chosen");
	unsigned int count = tree_node_count();
	char hvterm[256];

	(void)state;
	mutates();
	record_phandles(&before);
	strcpy(hvterm, prop_str(must_find("/aliases"), "hvterm"));
	assert_int_equal(tree_merge(new_tree()), 0);
	assert_int_equal(tree_node_count(), count);
	check_phandles(&before);
	check_live_tree();
	check_has_tree(ref);
	/* what the firmware added stays */
	assert_int_equal(i2pkg(fw_cell(tree_getprop(chosen, "stdout", NULL))), must_find(ref_stdout_path()));
	assert_int_equal(fw_cell(tree_getprop(chosen, "stdin", NULL)), cur_stdin);
	assert_string_equal(prop_str(must_find("/aliases"), "hvterm"), hvterm);
	assert_int_equal(must_find("/interrupt-controller"), QEMU_PHANDLE);
	/* twice is the same */
	assert_int_equal(tree_merge(ref), 0);
	assert_int_equal(tree_node_count(), count);
	check_phandles(&before);
}

static void merge_adds_nodes_keeps_chosen(void **state)
{
	static struct ph_map before;
	void *t;
	int root_off, extra, leaf, chosen_off, rtas_off;
	uint32_t ext, lf, chosen = must_find("/chosen");
	unsigned int count = tree_node_count();
	char stdout_path[256];
	uint32_t bootargs_len = getproplen(chosen, "bootargs");

	(void)state;
	mutates();
	record_phandles(&before);
	strcpy(stdout_path, ref_stdout_path());
	t = new_tree();
	root_off = fdt_path_offset(t, "/");
	extra = fdt_add_subnode(t, root_off, "vofkit-extra@1f");
	assert_true(extra >= 0);
	assert_int_equal(fdt_setprop_string(t, extra, "compatible", "vofkit,test"), 0);
	leaf = fdt_add_subnode(t, extra, "leaf");
	assert_true(leaf >= 0);
	assert_int_equal(fdt_setprop_u32(t, leaf, "reg", 7), 0);
	chosen_off = fdt_path_offset(t, "/chosen");
	assert_int_equal(fdt_delprop(t, chosen_off, "stdout-path"), 0);
	fdt_delprop(t, chosen_off, "bootargs");
	assert_int_equal(fdt_setprop_string(t, chosen_off, "ibm,arch-vec-5-platform-support", "cas"), 0);
	rtas_off = fdt_path_offset(t, "/rtas");
	assert_int_equal(fdt_setprop_u32(t, rtas_off, "rtas-size", 0x1234), 0);

	assert_int_equal(tree_merge(t), 0);
	assert_int_equal(tree_node_count(), count + 2);
	check_phandles(&before);
	check_live_tree();
	check_has_tree(t);
	ext = must_find("/vofkit-extra@1F");
	assert_int_equal(ext, must_find("/vofkit-extra"));
	assert_string_equal(prop_str(ext, "name"), "vofkit-extra");
	assert_string_equal(prop_str(ext, "compatible"), "vofkit,test");
	assert_int_equal(parent(ext), peer(0));
	lf = must_find("/vofkit-extra@1f/leaf");
	assert_int_equal(parent(lf), ext);
	assert_int_equal(child(ext), lf);
	assert_int_equal(prop_be_cell(lf, "reg"), 7);
	assert_int_equal(prop_be_cell(lf, "phandle"), lf);
	/* replaced from the new tree */
	assert_int_equal(prop_be_cell(must_find("/rtas"), "rtas-size"), 0x1234);
	assert_string_equal(prop_str(chosen, "ibm,arch-vec-5-platform-support"), "cas");
	/* what the new tree lacks stays */
	assert_string_equal(prop_str(chosen, "stdout-path"), stdout_path);
	assert_int_equal(getproplen(chosen, "bootargs"), bootargs_len);
	assert_int_equal(getproplen(chosen, "stdout"), 4);
	assert_int_equal(i2pkg(cur_stdout), must_find(stdout_path));
	assert_int_equal(finddevice("hvterm"), must_find(stdout_path));
}

static void merge_new_node_with_taken_phandle(void **state)
{
	void *t = new_tree();
	int off = fdt_add_subnode(t, 0, "vofkit-ic@6000000000000");
	uint32_t ic;

	(void)state;
	mutates();
	assert_true(off >= 0);
	assert_int_equal(fdt_setprop_u32(t, off, "phandle", QEMU_PHANDLE), 0);
	assert_int_equal(fdt_setprop_u32(t, off, "linux,phandle", QEMU_PHANDLE), 0);
	assert_int_equal(tree_merge(t), 0);
	/* the phandle a client may hold keeps meaning the same node */
	assert_int_equal(must_find("/interrupt-controller"), QEMU_PHANDLE);
	ic = must_find("/vofkit-ic@6000000000000");
	assert_int_not_equal(ic, QEMU_PHANDLE);
	assert_int_equal(prop_be_cell(ic, "phandle"), ic);
	check_live_tree();
}

/* Nodes the firmware made (SCSI LUNs, NVMe namespaces) are not in QEMU's CAS answer: they stay. */
static void merge_keeps_nodes_the_firmware_made(void **state)
{
	uint32_t vdev = must_find("/vdevice"), disk, leaf;
	unsigned int count;

	(void)state;
	mutates();
	disk = tree_add_node(vdev, "vofkit-disk@8000000000000000");
	assert_int_not_equal(disk, TREE_NO_NODE);
	leaf = tree_add_node(disk, "leaf");
	assert_int_not_equal(leaf, TREE_NO_NODE);
	assert_int_equal(tree_setprop(disk, "device_type", "block", 6), 0);
	count = tree_node_count();
	assert_int_equal(tree_merge(new_tree()), 0);
	assert_int_equal(tree_node_count(), count);
	assert_int_equal(must_find("/vdevice/vofkit-disk@8000000000000000"), disk);
	assert_int_equal(must_find("/vdevice/vofkit-disk@8000000000000000/leaf"), leaf);
	assert_string_equal(prop_str(disk, "device_type"), "block");
	assert_int_equal(parent(leaf), disk);
	check_live_tree();
	/* a node QEMU dropped still goes, with the firmware's nodes below it */
	{
		void *t = new_tree();
		int off = fdt_path_offset(t, "/vdevice");

		assert_true(off >= 0);
		assert_int_equal(fdt_del_node(t, off), 0);
		assert_int_equal(tree_merge(t), 0);
		assert_int_equal(tree_find("/vdevice", NULL), TREE_NO_NODE);
		assert_false(tree_valid(disk));
		assert_false(tree_valid(leaf));
		check_live_tree();
	}
}

static void merge_rejects_garbage(void **state)
{
	static uint8_t before[1 << 19];
	size_t used = fdt_totalsize(tree_blob());
	uint8_t *junk = ram(NEW_DTB_ADDR, 4096);

	(void)state;
	memcpy(before, tree_blob(), used);
	memset(junk, 0x11, 4096);
	assert_int_not_equal(tree_merge(junk), 0);
	assert_memory_equal(tree_blob(), before, used);
	check_live_tree();
}

/* ---- Configuration-specific tests ---- */

static void kernel_chosen_properties(void **state)
{
	uint32_t chosen = must_find("/chosen");
	uint8_t bk[16];
	uint64_t a, s;

	(void)state;
	assert_string_equal(prop_str(chosen, "bootargs"), "console=hvc0 foo=bar");
	assert_int_equal(getproplen(chosen, "bootargs"), sizeof("console=hvc0 foo=bar"));
	assert_int_equal(prop(chosen, "qemu,boot-kernel", bk, sizeof(bk)), 16);
	assert_int_equal(be_cell(bk), 0);
	assert_int_equal(be_cell(bk + 4), 0x400000);
	assert_int_equal(be_cell(bk + 8), 0);
	assert_true(be_cell(bk + 12) > 0x100000);
	/* present and empty on an LE kernel */
	assert_int_equal(getproplen(chosen, "qemu,boot-kernel-le"), 0);
	/* the kernel's memreserve entry is kept for the claim module */
	assert_int_equal(fdt_num_mem_rsv(tree_blob()), 1);
	assert_int_equal(fdt_get_mem_rsv(tree_blob(), 0, &a, &s), 0);
	assert_true(a == 0x400000 && s == be_cell(bk + 12));
}

static void big_cpus(void **state)
{
	uint32_t cpus = must_find("/cpus"), c;
	unsigned int n = 0;
	char p[64];

	(void)state;
	for (c = child(cpus); c; c = peer(c), n++) {
		assert_string_equal(prop_str(c, "name"), "PowerPC,POWER9");
		assert_string_equal(prop_str(c, "device_type"), "cpu");
		snprintf(p, sizeof(p), "/cpus/PowerPC,POWER9@%x", n);
		assert_int_equal(finddevice(p), c);
		assert_int_equal(prop_be_cell(c, "reg"), n);
		assert_int_equal(parent(c), cpus);
	}
	assert_int_equal(n, 8);
	assert_int_equal(finddevice("/cpus/PowerPC,POWER9@8"), FAIL);
	assert_int_equal(finddevice("/cpus/PowerPC,POWER9@07"), must_find("/cpus/PowerPC,POWER9@7"));
	assert_int_equal(getproplen(must_find("/memory@0"), "reg"), 16);
}

static void devices_unit_case(void **state)
{
	uint32_t blk = must_find("/pci@800000020000000/scsi@b");
	uint32_t vscsi = must_find("/vdevice/v-scsi@7100000c");

	(void)state;
	assert_int_equal(finddevice("/pci@800000020000000/scsi@B"), blk);
	assert_int_equal(finddevice("/pci@800000020000000/scsi@0b"), blk);
	assert_int_equal(finddevice("/pci@800000020000000/scsi"), blk);
	assert_int_equal(finddevice("/pci@800000020000000/scsi@c"), FAIL);
	assert_int_equal(finddevice("/PCI@800000020000000/scsi@b"), FAIL);
	assert_int_equal(finddevice("/pci@800000020000000/SCSI@b"), FAIL);
	assert_int_equal(finddevice("/vdevice/v-scsi@7100000C"), vscsi);
	assert_int_equal(finddevice("/vdevice/V-SCSI@7100000c"), FAIL);
	assert_string_equal(path_of(blk), "/pci@800000020000000/scsi@b");
	assert_string_equal(prop_str(blk, "name"), "scsi");
	/* "/vdevice/v-scsi" is the first one in tree order */
	assert_int_equal(finddevice("/vdevice/v-scsi"), tree_find("/vdevice/v-scsi@71000002", NULL));
	assert_int_not_equal(finddevice("/vdevice/v-scsi"), vscsi);
	/* a device without device_type (virtio-blk, as QEMU writes it) */
	assert_int_equal(getproplen(blk, "device_type"), FAIL);
	if (fdt_path_offset(ref, "/pci@800000020000000/ethernet@0") >= 0)
		assert_string_equal(prop_str(must_find("/pci@800000020000000/ethernet"), "name"),
				    "ethernet");
}

/*
 * SCSI LUN nodes as the SCSI drivers add them: QEMU's qemu,boot-list spells
 * the unit in upper case (disk@8A00000000000000 for target 10), SLOF and
 * NVRAM strings in lower case, ofpathname sometimes with more digits.
 */
static void devices_scsi_lun_units(void **state)
{
	uint32_t vscsi = must_find("/vdevice/v-scsi@7100000c");
	uint32_t lun = tree_add_node(vscsi, "disk@8a00000000000000");
	uint32_t lun0 = tree_add_node(vscsi, "disk@8000000000000000");
	const char *args = NULL;

	(void)state;
	assert_int_not_equal(lun, TREE_NO_NODE);
	assert_int_not_equal(lun0, TREE_NO_NODE);
	assert_int_equal(finddevice("/vdevice/v-scsi@7100000C/disk@8A00000000000000"), lun);
	assert_int_equal(finddevice("/vdevice/v-scsi@7100000c/disk@8a00000000000000"), lun);
	assert_int_equal(finddevice("/vdevice/v-scsi@7100000c/disk@008A00000000000000"), lun);
	assert_int_equal(finddevice("/vdevice/v-scsi@7100000c/disk@8000000000000000"), lun0);
	assert_int_equal(finddevice("/vdevice/v-scsi@7100000c/disk@8a00000000000001"), FAIL);
	assert_int_equal(finddevice("/vdevice/v-scsi@7100000c/disk@8a0000000000000"), FAIL);
	assert_int_equal(tree_find("/vdevice/v-scsi@7100000C/disk@8A00000000000000:1,\\boot",
				   &args), lun);
	assert_non_null(args);
	assert_string_equal(args, "1,\\boot");
}

static void nodefaults_second_vty(void **state)
{
	uint32_t vty = must_find("/vdevice/vty@71000001");

	(void)state;
	assert_string_equal(ref_stdout_path(), "/vdevice/vty@71000001");
	assert_int_equal(finddevice("/vdevice/vty"), vty);
	assert_int_equal(finddevice("/vdevice/vty@71000000"), FAIL);
	assert_int_equal(must_find("/vdevice/nvram"), must_find("/vdevice/nvram@71000000"));
	assert_int_equal(i2pkg(cur_stdout), vty);
	assert_int_equal(i2pkg(cur_stdin), vty);
	assert_string_equal(prop_str(must_find("/aliases"), "hvterm"), "/vdevice/vty@71000001");
	assert_int_equal(finddevice("hvterm"), vty);
}

/* ---- Synthetic trees (host libfdt sequential writer) ---- */

enum {
	SYN_NO_STDOUT_PATH = 1,	/* /chosen without stdout-path */
	SYN_NO_VTY = 2,		/* no hvterm1 at all */
	SYN_ALIASES = 4,	/* an /aliases node of its own */
	SYN_PHANDLES = 8,	/* some preset phandles */
	SYN_UNITLESS = 16,	/* "pair@1", then "pair" without a unit */
};

static uint8_t syn_buf[0x20000];

#define SW(call) assert_int_equal((call), 0)

static void syn_node(void *t, const char *name)
{
	SW(fdt_begin_node(t, name));
}

static const void *synth_tree(unsigned int flags, int depth)
{
	void *t = syn_buf;
	int i;

	SW(fdt_create(t, sizeof(syn_buf)));
	SW(fdt_add_reservemap_entry(t, 0x1000000, 0x10000));
	SW(fdt_finish_reservemap(t));
	syn_node(t, "");
	SW(fdt_property_u32(t, "#address-cells", 2));
	SW(fdt_property_u32(t, "#size-cells", 2));
	SW(fdt_property_string(t, "model", "synthetic"));
	syn_node(t, "chosen");
	if (!(flags & SYN_NO_STDOUT_PATH))
		SW(fdt_property_string(t, "stdout-path", "/vdevice/vty@30000002"));
	SW(fdt_end_node(t));
	if (flags & SYN_ALIASES) {
		syn_node(t, "aliases");
		SW(fdt_property_string(t, "serial", "/vdevice/vty@30000002"));
		SW(fdt_property_string(t, "relative", "vdevice"));
		SW(fdt_property_string(t, "withargs", "/vdevice/vty@30000002:115200"));
		SW(fdt_end_node(t));
	}
	syn_node(t, "memory@0");
	SW(fdt_property(t, "reg", "\0\0\0\0\0\0\0\0\0\0\0\0\x10\0\0\0", 16));
	SW(fdt_end_node(t));
	syn_node(t, "vdevice");
	syn_node(t, "vty@30000000");	/* a vty by name, not an hvterm1 */
	SW(fdt_property_string(t, "compatible", "hvterm-protocol"));
	SW(fdt_end_node(t));
	if (!(flags & SYN_NO_VTY)) {
		syn_node(t, "vty@30000001");
		SW(fdt_property_string(t, "compatible", "hvterm1"));
		if (flags & SYN_PHANDLES)
			SW(fdt_property_u32(t, "phandle", 1));
		SW(fdt_end_node(t));
		syn_node(t, "vty@30000002");
		SW(fdt_property_string(t, "compatible", "hvterm1"));
		SW(fdt_end_node(t));
	}
	SW(fdt_end_node(t));
	syn_node(t, "multi@1,a");
	if (flags & SYN_PHANDLES)
		SW(fdt_property_u32(t, "phandle", 3));
	SW(fdt_end_node(t));
	syn_node(t, "multi@1,b");
	SW(fdt_end_node(t));
	syn_node(t, "dup@2");
	SW(fdt_end_node(t));
	syn_node(t, "dup@1");
	SW(fdt_end_node(t));
	syn_node(t, "Node@A");
	SW(fdt_end_node(t));
	if (flags & SYN_UNITLESS) {
		syn_node(t, "pair@1");
		SW(fdt_end_node(t));
		syn_node(t, "pair");
		SW(fdt_property_string(t, "compatible", "unitless"));
		SW(fdt_end_node(t));
	}
	for (i = 0; i < depth; i++)
		syn_node(t, "d");
	for (i = 0; i < depth; i++)
		SW(fdt_end_node(t));
	SW(fdt_end_node(t));
	SW(fdt_finish(t));
	assert_int_equal(fdt_check_full(t, fdt_totalsize(t)), 0);
	return t;
}

static void synth_boot(unsigned int flags, int depth)
{
	const void *t = synth_tree(flags, depth);

	assert_int_equal(boot_fdt(t, fdt_totalsize(t)), 0);
}

static void synth_first_hvterm_without_stdout_path(void **state)
{
	uint32_t chosen, first;

	(void)state;
	synth_boot(SYN_NO_STDOUT_PATH, 0);
	chosen = must_find("/chosen");
	first = must_find("/vdevice/vty@30000001");
	/* not vty@30000000, the first "vty" by name: that is no hvterm1 */
	assert_int_equal(finddevice("/vdevice/vty"), must_find("/vdevice/vty@30000000"));
	assert_int_equal(getproplen(chosen, "stdout"), 4);
	assert_int_equal(i2pkg(cur_stdout), first);
	assert_int_equal(i2pkg(cur_stdin), first);
	assert_string_equal(prop_str(must_find("/aliases"), "hvterm"), "/vdevice/vty@30000001");
	assert_int_equal(getproplen(chosen, "stdout-path"), FAIL);
	/* memory@0 "reg" read as the big-endian firmware reads it */
	assert_true(ram_top_at_init == expected_ram_top(ref));
	check_live_tree();
}

static void synth_no_console(void **state)
{
	uint32_t chosen;

	(void)state;
	/* stdout-path names a node that does not exist, and there is no hvterm1 */
	synth_boot(SYN_NO_VTY, 0);
	chosen = must_find("/chosen");
	assert_int_equal(getproplen(chosen, "stdout"), FAIL);
	assert_int_equal(getproplen(chosen, "stdin"), FAIL);
	assert_int_equal(getproplen(must_find("/aliases"), "hvterm"), FAIL);
	assert_int_equal(finddevice("hvterm"), FAIL);
	assert_int_equal(open_dev("hvterm"), 0);
	check_live_tree();
}

static void synth_units(void **state)
{
	uint32_t a, b;

	(void)state;
	synth_boot(0, 0);
	a = must_find("/multi@1,a");
	b = must_find("/multi@1,b");
	assert_int_not_equal(a, b);
	assert_int_equal(finddevice("/multi@1,A"), a);
	assert_int_equal(finddevice("/multi@001,0a"), a);
	assert_int_equal(finddevice("/multi@1,B"), b);
	assert_int_equal(finddevice("/multi"), a);
	assert_int_equal(finddevice("/multi@1"), FAIL);
	assert_int_equal(finddevice("/multi@1,a,0"), FAIL);
	assert_int_equal(finddevice("/multi@1,c"), FAIL);
	assert_int_equal(finddevice("/multi@,a"), FAIL);
	/* the first of equal names in tree order, then each by unit */
	assert_int_equal(finddevice("/dup"), must_find("/dup@2"));
	assert_int_equal(finddevice("/dup@01"), must_find("/dup@1"));
	assert_int_not_equal(must_find("/dup@1"), must_find("/dup@2"));
	/* names keep their case, units do not */
	assert_int_equal(finddevice("/Node@a"), must_find("/Node@A"));
	assert_int_equal(finddevice("/node@A"), FAIL);
	assert_string_equal(prop_str(must_find("/Node"), "name"), "Node");
	assert_string_equal(prop_str(a, "name"), "multi");
	/* the memreserve entry of the blob is kept */
	assert_int_equal(fdt_num_mem_rsv(tree_blob()), 1);
	check_live_tree();
}

static void synth_existing_aliases(void **state)
{
	uint32_t vty, aliases;
	unsigned int count;

	(void)state;
	synth_boot(SYN_ALIASES, 0);
	vty = must_find("/vdevice/vty@30000002");
	aliases = must_find("/aliases");
	count = tree_node_count();
	assert_int_equal(count, fdt_count_nodes(synth_tree(SYN_ALIASES, 0)));
	assert_int_equal(finddevice("serial"), vty);
	assert_int_equal(finddevice("serial:9600"), vty);
	assert_int_equal(finddevice("withargs"), vty);
	assert_int_equal(finddevice("relative"), FAIL);
	assert_string_equal(prop_str(aliases, "hvterm"), "/vdevice/vty@30000002");
	assert_string_equal(prop_str(aliases, "serial"), "/vdevice/vty@30000002");
	assert_int_equal(i2pkg(cur_stdout), vty);
	check_live_tree();
}

static void synth_preset_phandles(void **state)
{
	static uint32_t phs[MAX_NODES];
	unsigned int i, n;

	(void)state;
	synth_boot(SYN_PHANDLES | SYN_NO_STDOUT_PATH, 0);
	assert_int_equal(must_find("/vdevice/vty@30000001"), 1);
	assert_int_equal(must_find("/multi@1,a"), 3);
	/* new numbers start above the highest preset one (3), as VOF's do */
	assert_int_equal(must_find("/"), 4);
	n = ci_walk(phs, MAX_NODES);
	for (i = 0; i < n; i++) {
		unsigned int j;

		assert_true(phs[i] == 1 || phs[i] == 3 || (phs[i] >= 4 && phs[i] < 4 + n));
		for (j = 0; j < i; j++)
			assert_int_not_equal(phs[i], phs[j]);	/* unique */
	}
	check_live_tree();
}

static void synth_depth_limit(void **state)
{
	const void *t;
	char path[256];
	int i;

	(void)state;
	/* 32 nested nodes below the root: the deepest is at the index's depth limit */
	synth_boot(0, 32);
	strcpy(path, "");
	for (i = 0; i < 32; i++)
		strcat(path, "/d");
	assert_string_equal(path_of(must_find(path)), path);
	check_live_tree();
	/* one deeper than the index takes: init fails cleanly */
	t = synth_tree(0, 33);
	mutates();
	assert_int_not_equal(tree_init(t), 0);
}

/* ---- Regressions: firmware bugs these tests found (fixed) ---- */

/* A merge that fails half-way must not leave the index on stale offsets. */
static void known_bug_merge_failure_keeps_index(void **state)
{
	void *t;
	int err;

	(void)state;
	mutates();
	t = new_tree();
	/* libfdt puts a new property first: "grow" is merged before "huge" */
	memset(ram(BIG_ADDR, 0x100000), 0x33, 0x100000);
	SW(fdt_open_into(ref, t, (int)fdt_totalsize(ref) + 0x110000));
	SW(fdt_setprop(t, 0, "vofkit,huge", ram(BIG_ADDR, 1), (int)tree_blob_size()));
	SW(fdt_setprop(t, 0, "vofkit,grow", ram(BIG_ADDR, 1), 64));
	err = tree_merge(t);
	assert_int_not_equal(err, 0);
	check_live_tree();
}

/* Overwrite the stack below the caller, where a returned callee's frame was. */
static void __attribute__((noinline)) smash_stack(void)
{
	volatile char junk[4096];
	unsigned int i;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = 'X';
}

/*
 * tree_find("alias:args", &args) must leave args pointing at memory that
 * outlives the call.  It points into tree_find's own `expanded` buffer
 * (stack): canon and open then read a dead frame.  ASan's
 * detect_stack_use_after_return (set for these tests) reports it; without
 * ASan the smashed frame shows it.
 */
static void known_bug_alias_args_outlive_tree_find(void **state)
{
	const char *vty = ref_stdout_path(), *args = NULL;
	char exp[300];
	uint32_t ih;

	(void)state;
	assert_int_equal(tree_find("hvterm:bar", &args), must_find(vty));
	smash_stack();
	assert_non_null(args);
	assert_string_equal(args, "bar");
	/* canon keeps the args of an alias */
	snprintf(exp, sizeof(exp), "%s:9600,n,8", vty);
	assert_int_equal(canon("hvterm:9600,n,8", BUF_ADDR, 256), strlen(exp));
	assert_string_equal((char *)ram(BUF_ADDR, 1), exp);
	/* and an instance opened through an alias keeps them */
	ih = open_dev("hvterm:bar");
	assert_int_equal(i2pkg(ih), must_find(vty));
	snprintf(exp, sizeof(exp), "%s:bar", vty);
	assert_int_equal(i2path(ih, BUF_ADDR, 256), strlen(exp));
	assert_string_equal((char *)ram(BUF_ADDR, 1), exp);
}

/*
 * Open arguments are kept whole: GRUB opens a NIC with 68 characters of
 * PowerVM arguments, and a cut file argument would name another file.
 */
static void instance_args_kept_whole(void **state)
{
	static const char grub_args[] =
		"speed=auto,duplex=auto,1.1.1.1,dummy,1.1.1.1,1.1.1.1,5,5,1.1.1.1,512";
	const char *vty = ref_stdout_path();
	char spec[300], exp[300];
	uint32_t ih;

	(void)state;
	snprintf(spec, sizeof(spec), "%s:%s", vty, grub_args);
	ih = open_dev(spec);
	assert_int_not_equal(ih, 0);
	snprintf(exp, sizeof(exp), "%s:%s", vty, grub_args);
	assert_int_equal(i2path(ih, BUF_ADDR, 256), strlen(exp));
	assert_string_equal((char *)ram(BUF_ADDR, 1), exp);
}

/*
 * A node without a unit address must be reachable by its own path: after a
 * sibling of the same name with a unit ("interrupt-controller@..." added
 * by a CAS merge before QEMU's "interrupt-controller"), "/pair" resolves to
 * the first name match and package-to-path no longer round-trips.
 */
static void known_bug_unitless_node_shadowed(void **state)
{
	uint32_t c, unitless = 0;

	(void)state;
	synth_boot(SYN_UNITLESS, 0);
	for (c = child(peer(0)); c; c = peer(c))
		if (!strcmp(fdt_get_name(tree_blob(), tree_offset(c), NULL), "pair"))
			unitless = c;
	assert_int_not_equal(unitless, 0);
	assert_string_equal(path_of(unitless), "/pair");
	assert_int_equal(finddevice("/pair"), unitless);
	assert_int_equal(finddevice("/pair@1"), must_find("/pair@1"));
	check_live_tree();
}

/* A client must not be able to desynchronise phandles (the permissive policy lets it try). */
static void known_bug_setprop_phandle(void **state)
{
	uint32_t rtas = must_find("/rtas");
	fdt32_t v = cpu_to_fdt32(QEMU_PHANDLE);

	(void)state;
	mutates();
	memcpy(ram(BUF2_ADDR, 4), &v, 4);
	setprop(rtas, "phandle", BUF2_ADDR, 4);
	setprop(rtas, "name", S("x"), 2);
	check_live_tree();
	assert_int_equal(tree_merge(ref), 0);
	check_live_tree();
}

/* An empty property name makes nextprop's iteration restart forever ("" = first). */
static void known_bug_setprop_empty_name(void **state)
{
	uint32_t chosen = must_find("/chosen");

	(void)state;
	mutates();
	assert_int_equal(setprop(chosen, "", S("abc"), 4), FAIL);
}

/*
 * Linux's prom_init gives nextprop a 64-byte buffer (MAX_PROPERTY_NAME):
 * no name nextprop returns may need more, so setprop must not create one
 * (a 64-character "linux,..." name passes even the Linux policy).
 */
static void known_bug_long_name_overflows_nextprop_buffer(void **state)
{
	uint32_t chosen = must_find("/chosen"), prev = 0, r;
	char name[65];

	(void)state;
	mutates();
	memset(name, 'n', 64);
	memcpy(name, "linux,", 6);
	name[64] = '\0';
	setprop(chosen, name, S("v"), 2);
	while ((r = nextprop(chosen, prev, BUF_ADDR)) == 1) {
		assert_true(strlen(ram(BUF_ADDR, 1)) + 1 <= 64);
		prev = S(ram(BUF_ADDR, 1));
	}
	assert_int_equal(r, 0);
}

/* ---- Groups ---- */

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TC(f, cfg) cmocka_unit_test_setup_teardown(f, setup_##cfg, teardown)

static const struct CMUnitTest generic_tests[] = {
	T(init_copies_qemu_tree),
	T(every_node_named_and_phandled),
	T(qemu_phandle_kept),
	T(walk_matches_libfdt),
	T(navigation_edges),
	T(qemu_properties_preserved),
	T(live_properties_are_qemus_plus_name_phandle),
	T(paths_round_trip),
	T(finddevice_root_and_slashes),
	T(finddevice_without_unit),
	T(finddevice_units_and_case),
	T(finddevice_aliases),
	T(finddevice_not_found),
	T(finddevice_bad_strings),
	T(getprop_copies_min_returns_size),
	T(getprop_existence_test),
	T(getprop_empty_property),
	T(getprop_missing_and_bad_phandles),
	T(getprop_refuses_firmware_buffers),
	T(getprop_long_names),
	T(nextprop_first),
	T(nextprop_iterates_in_order),
	T(nextprop_bad_prev),
	T(setprop_bad_arguments),
	T(setprop_new_and_replace),
	T(setprop_empty_value),
	T(setprop_limit),
	T(setprop_moves_offsets),
	T(setprop_until_full),
	T(setprop_policy),
	T(getprop_after_nextprop_on_another_node),
	T(setprop_many_grows_the_index),
	T(package_to_path_root),
	T(package_to_path_small_buffers),
	T(package_to_path_bad),
	T(canon_resolves),
	T(chosen_stdio),
	T(open_and_close),
	T(open_with_args),
	T(instance_to_package_bad),
	T(instance_args_kept_whole),
	T(instance_to_path_buffers),
	T(close_stdin_keeps_stdout),
	T(no_io_methods_on_packages),
	T(instances_run_out_and_recover),
	T(test_service),
	T(merge_same_tree),
	T(merge_adds_nodes_keeps_chosen),
	T(merge_new_node_with_taken_phandle),
	T(merge_keeps_nodes_the_firmware_made),
	T(merge_rejects_garbage),
};

static const struct CMUnitTest specific_tests[] = {
	TC(kernel_chosen_properties, CFG_KERNEL),
	TC(big_cpus, CFG_BIG),
	TC(devices_unit_case, CFG_DEVICES),
	TC(devices_scsi_lun_units, CFG_DEVICES),
	TC(nodefaults_second_vty, CFG_NODEFAULTS),
	TC(synth_first_hvterm_without_stdout_path, CFG_BASIC),
	TC(synth_no_console, CFG_BASIC),
	TC(synth_units, CFG_BASIC),
	TC(synth_existing_aliases, CFG_BASIC),
	TC(synth_preset_phandles, CFG_BASIC),
	TC(synth_depth_limit, CFG_BASIC),
	TC(known_bug_merge_failure_keeps_index, CFG_BASIC),
	TC(known_bug_unitless_node_shadowed, CFG_BASIC),
	TC(known_bug_setprop_phandle, CFG_BASIC),
	TC(known_bug_setprop_empty_name, CFG_BASIC),
	TC(known_bug_long_name_overflows_nextprop_buffer, CFG_BASIC),
	/* last: under ASan it aborts the process */
	TC(known_bug_alias_args_outlive_tree_find, CFG_BASIC),
};

int main(void)
{
	int failed = 0, i;
	char group[64];

	if ((uintptr_t)__fw_end != (uintptr_t)vk_tree_ram + HEAP_BASE) {
		fprintf(stderr, "test_tree: __fw_end is not in the simulated RAM (link with "
				"--defsym=__fw_end=vk_tree_ram+%#x)\n", HEAP_BASE);
		return 1;
	}
	if (load_dtbs())
		return 1;
	fw_console_register(&capture_console);
	for (i = 0; i < CFG_COUNT; i++) {
		cur_cfg = i;
		snprintf(group, sizeof(group), "tree.%s", cfg_name[i]);
		failed += _cmocka_run_group_tests(group, generic_tests, ARRAY_SIZE(generic_tests),
						  NULL, NULL);
	}
	failed += cmocka_run_group_tests_name("tree.specific", specific_tests, NULL, NULL);
	return failed ? 1 : 0;
}
