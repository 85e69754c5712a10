/* SPDX-License-Identifier: Apache-2.0 */
/* Byte-granular reads over whole-block devices: partition tables, file systems and disk instances read bytes. */

#include <string.h>
#include <vofkit/block/block.h>
#include <vofkit/core/heap.h>
#include <vofkit/lib/util.h>

/*
 * The largest block a bounce buffer is made for: virtio-blk's largest
 * logical block (it presents up to 64 KiB blocks), and a bound on what a
 * device's block_size may cost the heap.
 */
#define BOUNCE_MAX 0x10000u

/*
 * One bounce buffer for every disk, in the firmware heap: on the 8 KiB
 * firmware stack a block-sized buffer took half of it (the GPT error path
 * reached 7,242 bytes) and capped blocks at 4 KiB.  It is made at first
 * use for the largest block size any registered disk has, and replaced
 * only if a disk with larger blocks shows up later (the bump heap never
 * frees, so sizing it once avoids leaving smaller ones behind).
 */
static uint8_t *bounce;
static uint32_t bounce_size;

static uint8_t *bounce_for(uint32_t bs)
{
	uint32_t want = bs;
	unsigned int i;
	uint8_t *p;

	if (bs <= bounce_size)
		return bounce;
	for (i = 0; i < block_dev_count(); i++) {
		const struct block_dev *d = block_dev_at(i);

		if (d && d->block_size <= BOUNCE_MAX)
			want = MAX(want, d->block_size);
	}
	p = fw_heap_alloc(want, 64);
	if (!p)
		return NULL;
	bounce = p;
	bounce_size = want;
	return bounce;
}

int block_read_bytes(struct block_dev *dev, uint64_t off, void *buf, size_t len)
{
	uint8_t *out = buf;
	uint32_t bs = dev->block_size;
	uint64_t end = off + len;

	/* blocks touched: end / bs rounded up, written so that nothing can wrap */
	if (!bs || bs > BOUNCE_MAX || end < off ||
	    end / bs + (end % bs != 0) > dev->blocks)
		return -1;
	while (len) {
		uint64_t lba = off / bs;
		size_t skip = (size_t)(off % bs), n = MIN(len, (size_t)bs - skip);

		/* whole aligned blocks go straight to the caller's buffer */
		if (!skip && len >= bs) {
			uint32_t count = (uint32_t)MIN(len / bs, (size_t)0x10000);

			if (dev->read(dev, lba, count, out))
				return -1;
			n = (size_t)count * bs;
		} else {
			uint8_t *b = bounce_for(bs);

			if (!b || dev->read(dev, lba, 1, b))
				return -1;
			memcpy(out, b + skip, n);
		}
		out += n;
		off += n;
		len -= n;
	}
	return 0;
}
