/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the boot order, the boot menu and the disk/cdrom/nvme aliases, over fake block devices and a fake tree. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <vofkit/boot/boot_order.h>
#include <vofkit/core/device.h>
#include <vofkit/core/init.h>
#include <vofkit/core/time.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/nvram.h>
#include <vofkit/lib/console.h>
#include "capture.h"

/* ---- A fake tree: nodes by path, a few properties each ---- */

#define PATH_TREE_NODES	96
#define PATH_TREE_PROPS	64
#include "path_tree.h"

#define PH_CHOSEN	1u
#define PH_ALIASES	2u

static void set_string(uint32_t ph, const char *name, const char *s)
{
	assert_int_equal(tree_setprop(ph, name, s, (int)strlen(s) + 1), 0);
}

static const char *prop_string(uint32_t ph, const char *name)
{
	struct fake_prop *p = prop(ph, name);

	return p ? p->val : NULL;
}

/* The parent by path: "/a/b" -> "/a", "/a" -> the root, which is not a node here. */
uint32_t tree_parent(uint32_t ph)
{
	struct fake_node *n = node(ph);
	const char *slash;
	unsigned int i;
	size_t len;

	if (!n)
		return TREE_NO_NODE;
	slash = strrchr(n->path, '/');
	len = (size_t)(slash - n->path);
	for (i = 0; len && i < nnodes; i++)
		if (strlen(nodes[i].path) == len && !strncmp(nodes[i].path, n->path, len))
			return i + 1;
	return TREE_NO_NODE;
}

/*
 * Paths and aliases with ":args", as the real tree_find takes them (units
 * compared without regard to case; core/tree/path.c has its own tests).
 */
uint32_t tree_find(const char *path, const char **args_out)
{
	char full[512];
	const char *colon;
	size_t n;
	unsigned int i;

	if (args_out)
		*args_out = NULL;
	if (path[0] != '/') {
		size_t alen = strcspn(path, ":/");
		char alias[64];
		const char *val;

		if (alen >= sizeof(alias))
			return TREE_NO_NODE;
		memcpy(alias, path, alen);
		alias[alen] = '\0';
		val = prop_string(PH_ALIASES, alias);
		if (!val)
			return TREE_NO_NODE;
		snprintf(full, sizeof(full), "%s%s", val, path + alen);
		colon = strchr(path, ':');
	} else {
		snprintf(full, sizeof(full), "%s", path);
		colon = strchr(path, ':');
	}
	if (args_out && colon)
		*args_out = colon + 1;
	n = strcspn(full, ":");
	for (i = 0; i < nnodes; i++)
		if (strlen(nodes[i].path) == n && !strncasecmp(nodes[i].path, full, n))
			return i + 1;
	return TREE_NO_NODE;
}

/* ---- Fake NVRAM variable and console input, and a clock the menu drives ---- */

static const char *nvram_boot_device;

int nvram_get_var(const char *name, char *val, uint32_t vlen)
{
	assert_string_equal(name, "boot-device");
	if (!nvram_boot_device)
		return -1;
	snprintf(val, vlen, "%s", nvram_boot_device);
	return (int)strlen(val);
}

static uint64_t now_ms;
static const char *typed;		/* what the user types, one key per poll */
static unsigned int typed_after_polls;	/* polls before the first key */
static unsigned int polls;

uint64_t time_deadline_ms(uint32_t ms)
{
	return now_ms + ms;
}

bool time_expired(uint64_t deadline)
{
	now_ms++;			/* each poll costs a millisecond */
	return now_ms >= deadline;
}

static size_t fake_read(char *buf, size_t len)
{
	if (!typed || !*typed || ++polls <= typed_after_polls || !len)
		return 0;
	buf[0] = *typed++;
	return 1;
}

static void fake_write(const char *buf, size_t len)
{
	capture_console.write(buf, len);
}

static const struct fw_console_ops console_with_keys = { .write = fake_write };

/* ---- Fake block devices ---- */

static int no_read(struct block_dev *dev, uint64_t lba, uint32_t count, void *buf)
{
	return -1;
}

static struct block_dev devs[80];
static unsigned int ndevs;
static struct net_dev nics[4];
static unsigned int nnics;

/* The block registry keeps its devices for good: each test registers into a fresh copy. */
static uint32_t add_dev(const char *path, uint32_t flags)
{
	struct block_dev *d = &devs[ndevs++];

	d->phandle = add_node(path);
	d->block_size = flags & BLOCK_DEV_CDROM ? 2048 : 512;
	d->blocks = 1000;
	d->flags = flags;
	d->read = no_read;
	assert_true(block_dev_register(d) >= 0);
	return d->phandle;
}

static int run_disks_name(void)
{
	const struct fw_init_entry *e;

	for (e = VK_TABLE_BEGIN(fw_init); e < VK_TABLE_END(fw_init); e++)
		if (!strcmp(e->name, "disk aliases"))
			return e->fn();
	fail_msg("disks_name is not in the init table");
	return -1;
}

/*
 * The registry (core/block_dev.c) has no reset: every test runs in a
 * forked child (see main), so each starts from an empty registry.
 */
static uint32_t disk_a, disk_b, cd_a, nvme_a, cd_b;

#define PATH_DISK_A	"/pci@800000020000000/scsi@2"
#define PATH_CD_A	"/vdevice/v-scsi@71000001/disk@8100000000000000"
#define PATH_NVME_A	"/pci@800000020000000/mass-storage@4/namespace@1"
#define PATH_DISK_B	"/vdevice/v-scsi@71000001/disk@8000000000000000"
#define PATH_CD_B	"/pci@800000020000000/scsi@5/disk@10000000000000A"

static void standard_machine(void)
{
	disk_a = add_dev(PATH_DISK_A, 0);
	cd_a = add_dev(PATH_CD_A, BLOCK_DEV_CDROM | BLOCK_DEV_REMOVABLE);
	nvme_a = add_dev(PATH_NVME_A, BLOCK_DEV_NVME);
	disk_b = add_dev(PATH_DISK_B, 0);
	cd_b = add_dev(PATH_CD_B, BLOCK_DEV_CDROM);
	assert_int_equal(run_disks_name(), 0);
}

static int setup(void **state)
{
	(void)state;
	nnodes = ndevs = nnics = 0;
	assert_int_equal(add_node("/chosen"), PH_CHOSEN);
	assert_int_equal(add_node("/aliases"), PH_ALIASES);
	nvram_boot_device = NULL;
	typed = NULL;
	typed_after_polls = polls = 0;
	now_ms = 0;
	capture_clear();
	fw_console_register(&console_with_keys);
	fw_console_register_input(fake_read);
	return 0;
}

static struct boot_order order;

static void assert_order(const uint32_t *want, unsigned int n)
{
	unsigned int i;

	assert_int_equal(order.count, n);
	for (i = 0; i < n; i++)
		assert_int_equal(order.entry[i].phandle, want[i]);
}

/* ---- Aliases ---- */

static void aliases_by_family_in_probe_order(void **state)
{
	standard_machine();
	assert_string_equal(prop_string(PH_ALIASES, "disk"), PATH_DISK_A);
	/* a namespace is a disk too, in the same count, and also "nvme" */
	assert_string_equal(prop_string(PH_ALIASES, "disk1"), PATH_NVME_A);
	assert_string_equal(prop_string(PH_ALIASES, "disk2"), PATH_DISK_B);
	assert_null(prop_string(PH_ALIASES, "disk3"));
	assert_string_equal(prop_string(PH_ALIASES, "cdrom"), PATH_CD_A);
	/* SLOF writes unit addresses in lower case; node names keep theirs */
	assert_string_equal(prop_string(PH_ALIASES, "cdrom1"),
			    "/pci@800000020000000/scsi@5/disk@10000000000000a");
	assert_null(prop_string(PH_ALIASES, "cdrom2"));
	assert_string_equal(prop_string(PH_ALIASES, "nvme"), PATH_NVME_A);
	assert_null(prop_string(PH_ALIASES, "nvme1"));
	assert_string_equal(prop_string(disk_a, "device_type"), "block");
	assert_string_equal(prop_string(cd_b, "device_type"), "block");
	assert_string_equal(prop_string(nvme_a, "device_type"), "block");
}

static void aliases_past_ten(void **state)
{
	char path[64], name[16];
	unsigned int i;

	for (i = 0; i < 12; i++) {
		snprintf(path, sizeof(path), "/vdevice/v-scsi@71000001/disk@8%03x000000000000", i);
		add_dev(path, 0);
	}
	add_dev("/pci@800000020000000/mass-storage@4/namespace@1", BLOCK_DEV_NVME);
	add_dev("/pci@800000020000000/mass-storage@4/namespace@2", BLOCK_DEV_NVME);
	assert_int_equal(run_disks_name(), 0);
	for (i = 1; i < 12; i++) {
		snprintf(name, sizeof(name), "disk%u", i);
		snprintf(path, sizeof(path), "/vdevice/v-scsi@71000001/disk@8%03x000000000000", i);
		assert_string_equal(prop_string(PH_ALIASES, name), path);
	}
	assert_string_equal(prop_string(PH_ALIASES, "disk12"),
			    "/pci@800000020000000/mass-storage@4/namespace@1");
	assert_null(prop_string(PH_ALIASES, "disk14"));
	assert_string_equal(prop_string(PH_ALIASES, "nvme1"),
			    "/pci@800000020000000/mass-storage@4/namespace@2");
}

/* ---- Order ---- */

static void order_default_is_disks_then_cdroms(void **state)
{
	standard_machine();
	boot_order_build(&order);
	assert_order((const uint32_t[]){ disk_a, nvme_a, disk_b, cd_a, cd_b }, 5);
	assert_false(order.strict);
	assert_string_equal(order.entry[0].origin, "disk");
	assert_string_equal(order.entry[3].origin, "CD-ROM");
	assert_null(order.entry[0].args);
	assert_string_equal(capture_out, "");
}

static void order_bootindex_first_then_the_rest(void **state)
{
	standard_machine();
	set_string(PH_CHOSEN, "qemu,boot-list",
		   PATH_CD_B " /pci@800000020000000/ethernet@1 " PATH_DISK_B);
	boot_order_build(&order);
	assert_order((const uint32_t[]){ cd_b, disk_b, disk_a, nvme_a, cd_a }, 5);
	assert_string_equal(order.entry[0].origin, "bootindex");
	assert_string_equal(order.entry[1].origin, "bootindex");
	assert_string_equal(order.entry[2].origin, "disk");
	assert_non_null(strstr(capture_out, "vofkit: boot: /pci@800000020000000/ethernet@1 "
					    "(bootindex): not a device this firmware boots, skipped\n"));
}

static void order_controller_stands_for_its_devices(void **state)
{
	uint32_t ns2;

	add_node("/pci@800000020000000");
	add_node("/pci@800000020000000/mass-storage@4");
	add_node("/vdevice");
	add_node("/vdevice/v-scsi@71000001");
	standard_machine();
	ns2 = add_dev("/pci@800000020000000/mass-storage@4/namespace@2", BLOCK_DEV_NVME);
	/* QEMU names an NVMe drive by its controller; strict keeps just its namespaces */
	set_string(PH_CHOSEN, "qemu,boot-list", "/pci@800000020000000/mass-storage@4 HALT");
	boot_order_build(&order);
	assert_order((const uint32_t[]){ nvme_a, ns2 }, 2);
	assert_string_equal(order.entry[1].origin, "bootindex");
	/* a SCSI controller: its LUNs, disks and CD-ROMs in probe order */
	set_string(PH_CHOSEN, "qemu,boot-list", "/vdevice/v-scsi@71000001 HALT");
	boot_order_build(&order);
	assert_order((const uint32_t[]){ cd_a, disk_b }, 2);
	/* any node above block devices: all of them */
	capture_clear();
	set_string(PH_CHOSEN, "qemu,boot-list", "/vdevice HALT");
	boot_order_build(&order);
	assert_order((const uint32_t[]){ cd_a, disk_b }, 2);
	/* a node with no block device below it is still one line */
	set_string(PH_CHOSEN, "qemu,boot-list", "/chosen HALT");
	boot_order_build(&order);
	assert_int_equal(order.count, 0);
	assert_non_null(strstr(capture_out, "/chosen (bootindex): not a device this firmware boots"));
}

static void order_strict_stops_at_the_list(void **state)
{
	standard_machine();
	set_string(PH_CHOSEN, "qemu,boot-list", PATH_DISK_B " HALT");
	set_string(PH_CHOSEN, "qemu,boot-device", "d");
	nvram_boot_device = "disk";
	boot_order_build(&order);
	assert_order((const uint32_t[]){ disk_b }, 1);
	assert_true(order.strict);
	assert_non_null(strstr(capture_out, "only the bootindex devices are tried"));
	/* HALT alone: nothing at all */
	set_string(PH_CHOSEN, "qemu,boot-list", "HALT");
	boot_order_build(&order);
	assert_int_equal(order.count, 0);
	assert_true(order.strict);
	/* without HALT, not strict */
	set_string(PH_CHOSEN, "qemu,boot-list", PATH_DISK_B);
	boot_order_build(&order);
	assert_false(order.strict);
	assert_int_equal(order.count, 5);
}

static void order_boot_once_letters(void **state)
{
	standard_machine();
	/* -boot once=d: CD-ROMs before disks */
	set_string(PH_CHOSEN, "qemu,boot-device", "d");
	boot_order_build(&order);
	assert_order((const uint32_t[]){ cd_a, cd_b, disk_a, nvme_a, disk_b }, 5);
	assert_string_equal(order.entry[0].origin, "-boot once=d");
	/* c: disks (NVMe namespaces are disks) before CD-ROMs, as the default */
	set_string(PH_CHOSEN, "qemu,boot-device", "c");
	boot_order_build(&order);
	assert_order((const uint32_t[]){ disk_a, nvme_a, disk_b, cd_a, cd_b }, 5);
	assert_string_equal(order.entry[0].origin, "-boot once=c");
	/* n and unknown letters are named and skipped */
	capture_clear();
	set_string(PH_CHOSEN, "qemu,boot-device", "nad");
	boot_order_build(&order);
	assert_order((const uint32_t[]){ cd_a, cd_b, disk_a, nvme_a, disk_b }, 5);
	assert_non_null(strstr(capture_out, "vofkit: boot: -boot once=n: no network card\n"));
	assert_non_null(strstr(capture_out,
		"vofkit: boot: -boot once=a: no such boot device on pseries, skipped\n"));
	/* the bootindex list still comes first */
	set_string(PH_CHOSEN, "qemu,boot-list", PATH_DISK_B);
	set_string(PH_CHOSEN, "qemu,boot-device", "d");
	boot_order_build(&order);
	assert_order((const uint32_t[]){ disk_b, cd_a, cd_b, disk_a, nvme_a }, 5);
}

static void order_boot_once_d_without_a_cdrom(void **state)
{
	disk_a = add_dev(PATH_DISK_A, 0);
	set_string(PH_CHOSEN, "qemu,boot-device", "d");
	boot_order_build(&order);
	assert_order((const uint32_t[]){ disk_a }, 1);
	assert_string_equal(capture_out, "vofkit: boot: -boot once=d: no CD-ROM drive\n");
}

static void order_nvram_boot_device(void **state)
{
	standard_machine();
	nvram_boot_device = "disk2  /pci@800000020000000/scsi@2:1,\\boot\\grub /bogus/disk@0 cdrom1:\\ppc\\bootinfo.txt";
	boot_order_build(&order);
	assert_order((const uint32_t[]){ disk_b, disk_a, cd_b, nvme_a, cd_a }, 5);
	assert_string_equal(order.entry[0].origin, "NVRAM boot-device");
	assert_null(order.entry[0].args);
	assert_string_equal(order.entry[1].args, "1,\\boot\\grub");
	assert_string_equal(order.entry[2].args, "\\ppc\\bootinfo.txt");
	assert_string_equal(order.entry[3].origin, "disk");
	assert_string_equal(capture_out, "vofkit: boot: /bogus/disk@0 (NVRAM boot-device): "
					 "not a device this firmware boots, skipped\n");
	/* after the bootindex list and the -boot once letters */
	set_string(PH_CHOSEN, "qemu,boot-list", PATH_NVME_A);
	set_string(PH_CHOSEN, "qemu,boot-device", "d");
	nvram_boot_device = "disk2:3 " PATH_NVME_A ":2";
	boot_order_build(&order);
	assert_order((const uint32_t[]){ nvme_a, cd_a, cd_b, disk_b, disk_a }, 5);
	assert_string_equal(order.entry[3].args, "3");
	/* a device named twice keeps its first place and its first args */
	assert_null(order.entry[0].args);
	/* HALT means nothing in NVRAM */
	capture_clear();
	nvram_boot_device = "HALT disk2";
	set_string(PH_CHOSEN, "qemu,boot-list", "");
	set_string(PH_CHOSEN, "qemu,boot-device", "");
	boot_order_build(&order);
	assert_false(order.strict);
	assert_order((const uint32_t[]){ disk_b, disk_a, nvme_a, cd_a, cd_b }, 5);
	assert_non_null(strstr(capture_out, "HALT (NVRAM boot-device): not a device"));
}

static void order_lists_that_do_not_fit(void **state)
{
	static char list[6000];
	size_t n = 0;

	standard_machine();
	while (n + sizeof(PATH_DISK_B) + 1 < sizeof(list)) {
		memcpy(list + n, PATH_DISK_B " ", sizeof(PATH_DISK_B));
		n += sizeof(PATH_DISK_B);
	}
	list[n] = '\0';
	set_string(PH_CHOSEN, "qemu,boot-list", list);
	boot_order_build(&order);
	assert_int_equal(order.entry[0].phandle, disk_b);
	assert_int_equal(order.count, 5);
	assert_non_null(strstr(capture_out, "bootindex: list longer than 4095 characters"));
}

/* ---- Menu ---- */

static void menu_off_without_qemu_boot_menu(void **state)
{
	standard_machine();
	typed = "2";
	boot_order_build(&order);
	assert_int_equal(boot_menu_run(&order), -1);
	assert_string_equal(capture_out, "");
	assert_int_equal(polls, 0);
}

static void menu_digit_moves_the_entry_first(void **state)
{
	uint32_t on = htonl(1);

	standard_machine();
	assert_int_equal(tree_setprop(PH_CHOSEN, "qemu,boot-menu", &on, 4), 0);
	typed = "x92";		/* an unknown key and a number beyond the list are ignored */
	typed_after_polls = 50;
	boot_order_build(&order);
	assert_int_equal(boot_menu_run(&order), 1);
	assert_order((const uint32_t[]){ nvme_a, disk_a, disk_b, cd_a, cd_b }, 5);
	assert_string_equal(order.entry[0].origin, "boot menu");
	assert_string_equal(order.entry[1].origin, "disk");
	assert_non_null(strstr(capture_out, "  1. disk " PATH_DISK_A " (disk)\n"));
	assert_non_null(strstr(capture_out, "  2. NVMe " PATH_NVME_A " (disk)\n"));
	assert_non_null(strstr(capture_out, "  4. CD-ROM " PATH_CD_A " (CD-ROM)\n"));
	assert_non_null(strstr(capture_out, "Press 1-5 within 100 ms"));
	assert_non_null(strstr(capture_out, "vofkit: boot: menu: entry 2 chosen\n"));
	/* the last entry */
	typed = "5";
	boot_order_build(&order);
	assert_int_equal(boot_menu_run(&order), 4);
	assert_order((const uint32_t[]){ cd_b, disk_a, nvme_a, disk_b, cd_a }, 5);
}

static void menu_timeout_and_enter_keep_the_order(void **state)
{
	uint32_t on = htonl(1);

	standard_machine();
	assert_int_equal(tree_setprop(PH_CHOSEN, "qemu,boot-menu", &on, 4), 0);
	boot_order_build(&order);
	assert_int_equal(boot_menu_run(&order), -1);
	assert_order((const uint32_t[]){ disk_a, nvme_a, disk_b, cd_a, cd_b }, 5);
	assert_non_null(strstr(capture_out, "menu: no choice; the order above is used"));
	assert_true(now_ms >= 100 && now_ms < 110);
	/* Enter: at once */
	now_ms = 0;
	typed = "\r2";
	assert_int_equal(boot_menu_run(&order), -1);
	assert_true(now_ms < 5);
	/* the cell 0 is no menu */
	on = 0;
	assert_int_equal(tree_setprop(PH_CHOSEN, "qemu,boot-menu", &on, 4), 0);
	typed = "2";
	capture_clear();
	assert_int_equal(boot_menu_run(&order), -1);
	assert_string_equal(capture_out, "");
}

static void menu_shows_nine_at_most(void **state)
{
	uint32_t on = htonl(1);
	char path[64];
	unsigned int i;

	for (i = 0; i < 12; i++) {
		snprintf(path, sizeof(path), "/pci@800000020000000/scsi@%x", i + 1);
		add_dev(path, 0);
	}
	assert_int_equal(tree_setprop(PH_CHOSEN, "qemu,boot-menu", &on, 4), 0);
	typed = "9";
	boot_order_build(&order);
	assert_int_equal(boot_menu_run(&order), 8);
	assert_non_null(strstr(capture_out, "  9. disk /pci@800000020000000/scsi@9"));
	assert_null(strstr(capture_out, "10."));
	assert_non_null(strstr(capture_out, "(3 more, tried after these)"));
	assert_int_equal(order.count, 12);
}

/* ---- Network cards (BOOT_FROM_NET) ---- */

static int no_send(struct net_dev *dev, const void *frame, size_t len)
{
	return -1;
}

static int no_receive(struct net_dev *dev, void *buf, size_t len)
{
	return 0;
}

static uint32_t add_nic(const char *path)
{
	struct net_dev *n = &nics[nnics++];

	n->phandle = add_node(path);
	n->send = no_send;
	n->receive = no_receive;
	assert_true(net_dev_register(n) >= 0);
	return n->phandle;
}

#define PATH_LLAN	"/vdevice/l-lan@71000002"
#define PATH_VNET	"/pci@800000020000000/ethernet@3"

/* SLOF's "disk cdrom net": NICs come last, in probe order, and are named "network". */
static void order_nics_after_disks_and_cdroms(void **state)
{
	uint32_t llan, vnet;

	standard_machine();
	llan = add_nic(PATH_LLAN);
	vnet = add_nic(PATH_VNET);
	boot_order_build(&order);
	assert_order((const uint32_t[]){ disk_a, nvme_a, disk_b, cd_a, cd_b, llan, vnet }, 7);
	assert_string_equal(order.entry[5].origin, "network");
	assert_string_equal(boot_device_kind(llan), "network");
	assert_string_equal(boot_device_kind(disk_a), "disk");
}

/* -boot once=n puts every NIC first; a bootindex NIC (with its arguments) comes before them. */
static void order_nics_by_letter_and_bootindex(void **state)
{
	uint32_t llan, vnet;

	standard_machine();
	llan = add_nic(PATH_LLAN);
	vnet = add_nic(PATH_VNET);
	set_string(PH_CHOSEN, "qemu,boot-device", "n");
	boot_order_build(&order);
	assert_order((const uint32_t[]){ llan, vnet, disk_a, nvme_a, disk_b, cd_a, cd_b }, 7);
	assert_string_equal(order.entry[0].origin, "-boot once=n");
	set_string(PH_CHOSEN, "qemu,boot-list", PATH_VNET ":speed=auto " PATH_CD_A);
	boot_order_build(&order);
	assert_order((const uint32_t[]){ vnet, cd_a, llan, disk_a, nvme_a, disk_b, cd_b }, 7);
	assert_string_equal(order.entry[0].origin, "bootindex");
	assert_string_equal(order.entry[0].args, "speed=auto");
	/* strict: a NIC alone is the whole order */
	set_string(PH_CHOSEN, "qemu,boot-list", PATH_LLAN " HALT");
	boot_order_build(&order);
	assert_order((const uint32_t[]){ llan }, 1);
}

/* A NIC named by NVRAM boot-device joins; -boot once=n with no NIC says so. */
static void order_nics_from_nvram_and_none(void **state)
{
	uint32_t llan;

	standard_machine();
	set_string(PH_CHOSEN, "qemu,boot-device", "n");
	boot_order_build(&order);
	assert_int_equal(order.count, 5);
	assert_non_null(strstr(capture_out, "vofkit: boot: -boot once=n: no network card\n"));
	llan = add_nic(PATH_LLAN);
	set_string(PH_CHOSEN, "qemu,boot-device", "");
	nvram_boot_device = PATH_LLAN " " PATH_DISK_B;
	boot_order_build(&order);
	assert_order((const uint32_t[]){ llan, disk_b, disk_a, nvme_a, cd_a, cd_b }, 6);
	assert_string_equal(order.entry[0].origin, "NVRAM boot-device");
}

/*
 * Each test runs in a child process: the block registry keeps what was
 * registered for good, as it does in the firmware.
 */
static int run_isolated(const char *name, void (*fn)(void **))
{
	const struct CMUnitTest one[] = { { name, fn, setup, NULL, NULL } };
	pid_t pid = fork();
	int status;

	if (!pid)
		_exit(cmocka_run_group_tests_name(name, one, NULL, NULL) ? 1 : 0);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : 1;
}

int main(void)
{
	int failed = 0;

#define RUN(fn) failed += run_isolated(#fn, fn)
	RUN(aliases_by_family_in_probe_order);
	RUN(aliases_past_ten);
	RUN(order_default_is_disks_then_cdroms);
	RUN(order_bootindex_first_then_the_rest);
	RUN(order_controller_stands_for_its_devices);
	RUN(order_strict_stops_at_the_list);
	RUN(order_boot_once_letters);
	RUN(order_boot_once_d_without_a_cdrom);
	RUN(order_nvram_boot_device);
	RUN(order_lists_that_do_not_fit);
	RUN(order_nics_after_disks_and_cdroms);
	RUN(order_nics_by_letter_and_bootindex);
	RUN(order_nics_from_nvram_and_none);
	RUN(menu_off_without_qemu_boot_menu);
	RUN(menu_digit_moves_the_entry_first);
	RUN(menu_timeout_and_enter_keep_the_order);
	RUN(menu_shows_nine_at_most);
	printf("boot_order: %d test groups failed\n", failed);
	return failed ? 1 : 0;
}
