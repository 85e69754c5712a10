/* SPDX-License-Identifier: Apache-2.0 */
/* Time from the timebase at /cpus' timebase-frequency: one copy for every service and driver that waits. */

#include <arch/ppc64.h>
#include <vofkit/core/time.h>
#include <vofkit/core/tree.h>

/* QEMU's TCG timebase runs at 512 MHz (SPAPR_TIMEBASE_FREQ) if the tree says nothing. */
#define DEFAULT_TB_HZ 512000000u

uint32_t time_tb_hz(void)
{
	static uint32_t hz;
	uint32_t cpus, cpu, freq;

	if (hz)
		return hz;
	hz = DEFAULT_TB_HZ;
	cpus = tree_find("/cpus", NULL);
	for (cpu = cpus ? tree_child(cpus) : 0; cpu; cpu = tree_peer(cpu)) {
		if (!tree_read_exact(cpu, "timebase-frequency", &freq, 4) && freq >= 1000) {
			hz = freq;
			break;
		}
	}
	return hz;
}

uint64_t time_ms(void)
{
	return mftb() / (time_tb_hz() / 1000);
}

uint64_t time_deadline_ms(uint32_t ms)
{
	return mftb() + (uint64_t)ms * (time_tb_hz() / 1000);
}

bool time_expired(uint64_t deadline)
{
	return (int64_t)(mftb() - deadline) > 0;
}

void time_delay_us(uint32_t us)
{
	uint64_t end = mftb() + (uint64_t)us * (time_tb_hz() / 1000000);

	while (!time_expired(end))
		;
}

void time_delay_ms(uint32_t ms)
{
	uint64_t end = time_deadline_ms(ms);

	while (!time_expired(end))
		;
}
