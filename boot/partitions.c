/* SPDX-License-Identifier: Apache-2.0 */
/* PReP boot partition lookup: MBR (primary and logical partitions) and GPT. */

#include <stdbool.h>
#include <string.h>
#include <vofkit/block.h>
#include <vofkit/util.h>

#define MBR_PREP		0x41
#define MBR_GPT_PROTECTIVE	0xee
#define MBR_MAX_LOGICAL		64	/* bound on an extended-partition chain */
#define GPT_MAX_ENTRIES		1024

/* On-disk values are little-endian in both MBR and GPT. */
static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* GPT stores 9E1A2D38-C612-4316-AA26-8B49521E5A8B with its first three fields little-endian. */
static const uint8_t gpt_prep_guid[16] = {
	0x38, 0x2d, 0x1a, 0x9e, 0x12, 0xc6, 0x16, 0x43,
	0xaa, 0x26, 0x8b, 0x49, 0x52, 0x1e, 0x5a, 0x8b,
};

uint32_t crc32_ieee(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

int block_read_bytes(struct block_dev *dev, uint64_t off, void *buf, size_t len)
{
	uint8_t bounce[4096];
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

static int part_fill(struct block_dev *dev, uint64_t lba, uint64_t count, unsigned int number,
		     struct partition *part)
{
	uint64_t bs = dev->block_size;

	if (!count || lba >= dev->blocks || count > dev->blocks - lba)
		return -1;
	part->offset = lba * bs;
	part->size = count * bs;
	part->number = number;
	return 0;
}

/*
 * Walk the chain of extended boot records for a logical partition: the
 * PReP one (want == 0) or number `want` (logical partitions count from 5).
 */
static int mbr_find_logical(struct block_dev *dev, uint64_t ext_start, unsigned int want,
			    struct partition *part)
{
	uint8_t ebr[512];
	uint64_t ebr_lba = ext_start;
	unsigned int n;

	for (n = 0; n < MBR_MAX_LOGICAL; n++) {
		const uint8_t *e0 = ebr + 446, *e1 = ebr + 462;

		if (block_read_bytes(dev, ebr_lba * dev->block_size, ebr, sizeof(ebr)) ||
		    ebr[510] != 0x55 || ebr[511] != 0xaa)
			return -1;
		/* first entry: the logical partition, relative to this EBR */
		if (want ? want == 5 + n : e0[4] == MBR_PREP)
			return part_fill(dev, ebr_lba + le32(e0 + 8), le32(e0 + 12), 5 + n, part);
		/* second entry: the next EBR, relative to the extended partition */
		if (!e1[4] || !le32(e1 + 8))
			return -1;
		ebr_lba = ext_start + le32(e1 + 8);
	}
	return -1;
}

/* A GPT header: signature, CRC over its own size (CRC field as zero), sane table. */
static bool gpt_header_ok(const uint8_t *h, uint64_t blocks)
{
	uint8_t copy[512];
	uint32_t size = le32(h + 12), entries = le32(h + 80), esize = le32(h + 84);

	if (memcmp(h, "EFI PART", 8) || size < 92 || size > sizeof(copy))
		return false;
	memcpy(copy, h, size);
	memset(copy + 16, 0, 4);
	if (crc32_ieee(0, copy, size) != le32(h + 16))
		return false;
	return le64(h + 72) < blocks && entries && entries <= GPT_MAX_ENTRIES &&
	       esize >= 128 && esize % 8 == 0;
}

static const uint8_t zero_guid[16];

/* Find the PReP entry (want == 0) or entry number `want` in a GPT. */
static int gpt_scan(struct block_dev *dev, const uint8_t *h, unsigned int want,
		    struct partition *part, const char **why)
{
	uint8_t entry[512];
	uint64_t table = le64(h + 72) * dev->block_size;
	uint32_t count = le32(h + 80), esize = le32(h + 84), crc = 0, i;
	int found = 0;

	if (esize > sizeof(entry)) {
		*why = "corrupt GPT (partition entry size)";
		return -1;
	}
	for (i = 0; i < count; i++) {
		if (block_read_bytes(dev, table + (uint64_t)i * esize, entry, esize)) {
			*why = "corrupt GPT (partition table unreadable)";
			return -1;
		}
		crc = i ? crc32_ieee(crc, entry, esize) : crc32_ieee(0, entry, esize);
		if (!found && (want ? want == i + 1 && memcmp(entry, zero_guid, 16)
				    : !memcmp(entry, gpt_prep_guid, 16))) {
			uint64_t first = le64(entry + 32), last = le64(entry + 40);

			if (last >= first && !part_fill(dev, first, last - first + 1, i + 1, part))
				found = 1;
		}
	}
	if (crc != le32(h + 88)) {
		*why = "corrupt GPT (partition table checksum)";
		return -1;
	}
	if (!found) {
		*why = want ? "no such partition in the GPT" : "no PReP partition in the GPT";
		return -1;
	}
	return 0;
}

static int part_find(struct block_dev *dev, unsigned int want, struct partition *part,
		     const char **why)
{
	uint8_t mbr[512], hdr[512];
	unsigned int i;
	bool protective = false;

	if (dev->block_size < 512 || dev->blocks < 2 ||
	    block_read_bytes(dev, 0, mbr, sizeof(mbr))) {
		*why = "cannot read the first sector";
		return -1;
	}
	if (mbr[510] != 0x55 || mbr[511] != 0xaa) {
		*why = "no partition table";
		return -1;
	}
	for (i = 0; i < 4; i++) {
		const uint8_t *e = mbr + 446 + 16 * i;

		if (e[4] == MBR_GPT_PROTECTIVE)
			protective = true;
	}
	if (protective) {
		/* primary header at LBA 1, backup at the last LBA */
		if (!block_read_bytes(dev, dev->block_size, hdr, sizeof(hdr)) &&
		    gpt_header_ok(hdr, dev->blocks))
			return gpt_scan(dev, hdr, want, part, why);
		if (!block_read_bytes(dev, (dev->blocks - 1) * dev->block_size, hdr, sizeof(hdr)) &&
		    gpt_header_ok(hdr, dev->blocks))
			return gpt_scan(dev, hdr, want, part, why);
		*why = "corrupt GPT (no valid header)";
		return -1;
	}
	for (i = 0; i < 4; i++) {
		const uint8_t *e = mbr + 446 + 16 * i;

		if (want ? want == i + 1 && e[4] : e[4] == MBR_PREP)
			return part_fill(dev, le32(e + 8), le32(e + 12), i + 1, part) ?
			       (*why = "partition outside the disk", -1) : 0;
	}
	for (i = 0; i < 4; i++) {
		const uint8_t *e = mbr + 446 + 16 * i;

		if ((!want || want > 4) && (e[4] == 0x05 || e[4] == 0x0f || e[4] == 0x85) &&
		    !mbr_find_logical(dev, le32(e + 8), want, part))
			return 0;
	}
	*why = want ? "no such partition in the MBR" : "no PReP partition in the MBR";
	return -1;
}

int part_find_prep(struct block_dev *dev, struct partition *part, const char **why)
{
	return part_find(dev, 0, part, why);
}

int part_find_number(struct block_dev *dev, unsigned int number, struct partition *part)
{
	const char *why;

	return number ? part_find(dev, number, part, &why) : -1;
}
