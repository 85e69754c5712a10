/* SPDX-License-Identifier: Apache-2.0 */
/* The native pairing's device tree: QEMU's FDT copied into firmware memory, with a node index. */
#ifndef VOFKIT_TREE_H
#define VOFKIT_TREE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The tree stays a flattened tree (libfdt edits it in place, in a buffer
 * with room to grow) so that KVMPPC_H_UPDATE_DT can hand it to QEMU as it
 * is.  Every node also has an index entry (phandle, parent, first child,
 * next sibling, current FDT offset): phandle lookups and peer/child/parent
 * never scan the tree.  Offsets move when a property grows; the index is
 * refreshed after every edit.
 *
 * Phandles: the ones QEMU wrote are kept (interrupt-map and hot-plug refer
 * to 0x1111); every other node gets a new one above the highest in the tree
 * (as QEMU's VOF numbers them), stored as a "phandle" property so QEMU sees
 * the same numbers after quiesce.  Every node gets a
 * "name" property (QEMU writes none): its node name without "@unit".
 */

#define TREE_NO_NODE 0u	/* the "none" phandle of child/peer/parent */

/* Copy QEMU's tree (native: r3 at reset) and build everything above. */
int tree_init(const void *qemu_fdt);

/* The live blob and its buffer size (for UPDATE_DT and the CAS merge). */
void *tree_blob(void);
size_t tree_blob_size(void);

/*
 * Merge a new full tree (QEMU's CAS answer) into the live one by path: its
 * properties replace ours, its new nodes are added, nothing is removed, and
 * existing phandles stay.  0 on success.
 */
int tree_merge(const void *new_fdt);

/* Node navigation by phandle; TREE_NO_NODE when there is none. */
uint32_t tree_root(void);
uint32_t tree_child(uint32_t phandle);
uint32_t tree_peer(uint32_t phandle);
uint32_t tree_parent(uint32_t phandle);
int tree_valid(uint32_t phandle);

/* FDT offset of a node (for libfdt calls), or -1. */
int tree_offset(uint32_t phandle);

/*
 * Resolve a device path: absolute paths, aliases (/aliases), "alias:args"
 * and "path:args" (args are ignored here; *args_out points at them if
 * non-NULL), components without a unit address (first match), and unit
 * addresses compared case-insensitively.  Returns the phandle or 0.
 */
uint32_t tree_find(const char *path, const char **args_out);

/* Property access.  getprop returns the property or NULL; len gets its size. */
const void *tree_getprop(uint32_t phandle, const char *name, int *len);
/* Set (create or replace) a property; 0 or -1 (no room, bad node). */
int tree_setprop(uint32_t phandle, const char *name, const void *val, int len);
/* Name of the property after `prev` ("" or NULL = first); NULL at the end. */
const char *tree_nextprop(uint32_t phandle, const char *prev, int *error);

/* Full path of a node into buf (NUL-terminated if it fits); returns strlen. */
int tree_path(uint32_t phandle, char *buf, size_t buflen);

/*
 * Write a node's path (+ ":suffix" when given) to a client buffer the
 * IEEE 1275 way; returns the full length without the NUL, or -1.
 */
uint32_t tree_path_to_client(uint32_t phandle, const char *suffix, uint32_t buf, uint32_t buflen);

/* Number of nodes (for tests and tracing). */
unsigned int tree_node_count(void);

#endif /* VOFKIT_TREE_H */
