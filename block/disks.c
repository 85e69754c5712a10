/* SPDX-License-Identifier: Apache-2.0 */
/* Disk names for clients: device_type "block" on every block device's node and /aliases disk…, cdrom…, nvme…. */

#define pr_fmt(fmt) "disks: " fmt
#include <stdbool.h>
#include <vofkit/core/device.h>
#include <vofkit/core/init.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>

/*
 * SLOF writes unit addresses in lower case, QEMU's boot-list in upper
 * case; the alias values follow SLOF, which is what installed systems
 * copied into NVRAM.  Node names keep their case.
 */
static void lower_units(char *path)
{
	bool in_unit = false;

	for (; *path; path++) {
		if (*path == '/')
			in_unit = false;
		else if (*path == '@')
			in_unit = true;
		else if (in_unit && *path >= 'A' && *path <= 'F')
			*path = (char)(*path - 'A' + 'a');
	}
}

/*
 * Runs after every driver registered its devices.  The node gets
 * device_type "block" (QEMU names virtio-blk "scsi@N" and writes no
 * device_type; GRUB's disk scan looks for "block"), and an alias: "disk"
 * for the first disk, "disk1", "disk2", ... for the others, in probe order,
 * which is how GRUB finds disks when it does not scan the tree; "cdrom",
 * "cdrom1", ... for CD-ROM drives.  An NVMe namespace is a disk (it gets
 * its "disk…" alias in the same count, so clients that only know "disk"
 * find it) and also "nvme", "nvme1", ..., counted on its own.
 */
static int disks_name(void)
{
	uint32_t aliases = tree_find("/aliases", NULL);
	unsigned int i, disks = 0, cdroms = 0, nvmes = 0;

	for (i = 0; i < block_dev_count(); i++) {
		struct block_dev *dev = block_dev_at(i);
		char alias[OF_ALIAS_MAX], path[OF_PATH_MAX];
		bool cd = dev->flags & BLOCK_DEV_CDROM;
		int len;

		tree_setprop(dev->phandle, "device_type", "block", sizeof("block"));
		len = tree_path(dev->phandle, path, sizeof(path));
		if (!aliases || len <= 0 || len >= (int)sizeof(path))
			continue;
		lower_units(path);
		device_alias_name(alias, cd ? "cdrom" : "disk", cd ? cdroms++ : disks++);
		tree_setprop(aliases, alias, path, len + 1);
		if (dev->flags & BLOCK_DEV_NVME) {
			device_alias_name(alias, "nvme", nvmes++);
			tree_setprop(aliases, alias, path, len + 1);
		}
	}
	return 0;
}
FW_INIT(disks_name, FW_INIT_DEVICE_CLASS, "disk aliases");
