/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: MBR/EBR/GPT parsing (block/partitions.c, block/deblock.c)
 * through part_find_prep() and part_find_number() over a disk in memory.
 *
 * Input: byte 0 chooses the disk's geometry, the rest is the disk from
 * LBA 0 (zero-padded to a whole block).
 *   bits 0-1  block size 512, 1024, 4096 or 8192
 *   bit 2     the disk is 2^32 blocks larger than the data (reads there give zeros)
 *   bit 3     reads past the data fail instead
 * Oracles: sanitizers; a partition found lies inside the disk, is not
 * empty and has the number asked for; no read goes past the disk.
 */

#include <stdlib.h>
#include <string.h>
#include <vofkit/block/block.h>
#include "fuzz.h"
#include "fuzz_disk.h"
/* The largest block size tried, for the block layer's bounce buffer. */
#define BOUNCE_STUB_BLOCK_SIZE	8192
#include "bounce_stub.h"

static void check_part(const struct partition *p, unsigned int want)
{
	uint32_t bs = fuzz_disk.block_size;
	uint64_t bytes = fuzz_disk.blocks * bs;

	FUZZ_CHECK(p->size > 0, "empty partition %u", p->number);
	FUZZ_CHECK(p->offset < bytes && p->size <= bytes - p->offset,
		   "partition %u [0x%llx +0x%llx) outside the disk (0x%llx bytes)", p->number,
		   (unsigned long long)p->offset, (unsigned long long)p->size,
		   (unsigned long long)bytes);
	FUZZ_CHECK(p->offset % bs == 0 && p->size % bs == 0, "partition %u not block-aligned",
		   p->number);
	FUZZ_CHECK(p->number >= 1, "partition number 0");
	if (want)
		FUZZ_CHECK(p->number == want, "asked for %u, got %u", want, p->number);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t sizes[4] = { 512, 1024, 4096, 8192 };
	struct block_dev dev;
	struct partition p;
	const char *why = NULL;
	unsigned int n;

	if (size < 1)
		return 0;
	fuzz_disk.block_size = sizes[data[0] & 3];
	fuzz_disk.fail_past_data = !!(data[0] & 8);
	fuzz_disk.lead = 0;
	fuzz_disk_load(data + 1, size - 1);
	fuzz_disk.blocks = (fuzz_disk.data_len + fuzz_disk.block_size - 1) / fuzz_disk.block_size;
	if (data[0] & 4)
		fuzz_disk.blocks += 1ull << 32;
	fuzz_disk_attach(&dev);
	if (part_find_prep(&dev, &p, &why) == 0)
		check_part(&p, 0);
	else
		FUZZ_CHECK(why && *why, "failure without a reason");
	for (n = 0; n <= 9; n++) {
		memset(&p, 0xa5, sizeof(p));
		if (part_find_number(&dev, n, &p) == 0)
			check_part(&p, n);
	}
	fuzz_disk_unload();
	return 0;
}
