/* SPDX-License-Identifier: Apache-2.0 */
/* VIO bus (pseries /vdevice): finding devices, their DMA window, and the CRQ a v-scsi or v-tpm talks over. */
#ifndef VOFKIT_DRIVERS_VIO_H
#define VOFKIT_DRIVERS_VIO_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A VIO device is a child of /vdevice.  Its "reg" is both the unit the
 * VIO hcalls take and the LIOBN of its own TCE window (256 MiB for
 * spapr-vscsi, empty at reset).  Every address the device uses -- the
 * CRQ page, IUs, data buffers -- is an I/O bus address (IOBA) in that
 * window; vio_dma_map() makes one.  QEMU numbers "reg" in creation order
 * (0x71000001 with -nodefaults, 0x71000002 behind a vty): never assume it.
 */

struct vio_dev {
	uint32_t phandle;
	uint32_t unit;		/* "reg": hcall unit and LIOBN */
	uint64_t window_size;	/* bytes of IOBA space ("ibm,my-dma-window") */
};

/*
 * The next /vdevice child after `prev` (0: the first) whose "compatible"
 * list holds `compatible` (or, when that is NULL, whose device_type is
 * `type`).  Fills *dev; returns its phandle or 0 when there is none.
 */
uint32_t vio_next(uint32_t prev, const char *compatible, const char *type,
		  struct vio_dev *dev);

/*
 * Map [buf, buf + len) for the device at window offset `ioba` (4 KiB
 * aligned; the mapping covers whole pages).  Returns the IOBA of `buf`
 * (ioba + its offset in the page), or VIO_DMA_ERROR.
 */
#define VIO_DMA_ERROR	(~0ull)
uint64_t vio_dma_map(const struct vio_dev *dev, uint64_t ioba, const void *buf, uint64_t len);
/* Clear what vio_dma_map(dev, ioba, buf, len) mapped; 0 or -1. */
int vio_dma_unmap(const struct vio_dev *dev, uint64_t ioba, const void *buf, uint64_t len);

/*
 * Command/Response Queue: one 4 KiB page of 16-byte entries the partner
 * (QEMU) writes into; the firmware sends with H_SEND_CRQ.  Entry byte 0
 * says whose the slot is: 0 free, 0x80 a payload, 0xC0 an init message,
 * 0xFF a transport event.  The reader zeroes byte 0 of each entry it
 * consumes, or QEMU finds the slot "full" and drops its next message.
 */
#define VIO_CRQ_SIZE		0x1000u
#define VIO_CRQ_ENTRY		16u
#define VIO_CRQ_PAYLOAD		0x80
#define VIO_CRQ_INIT		0xC0
#define VIO_CRQ_TRANSPORT	0xFF

struct vio_crq {
	struct vio_dev *dev;
	uint8_t *page;		/* VIO_CRQ_SIZE bytes, page-aligned */
	uint64_t ioba;		/* where the page is mapped */
	uint32_t next;		/* byte offset of the next entry to read */
	bool registered;
};

/*
 * Zero the page, turn TCE bypass off (an earlier stage may have left it
 * on), map the page at `ioba` and register it (H_REG_CRQ).  A CRQ
 * left registered by an earlier stage (H_RESOURCE) is freed and
 * registered again.  0 or -1 (one line printed).
 */
int vio_crq_register(struct vio_crq *q, struct vio_dev *dev, uint8_t *page, uint64_t ioba);
/* Send one 16-byte entry, bytes 0-7 = hi, 8-15 = lo (big-endian); 0 or -1. */
int vio_crq_send(struct vio_crq *q, uint64_t hi, uint64_t lo);
/* Take the next entry if there is one (copied to out, slot zeroed); true when one was taken. */
bool vio_crq_poll(struct vio_crq *q, uint8_t out[VIO_CRQ_ENTRY]);
/* H_FREE_CRQ and unmap the page; the partner drops what it had queued. */
void vio_crq_free(struct vio_crq *q);

#endif /* VOFKIT_DRIVERS_VIO_H */
