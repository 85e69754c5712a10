/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests: PReP partition lookup on sfdisk-made MBR/GPT images, and the ELF loader. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <vofkit/block/block.h>
#include <vofkit/block/partition_table.h>
#include <vofkit/boot/elf.h>
#include <vofkit/lib/crc32.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/mem.h>
#include <vofkit/lib/byteorder.h>
#include "mini_elf.h"

/* ---- a disk in a host buffer ------------------------------------------- */

#define DISK_BLOCKS 8192	/* 4 MiB of 512-byte blocks */

static uint8_t *disk;
static unsigned int reads;

static int mem_read(struct block_dev *d, uint64_t lba, uint32_t count, void *buf)
{
	reads++;
	if (lba + count > d->blocks)
		return -1;
	memcpy(buf, disk + lba * d->block_size, (size_t)count * d->block_size);
	return 0;
}

static struct block_dev dev = { .block_size = 512, .blocks = DISK_BLOCKS, .read = mem_read };
/* The same 4 MiB seen as a disk of 8 KiB blocks (512 of them). */
static struct block_dev dev8k = { .block_size = 8192, .blocks = DISK_BLOCKS / 16, .read = mem_read };

/*
 * The block layer's bounce buffer comes from the firmware heap, sized to
 * the largest block of any registered disk: here the heap is malloc and
 * the registry holds the two disks above.  heap_bytes counts what it took.
 */
static size_t heap_bytes;

void *fw_heap_alloc(size_t size, size_t align)
{
	void *p = aligned_alloc(align < 8 ? 8 : align, (size + align - 1) / align * align);

	heap_bytes += size;
	if (p)
		memset(p, 0, size);
	return p;
}

unsigned int block_dev_count(void)
{
	return 2;
}

struct block_dev *block_dev_at(unsigned int index)
{
	return index == 0 ? &dev : index == 1 ? &dev8k : NULL;
}

/* Partition the disk with the real sfdisk: the parser must read what Linux tools write. */
static void sfdisk_image(const char *script)
{
	char path[] = "/tmp/vk-disk-XXXXXX", cmd[512];
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, DISK_BLOCKS * 512), 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "printf '%s' | sfdisk -q --no-reread --no-tell-kernel %s >/dev/null 2>&1",
		 script, path);
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(disk, 512, DISK_BLOCKS, f), DISK_BLOCKS);
	fclose(f);
	unlink(path);
}

static int setup(void **state)
{
	(void)state;
	disk = calloc(DISK_BLOCKS, 512);
	reads = 0;
	return disk ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(disk);
	return 0;
}

static void crc32_known_vector(void **state)
{
	(void)state;
	assert_int_equal(crc32_ieee(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(crc32_ieee(0, "", 0), 0);
}

static void mbr_primary_prep(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: dos\\nstart=2048, size=2048, type=41\\nstart=4096, type=83\\n");
	assert_int_equal(part_find_prep(&dev, &p, &why), 0);
	assert_int_equal(p.offset, 2048ull * 512);
	assert_int_equal(p.size, 2048ull * 512);
	assert_int_equal(p.number, 1);
}

static void mbr_prep_second_entry(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: dos\\nstart=2048, size=1024, type=83\\nstart=4096, size=512, type=41\\n");
	assert_int_equal(part_find_prep(&dev, &p, &why), 0);
	assert_int_equal(p.offset, 4096ull * 512);
	assert_int_equal(p.number, 2);
}

static void mbr_logical_prep(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: dos\\nstart=2048, size=1024, type=83\\nstart=4096, type=5\\n"
		     "start=4200, size=512, type=83\\nstart=5000, size=1000, type=41\\n");
	assert_int_equal(part_find_prep(&dev, &p, &why), 0);
	assert_int_equal(p.offset, 5000ull * 512);
	assert_int_equal(p.size, 1000ull * 512);
	assert_int_equal(p.number, 6);
}

/* Both signature bytes count: 0x55 followed by anything but 0xaa is no MBR. */
static void mbr_signature_needs_both_bytes(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: dos\\nstart=2048, size=2048, type=41\\n");
	assert_int_equal(part_find_prep(&dev, &p, &why), 0);
	disk[511] = 0x00;
	assert_int_equal(part_find_prep(&dev, &p, &why), -1);
	assert_string_equal(why, "no partition table");
	disk[511] = 0xaa;
	disk[510] = 0x00;
	assert_int_equal(part_find_prep(&dev, &p, &why), -1);
	assert_string_equal(why, "no partition table");
}

/* A partition may end exactly at the last block, never one block past it. */
static void mbr_partition_end_at_the_disk_end(void **state)
{
	struct partition p;
	const char *why = NULL;
	uint8_t *e;

	(void)state;
	sfdisk_image("label: dos\\nstart=2048, size=2048, type=41\\n");
	e = disk + 446;
	put_le32(e + 12, DISK_BLOCKS - 2048);		/* up to the last block */
	assert_int_equal(part_find_prep(&dev, &p, &why), 0);
	assert_int_equal(p.offset + p.size, (uint64_t)DISK_BLOCKS * 512);
	put_le32(e + 12, DISK_BLOCKS - 2048 + 1);	/* one block past */
	assert_int_equal(part_find_prep(&dev, &p, &why), -1);
	assert_string_equal(why, "PReP partition outside the disk");
}

/*
 * PReP as the third logical partition: every EBR's link to the next one is
 * relative to the start of the extended partition, not to the EBR it is
 * in.  With one or two logical partitions both readings agree; the third
 * tells them apart.
 */
static void mbr_third_logical_prep(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: dos\\nstart=2048, size=1024, type=83\\nstart=4096, type=5\\n"
		     "start=4200, size=300, type=83\\nstart=4600, size=300, type=83\\n"
		     "start=5000, size=1000, type=41\\n");
	assert_int_equal(part_find_prep(&dev, &p, &why), 0);
	assert_int_equal(p.offset, 5000ull * 512);
	assert_int_equal(p.size, 1000ull * 512);
	assert_int_equal(p.number, 7);
	assert_int_equal(part_find_number(&dev, 6, &p), 0);
	assert_int_equal(p.offset, 4600ull * 512);
}

static void mbr_without_prep(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: dos\\nstart=2048, type=83\\n");
	assert_int_equal(part_find_prep(&dev, &p, &why), -1);
	assert_string_equal(why, "no PReP partition in the MBR");
}

static void blank_disk(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	assert_int_equal(part_find_prep(&dev, &p, &why), -1);
	assert_string_equal(why, "no partition table");
}

static void gpt_prep(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: gpt\\nstart=2048, size=2048, type=9E1A2D38-C612-4316-AA26-8B49521E5A8B\\n"
		     "start=4096, size=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\\n");
	assert_int_equal(part_find_prep(&dev, &p, &why), 0);
	assert_int_equal(p.offset, 2048ull * 512);
	assert_int_equal(p.size, 2048ull * 512);
	assert_int_equal(p.number, 1);
}

static void gpt_prep_not_first(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: gpt\\nstart=2048, size=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\\n"
		     "start=4096, size=1024, type=9E1A2D38-C612-4316-AA26-8B49521E5A8B\\n");
	assert_int_equal(part_find_prep(&dev, &p, &why), 0);
	assert_int_equal(p.offset, 4096ull * 512);
	assert_int_equal(p.number, 2);
}

static void gpt_without_prep(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: gpt\\nstart=2048, size=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\\n");
	assert_int_equal(part_find_prep(&dev, &p, &why), -1);
	assert_string_equal(why, "no PReP partition in the GPT");
}

static void gpt_primary_corrupt_backup_used(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: gpt\\nstart=2048, size=2048, type=9E1A2D38-C612-4316-AA26-8B49521E5A8B\\n");
	disk[512 + 40] ^= 0xff;		/* break the primary header's CRC */
	assert_int_equal(part_find_prep(&dev, &p, &why), 0);
	assert_int_equal(p.offset, 2048ull * 512);
}

static void gpt_both_headers_corrupt(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: gpt\\nstart=2048, size=2048, type=9E1A2D38-C612-4316-AA26-8B49521E5A8B\\n");
	disk[512 + 40] ^= 0xff;
	disk[(DISK_BLOCKS - 1) * 512 + 40] ^= 0xff;
	assert_int_equal(part_find_prep(&dev, &p, &why), -1);
	assert_string_equal(why, "corrupt GPT (no valid header)");
}

/* Primary header sound, primary entry table corrupt: the backup header and its table are used. */
static void gpt_primary_entries_corrupt_backup_used(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: gpt\\nstart=2048, size=2048, type=9E1A2D38-C612-4316-AA26-8B49521E5A8B\\n");
	disk[2 * 512 + 56] ^= 0x01;	/* a name byte of entry 1 in the primary table */
	assert_int_equal(part_find_prep(&dev, &p, &why), 0);
	assert_int_equal(p.offset, 2048ull * 512);
	assert_int_equal(p.number, 1);
}

static void gpt_both_entry_tables_corrupt(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: gpt\\nstart=2048, size=2048, type=9E1A2D38-C612-4316-AA26-8B49521E5A8B\\n");
	disk[2 * 512 + 56] ^= 0x01;
	/* sfdisk puts the backup table in the 32 sectors before the backup header */
	disk[(DISK_BLOCKS - 33) * 512 + 56] ^= 0x01;
	assert_int_equal(part_find_prep(&dev, &p, &why), -1);
	assert_string_equal(why, "corrupt GPT (partition table checksum)");
}

/* A sound primary table without a PReP entry is the answer: the backup is not consulted. */
static void gpt_sound_primary_without_prep_is_final(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: gpt\\nstart=2048, size=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\\n");
	assert_int_equal(part_find_prep(&dev, &p, &why), -1);
	assert_string_equal(why, "no PReP partition in the GPT");
}

/* Two PReP primaries, the first pointing past the end of the disk: the second one boots. */
static void mbr_first_prep_outside_second_used(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: dos\\nstart=2048, size=1024, type=41\\nstart=4096, size=512, type=41\\n");
	put_le32(disk + 446 + 8, 0xfffff000u);		/* entry 1 lba_first: far beyond 8192 */
	assert_int_equal(part_find_prep(&dev, &p, &why), 0);
	assert_int_equal(p.offset, 4096ull * 512);
	assert_int_equal(p.number, 2);
	/* both outside: said so */
	put_le32(disk + 446 + 16 + 12, 0x10000u);	/* entry 2 sectors: past the end */
	assert_int_equal(part_find_prep(&dev, &p, &why), -1);
	assert_string_equal(why, "PReP partition outside the disk");
}

/* The same in an extended chain: the first logical PReP is outside, the second is used. */
static void mbr_first_logical_prep_outside_second_used(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: dos\\nstart=2048, size=1024, type=83\\nstart=4096, type=5\\n"
		     "start=4200, size=512, type=41\\nstart=5000, size=1000, type=41\\n");
	/* the first EBR sits at the extended partition's start, LBA 4096 */
	put_le32(disk + 4096 * 512 + 446 + 12, 0x7ffffff0u);
	assert_int_equal(part_find_prep(&dev, &p, &why), 0);
	assert_int_equal(p.offset, 5000ull * 512);
	assert_int_equal(p.number, 6);
}

/*
 * An MBR disk of 8 KiB blocks: the table holds block numbers with no
 * block size of its own, so sfdisk's numbers are read as 8 KiB blocks.
 * The block layer bounces partial reads through a heap buffer of 8 KiB.
 */
static void mbr_8k_blocks(void **state)
{
	struct partition p;
	const char *why = NULL;
	uint8_t buf[100];
	unsigned int i;

	(void)state;
	sfdisk_image("label: dos\\nstart=16, size=64, type=83\\nstart=128, size=32, type=41\\n");
	assert_int_equal(part_find_prep(&dev8k, &p, &why), 0);
	assert_int_equal(p.offset, 128ull * 8192);
	assert_int_equal(p.size, 32ull * 8192);
	assert_int_equal(p.number, 2);
	for (i = 0; i < 3 * 8192; i++)
		disk[128 * 8192 + i] = (uint8_t)(i * 13);
	/* across a block boundary, at an odd offset */
	assert_int_equal(block_read_bytes(&dev8k, 128 * 8192 + 8150, buf, sizeof(buf)), 0);
	for (i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], (uint8_t)((8150 + i) * 13));
	assert_true(heap_bytes <= 8192);	/* one buffer, for the largest block */
}

/*
 * A GPT on 8 KiB blocks, made from sfdisk's 512-byte one: header at LBA 1
 * (byte 8192), entries at LBA 2, backup header at the last block, every
 * LBA divided by 16 and both CRCs recomputed.
 */
static void gpt_to_8k_blocks(void)
{
	uint8_t hdr[512], *ents = malloc(128 * 128);
	struct gpt_header *h = (struct gpt_header *)hdr;
	uint64_t last = DISK_BLOCKS / 16 - 1;
	unsigned int i;

	assert_non_null(ents);
	memcpy(hdr, disk + 512, sizeof(hdr));
	memcpy(ents, disk + 1024, 128 * 128);
	memset(disk + 512, 0, 33 * 512);		/* the 512-byte layout's primary */
	memset(disk + (DISK_BLOCKS - 33) * 512, 0, 33 * 512);	/* and its backup */
	for (i = 0; i < 128; i++) {
		struct gpt_entry *e = (struct gpt_entry *)(ents + i * 128);

		if (le64_to_cpu(e->last_lba)) {
			e->first_lba = cpu_to_le64(le64_to_cpu(e->first_lba) / 16);
			e->last_lba = cpu_to_le64((le64_to_cpu(e->last_lba) + 1) / 16 - 1);
		}
	}
	h->first_usable_lba = cpu_to_le64(4);
	h->last_usable_lba = cpu_to_le64(last - 3);
	h->entries_crc32 = cpu_to_le32(crc32_ieee(0, ents, 128 * 128));
	for (i = 0; i < 2; i++) {
		uint64_t mine = i ? last : 1, table = i ? last - 2 : 2;

		h->my_lba = cpu_to_le64(mine);
		h->alternate_lba = cpu_to_le64(i ? 1 : last);
		h->entries_lba = cpu_to_le64(table);
		h->header_crc32 = 0;
		h->header_crc32 = cpu_to_le32(crc32_ieee(0, hdr, le32_to_cpu(h->header_size)));
		memcpy(disk + mine * 8192, hdr, sizeof(hdr));
		memcpy(disk + table * 8192, ents, 128 * 128);
	}
	free(ents);
}

static void gpt_8k_blocks(void **state)
{
	struct partition p;
	const char *why = NULL;

	(void)state;
	sfdisk_image("label: gpt\\nstart=2048, size=1024, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\\n"
		     "start=4096, size=512, type=9E1A2D38-C612-4316-AA26-8B49521E5A8B\\n");
	gpt_to_8k_blocks();
	assert_int_equal(part_find_prep(&dev8k, &p, &why), 0);
	assert_int_equal(p.offset, 256ull * 8192);
	assert_int_equal(p.size, 32ull * 8192);
	assert_int_equal(p.number, 2);
	/* and through the backup, once the primary table is damaged */
	disk[2 * 8192 + 128 + 56] ^= 0x01;
	assert_int_equal(part_find_prep(&dev8k, &p, &why), 0);
	assert_int_equal(p.offset, 256ull * 8192);
}

static void partitions_by_number(void **state)
{
	struct partition p;

	(void)state;
	sfdisk_image("label: dos\nstart=2048, size=1024, type=83\nstart=4096, type=5\n"
		     "start=4200, size=512, type=83\nstart=5000, size=1000, type=41\n");
	assert_int_equal(part_find_number(&dev, 1, &p), 0);
	assert_int_equal(p.offset, 2048ull * 512);
	assert_int_equal(part_find_number(&dev, 5, &p), 0);
	assert_int_equal(p.offset, 4200ull * 512);
	assert_int_equal(part_find_number(&dev, 6, &p), 0);
	assert_int_equal(p.offset, 5000ull * 512);
	assert_int_equal(part_find_number(&dev, 3, &p), -1);	/* empty slot */
	assert_int_equal(part_find_number(&dev, 7, &p), -1);
	assert_int_equal(part_find_number(&dev, 0, &p), -1);
	sfdisk_image("label: gpt\nstart=2048, size=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n"
		     "start=4096, size=1024, type=9E1A2D38-C612-4316-AA26-8B49521E5A8B\n");
	assert_int_equal(part_find_number(&dev, 2, &p), 0);
	assert_int_equal(p.offset, 4096ull * 512);
	assert_int_equal(part_find_number(&dev, 3, &p), -1);
}

static void unaligned_byte_reads(void **state)
{
	uint8_t buf[1000];
	unsigned int i;

	(void)state;
	for (i = 0; i < 4096; i++)
		disk[i] = (uint8_t)(i * 7);
	assert_int_equal(block_read_bytes(&dev, 511, buf, sizeof(buf)), 0);
	for (i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], (uint8_t)((511 + i) * 7));
	/* past the end of the disk */
	assert_int_equal(block_read_bytes(&dev, DISK_BLOCKS * 512ull - 10, buf, 20), -1);
}

/* ---- ELF loader ---------------------------------------------------------- */

uint8_t *host_ram;
uint64_t fw_ram_top, fw_own_start, fw_own_end;
static uint8_t image[8192];

/*
 * A claim map as the loader sees one: claims may not overlap, the table
 * holds claim_cap entries (the firmware's has 64, some of them taken by
 * its own pre-claims), and a release must name exactly one live claim.
 * claim_calls counts attempts, so a test can show nothing was claimed.
 */
#define CLAIM_SLOTS 64
static uint64_t claimed[CLAIM_SLOTS][2];
static unsigned int nclaimed, claim_calls, release_calls, claim_cap;
static int claim_fails;
static uint64_t refuse_addr;	/* a claim at this address fails (0: none) */

static int image_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	(void)ctx;
	if (off > sizeof(image) || len > sizeof(image) - off)
		return -1;
	memcpy(buf, image + off, len);
	return 0;
}

static int record_claim(uint64_t addr, uint64_t size)
{
	unsigned int i;

	claim_calls++;
	if (claim_fails || nclaimed == claim_cap || (refuse_addr && addr == refuse_addr))
		return -1;
	for (i = 0; i < nclaimed; i++) {
		if (addr < claimed[i][0] + claimed[i][1] && claimed[i][0] < addr + size)
			return -1;
	}
	claimed[nclaimed][0] = addr;
	claimed[nclaimed][1] = size;
	nclaimed++;
	return 0;
}

static void record_release(uint64_t addr, uint64_t size)
{
	unsigned int i;

	release_calls++;
	for (i = 0; i < nclaimed; i++) {
		if (claimed[i][0] == addr && claimed[i][1] == size) {
			memmove(claimed[i], claimed[i + 1], (nclaimed - i - 1) * sizeof(claimed[0]));
			nclaimed--;
			return;
		}
	}
	fail_msg("release of %llx+%llx, which was never claimed",
		 (unsigned long long)addr, (unsigned long long)size);
}


/* A GRUB-like ELF32 BE image: one PT_LOAD at 0x200000, filesz 16, memsz 64. */
static void make_elf32(void)
{
	mini_elf32_be(image, sizeof(image), 0x200010, 0x1000, 0, 0x200000, 16, 64);
	memset(image + 0x1000, 0xab, 16);
}

static int elf_setup(void **state)
{
	(void)state;
	host_ram = calloc(1, 4u << 20);
	fw_ram_top = 4u << 20;
	memset(host_ram + 0x200000, 0xee, 128);
	nclaimed = claim_calls = release_calls = 0;
	claim_cap = CLAIM_SLOTS;
	claim_fails = 0;
	refuse_addr = 0;
	make_elf32();
	return host_ram ? 0 : -1;
}

static int elf_teardown(void **state)
{
	(void)state;
	free(host_ram);
	return 0;
}

static const struct elf_source src = { image_read, NULL, sizeof(image) };

static void elf32_loads_and_zero_fills(void **state)
{
	struct elf_loaded out;
	const char *why = NULL;
	unsigned int i;

	(void)state;
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), 0);
	assert_int_equal(out.entry, 0x200010);
	assert_int_equal(out.is64, 0);
	assert_int_equal(nclaimed, 1);
	assert_int_equal(claimed[0][0], 0x200000);
	assert_int_equal(claimed[0][1], 64);
	for (i = 0; i < 16; i++)
		assert_int_equal(host_ram[0x200000 + i], 0xab);
	for (i = 16; i < 64; i++)
		assert_int_equal(host_ram[0x200000 + i], 0);
	assert_int_equal(host_ram[0x200000 + 64], 0xee);	/* nothing past memsz */
}

static void elf_rejects(void **state)
{
	struct elf_loaded out;
	const char *why = NULL;

	(void)state;
	image[0] = 0;
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "no ELF image");
	make_elf32();
	image[5] = 1;		/* little-endian */
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "not a big-endian PowerPC executable");
	make_elf32();
	put_be32(image + 52 + 16, 0x100000);	/* filesz beyond the image */
	put_be32(image + 52 + 20, 0x100000);
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "segment outside the image or above 4 GiB");
	make_elf32();
	put_be32(image + 24, 0x300000);		/* entry not in a segment */
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "entry point outside the loaded segments");
	make_elf32();
	memset(host_ram + 0x200000, 0xee, 128);
	claim_fails = 1;
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "segment memory is not free (claim failed)");
	assert_int_equal(host_ram[0x200000], 0xee);	/* nothing written without a claim */
}

static void elf_empty_partition(void **state)
{
	struct elf_loaded out;
	const char *why = NULL;

	(void)state;
	memset(image, 0, sizeof(image));
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "no ELF image");
	assert_int_equal(nclaimed, 0);
}

/* ELF32 program header n (after the one make_elf32 writes at 52) for a PT_LOAD. */
static void put_phdr32(unsigned int n, uint32_t offset, uint32_t paddr, uint32_t filesz,
		       uint32_t memsz)
{
	uint8_t *ph = image + 52 + n * 32;

	memset(ph, 0, 32);
	put_be32(ph, 1);
	put_be32(ph + 4, offset);
	put_be32(ph + 8, paddr);	/* vaddr */
	put_be32(ph + 12, paddr);
	put_be32(ph + 16, filesz);
	put_be32(ph + 20, memsz);
	put_be16(image + 44, (uint16_t)(n + 1));	/* phnum */
}


/*
 * An ELFv1 ELF64 image (e_flags 1): one PT_LOAD at 0x200000 from file
 * offset 0x1000, filesz 0x40, memsz 0x100; the entry is a descriptor.
 */
static void make_elf64_v1(uint64_t entry)
{
	uint8_t *ph = image + 64;

	memset(image, 0, sizeof(image));
	memcpy(image, "\177ELF", 4);
	image[4] = 2;		/* ELFCLASS64 */
	image[5] = 2;
	image[6] = 1;
	put_be16(image + 16, 2);
	put_be16(image + 18, 21);	/* EM_PPC64 */
	put_be64(image + 24, entry);
	put_be64(image + 32, 64);	/* phoff */
	put_be32(image + 48, 1);	/* e_flags: ELFv1 */
	put_be16(image + 54, 56);	/* phentsize */
	put_be16(image + 56, 1);	/* phnum */
	put_be32(ph, 1);
	put_be64(ph + 8, 0x1000);
	put_be64(ph + 16, 0x200000);
	put_be64(ph + 24, 0x200000);
	put_be64(ph + 32, 0x40);
	put_be64(ph + 40, 0x100);
	memset(image + 0x1000, 0x60, 0x40);	/* nops */
}

/*
 * F1: a segment claimed, then the next one's claim refused.  Every claim
 * is given back, nothing was written, and a good image then loads.
 */
static void elf_refused_claim_releases_all(void **state)
{
	struct elf_loaded out;
	const char *why = NULL;

	(void)state;
	put_phdr32(1, 0x1000, 0x300000, 16, 0x80000);	/* a big bss */
	put_phdr32(2, 0x1000, 0x3f0000, 16, 64);
	refuse_addr = 0x3f0000;
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "segment memory is not free (claim failed)");
	assert_int_equal(claim_calls, 3);
	assert_int_equal(release_calls, 2);
	assert_int_equal(nclaimed, 0);
	assert_int_equal(host_ram[0x200000], 0xee);	/* claims all come before any write */
	make_elf32();
	refuse_addr = 0;
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), 0);
	assert_int_equal(nclaimed, 1);
}

/* F1: a segment that cannot be read after everything was claimed: all released. */
static void elf_unreadable_segment_releases_all(void **state)
{
	struct elf_loaded out;
	const char *why = NULL;
	const struct elf_source big = { image_read, NULL, 3 * sizeof(image) };

	(void)state;
	put_phdr32(1, 0x4000, 0x300000, 0x100, 0x100);	/* past the host buffer: read fails */
	assert_int_equal(elf_load(&big, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "segment unreadable");
	assert_int_equal(release_calls, 2);
	assert_int_equal(nclaimed, 0);
}

/* F1: 64 one-byte segments overflow the claim table; all are released and a good image loads. */
static void elf_64_tiny_segments_then_good(void **state)
{
	struct elf_loaded out;
	const char *why = NULL;
	unsigned int i;

	(void)state;
	claim_cap = 60;		/* the firmware's table less its own pre-claims */
	put_be16(image + 42, 32);
	put_be32(image + 28, 0x200);	/* phoff: room for 64 headers */
	for (i = 0; i < 64; i++) {
		uint8_t *ph = image + 0x200 + i * 32;

		memset(ph, 0, 32);
		put_be32(ph, 1);
		put_be32(ph + 4, 0x1000);
		put_be32(ph + 8, 0x200000 + i * 0x100);
		put_be32(ph + 12, 0x200000 + i * 0x100);
		put_be32(ph + 16, 1);
		put_be32(ph + 20, 1);
	}
	put_be16(image + 44, 64);
	put_be32(image + 24, 0x200000);
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "segment memory is not free (claim failed)");
	assert_int_equal(claim_calls, 61);
	assert_int_equal(nclaimed, 0);
	make_elf32();
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), 0);
	assert_int_equal(nclaimed, 1);
	assert_int_equal(out.entry, 0x200010);
}

/* F2: an entry between two segments, inside lowest..highest, is refused before any claim. */
static void elf_entry_in_gap(void **state)
{
	struct elf_loaded out;
	const char *why = NULL;

	(void)state;
	put_phdr32(1, 0x1000, 0x300000, 16, 64);
	put_be32(image + 24, 0x280000);
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "entry point outside the loaded segments");
	assert_int_equal(claim_calls, 0);
	/* one byte past the first segment's memsz is in the gap too */
	put_be32(image + 24, 0x200040);
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_int_equal(claim_calls, 0);
	/* the second segment's start is fine */
	put_be32(image + 24, 0x300000);
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), 0);
	assert_int_equal(nclaimed, 2);
}

/* Overlapping segments are refused before anything is claimed. */
static void elf_overlapping_segments(void **state)
{
	struct elf_loaded out;
	const char *why = NULL;

	(void)state;
	put_phdr32(1, 0x1000, 0x200020, 16, 64);	/* starts inside the first */
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "segments overlap");
	assert_int_equal(claim_calls, 0);
	put_phdr32(1, 0x1000, 0x1ffff0, 16, 0x100);	/* covers the first */
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "segments overlap");
	put_phdr32(1, 0x1000, 0x200040, 16, 64);	/* adjacent is fine */
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), 0);
}

/*
 * A Linux-style ELF64 (ELFv2, e_flags 2) with two segments whose virtual
 * addresses (0xc000...) differ from their physical ones: real mode loads at
 * p_paddr, so every claim, every byte and the zero-fill are at p_paddr.
 */
static void elf64_loads_at_paddr_not_vaddr(void **state)
{
	struct elf_loaded out;
	const char *why = NULL;
	uint8_t *ph;
	unsigned int i;

	(void)state;
	make_elf64_v1(0x200010);
	put_be32(image + 48, 2);			/* e_flags: ELFv2, the entry is code */
	put_be16(image + 56, 2);			/* phnum */
	ph = image + 64;
	put_be64(ph + 16, 0xc000000000200000ull);	/* vaddr of segment 0 */
	ph = image + 64 + 56;
	put_be32(ph, 1);
	put_be64(ph + 8, 0x1800);
	put_be64(ph + 16, 0xc000000000280000ull);	/* vaddr */
	put_be64(ph + 24, 0x280000);		/* paddr */
	put_be64(ph + 32, 0x20);
	put_be64(ph + 40, 0x80);
	memset(image + 0x1800, 0x5c, 0x20);
	memset(host_ram + 0x280000, 0xee, 0x100);
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), 0);
	assert_int_equal(out.is64, 1);
	assert_int_equal(out.entry, 0x200010);
	assert_int_equal(nclaimed, 2);
	assert_int_equal(claimed[0][0], 0x200000);
	assert_int_equal(claimed[1][0], 0x280000);
	assert_int_equal(claimed[1][1], 0x80);
	for (i = 0; i < 0x20; i++)
		assert_int_equal(host_ram[0x280000 + i], 0x5c);
	for (i = 0x20; i < 0x80; i++)
		assert_int_equal(host_ram[0x280000 + i], 0);
	assert_int_equal(host_ram[0x280000 + 0x80], 0xee);
	assert_int_equal(host_ram[0x200000], 0x60);
}

/* F4: ELFv1 descriptors: the bound cannot wrap, and the descriptor must be file-backed. */
static void elf64_v1_descriptor(void **state)
{
	struct elf_loaded out;
	const char *why = NULL;

	(void)state;
	make_elf64_v1(0xFFFFFFFFFFFFFFF8ull);
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "entry descriptor outside the image");
	assert_int_equal(claim_calls, 0);
	make_elf64_v1(0x20003c);	/* straddles the end of the file-backed bytes */
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "entry descriptor outside the image");
	make_elf64_v1(0x200080);	/* in the bss: would read as 0 */
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "entry descriptor outside the image");
	/* a descriptor whose code address is in no segment */
	make_elf64_v1(0x200030);
	put_be64(image + 0x1030, 0x500000);
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "entry point outside the loaded segments");
	assert_int_equal(claim_calls, 0);
	/* a good one: the code address is the descriptor's first doubleword */
	put_be64(image + 0x1030, 0x200008);
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), 0);
	assert_int_equal(out.entry, 0x200008);
	assert_int_equal(out.is64, 1);
	assert_int_equal(nclaimed, 1);
}


/*
 * A ppc64el vmlinux in miniature: little-endian ELFv2 ELF64, one PT_LOAD
 * linked at 0xc000000000000000 with p_paddr 0, file offset 0x1000, filesz
 * 0x40, memsz 0x100, e_entry the link address.
 */
static void make_vmlinux_le(void)
{
	mini_vmlinux_le(image, sizeof(image), 0x1000, 0x40, 0x100);
	memset(image + 0x1000, 0x7a, 0x40);
}

/*
 * elf_load_kernel: the -kernel placement (base + (p_paddr & 0x0fffffff),
 * entry = base whatever e_entry says), little-endian accepted there and
 * only there; elf_measure says the same and claims nothing.
 */
static void elf_kernel_relocated(void **state)
{
	static const struct elf_reloc reloc = { 0x200000 };
	struct elf_loaded out;
	const char *why = NULL;
	unsigned int i;

	(void)state;
	make_vmlinux_le();
	assert_int_equal(elf_load(&src, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "not a big-endian PowerPC executable");
	assert_int_equal(elf_measure(&src, &reloc, &out, &why), 0);
	assert_int_equal(out.lowest, 0x200000);
	assert_int_equal(out.highest, 0x200100);
	assert_int_equal(out.entry, 0x200000);
	assert_int_equal(claim_calls, 0);
	memset(host_ram + 0x200000, 0xee, 0x200);
	assert_int_equal(elf_load_kernel(&src, &reloc, record_claim, record_release, &out, &why), 0);
	assert_int_equal(out.entry, 0x200000);
	assert_int_equal(out.is64, 1);
	assert_int_equal(out.little_endian, 1);
	assert_int_equal(nclaimed, 1);
	assert_int_equal(claimed[0][0], 0x200000);
	assert_int_equal(claimed[0][1], 0x100);
	for (i = 0; i < 0x40; i++)
		assert_int_equal(host_ram[0x200000 + i], 0x7a);
	for (i = 0x40; i < 0x100; i++)
		assert_int_equal(host_ram[0x200000 + i], 0);
	assert_int_equal(host_ram[0x200100], 0xee);
}

/* Only the low 28 bits of p_paddr count; the entry must still be a loaded byte. */
static void elf_kernel_paddr_mask(void **state)
{
	static const struct elf_reloc reloc = { 0x100000 };
	struct elf_loaded out;
	const char *why = NULL;

	(void)state;
	make_elf32();
	put_be32(image + 52 + 12, 0x10000000);	/* paddr: masked to 0 */
	assert_int_equal(elf_load_kernel(&src, &reloc, record_claim, record_release, &out, &why), 0);
	assert_int_equal(out.is64, 0);
	assert_int_equal(out.little_endian, 0);
	assert_int_equal(out.entry, 0x100000);
	assert_int_equal(claimed[0][0], 0x100000);
	assert_int_equal(host_ram[0x100000], 0xab);
	record_release(0x100000, 64);
	/* 0x10200000 lands at base + 0x200000: the base itself is in no segment */
	put_be32(image + 52 + 12, 0x10200000);
	claim_calls = 0;
	assert_int_equal(elf_measure(&src, &reloc, &out, &why), -1);
	assert_string_equal(why, "entry point outside the loaded segments");
	assert_int_equal(elf_load_kernel(&src, &reloc, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "entry point outside the loaded segments");
	assert_int_equal(claim_calls, 0);
	/* a refused claim gives everything back, as elf_load does */
	put_be32(image + 52 + 12, 0);
	claim_fails = 1;
	assert_int_equal(elf_load_kernel(&src, &reloc, record_claim, record_release, &out, &why), -1);
	assert_string_equal(why, "segment memory is not free (claim failed)");
	assert_int_equal(nclaimed, 0);
}

int main(void)
{
	const struct CMUnitTest part_tests[] = {
		cmocka_unit_test(crc32_known_vector),
		cmocka_unit_test_setup_teardown(mbr_primary_prep, setup, teardown),
		cmocka_unit_test_setup_teardown(mbr_prep_second_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(mbr_logical_prep, setup, teardown),
		cmocka_unit_test_setup_teardown(mbr_third_logical_prep, setup, teardown),
		cmocka_unit_test_setup_teardown(mbr_signature_needs_both_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(mbr_partition_end_at_the_disk_end, setup, teardown),
		cmocka_unit_test_setup_teardown(mbr_without_prep, setup, teardown),
		cmocka_unit_test_setup_teardown(blank_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(gpt_prep, setup, teardown),
		cmocka_unit_test_setup_teardown(gpt_prep_not_first, setup, teardown),
		cmocka_unit_test_setup_teardown(gpt_without_prep, setup, teardown),
		cmocka_unit_test_setup_teardown(gpt_primary_corrupt_backup_used, setup, teardown),
		cmocka_unit_test_setup_teardown(gpt_both_headers_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(gpt_primary_entries_corrupt_backup_used, setup, teardown),
		cmocka_unit_test_setup_teardown(gpt_both_entry_tables_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(gpt_sound_primary_without_prep_is_final, setup, teardown),
		cmocka_unit_test_setup_teardown(mbr_first_prep_outside_second_used, setup, teardown),
		cmocka_unit_test_setup_teardown(mbr_first_logical_prep_outside_second_used, setup, teardown),
		cmocka_unit_test_setup_teardown(mbr_8k_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(gpt_8k_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(partitions_by_number, setup, teardown),
		cmocka_unit_test_setup_teardown(unaligned_byte_reads, setup, teardown),
	};
	const struct CMUnitTest elf_tests[] = {
		cmocka_unit_test_setup_teardown(elf32_loads_and_zero_fills, elf_setup, elf_teardown),
		cmocka_unit_test_setup_teardown(elf_rejects, elf_setup, elf_teardown),
		cmocka_unit_test_setup_teardown(elf_empty_partition, elf_setup, elf_teardown),
		cmocka_unit_test_setup_teardown(elf_refused_claim_releases_all, elf_setup, elf_teardown),
		cmocka_unit_test_setup_teardown(elf_unreadable_segment_releases_all, elf_setup, elf_teardown),
		cmocka_unit_test_setup_teardown(elf_64_tiny_segments_then_good, elf_setup, elf_teardown),
		cmocka_unit_test_setup_teardown(elf_entry_in_gap, elf_setup, elf_teardown),
		cmocka_unit_test_setup_teardown(elf_overlapping_segments, elf_setup, elf_teardown),
		cmocka_unit_test_setup_teardown(elf64_v1_descriptor, elf_setup, elf_teardown),
		cmocka_unit_test_setup_teardown(elf64_loads_at_paddr_not_vaddr, elf_setup, elf_teardown),
		cmocka_unit_test_setup_teardown(elf_kernel_relocated, elf_setup, elf_teardown),
		cmocka_unit_test_setup_teardown(elf_kernel_paddr_mask, elf_setup, elf_teardown),
	};

	return cmocka_run_group_tests_name("partitions", part_tests, NULL, NULL) |
	       cmocka_run_group_tests_name("elf", elf_tests, NULL, NULL);
}
