/* SPDX-License-Identifier: Apache-2.0 */
/* virtio 1.x over PCI (modern interface): register layout, split virtqueues, virtio-blk requests. */
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
#define VIRTIO_PCI_DEVICE_MODERN_BASE	0x1040	/* + virtio device id */
#define VIRTIO_ID_BLOCK			2

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

#endif /* VOFKIT_DRIVERS_VIRTIO_H */
