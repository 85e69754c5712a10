/* SPDX-License-Identifier: Apache-2.0 */
/* OF client: call-method "vscsi-report-luns" on every v-scsi adapter, read back the way GRUB 2.06 reads it. */

/*
 * Booted with QEMU -kernel on the native firmware (samples/full).  For each
 * child of /vdevice with device_type "vscsi" it opens the node and calls
 *
 *   call-method "vscsi-report-luns" ihandle -> catch-result n table
 *
 * and walks the answer as GRUB's ofdisk.c does: for i < n, the low word of
 * the 8-byte cell at table + 8 * i points at a list of 8-byte LUNs ended by
 * a zero one.  Every LUN must name a node that exists (<adapter>/disk@<lun>,
 * lower-case hex as GRUB prints it) with device_type "block".
 *
 * Output, per adapter: "VSCSI: <path> lists <n> LUN list(s)", one
 * "VSCSI: LUN disk@<lun>" per LUN (in list order), and
 * "VSCSI: FAIL <what>" for anything wrong; then "VSCSI: DONE" and CI exit.
 */

#include "client_lib.h"

static char path[256], disk[300];

/* "<adapter>/disk@<lun>" the way GRUB builds it (%llx: no leading zeros). */
static void disk_path(uint64_t lun)
{
	uint32_t n = str_len(path);
	int shift = 60;

	memcpy(disk, path, n);
	memcpy(disk + n, "/disk@", 6);
	n += 6;
	while (shift > 0 && !((lun >> shift) & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		disk[n++] = "0123456789abcdef"[(lun >> shift) & 0xf];
	disk[n] = '\0';
}

static void fail(const char *what)
{
	put_str("VSCSI: FAIL ");
	put_str(what);
	put_ch('\n');
}

static void report(uint32_t node)
{
	struct ci_args a;
	uint32_t in[3], ih, n, table, i, len;

	in[0] = node;
	in[1] = cell(path);
	in[2] = sizeof(path);
	len = ci1("package-to-path", 3, in);
	if (len == CI_ERR || len >= sizeof(path)) {
		fail("package-to-path");
		return;
	}
	path[len] = '\0';
	in[0] = cell(path);
	ih = ci1("open", 1, in);
	if (!ih || ih == CI_ERR) {
		fail("open of the adapter");
		return;
	}
	in[0] = cell("vscsi-report-luns");
	in[1] = ih;
	if (ci_call(&a, "call-method", 2, 3, in) != 0 || a.cell[2] != 0) {
		fail("vscsi-report-luns threw");
		return;
	}
	n = a.cell[3];
	table = a.cell[4];
	put_str("VSCSI: ");
	put_str(path);
	put_str(" lists ");
	put_dec(n);
	put_str(" LUN list(s)\n");
	for (i = 0; i < n; i++) {
		const uint64_t *lun = (const uint64_t *)(uintptr_t)
			*(const uint32_t *)(uintptr_t)(table + 4 + 8 * i);
		char type[16];

		for (; *lun; lun++) {
			uint32_t ph;

			disk_path(*lun);
			put_str("VSCSI: LUN ");
			put_str(disk + str_len(path) + 1);
			put_ch('\n');
			ph = of_finddevice(disk);
			if (!ph || ph == CI_ERR)
				fail("a listed LUN has no node");
			else if (of_getprop(ph, "device_type", type, sizeof(type)) != 6 ||
				 !mem_eq(type, "block", 6))
				fail("a listed LUN's node is not a block device");
		}
	}
	in[0] = ih;
	ci1("close", 1, in);
}

void client_main(uint32_t entry)
{
	uint32_t bus, node;
	char type[16];

	(void)entry;
	console_init();
	bus = of_finddevice("/vdevice");
	if (!bus || bus == CI_ERR)
		fail("no /vdevice");
	else
		for (node = of_tree("child", bus); node && node != CI_ERR; node = of_tree("peer", node))
			if (of_getprop(node, "device_type", type, sizeof(type)) == 6 &&
			    mem_eq(type, "vscsi", 6))
				report(node);
	put_str("VSCSI: DONE\n");
	client_power_off(1);
}
