/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the NVRAM layout check (drivers/nvram/nvram.c nvram_check),
 * the variable lookup (nvram_find_var) and the layout the driver writes.
 *
 * Input: the NVRAM image; the NVRAM's size is the input's length (a
 * trailing part block is ignored by the check).  The first four bytes,
 * read as a size below 2 MiB, also drive a round trip: a planned and
 * rendered fresh layout of that size must pass the check.
 * Oracles: sanitizers; reads stay inside the NVRAM, are header-sized and
 * block-aligned; a valid result ends exactly at the end; a fault offset
 * is a header inside the NVRAM.  The lookup reads only inside the NVRAM,
 * writes nothing past its value buffer, and finds only in a valid chain.
 */

#include <string.h>
#include <arch/hcall.h>
#include <vofkit/drivers/nvram.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include "fuzz.h"

uint8_t *host_ram;

/* The driver's init is not run here: it finds no NVRAM node. */
uint32_t tree_find(const char *path, const char **args)
{
	(void)path;
	if (args)
		*args = NULL;
	return TREE_NO_NODE;
}

int tree_read_prop(uint32_t ph, const char *name, void *buf, size_t len)
{
	return -1;
}

/* No hypervisor: nothing calls RTAS here (the init finds no node). */
int64_t hcall(uint64_t opcode, uint64_t a0, uint64_t a1, uint64_t a2,
	      uint64_t a3, uint64_t out[4])
{
	FUZZ_CHECK(0, "unexpected hcall 0x%llx", (unsigned long long)opcode);
	return -1;
}

struct image {
	const uint8_t *p;
	uint32_t size;
	uint32_t reads, last_end;
};

static int img_read(void *ctx, uint32_t offset, void *buf, uint32_t len)
{
	struct image *m = ctx;

	FUZZ_CHECK(len == NVRAM_BLOCK && offset % NVRAM_BLOCK == 0,
		   "read of %u bytes at 0x%x", len, offset);
	FUZZ_CHECK(offset < m->size && len <= m->size - offset,
		   "read at 0x%x past the end (0x%x)", offset, m->size);
	FUZZ_CHECK(m->reads == 0 || offset >= m->last_end, "read went backwards to 0x%x", offset);
	m->reads++;
	m->last_end = offset + len;
	memcpy(buf, m->p + offset, len);
	return 0;
}

static void check_image(const uint8_t *p, uint32_t size)
{
	struct image m = { p, size, 0, 0 };
	struct nvram_check c;
	int rc = nvram_check(size, img_read, &m, &c);

	FUZZ_CHECK(rc == -(int)c.fault, "rc %d, fault %d", rc, (int)c.fault);
	FUZZ_CHECK(*nvram_fault_text(c.fault) != '?', "fault %d has no text", (int)c.fault);
	FUZZ_CHECK(c.partitions <= NVRAM_CHECK_MAX_PARTITIONS, "%u partitions", c.partitions);
	if (rc == 0) {
		FUZZ_CHECK(c.partitions >= 1, "valid without a partition");
		FUZZ_CHECK(c.partitions == NVRAM_CHECK_MAX_PARTITIONS ||
			   m.last_end <= (size & ~(NVRAM_BLOCK - 1)), "valid past the end");
	} else {
		FUZZ_CHECK(c.fault_offset % NVRAM_BLOCK == 0 &&
			   (c.fault == NVRAM_FAULT_SIZE || c.fault_offset < size),
			   "fault offset 0x%x (size 0x%x)", c.fault_offset, size);
	}
}

static int var_read(void *ctx, uint32_t offset, void *buf, uint32_t len)
{
	struct image *m = ctx;

	FUZZ_CHECK(len && offset < m->size && len <= m->size - offset,
		   "variable read of %u at 0x%x past the end (0x%x)", len, offset, m->size);
	memcpy(buf, m->p + offset, len);
	return 0;
}

static void check_lookup(const uint8_t *p, uint32_t size)
{
	struct image m = { p, size, 0, 0 };
	char val[40];
	enum nvram_var_status st;

	memset(val, 0x5a, sizeof(val));
	st = nvram_find_var(size, var_read, &m, "boot-device", val, 32, NULL);
	FUZZ_CHECK(*nvram_var_status_text(st) != '?', "status %d has no text", (int)st);
	FUZZ_CHECK((uint8_t)val[32] == 0x5a, "value written past its buffer");
	if (st == NVRAM_VAR_FOUND) {
		FUZZ_CHECK(memchr(val, 0, 32) != NULL, "value not terminated");
		FUZZ_CHECK(nvram_check(size, var_read, &m, NULL) == 0, "found in an invalid chain");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	if (size > (4u << 20))
		return 0;
	copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	check_image(copy, (uint32_t)size);
	check_lookup(copy, (uint32_t)size);
	free(copy);

	if (size >= 4) {
		uint32_t want = ((uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
				 (uint32_t)data[2] << 8 | data[3]) % (2u << 20);
		struct nvram_layout l;

		if (nvram_layout_plan(want, &l) == 0) {
			uint8_t *img = malloc(l.size);

			FUZZ_CHECK(want >= NVRAM_FORMAT_MIN, "planned %u bytes", want);
			FUZZ_CHECK(l.size <= want && want - l.size < NVRAM_BLOCK, "plan covers %u of %u",
				   l.size, want);
			nvram_layout_render(&l, 0, img, l.size);
			{
				struct image m = { img, want, 0, 0 };
				struct nvram_check c;

				FUZZ_CHECK(nvram_check(want, img_read, &m, &c) == 0,
					   "fresh layout of %u bytes refused: %s at 0x%x", want,
					   nvram_fault_text(c.fault), c.fault_offset);
				FUZZ_CHECK(c.partitions == nvram_layout_partitions(&l),
					   "%u partitions, planned %u", c.partitions,
					   nvram_layout_partitions(&l));
			}
			free(img);
		} else {
			FUZZ_CHECK(want < NVRAM_FORMAT_MIN, "no plan for %u bytes", want);
		}
	}
	return 0;
}
