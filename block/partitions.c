/* SPDX-License-Identifier: Apache-2.0 */
/* PReP boot partition lookup: MBR (primary and logical partitions) and GPT. */

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <vofkit/block/block.h>
#include <vofkit/block/partition_table.h>
#include <vofkit/lib/crc32.h>
#include <vofkit/lib/util.h>

#define MBR_MAX_LOGICAL		64	/* bound on an extended-partition chain */
#define GPT_MAX_ENTRIES		1024
#define GPT_HEADER_READ		512	/* bytes of a header read (and CRC-checked at most) */

/* gpt_scan's results besides 0: the table is sound but lacks the entry, or the table is bad. */
#define GPT_NOT_FOUND		-1
#define GPT_TABLE_BAD		-2

/* GPT stores 9E1A2D38-C612-4316-AA26-8B49521E5A8B with its first three fields little-endian. */
static const uint8_t gpt_prep_guid[16] = {
	0x38, 0x2d, 0x1a, 0x9e, 0x12, 0xc6, 0x16, 0x43,
	0xaa, 0x26, 0x8b, 0x49, 0x52, 0x1e, 0x5a, 0x8b,
};

static bool mbr_signed(const struct mbr *m)
{
	return m->signature[0] == 0x55 && m->signature[1] == 0xaa;
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
 * A PReP entry that lies outside the disk sets *outside and the walk goes
 * on: a later, valid PReP partition may still boot.
 */
static int mbr_find_logical(struct block_dev *dev, uint64_t ext_start, unsigned int want,
			    struct partition *part, bool *outside)
{
	struct mbr ebr;
	uint64_t ebr_lba = ext_start;
	unsigned int n;

	for (n = 0; n < MBR_MAX_LOGICAL; n++) {
		const struct mbr_entry *logical = &ebr.entry[0], *next = &ebr.entry[1];

		if (block_read_bytes(dev, ebr_lba * dev->block_size, &ebr, sizeof(ebr)) ||
		    !mbr_signed(&ebr))
			return -1;
		/* first entry: the logical partition, relative to this EBR */
		if (want ? want == 5 + n : logical->type == MBR_TYPE_PREP) {
			if (!part_fill(dev, ebr_lba + le32_to_cpu(logical->lba_first),
				       le32_to_cpu(logical->sectors), 5 + n, part))
				return 0;
			if (want)
				return -1;
			*outside = true;
		}
		/* second entry: the next EBR, relative to the extended partition */
		if (!next->type || !le32_to_cpu(next->lba_first))
			return -1;
		ebr_lba = ext_start + le32_to_cpu(next->lba_first);
	}
	return -1;
}

/* A GPT header: signature, CRC over its own size (CRC field as zero), sane table. */
static bool gpt_header_ok(const uint8_t *sector, uint64_t blocks)
{
	static const uint8_t zero_crc[4];
	const struct gpt_header *h = (const struct gpt_header *)sector;
	const size_t at = offsetof(struct gpt_header, header_crc32);
	uint32_t size = le32_to_cpu(h->header_size), entries = le32_to_cpu(h->num_entries);
	uint32_t esize = le32_to_cpu(h->entry_size), crc;

	if (memcmp(h->signature, "EFI PART", 8) || size < sizeof(*h) || size > GPT_HEADER_READ)
		return false;
	/* the CRC covers header_size bytes with its own field as zero: in three runs, no copy */
	crc = crc32_ieee(0, sector, at);
	crc = crc32_ieee(crc, zero_crc, sizeof(zero_crc));
	crc = crc32_ieee(crc, sector + at + 4, size - at - 4);
	if (crc != le32_to_cpu(h->header_crc32))
		return false;
	return le64_to_cpu(h->entries_lba) < blocks && entries && entries <= GPT_MAX_ENTRIES &&
	       esize >= sizeof(struct gpt_entry) && esize % 8 == 0;
}

static const uint8_t zero_guid[16];

/*
 * Find the PReP entry (want == 0) or entry number `want` in a GPT: 0,
 * GPT_NOT_FOUND (the table checks out but has no such entry), or
 * GPT_TABLE_BAD (unreadable or its checksum fails: the other copy may do).
 */
static int gpt_scan(struct block_dev *dev, const struct gpt_header *h, unsigned int want,
		    struct partition *part, const char **why)
{
	uint8_t entry[512];
	const struct gpt_entry *e = (const struct gpt_entry *)entry;
	uint64_t table = le64_to_cpu(h->entries_lba) * dev->block_size;
	uint32_t count = le32_to_cpu(h->num_entries), esize = le32_to_cpu(h->entry_size);
	uint32_t crc = 0, i;
	int found = 0;

	if (esize > sizeof(entry)) {
		*why = "corrupt GPT (partition entry size)";
		return GPT_TABLE_BAD;
	}
	for (i = 0; i < count; i++) {
		if (block_read_bytes(dev, table + (uint64_t)i * esize, entry, esize)) {
			*why = "corrupt GPT (partition table unreadable)";
			return GPT_TABLE_BAD;
		}
		crc = i ? crc32_ieee(crc, entry, esize) : crc32_ieee(0, entry, esize);
		if (!found && (want ? want == i + 1 && memcmp(e->type_guid, zero_guid, 16)
				    : !memcmp(e->type_guid, gpt_prep_guid, 16))) {
			uint64_t first = le64_to_cpu(e->first_lba), last = le64_to_cpu(e->last_lba);

			if (last >= first && !part_fill(dev, first, last - first + 1, i + 1, part))
				found = 1;
		}
	}
	if (crc != le32_to_cpu(h->entries_crc32)) {
		*why = "corrupt GPT (partition table checksum)";
		return GPT_TABLE_BAD;
	}
	if (!found) {
		*why = want ? "no such partition in the GPT" : "no PReP partition in the GPT";
		return GPT_NOT_FOUND;
	}
	return 0;
}

/*
 * The primary GPT (header at LBA 1), else the backup (header at the last
 * LBA).  As sfdisk does, the backup is used when the primary header is bad
 * and also when the header is good but its entry table is not: each header
 * names its own copy of the table.
 */
static int gpt_find(struct block_dev *dev, uint8_t *hdr, unsigned int want,
		    struct partition *part, const char **why)
{
	bool scanned = false;
	unsigned int copy;

	for (copy = 0; copy < 2; copy++) {
		uint64_t lba = copy ? dev->blocks - 1 : 1;
		int rc;

		if (block_read_bytes(dev, lba * dev->block_size, hdr, GPT_HEADER_READ) ||
		    !gpt_header_ok(hdr, dev->blocks))
			continue;
		scanned = true;
		rc = gpt_scan(dev, (const struct gpt_header *)hdr, want, part, why);
		if (rc != GPT_TABLE_BAD)
			return rc ? -1 : 0;
	}
	/* a table was read but no copy was sound: *why names the last fault */
	if (!scanned)
		*why = "corrupt GPT (no valid header)";
	return -1;
}

static int part_find(struct block_dev *dev, unsigned int want, struct partition *part,
		     const char **why)
{
	/* sector 0, then a GPT header: never needed at once, so one buffer */
	union {
		struct mbr mbr;
		uint8_t hdr[GPT_HEADER_READ];
	} u;
	const struct mbr *mbr = &u.mbr;
	unsigned int i;
	bool protective = false, outside = false;

	if (dev->block_size < 512 || dev->blocks < 2 ||
	    block_read_bytes(dev, 0, &u.mbr, sizeof(u.mbr))) {
		*why = "cannot read the first sector";
		return -1;
	}
	if (!mbr_signed(mbr)) {
		*why = "no partition table";
		return -1;
	}
	for (i = 0; i < 4; i++) {
		if (mbr->entry[i].type == MBR_TYPE_GPT_PROTECTIVE)
			protective = true;
	}
	if (protective)
		return gpt_find(dev, u.hdr, want, part, why);
	for (i = 0; i < 4; i++) {
		const struct mbr_entry *e = &mbr->entry[i];

		if (want ? want == i + 1 && e->type : e->type == MBR_TYPE_PREP) {
			if (!part_fill(dev, le32_to_cpu(e->lba_first), le32_to_cpu(e->sectors),
				       i + 1, part))
				return 0;
			if (want) {
				*why = "partition outside the disk";
				return -1;
			}
			/* a PReP entry outside the disk: a later one may still be good */
			outside = true;
		}
	}
	for (i = 0; i < 4; i++) {
		const struct mbr_entry *e = &mbr->entry[i];

		if ((!want || want > 4) &&
		    (e->type == MBR_TYPE_EXTENDED || e->type == MBR_TYPE_EXTENDED_LBA ||
		     e->type == MBR_TYPE_EXTENDED_LINUX) &&
		    !mbr_find_logical(dev, le32_to_cpu(e->lba_first), want, part, &outside))
			return 0;
	}
	if (outside)
		*why = "PReP partition outside the disk";
	else
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
