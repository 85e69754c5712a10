/* SPDX-License-Identifier: Apache-2.0 */
/* vscsi-report-luns on v-scsi adapter instances: the LUNs GRUB lists as <adapter>/disk@<lun>. */

#include <string.h>
#include <vofkit/ci/ci.h>
#include <vofkit/ci/instances.h>
#include <vofkit/core/mem.h>
#include <vofkit/core/tree.h>
#include <vofkit/drivers/scsi.h>
#include <vofkit/lib/byteorder.h>

/*
 * A SLOF method that GRUB 2.06 (ofdisk.c) calls on every node of
 * device_type "vscsi": with QEMU's IBM model GRUB does not walk the tree
 * for disks, so without it only aliased disks and the boot disk are seen.
 *
 *   call-method "vscsi-report-luns" ( -- table n )
 *
 * `table` holds n 8-byte cells; GRUB reads the low word of cell i (at
 * table + 4 + 8 * i) as a pointer to a list of 8-byte LUNs ended by a zero
 * one.  Here n is 1 and the one list has every LUN node the disk layer
 * made under the adapter.  The memory is the firmware's (.bss, below
 * 4 GiB as the 32-bit pointer needs) and is never freed: GRUB keeps no
 * copy, and a later call rebuilds it.
 */

#define REPORT_LUNS_MAX 256

static struct {
	be64 lists[1];			/* cell 0: the address of luns[] */
	be64 luns[REPORT_LUNS_MAX + 1];	/* zero-terminated */
} report;

static bool is_vscsi(uint32_t node)
{
	char type[8];

	return tree_read_prop(node, "device_type", type, sizeof(type)) == 6 &&
	       !memcmp(type, "vscsi", 6);
}

static enum ci_result vscsi_report_luns(struct ci_method_call *m)
{
	uint32_t adapter = instance_to_package(m->ihandle), child;
	unsigned int n = 0;

	if (!adapter || !is_vscsi(adapter))
		return CI_DECLINE;
	for (child = tree_child(adapter); child && n < REPORT_LUNS_MAX; child = tree_peer(child)) {
		uint64_t unit = scsi_disk_unit(child);

		if (unit)
			report.luns[n++] = cpu_to_be64(unit);
	}
	report.luns[n] = 0;
	report.lists[0] = cpu_to_be64(virt_to_phys(report.luns));
	if (m->nout >= 1)
		m->out[0] = n ? 1 : 0;
	if (m->nout >= 2)
		m->out[1] = (uint32_t)virt_to_phys(report.lists);
	return CI_DONE;
}
CI_METHOD(vscsi_report_luns, "vscsi-report-luns", vscsi_report_luns);
