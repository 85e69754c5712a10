/* SPDX-License-Identifier: Apache-2.0 */
/* Shared state of the native tree's files (blob, node index, property index): private to core/tree/. */
#ifndef VOFKIT_CORE_TREE_PRIV_H
#define VOFKIT_CORE_TREE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libfdt.h>

/*
 * Index entry per node, in depth-first (FDT) order.  Links are indexes + 1
 * so that 0 means "none".  Only `offset` changes when a property is edited.
 */
struct tree_node {
	int offset;
	uint32_t phandle;
	uint32_t parent, child, sibling;
};

/* Was this node made by tree_add_node (kept by the CAS merge)? */
bool tree_is_own_node(uint32_t phandle);
/* A new tree (tree_init) has made none yet. */
void tree_own_nodes_reset(void);

/* Deeper trees are refused: paths and merges keep a stack this deep. */
#define TREE_MAX_DEPTH 32

extern void *tree_fdt;			/* the live blob */
extern size_t tree_fdt_size;		/* its buffer */
extern struct tree_node *tree_nodes;
extern unsigned int tree_nodes_used;

/*
 * A node's full name ("name@unit"), straight from the structure block.  The
 * index only holds offsets of BEGIN_NODE tags, whose name follows the tag;
 * libfdt's fdt_get_name re-checks the tag and finds the name's end one
 * bounds-checked byte at a time, which under TCG made a path lookup cost
 * several times QEMU's VOF.
 */
static inline const char *tree_node_name(const struct tree_node *nd)
{
	return (const char *)tree_fdt + fdt_off_dt_struct(tree_fdt) + nd->offset + FDT_TAGSIZE;
}

/* The index entry of a phandle, or NULL. */
struct tree_node *tree_node_of(uint32_t phandle);

/* Node index of an entry (for hashing and link values). */
static inline uint32_t tree_node_index(const struct tree_node *nd)
{
	return (uint32_t)(nd - tree_nodes);
}

/*
 * Give every node a "name" and a phandle (core/tree/build.c).  Run after
 * anything that adds nodes, before tree_reindex().
 */
int tree_complete_nodes(void);

/*
 * Rebuild the node links, the phandle hash and the property and child
 * indexes after the structure changed (nodes added or removed); grows the
 * index first if the blob has more room for nodes.  0 or -1.
 */
int tree_reindex(void);

/*
 * After property edits only: node offsets and the property index.  The
 * caller made room for the properties first (tree_setprop does).
 */
void tree_refresh_offsets(void);

/* The child of `parent` whose full name ("name@unit") is exactly name[0..len), or NULL. */
struct tree_node *tree_child_named(const struct tree_node *parent, const char *name, size_t len);

/* 32-bit FNV-1a, the hash every tree index uses. */
static inline uint32_t tree_hash_bytes(uint32_t h, const char *p, size_t len)
{
	while (len--)
		h = (h ^ (uint8_t)*p++) * 16777619u;
	return h;
}
#define TREE_HASH_SEED 2166136261u

#endif /* VOFKIT_CORE_TREE_PRIV_H */
