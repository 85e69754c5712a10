/* SPDX-License-Identifier: Apache-2.0 */
/* virtio-net driver: polled Ethernet frames over the shared modern virtio-pci transport, one NIC per device. */

#define pr_fmt(fmt) "virtio-net: " fmt
#include <string.h>
#include <vofkit/core/device.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/init.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/pci.h>
#include <vofkit/drivers/virtio.h>
#include <vofkit/lib/byteorder.h>
#include <vofkit/lib/console.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>

/*
 * Queue 0 receives into a pool of posted buffers the device fills when a
 * frame arrives; queue 1 sends one frame at a time and waits for it to be
 * used.  Only VERSION_1 and MAC are negotiated: no offloads, no mergeable
 * buffers, no control queue, so every received frame fits one buffer and
 * the header is always the 12-byte VERSION_1 one.
 */

#define VNET_RX_BUFS		32u
#define VNET_MAX_FRAME		1514u	/* Ethernet header + 1500, no FCS */
#define VNET_HDR_LEN		((uint32_t)sizeof(struct virtio_net_hdr))
#define VNET_BUF_LEN		(VNET_HDR_LEN + VNET_MAX_FRAME)
#define VNET_TX_QUEUE_SIZE	4u	/* one single-buffer chain at a time */
#define VNET_TX_TIMEOUT_MS	1000u

_Static_assert(sizeof(struct virtio_net_hdr) == 12, "the VERSION_1 header is 12 bytes");

struct vnet {
	struct net_dev nd;	/* nd.priv points back here */
	struct vnet *next;
	struct virtio_pci vp;
	struct virtq rxq, txq;
	uint8_t *rx_bufs;	/* VNET_RX_BUFS x VNET_BUF_LEN */
	uint8_t *tx_buf;	/* header + one frame */
	char path[OF_PATH_MAX];
	int live;		/* DRIVER_OK and in sync with our ring indexes */
};

static struct vnet *vnets;

static void vnet_reset(struct vnet *v)
{
	v->live = 0;
	virtio_pci_reset(&v->vp);
}

/*
 * Initialisation in the spec's order: reset, ACKNOWLEDGE, DRIVER, features,
 * FEATURES_OK, both queues (the receive pool posted), DRIVER_OK, then the
 * doorbell so the device sees the pool.  NULL or why it failed.
 */
static const char *vnet_setup(struct vnet *v, uint32_t *got_lo)
{
	const char *why;
	uint16_t i;

	v->live = 0;
	why = virtio_pci_negotiate(&v->vp, 1u << VIRTIO_NET_F_MAC, got_lo);
	if (!why)
		why = virtq_setup(&v->rxq, VIRTIO_NET_RX_QUEUE);
	if (!why)
		why = virtq_setup(&v->txq, VIRTIO_NET_TX_QUEUE);
	if (why)
		return why;
	for (i = 0; i < v->rxq.size; i++)
		virtq_post(&v->rxq, i, v->rx_bufs + (size_t)i * VNET_BUF_LEN, VNET_BUF_LEN);
	why = virtio_pci_driver_ok(&v->vp);
	if (why)
		return why;
	virtq_kick(&v->rxq);
	v->live = 1;
	return NULL;
}

/* After quiesce or a failed send: set the device up again. */
static int vnet_ensure_live(struct vnet *v)
{
	uint32_t got_lo;
	const char *why;

	if (v->live)
		return 0;
	why = vnet_setup(v, &got_lo);
	if (why) {
		pr_err("%s: restart failed: %s\n", v->path, why);
		return -1;
	}
	return 0;
}

static int vnet_send(struct net_dev *nd, const void *frame, size_t len)
{
	struct vnet *v = nd->priv;
	struct virtq_buf buf;

	if (len > VNET_MAX_FRAME || vnet_ensure_live(v))
		return -1;
	memset(v->tx_buf, 0, VNET_HDR_LEN);	/* no checksum or segmentation offload */
	memcpy(v->tx_buf + VNET_HDR_LEN, frame, len);
	buf.addr = v->tx_buf;
	buf.len = VNET_HDR_LEN + (uint32_t)len;
	buf.write = 0;
	if (virtq_run(&v->txq, &buf, 1, VNET_TX_TIMEOUT_MS, NULL)) {
		/* The device may still own the buffer: reset it, set up again on next use. */
		pr_err("%s: send timed out\n", v->path);
		vnet_reset(v);
		return -1;
	}
	return 0;
}

static int vnet_receive(struct net_dev *nd, void *out, size_t out_len)
{
	struct vnet *v = nd->priv;
	uint32_t used_len, frame_len;
	uint16_t id;
	uint8_t *buf;
	int got;

	if (vnet_ensure_live(v))
		return -1;
	got = virtq_poll(&v->rxq, &id, &used_len);
	if (got <= 0) {
		if (got < 0) {
			pr_err("%s: device returned a buffer it was not given\n", v->path);
			vnet_reset(v);
		}
		return got;
	}
	buf = v->rx_bufs + (size_t)id * VNET_BUF_LEN;
	/* Bounded by the buffer we gave and by the caller's: never trust used_len. */
	frame_len = used_len > VNET_HDR_LEN ? used_len - VNET_HDR_LEN : 0;
	frame_len = MIN(frame_len, VNET_MAX_FRAME);
	frame_len = MIN((size_t)frame_len, out_len);
	memcpy(out, buf + VNET_HDR_LEN, frame_len);
	virtq_post(&v->rxq, id, buf, VNET_BUF_LEN);
	virtq_kick(&v->rxq);
	return (int)frame_len;
}

/* Without VIRTIO_NET_F_STATUS the device gives no link state: up. */
static bool vnet_link_up(struct net_dev *nd)
{
	return true;
}

/* ---- discovery ---- */

static int is_virtio_net(const struct pci_dev *d)
{
	return d->vendor == VIRTIO_PCI_VENDOR &&
	       (d->device == VIRTIO_PCI_DEVICE_NET_TRANS ||
		d->device == VIRTIO_PCI_DEVICE_MODERN_BASE + VIRTIO_ID_NET);
}

/* The MAC from config bytes 0-5 (a byte array, not little-endian words). */
static void vnet_read_mac(struct vnet *v)
{
	uint32_t w[2] = { 0, 0 };
	unsigned int i;

	virtio_pci_read_config(&v->vp, VIRTIO_NET_CFG_MAC, w, 2);
	for (i = 0; i < 6; i++)
		v->nd.mac[i] = (uint8_t)(w[i / 4] >> (8 * (i % 4)));
}

/*
 * QEMU's node for a virtio-net function has no local-mac-address (clients
 * such as GRUB's ofnet and Linux read it) nor max-frame-size: add them.
 */
static void vnet_fill_node(struct vnet *v)
{
	uint8_t probe[6];
	be32 max_frame = cpu_to_be32(VNET_MAX_FRAME);

	if (tree_read_prop(v->nd.phandle, "local-mac-address", probe, sizeof(probe)) < 0)
		tree_setprop(v->nd.phandle, "local-mac-address", v->nd.mac, 6);
	if (tree_read_prop(v->nd.phandle, "max-frame-size", probe, sizeof(probe)) < 0)
		tree_setprop(v->nd.phandle, "max-frame-size", &max_frame, sizeof(max_frame));
}

static void vnet_probe(struct pci_dev *d)
{
	struct vnet *v = fw_heap_alloc(sizeof(*v), 8);
	uint32_t got_lo = 0;
	const char *why;
	char mac[18];

	if (!v)
		return;
	v->nd.send = vnet_send;
	v->nd.receive = vnet_receive;
	v->nd.link_up = vnet_link_up;
	v->nd.priv = v;
	v->nd.phandle = d->phandle;
	v->nd.max_frame = VNET_MAX_FRAME;
	tree_path(d->phandle, v->path, sizeof(v->path));
	why = virtio_pci_find_caps(&v->vp, d);
	if (!why) {
		v->rx_bufs = fw_heap_alloc((size_t)VNET_RX_BUFS * VNET_BUF_LEN, 16);
		v->tx_buf = fw_heap_alloc(VNET_BUF_LEN, 16);
		why = v->rx_bufs && v->tx_buf &&
		      !virtq_alloc(&v->rxq, &v->vp, VNET_RX_BUFS) &&
		      !virtq_alloc(&v->txq, &v->vp, VNET_TX_QUEUE_SIZE) ?
		      vnet_setup(v, &got_lo) : "out of firmware memory";
	}
	if (!why && !(got_lo & 1u << VIRTIO_NET_F_MAC)) {
		/* QEMU always offers it; a MAC we would have to invent could clash. */
		vnet_reset(v);
		why = "the device gives no MAC address";
	}
	if (why) {
		pr_warn("%s: %s; skipped\n", v->path, why);
		return;
	}
	vnet_read_mac(v);
	vnet_fill_node(v);
	fw_format_mac(mac, v->nd.mac);
	pr_info("%s: MAC %s, %u receive buffers\n", v->path, mac, (unsigned int)v->rxq.size);
	v->next = vnets;
	vnets = v;
	if (net_dev_register(&v->nd) < 0)
		pr_warn("%s: too many network devices; skipped\n", v->path);
}

static int virtio_net_init(void)
{
	struct pci_dev *d;

	for (d = pci_next(NULL); d; d = pci_next(d))
		if (is_virtio_net(d))
			vnet_probe(d);
	return 0;
}
FW_INIT(virtio_net_init, FW_INIT_DRIVER, "virtio-net NICs");

/* Hand the OS idle devices: no receive buffer pointing into memory it will reuse. */
static void virtio_net_quiesce(void)
{
	struct vnet *v;

	for (v = vnets; v; v = v->next)
		vnet_reset(v);
}
FW_QUIESCE(virtio_net_quiesce);
