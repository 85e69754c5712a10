/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the virtio-net driver and the virtio-pci transport against a fake modern virtio-net device. */

/*
 * drivers/virtio/virtio_net.c and drivers/virtio/virtio_pci.c run unchanged
 * (-DVOFKIT_HOST) against:
 *   - one fake PCI function with the three virtio vendor capabilities
 *     (common, notify, device config) in BAR 4, which behaves the way the
 *     virtio 1.x spec has a device behave: status and reset, feature
 *     windows, FEATURES_OK refused for features it did not offer, queue
 *     registers, a doorbell per queue;
 *   - split rings in simulated RAM the device walks itself: the transmit
 *     queue is consumed when its doorbell rings, frames are delivered into
 *     posted receive buffers when a test injects them;
 *   - fakes of the tree, the net registry, the heap and the clock.
 * Each test gives the function a new BAR address; functions of earlier
 * tests that the driver still lists read as zeros (reset, gone).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "capture.h"
#include <vofkit/core/device.h>
#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/pci.h>
#include <vofkit/drivers/virtio.h>
#include <vofkit/lib/console.h>

#define RAM_SIZE	(16u << 20)
#define PH_NIC		10u
#define BAR_SPAN	0x4000u
#define COMMON_OFF	0x0000u
#define NOTIFY_OFF	0x1000u
#define NOTIFY_MULT	4u
#define DEVCFG_OFF	0x2000u
#define DEV_QMAX	256u
#define HDR		12u

/* ---- simulated RAM, heap, clock: dma_ram.h ---- */

#include "dma_ram.h"

/* ---- the fake virtio-net function ---- */

struct fake_queue {
	uint16_t size, enable;
	uint64_t desc, avail, used;
	uint16_t last_avail;	/* next avail entry the device takes */
	uint16_t used_idx;
	unsigned int kicks;
};

static struct {
	uint64_t base;
	uint16_t device_id;
	int no_caps;		/* disable-modern=on */
	uint32_t offer_lo, offer_hi;
	uint32_t dfselect, gfselect, drv_lo, drv_hi;
	uint8_t status, cfggen;
	uint16_t qsel;
	struct fake_queue q[2];
	uint8_t mac[6];
	int hang_tx;		/* the transmit doorbell does nothing */
	unsigned int resets;
	/* what was sent: the last frame, header included */
	uint8_t tx[2048];
	uint32_t tx_len;
	unsigned int tx_count;
	int tx_bad_desc;	/* a transmit descriptor the device may write */
} f;

static void *dma(uint64_t addr, uint64_t len)
{
	if (addr >= RAM_SIZE || len > RAM_SIZE - addr)
		fail_msg("device DMA to 0x%llx+%llu outside RAM", (unsigned long long)addr,
			 (unsigned long long)len);
	return ram + addr;
}

static uint16_t rd16(uint64_t a) { uint8_t *p = dma(a, 2); return p[0] | p[1] << 8; }
static uint32_t rd32(uint64_t a) { return rd16(a) | (uint32_t)rd16(a + 2) << 16; }
static uint64_t rd64(uint64_t a) { return rd32(a) | (uint64_t)rd32(a + 4) << 32; }
static void wr16(uint64_t a, uint16_t v) { uint8_t *p = dma(a, 2); p[0] = v; p[1] = v >> 8; }
static void wr32(uint64_t a, uint32_t v) { wr16(a, v); wr16(a + 2, v >> 16); }

static void device_reset(void)
{
	f.status = 0;
	f.drv_lo = f.drv_hi = 0;
	f.qsel = 0;
	memset(f.q, 0, sizeof(f.q));
	f.resets++;
}

static void push_used(struct fake_queue *q, uint16_t head, uint32_t len)
{
	uint64_t e = q->used + 4 + 8ull * (q->used_idx % q->size);

	wr32(e, head);
	wr32(e + 4, len);
	q->used_idx++;
	wr16(q->used + 2, q->used_idx);
}

/* Take the next available chain head, or -1 when the driver posted none. */
static int take_avail(struct fake_queue *q)
{
	uint16_t head;

	if (!q->enable || rd16(q->avail + 2) == q->last_avail)
		return -1;
	head = rd16(q->avail + 4 + 2u * (q->last_avail % q->size));
	q->last_avail++;
	if (head >= q->size)
		fail_msg("driver posted descriptor %u of a %u-entry queue", head, q->size);
	return head;
}

static void process_tx(void)
{
	struct fake_queue *q = &f.q[1];
	int head;

	while ((head = take_avail(q)) >= 0) {
		uint16_t d = (uint16_t)head, flags;

		f.tx_len = 0;
		do {
			uint64_t desc = q->desc + 16ull * d;
			uint32_t len = rd32(desc + 8);

			flags = rd16(desc + 12);
			if (flags & VIRTQ_DESC_F_WRITE)
				f.tx_bad_desc = 1;
			assert_true(f.tx_len + len <= sizeof(f.tx));
			memcpy(f.tx + f.tx_len, dma(rd64(desc), len), len);
			f.tx_len += len;
			d = rd16(desc + 14);
		} while (flags & VIRTQ_DESC_F_NEXT);
		f.tx_count++;
		push_used(q, (uint16_t)head, 0);
	}
}

/* A frame arrives: into the next posted receive buffer.  0, or -1 when none is posted. */
static int inject_frame(const void *frame, uint32_t len)
{
	struct fake_queue *q = &f.q[0];
	uint8_t hdr[HDR] = { 0 };
	int head = take_avail(q);
	uint64_t desc;

	if (head < 0 || !(f.status & VIRTIO_STATUS_DRIVER_OK))
		return -1;
	desc = q->desc + 16ull * head;
	assert_true(rd16(desc + 12) & VIRTQ_DESC_F_WRITE);
	assert_false(rd16(desc + 12) & VIRTQ_DESC_F_NEXT);
	assert_true(rd32(desc + 8) >= HDR + len);
	hdr[10] = 1;		/* num_buffers, le16 */
	memcpy(dma(rd64(desc), HDR), hdr, HDR);
	memcpy(dma(rd64(desc) + HDR, len), frame, len);
	push_used(q, (uint16_t)head, HDR + len);
	return 0;
}

/* A hostile device: a used element with any id and length. */
static void inject_raw_used(uint32_t id, uint32_t len)
{
	struct fake_queue *q = &f.q[0];

	take_avail(q);
	push_used(q, 0, len);
	wr32(q->used + 4 + 8ull * ((q->used_idx - 1) % q->size), id);
}

static uint8_t common_read8(unsigned int off)
{
	switch (off) {
	case VIRTIO_COMMON_STATUS: return f.status;
	case VIRTIO_COMMON_CFGGEN: return f.cfggen;
	}
	fail_msg("8-bit read of common config 0x%x", off);
	return 0;
}

static void common_write8(unsigned int off, uint8_t v)
{
	assert_int_equal(off, VIRTIO_COMMON_STATUS);
	if (!v) {
		device_reset();
		return;
	}
	if ((v & VIRTIO_STATUS_FEATURES_OK) && !(f.status & VIRTIO_STATUS_FEATURES_OK) &&
	    ((f.drv_lo & ~f.offer_lo) || (f.drv_hi & ~f.offer_hi)))
		v &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;	/* the spec's refusal */
	f.status = v;
}

static struct fake_queue *selq(void)
{
	return f.qsel < 2 ? &f.q[f.qsel] : NULL;
}

static uint32_t common_read(unsigned int off)
{
	struct fake_queue *q = selq();

	switch (off) {
	case VIRTIO_COMMON_DF: return f.dfselect == 0 ? f.offer_lo : f.dfselect == 1 ? f.offer_hi : 0;
	case VIRTIO_COMMON_NUMQ: return 3;
	case VIRTIO_COMMON_Q_SIZE: return q ? (q->size ? q->size : DEV_QMAX) : 0;
	case VIRTIO_COMMON_Q_ENABLE: return q ? q->enable : 0;
	case VIRTIO_COMMON_Q_NOFF: return f.qsel;
	}
	return 0;
}

static void set_half(uint64_t *p, int hi, uint32_t v)
{
	*p = hi ? (*p & 0xffffffffull) | (uint64_t)v << 32 : (*p & ~0xffffffffull) | v;
}

static void common_write(unsigned int off, uint32_t v)
{
	struct fake_queue *q = selq();

	switch (off) {
	case VIRTIO_COMMON_DFSELECT: f.dfselect = v; return;
	case VIRTIO_COMMON_GFSELECT: f.gfselect = v; return;
	case VIRTIO_COMMON_GF:
		assert_false(f.status & VIRTIO_STATUS_FEATURES_OK);
		if (f.gfselect == 0)
			f.drv_lo = v;
		else if (f.gfselect == 1)
			f.drv_hi = v;
		return;
	case VIRTIO_COMMON_Q_SELECT: f.qsel = (uint16_t)v; return;
	case VIRTIO_COMMON_MSIX: case VIRTIO_COMMON_Q_MSIX: return;
	}
	assert_non_null(q);
	assert_false(q->enable);	/* queue registers only while disabled */
	switch (off) {
	case VIRTIO_COMMON_Q_SIZE:
		assert_true(v && v <= DEV_QMAX && !(v & (v - 1)));
		q->size = (uint16_t)v;
		return;
	case VIRTIO_COMMON_Q_ENABLE: q->enable = (uint16_t)v; return;
	case VIRTIO_COMMON_Q_DESCLO: case VIRTIO_COMMON_Q_DESCHI:
		set_half(&q->desc, off == VIRTIO_COMMON_Q_DESCHI, v); return;
	case VIRTIO_COMMON_Q_AVAILLO: case VIRTIO_COMMON_Q_AVAILHI:
		set_half(&q->avail, off == VIRTIO_COMMON_Q_AVAILHI, v); return;
	case VIRTIO_COMMON_Q_USEDLO: case VIRTIO_COMMON_Q_USEDHI:
		set_half(&q->used, off == VIRTIO_COMMON_Q_USEDHI, v); return;
	}
	fail_msg("write of common config 0x%x", off);
}

static void notify(unsigned int queue)
{
	assert_true(f.status & VIRTIO_STATUS_DRIVER_OK);
	assert_true(queue < 2);
	f.q[queue].kicks++;
	if (queue == 1 && !f.hang_tx)
		process_tx();
}

/* Which region of this test's BAR an address falls in: offset within it, or -1. */
static long region(uint64_t addr, uint32_t start, uint32_t len)
{
	if (addr < f.base + start || addr >= f.base + start + len)
		return -1;
	return (long)(addr - f.base - start);
}

uint8_t pci_mmio_read8(uint64_t addr)
{
	long off;

	if ((off = region(addr, COMMON_OFF, VIRTIO_COMMON_SIZE)) >= 0)
		return common_read8((unsigned int)off);
	if ((off = region(addr, DEVCFG_OFF, 16)) >= 0)
		return off < 6 ? f.mac[off] : 0;
	return 0;	/* a function of an earlier test: gone */
}

void pci_mmio_write8(uint64_t addr, uint8_t val)
{
	long off = region(addr, COMMON_OFF, VIRTIO_COMMON_SIZE);

	if (off >= 0)
		common_write8((unsigned int)off, val);
}

uint16_t pci_le16_read(uint64_t addr)
{
	long off = region(addr, COMMON_OFF, VIRTIO_COMMON_SIZE);

	return off >= 0 ? (uint16_t)common_read((unsigned int)off) : 0;
}

void pci_le16_write(uint64_t addr, uint16_t val)
{
	long off;

	if ((off = region(addr, COMMON_OFF, VIRTIO_COMMON_SIZE)) >= 0)
		common_write((unsigned int)off, val);
	else if ((off = region(addr, NOTIFY_OFF, 2 * NOTIFY_MULT)) >= 0) {
		assert_int_equal(off % NOTIFY_MULT, 0);
		assert_int_equal(val, off / NOTIFY_MULT);	/* the queue's own number */
		notify((unsigned int)(off / NOTIFY_MULT));
	}
}

uint32_t pci_le32_read(uint64_t addr)
{
	long off;

	if ((off = region(addr, COMMON_OFF, VIRTIO_COMMON_SIZE)) >= 0)
		return common_read((unsigned int)off);
	if ((off = region(addr, DEVCFG_OFF, 16)) >= 0) {
		uint32_t w = 0;
		int i;

		for (i = 3; i >= 0; i--)
			w = w << 8 | (off + i < 6 ? f.mac[off + i] : 0);
		return w;	/* config bytes, little-endian */
	}
	return 0;
}

void pci_le32_write(uint64_t addr, uint32_t val)
{
	long off = region(addr, COMMON_OFF, VIRTIO_COMMON_SIZE);

	if (off >= 0)
		common_write((unsigned int)off, val);
}

/* ---- PCI config space: three vendor capabilities at 0x40, 0x60, 0x80 ---- */

static struct pci_dev fake_pci = { .phandle = PH_NIC, .vendor = VIRTIO_PCI_VENDOR };

struct pci_dev *pci_next(const struct pci_dev *prev)
{
	return prev ? NULL : &fake_pci;
}

unsigned int pci_find_cap(const struct pci_dev *dev, uint8_t id, unsigned int after)
{
	if (f.no_caps || id != PCI_CAP_ID_VNDR)
		return 0;
	if (!after)
		return 0x40;
	return after < 0x80 ? after + 0x20 : 0;
}

static uint32_t cap_field(unsigned int reg)
{
	unsigned int cap = (reg - 0x40) / 0x20, field = (reg - 0x40) % 0x20;
	static const uint8_t type[3] = { VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_CAP_NOTIFY_CFG,
					 VIRTIO_PCI_CAP_DEVICE_CFG };
	static const uint32_t offs[3] = { COMMON_OFF, NOTIFY_OFF, DEVCFG_OFF };
	static const uint32_t lens[3] = { VIRTIO_COMMON_SIZE, 2 * NOTIFY_MULT, 16 };

	if (reg < 0x40 || reg >= 0xa0)
		return 0;
	if (reg == 0x60 + VIRTIO_PCI_CAP_NOTIFY_MULT)
		return NOTIFY_MULT;
	switch (field) {
	case VIRTIO_PCI_CAP_TYPE: return type[cap];
	case VIRTIO_PCI_CAP_BAR: return 4;
	case VIRTIO_PCI_CAP_OFFSET: return offs[cap];
	case VIRTIO_PCI_CAP_LENGTH: return lens[cap];
	}
	return 0;
}

uint8_t pci_cfg_read8(const struct pci_dev *dev, unsigned int reg)
{
	return (uint8_t)cap_field(reg);
}

uint32_t pci_cfg_read32(const struct pci_dev *dev, unsigned int reg)
{
	return cap_field(reg);
}

uint64_t pci_bar_cpu_addr(const struct pci_dev *dev, unsigned int bar, uint64_t offset,
			  uint64_t len)
{
	return bar == 4 && offset + len <= BAR_SPAN ? f.base + offset : 0;
}

/* ---- tree and registry fakes ---- */

static struct {
	int has_mac, has_max;
	uint8_t mac[6];
	uint8_t max[4];
	unsigned int sets;
} node;

int tree_path(uint32_t ph, char *buf, size_t len)
{
	return snprintf(buf, len, "/pci@800000020000000/ethernet@1");
}

int tree_read_prop(uint32_t ph, const char *name, void *buf, size_t len)
{
	assert_int_equal(ph, PH_NIC);
	if (!strcmp(name, "local-mac-address") && node.has_mac) {
		memcpy(buf, node.mac, len < 6 ? len : 6);
		return 6;
	}
	if (!strcmp(name, "max-frame-size") && node.has_max) {
		memcpy(buf, node.max, len < 4 ? len : 4);
		return 4;
	}
	return -1;
}

int tree_setprop(uint32_t ph, const char *name, const void *val, int len)
{
	assert_int_equal(ph, PH_NIC);
	node.sets++;
	if (!strcmp(name, "local-mac-address")) {
		assert_int_equal(len, 6);
		memcpy(node.mac, val, 6);
		node.has_mac = 1;
	} else if (!strcmp(name, "max-frame-size")) {
		assert_int_equal(len, 4);
		memcpy(node.max, val, 4);
		node.has_max = 1;
	} else {
		fail_msg("unexpected property %s", name);
	}
	return 0;
}

static struct net_dev *nics[4];
static unsigned int n_nics;

int net_dev_register(struct net_dev *dev)
{
	if (n_nics == 4)
		return -1;
	nics[n_nics] = dev;
	return (int)n_nics++;
}

/* ---- helpers ---- */

static uint64_t next_bar = 0x210000000000ull;
static const uint8_t test_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/* A new function (new BAR) offering VERSION_1, MAC and features the driver must not take. */
static void setup(uint16_t device_id)
{
	memset(&f, 0, sizeof(f));
	f.base = next_bar;
	next_bar += 0x100000;
	f.device_id = device_id;
	fake_pci.device = device_id;
	/* CSUM (0), MAC (5), MRG_RXBUF (15), STATUS (16), CTRL_VQ (17) */
	f.offer_lo = 1u << 0 | 1u << 5 | 1u << 15 | 1u << 16 | 1u << 17;
	f.offer_hi = 1u << (VIRTIO_F_VERSION_1 - 32);
	memcpy(f.mac, test_mac, 6);
	memset(&node, 0, sizeof(node));
	n_nics = 0;
	capture_clear();
}

static int run_init(void)
{
	VK_TABLE_FOREACH(fw_init, struct fw_init_entry, e)
		if (!strcmp(e->name, "virtio-net NICs"))
			return e->fn();
	fail_msg("no virtio-net init hook");
	return -1;
}

static void run_quiesce(void)
{
	VK_TABLE_FOREACH(fw_quiesce, struct fw_quiesce_hook, h)
		h->fn();
}

static void make_frame(uint8_t *p, uint32_t len, uint8_t seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

#define LIVE_STATUS (VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | \
		     VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK)

/* ---- tests ---- */

static void test_probe_mac_node_features(void **state)
{
	static const uint8_t max_be[4] = { 0, 0, 0x05, 0xea };	/* 1514 */
	struct net_dev *n;
	unsigned int i;

	(void)state;
	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
	run_init();
	assert_int_equal(n_nics, 1);
	n = nics[0];
	assert_int_equal(n->phandle, PH_NIC);
	assert_memory_equal(n->mac, test_mac, 6);
	assert_int_equal(n->max_frame, 1514);
	assert_true(n->link_up(n));
	/* the node gets what QEMU did not write */
	assert_true(node.has_mac);
	assert_memory_equal(node.mac, test_mac, 6);
	assert_true(node.has_max);
	assert_memory_equal(node.max, max_be, 4);
	assert_non_null(strstr(capture_out,
		"virtio-net: /pci@800000020000000/ethernet@1: MAC 52:54:00:12:34:56, 32 receive buffers"));
	/* VERSION_1 and MAC only: no offloads, no mergeable buffers, no status, no control queue */
	assert_int_equal(f.drv_lo, 1u << 5);
	assert_int_equal(f.drv_hi, 1u << (VIRTIO_F_VERSION_1 - 32));
	assert_int_equal(f.status, LIVE_STATUS);
	/* the receive pool: 32 single device-writable buffers of 12 + 1514, announced */
	assert_int_equal(f.q[0].size, 32);
	assert_true(f.q[0].enable && f.q[1].enable);
	assert_int_equal(rd16(f.q[0].avail + 2), 32);
	assert_int_equal(f.q[0].kicks, 1);
	for (i = 0; i < 32; i++) {
		uint16_t id = rd16(f.q[0].avail + 4 + 2 * i);
		uint64_t desc = f.q[0].desc + 16ull * id;

		assert_int_equal(rd32(desc + 8), HDR + 1514);
		assert_int_equal(rd16(desc + 12), VIRTQ_DESC_F_WRITE);
	}
}

static void test_transitional_id_and_others(void **state)
{
	(void)state;
	setup(VIRTIO_PCI_DEVICE_NET_TRANS);
	run_init();
	assert_int_equal(n_nics, 1);
	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_BLOCK);	/* not a NIC */
	run_init();
	assert_int_equal(n_nics, 0);
	assert_int_equal(f.status, 0);
	assert_int_equal(f.resets, 0);
}

static void test_existing_properties_kept(void **state)
{
	static const uint8_t other[6] = { 2, 0, 0, 0, 0, 1 };

	(void)state;
	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
	node.has_mac = node.has_max = 1;
	memcpy(node.mac, other, 6);
	run_init();
	assert_int_equal(n_nics, 1);
	assert_int_equal(node.sets, 0);
	assert_memory_equal(node.mac, other, 6);
}

static void test_send(void **state)
{
	uint8_t frame[1515], zero[HDR] = { 0 };
	struct net_dev *n;

	(void)state;
	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
	run_init();
	n = nics[0];
	make_frame(frame, sizeof(frame), 1);
	assert_int_equal(n->send(n, frame, 60), 0);
	assert_int_equal(f.tx_count, 1);
	assert_int_equal(f.tx_len, HDR + 60);
	assert_memory_equal(f.tx, zero, HDR);	/* a zero header: no offload asked */
	assert_memory_equal(f.tx + HDR, frame, 60);
	assert_false(f.tx_bad_desc);
	/* the largest frame goes, one byte more is refused before the device sees it */
	assert_int_equal(n->send(n, frame, 1514), 0);
	assert_int_equal(f.tx_len, HDR + 1514);
	assert_memory_equal(f.tx + HDR, frame, 1514);
	assert_int_equal(n->send(n, frame, 1515), -1);
	assert_int_equal(f.tx_count, 2);
	assert_int_equal(f.q[1].kicks, 2);
	/* the header is zeroed for each frame, whatever the buffer held before */
	memset(dma(rd64(f.q[1].desc), HDR), 0xaa, HDR);
	assert_int_equal(n->send(n, frame, 60), 0);
	assert_memory_equal(f.tx, zero, HDR);
}

/* The receive-queue calls of the transport, on a queue of its own. */
static void test_transport_post_poll(void **state)
{
	static struct virtio_pci vp;
	static struct virtq q;
	uint8_t *buf = ram + RAM_SIZE / 2;
	uint32_t len = 0;
	uint16_t id = 99;

	(void)state;
	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
	assert_null(virtio_pci_find_caps(&vp, &fake_pci));
	assert_null(virtio_pci_negotiate(&vp, 0, NULL));
	assert_int_equal(virtq_alloc(&q, &vp, 8), 0);
	assert_null(virtq_setup(&q, 0));
	assert_null(virtio_pci_driver_ok(&vp));
	assert_int_equal(virtq_poll(&q, &id, &len), 0);		/* none used: no wait */
	assert_int_equal(virtq_post(&q, 8, buf, 100), -1);	/* not a descriptor of the queue */
	assert_int_equal(rd16(f.q[0].avail + 2), 0);
	assert_int_equal(virtq_post(&q, 7, buf, 100), 0);
	assert_int_equal(virtq_post(&q, 3, buf + 100, 100), 0);
	assert_int_equal(f.q[0].kicks, 0);			/* the doorbell waits for kick */
	virtq_kick(&q);
	assert_int_equal(f.q[0].kicks, 1);
	assert_int_equal(inject_frame("ab", 2), 0);
	assert_int_equal(inject_frame("cde", 3), 0);
	assert_int_equal(inject_frame("f", 1), -1);
	assert_int_equal(virtq_poll(&q, &id, &len), 1);
	assert_int_equal(id, 7);
	assert_int_equal(len, HDR + 2);
	assert_int_equal(virtq_poll(&q, &id, &len), 1);
	assert_int_equal(id, 3);
	assert_int_equal(len, HDR + 3);
	assert_int_equal(virtq_poll(&q, &id, &len), 0);
	assert_int_equal(virtio_pci_reset(&vp), 0);
}

static void test_receive(void **state)
{
	uint8_t frame[1514], buf[1600];
	struct net_dev *n;
	unsigned int i;

	(void)state;
	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
	run_init();
	n = nics[0];
	assert_int_equal(n->receive(n, buf, sizeof(buf)), 0);	/* nothing waits: no wait */
	make_frame(frame, 60, 3);
	assert_int_equal(inject_frame(frame, 60), 0);
	make_frame(frame, 1514, 4);
	assert_int_equal(inject_frame(frame, 1514), 0);
	make_frame(frame, 60, 3);
	assert_int_equal(n->receive(n, buf, sizeof(buf)), 60);
	assert_memory_equal(buf, frame, 60);
	make_frame(frame, 1514, 4);
	assert_int_equal(n->receive(n, buf, sizeof(buf)), 1514);
	assert_memory_equal(buf, frame, 1514);
	assert_int_equal(n->receive(n, buf, sizeof(buf)), 0);
	/* every buffer goes back to the device: far more frames than buffers, ring wrapping */
	for (i = 0; i < 300; i++) {
		make_frame(frame, 64 + i, (uint8_t)i);
		assert_int_equal(inject_frame(frame, 64 + i), 0);
		assert_int_equal(n->receive(n, buf, sizeof(buf)), (int)(64 + i));
		assert_memory_equal(buf, frame, 64 + i);
	}
	/* frames the driver has not taken yet fill the pool; the 33rd finds no buffer */
	for (i = 0; i < 32; i++)
		assert_int_equal(inject_frame(frame, 100), 0);
	assert_int_equal(inject_frame(frame, 100), -1);
	for (i = 0; i < 32; i++)
		assert_int_equal(n->receive(n, buf, sizeof(buf)), 100);
	assert_int_equal(n->receive(n, buf, sizeof(buf)), 0);
	assert_int_equal(inject_frame(frame, 100), 0);
}

static void test_receive_bounds(void **state)
{
	uint8_t frame[200], *buf = ram + RAM_SIZE / 2;	/* client memory above the heap */
	struct net_dev *n;

	(void)state;
	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
	run_init();
	n = nics[0];
	/* a caller's buffer smaller than the frame gets its size, no more */
	make_frame(frame, 200, 9);
	memset(buf, 0xee, 64);
	assert_int_equal(inject_frame(frame, 200), 0);
	assert_int_equal(n->receive(n, buf, 20), 20);
	assert_memory_equal(buf, frame, 20);
	assert_int_equal(buf[20], 0xee);
	/* a device claiming more than the buffer holds: bounded by the buffer */
	inject_raw_used(1, 100000);
	assert_int_equal(n->receive(n, buf, 4096), 1514);
	/* shorter than the header: an empty frame */
	inject_raw_used(2, 5);
	assert_int_equal(n->receive(n, buf, 4096), 0);
	/* an id it was never given: an error, and the device reset */
	inject_raw_used(32, 60);
	assert_int_equal(n->receive(n, buf, 4096), -1);
	assert_non_null(strstr(capture_out, "ethernet@1: device returned a buffer it was not given"));
	assert_int_equal(f.status, 0);
	/* the next call sets it up again, with a full pool */
	assert_int_equal(n->receive(n, buf, 4096), 0);
	assert_int_equal(f.status, LIVE_STATUS);
	assert_int_equal(rd16(f.q[0].avail + 2), 32);
	assert_int_equal(inject_frame(frame, 200), 0);
	assert_int_equal(n->receive(n, buf, 4096), 200);
}

static void test_send_timeout(void **state)
{
	uint8_t frame[60];
	struct net_dev *n;

	(void)state;
	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
	run_init();
	n = nics[0];
	make_frame(frame, 60, 5);
	f.hang_tx = 1;
	assert_int_equal(n->send(n, frame, 60), -1);
	assert_non_null(strstr(capture_out, "ethernet@1: send timed out"));
	assert_int_equal(f.status, 0);	/* reset: the buffer is no longer the device's */
	f.hang_tx = 0;
	assert_int_equal(n->send(n, frame, 60), 0);
	assert_int_equal(f.status, LIVE_STATUS);
	assert_int_equal(f.tx_count, 1);
	assert_memory_equal(f.tx + HDR, frame, 60);
}

static void test_quiesce(void **state)
{
	uint8_t frame[60], buf[1514];
	struct net_dev *n;

	(void)state;
	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
	run_init();
	n = nics[0];
	run_quiesce();
	assert_int_equal(f.status, 0);
	assert_false(f.q[0].enable);	/* no receive buffer the OS would find in use */
	assert_int_equal(inject_frame(frame, 60), -1);
	/* a client may still use the NIC after quiesce: it comes back */
	make_frame(frame, 60, 6);
	assert_int_equal(n->send(n, frame, 60), 0);
	assert_int_equal(inject_frame(frame, 60), 0);
	assert_int_equal(n->receive(n, buf, sizeof(buf)), 60);
	assert_memory_equal(buf, frame, 60);
	run_quiesce();
	assert_int_equal(f.status, 0);
}

static void test_unusable_devices(void **state)
{
	(void)state;
	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
	f.no_caps = 1;
	run_init();
	assert_int_equal(n_nics, 0);
	assert_non_null(strstr(capture_out,
		"ethernet@1: no virtio 1.0 interface (disable-modern=on?); skipped"));

	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
	f.offer_hi = 0;
	run_init();
	assert_int_equal(n_nics, 0);
	assert_non_null(strstr(capture_out, "ethernet@1: no VIRTIO_F_VERSION_1; skipped"));
	assert_int_equal(f.status, VIRTIO_STATUS_FAILED);

	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
	f.offer_hi |= 1u << (VIRTIO_F_ACCESS_PLATFORM - 32);
	run_init();
	assert_int_equal(n_nics, 0);
	assert_non_null(strstr(capture_out, "ethernet@1: iommu_platform=on"));

	setup(VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
	f.offer_lo &= ~(1u << 5);
	run_init();
	assert_int_equal(n_nics, 0);
	assert_non_null(strstr(capture_out, "ethernet@1: the device gives no MAC address; skipped"));
	assert_int_equal(f.status, 0);	/* left reset, not running with a posted pool */
	assert_int_equal(node.sets, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_mac_node_features),
		cmocka_unit_test(test_transitional_id_and_others),
		cmocka_unit_test(test_existing_properties_kept),
		cmocka_unit_test(test_send),
		cmocka_unit_test(test_transport_post_poll),
		cmocka_unit_test(test_receive),
		cmocka_unit_test(test_receive_bounds),
		cmocka_unit_test(test_send_timeout),
		cmocka_unit_test(test_quiesce),
		cmocka_unit_test(test_unusable_devices),
	};

	return cmocka_run_group_tests(tests, dma_ram_setup, dma_ram_teardown);
}
