/* SPDX-License-Identifier: Apache-2.0 */
/* Disk names for clients: device_type "block" on every block device's node and /aliases disk, disk1, ... */

#define pr_fmt(fmt) "disks: " fmt
#include <string.h>
#include <vofkit/core/device.h>
#include <vofkit/core/init.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>

/*
 * Runs after every driver registered its devices.  The node gets
 * device_type "block" (QEMU names virtio-blk "scsi@N" and writes no
 * device_type; GRUB's disk scan looks for "block"), and an alias: "disk"
 * for the first disk, "disk1", "disk2", ... for the others, in probe order,
 * which is how GRUB finds disks when it does not scan the tree.
 */
static int disks_name(void)
{
	uint32_t aliases = tree_find("/aliases", NULL);
	unsigned int i;

	for (i = 0; i < block_dev_count(); i++) {
		struct block_dev *dev = block_dev_at(i);
		char alias[OF_ALIAS_MAX], path[OF_PATH_MAX];
		char *p = alias + 4;
		int len;

		tree_setprop(dev->phandle, "device_type", "block", sizeof("block"));
		len = tree_path(dev->phandle, path, sizeof(path));
		if (!aliases || len <= 0 || len >= (int)sizeof(path))
			continue;
		strcpy(alias, "disk");
		if (i >= 10)
			*p++ = (char)('0' + i / 10);
		if (i)
			*p++ = (char)('0' + i % 10);
		*p = '\0';
		tree_setprop(aliases, alias, path, len + 1);
	}
	return 0;
}
FW_INIT(disks_name, FW_INIT_DEVICE_CLASS, "disk aliases");
