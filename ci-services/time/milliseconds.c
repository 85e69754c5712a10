/* SPDX-License-Identifier: Apache-2.0 */
/* The `milliseconds` service: time from the timebase, at /cpus' timebase-frequency. */

#include <vofkit/ci/ci.h>
#include <vofkit/core/time.h>

/*
 * milliseconds ( -- ms )
 *   out: [0] milliseconds since the timebase started (boot), wrapping at
 *        32 bits; monotonic (GRUB times its menu with it)
 */
static enum ci_result ci_milliseconds(struct ci_call *c)
{
	ci_ret(c, 0, (uint32_t)time_ms());
	return CI_DONE;
}
CI_SERVICE(milliseconds, "milliseconds", ci_milliseconds, 0, 1);
