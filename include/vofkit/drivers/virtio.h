/* SPDX-License-Identifier: Apache-2.0 */
/* virtio 1.x over PCI (modern interface): register layout, the shared transport, virtio-blk and virtio-scsi requests. */
#ifndef VOFKIT_DRIVERS_VIRTIO_H
#define VOFKIT_DRIVERS_VIRTIO_H

#include <stdint.h>
#include <vofkit/lib/byteorder.h>

/*
 * Offsets and values from the virtio 1.x specification.  Everything the
 * device sees (registers, rings, request headers) is little-endian.
 */

#define VIRTIO_PCI_VENDOR		0x1af4
#define VIRTIO_PCI_DEVICE_BLK_TRANS	0x1001	/* transitional virtio-blk */
#define VIRTIO_PCI_DEVICE_SCSI_TRANS	0x1004	/* transitional virtio-scsi */
#define VIRTIO_PCI_DEVICE_MODERN_BASE	0x1040	/* + virtio device id */
#define VIRTIO_PCI_DEVICE_NET_TRANS	0x1000	/* transitional virtio-net */
#define VIRTIO_ID_NET			1
#define VIRTIO_ID_BLOCK			2
#define VIRTIO_ID_SCSI			8

/* Vendor-specific PCI capability: where each structure lives. */
#define VIRTIO_PCI_CAP_TYPE		3	/* cfg_type (byte) */
#define VIRTIO_PCI_CAP_BAR		4	/* bar (byte) */
#define VIRTIO_PCI_CAP_OFFSET		8	/* le32 */
#define VIRTIO_PCI_CAP_LENGTH		12	/* le32 */
#define VIRTIO_PCI_CAP_NOTIFY_MULT	16	/* le32, notify capability only */

#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4

/* Common configuration structure */
#define VIRTIO_COMMON_DFSELECT		0x00	/* le32 device_feature_select */
#define VIRTIO_COMMON_DF		0x04	/* le32 device_feature */
#define VIRTIO_COMMON_GFSELECT		0x08	/* le32 driver_feature_select */
#define VIRTIO_COMMON_GF		0x0c	/* le32 driver_feature */
#define VIRTIO_COMMON_MSIX		0x10	/* le16 config_msix_vector */
#define VIRTIO_COMMON_NUMQ		0x12	/* le16 num_queues */
#define VIRTIO_COMMON_STATUS		0x14	/* u8 device_status */
#define VIRTIO_COMMON_CFGGEN		0x15	/* u8 config_generation */
#define VIRTIO_COMMON_Q_SELECT		0x16	/* le16 */
#define VIRTIO_COMMON_Q_SIZE		0x18	/* le16 */
#define VIRTIO_COMMON_Q_MSIX		0x1a	/* le16 */
#define VIRTIO_COMMON_Q_ENABLE		0x1c	/* le16 */
#define VIRTIO_COMMON_Q_NOFF		0x1e	/* le16 queue_notify_off */
#define VIRTIO_COMMON_Q_DESCLO		0x20	/* le64 as two le32 halves */
#define VIRTIO_COMMON_Q_DESCHI		0x24
#define VIRTIO_COMMON_Q_AVAILLO		0x28
#define VIRTIO_COMMON_Q_AVAILHI		0x2c
#define VIRTIO_COMMON_Q_USEDLO		0x30
#define VIRTIO_COMMON_Q_USEDHI		0x34
#define VIRTIO_COMMON_SIZE		0x38

/* device_status bits */
#define VIRTIO_STATUS_ACKNOWLEDGE	0x01
#define VIRTIO_STATUS_DRIVER		0x02
#define VIRTIO_STATUS_DRIVER_OK		0x04
#define VIRTIO_STATUS_FEATURES_OK	0x08
#define VIRTIO_STATUS_NEEDS_RESET	0x40
#define VIRTIO_STATUS_FAILED		0x80

/* Feature bits */
#define VIRTIO_F_VERSION_1		32
#define VIRTIO_F_ACCESS_PLATFORM	33	/* DMA goes through an IOMMU (TCE) */
#define VIRTIO_BLK_F_RO			5
#define VIRTIO_BLK_F_BLK_SIZE		6

/* Split virtqueue */
#define VIRTQ_DESC_F_NEXT		1
#define VIRTQ_DESC_F_WRITE		2	/* device writes this buffer */
#define VIRTQ_AVAIL_F_NO_INTERRUPT	1

struct virtq_desc {
	le64 addr;
	le32 len;
	le16 flags;
	le16 next;
};

struct virtq_avail {
	le16 flags;
	le16 idx;
	le16 ring[];		/* then le16 used_event */
};

struct virtq_used_elem {
	le32 id;
	le32 len;
};

struct virtq_used {
	le16 flags;
	le16 idx;
	struct virtq_used_elem ring[];	/* then le16 avail_event */
};

/* virtio-blk device configuration */
#define VIRTIO_BLK_CFG_CAPACITY		0	/* le64, in 512-byte sectors */
#define VIRTIO_BLK_CFG_BLK_SIZE		20	/* le32, with VIRTIO_BLK_F_BLK_SIZE */

/* virtio-blk request: header (device-readable), data, status byte (device-writable). */
#define VIRTIO_BLK_T_IN			0
#define VIRTIO_BLK_S_OK			0
#define VIRTIO_BLK_SECTOR_SIZE		512

struct virtio_blk_req_hdr {
	le32 type;
	le32 reserved;
	le64 sector;
};

/* virtio-net: feature, device configuration, queues, header */
#define VIRTIO_NET_F_MAC		5	/* config bytes 0-5 hold the MAC */
#define VIRTIO_NET_CFG_MAC		0
#define VIRTIO_NET_RX_QUEUE		0
#define VIRTIO_NET_TX_QUEUE		1

/*
 * Before every frame, both ways.  12 bytes once VERSION_1 is negotiated
 * (num_buffers is always there then); all zero on transmit: no offloads.
 */
struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	le16 hdr_len;
	le16 gso_size;
	le16 csum_start;
	le16 csum_offset;
	le16 num_buffers;
} __attribute__((packed));

/* virtio-scsi device configuration (le32 words unless noted) */
#define VIRTIO_SCSI_CFG_NUM_QUEUES	0	/* request queues */
#define VIRTIO_SCSI_CFG_SENSE_SIZE	20
#define VIRTIO_SCSI_CFG_CDB_SIZE	24
#define VIRTIO_SCSI_CFG_MAX_CHANNEL	28	/* le16, then le16 max_target at 30 */
#define VIRTIO_SCSI_CFG_MAX_LUN		32
#define VIRTIO_SCSI_CFG_SIZE		36

/* Queues: 0 control, 1 event, 2 and up requests. */
#define VIRTIO_SCSI_REQUEST_QUEUE	2

/*
 * Request and response laid out for the default sizes (cdb_size 32,
 * sense_size 96).  QEMU takes the layout from those config fields, which a
 * device reset restores; the driver checks the device agrees.
 */
#define VIRTIO_SCSI_CDB_SIZE		32
#define VIRTIO_SCSI_SENSE_SIZE		96

struct virtio_scsi_req {
	uint8_t lun[8];		/* 01 target 40|lun>>8 lun 00 00 00 00 */
	le64 tag;
	uint8_t task_attr;	/* 0: simple */
	uint8_t prio;
	uint8_t crn;
	uint8_t cdb[VIRTIO_SCSI_CDB_SIZE];
} __attribute__((packed));

struct virtio_scsi_resp {
	le32 sense_len;
	le32 residual;
	le16 status_qualifier;
	uint8_t status;		/* the SCSI status byte */
	uint8_t response;	/* VIRTIO_SCSI_S_* */
	uint8_t sense[VIRTIO_SCSI_SENSE_SIZE];
} __attribute__((packed));

/* virtio_scsi_resp.response */
#define VIRTIO_SCSI_S_OK		0
#define VIRTIO_SCSI_S_OVERRUN		1
#define VIRTIO_SCSI_S_ABORTED		2
#define VIRTIO_SCSI_S_BAD_TARGET	3
#define VIRTIO_SCSI_S_RESET		4
#define VIRTIO_SCSI_S_BUSY		5
#define VIRTIO_SCSI_S_TRANSPORT_FAILURE	6
#define VIRTIO_SCSI_S_TARGET_FAILURE	7
#define VIRTIO_SCSI_S_NEXUS_FAILURE	8
#define VIRTIO_SCSI_S_FAILURE		9
#define VIRTIO_SCSI_S_INCORRECT_LUN	12

/* ---- the shared transport (drivers/virtio/virtio_pci.c) ---- */

struct pci_dev;

/*
 * One virtio-pci function: where its structures sit in the BARs.  A driver
 * embeds one, fills it with virtio_pci_find_caps(), then brings the device
 * up with virtio_pci_negotiate(), virtq_setup() for each queue it uses and
 * virtio_pci_driver_ok(), in the spec's order.  Everything is polled: no
 * MSI-X vector is assigned and the rings ask for no interrupts.
 */
struct virtio_pci {
	struct pci_dev *pci;
	uint64_t common, notify_base, devcfg;	/* CPU addresses in the BARs */
	uint32_t notify_mult, notify_len, devcfg_len;
};

/*
 * One split virtqueue of up to `max` entries in firmware heap memory.  The
 * driver runs one request at a time: a chain always starts at descriptor 0.
 */
struct virtq {
	struct virtio_pci *vp;
	uint16_t index;		/* the queue's number on the device */
	uint16_t max;		/* entries allocated (a power of two) */
	uint16_t size;		/* entries in use (min of max and the device's) */
	uint16_t avail_idx, used_idx;
	uint64_t notify;	/* the queue's doorbell */
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
};

/* One buffer of a descriptor chain: `write` when the device writes it. */
struct virtq_buf {
	const void *addr;
	uint32_t len;
	int write;
};

/* Common, notify and device config (first capability of each); NULL or why not. */
const char *virtio_pci_find_caps(struct virtio_pci *vp, struct pci_dev *dev);

/* Status 0, then wait (up to 1 s) until it reads 0: 0 or -1. */
int virtio_pci_reset(struct virtio_pci *vp);

/* Status FAILED: the driver gave up on the device. */
void virtio_pci_fail(struct virtio_pci *vp);

/*
 * Reset, ACKNOWLEDGE, DRIVER, then offer VERSION_1 and the device features
 * among `want_lo` (bits 0-31), FEATURES_OK and check it held.  *got_lo (may
 * be NULL) gets the low features agreed.  A device without VERSION_1 or
 * with ACCESS_PLATFORM (DMA through an IOMMU) is refused.  NULL or why not
 * (the device is left FAILED).
 */
const char *virtio_pci_negotiate(struct virtio_pci *vp, uint32_t want_lo, uint32_t *got_lo);

/* Heap memory for a queue of `max` entries (a power of two); 0 or -1. */
int virtq_alloc(struct virtq *q, struct virtio_pci *vp, uint16_t max);

/* Program queue `index` (after negotiate, before driver_ok); NULL or why not. */
const char *virtq_setup(struct virtq *q, uint16_t index);

/* DRIVER_OK; NULL or why the device refused it. */
const char *virtio_pci_driver_ok(struct virtio_pci *vp);

/*
 * Put the chain bufs[0..n) on the queue, ring the doorbell and poll until
 * the device has used it or `timeout_ms` passed.  0 when used (*used_len,
 * if not NULL, gets the bytes the device wrote), -1 on a timeout: the
 * device may still own the buffers, so the caller resets it.
 */
int virtq_run(struct virtq *q, const struct virtq_buf *bufs, unsigned int n,
	      uint32_t timeout_ms, uint32_t *used_len);

/*
 * Receive-style queues, the device filling buffers whenever it likes:
 * virtq_post() puts the device-writable buffer `addr` (`len` bytes) on the
 * avail ring as descriptor `id` (< q->size; the caller keeps ids unique
 * among posted buffers), without the doorbell: 0, or -1 for a bad id.
 * virtq_kick() rings the doorbell for what was posted.  virtq_poll() never
 * waits: 1 with *id and *len (bytes the device wrote) of the next used
 * buffer, 0 when there is none, -1 when the device used an id it was not
 * given.  A queue used this way is not also used with virtq_run().
 */
int virtq_post(struct virtq *q, uint16_t id, void *addr, uint32_t len);
void virtq_kick(struct virtq *q);
int virtq_poll(struct virtq *q, uint16_t *id, uint32_t *len);

/*
 * Read `n` le32 words of device config from byte `off` into `words` (CPU
 * order), again while the config generation changes under the read.
 * 0, or -1 when the range lies outside the device config.
 */
int virtio_pci_read_config(struct virtio_pci *vp, unsigned int off, uint32_t *words,
			   unsigned int n);

#endif /* VOFKIT_DRIVERS_VIRTIO_H */
