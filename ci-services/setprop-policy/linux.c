/* SPDX-License-Identifier: Apache-2.0 */
/* setprop policy "Linux-compatible": only what Linux's prom_init and GRUB set. */

#include <string.h>
#include <vofkit/ci/setprop_policy.h>
#include <vofkit/core/tree.h>

/*
 * What the clients set, from reading them:
 *  - Linux prom_init: "linux,*" on /chosen (stdout-path, initrd-start/-end,
 *    memory-limit, iommu-off, iommu-force-on, tce-alloc-*), on /rtas
 *    (rtas-base, rtas-entry), on display nodes (opened, boot-display) and on
 *    the vTPM node (sml-base, sml-size, sml-log);
 *  - boot loaders: /chosen "bootargs" and "bootpath".
 * Everything else keeps the values QEMU and the firmware gave it.
 */
bool setprop_policy_allows(uint32_t phandle, const char *name, const char **why)
{
	if (!strncmp(name, "linux,", 6))
		return true;
	if (phandle == tree_find("/chosen", NULL) &&
	    (!strcmp(name, "bootargs") || !strcmp(name, "bootpath")))
		return true;
	*why = "not on the Linux-compatible allow list (linux,* anywhere; bootargs, bootpath on /chosen)";
	return false;
}
