/* SPDX-License-Identifier: Apache-2.0 */
/* OF client: files on a CD opened as disk instances ("disk:\path", "disk:,\path"): read, seek, #blocks, misses. */

/*
 * Booted with QEMU -kernel on the native firmware (samples/full) with the
 * GRUB CD of tests/guests/mkgrubiso.sh attached as the only virtio-blk disk
 * (so it is "disk", 512-byte blocks), writable: the image hash is checked
 * before and after (boot_test.py --unchanged-file).  What is expected is
 * what ci-services/disk/disk_instances.c promises: a file argument makes
 * the instance's window that file, so read, seek and #blocks behave as on
 * a partition whose size is the file's.
 *
 * Booted from a CD instead (boot.full.cd_boot_client: a second CD whose
 * \ppc\bootinfo.txt says "boot &device;:,\cdclient.elf vofkit-cd a=1  b"),
 * it also checks what the firmware handed over: /chosen bootpath
 * "<that CD>:,\cdclient.elf", /chosen bootargs "vofkit-cd a=1  b", and that
 * opening the bootpath as given reads this client's own ELF header.  With
 * the arguments "vofkit-cd-part" the script named partition 1
 * ("&device;:1,\cdclient.elf") and the bootpath must say so.  Booted
 * from a PReP partition of a CD without bootinfo.txt, the bootpath is the
 * CD's node alone.
 *
 * Output: "CD: PASS <what>" / "CD: FAIL <what> (<detail>)" per check, then
 * "CD: DONE <n> passed, <m> failed", then CI exit.
 */

#include "client_lib.h"

#define SECTOR		512u

static unsigned char buf[16384];

/* Does buf[0, len) contain `s`? */
static int contains(const unsigned char *b, uint32_t len, const char *s)
{
	uint32_t n = str_len(s), i;

	for (i = 0; i + n <= len; i++) {
		if (mem_eq(b + i, s, n))
			return 1;
	}
	return 0;
}

/* \ppc\bootinfo.txt read to its end in odd-sized pieces: its size, #blocks and seeks agree. */
static void check_bootinfo(void)
{
	uint32_t ih = of_open("disk:\\ppc\\bootinfo.txt"), v, total = 0;

	check(opened(ih), "open \"disk:\\ppc\\bootinfo.txt\"", "ihandle ", ih);
	if (!opened(ih))
		return;
	do {
		v = of_read(ih, buf + total, total + 1000 <= sizeof(buf) ? 1000 : 0);
		total += v == CI_ERR ? 0 : v;
	} while (v && v != CI_ERR && total < sizeof(buf));
	check(v == 0 && total > 1000 && total < sizeof(buf),
	      "bootinfo.txt: read in 1000-byte pieces ends with a short count, then 0", "total ", total);
	check(contains(buf, total, "<boot-script>boot &device;:\\boot\\grub\\powerpc.elf</boot-script>"),
	      "bootinfo.txt: holds GRUB's boot script", "total ", total);
	check(mem_eq(buf, "<chrp-boot>", 11), "bootinfo.txt: starts with <chrp-boot>", "byte 0 ", buf[0]);
	v = of_method1("block-size", ih);
	check(v == SECTOR, "bootinfo.txt: block-size 512 (the device's)", "got ", v);
	v = of_method1("#blocks", ih);
	check(v == (total + SECTOR - 1) / SECTOR, "bootinfo.txt: #blocks = its size in blocks, rounded up",
	      "got ", v);
	v = of_seek(ih, 0, total);
	check(v == 0, "bootinfo.txt: seek to its end -> 0", "status ", v);
	v = of_seek(ih, 0, total + 1);
	check(v == CI_ERR, "bootinfo.txt: seek one byte past its end -> -1", "status ", v);
	v = of_seek(ih, 0, 0);
	v = of_read(ih, buf, 11);
	check(v == 11 && mem_eq(buf, "<chrp-boot>", 11), "bootinfo.txt: seek to 0 and read again",
	      "count ", v);
	v = of_seek(ih, 0, total - 5);
	v = of_read(ih, buf, 100);
	check(v == 5, "bootinfo.txt: read of 100 bytes 5 before its end -> 5", "count ", v);
	of_close(ih);
}

/* The other argument forms: ",\path", "0,\path", '/' separators, ";1", level-1 and Rock Ridge names. */
static void check_forms(void)
{
	static const struct { const char *path, *what, *magic; uint32_t n; } files[] = {
		{ "disk:,\\boot\\grub\\powerpc.elf", "open \"disk:,\\boot\\grub\\powerpc.elf\": a 32-bit big-endian ELF", "\x7f" "ELF\x01\x02", 6 },
		{ "disk:0,/BOOT/GRUB/GRUB.CFG;1", "open \"disk:0,/BOOT/GRUB/GRUB.CFG;1\": the CD's grub.cfg", "# vofkit test CD", 16 },
		{ "disk:\\boot\\grub\\powerpc-ieee1275\\linux.mod", "open a Rock Ridge name (powerpc-ieee1275\\linux.mod): an ELF module", "\x7f" "ELF", 4 },
		{ "disk:\\BOOT\\GRUB\\POWERPC_\\LINUX.MOD", "open its level-1 name (POWERPC_\\LINUX.MOD): an ELF module", "\x7f" "ELF", 4 },
	};
	uint32_t i, ih, v;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ih = of_open(files[i].path);
		v = opened(ih) ? of_read(ih, buf, files[i].n) : CI_ERR;
		check(v == files[i].n && mem_eq(buf, files[i].magic, files[i].n), files[i].what,
		      "count ", v);
		if (opened(ih))
			of_close(ih);
	}
}

/* Files that are not there, a directory, a partition that is not there: no instance reads anything. */
static void check_misses(void)
{
	static const char *const paths[] = {
		"disk:\\ppc\\nothere.txt", "disk:\\boot\\grub", "disk:\\ppc\\bootinfo.txt\\x",
		"disk:1,\\ppc\\bootinfo.txt", "disk:x\\ppc",
	};
	uint32_t i, bad = 0, first = 0;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		uint32_t ih = of_open(paths[i]);
		uint32_t v = opened(ih) ? of_read(ih, buf, 16) : CI_ERR;

		if (v != CI_ERR && !bad++)
			first = i;
		if (opened(ih))
			of_close(ih);
	}
	check(bad == 0, "a missing file, a directory, a file as a directory, partition 1 (no ISO 9660 at its "
	      "start), a bad argument: open fails or read -> -1", "first readable #", first);
}

/* Does s end with `tail`? */
static int ends_with(const char *s, uint32_t len, const char *tail)
{
	uint32_t n = str_len(tail);

	return len >= n && mem_eq(s + len - n, tail, n);
}

/* When booted from the CD: bootpath, bootargs, and the bootpath opened as it is. */
static void check_boot_from_cd(void)
{
	static char path[256], args[256];
	uint32_t chosen = of_finddevice("/chosen"), n, v, ih;

	memset(path, 0, sizeof(path));
	n = of_getprop(chosen, "bootpath", path, sizeof(path) - 1);
	if (n == CI_ERR || n == 0 || n >= sizeof(path)) {
		put_str("CD: no /chosen bootpath: booted with -kernel\n");
		return;
	}
	put_str("CD: bootpath ");
	put_str(path);
	put_ch('\n');
	n = str_len(path);
	memset(args, 0, sizeof(args));
	v = of_getprop(chosen, "bootargs", args, sizeof(args) - 1);
	if (!ends_with(path, n, ".elf")) {
		/* no file in the bootpath: the disk boot source's PReP boot of the same device */
		check(ends_with(path, n, "/scsi@1"),
		      "booted from the CD's PReP partition: bootpath is the CD's node", "length ", n);
		return;
	}
	if (str_eq(args, "vofkit-cd-part")) {
		/* the CD's script names partition 1, an MBR partition over the whole ISO 9660 volume */
		check(ends_with(path, n, "/scsi@1:1,\\cdclient.elf"),
		      "booted from partition 1 of the CD: bootpath is <the CD>:1,\\cdclient.elf",
		      "length ", n);
	} else {
		check(ends_with(path, n, "/scsi@1:,\\cdclient.elf"),
		      "booted from the CD: bootpath is <the CD>:,\\cdclient.elf", "length ", n);
		check(v != CI_ERR && str_eq(args, "vofkit-cd a=1  b"),
		      "booted from the CD: bootargs are the boot script's arguments", "length ", v);
	}
	ih = of_open(path);
	v = opened(ih) ? of_read(ih, buf, 6) : CI_ERR;
	check(v == 6 && mem_eq(buf, "\x7f" "ELF\x01\x02", 6),
	      "booted from the CD: open of the bootpath reads this client's ELF header", "count ", v);
	if (opened(ih))
		of_close(ih);
}

void client_main(uint32_t entry)
{
	(void)entry;
	client_tag = "CD: ";
	console_init();
	put_str("CD: CD file-instance client\n");
	check_boot_from_cd();
	check_bootinfo();
	check_forms();
	check_misses();
	check_done();
	client_power_off(1);
}
