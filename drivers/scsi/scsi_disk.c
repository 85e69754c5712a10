/* SPDX-License-Identifier: Apache-2.0 */
/* SCSI disk layer: LUNs of any transport (spapr-vscsi, virtio-scsi) as block devices, disks and CD-ROMs. */

#define pr_fmt(fmt) "scsi: " fmt
#include <stdbool.h>
#include <string.h>
#include <vofkit/core/device.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/time.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/scsi.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/console.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>

/* Commands (SPC-4, SBC-3, MMC-6); multi-byte CDB fields are big-endian. */
#define OP_TEST_UNIT_READY	0x00
#define OP_INQUIRY		0x12
#define OP_READ_CAPACITY_10	0x25
#define OP_READ_10		0x28
#define OP_READ_16		0x88
#define OP_SERVICE_ACTION_IN	0x9e	/* + READ CAPACITY(16) service action */
#define SA_READ_CAPACITY_16	0x10
#define OP_REPORT_LUNS		0xa0

/* INQUIRY peripheral device types this layer boots from */
#define TYPE_DISK		0x00
#define TYPE_CDROM		0x05
#define TYPE_OPTICAL		0x07
#define TYPE_RBC		0x0e	/* reduced block commands: a disk (SLOF counts it) */
#define INQUIRY_LEN		36

/* Additional sense codes the layer tells apart */
#define ASC_BECOMING_READY	0x04
#define ASC_NO_MEDIUM		0x3a

/*
 * Every reset of the bus (machine reset; virtio-scsi's device reset)
 * leaves a UNIT ATTENTION (6/29/00) that the first media command gets
 * back, and a CD being loaded answers NOT READY 04/01 for a while.  Retry
 * both like SLOF's retry-scsi-command: UNIT ATTENTION at once, NOT READY
 * every 10 ms, for up to about 2.5 s.
 */
#define RETRIES			256
#define RETRY_DELAY_MS		10

#define BLOCK_SIZE_MIN		512u
#define BLOCK_SIZE_MAX		0x10000u	/* block_read_bytes' bounce buffer */

struct scsi_disk {
	struct block_dev bd;	/* bd.priv points back here */
	struct scsi_disk *next;
	struct scsi_host *host;
	uint64_t lun;
	bool read16;		/* LBAs past 32 bits: READ(16) */
};

static struct scsi_disk *scsi_disks;

/*
 * One small buffer for INQUIRY, READ CAPACITY, REPORT LUNS and sense: in
 * .bss, which is guest-physical memory every transport can reach (the
 * probe runs once per LUN, never re-entered).  REPORT LUNS gets 8 bytes
 * of header and up to 255 LUNs.
 */
#define SCRATCH_SIZE		2048u
static uint8_t scratch[SCRATCH_SIZE] __attribute__((aligned(64)));

struct sense {
	uint8_t key, asc, ascq;
};

/* Fixed (0x70/0x71) and descriptor (0x72/0x73) formats put the codes in different places. */
static struct sense sense_decode(const uint8_t *s)
{
	struct sense r = { 0, 0, 0 };
	uint8_t code = s[0] & 0x7f;

	if (code == 0x70 || code == 0x71) {
		r.key = s[2] & 0xf;
		r.asc = s[12];
		r.ascq = s[13];
	} else if (code == 0x72 || code == 0x73) {
		r.key = s[1] & 0xf;
		r.asc = s[2];
		r.ascq = s[3];
	}
	return r;
}

/*
 * One command with the retries above.  Returns the final SCSI status or
 * SCSI_ERR_*; *sn gets the last sense (all zero when there was none).
 */
static int scsi_run(struct scsi_host *host, uint64_t lun, const uint8_t *cdb,
		    unsigned int cdb_len, void *buf, uint32_t len, struct sense *sn)
{
	uint8_t sense[SCSI_SENSE_MAX];
	unsigned int tries;
	int st = SCSI_ERR_TRANSPORT;

	for (tries = 0; tries < RETRIES; tries++) {
		memset(sense, 0, sizeof(sense));
		st = host->exec(host, lun, cdb, cdb_len, buf, len, sense);
		*sn = st == SCSI_STATUS_CHECK ? sense_decode(sense) : (struct sense){ 0, 0, 0 };
		if (st == SCSI_STATUS_CHECK && sn->key == SCSI_KEY_UNIT_ATTENTION)
			continue;
		if ((st == SCSI_STATUS_CHECK && sn->key == SCSI_KEY_NOT_READY &&
		     sn->asc == ASC_BECOMING_READY) || st == SCSI_STATUS_BUSY) {
			time_delay_ms(RETRY_DELAY_MS);
			continue;
		}
		break;
	}
	return st;
}

static int path_of(uint32_t phandle, char *buf)
{
	int len = tree_path(phandle, buf, OF_PATH_MAX);

	if (len < 0 || len >= OF_PATH_MAX)
		strcpy(buf, "a SCSI device");
	return len;
}

/* READ(10) while the LBA and count fit its 32/16-bit fields, READ(16) past them. */
static int scsi_disk_read(struct block_dev *bd, uint64_t lba, uint32_t count, void *buf)
{
	struct scsi_disk *d = bd->priv;
	uint32_t per_cmd = d->host->max_transfer / bd->block_size;
	uint8_t *out = buf;

	if (lba > bd->blocks || count > bd->blocks - lba)
		return -1;
	if (!per_cmd)
		per_cmd = 1;
	while (count) {
		uint32_t n = MIN(count, per_cmd);
		uint8_t cdb[16] = { 0 };
		unsigned int cdb_len;
		struct sense sn;
		int st;

		if (d->read16 || lba + n > 0xffffffffull) {
			cdb[0] = OP_READ_16;
			put_be64(cdb + 2, lba);
			put_be32(cdb + 10, n);
			cdb_len = 16;
		} else {
			n = MIN(n, 0xffffu);
			cdb[0] = OP_READ_10;
			put_be32(cdb + 2, (uint32_t)lba);
			put_be16(cdb + 7, (uint16_t)n);
			cdb_len = 10;
		}
		st = scsi_run(d->host, d->lun, cdb, cdb_len, out, n * bd->block_size, &sn);
		if (st != SCSI_STATUS_GOOD) {
			char path[OF_PATH_MAX];

			path_of(bd->phandle, path);
			if (st == SCSI_STATUS_CHECK)
				pr_err("%s: read of block %llu failed (sense %x/%x/%x)\n", path,
				       (unsigned long long)lba, sn.key, sn.asc, sn.ascq);
			else
				pr_err("%s: read of block %llu failed (%s error %d)\n", path,
				       (unsigned long long)lba, d->host->name, st);
			return -1;
		}
		out += (size_t)n * bd->block_size;
		lba += n;
		count -= n;
	}
	return 0;
}

/* READ CAPACITY(10), and (16) when the disk has 2^32 blocks or more. */
static int read_capacity(struct scsi_host *host, uint64_t lun, uint64_t *blocks,
			 uint32_t *block_size, bool *read16, struct sense *sn)
{
	uint8_t cdb[16] = { OP_READ_CAPACITY_10 };
	uint32_t last;
	int st;

	memset(scratch, 0, 32);
	st = scsi_run(host, lun, cdb, 10, scratch, 8, sn);
	if (st != SCSI_STATUS_GOOD)
		return st;
	last = get_be32(scratch);
	*block_size = get_be32(scratch + 4);
	*read16 = false;
	if (last != 0xffffffffu) {
		*blocks = (uint64_t)last + 1;
		return st;
	}
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = OP_SERVICE_ACTION_IN;
	cdb[1] = SA_READ_CAPACITY_16;
	put_be32(cdb + 10, 32);
	memset(scratch, 0, 32);
	st = scsi_run(host, lun, cdb, 16, scratch, 32, sn);
	if (st != SCSI_STATUS_GOOD)
		return st;
	*blocks = get_be64(scratch) + 1;
	*block_size = get_be32(scratch + 8);
	*read16 = true;
	/* a last LBA of 2^64 - 1 wraps to 0 blocks: refused below */
	return st;
}

static bool block_size_ok(uint32_t bs)
{
	return bs >= BLOCK_SIZE_MIN && bs <= BLOCK_SIZE_MAX && !(bs & (bs - 1));
}

/* "disk@<unit>" in lower-case hex without leading zeros, as SLOF names its aliases. */
static uint32_t make_node(struct scsi_host *host, uint64_t lun)
{
	char name[24] = "disk@";
	uint32_t node;
	uint8_t reg[8];

	fw_format_hex(name + 5, lun);
	node = tree_add_node(host->phandle, name);
	put_be64(reg, lun);	/* #address-cells 2 on the adapter, as SLOF has it */
	if (node) {
		tree_setprop(node, "device_type", "block", sizeof("block"));
		tree_setprop(node, "reg", reg, sizeof(reg));
	}
	return node;
}

/* INQUIRY's space-padded ASCII fields, as a string without the padding. */
static void inquiry_text(char *out, const uint8_t *field, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		out[i] = field[i] >= 0x20 && field[i] < 0x7f ? (char)field[i] : '?';
	while (len && out[len - 1] == ' ')
		len--;
	out[len] = '\0';
}

int scsi_disk_probe(struct scsi_host *host, uint64_t lun)
{
	uint8_t cdb[16] = { OP_INQUIRY };
	char path[OF_PATH_MAX], vendor[9], product[17];
	struct scsi_disk *d;
	struct sense sn;
	uint32_t block_size = 0, node;
	uint64_t blocks = 0;
	bool read16 = false, cd, no_medium = false;
	uint8_t type;
	int st;

	if (!host || !host->exec || !host->max_transfer)
		return -1;
	put_be16(cdb + 3, INQUIRY_LEN);
	memset(scratch, 0, INQUIRY_LEN);
	st = scsi_run(host, lun, cdb, 6, scratch, INQUIRY_LEN, &sn);
	/* qualifier 3 (0x7f): the target exists but has no such LUN */
	if (st != SCSI_STATUS_GOOD || (scratch[0] >> 5) != 0)
		return st == SCSI_ERR_NO_DEVICE || st >= 0 ? 0 : -1;
	type = scratch[0] & 0x1f;
	cd = type == TYPE_CDROM || type == TYPE_OPTICAL;
	inquiry_text(vendor, scratch + 8, 8);
	inquiry_text(product, scratch + 16, 16);
	if (!cd && type != TYPE_DISK && type != TYPE_RBC) {
		pr_info("%s LUN %llx: device type 0x%x (%s %s), not a disk; skipped\n",
			host->name, (unsigned long long)lun, type, vendor, product);
		return 0;
	}

	memset(cdb, 0, sizeof(cdb));
	cdb[0] = OP_TEST_UNIT_READY;
	st = scsi_run(host, lun, cdb, 6, NULL, 0, &sn);
	if (st == SCSI_STATUS_GOOD)
		st = read_capacity(host, lun, &blocks, &block_size, &read16, &sn);
	if (st == SCSI_STATUS_CHECK && sn.key == SCSI_KEY_NOT_READY && sn.asc == ASC_NO_MEDIUM)
		no_medium = true;
	else if (st != SCSI_STATUS_GOOD || !blocks || !block_size_ok(block_size)) {
		if (st == SCSI_STATUS_CHECK)
			pr_warn("%s LUN %llx (%s %s): not ready (sense %x/%x/%x); skipped\n",
				host->name, (unsigned long long)lun, vendor, product, sn.key,
				sn.asc, sn.ascq);
		else if (st != SCSI_STATUS_GOOD)
			pr_warn("%s LUN %llx (%s %s): no answer (%d); skipped\n", host->name,
				(unsigned long long)lun, vendor, product, st);
		else
			pr_warn("%s LUN %llx (%s %s): unusable capacity (%llu blocks of %u bytes); skipped\n",
				host->name, (unsigned long long)lun, vendor, product,
				(unsigned long long)blocks, block_size);
		return -1;
	}
	if (no_medium && !cd) {
		pr_warn("%s LUN %llx (%s %s): no medium; skipped\n", host->name,
			(unsigned long long)lun, vendor, product);
		return -1;
	}

	d = fw_heap_alloc(sizeof(*d), 8);
	node = d ? make_node(host, lun) : 0;
	if (!node) {
		pr_err("%s LUN %llx: no memory for its node; skipped\n", host->name,
		       (unsigned long long)lun);
		return -1;
	}
	memset(d, 0, sizeof(*d));
	d->host = host;
	d->lun = lun;
	d->read16 = read16;
	d->bd.phandle = node;
	/* an empty drive is still a drive: boot-list paths name it, the boot path says "no medium" */
	d->bd.block_size = no_medium ? 2048 : block_size;
	d->bd.blocks = no_medium ? 0 : blocks;
	d->bd.flags = cd ? BLOCK_DEV_CDROM | BLOCK_DEV_REMOVABLE : 0;
	d->bd.read = scsi_disk_read;
	d->bd.priv = d;
	path_of(node, path);
	if (block_dev_register(&d->bd) < 0) {
		pr_err("%s: too many block devices; skipped\n", path);
		return -1;
	}
	d->next = scsi_disks;
	scsi_disks = d;
	if (no_medium)
		pr_info("%s: %s %s, no medium\n", path, vendor, product);
	else
		pr_info("%s: %s %s, %llu blocks of %u bytes\n", path, vendor, product,
			(unsigned long long)blocks, block_size);
	return 1;
}

int scsi_report_luns(struct scsi_host *host, uint64_t lun, uint64_t *luns, unsigned int max)
{
	uint8_t cdb[16] = { OP_REPORT_LUNS };
	uint32_t listed;
	unsigned int i, n;
	struct sense sn;

	if (!host || !host->exec || !luns)
		return -1;
	put_be32(cdb + 6, SCRATCH_SIZE);
	memset(scratch, 0, SCRATCH_SIZE);
	if (scsi_run(host, lun, cdb, 12, scratch, SCRATCH_SIZE, &sn) != SCSI_STATUS_GOOD)
		return -1;
	/* the list length may exceed what fit; count only what arrived */
	listed = get_be32(scratch) / 8;
	n = (unsigned int)MIN(listed, (SCRATCH_SIZE - 8) / 8);
	n = MIN(n, max);
	for (i = 0; i < n; i++)
		luns[i] = get_be64(scratch + 8 + 8 * i);
	return (int)n;
}

uint64_t scsi_disk_unit(uint32_t phandle)
{
	const struct scsi_disk *d;

	for (d = scsi_disks; d; d = d->next) {
		if (d->bd.phandle == phandle)
			return d->lun;
	}
	return 0;
}
