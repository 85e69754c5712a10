/* SPDX-License-Identifier: Apache-2.0 */
/* Native tree: merge QEMU's CAS answer (a whole new FDT) into the live tree, linear in both trees' size. */

#include <stdbool.h>
#include <string.h>
#include <libfdt.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/util.h>
#include "tree_priv.h"

/* FNV-1a over a node path, built one component at a time. */
static uint32_t path_hash(uint32_t parent, const char *name, int len)
{
	return tree_hash_bytes((parent ^ '/') * 16777619u, name, (size_t)len);
}

/*
 * Nodes QEMU dropped in its CAS answer must go: when CAS switches XICS to
 * XIVE, QEMU's new tree has only the XIVE controller, and keeping the old
 * XICS node would leave interrupt-map pointing at a controller that no
 * longer exists.  The firmware's own /aliases stays, and so do the nodes
 * it made (tree_add_node: SCSI LUNs, NVMe namespaces), with what is below
 * them, while their parent stays.  Paths of the new tree
 * are hashed in one pass, so this is linear in the tree size.
 */
static int tree_drop_vanished(const void *new_fdt)
{
	uint32_t hstack[TREE_MAX_DEPTH + 1], *set;
	unsigned int size, n = 0;
	int off, depth = 0, skip_below = -1;
	bool dropped;

	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(new_fdt, off, &depth))
		n++;
	for (size = 64; size < n * 2; size <<= 1)
		;
	set = fw_heap_alloc(size * sizeof(*set), 8);
	if (!set)
		return -4;
	depth = 0;
	for (off = 0; off >= 0 && depth >= 0 && depth <= TREE_MAX_DEPTH;
	     off = fdt_next_node(new_fdt, off, &depth)) {
		int len;
		const char *name = fdt_get_name(new_fdt, off, &len);
		unsigned int slot;

		hstack[depth] = depth ? path_hash(hstack[depth - 1], name, len) : TREE_HASH_SEED;
		for (slot = hstack[depth] & (size - 1); set[slot]; slot = (slot + 1) & (size - 1))
			;
		set[slot] = hstack[depth] | 1;	/* never 0: 0 marks a free slot */
	}
	do {
		dropped = false;
		depth = 0;
		for (off = 0; off >= 0 && depth >= 0 && depth <= TREE_MAX_DEPTH;
		     off = fdt_next_node(tree_fdt, off, &depth)) {
			int len;
			const char *name = fdt_get_name(tree_fdt, off, &len);
			unsigned int slot;

			if (skip_below >= 0 && depth > skip_below)
				continue;
			skip_below = -1;
			hstack[depth] = depth ? path_hash(hstack[depth - 1], name, len) : TREE_HASH_SEED;
			if (depth == 1 && len == 7 && !memcmp(name, "aliases", 7)) {
				skip_below = 1;
				continue;
			}
			for (slot = hstack[depth] & (size - 1); set[slot]; slot = (slot + 1) & (size - 1)) {
				if (set[slot] == (hstack[depth] | 1))
					break;
			}
			if (!set[slot] && IS_ENABLED(CONFIG_TREE_FIRMWARE_NODES) &&
			    tree_is_own_node(fdt_get_phandle(tree_fdt, off))) {
				skip_below = depth;
				continue;
			}
			if (!set[slot]) {
				if (fdt_del_node(tree_fdt, off))
					return -5;
				dropped = true;	/* offsets moved: walk again */
				break;
			}
		}
	} while (dropped);
	return 0;
}

/*
 * Copy the answer's properties into the live tree, walking both trees in
 * step (same order): each node is found from its parent's offset, trying
 * the sibling after the last match first.  Properties that did not change
 * (most of them) are not rewritten.  A node that is new keeps the phandle
 * QEMU gave it when that number is free (QEMU's XIVE node is 0x1111, which
 * its interrupt-map cells use); existing nodes keep theirs, since the client
 * already holds them.  Nothing of ours is removed here: the answer lacks the
 * /chosen boot properties, and our names and phandles must stay.
 */
static int tree_merge_blob(const void *new_fdt)
{
	int ours[TREE_MAX_DEPTH + 1], last[TREE_MAX_DEPTH + 2];
	int noff, depth = 0;
	void *blob = tree_fdt;

	for (noff = 0; noff >= 0 && depth >= 0; noff = fdt_next_node(new_fdt, noff, &depth)) {
		int off, poff, len;
		bool added = false;

		if (depth > TREE_MAX_DEPTH)
			return -1;
		if (!depth) {
			off = 0;
		} else {
			const char *name = fdt_get_name(new_fdt, noff, &len);
			int guess = last[depth] >= 0 ? fdt_next_subnode(blob, last[depth]) : -1;
			int glen;
			const char *gname = guess >= 0 ? fdt_get_name(blob, guess, &glen) : NULL;

			if (gname && glen == len && !memcmp(gname, name, (size_t)len))
				off = guess;
			else
				off = fdt_subnode_offset_namelen(blob, ours[depth - 1], name, len);
			if (off < 0) {
				off = fdt_add_subnode_namelen(blob, ours[depth - 1], name, len);
				if (off < 0)
					return off;
				added = true;
			}
		}
		ours[depth] = off;
		last[depth] = added ? -1 : off;
		last[depth + 1] = -1;
		fdt_for_each_property_offset(poff, new_fdt, noff) {
			const char *name;
			int oldlen;
			const void *val = fdt_getprop_by_offset(new_fdt, poff, &name, &len);
			const void *old;

			if (!val)
				continue;
			if (!strcmp(name, "phandle") || !strcmp(name, "linux,phandle")) {
				if (!added || len != 4 ||
				    fdt_node_offset_by_phandle(blob, fdt32_ld(val)) >= 0)
					continue;
			}
			old = fdt_getprop(blob, off, name, &oldlen);
			if (old && oldlen == len && !memcmp(old, val, (size_t)len))
				continue;
			if (fdt_setprop(blob, off, name, val, len))
				return -2;
		}
	}
	return 0;
}

/*
 * The new tree is checked whole before anything changes.  libfdt's readers
 * trust a property's length field: a length of 0xffffffff passes
 * fdt_next_tag (the offset wraps) and would reach fdt_setprop as -1, a
 * memcpy of 4 GiB over the live tree (found by tests/fuzz, target merge).
 * Every property must lie inside the structure block, every node have a
 * name, and the tree be no deeper than the index can hold.
 */
static int new_tree_sane(const void *fdt)
{
	const char *base = fdt, *sb = base + fdt_off_dt_struct(fdt);
	const char *se = fdt_version(fdt) >= 17 ? sb + fdt_size_dt_struct(fdt)
						: base + fdt_totalsize(fdt);
	int off, depth = 0;

	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(fdt, off, &depth)) {
		int poff, len;

		if (depth > TREE_MAX_DEPTH || !fdt_get_name(fdt, off, &len))
			return -1;
		fdt_for_each_property_offset(poff, fdt, off) {
			const char *name;
			const char *val = fdt_getprop_by_offset(fdt, poff, &name, &len);

			if (!val || !name || len < 0 || val < sb || val > se ||
			    (size_t)len > (size_t)(se - val))
				return -1;
		}
		if (poff != -FDT_ERR_NOTFOUND)
			return -1;
	}
	return off < 0 && off != -FDT_ERR_NOTFOUND ? -1 : 0;
}

/* After any edit, successful or not, the index must match the blob again. */
int tree_merge(const void *new_fdt)
{
	int rc;

	if (fdt_check_header(new_fdt) || new_tree_sane(new_fdt))
		return -1;
	rc = tree_drop_vanished(new_fdt);
	if (!rc)
		rc = tree_merge_blob(new_fdt);
	if (tree_complete_nodes() || tree_reindex())
		return rc ? rc : -3;
	return rc;
}
