/* SPDX-License-Identifier: Apache-2.0 */
/* CD boot: \ppc\bootinfo.txt on an ISO 9660 device names the ELF image to start (CHRP, as SLOF boots CDs). */

#define pr_fmt(fmt) "boot: " fmt
#include <stdbool.h>
#include <string.h>
#include <arch/ppc64.h>
#include <vofkit/block/block.h>
#include <vofkit/block/iso9660.h>
#include <vofkit/boot/boot_iso.h>
#include <vofkit/boot/bootinfo.h>
#include <vofkit/boot/elf.h>
#include <vofkit/core/pairing.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/console.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>

#define BOOTINFO_FILE	"\\ppc\\bootinfo.txt"

/*
 * The part of bootinfo.txt that is read.  GRUB's is 12,572 bytes, most of
 * it an icon after the <boot-script>; a larger file is read up to here.
 */
#define BOOTINFO_READ	16384

static char text[BOOTINFO_READ];
static struct bootinfo info;

struct file_reader {
	const struct iso9660_volume *vol;
	const struct iso9660_file *file;
};

static int read_file(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct file_reader *r = ctx;

	return iso9660_read(r->vol, r->file, off, buf, len);
}

/* Append s to buf (of OF_PATH_MAX bytes) at *n; false when it does not fit. */
static bool append(char *buf, size_t *n, const char *s)
{
	size_t len = strlen(s);

	if (*n + len >= OF_PATH_MAX)
		return false;
	memcpy(buf + *n, s, len + 1);
	*n += len;
	return true;
}

/* A file (not a directory) on the volume; 0, or -1 with *why. */
static int find_file(const struct iso9660_volume *vol, const char *name, struct iso9660_file *file,
		     const char **why)
{
	if (iso9660_lookup(vol, name, file, why))
		return -1;
	if (file->dir) {
		*why = "it is a directory";
		return -1;
	}
	return 0;
}

/* Read and parse \ppc\bootinfo.txt; 0, or -1 with *why. */
static int read_bootinfo(const struct iso9660_volume *vol, const char **why)
{
	struct iso9660_file file;
	size_t len;

	if (find_file(vol, BOOTINFO_FILE, &file, why))
		return -1;
	len = file.size < sizeof(text) ? (size_t)file.size : sizeof(text);
	if (iso9660_read(vol, &file, 0, text, len)) {
		*why = "cannot read it";
		return -1;
	}
	return bootinfo_parse(text, len, 0, &info, why);
}

/* The volume holding the boot file: the whole CD, or an ISO 9660 partition the script names. */
static int boot_volume(struct block_dev *dev, struct iso9660_volume *vol, const char **why)
{
	struct partition part;

	if (!info.partition)
		return 0;
	if (part_find_number(dev, info.partition, &part)) {
		*why = "the partition it names does not exist";
		return -1;
	}
	if (iso9660_mount(dev, part.offset, part.size, vol, why)) {
		*why = "the partition it names holds no ISO 9660 volume";
		return -1;
	}
	return 0;
}

/*
 * GRUB takes its drive from the bootpath.  "<dev>:,<file>" (an empty
 * partition, then the file) is what GRUB's argument parser reads as the
 * whole device; "<dev>:<file>", SLOF's form, makes it print "error:
 * unrecognized number." (decision 45).  With a partition: "<dev>:N,<file>".
 */
static void set_bootpath(uint32_t chosen, const char *path)
{
	char bootpath[OF_PATH_MAX], number[4] = "";
	size_t n = 0;

	if (info.partition)	/* 1..255 */
		fw_format_dec(number, info.partition);
	if (append(bootpath, &n, path) && append(bootpath, &n, ":") &&
	    append(bootpath, &n, number) && append(bootpath, &n, ",") &&
	    append(bootpath, &n, info.path))
		tree_setprop(chosen, "bootpath", bootpath, (int)n + 1);
}

void boot_iso(struct block_dev *dev, const char *path)
{
	struct iso9660_volume vol;
	struct iso9660_file file;
	struct file_reader reader = { &vol, &file };
	struct elf_source src = { read_file, &reader, 0 };
	struct elf_loaded image;
	const char *why = NULL;
	uint32_t chosen;
	int rc;

	rc = iso9660_mount(dev, 0, dev->blocks * dev->block_size, &vol, &why);
	if (rc > 0)
		return;
	if (rc < 0) {
		pr_info("%s: unusable ISO 9660 volume: %s; trying its partitions\n", path, why);
		return;
	}
	if (read_bootinfo(&vol, &why)) {
		pr_info("%s: ISO 9660 CD, %s: %s; trying its partitions\n", path, BOOTINFO_FILE, why);
		return;
	}
	if (boot_volume(dev, &vol, &why) || find_file(&vol, info.path, &file, &why)) {
		pr_info("%s: %s (named by %s): %s; trying its partitions\n", path, info.path,
			BOOTINFO_FILE, why);
		return;
	}
	src.size = file.size;
	/* a refused image has given back every claim: the next device starts clean */
	if (elf_load(&src, pairing_claim, pairing_release, &image, &why)) {
		pr_info("%s: %s: %s; trying its partitions\n", path, info.path, why);
		return;
	}
	chosen = tree_find("/chosen", NULL);
	set_bootpath(chosen, path);
	if (info.args[0])
		tree_setprop(chosen, "bootargs", info.args, (int)strlen(info.args) + 1);
	pr_info("starting the ELF%s image %s from the CD in %s at 0x%llx\n",
		image.is64 ? "64" : "32", info.path, path, (unsigned long long)image.entry);
	arch_enter_client(image.entry, 0, 0, pairing_client_stack_top());
}
