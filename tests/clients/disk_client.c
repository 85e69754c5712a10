/* SPDX-License-Identifier: Apache-2.0 */
/* OF client: disk instances from the client's side (open, block-size, #blocks, read, seek past the end, short reads, refused writes, bad ihandles). */

/*
 * Booted with QEMU -kernel on the native firmware (samples/full) with one
 * virtio-blk disk attached: the GRUB test disk "mbr" of tests/guests/mkgrubdisk.sh
 * (96 MiB, 512-byte sectors, partition 1 = 8 MiB PReP at 1 MiB holding
 * GRUB's ELF core image, partition 2 = ext2 from 9 MiB to 95 MiB).  The
 * disk is attached writable, so a write the firmware did not refuse would
 * change the image: the test checks its hash before and after
 * (boot_test.py --unchanged-file).
 *
 * What the checks expect is what ci-services/disk/disk_instances.c and
 * docs/services.md promise: read returns a short count at the end of the
 * instance's window (the whole disk or one partition), seek returns -1 past
 * the end and leaves the position alone, write always returns -1, and a
 * closed or made-up ihandle gets -1 from read, write and seek.
 *
 * Output: "DISK: PASS <what>" / "DISK: FAIL <what> (<detail>)" per check,
 * then "DISK: DONE <n> passed, <m> failed", then CI exit.
 */

#include "client_lib.h"

#define SECTOR		512u
#define MiB		0x100000u
#define DISK_BYTES	(96u * MiB)
#define P1_START	(1u * MiB)		/* PReP */
#define P1_BYTES	(8u * MiB)
#define P2_START	(9u * MiB)		/* ext2 */
#define P2_BYTES	(86u * MiB)

static unsigned char buf[2 * SECTOR], ref[2 * SECTOR];

/* Read `len` bytes at `pos` of an instance into `to`; returns read's count. */
static uint32_t read_at(uint32_t ih, uint32_t pos, void *to, uint32_t len)
{
	if (of_seek(ih, 0, pos) != 0)
		return CI_ERR;
	return of_read(ih, to, len);
}

static void check_whole_disk(void)
{
	uint32_t ih = of_open("disk"), v;

	check(ih != 0 && ih != CI_ERR, "open \"disk\" (whole disk)", "ihandle ", ih);
	if (!ih || ih == CI_ERR)
		return;
	v = of_method1("block-size", ih);
	check(v == SECTOR, "whole disk: block-size 512", "got ", v);
	v = of_method1("#blocks", ih);
	check(v == DISK_BYTES / SECTOR, "whole disk: #blocks 196608 (96 MiB)", "got ", v);

	memset(buf, 0, sizeof(buf));
	v = read_at(ih, 0, buf, SECTOR);
	check(v == SECTOR && buf[510] == 0x55 && buf[511] == 0xaa,
	      "whole disk: read of sector 0 ends in the MBR signature 55 aa", "count ", v);
	check(buf[446 + 4] == 0x41 && buf[446] == 0x80,
	      "whole disk: MBR entry 1 is the bootable PReP partition (type 0x41)", "type ",
	      buf[446 + 4]);
	memcpy(ref, buf, SECTOR);

	/* An unaligned read: the firmware deblocks. */
	memset(buf, 0, sizeof(buf));
	v = read_at(ih, 509, buf, 3);
	check(v == 3 && buf[0] == ref[509] && buf[1] == 0x55 && buf[2] == 0xaa,
	      "whole disk: unaligned read of 3 bytes at 509", "count ", v);

	/* The first bytes of partition 1: GRUB's ELF core image. */
	v = read_at(ih, P1_START, buf, 4);
	check(v == 4 && buf[0] == 0x7f && buf[1] == 'E' && buf[2] == 'L' && buf[3] == 'F',
	      "whole disk: ELF magic at 1 MiB (partition 1)", "count ", v);

	/* Seeking to the very end is allowed; reading there gives 0 bytes. */
	v = of_seek(ih, 0, DISK_BYTES);
	check(v == 0, "whole disk: seek to the end -> 0", "status ", v);
	v = of_read(ih, buf, SECTOR);
	check(v == 0, "whole disk: read at the end -> 0 bytes", "count ", v);

	/* Past the end: -1 and the position unchanged (here 0 after the seek). */
	of_seek(ih, 0, 0);
	v = of_seek(ih, 0, DISK_BYTES + 1);
	check(v == CI_ERR, "whole disk: seek one byte past the end -> -1", "status ", v);
	v = of_seek(ih, 1, 0);
	check(v == CI_ERR, "whole disk: seek to 4 GiB (pos.hi = 1) -> -1", "status ", v);
	v = of_seek(ih, 0xffffffffu, 0xffffffffu);
	check(v == CI_ERR, "whole disk: seek to 2^64-1 -> -1", "status ", v);
	memset(buf, 0, sizeof(buf));
	v = of_read(ih, buf, SECTOR);
	check(v == SECTOR && mem_eq(buf, ref, SECTOR),
	      "whole disk: a refused seek leaves the position alone (sector 0 read again)",
	      "count ", v);

	/* Across the end of the disk: a short count, then 0. */
	v = read_at(ih, DISK_BYTES - 10, buf, 100);
	check(v == 10, "whole disk: read of 100 bytes 10 before the end -> 10", "count ", v);
	v = of_read(ih, buf, 100);
	check(v == 0, "whole disk: the next read -> 0", "count ", v);

	/* write: refused, and nothing written (read back; the image hash too). */
	memset(buf, 0xa5, sizeof(buf));
	of_seek(ih, 0, 0);
	v = of_write(ih, buf, SECTOR);
	check(v == CI_ERR, "whole disk: write of sector 0 -> -1", "got ", v);
	v = of_write(ih, buf, 0);
	check(v == CI_ERR, "whole disk: write of 0 bytes -> -1", "got ", v);
	memset(buf, 0, sizeof(buf));
	v = read_at(ih, 0, buf, SECTOR);
	check(v == SECTOR && mem_eq(buf, ref, SECTOR),
	      "whole disk: sector 0 unchanged after the refused writes", "count ", v);

	/* A buffer the firmware must not write (its own memory at 0): -1. */
	of_seek(ih, 0, 0);
	v = of_read(ih, (void *)0x100, SECTOR);
	check(v == CI_ERR, "whole disk: read into the firmware's memory -> -1", "count ", v);

	of_close(ih);
	v = of_read(ih, buf, SECTOR);
	check(v == CI_ERR, "whole disk: read on the closed ihandle -> -1", "count ", v);
	v = of_seek(ih, 0, 0);
	check(v == CI_ERR, "whole disk: seek on the closed ihandle -> -1", "status ", v);
	v = of_write(ih, ref, SECTOR);
	check(v == CI_ERR, "whole disk: write on the closed ihandle -> -1", "got ", v);
	v = of_method1("#blocks", ih);
	check(v == CI_ERR, "whole disk: #blocks on the closed ihandle -> throw", "got ", v);
}

/* The bytes at `pos` of the whole disk, through a second instance. */
static uint32_t whole_disk_bytes(uint32_t pos, void *to, uint32_t len)
{
	uint32_t ih = of_open("disk"), v;

	if (!ih || ih == CI_ERR)
		return CI_ERR;
	v = read_at(ih, pos, to, len);
	of_close(ih);
	return v;
}

static void check_partition1(void)
{
	uint32_t ih = of_open("disk:1"), v;

	check(ih != 0 && ih != CI_ERR, "open \"disk:1\" (PReP partition)", "ihandle ", ih);
	if (!ih || ih == CI_ERR)
		return;
	v = of_method1("block-size", ih);
	check(v == SECTOR, "partition 1: block-size 512", "got ", v);
	v = of_method1("#blocks", ih);
	check(v == P1_BYTES / SECTOR, "partition 1: #blocks 16384 (8 MiB)", "got ", v);

	memset(buf, 0, sizeof(buf));
	v = of_read(ih, buf, 8);
	check(v == 8 && buf[0] == 0x7f && buf[1] == 'E' && buf[2] == 'L' && buf[3] == 'F' &&
	      buf[4] == 1 /* ELFCLASS32 */ && buf[5] == 2 /* big-endian */,
	      "partition 1: first bytes are a 32-bit big-endian ELF (GRUB's core image)",
	      "count ", v);

	/*
	 * Across the partition's end: 100 of the 512 bytes asked for, and they
	 * are the disk's bytes just before partition 2 (not partition 2's).
	 */
	memset(buf, 0x5a, sizeof(buf));	/* partition 2 starts with zeros: not 0 */
	v = read_at(ih, P1_BYTES - 100, buf, SECTOR);
	check(v == 100, "partition 1: read of 512 bytes 100 before its end -> 100", "count ", v);
	memset(ref, 0x5a, sizeof(ref));
	whole_disk_bytes(P1_START + P1_BYTES - 100, ref, 100);
	check(mem_eq(buf, ref, 100), "partition 1: the short read's bytes are the disk's",
	      "first byte ", buf[0]);
	check(buf[100] == 0x5a && buf[SECTOR - 1] == 0x5a,
	      "partition 1: nothing written beyond the short count", "byte 100 ", buf[100]);
	v = of_read(ih, buf, SECTOR);
	check(v == 0, "partition 1: the next read -> 0", "count ", v);

	v = of_seek(ih, 0, P1_BYTES);
	check(v == 0, "partition 1: seek to its end -> 0", "status ", v);
	v = of_seek(ih, 0, P1_BYTES + 1);
	check(v == CI_ERR, "partition 1: seek one byte past its end -> -1", "status ", v);
	v = of_seek(ih, 0, DISK_BYTES - 1);
	check(v == CI_ERR, "partition 1: seek to a disk offset past the partition -> -1",
	      "status ", v);

	memset(buf, 0xa5, sizeof(buf));
	of_seek(ih, 0, 0);
	v = of_write(ih, buf, SECTOR);
	check(v == CI_ERR, "partition 1: write -> -1", "got ", v);
	memset(buf, 0, sizeof(buf));
	v = read_at(ih, 0, buf, 4);
	check(v == 4 && buf[0] == 0x7f && buf[1] == 'E',
	      "partition 1: first bytes unchanged after the refused write", "count ", v);
	of_close(ih);
}

static void check_partition2(void)
{
	uint32_t ih = of_open("disk:2"), v;

	check(ih != 0 && ih != CI_ERR, "open \"disk:2\" (ext2 partition)", "ihandle ", ih);
	if (!ih || ih == CI_ERR)
		return;
	v = of_method1("#blocks", ih);
	check(v == P2_BYTES / SECTOR, "partition 2: #blocks 176128 (86 MiB)", "got ", v);
	/* The ext2 superblock is at 1024; s_magic 0xef53 (little-endian) at 56 in it. */
	memset(buf, 0, sizeof(buf));
	v = read_at(ih, 1024 + 56, buf, 2);
	check(v == 2 && buf[0] == 0x53 && buf[1] == 0xef,
	      "partition 2: ext2 superblock magic 53 ef at 1080", "count ", v);
	v = read_at(ih, P2_BYTES - 1, buf, 2);
	check(v == 1, "partition 2: read of 2 bytes at its last byte -> 1", "count ", v);
	v = of_seek(ih, 0, P2_BYTES + SECTOR);
	check(v == CI_ERR, "partition 2: seek a sector past its end -> -1", "status ", v);
	of_close(ih);
}

static void check_bad_handles(void)
{
	static const uint32_t bad[] = { 0, CI_ERR, 0xdeadbeefu, 0xf0000000u + 63, 0xf0000000u + 64 };
	uint32_t i, bad_reads = 0, first = 0, v, ih;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (of_read(bad[i], buf, 16) != CI_ERR || of_seek(bad[i], 0, 0) != CI_ERR ||
		    of_write(bad[i], buf, 16) != CI_ERR) {
			if (!bad_reads++)
				first = bad[i];
		}
	}
	check(bad_reads == 0,
	      "read/seek/write on ihandles 0, -1, 0xdeadbeef and two unused slots -> -1",
	      "first accepted ", first);

	/* A partition that is not there cannot be read (open may still succeed). */
	ih = of_open("disk:9");
	v = ih && ih != CI_ERR ? of_read(ih, buf, 16) : CI_ERR;
	check(v == CI_ERR, "\"disk:9\" (no such partition): open fails or read -> -1",
	      "count ", v);
	if (ih && ih != CI_ERR)
		of_close(ih);
}

void client_main(uint32_t entry)
{
	(void)entry;
	client_tag = "DISK: ";
	console_init();
	put_str("DISK: disk-instance client\n");
	check_whole_disk();
	check_partition1();
	check_partition2();
	check_bad_handles();
	check_done();
	client_power_off(1);
}
