/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the CAS tree merge (core/tree/merge.c tree_merge) on QEMU's trees.
 *
 * Input: byte 0 picks the tree the firmware starts on (the dumps of
 * tests/unit/dump_trees.sh, sorted by name); the rest is the new tree
 * (QEMU's CAS answer), placed in the simulated RAM.
 * Oracles: sanitizers; after the merge, successful or not, the live tree
 * is a valid FDT and its index agrees with it; after a successful merge
 * every node of the new tree (up to 256) is found by its path and has the
 * new tree's property values.
 */

#include <string.h>
#include <libfdt.h>
#include <vofkit/core/tree.h>
#include "fuzz.h"

static size_t last_len;

/*
 * Two siblings of one name (libfdt's checks allow it) make a path mean two
 * nodes: the merge applies both in turn, a lookup finds the first.  Such a
 * tree has no single expected result, so check_merged() skips it.
 */
static int has_dup_siblings(const void *t)
{
	int off, depth = 0;

	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(t, off, &depth)) {
		int child;

		fdt_for_each_subnode(child, t, off) {
			int len;
			const char *name = fdt_get_name(t, child, &len);

			if (name && fdt_subnode_offset_namelen(t, off, name, len) != child)
				return 1;
		}
	}
	return 0;
}

static void check_merged(const void *t)
{
	int off, depth = 0, seen = 0;
	char path[1024];

	for (off = 0; off >= 0 && depth >= 0 && seen < 256; off = fdt_next_node(t, off, &depth), seen++) {
		uint32_t ph;
		int poff;

		if (fdt_get_path(t, off, path, sizeof(path)))
			continue;
		if (strchr(path, ':'))
			continue;	/* would be read as path:args */
		ph = tree_find(path, NULL);
		FUZZ_CHECK(ph, "merged node %s not found", path);
		fdt_for_each_property_offset(poff, t, off) {
			const char *name;
			int len, ilen;
			const void *v = fdt_getprop_by_offset(t, poff, &name, &len);
			const void *iv;

			if (!strcmp(name, "phandle") || !strcmp(name, "linux,phandle") ||
			    !strcmp(name, "name") || ft_dup_prop(t, off, name))
				continue;	/* kept or made by the firmware */
			iv = tree_getprop(ph, name, &ilen);
			FUZZ_CHECK(iv && ilen == len && !memcmp(iv, v, (size_t)len),
				   "%s %s: %d bytes after the merge, %d in the new tree", path, name,
				   iv ? ilen : -1, len);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *t;
	int rc;

	if (size < 1 || size - 1 > FT_DTB_MAX)
		return 0;
	ft_load_dtbs();
	ft_boot(data[0]);
	t = ft_ram(FT_NEW_DTB_ADDR, FT_DTB_MAX);
	memset(t, 0, last_len);
	memcpy(t, data + 1, size - 1);
	last_len = size - 1;
	rc = tree_merge(t);
	ft_check_index();
	if (rc == 0 && fdt_check_full(t, size - 1) == 0 && !has_dup_siblings(t))
		check_merged(t);
	return 0;
}
