/* SPDX-License-Identifier: Apache-2.0 */
/* The block layer over <vofkit/core/device.h> block devices: byte-granular reads and partition lookup. */
#ifndef VOFKIT_BLOCK_BLOCK_H
#define VOFKIT_BLOCK_BLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <vofkit/core/device.h>

/* Read `len` bytes at byte offset `off` (any alignment) through a bounce block; 0 or -1. */
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

#endif /* VOFKIT_BLOCK_BLOCK_H */
