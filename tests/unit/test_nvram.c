/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the nvram driver: CHRP checksums, layout check and plan, init over a fake spapr-nvram. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <arch/hcall.h>
#include <vofkit/lib/console.h>
#include "capture.h"
#include <vofkit/drivers/nvram.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/util.h>
#include "harness.h"

/* ---- A fake spapr-nvram behind RTAS, as QEMU 7.2 implements it ---- */

#define NV_MAX		(2u << 20)
#define TOKEN_FETCH	0x2012u
#define TOKEN_STORE	0x2013u
#define PH_RTAS		1u
#define PH_NVRAM	2u

#define RTAS_OK		0
#define RTAS_HW_ERROR	(-1)
#define RTAS_PARAM	(-3)

static struct {
	uint8_t img[NV_MAX];
	uint32_t size;			/* "#bytes" */
	bool no_node, no_bytes, bytes_8, no_tokens;
	unsigned int fetches, stores;
	uint32_t first_store, last_store;
	uint64_t stored_bytes;
	int64_t fail_fetch_at, fail_store_at;	/* offset, or -1 */
} nv;


uint32_t tree_find(const char *path, const char **args)
{
	if (!strcmp(path, "/rtas"))
		return PH_RTAS;
	if (!strcmp(path, "/vdevice/nvram") && !nv.no_node)
		return PH_NVRAM;
	return TREE_NO_NODE;
}

static int prop_u32(uint32_t v, void *buf, size_t len)
{
	memcpy(buf, &v, MIN(len, (size_t)4));
	return 4;
}

int tree_read_prop(uint32_t ph, const char *name, void *buf, size_t len)
{
	if (ph == PH_RTAS && !nv.no_tokens && !strcmp(name, "nvram-fetch"))
		return prop_u32(TOKEN_FETCH, buf, len);
	if (ph == PH_RTAS && !nv.no_tokens && !strcmp(name, "nvram-store"))
		return prop_u32(TOKEN_STORE, buf, len);
	if (ph == PH_NVRAM && !nv.no_bytes && !strcmp(name, "#bytes")) {
		if (nv.bytes_8) {
			uint64_t v = nv.size;

			memcpy(buf, &v, MIN(len, (size_t)8));
			return 8;
		}
		return prop_u32(nv.size, buf, len);
	}
	return -1;
}

/* rtas_nvram_fetch/store: 3 arguments, 2 returns, bounds-checked. */
static void fake_nvram_rtas(uint32_t *blk)
{
	uint32_t token = blk[0], nargs = blk[1], nret = blk[2];
	uint32_t off, addr, len, *rets = blk + 3 + nargs;
	bool store = token == TOKEN_STORE;
	uint8_t *p;

	if (nargs != 3 || nret != 2) {
		rets[0] = (uint32_t)RTAS_PARAM;
		return;
	}
	off = blk[3];
	addr = blk[4];
	len = blk[5];
	rets[1] = 0;
	if (off + len < off || off + len > nv.size) {
		rets[0] = (uint32_t)RTAS_PARAM;
		return;
	}
	if ((store ? nv.fail_store_at : nv.fail_fetch_at) == (int64_t)off) {
		rets[0] = (uint32_t)RTAS_HW_ERROR;
		return;
	}
	/* The buffer is on the firmware's stack: a truncated real address. */
	p = guest_ptr(addr, len, GP_BUFFER);
	assert_non_null(p);
	if (store) {
		memcpy(nv.img + off, p, len);
		if (!nv.stores++)
			nv.first_store = off;
		nv.last_store = off;
		nv.stored_bytes += len;
	} else {
		memcpy(p, nv.img + off, len);
		nv.fetches++;
	}
	rets[0] = RTAS_OK;
	rets[1] = len;
}

int64_t hcall(uint64_t opcode, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
	      uint64_t hout[4])
{
	uint32_t *blk;

	if (opcode != KVMPPC_H_RTAS)
		return H_FUNCTION;
	blk = phys_to_virt(a0);
	if (blk[0] == TOKEN_FETCH || blk[0] == TOKEN_STORE)
		fake_nvram_rtas(blk);
	return H_SUCCESS;
}

static int run_nvram_init(void)
{
	const struct fw_init_entry *e;

	for (e = VK_TABLE_BEGIN(fw_init); e < VK_TABLE_END(fw_init); e++)
		if (!strcmp(e->name, "NVRAM"))
			return e->fn();
	fail_msg("nvram_init is not in the init table");
	return -1;
}

static void nv_counts_clear(void)
{
	nv.fetches = nv.stores = 0;
	nv.stored_bytes = 0;
	capture_clear();
}

static int setup(void **state)
{
	(void)state;
	ram_reset();
	memset(&nv, 0, sizeof(nv));
	nv.size = 64u << 10;
	nv.fail_fetch_at = nv.fail_store_at = -1;
	nv_counts_clear();
	fw_console_register(&capture_console);
	return 0;
}

/* ---- Helpers over an image in memory ---- */

struct mem_nv {
	const uint8_t *p;
	uint32_t size;
};

static int mem_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	const struct mem_nv *m = ctx;

	if (off + len > m->size)
		return -1;
	memcpy(buf, m->p + off, len);
	return 0;
}

static int check_image(const uint8_t *img, uint32_t size, struct nvram_check *c)
{
	struct mem_nv m = { img, size };

	return nvram_check(size, mem_read, &m, c);
}

/* Render the fresh layout for `size` into img. */
static struct nvram_layout format_image(uint8_t *img, uint32_t size)
{
	struct nvram_layout l;

	assert_int_equal(nvram_layout_plan(size, &l), 0);
	memset(img, 0xee, size);
	nvram_layout_render(&l, 0, img, l.size);
	return l;
}

/* Write a header at off with a given checksum kind (as another writer would). */
static void put_hdr(uint8_t *img, uint32_t off, uint8_t sig, uint16_t blocks,
		    const char *name, size_t name_len, enum nvram_cksum_kind kind)
{
	uint8_t *h = img + off;

	memset(h, 0, NVRAM_BLOCK);
	h[0] = sig;
	h[2] = (uint8_t)(blocks >> 8);
	h[3] = (uint8_t)blocks;
	memcpy(h + 4, name, name_len);
	h[1] = nvram_checksum(h, kind);
}

/*
 * What a ppc64el Linux does at boot with a free partition: the new
 * partition takes the front of the first free one big enough, the free
 * header moves behind it.  Returns false when there was no room (-ENOSPC).
 */
static bool linux_create(uint8_t *img, uint32_t size, const char *name, uint32_t req_bytes)
{
	uint32_t want = ALIGN_UP(req_bytes, NVRAM_BLOCK) / NVRAM_BLOCK + 1, off = 0;

	while (off + NVRAM_BLOCK <= size) {
		uint8_t *h = img + off;
		uint32_t blocks = nvram_header_blocks(h);

		if (h[1] != nvram_checksum(h, NVRAM_CKSUM_LINUX_LE) || !blocks)
			return false;
		if (h[0] == NVRAM_SIG_FREE && blocks >= want) {
			if (blocks > want)
				put_hdr(img, off + want * NVRAM_BLOCK, NVRAM_SIG_FREE,
					(uint16_t)(blocks - want), "wwwwwwwwwwww", 12,
					NVRAM_CKSUM_LINUX_LE);
			put_hdr(img, off, NVRAM_SIG_OS, (uint16_t)want, name, strlen(name),
				NVRAM_CKSUM_LINUX_LE);
			memset(img + off + NVRAM_BLOCK, 0, (want - 1) * NVRAM_BLOCK);
			return true;
		}
		off += blocks * NVRAM_BLOCK;
	}
	return false;
}

static uint8_t img[NV_MAX], img2[NV_MAX];

/* ---- Checksums ---- */

static void checksum_of_hand_built_headers(void **state)
{
	/*
	 * "common", 0x100 blocks: 0x70 + 0x01 + 0x00 + 'c'+'o'+'m'+'m'+'o'+'n'
	 * = 0x2fa, folded 0xfa + 0x02 = 0xfc.  Free space, 0xf00 blocks:
	 * 0x7f + 0x0f + 12 * 0x77 = 0x622, folded 0x22 + 0x06 = 0x28.
	 */
	static const uint8_t common[16] = { 0x70, 0, 0x01, 0x00, 'c', 'o', 'm', 'm', 'o', 'n' };
	static const uint8_t free_hdr[16] = { 0x7f, 0, 0x0f, 0x00, 'w', 'w', 'w', 'w', 'w', 'w',
					      'w', 'w', 'w', 'w', 'w', 'w' };
	unsigned int k;

	(void)state;
	for (k = 0; k < NVRAM_CKSUM_KINDS; k++) {
		assert_int_equal(nvram_checksum(common, (enum nvram_cksum_kind)k), 0xfc);
		assert_int_equal(nvram_checksum(free_hdr, (enum nvram_cksum_kind)k), 0x28);
	}
	/* The checksum byte itself is not summed. */
	{
		uint8_t h[16];

		memcpy(h, common, 16);
		h[1] = 0x5a;
		assert_int_equal(nvram_checksum(h, NVRAM_CKSUM_LINUX_BE), 0xfc);
		assert_false(nvram_header_checksum_ok(h));
		h[1] = 0xfc;
		assert_true(nvram_header_checksum_ok(h));
	}
}

static void checksum_kinds_differ_where_linux_loses_a_carry(void **state)
{
	/*
	 * Big-endian words: 0x7f + 0x0080 + 0xfffe + 0xff7f + 0x0001 + 0x0001
	 * + 0x7f00 + 0x8080 = 0x2fffe; Linux folds 0xfffe + 2 = 0x10000 into
	 * 16 bits and keeps 0, where the byte-by-byte CHRP sum gets 1.
	 */
	static const uint8_t h[16] = { 0x7f, 0x00, 0x00, 0x80, 0xff, 0xfe, 0xff, 0x7f,
				       0x00, 0x01, 0x00, 0x01, 0x7f, 0x00, 0x80, 0x80 };
	/* A free header of 0x32b5 blocks: 0x7f + 0x32b5 + 6 * 0x7777 = 0x2fffe too. */
	uint8_t f[16];

	(void)state;
	assert_int_equal(nvram_checksum(h, NVRAM_CKSUM_LINUX_BE), 0x00);
	assert_int_equal(nvram_checksum(h, NVRAM_CKSUM_LINUX_LE), 0x01);
	assert_int_equal(nvram_checksum(h, NVRAM_CKSUM_CHRP), 0x01);
	assert_int_equal(nvram_checksum(h, NVRAM_CKSUM_SLOF), 0x00);

	nvram_header_make(f, NVRAM_SIG_FREE, 0x32b5, "wwwwwwwwwwww");
	assert_int_equal(f[1], 0x00);			/* what Linux verifies */
	assert_int_equal(nvram_checksum(f, NVRAM_CKSUM_LINUX_LE), 0x00);
	assert_int_equal(nvram_checksum(f, NVRAM_CKSUM_CHRP), 0x01);
	/* Either value is accepted: someone may have written it that way. */
	assert_true(nvram_header_checksum_ok(f));
	f[1] = 0x01;
	assert_true(nvram_header_checksum_ok(f));
	f[1] = 0x02;
	assert_false(nvram_header_checksum_ok(f));
}

static void header_make_lays_out_the_fields(void **state)
{
	static const uint8_t want_common[16] = { 0x70, 0xfc, 0x01, 0x00, 'c', 'o', 'm', 'm',
						 'o', 'n', 0, 0, 0, 0, 0, 0 };
	uint8_t h[16];

	(void)state;
	nvram_header_make(h, NVRAM_SIG_SYSTEM, 0x100, "common");
	assert_memory_equal(h, want_common, 16);
	assert_int_equal(nvram_header_blocks(h), 0x100);

	/* A 12-byte name fills the field with no terminator; longer is cut. */
	nvram_header_make(h, NVRAM_SIG_OS, 0x1234, "ibm,rtas-log-and-more");
	assert_int_equal(h[2], 0x12);
	assert_int_equal(h[3], 0x34);
	assert_memory_equal(h + 4, "ibm,rtas-log", 12);
	assert_int_equal(nvram_header_blocks(h), 0x1234);
	assert_true(nvram_header_checksum_ok(h));
}

/* ---- The layout check ---- */

static void check_rejects_blank_images(void **state)
{
	struct nvram_check c;

	(void)state;
	/* All zeros: the checksum of a zero header is 0, but its length is 0. */
	memset(img, 0, 64u << 10);
	assert_int_equal(check_image(img, 64u << 10, &c), -NVRAM_FAULT_EMPTY);
	assert_int_equal(c.fault_offset, 0);
	assert_int_equal(c.partitions, 0);

	/*
	 * All 0xff: fifteen 0xff bytes sum to 0xff, so the checksum passes;
	 * 0xffff blocks run past 64 KiB.  In 1 MiB the first one fits and the
	 * second (at 0xffff0) runs past the end.
	 */
	memset(img, 0xff, 1u << 20);
	assert_int_equal(check_image(img, 64u << 10, &c), -NVRAM_FAULT_OVERRUN);
	assert_int_equal(c.fault_offset, 0);
	assert_int_equal(check_image(img, 1u << 20, &c), -NVRAM_FAULT_OVERRUN);
	assert_int_equal(c.fault_offset, 0xffff0);
	assert_int_equal(c.partitions, 1);

	/* Smaller than one header. */
	assert_int_equal(check_image(img, 15, &c), -NVRAM_FAULT_SIZE);
}

static void check_rejects_bad_checksum(void **state)
{
	struct nvram_check c;

	(void)state;
	format_image(img, 64u << 10);
	img[0x1000 + 6] ^= 0x01;		/* a name byte of the free header */
	assert_int_equal(check_image(img, 64u << 10, &c), -NVRAM_FAULT_CHECKSUM);
	assert_int_equal(c.fault_offset, 0x1000);
	assert_int_equal(c.partitions, 1);
	assert_string_equal(nvram_fault_text(c.fault), "bad header checksum");
}

static void check_rejects_truncated_chain(void **state)
{
	struct nvram_check c;

	(void)state;
	/* "common" alone, nothing after it. */
	memset(img, 0, 64u << 10);
	nvram_header_make(img, NVRAM_SIG_SYSTEM, 0x100, "common");
	assert_int_equal(check_image(img, 64u << 10, &c), -NVRAM_FAULT_EMPTY);
	assert_int_equal(c.fault_offset, 0x1000);

	/* The free partition one block short: the last block is no header. */
	format_image(img, 64u << 10);
	nvram_header_make(img + 0x1000, NVRAM_SIG_FREE, 0xeff, "wwwwwwwwwwww");
	assert_int_equal(check_image(img, 64u << 10, &c), -NVRAM_FAULT_EMPTY);
	assert_int_equal(c.fault_offset, 0xfff0);
	assert_int_equal(c.partitions, 2);
}

static void check_rejects_overrun(void **state)
{
	struct nvram_check c;

	(void)state;
	format_image(img, 64u << 10);
	nvram_header_make(img + 0x1000, NVRAM_SIG_FREE, 0xf01, "wwwwwwwwwwww");
	assert_int_equal(check_image(img, 64u << 10, &c), -NVRAM_FAULT_OVERRUN);
	assert_int_equal(c.fault_offset, 0x1000);
	/* The same image is fine once the NVRAM is a block larger. */
	memset(img + (64u << 10), 0, 16);
	assert_int_equal(check_image(img, (64u << 10) + 16, &c), 0);
}

static void check_accepts_fresh_layouts(void **state)
{
	static const uint32_t sizes[] = {
		512, 8u << 10, 64u << 10, 10008, 211792, 1u << 20, 2u << 20,
	};
	struct nvram_check c;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct nvram_layout l = format_image(img, sizes[i]);

		assert_int_equal(check_image(img, sizes[i], &c), 0);
		assert_int_equal(c.partitions, nvram_layout_partitions(&l));
		assert_int_equal(c.fault, NVRAM_FAULT_NONE);
	}
}

static void check_accepts_what_linux_and_slof_made(void **state)
{
	struct nvram_check c;

	(void)state;
	/* Linux carved both of its partitions out of our free space. */
	format_image(img, 64u << 10);
	assert_true(linux_create(img, 64u << 10, "ibm,rtas-log", 2079));
	assert_true(linux_create(img, 64u << 10, "lnx,oops-log", 4000));
	assert_int_equal(check_image(img, 64u << 10, &c), 0);
	assert_int_equal(c.partitions, 4);

	/* SLOF's own layout (as QEMU 7.2's SLOF writes it on a blank NVRAM). */
	memset(img, 0, 64u << 10);
	put_hdr(img, 0x0000, 0x51, 0x200, "ibm,CPU0log", 11, NVRAM_CKSUM_SLOF);
	put_hdr(img, 0x2000, 0x51, 0x080, "ibm,CPU1log", 11, NVRAM_CKSUM_SLOF);
	put_hdr(img, 0x2800, 0x70, 0x100, "common", 6, NVRAM_CKSUM_SLOF);
	put_hdr(img, 0x3800, 0x7f, 0xc80, "free space", 10, NVRAM_CKSUM_SLOF);
	assert_int_equal(img[1], 0x15);		/* the bytes SLOF wrote */
	assert_int_equal(img[0x2001], 0x94);
	assert_int_equal(img[0x3801], 0xdd);
	assert_int_equal(check_image(img, 64u << 10, &c), 0);
	assert_int_equal(c.partitions, 4);
}

static void check_takes_a_very_long_chain_as_formatted(void **state)
{
	struct nvram_check c;
	uint32_t i;

	(void)state;
	/* 4096 one-block partitions, then zeros that are never looked at. */
	memset(img, 0, 1u << 20);
	for (i = 0; i < NVRAM_CHECK_MAX_PARTITIONS; i++)
		nvram_header_make(img + i * NVRAM_BLOCK, 0x51, 1, "x");
	assert_int_equal(check_image(img, 1u << 20, &c), 0);
	assert_int_equal(c.partitions, NVRAM_CHECK_MAX_PARTITIONS);
}

/* ---- The fresh layout ---- */

static void layout_leaves_linux_its_room(void **state)
{
	struct nvram_layout l;
	uint8_t *h;

	(void)state;
	/* 64 KiB: "common" 4 KiB as SLOF, the rest free. */
	assert_int_equal(nvram_layout_plan(64u << 10, &l), 0);
	assert_int_equal(l.common_blocks, 256);
	assert_int_equal(nvram_layout_free_bytes(&l), 60u << 10);
	assert_int_equal(nvram_layout_partitions(&l), 2);

	/* 8 KiB (QEMU's minimum): "common" shrinks so both Linux partitions fit whole. */
	assert_int_equal(nvram_layout_plan(8u << 10, &l), 0);
	assert_int_equal(nvram_layout_free_bytes(&l), (131 + 251) * 16);
	format_image(img, 8u << 10);
	assert_true(linux_create(img, 8u << 10, "ibm,rtas-log", 2079));
	assert_true(linux_create(img, 8u << 10, "lnx,oops-log", 4000));

	/* 2 MiB: free space in partitions of at most 0xffff blocks. */
	assert_int_equal(nvram_layout_plan(2u << 20, &l), 0);
	assert_int_equal(nvram_layout_partitions(&l), 3);
	format_image(img, 2u << 20);
	h = img + 0x1000;
	assert_int_equal(nvram_header_blocks(h), 0xffff);
	assert_int_equal(nvram_header_blocks(h + 0xffff * 16), 131072 - 256 - 0xffff);

	/* A trailing part block is left out; too small is refused. */
	assert_int_equal(nvram_layout_plan(10008, &l), 0);
	assert_int_equal(l.size, 10000);
	assert_int_equal(nvram_layout_plan(NVRAM_FORMAT_MIN - 1, &l), -1);
}

static void layout_dodges_disputed_checksums(void **state)
{
	struct nvram_layout l;
	uint8_t *h;
	unsigned int k;

	(void)state;
	/* 211792 bytes would leave 0x32b5 free blocks, whose checksum readers dispute. */
	assert_int_equal(nvram_layout_plan(211792, &l), 0);
	assert_int_equal(l.common_blocks, 257);
	format_image(img, 211792);
	h = img + 257 * 16;
	assert_int_equal(nvram_header_blocks(h), 12980);
	for (k = 0; k < NVRAM_CKSUM_KINDS; k++)
		assert_int_equal(nvram_checksum(h, (enum nvram_cksum_kind)k), h[1]);
}

static void layout_renders_the_same_in_pieces(void **state)
{
	static const uint32_t windows[] = { 1, 7, 16, 100, 256, 4096 };
	struct nvram_layout l;
	size_t i;

	(void)state;
	l = format_image(img, 2u << 20);
	for (i = 0; i < ARRAY_SIZE(windows); i++) {
		uint32_t off, w = windows[i];

		memset(img2, 0xee, l.size);
		for (off = 0; off < l.size; off += w)
			nvram_layout_render(&l, off, img2 + off, MIN(w, l.size - off));
		assert_memory_equal(img, img2, l.size);
	}
	/* Everything but the headers is zero. */
	for (i = 16; i < 0x1000; i++)
		assert_int_equal(img[i], 0);
}

/* ---- init over RTAS ---- */

static void init_is_a_driver_level_hook(void **state)
{
	const struct fw_init_entry *e;
	unsigned int n = 0;

	(void)state;
	for (e = VK_TABLE_BEGIN(fw_init); e < VK_TABLE_END(fw_init); e++)
		if (!strcmp(e->name, "NVRAM")) {
			assert_int_equal(e->level, FW_INIT_DRIVER);
			n++;
		}
	assert_int_equal(n, 1);
}

static void init_formats_a_blank_nvram_once(void **state)
{
	(void)state;
	memset(nv.img, 0, nv.size);
	assert_int_equal(run_nvram_init(), 0);
	assert_string_equal(capture_out, "vofkit: nvram: blank (never formatted); formatted 64 KiB "
			    "(common 4096 + free space 61440 bytes)\n");
	format_image(img, nv.size);
	assert_memory_equal(nv.img, img, nv.size);
	assert_int_equal(nv.stored_bytes, nv.size);
	/* The first chunk, with the first header, is written last. */
	assert_int_not_equal(nv.first_store, 0);
	assert_int_equal(nv.last_store, 0);

	/* Second boot: nothing is written. */
	nv_counts_clear();
	assert_int_equal(run_nvram_init(), 0);
	assert_int_equal(nv.stores, 0);
	assert_int_equal(nv.fetches, 2);		/* one per header */
	assert_string_equal(capture_out, "vofkit: nvram: 2 partitions in 64 KiB, keeping them\n");
}

static void init_formats_an_erased_file(void **state)
{
	(void)state;
	nv.size = 1u << 20;
	memset(nv.img, 0xff, nv.size);
	assert_int_equal(run_nvram_init(), 0);
	assert_string_equal(capture_out, "vofkit: nvram: partition past the end at 0xffff0; formatted "
			    "1024 KiB (common 4096 + free space 1044480 bytes)\n");
	assert_int_equal(nv.stores, (1u << 20) / 256);
	assert_int_equal(check_image(nv.img, nv.size, NULL), 0);
}

static void init_keeps_what_linux_added(void **state)
{
	(void)state;
	format_image(nv.img, nv.size);
	assert_true(linux_create(nv.img, nv.size, "ibm,rtas-log", 2079));
	assert_true(linux_create(nv.img, nv.size, "lnx,oops-log", 4000));
	nv.img[0x1010] = 0x42;			/* and logged something */
	memcpy(img, nv.img, nv.size);
	assert_int_equal(run_nvram_init(), 0);
	assert_int_equal(nv.stores, 0);
	assert_memory_equal(nv.img, img, nv.size);
	assert_string_equal(capture_out, "vofkit: nvram: 4 partitions in 64 KiB, keeping them\n");
}

static void init_odd_sizes_stay_in_bounds(void **state)
{
	(void)state;
	nv.size = 10008;
	memset(nv.img, 0x5a, nv.size);
	assert_int_equal(run_nvram_init(), 0);
	assert_non_null(strstr(capture_out, "formatted 9 KiB (common 3888 + free space 6112 bytes)"));
	/* The last 8 bytes belong to no partition and are left as they were. */
	assert_int_equal(nv.stored_bytes, 10000);
	assert_int_equal(nv.img[10000], 0x5a);
	nv_counts_clear();
	assert_int_equal(run_nvram_init(), 0);
	assert_int_equal(nv.stores, 0);
}

static void init_without_an_nvram_does_nothing(void **state)
{
	(void)state;
	memset(nv.img, 0, nv.size);
	nv.no_node = true;
	assert_int_equal(run_nvram_init(), 0);
	nv.no_node = false;
	nv.no_bytes = true;
	assert_int_equal(run_nvram_init(), 0);
	nv.no_bytes = false;
	nv.bytes_8 = true;			/* "#bytes" must be one cell */
	assert_int_equal(run_nvram_init(), 0);
	assert_int_equal(nv.fetches + nv.stores, 0);
	assert_string_equal(capture_out, "");
}

static void init_never_writes_what_it_could_not_read(void **state)
{
	(void)state;
	/* A formatted layout whose second header cannot be read. */
	format_image(nv.img, nv.size);
	nv.fail_fetch_at = 0x1000;
	assert_int_equal(run_nvram_init(), 0);
	assert_int_equal(nv.stores, 0);
	assert_string_equal(capture_out, "vofkit: nvram: nvram-fetch at 0x1000 failed (-1); left alone\n");

	/* No RTAS tokens at all. */
	nv_counts_clear();
	nv.fail_fetch_at = -1;
	nv.no_tokens = true;
	memset(nv.img, 0, nv.size);
	assert_int_equal(run_nvram_init(), 0);
	assert_int_equal(nv.stores, 0);
	assert_string_equal(capture_out, "vofkit: nvram: nvram-fetch at 0x0 failed (-3); left alone\n");
}

static void init_interrupted_format_is_redone(void **state)
{
	(void)state;
	memset(nv.img, 0, nv.size);
	nv.fail_store_at = 0x8000;
	assert_int_equal(run_nvram_init(), 0);
	assert_string_equal(capture_out, "vofkit: nvram: nvram-store at 0x8000 failed (-1); "
			    "format incomplete\n");
	/* The first header was not written, so the NVRAM is still unformatted. */
	assert_int_equal(check_image(nv.img, nv.size, NULL), -NVRAM_FAULT_EMPTY);

	nv_counts_clear();
	nv.fail_store_at = -1;
	assert_int_equal(run_nvram_init(), 0);
	assert_non_null(strstr(capture_out, "formatted 64 KiB"));
	assert_int_equal(check_image(nv.img, nv.size, NULL), 0);
}

/* ---- Open Firmware variables in the common partition ---- */

#define SLOF_COMMON	0x2000u		/* after an 8 KiB CPU log, as SLOF lays it out */
#define SLOF_COMMON_BLOCKS	256u	/* 4 KiB */
#define COMMON_DATA	(SLOF_COMMON_BLOCKS * NVRAM_BLOCK - NVRAM_BLOCK)

/*
 * A 64 KiB image as SLOF formats it (SLOF's checksum): ibm,CPU0log, a
 * system partition named `name` holding `data` (len bytes), free space.
 */
static void slof_image(uint8_t *im, const char *name, const void *data, size_t len)
{
	uint32_t free_off = SLOF_COMMON + SLOF_COMMON_BLOCKS * NVRAM_BLOCK;

	memset(im, 0, 64u << 10);
	put_hdr(im, 0, 0x51, 0x2000 / NVRAM_BLOCK, "ibm,CPU0log", 11, NVRAM_CKSUM_SLOF);
	put_hdr(im, SLOF_COMMON, NVRAM_SIG_SYSTEM, SLOF_COMMON_BLOCKS, name, strlen(name),
		NVRAM_CKSUM_SLOF);
	put_hdr(im, free_off, NVRAM_SIG_FREE, (uint16_t)(((64u << 10) - free_off) / NVRAM_BLOCK),
		"wwwwwwwwwwww", 12, NVRAM_CKSUM_SLOF);
	assert_true(len <= COMMON_DATA);
	memcpy(im + SLOF_COMMON + NVRAM_BLOCK, data, len);
}

/* The variables as SLOF writes them: each string with its NUL, then an empty string. */
#define VARS(s)	s "\0", sizeof(s "\0") - 1

static enum nvram_var_status find(const uint8_t *im, const char *name, char *val, uint32_t vlen)
{
	struct mem_nv m = { im, 64u << 10 };

	return nvram_find_var(64u << 10, mem_read, &m, name, val, vlen, NULL);
}

static void var_found_as_slof_wrote_it(void **state)
{
	char val[256];

	slof_image(img, "common", VARS("real-mode?=true\0boot-device=/pci@800000020000000/scsi@1"
				       "\0auto-boot?=true\0boot-command=boot"));
	assert_int_equal(find(img, "boot-device", val, sizeof(val)), NVRAM_VAR_FOUND);
	assert_string_equal(val, "/pci@800000020000000/scsi@1");
	assert_int_equal(find(img, "auto-boot?", val, sizeof(val)), NVRAM_VAR_FOUND);
	assert_string_equal(val, "true");
	assert_int_equal(find(img, "boot-command", val, sizeof(val)), NVRAM_VAR_FOUND);
	assert_string_equal(val, "boot");
	/* a prefix of a name, or a longer name, is another variable */
	assert_int_equal(find(img, "boot", val, sizeof(val)), NVRAM_VAR_ABSENT);
	assert_int_equal(find(img, "boot-device-x", val, sizeof(val)), NVRAM_VAR_ABSENT);
	assert_int_equal(find(img, "oot-device", val, sizeof(val)), NVRAM_VAR_ABSENT);
	assert_int_equal(find(img, "", val, sizeof(val)), NVRAM_VAR_ABSENT);
}

static void var_values_and_strings_without_equals(void **state)
{
	char val[64];

	/* an empty value is a value */
	slof_image(img, "common", VARS("boot-device=\0boot-file=x"));
	assert_int_equal(find(img, "boot-device", val, sizeof(val)), NVRAM_VAR_FOUND);
	assert_string_equal(val, "");
	/* a string without '=' is no variable; the value keeps later '=' signs */
	slof_image(img, "common", VARS("boot-device\0boot-device=a=b c"));
	assert_int_equal(find(img, "boot-device", val, sizeof(val)), NVRAM_VAR_FOUND);
	assert_string_equal(val, "a=b c");
	/* the first definition wins */
	slof_image(img, "common", VARS("boot-device=first\0boot-device=second"));
	assert_int_equal(find(img, "boot-device", val, sizeof(val)), NVRAM_VAR_FOUND);
	assert_string_equal(val, "first");
	/* the empty string ends the list: what follows it is not read */
	slof_image(img, "common", "x=1\0\0boot-device=late\0\0", 24);
	assert_int_equal(find(img, "boot-device", val, sizeof(val)), NVRAM_VAR_ABSENT);
	/* an empty partition (its first string empty) */
	slof_image(img, "common", "", 0);
	assert_int_equal(find(img, "boot-device", val, sizeof(val)), NVRAM_VAR_ABSENT);
}

static void var_partition_found_by_type_not_name(void **state)
{
	char val[64];

	/* QEMU's -prom-env names it "system"; SLOF reads it by type */
	slof_image(img, "system", VARS("boot-device=disk1"));
	assert_int_equal(find(img, "boot-device", val, sizeof(val)), NVRAM_VAR_FOUND);
	assert_string_equal(val, "disk1");
	/* a 0xa0 partition named "common" is not it */
	slof_image(img, "common", VARS("boot-device=disk1"));
	put_hdr(img, SLOF_COMMON, NVRAM_SIG_OS, SLOF_COMMON_BLOCKS, "common", 6, NVRAM_CKSUM_SLOF);
	assert_int_equal(find(img, "boot-device", val, sizeof(val)), NVRAM_VAR_NO_COMMON);
	/* the first system partition is used */
	put_hdr(img, 0, NVRAM_SIG_SYSTEM, 0x2000 / NVRAM_BLOCK, "common", 6, NVRAM_CKSUM_LINUX_BE);
	memcpy(img + NVRAM_BLOCK, VARS("boot-device=disk2"));
	put_hdr(img, SLOF_COMMON, NVRAM_SIG_SYSTEM, SLOF_COMMON_BLOCKS, "common", 6, NVRAM_CKSUM_SLOF);
	assert_int_equal(find(img, "boot-device", val, sizeof(val)), NVRAM_VAR_FOUND);
	assert_string_equal(val, "disk2");
}

static void var_bad_partitions_refused(void **state)
{
	struct mem_nv m = { img, 64u << 10 };
	struct nvram_check chk;
	char val[32];

	/* a bad header checksum: the chain is not valid, nothing is read */
	slof_image(img, "common", VARS("boot-device=disk1"));
	img[SLOF_COMMON + 1] ^= 1;
	assert_int_equal(nvram_find_var(64u << 10, mem_read, &m, "boot-device", val, sizeof(val),
					&chk), NVRAM_VAR_BAD_LAYOUT);
	assert_int_equal(chk.fault, NVRAM_FAULT_CHECKSUM);
	assert_int_equal(chk.fault_offset, SLOF_COMMON);
	/* a length running past the end */
	slof_image(img, "common", VARS("boot-device=disk1"));
	put_hdr(img, SLOF_COMMON, NVRAM_SIG_SYSTEM, 0x1000, "common", 6, NVRAM_CKSUM_SLOF);
	assert_int_equal(find(img, "boot-device", val, sizeof(val)), NVRAM_VAR_BAD_LAYOUT);
	/* data without its empty string: not used, even though the variable is there */
	{
		static uint8_t data[COMMON_DATA];

		memset(data, 'x', sizeof(data));
		memcpy(data, "boot-device=disk1\0filler=", 25);
		slof_image(img, "common", data, sizeof(data));
		assert_int_equal(find(img, "boot-device", val, sizeof(val)),
				 NVRAM_VAR_UNTERMINATED);
		/* the value itself running to the partition's end */
		memset(data, 'y', sizeof(data));
		memcpy(data, "boot-device=", 12);
		slof_image(img, "common", data, sizeof(data));
		{
			static char big[COMMON_DATA];

			assert_int_equal(find(img, "boot-device", big, sizeof(big)),
					 NVRAM_VAR_UNTERMINATED);
		}
		/* the last string's NUL on the last byte, no empty string after it */
		memset(data, 'z', sizeof(data));
		memcpy(data, "boot-device=disk1\0", 18);
		data[sizeof(data) - 1] = '\0';
		slof_image(img, "common", data, sizeof(data));
		assert_int_equal(find(img, "boot-device", val, sizeof(val)),
				 NVRAM_VAR_UNTERMINATED);
	}
	/* a value longer than the buffer: refused, nothing written past it */
	slof_image(img, "common", VARS("boot-device=0123456789abcdef"));
	memset(val, 0x5a, sizeof(val));
	assert_int_equal(find(img, "boot-device", val, 16), NVRAM_VAR_TOO_LONG);
	assert_int_equal((uint8_t)val[16], 0x5a);
	assert_int_equal(find(img, "boot-device", val, 17), NVRAM_VAR_FOUND);
	assert_string_equal(val, "0123456789abcdef");
	assert_int_equal(find(img, "boot-device", val, 0), NVRAM_VAR_TOO_LONG);
	/* a blank NVRAM */
	memset(img, 0, 64u << 10);
	assert_int_equal(find(img, "boot-device", val, sizeof(val)), NVRAM_VAR_BAD_LAYOUT);
	/* every status has words */
	assert_string_equal(nvram_var_status_text(NVRAM_VAR_UNTERMINATED),
			    "common partition data not terminated");
}

static void get_var_reads_over_rtas_and_names_bad_partitions(void **state)
{
	char val[64];

	slof_image(nv.img, "common", VARS("auto-boot?=true\0boot-device=disk1 cdrom"));
	assert_int_equal(nvram_get_var("boot-device", val, sizeof(val)), 11);
	assert_string_equal(val, "disk1 cdrom");
	assert_int_equal(nvram_get_var("boot-file", val, sizeof(val)), -1);
	assert_string_equal(capture_out, "");
	assert_int_equal(nv.stores, 0);
	/* a failed fetch in the data: one line */
	nv.fail_fetch_at = SLOF_COMMON + NVRAM_BLOCK;
	assert_int_equal(nvram_get_var("boot-device", val, sizeof(val)), -1);
	assert_non_null(strstr(capture_out, "nvram: nvram-fetch failed (-1); boot-device not read\n"));
	nv.fail_fetch_at = -1;
	/* a bad checksum: one line naming it */
	capture_clear();
	nv.img[SLOF_COMMON + 1] ^= 1;
	assert_int_equal(nvram_get_var("boot-device", val, sizeof(val)), -1);
	assert_string_equal(capture_out,
			    "vofkit: nvram: bad header checksum at 0x2000; boot-device not read\n");
	/* unterminated data */
	{
		static uint8_t data[COMMON_DATA];

		memset(data, 'x', sizeof(data));
		memcpy(data, "boot-device=disk1\0", 18);
		slof_image(nv.img, "common", data, sizeof(data));
	}
	capture_clear();
	assert_int_equal(nvram_get_var("boot-device", val, sizeof(val)), -1);
	assert_string_equal(capture_out, "vofkit: nvram: common partition data not terminated; "
					 "boot-device not read\n");
	assert_int_equal(nv.stores, 0);
	/* no NVRAM: nothing, silently */
	capture_clear();
	nv.no_node = true;
	assert_int_equal(nvram_get_var("boot-device", val, sizeof(val)), -1);
	assert_string_equal(capture_out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(checksum_of_hand_built_headers, setup),
		cmocka_unit_test_setup(checksum_kinds_differ_where_linux_loses_a_carry, setup),
		cmocka_unit_test_setup(header_make_lays_out_the_fields, setup),
		cmocka_unit_test_setup(check_rejects_blank_images, setup),
		cmocka_unit_test_setup(check_rejects_bad_checksum, setup),
		cmocka_unit_test_setup(check_rejects_truncated_chain, setup),
		cmocka_unit_test_setup(check_rejects_overrun, setup),
		cmocka_unit_test_setup(check_accepts_fresh_layouts, setup),
		cmocka_unit_test_setup(check_accepts_what_linux_and_slof_made, setup),
		cmocka_unit_test_setup(check_takes_a_very_long_chain_as_formatted, setup),
		cmocka_unit_test_setup(layout_leaves_linux_its_room, setup),
		cmocka_unit_test_setup(layout_dodges_disputed_checksums, setup),
		cmocka_unit_test_setup(layout_renders_the_same_in_pieces, setup),
		cmocka_unit_test_setup(init_is_a_driver_level_hook, setup),
		cmocka_unit_test_setup(init_formats_a_blank_nvram_once, setup),
		cmocka_unit_test_setup(init_formats_an_erased_file, setup),
		cmocka_unit_test_setup(init_keeps_what_linux_added, setup),
		cmocka_unit_test_setup(init_odd_sizes_stay_in_bounds, setup),
		cmocka_unit_test_setup(init_without_an_nvram_does_nothing, setup),
		cmocka_unit_test_setup(init_never_writes_what_it_could_not_read, setup),
		cmocka_unit_test_setup(init_interrupted_format_is_redone, setup),
		cmocka_unit_test_setup(var_found_as_slof_wrote_it, setup),
		cmocka_unit_test_setup(var_values_and_strings_without_equals, setup),
		cmocka_unit_test_setup(var_partition_found_by_type_not_name, setup),
		cmocka_unit_test_setup(var_bad_partitions_refused, setup),
		cmocka_unit_test_setup(get_var_reads_over_rtas_and_names_bad_partitions, setup),
	};

	harness_init();
	return cmocka_run_group_tests_name("nvram", tests, NULL, NULL);
}
