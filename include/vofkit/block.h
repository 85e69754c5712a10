/* SPDX-License-Identifier: Apache-2.0 */
/* Block devices, PReP partition lookup (MBR/GPT) and the ELF loader used to boot from disk. */
#ifndef VOFKIT_BLOCK_H
#define VOFKIT_BLOCK_H

#include <stddef.h>
#include <stdint.h>

struct block_dev {
	uint32_t block_size;	/* bytes per block (512 for virtio-blk) */
	uint64_t blocks;	/* capacity in blocks */
	/* Read `count` blocks from `lba` into buf; 0 or -1. */
	int (*read)(struct block_dev *dev, uint64_t lba, uint32_t count, void *buf);
	void *priv;
};

/*
 * Disks the firmware knows (boot candidates, served through instances).
 * A driver registers each device with the tree node it created or found;
 * the node gets device_type "block" and the disk gets /aliases disk, disk1...
 * Returns the disk index or -1.
 */
int disk_register(struct block_dev *dev, uint32_t phandle);
unsigned int disk_count(void);
uint32_t disk_phandle(unsigned int index);
/* The disk registered for a node, or NULL. */
struct block_dev *disk_of_phandle(uint32_t phandle);

/* Read `len` bytes at byte offset `off` (any alignment) through a bounce block. */
int block_read_bytes(struct block_dev *dev, uint64_t off, void *buf, size_t len);

/* A partition, in bytes from the start of the disk. */
struct partition {
	uint64_t offset;
	uint64_t size;
	unsigned int number;	/* 1-based, as in "disk:N" */
};

/*
 * Find the PReP boot partition: MBR type 0x41 (primary or logical, in an
 * extended chain), or GPT type 9E1A2D38-C612-4316-AA26-8B49521E5A8B.
 * Returns 0 and fills *part, or -1 and sets *why to a short reason
 * ("no partition table", "no PReP partition", "corrupt GPT", ...).
 */
int part_find_prep(struct block_dev *dev, struct partition *part, const char **why);

/* Partition number N ("disk:N"): MBR 1-4 primary, 5+ logical; GPT entry N. 0 or -1. */
int part_find_number(struct block_dev *dev, unsigned int number, struct partition *part);

/* CRC-32 (IEEE 802.3, as GPT uses), for GPT header and entry checks. */
uint32_t crc32_ieee(uint32_t crc, const void *buf, size_t len);

/*
 * An ELF image to load: reads go through `read` at byte offsets from the
 * image start.  claim(addr, size) reserves client memory (0 or -1).
 */
struct elf_source {
	int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	void *ctx;
	uint64_t size;		/* bytes available (partition size) */
};

struct elf_loaded {
	uint64_t entry;
	int is64;		/* ELF64 (enter in 64-bit mode?) */
	uint64_t lowest, highest;	/* loaded range */
};

/*
 * Check a big-endian ELF32/ELF64 PowerPC executable and load every
 * PT_LOAD at its physical address (claiming it first, zero-filling the
 * bss part).  Returns 0, or -1 with *why set.
 */
int elf_load(const struct elf_source *src, int (*claim)(uint64_t addr, uint64_t size),
	     struct elf_loaded *out, const char **why);

#endif
