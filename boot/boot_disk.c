/* SPDX-License-Identifier: Apache-2.0 */
/* Boot source "disk": the guest's own boot loader (GRUB) from a PReP partition, in QEMU's boot order. */

#define pr_fmt(fmt) "boot: " fmt
#include <stdbool.h>
#include <string.h>
#include <arch/ppc64.h>
#include <vofkit/block/block.h>
#include <vofkit/boot/boot_iso.h>
#include <vofkit/boot/boot_net.h>
#include <vofkit/boot/boot_order.h>
#include <vofkit/boot/elf.h>
#include <vofkit/lib/console.h>
#include <vofkit/core/init.h>
#include <vofkit/core/pairing.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>

struct part_reader {
	struct block_dev *dev;
	uint64_t base;
};

static int read_partition(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct part_reader *r = ctx;

	return block_read_bytes(r->dev, r->base + off, buf, len);
}

/* The order, kept out of the stack: it is 3 KiB. */
static struct boot_order order;

/*
 * The partition to load from.  A path from NVRAM may carry ":N" (a
 * partition number, as Linux's ofpathname and SLOF write it, with an
 * optional ",\file" after it): that partition holds the image, as SLOF
 * boots "disk:N".  Without a number, the PReP partition.  A file argument
 * ("\path") names a file in a file system, which disks are not read as:
 * it is said once and the partition is used.
 */
static int find_boot_partition(struct block_dev *dev, const char *args, const char *path,
			       struct partition *part, const char **why)
{
	unsigned int number = 0;
	const char *p = args;

	while (p && *p >= '0' && *p <= '9' && number < 1000)
		number = number * 10 + (unsigned int)(*p++ - '0');
	if (p && *p && *p != ',')
		number = 0;
	if (args && (!number || (*p == ',' && p[1])))
		pr_info("%s: argument \"%s\": only a partition number is used on a disk\n",
			path, args);
	if (!number)
		return part_find_prep(dev, part, why);
	if (part_find_number(dev, number, part)) {
		*why = "no such partition";
		return -1;
	}
	return 0;
}

/*
 * Boot one block device of the order: a CD's boot script first, then the
 * PReP partition (or partition N).  Returns when it cannot, having said
 * why in one line; otherwise it enters the image.
 */
static void boot_block_device(struct block_dev *dev, const char *args, const char *path,
			      int len)
{
	struct partition part;
	struct part_reader reader;
	struct elf_source src;
	struct elf_loaded image;
	const char *why;

	if (!dev->blocks) {
		pr_info("%s: no medium; trying the next device\n", path);
		return;
	}
	/* SLOF's order: a CD's boot script first, then PReP partitions */
	if (IS_ENABLED(CONFIG_BOOT_FROM_CD))
		boot_iso(dev, path);
	if (find_boot_partition(dev, args, path, &part, &why)) {
		pr_info("%s: %s; trying the next device\n", path, why);
		return;
	}
	reader.dev = dev;
	reader.base = part.offset;
	src.read = read_partition;
	src.ctx = &reader;
	src.size = part.size;
	/* a refused image has given back every claim: the next disk starts clean */
	if (elf_load(&src, pairing_claim, pairing_release, &image, &why)) {
		pr_info("%s partition %u: %s; trying the next device\n", path, part.number, why);
		return;
	}
	tree_setprop(tree_find("/chosen", NULL), "bootpath", path, len + 1);
	pr_info("starting the ELF%s image from %s partition %u at 0x%llx\n",
		image.is64 ? "64" : "32", path, part.number, (unsigned long long)image.entry);
	arch_enter_client(image.entry, 0, 0, pairing_client_stack_top());
}

/*
 * Try each device in the boot order (boot/boot_order.c; -boot menu=on may
 * move one to the front).  A block device: find its PReP partition (MBR
 * type 0x41 or the GPT PReP type), load the ELF image in it (GRUB's
 * core.elf is ELF32 big-endian), set /chosen "bootpath" to the device and
 * enter the image in 32-bit big-endian mode with r5 = the CI entry.  A
 * network card (BOOT_FROM_NET): boot/boot_net.c.  Every skipped device is
 * named, with the reason, and nothing is ever written to a disk.
 */
static const char *boot_from_disk(void)
{
	unsigned int i;

	boot_order_build(&order);
	if (!order.count)
		return order.strict ? "-boot strict=on and no bootindex device to try" :
				      "no disk to boot from";
	if (IS_ENABLED(CONFIG_BOOT_MENU))
		boot_menu_run(&order);
	for (i = 0; i < order.count; i++) {
		const struct boot_entry *e = &order.entry[i];
		struct block_dev *dev = block_dev_of_phandle(e->phandle);
		char path[OF_PATH_MAX];
		int len = tree_path(e->phandle, path, sizeof(path));

		if (len < 0 || len >= (int)sizeof(path))
			continue;
		pr_info("trying %s (%s)\n", path, e->origin);
		if (dev)
			boot_block_device(dev, e->args, path, len);
		else if (IS_ENABLED(CONFIG_BOOT_FROM_NET))
			boot_net(net_dev_of_phandle(e->phandle), path, e->args);
	}
	if (order.strict)
		return "-boot strict=on: no bootindex device holds a bootable image";
	return IS_ENABLED(CONFIG_BOOT_FROM_NET) ? "no device in the boot order could be booted" :
						  "no disk holds a bootable PReP partition";
}
FW_BOOT_SOURCE("disk", boot_from_disk, 2);
