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
#include <vofkit/core/heap.h>
#include "fuzz.h"

static const uint8_t *disk;
static uint64_t data_len, disk_blocks;
static uint32_t bs;
static int fail_past_data;

static int mem_read(struct block_dev *dev, uint64_t lba, uint32_t count, void *buf)
{
	uint64_t off, len = (uint64_t)count * bs, avail;

	FUZZ_CHECK(dev->block_size == bs, "block size changed");
	FUZZ_CHECK(count > 0, "read of 0 blocks at %llu", (unsigned long long)lba);
	if (lba >= disk_blocks || count > disk_blocks - lba)
		return -1;	/* the driver refuses reads past the end */
	off = lba * bs;
	avail = off < data_len ? data_len - off : 0;
	if (avail < len && fail_past_data)
		return -1;
	memset(buf, 0, len);	/* ASan: the caller's buffer must hold count blocks */
	if (avail)
		memcpy(buf, disk + off, avail < len ? avail : len);
	return 0;
}

static void check_part(const struct partition *p, unsigned int want)
{
	uint64_t bytes = disk_blocks * bs;

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

/*
 * The block layer's bounce buffer comes from the firmware heap, sized at
 * first use to the largest block of any registered disk: here one 8 KiB-block
 * disk is registered, the largest size the target tries, and the heap is
 * calloc (the buffer stays reachable, as in the firmware).
 */
static struct block_dev largest = { .block_size = 8192 };

void *fw_heap_alloc(size_t size, size_t align)
{
	(void)align;
	return calloc(1, size);
}

unsigned int block_dev_count(void)
{
	return 1;
}

struct block_dev *block_dev_at(unsigned int index)
{
	return index ? NULL : &largest;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t sizes[4] = { 512, 1024, 4096, 8192 };
	struct block_dev dev;
	struct partition p;
	const char *why = NULL;
	unsigned int n;
	uint8_t *copy;

	if (size < 1)
		return 0;
	bs = sizes[data[0] & 3];
	fail_past_data = !!(data[0] & 8);
	data_len = size - 1;
	disk_blocks = (data_len + bs - 1) / bs;
	if (data[0] & 4)
		disk_blocks += 1ull << 32;
	/* a heap copy of exactly the data: ASan sees any read past it */
	copy = malloc(data_len ? data_len : 1);
	memcpy(copy, data + 1, data_len);
	disk = copy;

	memset(&dev, 0, sizeof(dev));
	dev.block_size = bs;
	dev.blocks = disk_blocks;
	dev.read = mem_read;
	if (part_find_prep(&dev, &p, &why) == 0)
		check_part(&p, 0);
	else
		FUZZ_CHECK(why && *why, "failure without a reason");
	for (n = 0; n <= 9; n++) {
		memset(&p, 0xa5, sizeof(p));
		if (part_find_number(&dev, n, &p) == 0)
			check_part(&p, n);
	}
	free(copy);
	return 0;
}
