/* SPDX-License-Identifier: Apache-2.0 */
/* fw_main: run the init table in level order, then try each boot source. */

#include <vofkit/console.h>
#include <vofkit/init.h>
#include <vofkit/mem.h>
#include <vofkit/rtas.h>
#include <vofkit/version.h>

extern char __fw_code_start[], __fw_end[];

uint64_t fw_entry_r3, fw_entry_r4, fw_entry_r1;

static void run_init_level_range(int first, int last)
{
	const struct fw_init_entry *e;

	for (e = __fw_init_start; e < __fw_init_end; e++) {
		int rc;

		if (e->level < first || e->level > last)
			continue;
		rc = e->fn();
		if (rc < 0)
			fw_printf("vofkit: init %s failed (%d)\n", e->name, rc);
	}
}

void fw_main(uint64_t r3, uint64_t r4, uint64_t r1)
{
	const struct fw_boot_source *src;

	fw_entry_r3 = r3;
	fw_entry_r4 = r4;
	fw_entry_r1 = r1;
	fw_own_start = virt_to_phys(__fw_code_start);
	fw_own_end = virt_to_phys(__fw_end);

	run_init_level_range(FW_INIT_EARLY, FW_INIT_CONSOLE);
	fw_printf("\nvofkit %s (%s, board %s)\n", VOFKIT_VERSION, VOFKIT_SAMPLE,
		  VOFKIT_BOARD);
	run_init_level_range(FW_INIT_CONSOLE + 1, FW_INIT_SERVICE);

	for (src = __fw_boot_start; src < __fw_boot_end; src++) {
		const char *why_not = src->try_boot();

		fw_printf("vofkit: boot: %s: %s\n", src->name, why_not);
	}
	fw_puts("vofkit: nothing to boot; powering off\n");
	fw_power_off();
}

void fw_power_off(void)
{
	/* power-off takes the two halves of a power-on mask; -1 = no wake-up. */
	static const uint32_t no_wakeup[2] = { 0xffffffffu, 0xffffffffu };
	int32_t rc = rtas_call("power-off", 2, no_wakeup, 0, 0);

	fw_printf("vofkit: RTAS power-off failed (%d); halting\n", (int)rc);
	for (;;)
		;
}
