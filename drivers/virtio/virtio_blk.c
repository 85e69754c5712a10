/* SPDX-License-Identifier: Apache-2.0 */
/* virtio-blk driver: polled reads over the shared modern virtio-pci transport, one disk per device. */

#define pr_fmt(fmt) "virtio-blk: " fmt
#include <vofkit/core/device.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/limits.h>
#include <vofkit/drivers/pci.h>
#include <vofkit/drivers/virtio.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/init.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/util.h>
#include <vofkit/lib/log.h>

/*
 * The transport (modern virtio-pci, polled, DMA straight to guest-physical
 * memory) is drivers/virtio/virtio_pci.c; this file is the block device.
 */

#define VBLK_QUEUE_SIZE		16u	/* one request (3 descriptors) at a time */
#define VBLK_MAX_REQ_BYTES	0x10000u	/* split larger reads */
#define VBLK_TIMEOUT_MS		5000u

struct vblk {
	struct block_dev bd;	/* bd.priv points back here */
	struct vblk *next;
	struct virtio_pci vp;
	struct virtq vq;	/* queue 0 */
	uint32_t sectors_per_block;
	int live;		/* DRIVER_OK and in sync with our ring indexes */
	struct virtio_blk_req_hdr *hdr;
	volatile uint8_t *status;
};

static struct vblk *vblks;

static int vblk_reset(struct vblk *v)
{
	v->live = 0;
	return virtio_pci_reset(&v->vp);
}

/*
 * Driver initialisation in the spec's order: reset, ACKNOWLEDGE, DRIVER,
 * features, FEATURES_OK (checked), queue 0, DRIVER_OK.  Sets bd.blocks and
 * bd.block_size.  Returns NULL or the reason it failed.
 */
static const char *vblk_setup(struct vblk *v)
{
	uint32_t got_lo = 0, cfg[6] = { 0 };
	uint64_t sectors;
	uint32_t blk_size = 0;
	const char *why;

	v->live = 0;
	/* Only the block size besides VERSION_1: nothing else changes how we read. */
	why = virtio_pci_negotiate(&v->vp, 1u << VIRTIO_BLK_F_BLK_SIZE, &got_lo);
	if (!why)
		why = virtq_setup(&v->vq, 0);
	if (!why)
		why = virtio_pci_driver_ok(&v->vp);
	if (why)
		return why;

	/* capacity (le64) at 0, blk_size at 20 when offered and present */
	if (got_lo && v->vp.devcfg_len >= 24) {
		virtio_pci_read_config(&v->vp, 0, cfg, 6);
		blk_size = cfg[VIRTIO_BLK_CFG_BLK_SIZE / 4];
	} else {
		virtio_pci_read_config(&v->vp, 0, cfg, 2);
	}
	sectors = cfg[0] | (uint64_t)cfg[1] << 32;
	/*
	 * Capacity is always in 512-byte sectors.  A device with a larger
	 * logical block (logical_block_size=4096) rejects requests that are
	 * not aligned to it, so such a disk is presented in its own blocks.
	 */
	if (blk_size > VIRTIO_BLK_SECTOR_SIZE && blk_size <= VBLK_MAX_REQ_BYTES &&
	    !(blk_size & (blk_size - 1)))
		v->bd.block_size = blk_size;
	else
		v->bd.block_size = VIRTIO_BLK_SECTOR_SIZE;
	v->sectors_per_block = v->bd.block_size / VIRTIO_BLK_SECTOR_SIZE;
	v->bd.blocks = sectors / v->sectors_per_block;
	v->live = 1;
	return NULL;
}

/* One request: header, data (device-writable), status byte; then poll. */
static int vblk_request(struct vblk *v, uint64_t sector, void *buf, uint32_t len)
{
	struct virtq_buf chain[3] = {
		{ v->hdr, sizeof(*v->hdr), 0 },
		{ buf, len, 1 },
		{ (const void *)v->status, 1, 1 },
	};

	v->hdr->type = cpu_to_le32(VIRTIO_BLK_T_IN);
	v->hdr->reserved = 0;
	v->hdr->sector = cpu_to_le64(sector);
	*v->status = 0xff;

	if (virtq_run(&v->vq, chain, 3, VBLK_TIMEOUT_MS, NULL)) {
		/*
		 * The device may still own the buffers: reset it so a late
		 * completion cannot land, and set it up again on the next read.
		 */
		pr_err("read of sector 0x%llx timed out\n", (unsigned long long)sector);
		vblk_reset(v);
		return -1;
	}
	if (*v->status != VIRTIO_BLK_S_OK) {
		pr_err("read of sector 0x%llx failed (status %u)\n",
			  (unsigned long long)sector, (unsigned int)*v->status);
		return -1;
	}
	return 0;
}

static int vblk_read(struct block_dev *bd, uint64_t lba, uint32_t count, void *buf)
{
	struct vblk *v = bd->priv;
	uint32_t per_req;

	if (!v->live) {
		/* After quiesce or a timeout: set the device up again. */
		const char *why = vblk_setup(v);

		if (why) {
			pr_err("restart failed: %s\n", why);
			return -1;
		}
	}
	if (lba >= bd->blocks || count > bd->blocks - lba)
		return count ? -1 : 0;
	per_req = VBLK_MAX_REQ_BYTES / bd->block_size;
	while (count) {
		uint32_t n = MIN(count, per_req);

		if (vblk_request(v, lba * v->sectors_per_block, buf, n * bd->block_size))
			return -1;
		lba += n;
		count -= n;
		buf = (uint8_t *)buf + (size_t)n * bd->block_size;
	}
	return 0;
}

/* ---- discovery ---- */

static int is_virtio_blk(const struct pci_dev *d)
{
	return d->vendor == VIRTIO_PCI_VENDOR &&
	       (d->device == VIRTIO_PCI_DEVICE_BLK_TRANS ||
		d->device == VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_BLOCK);
}

static void vblk_probe(struct pci_dev *d)
{
	struct vblk *v = fw_heap_alloc(sizeof(*v), 8);
	const char *why;
	char path[OF_PATH_MAX];

	if (!v)
		return;
	v->bd.read = vblk_read;
	v->bd.priv = v;
	path[0] = '\0';
	tree_path(d->phandle, path, sizeof(path));
	why = virtio_pci_find_caps(&v->vp, d);
	if (!why) {
		v->hdr = fw_heap_alloc(sizeof(*v->hdr), 16);
		v->status = fw_heap_alloc(1, 8);
		why = !virtq_alloc(&v->vq, &v->vp, VBLK_QUEUE_SIZE) && v->hdr && v->status ?
		      vblk_setup(v) : "out of firmware memory";
	}
	if (why) {
		pr_warn("%s: %s; skipped\n", path, why);
		return;
	}
	pr_info("%s: %llu blocks of %u bytes (%llu MiB)\n", path,
		  (unsigned long long)v->bd.blocks, v->bd.block_size,
		  (unsigned long long)((v->bd.blocks * v->bd.block_size) >> 20));
	v->next = vblks;
	vblks = v;
	v->bd.phandle = d->phandle;
	if (block_dev_register(&v->bd) < 0)
		pr_warn("%s: too many disks; skipped\n", path);
}

static int virtio_blk_init(void)
{
	struct pci_dev *d;

	for (d = pci_next(NULL); d; d = pci_next(d))
		if (is_virtio_blk(d))
			vblk_probe(d);
	return 0;
}
FW_INIT(virtio_blk_init, FW_INIT_DRIVER, "virtio-blk disks");

/* Hand the OS idle devices: no queue pointing into memory it will reuse. */
static void virtio_blk_quiesce(void)
{
	struct vblk *v;

	for (v = vblks; v; v = v->next)
		vblk_reset(v);
}
FW_QUIESCE(virtio_blk_quiesce);
