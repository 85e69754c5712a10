/* SPDX-License-Identifier: Apache-2.0 */
/* DMA windows on pseries: TCE mappings (H_PUT_TCE) and VIO bypass, for drivers whose DMA QEMU translates. */
#ifndef VOFKIT_DRIVERS_TCE_H
#define VOFKIT_DRIVERS_TCE_H

#include <stdint.h>

/*
 * Every VIO device (LIOBN = its "reg") and every PHB (LIOBN 0x80000000 for
 * the first, from "ibm,dma-window") translates DMA through a TCE table of
 * 4 KiB pages that is empty at reset.  virtio devices do not (QEMU's
 * iommu_platform is off), NVMe and VIO devices do.
 */

#define TCE_PAGE_SIZE	0x1000ull
#define TCE_READ	0x1ull	/* the device may read the page */
#define TCE_WRITE	0x2ull	/* the device may write it */

/*
 * Map [phys, phys + len) at `ioba` (both 4 KiB-aligned; len rounded up)
 * with TCE_READ|TCE_WRITE permissions; 0 or -1 (H_PUT_TCE refused: window
 * too small, bad LIOBN).  A failed mapping leaves the pages mapped so far.
 */
int tce_map(uint32_t liobn, uint64_t ioba, uint64_t phys, uint64_t len, uint64_t perm);

/* Clear the TCEs of [ioba, ioba + len); 0 or -1. */
int tce_unmap(uint32_t liobn, uint64_t ioba, uint64_t len);

/*
 * VIO only: RTAS ibm,set-tce-bypass.  With bypass on, the device's I/O
 * addresses are guest-physical (as SLOF runs v-scsi); it must be turned
 * off before the OS runs, since QEMU's RTAS quiesce does not (only a
 * machine reset does).  0 or -1 (no such RTAS call, refused).
 */
int vio_set_tce_bypass(uint32_t unit, int on);

#endif /* VOFKIT_DRIVERS_TCE_H */
