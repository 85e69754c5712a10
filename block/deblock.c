/* SPDX-License-Identifier: Apache-2.0 */
/* Byte-granular reads over whole-block devices: partition tables, file systems and disk instances read bytes. */

#include <string.h>
#include <vofkit/block/block.h>
#include <vofkit/lib/util.h>

/* The largest block size a bounce buffer covers (4 KiB-sector disks). */
#define BOUNCE_SIZE 4096

int block_read_bytes(struct block_dev *dev, uint64_t off, void *buf, size_t len)
{
	uint8_t bounce[BOUNCE_SIZE];
	uint8_t *out = buf;
	uint32_t bs = dev->block_size;

	if (!bs || bs > sizeof(bounce) || off + len < off ||
	    (off + len + bs - 1) / bs > dev->blocks)
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
			if (dev->read(dev, lba, 1, bounce))
				return -1;
			memcpy(out, bounce + skip, n);
		}
		out += n;
		off += n;
		len -= n;
	}
	return 0;
}
