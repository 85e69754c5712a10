/* SPDX-License-Identifier: Apache-2.0 */
/* VIO bus support: /vdevice lookup, DMA mappings in a device's TCE window, CRQ register/send/poll/free. */

#define pr_fmt(fmt) "vio: " fmt
#include <string.h>
#include <arch/hcall.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/tce.h>
#include <vofkit/drivers/vio.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/log.h>

/*
 * DMA goes through H_PUT_TCE mappings, not ibm,set-tce-bypass (decision
 * 51): the device reaches only the pages a driver mapped, QEMU's RTAS
 * quiesce clears them even when a driver's own hook did not run, and a
 * command that timed out can be fenced off by unmapping its buffer.
 */

/* Does the NUL-separated string list `list` (len bytes) hold `want`? */
static bool strlist_has(const char *list, int len, const char *want)
{
	int pos = 0;

	while (pos < len) {
		const char *s = list + pos;
		size_t n = strnlen(s, (size_t)(len - pos));

		if (n == strlen(want) && !memcmp(s, want, n))
			return true;
		pos += (int)n + 1;
	}
	return false;
}

static bool vio_matches(uint32_t node, const char *compatible, const char *type)
{
	char buf[64];
	int len;

	if (compatible) {
		len = tree_read_prop(node, "compatible", buf, sizeof(buf));
		return len > 0 && strlist_has(buf, len < (int)sizeof(buf) ? len : (int)sizeof(buf),
					      compatible);
	}
	len = tree_read_prop(node, "device_type", buf, sizeof(buf));
	return len > 0 && len <= (int)sizeof(buf) && strnlen(buf, (size_t)len) == strlen(type) &&
	       !strcmp(buf, type);
}

uint32_t vio_next(uint32_t prev, const char *compatible, const char *type, struct vio_dev *dev)
{
	uint32_t node;

	if (prev) {
		node = tree_peer(prev);
	} else {
		uint32_t bus = tree_find("/vdevice", NULL);

		node = bus ? tree_child(bus) : 0;
	}
	for (; node; node = tree_peer(node)) {
		be32 reg, win[5];

		if (!vio_matches(node, compatible, type) || tree_read_exact(node, "reg", &reg, 4))
			continue;
		dev->phandle = node;
		dev->unit = be32_to_cpu(reg);
		/* <LIOBN, IOBA (2 cells), size (2 cells)>, #dma-*-cells 2 on QEMU */
		if (!tree_read_exact(node, "ibm,my-dma-window", win, sizeof(win)))
			dev->window_size = (uint64_t)be32_to_cpu(win[3]) << 32 | be32_to_cpu(win[4]);
		else
			dev->window_size = 0;
		return node;
	}
	return 0;
}

uint64_t vio_dma_map(const struct vio_dev *dev, uint64_t ioba, const void *buf, uint64_t len)
{
	uint64_t phys = virt_to_phys(buf);
	uint64_t first = phys & ~(TCE_PAGE_SIZE - 1);
	uint64_t span = phys + len - first;

	if (!len || ioba & (TCE_PAGE_SIZE - 1) || ioba + span > dev->window_size)
		return VIO_DMA_ERROR;
	if (tce_map(dev->unit, ioba, first, span, TCE_READ | TCE_WRITE))
		return VIO_DMA_ERROR;
	return ioba + (phys - first);
}

int vio_dma_unmap(const struct vio_dev *dev, uint64_t ioba, const void *buf, uint64_t len)
{
	uint64_t phys = virt_to_phys(buf);
	uint64_t first = phys & ~(TCE_PAGE_SIZE - 1);

	return tce_unmap(dev->unit, ioba, phys + len - first);
}

int vio_crq_register(struct vio_crq *q, struct vio_dev *dev, uint8_t *page, uint64_t ioba)
{
	int64_t rc;

	q->dev = dev;
	q->page = page;
	q->ioba = ioba;
	q->next = 0;
	q->registered = false;
	memset(page, 0, VIO_CRQ_SIZE);
	/*
	 * An earlier stage running SLOF's way (bypass on, which only a
	 * machine reset undoes) would make our IOBAs physical addresses:
	 * the queue at IOBA 0 would land on the exception vectors.  QEMU
	 * does nothing when bypass is already off.
	 */
	vio_set_tce_bypass(dev->unit, 0);
	if (vio_dma_map(dev, ioba, page, VIO_CRQ_SIZE) != ioba) {
		pr_err("unit %x: cannot map the command queue\n", dev->unit);
		return -1;
	}
	rc = hcall(H_REG_CRQ, dev->unit, ioba, VIO_CRQ_SIZE, 0, NULL);
	if (rc == H_RESOURCE) {
		/* Registered by an earlier boot stage that did not free it. */
		hcall(H_FREE_CRQ, dev->unit, 0, 0, 0, NULL);
		rc = hcall(H_REG_CRQ, dev->unit, ioba, VIO_CRQ_SIZE, 0, NULL);
	}
	if (rc != H_SUCCESS) {
		pr_err("unit %x: the hypervisor refused the command queue (status %lld)\n", dev->unit,
		       (long long)rc);
		vio_dma_unmap(dev, ioba, page, VIO_CRQ_SIZE);
		return -1;
	}
	q->registered = true;
	return 0;
}

int vio_crq_send(struct vio_crq *q, uint64_t hi, uint64_t lo)
{
	/* The IU the entry points at must be in memory before QEMU reads it (sync). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return hcall(H_SEND_CRQ, q->dev->unit, hi, lo, 0, NULL) == H_SUCCESS ? 0 : -1;
}

bool vio_crq_poll(struct vio_crq *q, uint8_t out[VIO_CRQ_ENTRY])
{
	volatile uint8_t *slot = q->page + q->next;

	if (!(slot[0] & 0x80))
		return false;
	/* QEMU writes bytes 8-15 before byte 0: read them after seeing it (lwsync). */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	memcpy(out, (const void *)slot, VIO_CRQ_ENTRY);
	__atomic_thread_fence(__ATOMIC_ACQ_REL);
	slot[0] = 0;
	q->next = (q->next + VIO_CRQ_ENTRY) % VIO_CRQ_SIZE;
	return true;
}

void vio_crq_free(struct vio_crq *q)
{
	if (!q->registered)
		return;
	hcall(H_FREE_CRQ, q->dev->unit, 0, 0, 0, NULL);
	vio_dma_unmap(q->dev, q->ioba, q->page, VIO_CRQ_SIZE);
	q->registered = false;
}
