/* SPDX-License-Identifier: Apache-2.0 */
/* The order in which boot devices are tried: QEMU's bootindex list and -boot once, NVRAM boot-device, then SLOF's defaults. */
#ifndef VOFKIT_BOOT_BOOT_ORDER_H
#define VOFKIT_BOOT_BOOT_ORDER_H

#include <stdbool.h>
#include <stdint.h>

/* Every block device the registry can hold, each at most once. */
#define BOOT_ORDER_MAX	128

struct boot_entry {
	uint32_t phandle;	/* a registered block device */
	/*
	 * The text after ':' in the path that named the device ("1",
	 * "\ppc\bootinfo.txt", "1,\boot\grub"), NUL-terminated, or NULL.
	 * Points into boot_order's own copies, valid until the next build.
	 */
	const char *args;
	const char *origin;	/* why it is in the list: "bootindex", "-boot once=d", ... */
};

struct boot_order {
	struct boot_entry entry[BOOT_ORDER_MAX];
	unsigned int count;
	bool strict;		/* -boot strict=on: only the bootindex list */
};

/*
 * Build the order, as SLOF applies it:
 *   1. /chosen qemu,boot-list (bootindex order); a final "HALT"
 *      (-boot strict=on) ends the order there;
 *   2. /chosen qemu,boot-device letters (-boot once=...): c = every disk,
 *      d = every CD-ROM; n (network) and the rest are named and skipped;
 *   3. the NVRAM "boot-device" variable: space-separated paths or aliases;
 *   4. every disk, then every CD-ROM, in probe order ("disk cdrom net").
 * A device comes once, at its first mention.  A path naming a node above
 * block devices (an NVMe controller, as QEMU's boot-list does) stands for
 * them all.  A path that names no block device is named in one line and
 * skipped.
 */
void boot_order_build(struct boot_order *order);

/* "disk", "CD-ROM" or "NVMe": what a device is, for messages and the menu. */
const char *boot_device_kind(uint32_t phandle);

/*
 * -boot menu=on (/chosen qemu,boot-menu): list the order, numbered, and
 * wait CONFIG_BOOT_MENU_TIMEOUT_MS for a digit on the console.  A chosen
 * entry moves to the front (the others follow, in case it does not boot).
 * Returns the chosen index, or -1 (no menu, Enter, or the timeout).
 */
int boot_menu_run(struct boot_order *order);

#endif /* VOFKIT_BOOT_BOOT_ORDER_H */
