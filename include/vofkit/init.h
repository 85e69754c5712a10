/* SPDX-License-Identifier: Apache-2.0 */
/* Init hooks and boot sources, registered through linker-section tables. */
#ifndef VOFKIT_INIT_H
#define VOFKIT_INIT_H

#include <stdint.h>

/*
 * Init levels run in order.  The level is part of the section name, so the
 * linker sorts the table and fw_main() just walks it.
 */
#define FW_INIT_EARLY		0	/* registration only: no memory, no tree */
#define FW_INIT_PLATFORM	1	/* the tree: VOF's (forward) or a copy of QEMU's (native) */
#define FW_INIT_MEMORY		2	/* memory ownership: the claim map, pre-claims */
#define FW_INIT_STDIO		3	/* /chosen stdin/stdout instances, /aliases */
#define FW_INIT_CONSOLE		4	/* output device discovery */
#define FW_INIT_DRIVER		5	/* device drivers (nvram, ...) */
#define FW_INIT_SERVICE		6	/* CI service state */

struct fw_init_entry {
	const char *name;
	int (*fn)(void);	/* 0 = ok; negative = failed (reported, boot goes on) */
	int level;
};

/* Two steps so that a level given as a macro is expanded before `#`. */
#define FW_INIT(fn, lvl) FW_INIT_(fn, lvl)
#define FW_INIT_(fn, lvl)                                                       \
	static const struct fw_init_entry fw_init_##fn                          \
	__attribute__((used, aligned(8),                                        \
		       section(".fw_init." #lvl "." #fn))) = { #fn, fn, lvl }

extern const struct fw_init_entry __fw_init_start[], __fw_init_end[];

/*
 * A boot source tries to start a client.  It does not return when it
 * succeeds; it returns a short reason when it has nothing to boot, which
 * the boot loop prints before trying the next source.
 */
struct fw_boot_source {
	const char *name;
	const char *(*try_boot)(void);
};

#define FW_BOOT_SOURCE(fn, order) FW_BOOT_SOURCE_(fn, order)
#define FW_BOOT_SOURCE_(fn, order)                                              \
	static const struct fw_boot_source fw_boot_##fn                         \
	__attribute__((used, aligned(8),                                        \
		       section(".fw_boot." #order "." #fn))) = { #fn, fn }

extern const struct fw_boot_source __fw_boot_start[], __fw_boot_end[];

/*
 * Quiesce hooks: run by the `quiesce` service before the OS takes over
 * (reset DMA-capable devices so the OS finds them idle).
 */
struct fw_quiesce_hook {
	const char *name;
	void (*fn)(void);
};

#define FW_QUIESCE(fn)                                                          \
	static const struct fw_quiesce_hook fw_quiesce_##fn                     \
	__attribute__((used, aligned(8), section(".fw_quiesce." #fn))) = { #fn, fn }

extern const struct fw_quiesce_hook __fw_quiesce_start[], __fw_quiesce_end[];

/* C entry, called by arch/ppc64/entry.S with QEMU's r3, r4 and r1. */
void fw_main(uint64_t r3, uint64_t r4, uint64_t r1) __attribute__((noreturn));

/* Values QEMU left in registers at reset (their meaning depends on the pairing). */
extern uint64_t fw_entry_r3, fw_entry_r4, fw_entry_r1;

/* Top of the stack the client starts with (the pairing decides where). */
uint64_t fw_client_stack_top(void);

/* Stop the machine: RTAS power-off, which ends QEMU (with -no-reboot too). */
void fw_power_off(void) __attribute__((noreturn));

#endif /* VOFKIT_INIT_H */
