/* SPDX-License-Identifier: Apache-2.0 */
/* Start-up: init hooks by level, named boot sources and quiesce hooks, registered in linker-section tables. */
#ifndef VOFKIT_CORE_INIT_H
#define VOFKIT_CORE_INIT_H

#include <stdint.h>
#include <vofkit/lib/iterable_sections.h>

/*
 * Init levels run in order.  The level is part of the section key, so the
 * linker sorts the table and fw_main() just walks it.  Between EARLY and
 * MEMORY, fw_main calls pairing_init() (<vofkit/core/pairing.h>): the tree
 * exists from MEMORY on.
 */
#define FW_INIT_EARLY		0	/* registration only: no memory, no tree */
#define FW_INIT_MEMORY		2	/* memory ownership: the claim map, pre-claims */
#define FW_INIT_STDIO		3	/* /chosen stdin/stdout instances, /aliases */
#define FW_INIT_CONSOLE		4	/* output device discovery */
#define FW_INIT_DRIVER		5	/* buses, then device drivers (pci, nvram, virtio-blk) */
#define FW_INIT_DEVICE_CLASS	6	/* device classes over what drivers found (disk aliases) */
#define FW_INIT_SERVICE		7	/* CI service state */

struct fw_init_entry {
	const char *name;	/* what is being set up, in the user's words */
	int (*fn)(void);	/* 0 = ok; negative = failed (reported, boot goes on) */
	int level;
};

/*
 * FW_INIT(fn, level, "what") registers fn; `what` names it in a failure
 * message ("vofkit: cannot set up <what> (-2)").  Two steps so that a level
 * given as a macro is expanded before `#`.
 */
#define FW_INIT(fn, lvl, what) FW_INIT_(fn, lvl, what)
#define FW_INIT_(fn, lvl, what) \
	VK_TABLE_ENTRY(fw_init, struct fw_init_entry, fw_init_##fn, #lvl "." #fn) = { what, fn, lvl }

VK_TABLE_DECLARE(fw_init, struct fw_init_entry);

/*
 * A boot source tries to start a client.  It does not return when it
 * succeeds; it returns a short reason when it has nothing to boot, which
 * the boot loop prints as "vofkit: boot: <name>: <reason>" before trying
 * the next source.  `name` is what users call the source ("memory" for
 * -kernel, "disk"); `order` (one digit) decides the default order.
 */
struct fw_boot_source {
	const char *name;
	const char *(*try_boot)(void);
};

#define FW_BOOT_SOURCE(src_name, fn, order) FW_BOOT_SOURCE_(src_name, fn, order)
#define FW_BOOT_SOURCE_(src_name, fn, order) \
	VK_TABLE_ENTRY(fw_boot, struct fw_boot_source, fw_boot_##fn, #order "." #fn) = { src_name, fn }

VK_TABLE_DECLARE(fw_boot, struct fw_boot_source);

/*
 * Quiesce hooks: run by the `quiesce` service before the OS takes over
 * (reset DMA-capable devices so the OS finds them idle).
 */
struct fw_quiesce_hook {
	const char *name;
	void (*fn)(void);
};

#define FW_QUIESCE(fn) \
	VK_TABLE_ENTRY(fw_quiesce, struct fw_quiesce_hook, fw_quiesce_##fn, #fn) = { #fn, fn }

VK_TABLE_DECLARE(fw_quiesce, struct fw_quiesce_hook);

/* Run every quiesce hook (the `quiesce` service calls this). */
void fw_quiesce_devices(void);

/* C entry, called by arch/ppc64/entry.S with QEMU's r3, r4 and r1. */
void fw_main(uint64_t r3, uint64_t r4, uint64_t r1) __attribute__((noreturn));

/*
 * Go on after a crash (the exception report calls it on a fresh firmware
 * stack): the boot source that started the crashed client is reported and
 * the next one is tried; before any source ran, or once a client has
 * quiesced the devices (they are reset; the OS owned them), power off.
 */
void fw_boot_resume(void) __attribute__((noreturn));

/* Stop the machine: RTAS power-off, which ends QEMU (with -no-reboot too). */
void fw_power_off(void) __attribute__((noreturn));

#endif /* VOFKIT_CORE_INIT_H */
