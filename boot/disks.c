/* SPDX-License-Identifier: Apache-2.0 */
/* Disk registry: the block devices drivers found, their tree nodes and /aliases disk, disk1, ... */

#include <string.h>
#include <vofkit/block.h>
#include <vofkit/tree.h>

#define MAX_DISKS 16

static struct {
	struct block_dev *dev;
	uint32_t phandle;
} disks[MAX_DISKS];
static unsigned int ndisks;

/*
 * The node gets device_type "block" (QEMU names virtio-blk "scsi@N" and
 * writes no device_type; GRUB's disk scan looks for "block"), and an alias:
 * "disk" for the first disk, "disk1", "disk2", ... for the others, which is
 * how GRUB finds disks when it does not scan the tree.
 */
int disk_register(struct block_dev *dev, uint32_t phandle)
{
	char alias[16], path[160];
	uint32_t aliases = tree_find("/aliases", NULL);
	int len;

	if (ndisks >= MAX_DISKS || !dev || !tree_valid(phandle))
		return -1;
	disks[ndisks].dev = dev;
	disks[ndisks].phandle = phandle;
	tree_setprop(phandle, "device_type", "block", sizeof("block"));
	len = tree_path(phandle, path, sizeof(path));
	if (aliases && len > 0 && len < (int)sizeof(path)) {
		char *p = alias + 4;

		strcpy(alias, "disk");
		if (ndisks >= 10)
			*p++ = (char)('0' + ndisks / 10);
		if (ndisks)
			*p++ = (char)('0' + ndisks % 10);
		*p = '\0';
		tree_setprop(aliases, alias, path, len + 1);
	}
	return (int)ndisks++;
}

unsigned int disk_count(void)
{
	return ndisks;
}

uint32_t disk_phandle(unsigned int index)
{
	return index < ndisks ? disks[index].phandle : 0;
}

struct block_dev *disk_of_phandle(uint32_t phandle)
{
	unsigned int i;

	for (i = 0; i < ndisks; i++) {
		if (disks[i].phandle == phandle)
			return disks[i].dev;
	}
	return NULL;
}
