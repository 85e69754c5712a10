/* SPDX-License-Identifier: Apache-2.0 */
/* The `milliseconds` service: time from the timebase, at /cpus' timebase-frequency. */

#include <arch/ppc64.h>
#include <vofkit/ci/ci.h>
#include <vofkit/core/tree.h>

/* QEMU's TCG timebase runs at 512 MHz (SPAPR_TIMEBASE_FREQ) if the tree says nothing. */
#define DEFAULT_TB_HZ 512000000u

static uint32_t timebase_hz(void)
{
	static uint32_t hz;
	uint32_t cpus, cpu;
	int len;
	const uint32_t *freq;

	if (hz)
		return hz;
	hz = DEFAULT_TB_HZ;
	cpus = tree_find("/cpus", NULL);
	for (cpu = cpus ? tree_child(cpus) : 0; cpu; cpu = tree_peer(cpu)) {
		freq = tree_getprop(cpu, "timebase-frequency", &len);
		if (freq && len == 4 && *freq >= 1000) {
			hz = *freq;
			break;
		}
	}
	return hz;
}

/*
 * milliseconds ( -- ms )
 *   out: [0] milliseconds since the timebase started (boot), wrapping at
 *        32 bits; monotonic (GRUB times its menu with it)
 */
static enum ci_result ci_milliseconds(struct ci_call *c)
{
	ci_ret(c, 0, (uint32_t)(mftb() / (timebase_hz() / 1000)));
	return CI_DONE;
}
CI_SERVICE(milliseconds, "milliseconds", ci_milliseconds, 0, 1);
