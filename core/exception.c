/* SPDX-License-Identifier: Apache-2.0 */
/* The report a fatal exception or a broken stack guard prints, then the next boot source or power-off. */

#include <stdbool.h>
#include <arch/ppc64.h>
#include <arch/stack_guard.h>
#include <vofkit/core/exception.h>
#include <vofkit/core/init.h>
#include <vofkit/lib/log.h>

extern char __stack_bottom[], __stack_top[], __fw_code_start[], __image_end[];

struct vector_name {
	uint16_t vector;
	const char *name;
};

/* Only the vectors that reach the report (the maskable ones return). */
static const struct vector_name vector_names[] = {
	{ ARCH_VEC_STACK_OVERFLOW, "firmware stack overflow" },
	{ 0x200, "machine check" },
	{ 0x300, "data storage" },
	{ 0x380, "data segment" },
	{ 0x400, "instruction storage" },
	{ 0x480, "instruction segment" },
	{ 0x600, "alignment" },
	{ 0x700, "program" },
	{ 0x800, "floating-point unavailable" },
	{ 0x980, "hypervisor decrementer" },
	{ 0xb00, "reserved vector" },
	{ 0xc00, "system call" },
	{ 0xd00, "trace" },
	{ 0xe00, "hypervisor data storage" },
	{ 0xe20, "hypervisor instruction storage" },
	{ 0xe40, "hypervisor emulation assistance" },
	{ 0xe60, "hypervisor maintenance" },
	{ 0xe80, "hypervisor doorbell" },
	{ 0xea0, "hypervisor virtualization" },
	{ 0xf20, "vector unavailable" },
	{ 0xf40, "VSX unavailable" },
	{ 0xf60, "facility unavailable" },
	{ 0xf80, "hypervisor facility unavailable" },
};

static const char *vector_name(uint64_t vector)
{
	unsigned int i;

	for (i = 0; i < sizeof(vector_names) / sizeof(vector_names[0]); i++)
		if (vector_names[i].vector == vector)
			return vector_names[i].name;
	return "unknown";
}

static bool stack_guard_intact(void)
{
	return *(volatile uint32_t *)__stack_bottom == ARCH_STACK_CANARY;
}

void fw_exception(uint64_t vector, uint64_t srr0, uint64_t srr1, uint64_t dar,
		  uint64_t dsisr, uint64_t r1, uint64_t lr)
{
	/*
	 * A fault while reporting (or while restarting the boot) must not
	 * loop: the second one only powers off, and if even that faults
	 * nothing can be trusted any more, so the CPU stops here.
	 */
	static unsigned int depth;

	if (++depth > 1) {
		if (depth == 2) {
			pr_err("exception 0x%lx while handling an exception; powering off\n",
			       (unsigned long)vector);
			fw_power_off();
		}
		for (;;)
			;
	}

	if (vector == ARCH_VEC_STACK_OVERFLOW) {
		pr_err("firmware stack overflow: the guard word at 0x%lx was overwritten\n",
		       (unsigned long)__stack_bottom);
		pr_err("  after CI service %s, r1 0x%lx\n",
		       fw_last_service ? fw_last_service : "(none)", (unsigned long)r1);
	} else {
		bool in_fw = srr0 >= (uintptr_t)__fw_code_start && srr0 < (uintptr_t)__image_end;

		pr_err("exception 0x%lx (%s) in the %s\n", (unsigned long)vector, vector_name(vector),
		       in_fw ? "firmware" : "client");
		pr_err("  SRR0 0x%lx SRR1 0x%lx r1 0x%lx LR 0x%lx\n", (unsigned long)srr0,
		       (unsigned long)srr1, (unsigned long)r1, (unsigned long)lr);
		if (vector == 0x300 || vector == 0x600)
			pr_err("  DAR 0x%lx DSISR 0x%lx\n", (unsigned long)dar,
			       (unsigned long)dsisr);
		pr_err("  last CI service: %s\n", fw_last_service ? fw_last_service : "(none)");
		if (!stack_guard_intact())
			pr_err("  firmware stack guard at 0x%lx overwritten\n",
			       (unsigned long)__stack_bottom);
	}

	depth = 0;	/* the boot goes on: a later client may crash on its own */
	arch_call_on_stack(fw_boot_resume, (uint64_t)(uintptr_t)__stack_top);
}
