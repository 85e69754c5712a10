/* SPDX-License-Identifier: Apache-2.0 */
/* On-disk layouts of the MBR (with EBR chains) and of GPT headers and entries. */
#ifndef VOFKIT_BLOCK_PARTITION_TABLE_H
#define VOFKIT_BLOCK_PARTITION_TABLE_H

#include <stdint.h>
#include <vofkit/lib/byteorder.h>

/* One of the four MBR (or EBR) partition entries. */
struct mbr_entry {
	uint8_t status;
	uint8_t chs_first[3];
	uint8_t type;
	uint8_t chs_last[3];
	le32 lba_first;		/* MBR: from the disk start; EBR: see part_find */
	le32 sectors;
} __attribute__((packed));

/* Sector 0 of an MBR disk, and every EBR of an extended partition's chain. */
struct mbr {
	uint8_t boot_code[446];
	struct mbr_entry entry[4];
	uint8_t signature[2];	/* 0x55 0xaa */
} __attribute__((packed));

_Static_assert(sizeof(struct mbr) == 512, "MBR is one 512-byte sector");

#define MBR_TYPE_EMPTY		0x00
#define MBR_TYPE_EXTENDED	0x05
#define MBR_TYPE_EXTENDED_LBA	0x0f
#define MBR_TYPE_EXTENDED_LINUX	0x85
#define MBR_TYPE_PREP		0x41
#define MBR_TYPE_GPT_PROTECTIVE	0xee

/* The GPT header (LBA 1, backup at the last LBA); header_size may be larger. */
struct gpt_header {
	char signature[8];	/* "EFI PART" */
	le32 revision;
	le32 header_size;
	le32 header_crc32;	/* over header_size bytes with this field zero */
	le32 reserved;
	le64 my_lba;
	le64 alternate_lba;
	le64 first_usable_lba;
	le64 last_usable_lba;
	uint8_t disk_guid[16];
	le64 entries_lba;
	le32 num_entries;
	le32 entry_size;	/* a multiple of 8, at least 128 */
	le32 entries_crc32;	/* over num_entries * entry_size bytes */
} __attribute__((packed));

_Static_assert(sizeof(struct gpt_header) == 92, "GPT header is 92 bytes");

struct gpt_entry {
	uint8_t type_guid[16];	/* mixed-endian on disk: compare as bytes */
	uint8_t unique_guid[16];
	le64 first_lba;
	le64 last_lba;		/* inclusive */
	le64 attributes;
	le16 name[36];		/* UTF-16LE */
} __attribute__((packed));

_Static_assert(sizeof(struct gpt_entry) == 128, "GPT entry is 128 bytes");

#endif /* VOFKIT_BLOCK_PARTITION_TABLE_H */
