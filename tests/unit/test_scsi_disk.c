/* SPDX-License-Identifier: Apache-2.0 */
/* The SCSI disk layer (drivers/scsi/scsi_disk.c) against a scripted transport: probing, retries, capacity, reads. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <vofkit/core/device.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/scsi.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/console.h>
#include "capture.h"

/* ---- the console, tree, heap and time functions the layer uses ---- */

/*
 * Messages go through the firmware's own formatter (lib/printk.c) into the
 * capture console, so a format it does not take shows here as wrong text.
 */
static void capture_reset(void)
{
	capture_clear();
}

#define NODES 256
static char node_name[NODES][32];
static uint32_t node_parent[NODES];
static char node_type[NODES][16];
static uint8_t node_reg[NODES][8];
static unsigned int nodes = 2;		/* 1 is the adapter */
static unsigned int fail_add_node;
static unsigned int delays_ms;

int tree_valid(uint32_t ph)
{
	return ph >= 1 && ph < nodes;
}

uint32_t tree_add_node(uint32_t parent, const char *name)
{
	if (fail_add_node || nodes == NODES || !tree_valid(parent))
		return TREE_NO_NODE;
	snprintf(node_name[nodes], sizeof(node_name[0]), "%s", name);
	node_parent[nodes] = parent;
	return nodes++;
}

int tree_setprop(uint32_t ph, const char *name, const void *val, int len)
{
	if (!tree_valid(ph))
		return -1;
	if (!strcmp(name, "device_type"))
		snprintf(node_type[ph], sizeof(node_type[0]), "%s", (const char *)val);
	else if (!strcmp(name, "reg") && len == 8)
		memcpy(node_reg[ph], val, 8);
	return 0;
}

int tree_path(uint32_t ph, char *buf, size_t len)
{
	int n = ph == 1 ? snprintf(buf, len, "/vdevice/v-scsi@71000001") :
		snprintf(buf, len, "/vdevice/v-scsi@71000001/%s", node_name[ph]);

	return tree_valid(ph) ? n : -1;
}

/* A bump heap, as the firmware's: nothing is freed. */
void *fw_heap_alloc(size_t size, size_t align)
{
	static uint8_t heap[64 * 1024] __attribute__((aligned(4096)));
	static size_t used;
	size_t start = (used + align - 1) & ~(align - 1);

	if (start + size > sizeof(heap))
		return NULL;
	used = start + size;
	return heap + start;
}

void time_delay_ms(uint32_t ms)
{
	delays_ms += ms;
}

/* ---- a scripted transport: LUNs with a medium, pending conditions and a command log ---- */

struct fake_lun {
	uint64_t lun;
	uint8_t type;		/* INQUIRY byte 0 (0x7f: no such LUN) */
	uint8_t rmb;
	uint64_t blocks;
	uint32_t block_size;
	int unit_attention;	/* pending UNIT ATTENTIONs */
	int becoming_ready;	/* NOT READY 04/01 answers left */
	int no_medium;
	int read_error_lba;	/* -1: none */
	int transport_error;
};

static struct fake_lun luns[32];
static unsigned int nluns;
static unsigned int cmds, reads10, reads16, max_blocks_per_read;
static uint8_t last_read_op;

static uint8_t pattern(uint64_t lun, uint64_t byte)
{
	return (uint8_t)(byte * 7 + (byte >> 11) + (lun >> 48));
}

static int check(uint8_t *sense, uint8_t key, uint8_t asc, uint8_t ascq)
{
	sense[0] = 0x70;
	sense[2] = key;
	sense[7] = 10;
	sense[12] = asc;
	sense[13] = ascq;
	return SCSI_STATUS_CHECK;
}

static int fake_exec(struct scsi_host *host, uint64_t lun, const uint8_t *cdb,
		     unsigned int cdb_len, void *buf, uint32_t len,
		     uint8_t sense[SCSI_SENSE_MAX])
{
	struct fake_lun *l = NULL;
	uint8_t *out = buf;
	unsigned int i;

	cmds++;
	for (i = 0; i < nluns; i++) {
		if (luns[i].lun == lun)
			l = &luns[i];
	}
	if (!l)
		return SCSI_ERR_NO_DEVICE;
	if (l->transport_error)
		return SCSI_ERR_TRANSPORT;
	if (cdb[0] == 0x12) {		/* INQUIRY: never gets UNIT ATTENTION */
		assert_true(len >= 36 && get_be16(cdb + 3) == len);
		memset(out, 0, len);
		out[0] = l->type;
		out[1] = l->rmb ? 0x80 : 0;
		memcpy(out + 8, "QEMU    ", 8);
		memcpy(out + 16, l->type == 5 ? "QEMU CD-ROM     " : "QEMU HARDDISK   ", 16);
		return SCSI_STATUS_GOOD;
	}
	if (cdb[0] == 0xa0) {		/* REPORT LUNS lists every LUN but the bad ones */
		uint32_t n = 0;

		memset(out, 0, len);
		for (i = 0; i < nluns; i++) {
			if (8 + 8 * (n + 1) <= len)
				put_be64(out + 8 + 8 * n, luns[i].lun);
			n++;
		}
		put_be32(out, 8 * n);
		return SCSI_STATUS_GOOD;
	}
	if (l->unit_attention) {
		l->unit_attention--;
		return check(sense, 6, 0x29, 0);
	}
	if (l->becoming_ready) {
		l->becoming_ready--;
		return check(sense, 2, 0x04, 0x01);
	}
	if (l->no_medium)
		return check(sense, 2, 0x3a, 0);
	switch (cdb[0]) {
	case 0x00:
		assert_int_equal(len, 0);
		return SCSI_STATUS_GOOD;
	case 0x25:
		assert_int_equal(cdb_len, 10);
		put_be32(out, l->blocks - 1 > 0xffffffffull ? 0xffffffffu : (uint32_t)(l->blocks - 1));
		put_be32(out + 4, l->block_size);
		return SCSI_STATUS_GOOD;
	case 0x9e:
		assert_int_equal(cdb[1], 0x10);
		put_be64(out, l->blocks - 1);
		put_be32(out + 8, l->block_size);
		return SCSI_STATUS_GOOD;
	case 0x28:
	case 0x88: {
		uint64_t lba = cdb[0] == 0x28 ? get_be32(cdb + 2) : get_be64(cdb + 2);
		uint32_t n = cdb[0] == 0x28 ? get_be16(cdb + 7) : get_be32(cdb + 10);
		uint64_t b;

		last_read_op = cdb[0];
		if (cdb[0] == 0x28)
			reads10++;
		else
			reads16++;
		if (n > max_blocks_per_read)
			max_blocks_per_read = n;
		assert_int_equal((uint64_t)n * l->block_size, len);
		assert_true(n * l->block_size <= host->max_transfer || n == 1);
		if (lba + n > l->blocks)
			return check(sense, 5, 0x21, 0);
		if (l->read_error_lba >= 0 && (uint64_t)l->read_error_lba >= lba &&
		    (uint64_t)l->read_error_lba < lba + n)
			return check(sense, 3, 0x11, 0);
		for (b = 0; b < len; b++)
			out[b] = pattern(lun, lba * l->block_size + b);
		return SCSI_STATUS_GOOD;
	}
	}
	return check(sense, 5, 0x20, 0);
}

static struct scsi_host host = { .phandle = 1, .max_transfer = 0x10000, .name = "v-scsi",
				 .exec = fake_exec };

static struct fake_lun *add_lun(uint64_t lun, uint8_t type, uint64_t blocks, uint32_t bs)
{
	struct fake_lun *l = &luns[nluns++];

	memset(l, 0, sizeof(*l));
	l->lun = lun;
	l->type = type;
	l->blocks = blocks;
	l->block_size = bs;
	l->read_error_lba = -1;
	return l;
}

static struct block_dev *last_registered(void)
{
	return block_dev_at(block_dev_count() - 1);
}

/* ---- tests ---- */

static void disk_after_unit_attention_reads_every_byte(void **state)
{
	struct fake_lun *l = add_lun(0x8000000000000000ull, 0, 20000, 512);
	unsigned int before = block_dev_count();
	struct block_dev *bd;
	static uint8_t buf[300 * 512];
	unsigned int i;

	(void)state;
	l->unit_attention = 1;
	assert_int_equal(scsi_disk_probe(&host, l->lun), 1);
	assert_int_equal(block_dev_count(), before + 1);
	bd = last_registered();
	assert_string_equal(node_name[bd->phandle], "disk@8000000000000000");
	assert_int_equal(node_parent[bd->phandle], 1);
	assert_string_equal(node_type[bd->phandle], "block");
	assert_int_equal(get_be64(node_reg[bd->phandle]), l->lun);
	assert_int_equal(bd->block_size, 512);
	assert_int_equal(bd->blocks, 20000);
	assert_int_equal(bd->flags, 0);
	assert_true(scsi_disk_unit(bd->phandle) == l->lun);
	assert_true(scsi_disk_unit(1) == 0);
	assert_true(capture_contains("20000 blocks of 512 bytes"));

	/* 300 blocks = 150 KiB: three commands of at most 64 KiB (128 blocks) */
	cmds = reads10 = reads16 = max_blocks_per_read = 0;
	assert_int_equal(bd->read(bd, 1000, 300, buf), 0);
	assert_int_equal(reads10, 3);
	assert_int_equal(reads16, 0);
	assert_int_equal(max_blocks_per_read, 128);
	for (i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], pattern(l->lun, 1000 * 512 + i));
	/* the last block, and past the end: refused before any command */
	assert_int_equal(bd->read(bd, 19999, 1, buf), 0);
	cmds = 0;
	assert_int_equal(bd->read(bd, 19999, 2, buf), -1);
	assert_int_equal(bd->read(bd, 20000, 1, buf), -1);
	assert_int_equal(bd->read(bd, ~0ull, 2, buf), -1);
	assert_int_equal(cmds, 0);
	/* a UNIT ATTENTION in the middle of reading (media change, reset) is retried */
	l->unit_attention = 2;
	assert_int_equal(bd->read(bd, 5, 1, buf), 0);
	assert_int_equal(buf[0], pattern(l->lun, 5 * 512));
}

static void medium_error_fails_the_read_with_its_sense(void **state)
{
	struct fake_lun *l = add_lun(0x8100000000000000ull, 0, 4096, 512);
	struct block_dev *bd;
	uint8_t buf[4 * 512];

	(void)state;
	assert_int_equal(scsi_disk_probe(&host, l->lun), 1);
	bd = last_registered();
	l->read_error_lba = 10;
	capture_reset();
	assert_int_equal(bd->read(bd, 8, 4, buf), -1);
	assert_true(capture_contains("disk@8100000000000000: read of block 8 failed (sense 3/11/0)"));
	assert_int_equal(bd->read(bd, 11, 4, buf), 0);
}

static void cd_rom_has_2048_byte_blocks_and_cdrom_flags(void **state)
{
	struct fake_lun *l = add_lun(0x8200000000000000ull, 5, 1000, 2048);
	struct block_dev *bd;
	uint8_t buf[2048];

	(void)state;
	l->rmb = 1;
	l->unit_attention = 1;
	l->becoming_ready = 3;
	delays_ms = 0;
	assert_int_equal(scsi_disk_probe(&host, l->lun), 1);
	assert_int_equal(delays_ms, 30);
	bd = last_registered();
	assert_int_equal(bd->block_size, 2048);
	assert_int_equal(bd->blocks, 1000);
	assert_int_equal(bd->flags, BLOCK_DEV_CDROM | BLOCK_DEV_REMOVABLE);
	assert_int_equal(bd->read(bd, 16, 1, buf), 0);
	assert_int_equal(buf[1], pattern(l->lun, 16 * 2048 + 1));
}

static void empty_cd_drive_is_registered_without_blocks(void **state)
{
	struct fake_lun *l = add_lun(0x8300000000000000ull, 5, 1000, 2048);
	unsigned int before = block_dev_count();
	struct block_dev *bd;
	uint8_t buf[2048];

	(void)state;
	l->no_medium = 1;
	capture_reset();
	assert_int_equal(scsi_disk_probe(&host, l->lun), 1);
	assert_int_equal(block_dev_count(), before + 1);
	bd = last_registered();
	assert_int_equal(bd->blocks, 0);
	assert_int_equal(bd->block_size, 2048);
	assert_int_equal(bd->flags, BLOCK_DEV_CDROM | BLOCK_DEV_REMOVABLE);
	assert_true(capture_contains("disk@8300000000000000: QEMU QEMU CD-ROM, no medium"));
	assert_true(capture_contains("no medium"));
	assert_int_equal(bd->read(bd, 0, 1, buf), -1);
}

static void what_is_not_a_usable_disk_is_skipped(void **state)
{
	unsigned int before = block_dev_count();
	unsigned int nodes_before = nodes;

	(void)state;
	/* nothing at the LUN: the transport knows, or INQUIRY says qualifier 3 */
	assert_int_equal(scsi_disk_probe(&host, 0x8400000000000000ull), 0);
	add_lun(0x8500000000000000ull, 0x7f, 0, 0);
	assert_int_equal(scsi_disk_probe(&host, 0x8500000000000000ull), 0);
	/* a tape drive */
	add_lun(0x8600000000000000ull, 0x01, 10, 512);
	capture_reset();
	assert_int_equal(scsi_disk_probe(&host, 0x8600000000000000ull), 0);
	assert_true(capture_contains("device type 0x1"));
	/* a disk with no medium, a transport failure, block sizes the deblocker cannot take */
	add_lun(0x8700000000000000ull, 0, 10, 512)->no_medium = 1;
	assert_int_equal(scsi_disk_probe(&host, 0x8700000000000000ull), -1);
	add_lun(0x8800000000000000ull, 0, 10, 512)->transport_error = 1;
	assert_int_equal(scsi_disk_probe(&host, 0x8800000000000000ull), -1);
	add_lun(0x8900000000000000ull, 0, 10, 520);
	capture_reset();
	assert_int_equal(scsi_disk_probe(&host, 0x8900000000000000ull), -1);
	assert_true(capture_contains("unusable capacity (10 blocks of 520 bytes)"));
	assert_int_equal(block_dev_count(), before);
	assert_int_equal(nodes, nodes_before);
	/* no transport at all */
	assert_int_equal(scsi_disk_probe(NULL, 0), -1);
}

static void huge_disk_uses_read_capacity_16_and_read_16(void **state)
{
	uint64_t blocks = 0x180000000ull;	/* 3 Ti blocks of 512 bytes */
	struct fake_lun *l;
	struct block_dev *bd;
	uint8_t buf[1024];

	(void)state;
	nluns = 0;
	l = add_lun(0x8a00000000000000ull, 0, blocks, 4096);
	assert_int_equal(scsi_disk_probe(&host, l->lun), 1);
	bd = last_registered();
	assert_true(bd->blocks == blocks);
	assert_int_equal(bd->block_size, 4096);
	reads10 = reads16 = 0;
	assert_int_equal(bd->read(bd, blocks - 1, 0, buf), 0);
	assert_int_equal(reads16, 0);
	{
		static uint8_t big[3 * 4096];

		assert_int_equal(bd->read(bd, blocks - 3, 3, big), 0);
		assert_int_equal(reads16, 1);
		assert_int_equal(last_read_op, 0x88);
		assert_int_equal(big[5], pattern(l->lun, (blocks - 3) * 4096 + 5));
		/* low LBAs also go through READ(16): the LBA field is what it is */
		assert_int_equal(bd->read(bd, 2, 1, big), 0);
		assert_int_equal(last_read_op, 0x88);
	}
}

static void node_failure_registers_nothing(void **state)
{
	unsigned int before = block_dev_count();

	(void)state;
	add_lun(0x8b00000000000000ull, 0, 10, 512);
	fail_add_node = 1;
	assert_int_equal(scsi_disk_probe(&host, 0x8b00000000000000ull), -1);
	fail_add_node = 0;
	assert_int_equal(block_dev_count(), before);
}

static void report_luns_lists_what_arrived(void **state)
{
	uint64_t got[4];
	unsigned int i;

	(void)state;
	nluns = 0;
	for (i = 0; i < 6; i++)
		add_lun(0x8000000000000000ull | (uint64_t)i << 56, 0, 10, 512);
	assert_int_equal(scsi_report_luns(&host, 0x8000000000000000ull, got, 4), 4);
	assert_true(got[0] == 0x8000000000000000ull);
	assert_true(got[3] == 0x8300000000000000ull);
	/* a failing adapter: -1; no buffer: -1 */
	luns[0].transport_error = 1;
	assert_int_equal(scsi_report_luns(&host, 0x8000000000000000ull, got, 4), -1);
	assert_int_equal(scsi_report_luns(&host, 0x8100000000000000ull, NULL, 4), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(disk_after_unit_attention_reads_every_byte),
		cmocka_unit_test(medium_error_fails_the_read_with_its_sense),
		cmocka_unit_test(cd_rom_has_2048_byte_blocks_and_cdrom_flags),
		cmocka_unit_test(empty_cd_drive_is_registered_without_blocks),
		cmocka_unit_test(what_is_not_a_usable_disk_is_skipped),
		cmocka_unit_test(huge_disk_uses_read_capacity_16_and_read_16),
		cmocka_unit_test(node_failure_registers_nothing),
		cmocka_unit_test(report_luns_lists_what_arrived),
	};

	fw_console_register(&capture_console);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
