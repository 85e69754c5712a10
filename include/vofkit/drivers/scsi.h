/* SPDX-License-Identifier: Apache-2.0 */
/* SCSI: what a transport (spapr-vscsi, virtio-scsi) implements, and the disk layer that turns LUNs into block devices. */
#ifndef VOFKIT_DRIVERS_SCSI_H
#define VOFKIT_DRIVERS_SCSI_H

#include <stdint.h>

/*
 * A transport fills one scsi_host per adapter and calls scsi_disk_probe()
 * for each LUN it finds (REPORT LUNS, or a scan).  The disk layer
 * (drivers/scsi/scsi_disk.c) sends INQUIRY, TEST UNIT READY and READ
 * CAPACITY, makes a child node "disk@<unit>" under the adapter's node and
 * registers a block device (a CD with BLOCK_DEV_CDROM).  It knows nothing
 * of the transport; the transport knows nothing of disks.
 *
 * LUNs are the 8-byte SAM LUN the transport puts on the wire, read as a
 * big-endian number.  It is also the child's unit address, as QEMU writes
 * it in qemu,boot-list and SLOF in its aliases:
 *   spapr-vscsi  0x8000 | target << 8 | channel << 5 | lun, << 48
 *                (id 0 = 0x8000000000000000, -cdrom = 0x8200000000000000)
 *   virtio-scsi  bytes 01 TT 40|lun>>8 lun 00 00 00 00 (lun < 256: 00 lun)
 *                (target 0 lun 0 = 0x0100000000000000)
 */

#define SCSI_SENSE_MAX		18	/* fixed-format sense data the layer reads */

/* SCSI status bytes */
#define SCSI_STATUS_GOOD	0x00
#define SCSI_STATUS_CHECK	0x02
#define SCSI_STATUS_BUSY	0x08

/* exec() results below 0 */
#define SCSI_ERR_TRANSPORT	(-1)	/* the adapter failed or timed out */
#define SCSI_ERR_NO_DEVICE	(-2)	/* no target or LUN there (the transport knows) */

/* Sense keys the layer acts on */
#define SCSI_KEY_NOT_READY	0x2
#define SCSI_KEY_UNIT_ATTENTION	0x6

struct scsi_host {
	uint32_t phandle;	/* the adapter's node: LUN nodes are made under it */
	uint32_t max_transfer;	/* bytes one command may move (data-in) */
	const char *name;	/* "v-scsi", "virtio-scsi": for messages */
	/*
	 * Run one command at `lun`.  `len` bytes of data-in go to `buf` (len 0:
	 * no data phase); `buf` is firmware or client memory, the transport
	 * maps it for DMA.  On CHECK CONDITION up to SCSI_SENSE_MAX bytes of
	 * sense go to `sense` (zeroed first).  Returns the SCSI status byte
	 * (>= 0) or SCSI_ERR_*.
	 */
	int (*exec)(struct scsi_host *host, uint64_t lun, const uint8_t *cdb,
		    unsigned int cdb_len, void *buf, uint32_t len,
		    uint8_t sense[SCSI_SENSE_MAX]);
	void *priv;		/* the transport's */
};

/*
 * Probe one LUN: a direct-access disk (INQUIRY type 0) or a CD/DVD (type 5)
 * gets its node and block device; an empty CD drive is registered too (0
 * blocks, the boot path says "no medium").  Returns 1 when a device was
 * registered, 0 when nothing usable is there (no LUN, another device type),
 * -1 when the LUN answered but failed (one line says why).
 */
int scsi_disk_probe(struct scsi_host *host, uint64_t lun);

/*
 * REPORT LUNS sent to `lun`: up to `max` LUNs into `luns`; their number
 * (which may be 0), or -1 when the command fails.
 */
int scsi_report_luns(struct scsi_host *host, uint64_t lun, uint64_t *luns,
		     unsigned int max);

/*
 * The transport's unit for a LUN node the disk layer made ("disk@<unit>"),
 * or 0 when the node is not one: the vscsi-report-luns method and disk
 * instances use it.
 */
uint64_t scsi_disk_unit(uint32_t phandle);

#endif /* VOFKIT_DRIVERS_SCSI_H */
