/* SPDX-License-Identifier: Apache-2.0 */
/* spapr-vlan (IBM,l-lan, ibmveth) network driver: polled send and receive of Ethernet frames over the l-lan hcalls. */

#define pr_fmt(fmt) "l-lan: " fmt
#include <string.h>
#include <arch/hcall.h>
#include <vofkit/core/device.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/init.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/tce.h>
#include <vofkit/drivers/vio.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/console.h>
#include <vofkit/lib/log.h>

/*
 * Everything the device reads or writes lives in firmware heap memory,
 * mapped with H_PUT_TCE at fixed IOBAs of its own window (never TCE
 * bypass, decision 51), and all of it is below 4 GiB of IOBA space as
 * the 32-bit address field of a buffer descriptor (BD) requires:
 *
 *   0x0000  buffer list page: QEMU keeps the rx-queue BD at +0, the
 *           filter BD at +8 and a dropped-frame counter at +4088
 *   0x1000  filter list page (no filters: QEMU passes every frame)
 *   0x2000  receive queue, 64 entries of 16 bytes
 *   0x3000  send buffer, one page
 *   0x4000  32 receive buffers of 2 KiB
 *
 * Why these sizes (decision 58): the queue has at least as many entries
 * as there are buffers, because QEMU writes the next queue entry without
 * looking whether the guest has consumed it; a frame needs a buffer, so
 * at most 32 entries can be unread and none is ever overwritten.  2 KiB holds the
 * 8-byte handle plus a 1518-byte frame, and all buffers have one size, so
 * QEMU keeps them in one pool.
 */

#define LLAN_IOBA_BUF_LIST	0x0000ull
#define LLAN_IOBA_FILTER	0x1000ull
#define LLAN_IOBA_RXQ		0x2000ull
#define LLAN_IOBA_SEND		0x3000ull
#define LLAN_IOBA_RX		0x4000ull
#define LLAN_RXQ_ENTRIES	64u
#define LLAN_RXQ_SIZE		(LLAN_RXQ_ENTRIES * 16u)
#define LLAN_RX_BUFS		32u
#define LLAN_RX_BUF_SIZE	2048u
#define LLAN_RX_POOL		(LLAN_RX_BUFS * LLAN_RX_BUF_SIZE)
#define LLAN_WINDOW_NEEDED	(LLAN_IOBA_RX + LLAN_RX_POOL)
/* The largest frame: 1514 bytes of Ethernet without FCS, plus an 802.1Q tag. */
#define LLAN_MAX_FRAME		1518u
#define LLAN_MIN_FRAME		14u	/* one Ethernet header */

/* Buffer descriptor: VALID, length in bits 55-32, IOBA in bits 31-0. */
#define BD_VALID		0x8000000000000000ull
#define BD_TOGGLE		0x4000000000000000ull
#define BD(ioba, len)		(BD_VALID | ((uint64_t)(len) & 0xffffff) << 32 | ((ioba) & 0xffffffffull))

/*
 * Receive queue entry: +0 control, +2 offset of the frame in the buffer,
 * +4 length, +8 the handle QEMU copied from the buffer's first 8 bytes.
 * QEMU sets RXQ_TOGGLE on its first pass over the queue and clears it on
 * the next, so an entry is new when its toggle is the one expected.
 */
#define RXQ_TOGGLE		0x80
#define RXQ_VALID		0x40

struct llan {
	struct net_dev net;
	struct vio_dev vio;
	uint8_t *buf_list;	/* page */
	uint8_t *filter;	/* page */
	uint8_t *rxq;		/* LLAN_RXQ_SIZE, in its own page */
	uint8_t *send;		/* page */
	uint8_t *rx;		/* LLAN_RX_POOL, page-aligned */
	uint32_t rxq_next;	/* byte offset of the next entry to read */
	uint8_t toggle;		/* RXQ_TOGGLE value of a new entry */
	bool live;		/* registered, buffers added */
	char name[24];		/* "l-lan@71000002" */
	struct llan *next;
};

static struct llan *nics;

static int64_t llan_hcall(uint64_t opcode, uint32_t unit, uint64_t a1, uint64_t a2, uint64_t a3,
			  uint64_t a4)
{
	uint64_t args[9] = { unit, a1, a2, a3, a4 };

	return hcall_long(opcode, args);
}

/* Clear every TCE the driver set, whatever the state it stopped in. */
static void llan_unmap_all(struct llan *l)
{
	tce_unmap(l->vio.unit, 0, LLAN_WINDOW_NEEDED);
}

/* Take the device down: QEMU forgets the buffers and holds no mapping into firmware memory. */
static void llan_stop(struct llan *l)
{
	if (l->live)
		llan_hcall(H_FREE_LOGICAL_LAN, l->vio.unit, 0, 0, 0, 0);
	llan_unmap_all(l);
	l->live = false;
}

/* Post receive buffer `idx`: its first 8 bytes are the handle QEMU gives back with the frame. */
static int llan_add_buffer(struct llan *l, uint32_t idx)
{
	put_be64(l->rx + idx * LLAN_RX_BUF_SIZE, idx);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return llan_hcall(H_ADD_LOGICAL_LAN_BUFFER, l->vio.unit,
			  BD(LLAN_IOBA_RX + idx * LLAN_RX_BUF_SIZE, LLAN_RX_BUF_SIZE), 0, 0, 0) ==
	       H_SUCCESS ? 0 : -1;
}

static bool llan_map(struct llan *l, uint64_t ioba, const void *buf, uint64_t len)
{
	return vio_dma_map(&l->vio, ioba, buf, len) == ioba;
}

/* Map everything, register the LAN and post the buffers; NULL or why not. */
static const char *llan_start(struct llan *l)
{
	uint64_t rxq_bd = BD(LLAN_IOBA_RXQ, LLAN_RXQ_SIZE);
	int64_t rc;
	uint32_t i;

	memset(l->buf_list, 0, TCE_PAGE_SIZE);
	memset(l->filter, 0, TCE_PAGE_SIZE);
	memset(l->rxq, 0, LLAN_RXQ_SIZE);
	l->rxq_next = 0;
	l->toggle = RXQ_TOGGLE;
	/* An earlier stage running SLOF's way leaves bypass on: our IOBAs would be physical. */
	vio_set_tce_bypass(l->vio.unit, 0);
	if (!llan_map(l, LLAN_IOBA_BUF_LIST, l->buf_list, TCE_PAGE_SIZE) ||
	    !llan_map(l, LLAN_IOBA_FILTER, l->filter, TCE_PAGE_SIZE) ||
	    !llan_map(l, LLAN_IOBA_RXQ, l->rxq, LLAN_RXQ_SIZE) ||
	    !llan_map(l, LLAN_IOBA_SEND, l->send, TCE_PAGE_SIZE) ||
	    !llan_map(l, LLAN_IOBA_RX, l->rx, LLAN_RX_POOL)) {
		llan_unmap_all(l);
		return "cannot map its buffers";
	}
	rc = llan_hcall(H_REGISTER_LOGICAL_LAN, l->vio.unit, LLAN_IOBA_BUF_LIST, rxq_bd,
			LLAN_IOBA_FILTER, 0);
	if (rc == H_RESOURCE) {
		/* Left open by an earlier boot stage (SLOF frees it only at its own quiesce). */
		llan_hcall(H_FREE_LOGICAL_LAN, l->vio.unit, 0, 0, 0, 0);
		rc = llan_hcall(H_REGISTER_LOGICAL_LAN, l->vio.unit, LLAN_IOBA_BUF_LIST, rxq_bd,
				LLAN_IOBA_FILTER, 0);
	}
	if (rc != H_SUCCESS) {
		llan_unmap_all(l);
		return "the hypervisor refused to open the LAN";
	}
	l->live = true;
	for (i = 0; i < LLAN_RX_BUFS; i++) {
		if (llan_add_buffer(l, i)) {
			llan_stop(l);
			return "the hypervisor refused a receive buffer";
		}
	}
	return NULL;
}

/* Open on first use (and again after quiesce); 0 or -1 (one line printed). */
static int llan_ensure_live(struct llan *l)
{
	const char *why;

	if (l->live)
		return 0;
	why = llan_start(l);
	if (why) {
		pr_err("%s: %s\n", l->name, why);
		return -1;
	}
	return 0;
}

static int llan_send(struct net_dev *dev, const void *frame, size_t len)
{
	struct llan *l = dev->priv;
	int64_t rc;

	if (len < LLAN_MIN_FRAME || len > LLAN_MAX_FRAME) {
		pr_err("%s: cannot send a %u-byte frame (%u to %u)\n", l->name, (unsigned int)len,
		       LLAN_MIN_FRAME, LLAN_MAX_FRAME);
		return -1;
	}
	if (llan_ensure_live(l))
		return -1;
	memcpy(l->send, frame, len);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* One BD; the next (0) is not VALID, which ends the list.  QEMU sends synchronously. */
	rc = llan_hcall(H_SEND_LOGICAL_LAN, l->vio.unit, BD(LLAN_IOBA_SEND, len), 0, 0, 0);
	return rc == H_SUCCESS ? 0 : -1;
}

static int llan_receive(struct net_dev *dev, void *buf, size_t len)
{
	struct llan *l = dev->priv;
	volatile uint8_t *entry;
	uint64_t handle;
	uint32_t idx, off, flen;
	int ret;

	if (llan_ensure_live(l))
		return -1;
	entry = l->rxq + l->rxq_next;
	/* QEMU always sets VALID; checking it too keeps a zeroed slot from ever looking new. */
	if ((entry[0] & RXQ_TOGGLE) != l->toggle || !(entry[0] & RXQ_VALID))
		return 0;
	/* QEMU writes the control byte last: read the rest after seeing it. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	off = get_be16((const uint8_t *)entry + 2);
	flen = get_be32((const uint8_t *)entry + 4);
	handle = get_be64((const uint8_t *)entry + 8);
	if (handle >= LLAN_RX_BUFS) {
		/* Not a handle we gave: no buffer to re-post, the entry is skipped. */
		pr_warn("%s: receive queue entry with an unknown buffer; skipped\n", l->name);
		ret = 0;
		goto advance;
	}
	idx = (uint32_t)handle;
	if (off < 8 || off > LLAN_RX_BUF_SIZE || flen > LLAN_RX_BUF_SIZE - off) {
		pr_warn("%s: frame of %u bytes at %u overruns its buffer; dropped\n", l->name, flen,
			off);
		ret = 0;
	} else if (flen > len) {
		pr_warn("%s: %u-byte frame does not fit a %u-byte buffer; dropped\n", l->name, flen,
			(unsigned int)len);
		ret = -1;
	} else {
		memcpy(buf, l->rx + idx * LLAN_RX_BUF_SIZE + off, flen);
		ret = (int)flen;
	}
	if (llan_add_buffer(l, idx))
		pr_warn("%s: the hypervisor refused a receive buffer back\n", l->name);
advance:
	l->rxq_next += 16;
	if (l->rxq_next >= LLAN_RXQ_SIZE) {
		l->rxq_next = 0;
		l->toggle ^= RXQ_TOGGLE;
	}
	return ret;
}

static bool llan_link_up(struct net_dev *dev)
{
	(void)dev;
	return true;	/* the virtual LAN has no link state */
}

/* "l-lan@<reg>", as the node is named: messages say which device. */
static void llan_set_name(struct llan *l)
{
	memcpy(l->name, "l-lan@", sizeof("l-lan@") - 1);
	fw_format_hex(l->name + sizeof("l-lan@") - 1, l->vio.unit);
}

/* local-mac-address: 6 bytes, or 8 with two leading zeros (QEMU, when mac[0] & 3 != 2). */
static int llan_read_mac(struct llan *l)
{
	uint8_t mac[8];
	int len = tree_read_prop(l->vio.phandle, "local-mac-address", mac, sizeof(mac));

	if (len == 6) {
		memcpy(l->net.mac, mac, 6);
		return 0;
	}
	if (len == 8) {
		memcpy(l->net.mac, mac + 2, 6);
		return 0;
	}
	return -1;
}

static void llan_probe(const struct vio_dev *dev)
{
	struct llan *l = fw_heap_alloc(sizeof(*l), 8);
	char mac[18];

	if (!l)
		return;
	memset(l, 0, sizeof(*l));
	l->vio = *dev;
	llan_set_name(l);
	if (llan_read_mac(l)) {
		pr_warn("%s: no valid local-mac-address; skipped\n", l->name);
		return;
	}
	if (dev->window_size < LLAN_WINDOW_NEEDED) {
		pr_warn("%s: DMA window too small; skipped\n", l->name);
		return;
	}
	l->buf_list = fw_heap_alloc(TCE_PAGE_SIZE, TCE_PAGE_SIZE);
	l->filter = fw_heap_alloc(TCE_PAGE_SIZE, TCE_PAGE_SIZE);
	l->rxq = fw_heap_alloc(LLAN_RXQ_SIZE, TCE_PAGE_SIZE);
	l->send = fw_heap_alloc(TCE_PAGE_SIZE, TCE_PAGE_SIZE);
	l->rx = fw_heap_alloc(LLAN_RX_POOL, TCE_PAGE_SIZE);
	if (!l->buf_list || !l->filter || !l->rxq || !l->send || !l->rx) {
		pr_warn("%s: out of firmware memory; skipped\n", l->name);
		return;
	}
	l->net.phandle = dev->phandle;
	l->net.max_frame = LLAN_MAX_FRAME;
	l->net.send = llan_send;
	l->net.receive = llan_receive;
	l->net.link_up = llan_link_up;
	l->net.priv = l;
	if (net_dev_register(&l->net) < 0) {	/* the index, or -1 */
		pr_warn("%s: too many network devices; skipped\n", l->name);
		return;
	}
	fw_format_mac(mac, l->net.mac);
	pr_info("%s: MAC %s\n", l->name, mac);
	l->next = nics;
	nics = l;
}

/* The LAN is opened on first use: a boot that never touches the network never opens it. */
static int llan_init(void)
{
	struct vio_dev dev;
	uint32_t node = 0;

	while ((node = vio_next(node, "IBM,l-lan", NULL, &dev)))
		llan_probe(&dev);
	return 0;
}
FW_INIT(llan_init, FW_INIT_DRIVER, "l-lan network devices");

/*
 * Hand the OS the device as after a reset: QEMU's RTAS quiesce does not
 * close an l-lan, and Linux's ibmveth registers its own buffer list (it
 * would get H_RESOURCE), nor may a TCE point into memory it will reuse.
 */
static void llan_quiesce(void)
{
	struct llan *l;

	for (l = nics; l; l = l->next)
		llan_stop(l);
}
FW_QUIESCE(llan_quiesce);
