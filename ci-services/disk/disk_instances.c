/* SPDX-License-Identifier: Apache-2.0 */
/* Block instances: read/seek on opened disks (whole disk, a partition or a file on a CD), block-size and #blocks. */

#include <string.h>
#include <vofkit/block/block.h>
#include <vofkit/block/iso9660.h>
#include <vofkit/ci/ci.h>
#include <vofkit/ci/instances.h>
#include <vofkit/core/mem.h>
#include <vofkit/lib/util.h>

#define MAX_OPEN_DISKS 16

/* Per-instance state: which disk, the byte window the instance sees, and its position. */
struct disk_instance {
	uint32_t ihandle;
	struct block_dev *dev;
	uint64_t base, size, pos;
};

static struct disk_instance pool[MAX_OPEN_DISKS];

/* A slot is free when the instance that owned it no longer points at it (closed). */
static struct disk_instance *alloc_state(uint32_t ihandle)
{
	unsigned int i;

	for (i = 0; i < MAX_OPEN_DISKS; i++) {
		if (!pool[i].dev || instance_priv(pool[i].ihandle) != &pool[i]) {
			memset(&pool[i], 0, sizeof(pool[i]));
			pool[i].ihandle = ihandle;
			return &pool[i];
		}
	}
	return NULL;
}

/*
 * A file argument ("\ppc\bootinfo.txt", after the partition and a comma or
 * alone): the file on the ISO 9660 volume of the instance's window becomes
 * the window, so read, seek and #blocks work on the file as on a partition.
 */
static int open_file(struct disk_instance *d, const char *path)
{
	struct iso9660_volume vol;
	struct iso9660_file file;
	const char *why = "no ISO 9660 volume";

	if (IS_ENABLED(CONFIG_BLOCK_ISO9660) &&
	    !iso9660_mount(d->dev, d->base, d->size, &vol, &why) &&
	    !iso9660_lookup(&vol, path, &file, &why)) {
		if (!file.dir) {
			d->base = file.offset;
			d->size = file.size;
			return 0;
		}
		why = "a directory";
	}
	ci_trace_note("disk: cannot open file '%s' (%s)", path, why);
	return -1;
}

/*
 * Parse "", "0" (whole disk), "N" (partition N), then an optional file:
 * "N,\path", ",\path" or "\path" (the CHRP and CD forms).
 */
static int parse_args(struct disk_instance *d, const char *args)
{
	unsigned int n = 0;

	d->base = 0;
	d->size = d->dev->blocks * d->dev->block_size;
	if (!args || !*args)
		return 0;
	while (*args >= '0' && *args <= '9' && n < 1000)
		n = n * 10 + (unsigned int)(*args++ - '0');
	if (*args == ',')
		args++;
	else if (*args && *args != '\\' && *args != '/')
		return -1;
	if (n) {
		struct partition p;

		if (part_find_number(d->dev, n, &p))
			return -1;
		d->base = p.offset;
		d->size = p.size;
	}
	return *args ? open_file(d, args) : 0;
}

/* The disk state of an instance, set up on its first use; NULL if it is not a disk. */
static struct disk_instance *disk_of(uint32_t ihandle)
{
	struct disk_instance *d = instance_priv(ihandle);
	struct block_dev *dev;

	if (d && d->ihandle == ihandle)
		return d;
	dev = block_dev_of_phandle(instance_to_package(ihandle));
	if (!dev || !(d = alloc_state(ihandle)))
		return NULL;
	d->dev = dev;
	if (parse_args(d, instance_args(ihandle))) {
		ci_trace_note("disk: cannot open partition '%s'", instance_args(ihandle));
		d->dev = NULL;
		return NULL;
	}
	instance_set_priv(ihandle, d);
	return d;
}

/*
 * read ( ihandle addr len -- actual )
 *   out: [0] bytes read (short at the end of the disk/partition), or -1.
 * Any offset and length: the firmware deblocks, as GRUB expects.
 */
static enum ci_result disk_read(struct ci_call *c)
{
	struct disk_instance *d = disk_of(ci_arg(c, 0));
	uint32_t buf = ci_arg(c, 1), len = ci_arg(c, 2);
	uint64_t n;

	if (!d)
		return CI_DECLINE;
	n = d->pos < d->size ? d->size - d->pos : 0;
	if (n > len)
		n = len;
	if (!fw_mem_writable(buf, n) ||
	    (n && block_read_bytes(d->dev, d->base + d->pos, phys_to_virt(buf), n))) {
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	d->pos += n;
	ci_ret(c, 0, (uint32_t)n);
	return CI_DONE;
}
CI_SERVICE(disk_read, "read", disk_read, 3, 1);

/*
 * write ( ihandle addr len -- actual ): disks are never written (-1).
 */
static enum ci_result disk_write(struct ci_call *c)
{
	if (!disk_of(ci_arg(c, 0)))
		return CI_DECLINE;
	ci_trace_note("disk: writes are refused");
	ci_ret(c, 0, CI_ERR);
	return CI_DONE;
}
CI_SERVICE(disk_write, "write", disk_write, 3, 1);

/*
 * seek ( ihandle pos.hi pos.lo -- status )
 *   out: [0] 0, or -1 for a position past the end (the position is then unchanged)
 */
static enum ci_result disk_seek(struct ci_call *c)
{
	struct disk_instance *d = disk_of(ci_arg(c, 0));
	uint64_t pos = (uint64_t)ci_arg(c, 1) << 32 | ci_arg(c, 2);

	if (!d)
		return CI_DECLINE;
	if (pos > d->size) {
		ci_ret(c, 0, CI_ERR);
		return CI_DONE;
	}
	d->pos = pos;
	ci_ret(c, 0, 0);
	return CI_DONE;
}
CI_SERVICE(disk_seek, "seek", disk_seek, 3, 1);

/*
 * call-method "block-size" ( -- size )  and  "#blocks" ( -- n )
 * GRUB asks for block-size to size its reads.
 */
static enum ci_result disk_block_size(struct ci_method_call *m)
{
	struct disk_instance *d = disk_of(m->ihandle);

	if (!d)
		return CI_DECLINE;
	if (m->nout >= 1)
		m->out[0] = d->dev->block_size;
	return CI_DONE;
}
CI_METHOD(disk_block_size, "block-size", disk_block_size);

static enum ci_result disk_nblocks(struct ci_method_call *m)
{
	struct disk_instance *d = disk_of(m->ihandle);

	if (!d)
		return CI_DECLINE;
	if (m->nout >= 1)
		m->out[0] = (uint32_t)((d->size + d->dev->block_size - 1) / d->dev->block_size);
	return CI_DONE;
}
CI_METHOD(disk_nblocks, "#blocks", disk_nblocks);
