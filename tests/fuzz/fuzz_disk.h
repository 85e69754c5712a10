/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by fuzz_partitions.c and fuzz_iso9660.c: a disk in memory holding the fuzzer's input. */
#ifndef VOFKIT_FUZZ_DISK_H
#define VOFKIT_FUZZ_DISK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <vofkit/core/device.h>
#include "fuzz.h"

/*
 * fuzz_disk.lead bytes of zeros (a CD's system area; 0 for a disk), then
 * the data, then zeros up to fuzz_disk.blocks, or, with fail_past_data,
 * failing reads from the first block that is not all data.
 */
static struct {
	const uint8_t *data;
	uint64_t lead, data_len, blocks;
	uint32_t block_size;
	int fail_past_data;
} fuzz_disk;

static int fuzz_disk_read(struct block_dev *dev, uint64_t lba, uint32_t count, void *buf)
{
	uint64_t bs = fuzz_disk.block_size, off = lba * bs, len = count * bs, from, to;
	uint64_t data_end = fuzz_disk.lead + fuzz_disk.data_len;
	uint8_t *out = buf;

	FUZZ_CHECK(dev->block_size == bs && count > 0, "bad read request: %u blocks at %llu",
		   count, (unsigned long long)lba);
	if (lba >= fuzz_disk.blocks || count > fuzz_disk.blocks - lba)
		return -1;	/* the driver refuses reads past the end */
	if (fuzz_disk.fail_past_data && off + len > data_end)
		return -1;
	memset(buf, 0, len);	/* ASan: the caller's buffer must hold count blocks */
	/* the part of [off, off + len) that holds data */
	from = off > fuzz_disk.lead ? off : fuzz_disk.lead;
	to = off + len < data_end ? off + len : data_end;
	if (from < to)
		memcpy(out + (from - off), fuzz_disk.data + (from - fuzz_disk.lead), to - from);
	return 0;
}

/* The data: a heap copy of exactly `len` bytes, so ASan sees any read past them. */
static void fuzz_disk_load(const uint8_t *in, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	FUZZ_CHECK(copy != NULL, "malloc of %zu bytes", len);
	memcpy(copy, in, len);
	fuzz_disk.data = copy;
	fuzz_disk.data_len = len;
}

static void fuzz_disk_unload(void)
{
	free((void *)fuzz_disk.data);
	fuzz_disk.data = NULL;
}

/* The device over fuzz_disk, once its fields are set. */
static void fuzz_disk_attach(struct block_dev *dev)
{
	memset(dev, 0, sizeof(*dev));
	dev->block_size = fuzz_disk.block_size;
	dev->blocks = fuzz_disk.blocks;
	dev->read = fuzz_disk_read;
}

#endif /* VOFKIT_FUZZ_DISK_H */
