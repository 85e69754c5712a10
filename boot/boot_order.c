/* SPDX-License-Identifier: Apache-2.0 */
/* Boot order: bootindex (qemu,boot-list), -boot once letters, NVRAM boot-device, then every disk, CD-ROM and NIC. */

#define pr_fmt(fmt) "boot: " fmt
#include <string.h>
#include <vofkit/boot/boot_order.h>
#include <vofkit/core/device.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/nvram.h>
#include <vofkit/lib/limits.h>
#include <vofkit/lib/log.h>
#include <vofkit/lib/util.h>

/*
 * Copies of the path lists, cut into NUL-terminated paths in place, so an
 * entry's args can point into them.  QEMU writes one boot-list path per
 * bootindex device (about 50 characters each); boot-device holds a few.
 */
static char boot_list_copy[4096];
static char nvram_copy[1024];

/* Are NICs boot devices?  Only with network boot built in. */
static bool is_nic(uint32_t phandle)
{
	return IS_ENABLED(CONFIG_BOOT_FROM_NET) && net_dev_of_phandle(phandle);
}

const char *boot_device_kind(uint32_t phandle)
{
	struct block_dev *dev = block_dev_of_phandle(phandle);

	if (is_nic(phandle))
		return "network";

	if (dev && (dev->flags & BLOCK_DEV_CDROM))
		return "CD-ROM";
	if (dev && (dev->flags & BLOCK_DEV_NVME))
		return "NVMe";
	return "disk";
}

static bool is_cdrom(const struct block_dev *dev)
{
	return dev->flags & BLOCK_DEV_CDROM;
}

static void add(struct boot_order *o, uint32_t phandle, const char *args, const char *origin)
{
	unsigned int i;

	if (o->count == BOOT_ORDER_MAX)
		return;
	for (i = 0; i < o->count; i++)
		if (o->entry[i].phandle == phandle)
			return;
	o->entry[o->count].phandle = phandle;
	o->entry[o->count].args = args && *args ? args : NULL;
	o->entry[o->count].origin = origin;
	o->count++;
}

/* Every disk (cdrom false) or every CD-ROM drive (true), in probe order; how many. */
static unsigned int add_all(struct boot_order *o, bool cdrom, const char *origin)
{
	unsigned int i, n = 0;

	for (i = 0; i < block_dev_count(); i++) {
		struct block_dev *dev = block_dev_at(i);

		if (is_cdrom(dev) == cdrom) {
			add(o, dev->phandle, NULL, origin);
			n++;
		}
	}
	return n;
}

/* Every NIC, in probe order; how many. */
static unsigned int add_all_nics(struct boot_order *o, const char *origin)
{
	unsigned int i;

	if (!IS_ENABLED(CONFIG_BOOT_FROM_NET))
		return 0;
	for (i = 0; i < net_dev_count(); i++)
		add(o, net_dev_at(i)->phandle, NULL, origin);
	return i;
}

/*
 * A node that is no block device but holds some: QEMU's boot-list names an
 * NVMe drive by its controller (mass-storage@N), whose namespaces are the
 * block devices, and a user may name a SCSI controller.  Its block devices
 * are added in probe order; returns how many.
 */
static unsigned int add_below(struct boot_order *o, uint32_t node, const char *args,
			      const char *origin)
{
	unsigned int i, n = 0;

	for (i = 0; node && i < block_dev_count(); i++) {
		struct block_dev *dev = block_dev_at(i);
		uint32_t p;

		for (p = tree_parent(dev->phandle); p; p = tree_parent(p)) {
			if (p == node) {
				add(o, dev->phandle, args, origin);
				n++;
				break;
			}
		}
	}
	return n;
}

/*
 * Add the space-separated paths (or aliases) of `text`, copied into buf
 * (text may be buf) and cut there.  With `halt`, the word "HALT" ends the
 * list and true is returned.
 */
static bool add_paths(struct boot_order *o, const char *text, int len, char *buf,
		      size_t bufsize, const char *origin, bool halt)
{
	size_t n = len > 0 ? strnlen(text, (size_t)len) : 0;
	char *p = buf, *end;

	if (n >= bufsize) {
		pr_warn("%s: list longer than %u characters, only its start is used\n",
			origin, (unsigned int)bufsize - 1);
		n = bufsize - 1;
	}
	memmove(buf, text, n);
	buf[n] = '\0';
	end = buf + n;
	while (p < end) {
		const char *args;
		uint32_t ph;
		char *word;

		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		if (p == end)
			break;
		word = p;
		while (p < end && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		*p++ = '\0';
		if (halt && !strcmp(word, "HALT"))
			return true;
		ph = tree_find(word, &args);
		if (block_dev_of_phandle(ph) || is_nic(ph))
			add(o, ph, args, origin);
		else if (!add_below(o, ph, args, origin))
			pr_warn("%s (%s): not a device this firmware boots, skipped\n", word, origin);
	}
	return false;
}

/* -boot once=...: QEMU's letters, as SLOF maps them (c disk, d cdrom, n net). */
static void add_letters(struct boot_order *o, const char *letters, int len)
{
	int i;

	for (i = 0; i < len && letters[i]; i++) {
		char once[] = "-boot once=?";

		once[sizeof(once) - 2] = letters[i];
		if (letters[i] == 'c') {
			if (!add_all(o, false, "-boot once=c"))
				pr_warn("%s: no disk\n", once);
		} else if (letters[i] == 'd') {
			if (!add_all(o, true, "-boot once=d"))
				pr_warn("%s: no CD-ROM drive\n", once);
		} else if (letters[i] == 'n') {
			if (!IS_ENABLED(CONFIG_BOOT_FROM_NET))
				pr_warn("%s: network boot is not built in, skipped\n", once);
			else if (!add_all_nics(o, "-boot once=n"))
				pr_warn("%s: no network card\n", once);
		} else {
			pr_warn("%s: no such boot device on pseries, skipped\n", once);
		}
	}
}

void boot_order_build(struct boot_order *o)
{
	uint32_t chosen = tree_find("/chosen", NULL);
	const char *list, *letters;
	int llen = 0, dlen = 0;

	o->count = 0;
	o->strict = false;
	list = tree_getprop(chosen, "qemu,boot-list", &llen);
	if (list)
		o->strict = add_paths(o, list, llen, boot_list_copy, sizeof(boot_list_copy),
				      "bootindex", true);
	if (o->strict) {
		pr_info("-boot strict=on: only the bootindex devices are tried\n");
		return;
	}
	letters = tree_getprop(chosen, "qemu,boot-device", &dlen);
	if (letters)
		add_letters(o, letters, dlen);
	if (IS_ENABLED(CONFIG_DRIVER_NVRAM)) {
		int n = nvram_get_var("boot-device", nvram_copy, sizeof(nvram_copy));

		if (n > 0)
			add_paths(o, nvram_copy, n, nvram_copy, sizeof(nvram_copy),
				  "NVRAM boot-device", false);
	}
	add_all(o, false, "disk");
	add_all(o, true, "CD-ROM");
	add_all_nics(o, "network");
}
