/* SPDX-License-Identifier: Apache-2.0 */
/* fw_main: early init, the pairing's take-over, the init table in level order, then each boot source. */

#include <vofkit/core/init.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/pairing.h>
#include <vofkit/core/rtas.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>
#include <vofkit/lib/version.h>

extern char __fw_code_start[], __fw_end[];

/* Out of line: fw_main runs it three times. */
__attribute__((noinline)) static void run_init_level_range(int first, int last)
{
	VK_TABLE_FOREACH(fw_init, struct fw_init_entry, e) {
		int rc;

		if (e->level < first || e->level > last)
			continue;
		rc = e->fn();
		if (rc < 0)
			pr_err("cannot set up %s (%d)\n", e->name, rc);
	}
}

/* The source being tried, for fw_boot_resume; NULL until the boot loop runs. */
static const struct fw_boot_source *boot_current;
/* Set once a client has run the quiesce hooks: the devices are reset. */
static bool devices_quiesced;

static void __attribute__((noreturn)) boot_from(const struct fw_boot_source *src)
{
	for (; src < VK_TABLE_END(fw_boot); src++) {
		const char *why_not;

		if (IS_ENABLED(CONFIG_EXCEPTION_VECTORS))
			boot_current = src;
		why_not = src->try_boot();
		pr_info("boot: %s: %s\n", src->name, why_not);
	}
	pr_info("nothing to boot; powering off\n");
	fw_power_off();
}

void fw_boot_resume(void)
{
	if (!boot_current || devices_quiesced) {
		pr_info("the firmware cannot go on; powering off\n");
		fw_power_off();
	}
	pr_info("boot: %s: stopped by the exception above\n", boot_current->name);
	boot_from(boot_current + 1);
}

void fw_main(uint64_t r3, uint64_t r4, uint64_t r1)
{
	const struct fw_entry_regs regs = { .r3 = r3, .r4 = r4, .r1 = r1 };

	fw_own_start = virt_to_phys(__fw_code_start);
	fw_own_end = virt_to_phys(__fw_end);

	run_init_level_range(FW_INIT_EARLY, FW_INIT_EARLY);
	pairing_init(&regs);	/* reports its own failure */
	run_init_level_range(FW_INIT_EARLY + 1, FW_INIT_CONSOLE);
	fw_printf("\nvofkit %s (%s, board %s)\n", VOFKIT_VERSION, VOFKIT_SAMPLE,
		  VOFKIT_BOARD);
	run_init_level_range(FW_INIT_CONSOLE + 1, FW_INIT_SERVICE);

	boot_from(VK_TABLE_BEGIN(fw_boot));
}

void fw_quiesce_devices(void)
{
	if (IS_ENABLED(CONFIG_EXCEPTION_VECTORS))
		devices_quiesced = true;
	VK_TABLE_FOREACH(fw_quiesce, struct fw_quiesce_hook, h)
		h->fn();
}

void fw_power_off(void)
{
	/* power-off takes the two halves of a power-on mask; -1 = no wake-up. */
	static const uint32_t no_wakeup[2] = { 0xffffffffu, 0xffffffffu };
	int32_t rc = rtas_call("power-off", 2, no_wakeup, 0, 0);

	pr_err("RTAS power-off failed (%d); halting\n", (int)rc);
	for (;;)
		;
}
