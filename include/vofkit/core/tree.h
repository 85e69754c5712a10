/* SPDX-License-Identifier: Apache-2.0 */
/* The firmware's one device-tree API, served by the QEMU pairing (native: its own copy; forward: QEMU's VOF). */
#ifndef VOFKIT_CORE_TREE_H
#define VOFKIT_CORE_TREE_H

#include <stddef.h>
#include <stdint.h>

/*
 * One failure convention for every function here:
 *   a node (phandle) is 0 when there is none (TREE_NO_NODE: what child,
 *   peer and parent answer at the end of a list, and never a valid handle);
 *   sizes and status codes are ints, negative on failure;
 *   pointers are NULL on failure.
 * The CI services turn these into IEEE 1275's cell values (-1) at the edge.
 *
 * The first group is served by both pairings (core/pairing/native.c and
 * core/pairing/forward.c); the second only by the native pairing, where the
 * firmware owns the flattened tree (core/tree/).  Code that uses the second
 * group depends on QEMU_PAIRING_NATIVE in Kconfig.
 */

#define TREE_NO_NODE 0u

/* ---- Both pairings ------------------------------------------------------ */

/*
 * Resolve a device path: absolute paths, aliases, "alias:args" and
 * "path:args", components without a unit address (first match), unit
 * addresses compared case-insensitively.  *args_out (if non-NULL) points at
 * the text after ':' or is NULL.  Returns the node or TREE_NO_NODE.
 */
uint32_t tree_find(const char *path, const char **args_out);

/* Node navigation; TREE_NO_NODE at the end of a list or for a bad node. */
uint32_t tree_root(void);
uint32_t tree_child(uint32_t phandle);
uint32_t tree_peer(uint32_t phandle);
uint32_t tree_parent(uint32_t phandle);

/* Copy min(len, size) bytes of a property; returns its full size or -1. */
int tree_read_prop(uint32_t phandle, const char *name, void *buf, size_t len);

/* Set (create or replace) a property; 0 or -1 (bad node, no room). */
int tree_setprop(uint32_t phandle, const char *name, const void *val, int len);

/* Read a property of exactly `len` bytes; 0 or -1. */
static inline int tree_read_exact(uint32_t phandle, const char *name, void *buf, size_t len)
{
	return tree_read_prop(phandle, name, buf, len) == (int)len ? 0 : -1;
}

/* ---- Native pairing only: the firmware's own flattened tree ------------- */

/*
 * The tree stays a flattened tree (libfdt edits it in place, in a buffer
 * with room to grow) so that KVMPPC_H_UPDATE_DT can hand it to QEMU as it
 * is.  Every node has an index entry (phandle, links, FDT offset) and every
 * property a hash entry, so phandle lookups, peer/child/parent, getprop and
 * path components never scan the tree (core/tree/index.c).
 *
 * Phandles: the ones QEMU wrote are kept (interrupt-map and hot-plug refer
 * to 0x1111); every other node gets a new one above the highest in the tree
 * (as QEMU's VOF numbers them), stored as a "phandle" property so QEMU sees
 * the same numbers after quiesce.  Every node gets a "name" property (QEMU
 * writes none): its node name without "@unit".
 */

/* Copy QEMU's tree (r3 at reset) and build everything above; 0 or negative. */
int tree_init(const void *qemu_fdt);

/* Is this a node of the tree? */
int tree_valid(uint32_t phandle);

/* FDT offset of a node in tree_blob() (for libfdt calls), or -1. */
int tree_offset(uint32_t phandle);

/* The property in place (no copy) or NULL; *len gets its size. */
const void *tree_getprop(uint32_t phandle, const char *name, int *len);

/*
 * Name of the property after `prev` ("" or NULL = first).  NULL at the end
 * (*error = 0) or when the node or `prev` is not valid (*error = -1).
 */
const char *tree_nextprop(uint32_t phandle, const char *prev, int *error);

/* Full path of a node into buf (NUL-terminated if it fits); strlen or -1. */
int tree_path(uint32_t phandle, char *buf, size_t buflen);

/* Add an empty child node `name` under `parent`; its phandle or TREE_NO_NODE. */
uint32_t tree_add_node(uint32_t parent, const char *name);

/*
 * Merge a new full tree (QEMU's CAS answer) into the live one by path: its
 * properties replace ours, its new nodes are added, nodes it no longer has
 * are dropped (but /aliases), existing phandles stay.  0 or negative.
 */
int tree_merge(const void *new_fdt);

/* The live blob and its buffer size (for UPDATE_DT at quiesce). */
void *tree_blob(void);
size_t tree_blob_size(void);

/* Number of nodes (for tests and tracing). */
unsigned int tree_node_count(void);

#endif /* VOFKIT_CORE_TREE_H */
