/* SPDX-License-Identifier: Apache-2.0 */
/* Modern virtio-pci transport: capabilities, reset, feature negotiation, polled split virtqueues. */

#include <string.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/time.h>
#include <vofkit/drivers/pci.h>
#include <vofkit/drivers/virtio.h>
#include <vofkit/lib/byteorder.h>

/*
 * Why the modern (virtio 1.x) interface and not the legacy I/O BAR of a
 * transitional device: legacy virtio has guest-endian registers and rings,
 * and QEMU latches that byte order from MSR.LE at each device reset, so it
 * depends on who reset the device last and in which mode (this firmware
 * is big-endian, the Linux it boots usually little-endian).  Modern virtio
 * (VERSION_1) is little-endian always: no hidden state to get wrong.
 *
 * DMA: with iommu_platform off (QEMU's default) virtio devices reach
 * guest-physical memory directly, and real addresses are guest-physical,
 * so no TCE mapping is needed: descriptors point straight at the caller's
 * buffers.  A device offering VIRTIO_F_ACCESS_PLATFORM is refused.
 *
 * The firmware polls the used ring with interrupts suppressed; MSI-X
 * stays off and the LSI is never unmasked.
 */

#define VIRTIO_RESET_TIMEOUT_MS	1000u
#define CONFIG_READ_TRIES	8u

/* The device must see ring stores before the doorbell, and the driver must
 * read what the device wrote only after seeing used->idx move.  A full
 * barrier ("sync" on ppc64; also right on a host running the unit tests). */
static inline void mem_barrier(void)
{
	__sync_synchronize();
}

static uint8_t vp_status(const struct virtio_pci *vp)
{
	return pci_mmio_read8(vp->common + VIRTIO_COMMON_STATUS);
}

static void vp_set_status(const struct virtio_pci *vp, uint8_t s)
{
	pci_mmio_write8(vp->common + VIRTIO_COMMON_STATUS, s);
}

/* 64-bit fields as two 32-bit halves, low first: the spec allows it and
 * QEMU's common-config region takes accesses of at most 4 bytes. */
static void common_write64(const struct virtio_pci *vp, unsigned int lo, uint64_t val)
{
	pci_le32_write(vp->common + lo, (uint32_t)val);
	pci_le32_write(vp->common + lo + 4, (uint32_t)(val >> 32));
}

const char *virtio_pci_find_caps(struct virtio_pci *vp, struct pci_dev *d)
{
	unsigned int pos;

	memset(vp, 0, sizeof(*vp));
	vp->pci = d;
	for (pos = pci_find_cap(d, PCI_CAP_ID_VNDR, 0); pos;
	     pos = pci_find_cap(d, PCI_CAP_ID_VNDR, pos)) {
		uint8_t type = pci_cfg_read8(d, pos + VIRTIO_PCI_CAP_TYPE);
		uint8_t bar = pci_cfg_read8(d, pos + VIRTIO_PCI_CAP_BAR);
		uint32_t off = pci_cfg_read32(d, pos + VIRTIO_PCI_CAP_OFFSET);
		uint32_t len = pci_cfg_read32(d, pos + VIRTIO_PCI_CAP_LENGTH);
		uint64_t addr = pci_bar_cpu_addr(d, bar, off, len);

		if (!addr)
			continue;	/* BAR not assigned, or a capability we cannot use */
		if (type == VIRTIO_PCI_CAP_COMMON_CFG && !vp->common && len >= VIRTIO_COMMON_SIZE) {
			vp->common = addr;
		} else if (type == VIRTIO_PCI_CAP_NOTIFY_CFG && !vp->notify_base && len >= 2) {
			vp->notify_base = addr;
			vp->notify_len = len;
			vp->notify_mult = pci_cfg_read32(d, pos + VIRTIO_PCI_CAP_NOTIFY_MULT);
		} else if (type == VIRTIO_PCI_CAP_DEVICE_CFG && !vp->devcfg && len >= 8) {
			vp->devcfg = addr;
			vp->devcfg_len = len;
		}
	}
	if (!vp->common || !vp->notify_base || !vp->devcfg)
		return pci_find_cap(d, PCI_CAP_ID_VNDR, 0) ?
		       "virtio structures not reachable (BAR unassigned?)" :
		       "no virtio 1.0 interface (disable-modern=on?)";
	return NULL;
}

/* Writing 0 resets; the spec has the driver wait until status reads 0. */
int virtio_pci_reset(struct virtio_pci *vp)
{
	uint64_t end = time_deadline_ms(VIRTIO_RESET_TIMEOUT_MS);

	vp_set_status(vp, 0);
	while (vp_status(vp)) {
		if (time_expired(end))
			return -1;
	}
	return 0;
}

void virtio_pci_fail(struct virtio_pci *vp)
{
	vp_set_status(vp, VIRTIO_STATUS_FAILED);
}

static const char *vp_fail(struct virtio_pci *vp, const char *why)
{
	virtio_pci_fail(vp);
	return why;
}

const char *virtio_pci_negotiate(struct virtio_pci *vp, uint32_t want_lo, uint32_t *got_lo)
{
	uint32_t f_lo, f_hi;
	uint8_t s;

	if (virtio_pci_reset(vp))
		return "reset timed out";
	vp_set_status(vp, VIRTIO_STATUS_ACKNOWLEDGE);
	s = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
	vp_set_status(vp, s);

	pci_le32_write(vp->common + VIRTIO_COMMON_DFSELECT, 0);
	f_lo = pci_le32_read(vp->common + VIRTIO_COMMON_DF);
	pci_le32_write(vp->common + VIRTIO_COMMON_DFSELECT, 1);
	f_hi = pci_le32_read(vp->common + VIRTIO_COMMON_DF);
	if (!(f_hi & 1u << (VIRTIO_F_VERSION_1 - 32)))
		return vp_fail(vp, "no VIRTIO_F_VERSION_1");
	if (f_hi & 1u << (VIRTIO_F_ACCESS_PLATFORM - 32))
		return vp_fail(vp, "iommu_platform=on (DMA would need TCE mappings)");
	want_lo &= f_lo;
	pci_le32_write(vp->common + VIRTIO_COMMON_GFSELECT, 0);
	pci_le32_write(vp->common + VIRTIO_COMMON_GF, want_lo);
	pci_le32_write(vp->common + VIRTIO_COMMON_GFSELECT, 1);
	pci_le32_write(vp->common + VIRTIO_COMMON_GF, 1u << (VIRTIO_F_VERSION_1 - 32));
	s |= VIRTIO_STATUS_FEATURES_OK;
	vp_set_status(vp, s);
	if (!(vp_status(vp) & VIRTIO_STATUS_FEATURES_OK))
		return vp_fail(vp, "features refused");
	if (got_lo)
		*got_lo = want_lo;
	return NULL;
}

/* Sizes of the three ring parts for `n` entries (with the event words). */
static size_t avail_bytes(uint16_t n)
{
	return sizeof(struct virtq_avail) + 2u * ((size_t)n + 1);
}

static size_t used_bytes(uint16_t n)
{
	return sizeof(struct virtq_used) + sizeof(struct virtq_used_elem) * n + 2;
}

int virtq_alloc(struct virtq *q, struct virtio_pci *vp, uint16_t max)
{
	memset(q, 0, sizeof(*q));
	q->vp = vp;
	q->max = max;
	q->desc = fw_heap_alloc(sizeof(*q->desc) * max, 16);
	q->avail = fw_heap_alloc(avail_bytes(max), 16);
	q->used = fw_heap_alloc(used_bytes(max), 16);
	return q->desc && q->avail && q->used ? 0 : -1;
}

const char *virtq_setup(struct virtq *q, uint16_t index)
{
	struct virtio_pci *vp = q->vp;
	uint16_t qmax, noff;

	pci_le16_write(vp->common + VIRTIO_COMMON_Q_SELECT, index);
	qmax = pci_le16_read(vp->common + VIRTIO_COMMON_Q_SIZE);
	if (qmax < 3 || qmax == 0xffff)
		return vp_fail(vp, "no usable queue");
	/* Split-ring sizes are powers of two; the device's maximum is one too. */
	q->index = index;
	q->size = qmax < q->max ? qmax : q->max;
	memset(q->desc, 0, sizeof(*q->desc) * q->max);
	memset(q->avail, 0, avail_bytes(q->max));
	memset((void *)q->used, 0, used_bytes(q->max));
	q->avail->flags = cpu_to_le16(VIRTQ_AVAIL_F_NO_INTERRUPT);
	q->avail_idx = q->used_idx = 0;
	pci_le16_write(vp->common + VIRTIO_COMMON_Q_SIZE, q->size);
	pci_le16_write(vp->common + VIRTIO_COMMON_Q_MSIX, 0xffff);	/* no vector */
	common_write64(vp, VIRTIO_COMMON_Q_DESCLO, virt_to_phys(q->desc));
	common_write64(vp, VIRTIO_COMMON_Q_AVAILLO, virt_to_phys(q->avail));
	common_write64(vp, VIRTIO_COMMON_Q_USEDLO, virt_to_phys((void *)q->used));
	noff = pci_le16_read(vp->common + VIRTIO_COMMON_Q_NOFF);
	if ((uint64_t)noff * vp->notify_mult + 2 > vp->notify_len)
		return vp_fail(vp, "queue doorbell outside the notify area");
	q->notify = vp->notify_base + (uint64_t)noff * vp->notify_mult;
	mem_barrier();
	pci_le16_write(vp->common + VIRTIO_COMMON_Q_ENABLE, 1);
	return NULL;
}

const char *virtio_pci_driver_ok(struct virtio_pci *vp)
{
	vp_set_status(vp, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			  VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	if (vp_status(vp) & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED))
		return "device failed at DRIVER_OK";
	return NULL;
}

int virtq_run(struct virtq *q, const struct virtq_buf *bufs, unsigned int n,
	      uint32_t timeout_ms, uint32_t *used_len)
{
	volatile struct virtq_used *used = q->used;
	unsigned int i;
	uint64_t end;

	if (!n || n > q->size)
		return -1;
	for (i = 0; i < n; i++) {
		uint16_t flags = bufs[i].write ? VIRTQ_DESC_F_WRITE : 0;

		if (i + 1 < n)
			flags |= VIRTQ_DESC_F_NEXT;
		q->desc[i].addr = cpu_to_le64(virt_to_phys(bufs[i].addr));
		q->desc[i].len = cpu_to_le32(bufs[i].len);
		q->desc[i].flags = cpu_to_le16(flags);
		q->desc[i].next = cpu_to_le16(i + 1 < n ? i + 1 : 0);
	}

	q->avail->ring[q->avail_idx % q->size] = 0;	/* chain head: descriptor 0 */
	mem_barrier();		/* the ring entry before the index that publishes it */
	q->avail_idx++;
	q->avail->idx = cpu_to_le16(q->avail_idx);
	mem_barrier();		/* everything before the doorbell */
	pci_le16_write(q->notify, q->index);

	end = time_deadline_ms(timeout_ms);
	while (le16_to_cpu(used->idx) == q->used_idx) {
		if (time_expired(end))
			return -1;
	}
	mem_barrier();
	if (used_len)
		*used_len = le32_to_cpu(used->ring[q->used_idx % q->size].len);
	q->used_idx++;
	return 0;
}

/*
 * A pool of single-buffer chains the device fills when it likes (receive
 * queues): descriptor `id` describes the buffer and its number goes on the
 * avail ring; the doorbell waits for virtq_kick().
 */
int virtq_post(struct virtq *q, uint16_t id, void *addr, uint32_t len)
{
	if (id >= q->size)
		return -1;
	q->desc[id].addr = cpu_to_le64(virt_to_phys(addr));
	q->desc[id].len = cpu_to_le32(len);
	q->desc[id].flags = cpu_to_le16(VIRTQ_DESC_F_WRITE);
	q->desc[id].next = 0;
	q->avail->ring[q->avail_idx % q->size] = cpu_to_le16(id);
	mem_barrier();		/* the ring entry before the index that publishes it */
	q->avail_idx++;
	q->avail->idx = cpu_to_le16(q->avail_idx);
	return 0;
}

void virtq_kick(struct virtq *q)
{
	mem_barrier();
	pci_le16_write(q->notify, q->index);
}

int virtq_poll(struct virtq *q, uint16_t *id, uint32_t *len)
{
	volatile struct virtq_used *used = q->used;
	uint32_t head;

	if (le16_to_cpu(used->idx) == q->used_idx)
		return 0;
	mem_barrier();		/* the element after the index that published it */
	head = le32_to_cpu(used->ring[q->used_idx % q->size].id);
	*len = le32_to_cpu(used->ring[q->used_idx % q->size].len);
	q->used_idx++;
	if (head >= q->size)
		return -1;	/* a broken device: not a buffer we posted */
	*id = (uint16_t)head;
	return 1;
}

/* Config may change under us: re-read until the generation holds. */
int virtio_pci_read_config(struct virtio_pci *vp, unsigned int off, uint32_t *words,
			   unsigned int n)
{
	unsigned int tries, i;
	uint8_t gen;

	if (off > vp->devcfg_len || n > (vp->devcfg_len - off) / 4)
		return -1;
	for (tries = 0; tries < CONFIG_READ_TRIES; tries++) {
		gen = pci_mmio_read8(vp->common + VIRTIO_COMMON_CFGGEN);
		for (i = 0; i < n; i++)
			words[i] = pci_le32_read(vp->devcfg + off + 4 * i);
		if (gen == pci_mmio_read8(vp->common + VIRTIO_COMMON_CFGGEN))
			break;
	}
	return 0;
}
