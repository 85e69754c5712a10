/* SPDX-License-Identifier: Apache-2.0 */
/* TCE mappings and VIO bypass: the DMA windows QEMU translates for VIO devices and the PHBs. */

#include <stddef.h>
#include <arch/hcall.h>
#include <vofkit/core/rtas.h>
#include <vofkit/drivers/tce.h>

int tce_map(uint32_t liobn, uint64_t ioba, uint64_t phys, uint64_t len, uint64_t perm)
{
	uint64_t off;

	if ((ioba | phys) & (TCE_PAGE_SIZE - 1) || !(perm & (TCE_READ | TCE_WRITE)))
		return -1;
	for (off = 0; off < len; off += TCE_PAGE_SIZE) {
		if (hcall(H_PUT_TCE, liobn, ioba + off, (phys + off) | perm, 0, NULL) != H_SUCCESS)
			return -1;
	}
	return 0;
}

int tce_unmap(uint32_t liobn, uint64_t ioba, uint64_t len)
{
	uint64_t off;
	int rc = 0;

	for (off = 0; off < len; off += TCE_PAGE_SIZE) {
		if (hcall(H_PUT_TCE, liobn, ioba + off, 0, 0, NULL) != H_SUCCESS)
			rc = -1;
	}
	return rc;
}

/*
 * ibm,set-tce-bypass ( unit on -- status ): QEMU writes one return value
 * whatever nret says (SLOF passes 1).
 */
int vio_set_tce_bypass(uint32_t unit, int on)
{
	uint32_t args[2] = { unit, on ? 1u : 0u };

	return rtas_call("ibm,set-tce-bypass", 2, args, 0, NULL) ? -1 : 0;
}
