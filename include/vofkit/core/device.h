/* SPDX-License-Identifier: Apache-2.0 */
/* Device-class interfaces drivers implement (block, network) and the registries the layers above read. */
#ifndef VOFKIT_CORE_DEVICE_H
#define VOFKIT_CORE_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vofkit/lib/limits.h>

/*
 * A driver fills one of these per device it finds and registers it; it
 * knows nothing of partitions, boot order or client instances.  The block
 * and net layers, the boot sources and the CI services find devices here.
 * Registries keep pointers: a registered device lives for the whole boot.
 * The device's path is its tree node's path (tree_path(dev->phandle)).
 */

#define BLOCK_DEV_CDROM		0x1	/* a CD/DVD drive (2048-byte blocks, aliases cdrom...) */
#define BLOCK_DEV_REMOVABLE	0x2	/* the medium may be absent or change */
#define BLOCK_DEV_NVME		0x4	/* an NVMe namespace (aliases nvme, nvme1, ...) */

struct block_dev {
	uint32_t phandle;	/* the device's tree node */
	uint32_t block_size;	/* bytes per block (512 for virtio-blk, 2048 for a CD) */
	uint64_t blocks;	/* capacity in blocks */
	uint32_t flags;		/* BLOCK_DEV_* */
	/* Read `count` blocks from `lba` into buf; 0 or -1. */
	int (*read)(struct block_dev *dev, uint64_t lba, uint32_t count, void *buf);
	void *priv;		/* the driver's */
};

/* 64 disks on a v-scsi and 64 on a virtio-scsi controller, and a few more. */
#define BLOCK_DEVS_MAX		160

/* Returns the device's index (registration order) or -1 (bad device, registry full). */
int block_dev_register(struct block_dev *dev);
unsigned int block_dev_count(void);
/* The index-th device, or NULL. */
struct block_dev *block_dev_at(unsigned int index);
/* The device registered for a node, or NULL. */
struct block_dev *block_dev_of_phandle(uint32_t phandle);

struct net_dev {
	uint32_t phandle;	/* the device's tree node */
	uint8_t mac[6];
	uint16_t max_frame;	/* largest frame send/receive handle, header included */
	/* Send one Ethernet frame; 0 or -1. */
	int (*send)(struct net_dev *dev, const void *frame, size_t len);
	/* Non-blocking: one frame into buf; its length, 0 when none waits, -1 on error. */
	int (*receive)(struct net_dev *dev, void *buf, size_t len);
	/* Is the link up (true when the device cannot tell)? */
	bool (*link_up)(struct net_dev *dev);
	void *priv;		/* the driver's */
};

int net_dev_register(struct net_dev *dev);
unsigned int net_dev_count(void);
struct net_dev *net_dev_at(unsigned int index);
struct net_dev *net_dev_of_phandle(uint32_t phandle);

/*
 * The n-th /aliases name of a device family, as SLOF numbers them: base
 * for n = 0, then base1, base2, ... ("disk", "disk1"; "net", "net1").
 * n < 1000 (no registry holds more); base is short ("cdrom" at most).
 */
void device_alias_name(char alias[OF_ALIAS_MAX], const char *base, unsigned int n);

#endif /* VOFKIT_CORE_DEVICE_H */
