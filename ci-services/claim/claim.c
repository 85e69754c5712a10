/* SPDX-License-Identifier: Apache-2.0 */
/* claim and release (native pairing): the IEEE 1275 face of the memory map in core/claim_map.c. */

#include <vofkit/ci/ci.h>
#include <vofkit/core/claim_map.h>

/*
 * claim ( virt size align -- base )
 *   in:  [0] virt  wanted real address (ignored when align != 0)
 *        [1] size  bytes, any value but 0
 *        [2] align 0 = exactly at virt; otherwise rounded up to a power of two
 *   out: [0] base of the claimed range, or -1
 * Exact claims fail when the range leaves RAM or 4 GiB, or overlaps any
 * claim, including the firmware's and the -kernel/initrd memreserves.
 */
static enum ci_result ci_claim(struct ci_call *c)
{
	uint32_t base;

	if (claim_map_claim(ci_arg(c, 0), ci_arg(c, 1), ci_arg(c, 2), &base))
		base = CI_ERR;
	ci_ret(c, 0, base);
	return CI_DONE;
}
CI_SERVICE(claim, "claim", ci_claim, 3, 1);

/*
 * release ( virt size -- )
 *   in:  [0] virt  real address
 *        [1] size  bytes
 * No failure return exists; refusals show in the CI trace only.
 */
static enum ci_result ci_release(struct ci_call *c)
{
	claim_map_release(ci_arg(c, 0), ci_arg(c, 1));
	return CI_DONE;
}
CI_SERVICE(release, "release", ci_release, 2, 0);
