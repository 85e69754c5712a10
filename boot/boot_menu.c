/* SPDX-License-Identifier: Apache-2.0 */
/* Boot menu (-boot menu=on): the boot order, numbered, on the console; a digit picks the device. */

#define pr_fmt(fmt) "boot: " fmt
#include <vofkit/boot/boot_order.h>
#include <vofkit/core/time.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/console.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>

/* One key per entry: digits 1 to 9. */
#define MENU_MAX_ENTRIES	9

/* Wait for a digit 1..shown, Enter, or the timeout; the index chosen or -1. */
static int menu_wait(unsigned int shown)
{
	uint64_t deadline = time_deadline_ms(CONFIG_BOOT_MENU_TIMEOUT_MS);
	char key;

	while (!time_expired(deadline)) {
		if (!fw_read(&key, 1))
			continue;
		if (key >= '1' && key < (char)('1' + shown))
			return key - '1';
		if (key == '\r' || key == '\n')
			return -1;
		/* anything else: keep waiting for a valid key */
	}
	return -1;
}

int boot_menu_run(struct boot_order *o)
{
	uint32_t chosen = tree_find("/chosen", NULL), menu = 0;
	unsigned int i, shown = o->count < MENU_MAX_ENTRIES ? o->count : MENU_MAX_ENTRIES;
	struct boot_entry pick;
	int choice;

	/* QEMU writes the cell 1 for -boot menu=on and nothing otherwise. */
	if (tree_read_exact(chosen, "qemu,boot-menu", &menu, sizeof(menu)) || !menu || !shown)
		return -1;
	fw_printf("\nBoot menu (-boot menu=on):\n");
	for (i = 0; i < shown; i++) {
		char path[OF_PATH_MAX];
		int len = tree_path(o->entry[i].phandle, path, sizeof(path));

		if (len < 0 || len >= (int)sizeof(path))
			path[0] = '\0';
		fw_printf("  %u. %s %s%s%s (%s)\n", i + 1, boot_device_kind(o->entry[i].phandle),
			  path, o->entry[i].args ? ":" : "", o->entry[i].args ? o->entry[i].args : "",
			  o->entry[i].origin);
	}
	if (o->count > shown)
		fw_printf("  (%u more, tried after these)\n", o->count - shown);
	fw_printf("Press 1-%u within %u ms to choose, Enter for this order.\n", shown,
		  (unsigned int)CONFIG_BOOT_MENU_TIMEOUT_MS);
	choice = menu_wait(shown);
	if (choice < 0) {
		pr_info("menu: no choice; the order above is used\n");
		return -1;
	}
	pr_info("menu: entry %d chosen\n", choice + 1);
	/* The chosen device first; the others keep their order behind it. */
	pick = o->entry[choice];
	pick.origin = "boot menu";
	for (i = (unsigned int)choice; i > 0; i--)
		o->entry[i] = o->entry[i - 1];
	o->entry[0] = pick;
	return choice;
}
