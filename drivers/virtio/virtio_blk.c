/* SPDX-License-Identifier: Apache-2.0 */
/* virtio-blk driver: polled reads over the modern virtio-pci interface, one disk per device. */

#define pr_fmt(fmt) "virtio-blk: " fmt
#include <string.h>
#include <arch/ppc64.h>
#include <vofkit/core/device.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/console.h>
#include <vofkit/drivers/pci.h>
#include <vofkit/drivers/virtio.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/time.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/util.h>
#include <vofkit/lib/log.h>

/*
 * Why the modern (virtio 1.x) interface and not the legacy I/O BAR of the
 * transitional device: legacy virtio has guest-endian registers and rings,
 * and QEMU latches that byte order from MSR.LE at each device reset, so it
 * depends on who reset the device last and in which mode (this firmware
 * is big-endian, the Linux it boots usually little-endian).  Modern virtio
 * (VERSION_1) is little-endian always: no hidden state to get wrong.
 *
 * DMA: with iommu_platform off (QEMU's default) virtio devices reach
 * guest-physical memory directly, and real addresses are guest-physical,
 * so no TCE mapping is needed: requests point straight at the caller's
 * buffer.  A device offering VIRTIO_F_ACCESS_PLATFORM is skipped.
 *
 * The firmware polls the used ring with interrupts suppressed; MSI-X
 * stays off and the LSI is never unmasked.
 */

#define VBLK_QUEUE_SIZE		16u	/* one request (3 descriptors) at a time */
#define VBLK_MAX_REQ_BYTES	0x10000u	/* split larger reads */
#define VBLK_TIMEOUT_MS		5000u
#define VBLK_RESET_TIMEOUT_MS	1000u
#define DEFAULT_TB_HZ		512000000u

struct vblk {
	struct block_dev bd;	/* bd.priv points back here */
	struct vblk *next;
	struct pci_dev *pci;
	uint64_t common, notify_base, devcfg;	/* CPU addresses in the BARs */
	uint32_t notify_mult, notify_len, devcfg_len;
	uint64_t notify;	/* queue 0's doorbell */
	uint32_t sectors_per_block;
	int live;		/* DRIVER_OK and in sync with our ring indexes */
	uint16_t qsize, avail_idx, used_idx;
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	struct virtio_blk_req_hdr *hdr;
	volatile uint8_t *status;
};

static struct vblk *vblks;

/* The device must see ring and header stores before the doorbell, and we
 * must read the status byte only after seeing used->idx move. */
static inline void mem_barrier(void)
{
	__asm__ volatile("sync" : : : "memory");
}

/* ---- common configuration ---- */

static uint8_t vblk_status(const struct vblk *v)
{
	return pci_mmio_read8(v->common + VIRTIO_COMMON_STATUS);
}

static void vblk_set_status(const struct vblk *v, uint8_t s)
{
	pci_mmio_write8(v->common + VIRTIO_COMMON_STATUS, s);
}

/* Writing 0 resets; the spec has the driver wait until status reads 0. */
static int vblk_reset(struct vblk *v)
{
	uint64_t end = time_deadline_ms(VBLK_RESET_TIMEOUT_MS);

	v->live = 0;
	vblk_set_status(v, 0);
	while (vblk_status(v)) {
		if (time_expired(end))
			return -1;
	}
	return 0;
}

/* 64-bit fields as two 32-bit halves, low first: the spec allows it and
 * QEMU's common-config region takes accesses of at most 4 bytes. */
static void common_write64(const struct vblk *v, unsigned int lo, uint64_t val)
{
	pci_le32_write(v->common + lo, (uint32_t)val);
	pci_le32_write(v->common + lo + 4, (uint32_t)(val >> 32));
}

/* Capacity (and block size) may change under us: re-read until the generation holds. */
static void vblk_read_config(struct vblk *v, uint64_t *sectors, uint32_t *blk_size)
{
	unsigned int tries;
	uint8_t gen;

	for (tries = 0; tries < 8; tries++) {
		gen = pci_mmio_read8(v->common + VIRTIO_COMMON_CFGGEN);
		*sectors = pci_le32_read(v->devcfg + VIRTIO_BLK_CFG_CAPACITY) |
			   (uint64_t)pci_le32_read(v->devcfg + VIRTIO_BLK_CFG_CAPACITY + 4) << 32;
		if (blk_size)
			*blk_size = pci_le32_read(v->devcfg + VIRTIO_BLK_CFG_BLK_SIZE);
		if (gen == pci_mmio_read8(v->common + VIRTIO_COMMON_CFGGEN))
			break;
	}
}

static const char *vblk_fail(const struct vblk *v, const char *why)
{
	vblk_set_status(v, VIRTIO_STATUS_FAILED);
	return why;
}

/*
 * Driver initialisation in the spec's order: reset, ACKNOWLEDGE, DRIVER,
 * features, FEATURES_OK (checked), queue 0, DRIVER_OK.  Sets bd.blocks and
 * bd.block_size.  Returns NULL or the reason it failed.
 */
static const char *vblk_setup(struct vblk *v)
{
	uint32_t f_lo, f_hi, want_lo, blk_size = 0;
	uint64_t sectors;
	uint16_t qmax, noff;
	uint8_t s;

	if (vblk_reset(v))
		return "reset timed out";
	vblk_set_status(v, VIRTIO_STATUS_ACKNOWLEDGE);
	vblk_set_status(v, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	s = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;

	pci_le32_write(v->common + VIRTIO_COMMON_DFSELECT, 0);
	f_lo = pci_le32_read(v->common + VIRTIO_COMMON_DF);
	pci_le32_write(v->common + VIRTIO_COMMON_DFSELECT, 1);
	f_hi = pci_le32_read(v->common + VIRTIO_COMMON_DF);
	if (!(f_hi & 1u << (VIRTIO_F_VERSION_1 - 32)))
		return vblk_fail(v, "no VIRTIO_F_VERSION_1");
	if (f_hi & 1u << (VIRTIO_F_ACCESS_PLATFORM - 32))
		return vblk_fail(v, "iommu_platform=on (DMA would need TCE mappings)");
	/* Only the block size besides VERSION_1: nothing else changes how we read. */
	want_lo = f_lo & 1u << VIRTIO_BLK_F_BLK_SIZE;
	pci_le32_write(v->common + VIRTIO_COMMON_GFSELECT, 0);
	pci_le32_write(v->common + VIRTIO_COMMON_GF, want_lo);
	pci_le32_write(v->common + VIRTIO_COMMON_GFSELECT, 1);
	pci_le32_write(v->common + VIRTIO_COMMON_GF, 1u << (VIRTIO_F_VERSION_1 - 32));
	s |= VIRTIO_STATUS_FEATURES_OK;
	vblk_set_status(v, s);
	if (!(vblk_status(v) & VIRTIO_STATUS_FEATURES_OK))
		return vblk_fail(v, "features refused");

	pci_le16_write(v->common + VIRTIO_COMMON_Q_SELECT, 0);
	qmax = pci_le16_read(v->common + VIRTIO_COMMON_Q_SIZE);
	if (qmax < 3 || qmax == 0xffff)
		return vblk_fail(v, "no usable queue 0");
	/* Split-ring sizes are powers of two; the device's maximum is one too. */
	v->qsize = (uint16_t)MIN((uint32_t)qmax, VBLK_QUEUE_SIZE);
	memset(v->desc, 0, sizeof(*v->desc) * VBLK_QUEUE_SIZE);
	memset(v->avail, 0, sizeof(*v->avail) + 2 * (VBLK_QUEUE_SIZE + 1));
	memset((void *)v->used, 0, sizeof(*v->used) +
	       sizeof(v->used->ring[0]) * VBLK_QUEUE_SIZE + 2);
	v->avail->flags = cpu_to_le16(VIRTQ_AVAIL_F_NO_INTERRUPT);
	v->avail_idx = v->used_idx = 0;
	pci_le16_write(v->common + VIRTIO_COMMON_Q_SIZE, v->qsize);
	pci_le16_write(v->common + VIRTIO_COMMON_Q_MSIX, 0xffff);	/* no vector */
	common_write64(v, VIRTIO_COMMON_Q_DESCLO, virt_to_phys(v->desc));
	common_write64(v, VIRTIO_COMMON_Q_AVAILLO, virt_to_phys(v->avail));
	common_write64(v, VIRTIO_COMMON_Q_USEDLO, virt_to_phys((void *)v->used));
	noff = pci_le16_read(v->common + VIRTIO_COMMON_Q_NOFF);
	if ((uint64_t)noff * v->notify_mult + 2 > v->notify_len)
		return vblk_fail(v, "queue doorbell outside the notify area");
	v->notify = v->notify_base + (uint64_t)noff * v->notify_mult;
	mem_barrier();
	pci_le16_write(v->common + VIRTIO_COMMON_Q_ENABLE, 1);

	s |= VIRTIO_STATUS_DRIVER_OK;
	vblk_set_status(v, s);
	if (vblk_status(v) & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED))
		return "device failed at DRIVER_OK";

	vblk_read_config(v, &sectors, (want_lo && v->devcfg_len >= 24) ? &blk_size : NULL);
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
	volatile struct virtq_used *used = v->used;
	uint64_t end;

	v->hdr->type = cpu_to_le32(VIRTIO_BLK_T_IN);
	v->hdr->reserved = 0;
	v->hdr->sector = cpu_to_le64(sector);
	*v->status = 0xff;

	v->desc[0].addr = cpu_to_le64(virt_to_phys(v->hdr));
	v->desc[0].len = cpu_to_le32(sizeof(*v->hdr));
	v->desc[0].flags = cpu_to_le16(VIRTQ_DESC_F_NEXT);
	v->desc[0].next = cpu_to_le16(1);
	v->desc[1].addr = cpu_to_le64(virt_to_phys(buf));
	v->desc[1].len = cpu_to_le32(len);
	v->desc[1].flags = cpu_to_le16(VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE);
	v->desc[1].next = cpu_to_le16(2);
	v->desc[2].addr = cpu_to_le64(virt_to_phys((const void *)v->status));
	v->desc[2].len = cpu_to_le32(1);
	v->desc[2].flags = cpu_to_le16(VIRTQ_DESC_F_WRITE);
	v->desc[2].next = 0;

	v->avail->ring[v->avail_idx % v->qsize] = 0;	/* chain head: descriptor 0 */
	mem_barrier();		/* the ring entry before the index that publishes it */
	v->avail_idx++;
	v->avail->idx = cpu_to_le16(v->avail_idx);
	mem_barrier();		/* everything before the doorbell */
	pci_le16_write(v->notify, 0);	/* queue index */

	end = time_deadline_ms(VBLK_TIMEOUT_MS);
	while (le16_to_cpu(used->idx) == v->used_idx) {
		if (time_expired(end)) {
			/*
			 * The device may still own the buffers: reset it so a
			 * late completion cannot land, and set it up again on
			 * the next read.
			 */
			pr_err("read of sector 0x%llx timed out\n",
				  (unsigned long long)sector);
			vblk_reset(v);
			return -1;
		}
	}
	v->used_idx++;
	mem_barrier();
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

/* Find common, notify and device config through the vendor capabilities (first of each type). */
static const char *vblk_find_caps(struct vblk *v)
{
	struct pci_dev *d = v->pci;
	unsigned int pos;

	for (pos = pci_find_cap(d, PCI_CAP_ID_VNDR, 0); pos;
	     pos = pci_find_cap(d, PCI_CAP_ID_VNDR, pos)) {
		uint8_t type = pci_cfg_read8(d, pos + VIRTIO_PCI_CAP_TYPE);
		uint8_t bar = pci_cfg_read8(d, pos + VIRTIO_PCI_CAP_BAR);
		uint32_t off = pci_cfg_read32(d, pos + VIRTIO_PCI_CAP_OFFSET);
		uint32_t len = pci_cfg_read32(d, pos + VIRTIO_PCI_CAP_LENGTH);
		uint64_t addr = pci_bar_cpu_addr(d, bar, off, len);

		if (!addr)
			continue;	/* BAR not assigned, or a capability we cannot use */
		if (type == VIRTIO_PCI_CAP_COMMON_CFG && !v->common && len >= VIRTIO_COMMON_SIZE) {
			v->common = addr;
		} else if (type == VIRTIO_PCI_CAP_NOTIFY_CFG && !v->notify_base && len >= 2) {
			v->notify_base = addr;
			v->notify_len = len;
			v->notify_mult = pci_cfg_read32(d, pos + VIRTIO_PCI_CAP_NOTIFY_MULT);
		} else if (type == VIRTIO_PCI_CAP_DEVICE_CFG && !v->devcfg && len >= 8) {
			v->devcfg = addr;
			v->devcfg_len = len;
		}
	}
	if (!v->common || !v->notify_base || !v->devcfg)
		return pci_find_cap(d, PCI_CAP_ID_VNDR, 0) ?
		       "virtio structures not reachable (BAR unassigned?)" :
		       "no virtio 1.0 interface (disable-modern=on?)";
	return NULL;
}

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
	v->pci = d;
	v->bd.read = vblk_read;
	v->bd.priv = v;
	path[0] = '\0';
	tree_path(d->phandle, path, sizeof(path));
	why = vblk_find_caps(v);
	if (!why) {
		v->desc = fw_heap_alloc(sizeof(*v->desc) * VBLK_QUEUE_SIZE, 16);
		v->avail = fw_heap_alloc(sizeof(*v->avail) + 2 * (VBLK_QUEUE_SIZE + 1), 16);
		v->used = fw_heap_alloc(sizeof(*v->used) +
					sizeof(v->used->ring[0]) * VBLK_QUEUE_SIZE + 2, 16);
		v->hdr = fw_heap_alloc(sizeof(*v->hdr), 16);
		v->status = fw_heap_alloc(1, 8);
		why = v->desc && v->avail && v->used && v->hdr && v->status ?
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
