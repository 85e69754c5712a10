/* SPDX-License-Identifier: Apache-2.0 */
/* ISO 9660 (CD-ROM) volumes on block devices: find the primary volume descriptor, look up a path, read a file. */
#ifndef VOFKIT_BLOCK_ISO9660_H
#define VOFKIT_BLOCK_ISO9660_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vofkit/core/device.h>

/* ISO 9660 sectors are 2048 bytes whatever the device's block size (512 on virtio-blk). */
#define ISO9660_SECTOR		2048u

/* Deepest path looked up, in directories: ISO 9660 allows 8 levels, Rock Ridge more. */
#define ISO9660_MAX_DEPTH	16

/* A mounted volume: where it lies on its device and where its root directory is. */
struct iso9660_volume {
	struct block_dev *dev;
	uint64_t base;		/* byte offset of the volume (sector 0) on the device */
	uint64_t limit;		/* bytes from base that extents may use: device and volume size */
	uint64_t root;		/* byte offset of the root directory from base */
	uint32_t root_size;
};

/* A file or directory found by a lookup. */
struct iso9660_file {
	uint64_t offset;	/* byte offset of its data on the device (base included) */
	uint64_t size;
	bool dir;
};

/*
 * Look for a primary volume descriptor at sector 16 of the byte window
 * [base, base + size) of dev.  Returns 0 and fills *vol; 1 when there is no
 * ISO 9660 volume there (no "CD001" at sector 16); -1 with *why set when
 * there is one but it is unusable (bad block size, root outside the image).
 */
int iso9660_mount(struct block_dev *dev, uint64_t base, uint64_t size,
		  struct iso9660_volume *vol, const char **why);

/*
 * Look up a NUL-terminated path ("\ppc\bootinfo.txt" or "/boot/grub"):
 * separators '\' or '/', names compared ASCII case-insensitively with the
 * ";version" and then one trailing '.' stripped, or with the Rock Ridge
 * name.  Returns 0 and fills *file, or -1 with *why set ("not found", or
 * what is wrong with the volume: a directory loop, a record that overruns
 * its sector, an extent beyond the image, ...).
 */
int iso9660_lookup(const struct iso9660_volume *vol, const char *path,
		   struct iso9660_file *file, const char **why);

/* Read len bytes at byte off of a file: 0, or -1 (past the file's end, read error). */
int iso9660_read(const struct iso9660_volume *vol, const struct iso9660_file *file,
		 uint64_t off, void *buf, size_t len);

#endif /* VOFKIT_BLOCK_ISO9660_H */
