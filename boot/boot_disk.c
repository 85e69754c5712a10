/* SPDX-License-Identifier: Apache-2.0 */
/* Boot source "disk": the guest's own boot loader (GRUB) from a PReP partition, in QEMU's boot order. */

#define pr_fmt(fmt) "boot: " fmt
#include <stdbool.h>
#include <string.h>
#include <arch/ppc64.h>
#include <vofkit/block/block.h>
#include <vofkit/boot/boot_iso.h>
#include <vofkit/boot/elf.h>
#include <vofkit/lib/console.h>
#include <vofkit/core/init.h>
#include <vofkit/core/pairing.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>

#define MAX_CANDIDATES 16

static uint32_t order[MAX_CANDIDATES];
static unsigned int norder;

static void add_candidate(uint32_t phandle)
{
	unsigned int i;

	if (!block_dev_of_phandle(phandle) || norder == MAX_CANDIDATES)
		return;
	for (i = 0; i < norder; i++) {
		if (order[i] == phandle)
			return;
	}
	order[norder++] = phandle;
}

/*
 * qemu,boot-list: the bootindex order, as space-separated OF paths, ending
 * in "HALT" with -boot strict=on (then nothing else may be tried).  Returns
 * whether the list is strict.  Paths that are no disk of ours are named.
 */
static bool add_boot_list(const char *list, int len)
{
	char path[OF_PATH_MAX];
	bool strict = false;
	int i = 0;

	while (i < len && list[i]) {
		int n = 0;

		while (i < len && list[i] == ' ')
			i++;
		while (i < len && list[i] && list[i] != ' ' && n < (int)sizeof(path) - 1)
			path[n++] = list[i++];
		path[n] = '\0';
		if (!n)
			break;
		if (!strcmp(path, "HALT")) {
			strict = true;
			break;
		}
		if (!block_dev_of_phandle(tree_find(path, NULL)))
			pr_warn("%s (bootindex): not a disk this firmware boots, skipped\n",
				  path);
		add_candidate(tree_find(path, NULL));
	}
	return strict;
}

/*
 * The order, as SLOF applies it: -boot once=X letters first (qemu,boot-
 * device: c = disk; d = CD-ROM and n = network are not supported and are
 * said so), then the bootindex list, then every other disk unless the list
 * was strict.
 */
static void build_order(void)
{
	uint32_t chosen = tree_find("/chosen", NULL);
	const char *letters, *list;
	int len = 0, llen = 0;
	bool strict = false;
	unsigned int i;

	norder = 0;
	list = tree_getprop(chosen, "qemu,boot-list", &llen);
	letters = tree_getprop(chosen, "qemu,boot-device", &len);
	for (i = 0; letters && (int)i < len && letters[i]; i++) {
		if (letters[i] == 'c') {
			if (list)
				add_boot_list(list, llen);
			for (unsigned int d = 0; d < block_dev_count(); d++)
				add_candidate(block_dev_at(d)->phandle);
		} else {
			char letter[2] = { letters[i], '\0' };

			pr_warn("-boot once=%s: %s boot is not supported, skipped\n",
				  letter, letters[i] == 'd' ? "CD-ROM" :
				  letters[i] == 'n' ? "network" : "this kind of");
		}
	}
	if (list)
		strict = add_boot_list(list, llen);
	for (i = 0; !strict && i < block_dev_count(); i++)
		add_candidate(block_dev_at(i)->phandle);
}

struct part_reader {
	struct block_dev *dev;
	uint64_t base;
};

static int read_partition(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct part_reader *r = ctx;

	return block_read_bytes(r->dev, r->base + off, buf, len);
}

/* Segments go to client memory: claim it, so they never overlap the firmware. */
static int claim_segment(uint64_t addr, uint64_t size)
{
	if (addr >> 32 || size >> 32)
		return -1;
	return pairing_claim(addr, size);
}

/*
 * Try each disk: find its PReP partition (MBR type 0x41 or the GPT PReP
 * type), load the ELF image in it (GRUB's core.elf is ELF32 big-endian),
 * set /chosen "bootpath" to the disk and enter the image in 32-bit
 * big-endian mode with r5 = the CI entry.  Every skipped disk is named,
 * with the reason, and nothing is ever written to a disk.
 */
static const char *boot_from_disk(void)
{
	unsigned int i;

	build_order();
	if (!norder)
		return "no disk to boot from";
	for (i = 0; i < norder; i++) {
		struct block_dev *dev = block_dev_of_phandle(order[i]);
		char path[OF_PATH_MAX];
		struct partition part;
		struct part_reader reader;
		struct elf_source src;
		struct elf_loaded image;
		const char *why;
		int len = tree_path(order[i], path, sizeof(path));

		if (len < 0 || len >= (int)sizeof(path))
			continue;
		pr_info("trying %s\n", path);
		/* SLOF's order: a CD's boot script first, then PReP partitions */
		if (IS_ENABLED(CONFIG_BOOT_FROM_CD))
			boot_iso(dev, path);
		if (part_find_prep(dev, &part, &why)) {
			pr_info("%s: %s; trying the next device\n", path, why);
			continue;
		}
		reader.dev = dev;
		reader.base = part.offset;
		src.read = read_partition;
		src.ctx = &reader;
		src.size = part.size;
		/* a refused image has given back every claim: the next disk starts clean */
		if (elf_load(&src, claim_segment, pairing_release, &image, &why)) {
			pr_info("%s partition %u: %s; trying the next device\n", path,
				  part.number, why);
			continue;
		}
		tree_setprop(tree_find("/chosen", NULL), "bootpath", path, len + 1);
		pr_info("starting the ELF%s image from %s partition %u at 0x%llx\n",
			  image.is64 ? "64" : "32", path, part.number,
			  (unsigned long long)image.entry);
		arch_enter_client(image.entry, 0, 0, pairing_client_stack_top());
	}
	return "no disk holds a bootable PReP partition";
}
FW_BOOT_SOURCE("disk", boot_from_disk, 2);
