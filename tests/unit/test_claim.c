/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the native claim/release allocator (ci-services/claim/claim.c) over a fake tree. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <vofkit/ci/ci.h>
#include <vofkit/lib/console.h>
#include "capture.h"
#include <vofkit/core/heap.h>
#include <vofkit/core/init.h>
#include <vofkit/core/claim_map.h>
#include <vofkit/core/tree.h>
#include "fake_tree.h"
#include "harness.h"

/* lib/heap.c refers to the linker script's end of the firmware image. */
static uint32_t map_claim(uint32_t addr, uint32_t size, uint32_t align);
char __fw_end[64];

#define HEAP_END	0x180000ull	/* CONFIG_FW_HEAP_END in autoconf_claim.h */
#define RAM		0x10000000ull	/* the fake /memory@0: 256 MiB */
#define G4		0x100000000ull
#define FAIL		0xffffffffu

struct rng {
	uint64_t base, size;
};

/* ---- Console capture (the CI trace is on) ---- */


static void assert_trace(const char *what)
{
	if (!strstr(capture_out, what))
		fail_msg("trace lacks \"%s\":\n%s", what, capture_out);
}

/* ---- Running the module ---- */

static int run_claim_init(void)
{
	const struct fw_init_entry *e;

	for (e = VK_TABLE_BEGIN(fw_init); e < VK_TABLE_END(fw_init); e++)
		if (!strcmp(e->name, "the memory map"))
			return e->fn();
	fail_msg("the memory map (claim_memory_init) is not in the init table");
	return -1;
}

/* The cell counts the tests' tree uses (to decode "available"). */
static unsigned int cur_ac = 2, cur_sc = 2;

static int setup(void **state)
{
	(void)state;
	ram_reset();
	fake_tree_reset(RAM);
	cur_ac = cur_sc = 2;
	fw_console_register(&capture_console);
	assert_int_equal(run_claim_init(), 0);
	capture_clear();
	return 0;
}

static uint32_t claim(uint32_t virt, uint32_t size, uint32_t align)
{
	assert_int_equal(ci_callv("claim", 3, 1, virt, size, align), 0);
	return ret_cell(0);
}

static void release(uint32_t virt, uint32_t size)
{
	assert_int_equal(ci_callv("release", 2, 0, virt, size), 0);
}

/* ---- Reading "available" ---- */

static uint64_t cells_value(const uint8_t **p, unsigned int n)
{
	uint64_t v = 0;

	while (n--) {
		uint32_t be;

		memcpy(&be, *p, 4);
		*p += 4;
		v = (v << 32) | fdt32_to_cpu(be);
	}
	return v;
}

/* Decode /memory@0 "available"; returns the number of ranges. */
static unsigned int avail(struct rng *r, unsigned int max)
{
	const uint8_t *p;
	unsigned int i, n, per = 4 * (cur_ac + cur_sc);
	int len;

	p = tree_getprop(FAKE_MEMORY, "available", &len);
	assert_non_null(p);
	assert_int_equal(len % per, 0);
	n = (unsigned int)len / per;
	assert_true(n <= max);
	for (i = 0; i < n; i++) {
		r[i].base = cells_value(&p, cur_ac);
		r[i].size = cells_value(&p, cur_sc);
	}
	return n;
}

/*
 * What every "available" must be: at most 32 ranges, non-empty, sorted, not
 * touching each other (merged), inside RAM and 4 GiB, above the firmware.
 */
static unsigned int avail_checked(struct rng *r, uint64_t ram_end)
{
	unsigned int i, n = avail(r, 32);

	for (i = 0; i < n; i++) {
		assert_true(r[i].size > 0);
		assert_true(r[i].base >= HEAP_END);
		assert_true(r[i].base + r[i].size <= ram_end);
		assert_true(r[i].base + r[i].size <= G4);
		if (i)
			assert_true(r[i - 1].base + r[i - 1].size < r[i].base);
	}
	return n;
}

#define assert_avail(...)                                                       \
	do {                                                                    \
		const struct rng exp_[] = { __VA_ARGS__ };                      \
		assert_avail_is(exp_, sizeof(exp_) / sizeof(exp_[0]), RAM);     \
	} while (0)

static void assert_avail_is(const struct rng *exp, unsigned int nexp, uint64_t ram_end)
{
	struct rng got[32];
	unsigned int i, n = avail_checked(got, ram_end);

	if (n != nexp)
		fail_msg("available has %u ranges, expected %u", n, nexp);
	for (i = 0; i < n; i++)
		if (got[i].base != exp[i].base || got[i].size != exp[i].size)
			fail_msg("available[%u] = %llx+%llx, expected %llx+%llx", i,
				 (unsigned long long)got[i].base,
				 (unsigned long long)got[i].size,
				 (unsigned long long)exp[i].base,
				 (unsigned long long)exp[i].size);
}

/* [a, b) as a range */
#define R(a, b) { (a), (b) - (a) }

/* ---- Init and pre-claims ---- */

static void init_publishes_ram_minus_firmware(void **state)
{
	(void)state;
	assert_int_equal(fw_heap_end(), HEAP_END);
	assert_avail(R(HEAP_END, RAM));
	/* Written once by init (setup), not again until something changes. */
	assert_int_equal(fake_tree_setprop_count(), 1);
}

static void init_preclaims_memreserve_entries(void **state)
{
	static const uint64_t rsv[][2] = {
		{ 0x400000, 0x812345 },		/* -kernel, odd size */
		{ 0x2000000, 0x100000 },	/* initrd */
	};

	(void)state;
	fake_tree_memreserve(rsv, 2);
	assert_int_equal(run_claim_init(), 0);
	assert_avail(R(HEAP_END, 0x400000), R(0xc12345, 0x2000000), R(0x2100000, RAM));
	/* The kernel and the initrd cannot be claimed over. */
	assert_int_equal(claim(0x400000, 0x1000, 0), FAIL);
	assert_int_equal(claim(0xc12000, 0x1000, 0), FAIL);
	assert_int_equal(claim(0x20ff000, 0x1000, 0), FAIL);
	assert_int_equal(claim(0xc12345, 0x1000, 0), 0xc12345);
	/* A client may give the initrd back: it is not the firmware's. */
	release(0x2000000, 0x100000);
	assert_avail(R(HEAP_END, 0x400000), R(0xc13345, RAM));
}

static void init_clips_memreserve_to_ram_and_merges_overlaps(void **state)
{
	static const uint64_t rsv[][2] = {
		{ 0x100000, 0x200000 },		/* overlaps the firmware */
		{ 0x280000, 0x100000 },		/* overlaps the entry before */
		{ RAM - 0x1000, 0x10000 },	/* runs past the end of RAM */
		{ 0x200000000ull, 0x1000 },	/* above 4 GiB: not RAM */
		{ 0x800000, 0 },		/* empty */
	};

	(void)state;
	fake_tree_memreserve(rsv, 5);
	assert_int_equal(run_claim_init(), 0);
	assert_avail(R(0x380000, RAM - 0x1000));
	/* The memreserve part above the firmware is a client's to release. */
	release(0x300000, 0x80000);
	assert_avail(R(0x300000, RAM - 0x1000));
}

static void init_one_cell_root(void **state)
{
	const uint32_t reg[2] = { 0, 0x8000000 };

	(void)state;
	fake_tree_set_cell(FAKE_ROOT, "#address-cells", 1);
	fake_tree_set_cell(FAKE_ROOT, "#size-cells", 1);
	fake_tree_set_cells(FAKE_MEMORY, "reg", reg, 2);
	cur_ac = cur_sc = 1;
	assert_int_equal(run_claim_init(), 0);
	assert_avail_is((const struct rng[]){ R(HEAP_END, 0x8000000) }, 1, 0x8000000);
	assert_int_equal(claim(0x1000000, 0x1000, 0), 0x1000000);
	assert_avail_is((const struct rng[]){ R(HEAP_END, 0x1000000),
					      R(0x1001000, 0x8000000) }, 2, 0x8000000);
}

static void init_uses_ieee1275_default_cell_counts(void **state)
{
	/* No #address-cells / #size-cells: 2 and 1. */
	const uint32_t reg[3] = { 0, 0, 0x4000000 };

	(void)state;
	fake_tree_del(FAKE_ROOT, "#address-cells");
	fake_tree_del(FAKE_ROOT, "#size-cells");
	fake_tree_set_cells(FAKE_MEMORY, "reg", reg, 3);
	cur_ac = 2;
	cur_sc = 1;
	assert_int_equal(run_claim_init(), 0);
	assert_avail_is((const struct rng[]){ R(HEAP_END, 0x4000000) }, 1, 0x4000000);
}

static void init_failure_leaves_claims_failing(void **state)
{
	const uint32_t short_reg[2] = { 0, 0 };

	(void)state;
	fake_tree_set_cell(FAKE_ROOT, "#address-cells", 3);
	assert_int_equal(run_claim_init(), -1);
	assert_int_equal(claim(0x400000, 0x1000, 0), FAIL);
	assert_int_equal(map_claim(0, 0x1000, 0x1000), CI_ERR);
	release(0x400000, 0x1000);	/* nothing to break */

	fake_tree_reset(RAM);
	fake_tree_set_cells(FAKE_MEMORY, "reg", short_reg, 2);
	assert_int_equal(run_claim_init(), -1);

	fake_tree_reset(RAM);
	fake_tree_drop_memory();
	assert_int_equal(run_claim_init(), -1);
	assert_int_equal(claim(0x400000, 0x1000, 0), FAIL);

	/* The tree cannot take "available": no claim map either. */
	fake_tree_reset(RAM);
	fake_tree_fail_setprops(1);
	assert_int_equal(run_claim_init(), -1);
	assert_int_equal(claim(0x400000, 0x1000, 0), FAIL);

	/* A good tree brings it back. */
	fake_tree_reset(RAM);
	assert_int_equal(run_claim_init(), 0);
	assert_int_equal(claim(0x400000, 0x1000, 0), 0x400000);
}

/* ---- Exact claims (align = 0) ---- */

static void exact_claim_succeeds_and_updates_available(void **state)
{
	(void)state;
	assert_int_equal(claim(0x400000, 0x100000, 0), 0x400000);
	assert_avail(R(HEAP_END, 0x400000), R(0x500000, RAM));
	assert_int_equal(fake_tree_setprop_count(), 2);
	/* The range right at the firmware's end and the last byte of RAM. */
	assert_int_equal(claim(HEAP_END, 0x1000, 0), HEAP_END);
	assert_int_equal(claim(RAM - 1, 1, 0), RAM - 1);
	assert_avail(R(HEAP_END + 0x1000, 0x400000), R(0x500000, RAM - 1));
}

static void exact_claim_overlap_fails(void **state)
{
	(void)state;
	assert_int_equal(claim(0x400000, 0x100000, 0), 0x400000);
	assert_int_equal(claim(0x400000, 0x100000, 0), FAIL);
	assert_trace("overlaps the claim [400000, 500000)");
	assert_avail(R(HEAP_END, 0x400000), R(0x500000, RAM));
	assert_int_equal(fake_tree_setprop_count(), 2);	/* not rewritten */
}

static void exact_claim_partial_overlap_fails(void **state)
{
	(void)state;
	assert_int_equal(claim(0x400000, 0x100000, 0), 0x400000);
	assert_int_equal(claim(0x3ff000, 0x2000, 0), FAIL);	/* over the head */
	assert_int_equal(claim(0x4ff000, 0x2000, 0), FAIL);	/* over the tail */
	assert_int_equal(claim(0x480000, 0x1000, 0), FAIL);	/* inside */
	assert_int_equal(claim(0x300000, 0x300000, 0), FAIL);	/* around it */
	assert_int_equal(claim(0x4fffff, 1, 0), FAIL);		/* its last byte */
	assert_avail(R(HEAP_END, 0x400000), R(0x500000, RAM));
}

static void exact_claim_over_firmware_fails(void **state)
{
	(void)state;
	assert_int_equal(claim(0, 0x1000, 0), FAIL);
	assert_int_equal(claim(0x100000, 0x1000, 0), FAIL);
	assert_int_equal(claim(HEAP_END - 1, 2, 0), FAIL);
	assert_avail(R(HEAP_END, RAM));
}

static void exact_claim_outside_ram_fails(void **state)
{
	(void)state;
	assert_int_equal(claim(RAM, 0x1000, 0), FAIL);
	assert_trace("outside RAM");
	assert_int_equal(claim(RAM - 0x1000, 0x1001, 0), FAIL);
	assert_int_equal(claim(0x80000000u, 0x1000, 0), FAIL);
	assert_avail(R(HEAP_END, RAM));
}

static void exact_claim_size_zero_fails(void **state)
{
	(void)state;
	assert_int_equal(claim(0x400000, 0, 0), FAIL);
	assert_trace("size 0");
	assert_int_equal(claim(0x400000, 0, 0x1000), FAIL);
	assert_avail(R(HEAP_END, RAM));
}

static void exact_claim_odd_sizes(void **state)
{
	(void)state;
	/* GRUB claims "available" ranges minus one byte. */
	assert_int_equal(claim(0x300001, 3, 0), 0x300001);
	assert_int_equal(claim(0x300004, 0x7ffffb, 0), 0x300004);
	assert_avail(R(HEAP_END, 0x300001), R(0xafffff, RAM));
	/* An odd end is the next claim's start: exact, and aligned to 1. */
	assert_int_equal(claim(0xafffff, 1, 0), 0xafffff);
	assert_int_equal(claim(0xb00000, 0x1000, 0), 0xb00000);
	release(0xafffff, 1);
	assert_int_equal(claim(0x400000, 7, 1), 0x180000);
	assert_int_equal(claim(0x400000, 7, 1), 0x180007);
	assert_avail(R(0x18000e, 0x300001), R(0xafffff, 0xb00000), R(0xb01000, RAM));
}

static void exact_claims_adjacent_stay_separate(void **state)
{
	(void)state;
	/* prom_init extends its chunk in place with adjacent exact claims. */
	assert_int_equal(claim(0x400000, 0x100000, 0), 0x400000);
	assert_int_equal(claim(0x500000, 0x100000, 0), 0x500000);
	assert_int_equal(claim(0x300000, 0x100000, 0), 0x300000);
	assert_avail(R(HEAP_END, 0x300000), R(0x600000, RAM));
	/* They are still three claims: the middle one can go alone. */
	release(0x400000, 0x100000);
	assert_avail(R(HEAP_END, 0x300000), R(0x400000, 0x500000), R(0x600000, RAM));
}

static void exact_claim_wrap_and_4g(void **state)
{
	const uint32_t reg[4] = { 0, 0, 2, 0 };	/* 8 GiB memory@0 */

	(void)state;
	fake_tree_set_cells(FAKE_MEMORY, "reg", reg, 4);
	assert_int_equal(run_claim_init(), 0);
	/* RAM past 4 GiB cannot be named with 32-bit cells: cut there. */
	assert_avail_is((const struct rng[]){ R(HEAP_END, G4) }, 1, G4);
	assert_int_equal(claim(0xfffff000u, 0x2000, 0), FAIL);
	assert_trace("wraps past 4 GiB");
	assert_int_equal(claim(0xffffffffu, 0xffffffffu, 0), FAIL);
	assert_int_equal(claim(0xfffff000u, 0x1000, 0), 0xfffff000u);
	assert_avail_is((const struct rng[]){ R(HEAP_END, 0xfffff000u) }, 1, G4);
	/* An aligned claim never ends past 4 GiB either. */
	assert_int_equal(claim(0, 0xfff00000u, 0x1000), FAIL);
	assert_int_equal(claim(0, 0xffe7f000u, 0x1000), HEAP_END);
	assert_avail_is(NULL, 0, G4);
}

static void ram_not_at_zero(void **state)
{
	const uint32_t reg[4] = { 0, 0x1000000, 0, 0x1000000 };	/* [16, 32) MiB */

	(void)state;
	fake_tree_set_cells(FAKE_MEMORY, "reg", reg, 4);
	assert_int_equal(run_claim_init(), 0);
	assert_avail_is((const struct rng[]){ R(0x1000000, 0x2000000) }, 1, 0x2000000);
	assert_int_equal(claim(0x400000, 0x1000, 0), FAIL);
	assert_int_equal(claim(0xfff000, 0x2000, 0), FAIL);
	assert_int_equal(claim(0, 0x1000, 0x1000), 0x1000000);
}

/* ---- Aligned claims ---- */

static void aligned_claim_rounds_align_and_ignores_virt(void **state)
{
	uint32_t base;

	(void)state;
	assert_int_equal(claim(HEAP_END, 0x1001, 0), HEAP_END);
	/* 0x3000 becomes 0x4000; first fit above 0x181001 is 0x184000. */
	base = claim(0x5000000, 0x1000, 0x3000);
	assert_int_equal(base, 0x184000);
	assert_int_equal(base % 0x4000, 0);
	assert_avail(R(0x181001, 0x184000), R(0x185000, RAM));
	/* align 1: the very next byte, odd or not. */
	assert_int_equal(claim(0, 5, 1), 0x181001);
	/* A huge align: 0x80000001 rounds to 4 GiB, which only 0 satisfies. */
	assert_int_equal(claim(0, 1, 0x80000001u), FAIL);
	assert_int_equal(claim(0, 1, 0x80000000u), FAIL);	/* past 256 MiB RAM */
}

static void aligned_claim_takes_lowest_fit(void **state)
{
	(void)state;
	/* Holes: [HEAP_END, +0x1000) and [0x200000, 0x300000), then the rest. */
	assert_int_equal(claim(HEAP_END + 0x1000, 0x200000 - HEAP_END - 0x1000, 0),
			 HEAP_END + 0x1000);
	assert_int_equal(claim(0x300000, 0x100000, 0), 0x300000);
	/* Too big for the first hole: the next one. */
	assert_int_equal(claim(0, 0x2000, 0x1000), 0x200000);
	/* Fits the first hole. */
	assert_int_equal(claim(0, 0x800, 0x100), HEAP_END);
	/* Too big for the second hole's rest: above the last claim. */
	assert_int_equal(claim(0, 0x100000, 0x1000), 0x400000);
	/* Alignment skips within a hole: 0x202000 is not 64 KiB aligned. */
	assert_int_equal(claim(0, 0x1000, 0x10000), 0x210000);
	assert_avail(R(HEAP_END + 0x800, HEAP_END + 0x1000), R(0x202000, 0x210000),
		     R(0x211000, 0x300000), R(0x500000, RAM));
}

static void aligned_claim_fails_when_nothing_fits(void **state)
{
	(void)state;
	assert_int_equal(claim(0, (uint32_t)(RAM - HEAP_END + 1), 1), FAIL);
	assert_trace("no free");
	assert_int_equal(claim(0, (uint32_t)(RAM - HEAP_END), 1), HEAP_END);
	assert_avail_is(NULL, 0, RAM);
	assert_int_equal(claim(0, 1, 1), FAIL);
	/* Release half of it: the fit is there again. */
	release(0x8000000, 0x1000000);
	assert_int_equal(claim(0, 0x1000000, 0x1000000), 0x8000000);
	assert_int_equal(claim(0, 1, 1), FAIL);
}

/* ---- Release ---- */

static void release_whole_claim(void **state)
{
	(void)state;
	assert_int_equal(claim(0x400000, 0x100000, 0), 0x400000);
	release(0x400000, 0x100000);
	assert_avail(R(HEAP_END, RAM));
	assert_int_equal(claim(0x400000, 0x100000, 0), 0x400000);
}

static void release_partial_splits_a_claim(void **state)
{
	(void)state;
	assert_int_equal(claim(0x400000, 0x400000, 0), 0x400000);
	release(0x500000, 0x100000);
	assert_avail(R(HEAP_END, 0x400000), R(0x500000, 0x600000), R(0x800000, RAM));
	/* Both halves are still claimed, the middle is free. */
	assert_int_equal(claim(0x4ff000, 0x1000, 0), FAIL);
	assert_int_equal(claim(0x600000, 0x1000, 0), FAIL);
	assert_int_equal(claim(0x500000, 0x100000, 0), 0x500000);
	/* Trim the head and the tail of a claim. */
	release(0x400000, 0x10000);
	release(0x5f0000, 0x10000);
	assert_avail(R(HEAP_END, 0x410000), R(0x5f0000, 0x600000), R(0x800000, RAM));
}

static void release_spanning_several_claims(void **state)
{
	(void)state;
	assert_int_equal(claim(0x400000, 0x100000, 0), 0x400000);
	assert_int_equal(claim(0x500000, 0x100000, 0), 0x500000);
	assert_int_equal(claim(0x700000, 0x100000, 0), 0x700000);
	capture_clear();
	release(0x480000, 0x300000);
	/* [0x600000, 0x700000) in the middle was not claimed. */
	assert_trace("part of 480000+300000 was not claimed");
	assert_avail(R(HEAP_END, 0x400000), R(0x480000, 0x780000), R(0x800000, RAM));
	assert_int_equal(claim(0x47f000, 0x1000, 0), FAIL);
	assert_int_equal(claim(0x780000, 0x1000, 0), FAIL);
}

static void release_unclaimed_is_a_traced_no_op(void **state)
{
	unsigned int writes;

	(void)state;
	assert_int_equal(claim(0x400000, 0x100000, 0), 0x400000);
	writes = fake_tree_setprop_count();
	capture_clear();
	release(0x3000000, 0x1000);
	assert_trace("release: 3000000+1000 was not claimed; nothing to do");
	release(0x500000, 0x1000);		/* right after the claim */
	release(RAM, 0x1000);			/* outside RAM */
	release(0x400000, 0);			/* empty */
	assert_trace("size 0");
	assert_int_equal(fake_tree_setprop_count(), writes);
	assert_avail(R(HEAP_END, 0x400000), R(0x500000, RAM));
}

static void release_twice(void **state)
{
	(void)state;
	assert_int_equal(claim(0x400000, 0x100000, 0), 0x400000);
	release(0x400000, 0x100000);
	capture_clear();
	release(0x400000, 0x100000);
	assert_trace("was not claimed");
	assert_avail(R(HEAP_END, RAM));
	/* The table is intact: claims work as before. */
	assert_int_equal(claim(0x400000, 0x100000, 0), 0x400000);
	assert_int_equal(claim(0x400000, 0x1000, 0), FAIL);
}

static void release_of_firmware_is_refused(void **state)
{
	(void)state;
	assert_int_equal(claim(HEAP_END, 0x1000, 0), HEAP_END);
	release(0x100000, 0x1000);
	assert_trace("includes firmware memory; refused");
	release(0, (uint32_t)HEAP_END);
	release(0, 0xffffffffu);
	/* Spanning the boundary: refused as a whole, the client part too. */
	release(HEAP_END - 0x1000, 0x2000);
	assert_avail(R(HEAP_END + 0x1000, RAM));
	assert_int_equal(claim(0x100000, 0x1000, 0), FAIL);
	assert_int_equal(claim(HEAP_END, 0x1000, 0), FAIL);
	/* Wrapping ranges are refused too. */
	capture_clear();
	release(0xfffff000u, 0x2000);
	assert_trace("wraps past 4 GiB; refused");
}

/* ---- "available" with more than 32 holes ---- */

static void available_keeps_32_largest_holes(void **state)
{
	struct rng all[64], got[32], exp[32];
	uint64_t pos = HEAP_END;
	unsigned int i, j, n = 0, k;

	(void)state;
	/*
	 * 40 one-page claims with holes of sizes (i % 13 + 1) pages before
	 * each: 41 holes with many ties.  The last one (to RAM's end) is the
	 * biggest.
	 */
	for (i = 0; i < 40; i++) {
		uint64_t hole = (uint64_t)(i % 13 + 1) << 12;

		all[n].base = pos;
		all[n++].size = hole;
		pos += hole;
		assert_int_equal(claim((uint32_t)pos, 0x1000, 0), pos);
		pos += 0x1000;
	}
	all[n].base = pos;
	all[n++].size = RAM - pos;

	/* Expected: by size, larger first; equal sizes, lower address first. */
	for (k = 0; k < 32; k++) {
		unsigned int best = n;

		for (j = 0; j < n; j++) {
			if (!all[j].size)
				continue;
			if (best == n || all[j].size > all[best].size ||
			    (all[j].size == all[best].size && all[j].base < all[best].base))
				best = j;
		}
		exp[k] = all[best];
		all[best].size = 0;
	}
	/* ... then in address order. */
	for (i = 1; i < 32; i++)
		for (j = i; j > 0 && exp[j - 1].base > exp[j].base; j--) {
			struct rng t = exp[j];

			exp[j] = exp[j - 1];
			exp[j - 1] = t;
		}
	assert_int_equal(avail_checked(got, RAM), 32);
	for (i = 0; i < 32; i++) {
		assert_int_equal(got[i].base, exp[i].base);
		assert_int_equal(got[i].size, exp[i].size);
	}
	/* The 41st hole (RAM's tail) is there; a one-page hole is not. */
	assert_int_equal(got[31].base + got[31].size, RAM);
	for (i = 0; i < 32; i++)
		assert_true(got[i].size >= 0x2000 || got[i].base >= pos);
	/* Hidden holes are still free for exact claims. */
	assert_int_equal(claim(HEAP_END, 0x1000, 0), HEAP_END);
}

/* ---- A full table ---- */

/* Fill the table: the firmware's entry plus 63 one-page claims 2 pages apart. */
static void fill_table(void)
{
	unsigned int i;

	for (i = 0; i < 63; i++)
		assert_int_equal(claim(0x400000 + i * 0x2000, 0x1000, 0),
				 0x400000 + i * 0x2000);
}

static void table_full_claim_fails_cleanly(void **state)
{
	struct rng before[32], after[32];
	unsigned int nb, na, writes;

	(void)state;
	fill_table();
	nb = avail_checked(before, RAM);
	writes = fake_tree_setprop_count();
	capture_clear();
	assert_int_equal(claim(0x1000000, 0x1000, 0), FAIL);
	assert_trace("table full (64 claims)");
	assert_int_equal(claim(0, 0x1000, 0x1000), FAIL);
	assert_int_equal(map_claim(0x1000000, 0x1000, 0), CI_ERR);
	na = avail_checked(after, RAM);
	assert_int_equal(na, nb);
	assert_memory_equal(after, before, nb * sizeof(before[0]));
	assert_int_equal(fake_tree_setprop_count(), writes);
	/* Giving one back makes room. */
	release(0x400000, 0x1000);
	assert_int_equal(claim(0x1000000, 0x1000, 0), 0x1000000);
}

/* Is [base, base+size) exactly one range of "available"? */
static bool avail_has(uint64_t base, uint64_t size)
{
	struct rng r[32];
	unsigned int i, n = avail_checked(r, RAM);

	for (i = 0; i < n; i++)
		if (r[i].base == base && r[i].size == size)
			return true;
	return false;
}

static void table_full_split_release_is_refused(void **state)
{
	(void)state;
	fill_table();
	capture_clear();
	/* Splitting the claim at 0x402000 would need a 65th entry. */
	release(0x402400, 0x100);
	assert_trace("table full, refused");
	assert_false(avail_has(0x402400, 0x100));
	capture_clear();
	assert_int_equal(claim(0x402400, 0x100, 0), FAIL);
	assert_trace("overlaps the claim [402000, 403000)");
	/* Trimming needs no new entry: it joins the hole below. */
	release(0x402000, 0x100);
	assert_true(avail_has(0x401000, 0x1100));
	/* Free, but claiming it back needs an entry the table lacks. */
	capture_clear();
	assert_int_equal(claim(0x402000, 0x100, 0), FAIL);
	assert_trace("table full");
	/* A whole release frees an entry; then a split works. */
	release(0x404000, 0x1000);
	assert_true(avail_has(0x403000, 0x3000));
	release(0x406400, 0x100);
	/* 64 holes: the 256-byte one is not among the 32 largest published. */
	assert_false(avail_has(0x406400, 0x100));
	assert_int_equal(claim(0x406300, 0x100, 0), FAIL);
	assert_int_equal(claim(0x406500, 0x100, 0), FAIL);
	release(0x408000, 0x1000);
	assert_int_equal(claim(0x406400, 0x100, 0), 0x406400);
}

/* The claim service's answer for a firmware-internal claim: the base or -1. */
static uint32_t map_claim(uint32_t addr, uint32_t size, uint32_t align)
{
	uint32_t base = 0x5a5a5a5a;

	if (claim_map_claim(addr, size, align, &base)) {
		assert_int_equal(base, 0x5a5a5a5a);	/* untouched on failure */
		return CI_ERR;
	}
	return base;
}

/* ---- Tree failures, claim_map_claim, the service table ---- */

static void available_write_failure_undoes_the_change(void **state)
{
	(void)state;
	assert_int_equal(claim(0x400000, 0x100000, 0), 0x400000);
	fake_tree_fail_setprops(1);
	assert_int_equal(claim(0x600000, 0x1000, 0), FAIL);
	assert_trace("change undone");
	assert_int_equal(claim(0x600000, 0x1000, 0), 0x600000);	/* was not kept */
	fake_tree_fail_setprops(1);
	release(0x400000, 0x100000);
	assert_int_equal(claim(0x400000, 0x1000, 0), FAIL);		/* still claimed */
	assert_avail(R(HEAP_END, 0x400000), R(0x500000, 0x600000), R(0x601000, RAM));
}

static void claim_map_has_the_service_semantics(void **state)
{
	(void)state;
	assert_int_equal(map_claim(0x400000, 0x1000, 0), 0x400000);
	assert_int_equal(map_claim(0x400000, 0x1000, 0), CI_ERR);
	assert_int_equal(map_claim(0x1234, 0x1000, 0x1000), HEAP_END);
	assert_int_equal(map_claim(0x500000, 0, 0), CI_ERR);
	assert_avail(R(HEAP_END + 0x1000, 0x400000), R(0x401000, RAM));
	/* The client sees the firmware's claims. */
	assert_int_equal(claim(HEAP_END, 0x1000, 0), FAIL);
}

static void services_are_registered_with_their_counts(void **state)
{
	const struct ci_service *s;

	(void)state;
	s = ci_find_service("claim");
	assert_non_null(s);
	assert_int_equal(s->nargs, 3);
	assert_int_equal(s->nret, 1);
	s = ci_find_service("release");
	assert_non_null(s);
	assert_int_equal(s->nargs, 2);
	assert_int_equal(s->nret, 0);
	assert_int_equal(ci_callv("claim", 2, 1, 0x400000, 0x1000), -1);
	assert_int_equal(ci_callv("release", 2, 1, 0x400000, 0x1000), -1);
	assert_avail(R(HEAP_END, RAM));
}

/* ---- Against a byte-map model ---- */

#define UNIT		0x100u
#define MODEL_UNITS	2048u
#define MODEL_END	(HEAP_END + (uint64_t)MODEL_UNITS * UNIT)

static uint8_t used[MODEL_UNITS];
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)(rnd_state % n);
}

static bool model_free(uint64_t base, uint64_t size)
{
	uint64_t u;

	for (u = (base - HEAP_END) / UNIT; u < (base + size - HEAP_END) / UNIT; u++)
		if (used[u])
			return false;
	return true;
}

static void model_set(uint64_t base, uint64_t size, uint8_t v)
{
	uint64_t u;

	for (u = (base - HEAP_END) / UNIT; u < (base + size - HEAP_END) / UNIT; u++)
		used[u] = v;
}

/* The model's holes, reduced to the 32 largest (ties: lower address). */
static unsigned int model_avail(struct rng *r)
{
	static struct rng all[MODEL_UNITS];
	bool keep[MODEL_UNITS];
	unsigned int i, j, n = 0, k = 0, out = 0;

	for (i = 0; i < MODEL_UNITS; i++) {
		if (used[i])
			continue;
		if (i && !used[i - 1]) {
			all[n - 1].size += UNIT;
			continue;
		}
		all[n].base = HEAP_END + (uint64_t)i * UNIT;
		all[n++].size = UNIT;
	}
	for (i = 0; i < n; i++) {
		/* Kept when fewer than 32 holes beat it. */
		unsigned int better = 0;

		for (j = 0; j < n; j++)
			better += all[j].size > all[i].size ||
				  (all[j].size == all[i].size && all[j].base < all[i].base);
		keep[i] = better < 32;
		k += keep[i];
	}
	assert_true(k <= 32);
	for (i = 0; i < n; i++)
		if (keep[i])
			r[out++] = all[i];
	return out;
}

static void random_operations_match_a_model(void **state)
{
	const uint32_t reg[4] = { 0, 0, 0, (uint32_t)MODEL_END };
	unsigned int op, full = 0, many = 0, splits_refused = 0, aligned = 0;

	(void)state;
	fake_tree_set_cells(FAKE_MEMORY, "reg", reg, 4);
	assert_int_equal(run_claim_init(), 0);
	memset(used, 0, sizeof(used));

	for (op = 0; op < 4000; op++) {
		struct rng got[32], exp[32];
		unsigned int n, m, kind = rnd(10);
		uint64_t base = HEAP_END + (uint64_t)rnd(MODEL_UNITS) * UNIT;
		uint64_t size = (uint64_t)(rnd(24) + 1) * UNIT;

		if (base + size > MODEL_END)
			size = MODEL_END - base;
		capture_clear();
		if (kind < 4) {
			uint32_t r = claim((uint32_t)base, (uint32_t)size, 0);

			if (r != FAIL) {
				assert_int_equal(r, base);
				assert_true(model_free(base, size));
				model_set(base, size, 1);
			} else if (model_free(base, size)) {
				assert_trace("table full");
				full++;
			}
		} else if (kind < 6) {
			uint32_t align = rnd(0x4000) + 1, a = 1, r;
			uint64_t want;

			while (a < align)
				a <<= 1;
			/* The lowest aligned fit, from the model. */
			for (want = ALIGN_UP(HEAP_END, (uint64_t)MAX(a, UNIT));
			     want + size <= MODEL_END && !model_free(want, size);
			     want += MAX(a, UNIT))
				;
			r = claim(0xdeadbe00u, (uint32_t)size, align);
			if (r != FAIL) {
				assert_int_equal(r, want);
				model_set(r, size, 1);
				aligned++;
			} else if (want + size <= MODEL_END) {
				assert_trace("table full");
				full++;
			}
		} else {
			release((uint32_t)base, (uint32_t)size);
			if (strstr(capture_out, "table full, refused"))
				splits_refused++;
			else
				model_set(base, size, 0);
		}
		n = avail_checked(got, MODEL_END);
		m = model_avail(exp);
		many += m == 32;
		assert_int_equal(n, m);
		assert_memory_equal(got, exp, n * sizeof(got[0]));
	}
	/* The run went through the interesting states. */
	assert_true(full > 0);
	assert_true(many > 0);
	assert_true(splits_refused > 0);
	assert_true(aligned > 100);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(init_publishes_ram_minus_firmware),
		T(init_preclaims_memreserve_entries),
		T(init_clips_memreserve_to_ram_and_merges_overlaps),
		T(init_one_cell_root),
		T(init_uses_ieee1275_default_cell_counts),
		T(init_failure_leaves_claims_failing),
		T(exact_claim_succeeds_and_updates_available),
		T(exact_claim_overlap_fails),
		T(exact_claim_partial_overlap_fails),
		T(exact_claim_over_firmware_fails),
		T(exact_claim_outside_ram_fails),
		T(exact_claim_size_zero_fails),
		T(exact_claim_odd_sizes),
		T(exact_claims_adjacent_stay_separate),
		T(exact_claim_wrap_and_4g),
		T(ram_not_at_zero),
		T(aligned_claim_rounds_align_and_ignores_virt),
		T(aligned_claim_takes_lowest_fit),
		T(aligned_claim_fails_when_nothing_fits),
		T(release_whole_claim),
		T(release_partial_splits_a_claim),
		T(release_spanning_several_claims),
		T(release_unclaimed_is_a_traced_no_op),
		T(release_twice),
		T(release_of_firmware_is_refused),
		T(available_keeps_32_largest_holes),
		T(table_full_claim_fails_cleanly),
		T(table_full_split_release_is_refused),
		T(available_write_failure_undoes_the_change),
		T(claim_map_has_the_service_semantics),
		T(services_are_registered_with_their_counts),
		T(random_operations_match_a_model),
	};

	harness_init();
	return cmocka_run_group_tests_name("claim", tests, NULL, NULL);
}
