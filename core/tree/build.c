/* SPDX-License-Identifier: Apache-2.0 */
/* Native tree set-up: QEMU's FDT copied into the heap with room to grow, a "name" and a phandle on every node. */

#include <string.h>
#include <libfdt.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/util.h>
#include "tree_priv.h"

/*
 * Give every node a "name" (QEMU writes none; GRUB and Linux read it) and a
 * phandle (kept where QEMU set one: interrupt-map refers to 0x1111).  New
 * phandles count up from the highest one already in the tree, as QEMU's
 * VOF numbers them: one scan for the maximum, instead of asking for every
 * candidate number whether it is taken (a full-tree scan each, which cost
 * 0.6 s under TCG with 64 vCPUs).  Adding a property to a node moves only
 * what follows it, so the walk stays valid.
 */
int tree_complete_nodes(void)
{
	uint32_t next_ph = fdt_get_max_phandle(tree_fdt) + 1;
	int off, depth = 0, err;

	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(tree_fdt, off, &depth)) {
		if (!fdt_getprop(tree_fdt, off, "name", NULL)) {
			int len;
			const char *full = fdt_get_name(tree_fdt, off, &len);
			const char *at = full ? memchr(full, '@', (size_t)len) : NULL;

			if (!full)
				return -1;
			err = fdt_setprop(tree_fdt, off, "name", full, at ? (int)(at - full) : len);
			if (!err)
				err = fdt_appendprop(tree_fdt, off, "name", "", 1);
			if (err)
				return err;
		}
		if (!fdt_get_phandle(tree_fdt, off)) {
			err = fdt_setprop_u32(tree_fdt, off, "phandle", next_ph++);
			if (err)
				return err;
		}
	}
	return 0;
}

int tree_init(const void *qemu_fdt)
{
	size_t total;

	if (fdt_check_header(qemu_fdt))
		return -1;
	tree_own_nodes_reset();
	total = fdt_totalsize(qemu_fdt);
	/* room to grow: names, phandles, setprops and the CAS merge */
	tree_fdt_size = ALIGN_UP(MAX(total * 2 + 0x10000, (size_t)CONFIG_TREE_MIN_BUFFER), 8);
	tree_fdt = fw_heap_alloc(tree_fdt_size, 8);
	if (!tree_fdt || fdt_open_into(qemu_fdt, tree_fdt, (int)tree_fdt_size))
		return -2;
	if (tree_complete_nodes())
		return -3;
	return tree_reindex() ? -2 : 0;
}
