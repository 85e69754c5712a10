/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: ISO 9660 volumes (block/iso9660.c over block/deblock.c) and
 * CHRP boot scripts (boot/bootinfo.c), as CD boot and disk instances use them.
 *
 * Input: byte 0 chooses what is fuzzed, the rest is the data.
 *   bit 7 set  the data is a bootinfo.txt: bootinfo_parse() alone
 *   otherwise  the data is a CD image from sector 16 on (sectors 0-15, the
 *              system area, read as zeros): bits 0-1 block size 512, 2048,
 *              4096 or 1024; bit 2 the device is 1 GiB larger than the data
 *              (zeros there); bit 3 reads past the data fail instead.  The
 *              volume is mounted, \ppc\bootinfo.txt looked up, read and
 *              parsed, the file it names looked up and read, and a few fixed
 *              paths (Rock Ridge, level-1, deep) looked up.
 * Oracles: sanitizers; every lookup ends (libFuzzer's timeout); a file
 * found lies inside the device; a failure has a reason; a parsed script's
 * path and arguments are NUL-terminated within their bounds and the path
 * is not empty.
 */

#include <stdlib.h>
#include <string.h>
#include <vofkit/block/block.h>
#include <vofkit/block/iso9660.h>
#include <vofkit/boot/bootinfo.h>
#include "fuzz.h"
#include "fuzz_disk.h"
/* The largest block size tried, for the block layer's bounce buffer. */
#define BOUNCE_STUB_BLOCK_SIZE	4096
#include "bounce_stub.h"

#define SYSTEM_AREA	(16u * ISO9660_SECTOR)
#define READ_CAP	65536u

static uint8_t file_buf[READ_CAP];

static void check_script(const struct bootinfo *bi)
{
	FUZZ_CHECK(memchr(bi->path, 0, sizeof(bi->path)) && memchr(bi->args, 0, sizeof(bi->args)),
		   "unterminated path or arguments");
	FUZZ_CHECK(bi->path[0], "empty boot file path");
	FUZZ_CHECK(bi->partition <= 255, "partition %u", bi->partition);
}

/* Look a path up; when found, check where it lies and read (some of) it. */
static int lookup(const struct iso9660_volume *vol, struct block_dev *dev, const char *path,
		  struct iso9660_file *f)
{
	const char *why = NULL;
	uint64_t bytes = dev->blocks * dev->block_size;
	size_t n;

	if (iso9660_lookup(vol, path, f, &why)) {
		FUZZ_CHECK(why && *why, "lookup failed without a reason");
		return -1;
	}
	FUZZ_CHECK(f->offset <= bytes && f->size <= bytes - f->offset,
		   "%s: [0x%llx +0x%llx) outside the device", path, (unsigned long long)f->offset,
		   (unsigned long long)f->size);
	if (f->dir)
		return 0;
	n = f->size < READ_CAP ? (size_t)f->size : READ_CAP;
	(void)iso9660_read(vol, f, 0, file_buf, n);
	FUZZ_CHECK(iso9660_read(vol, f, f->size, file_buf, 1) == -1, "read past the file's end");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	static const uint32_t sizes[4] = { 512, 2048, 4096, 1024 };
	static const char *const paths[] = {
		"\\boot\\grub\\powerpc.elf", "/boot/grub/powerpc-ieee1275/linux.mod",
		"\\BOOT\\GRUB\\POWERPC_\\LINUX.MOD;1", "\\mach_kernel",
		"\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d",
	};
	struct iso9660_volume vol;
	struct iso9660_file f;
	struct bootinfo bi;
	struct block_dev dev;
	const char *why = NULL;
	unsigned int i;
	int rc;

	if (size < 1)
		return 0;
	fuzz_disk_load(in + 1, size - 1);
	if (in[0] & 0x80) {
		memset(&bi, 0x55, sizeof(bi));
		if (bootinfo_parse((const char *)fuzz_disk.data, fuzz_disk.data_len, in[0] & 7, &bi,
				   &why) == 0)
			check_script(&bi);
		else
			FUZZ_CHECK(why && *why, "parse failed without a reason");
		fuzz_disk_unload();
		return 0;
	}
	/* The device: the system area's 32 KiB of zeros, then the data. */
	fuzz_disk.block_size = sizes[in[0] & 3];
	fuzz_disk.fail_past_data = !!(in[0] & 8);
	fuzz_disk.lead = SYSTEM_AREA;
	fuzz_disk.blocks = (SYSTEM_AREA + fuzz_disk.data_len + fuzz_disk.block_size - 1) /
			   fuzz_disk.block_size;
	if (in[0] & 4)
		fuzz_disk.blocks += (1u << 30) / fuzz_disk.block_size;
	fuzz_disk_attach(&dev);

	rc = iso9660_mount(&dev, 0, dev.blocks * dev.block_size, &vol, &why);
	if (rc) {
		FUZZ_CHECK(rc == 1 || (why && *why), "mount failed without a reason");
		fuzz_disk_unload();
		return 0;
	}
	FUZZ_CHECK(vol.limit <= dev.blocks * dev.block_size, "volume larger than the device");
	if (lookup(&vol, &dev, "\\ppc\\bootinfo.txt", &f) == 0 && !f.dir) {
		size_t n = f.size < READ_CAP ? (size_t)f.size : READ_CAP;

		memset(&bi, 0x55, sizeof(bi));
		if (iso9660_read(&vol, &f, 0, file_buf, n) == 0 &&
		    bootinfo_parse((const char *)file_buf, n, 0, &bi, &why) == 0) {
			check_script(&bi);
			(void)lookup(&vol, &dev, bi.path, &f);
		}
	}
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		(void)lookup(&vol, &dev, paths[i], &f);
	fuzz_disk_unload();
	return 0;
}
