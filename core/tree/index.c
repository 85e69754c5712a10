/* SPDX-License-Identifier: Apache-2.0 */
/* Native tree index: node links, phandle, property and child-name hashes over the live FDT, and lookups through them. */

#include <string.h>
#include <libfdt.h>
#include <vofkit/core/heap.h>
#include <vofkit/core/tree.h>
#include <vofkit/lib/util.h>
#include "tree_priv.h"

/*
 * Linux's prom_init flattens the tree with nextprop, getproplen and getprop
 * for every property of every node, and looks nodes up by path; GRUB does
 * the same on a smaller scale.  Under TCG every instruction counts, and a
 * -smp 64 guest has 64 CPU nodes of ~35 properties each, so none of these
 * may scan: phandles, (node, property name) and (parent, child name) are
 * each found through an open-addressing hash table built from the blob.
 *
 * The tables are rebuilt after every edit of the blob (an edit moves the
 * offsets that follow it).  Clients edit rarely (prom_init sets a handful of
 * properties, claim rewrites "available"), so a rebuild per edit costs far
 * less than a scan per lookup.  Tables live in the bump heap and are never
 * freed: each is sized to twice its entries plus slack, and replaced by one
 * twice as big when it fills (the waste stays below the final size).
 */

void *tree_fdt;
size_t tree_fdt_size;
struct tree_node *tree_nodes;
unsigned int tree_nodes_used;
static unsigned int nodes_max;

/* phandle -> node index + 1 */
static uint32_t *ph_hash;
static unsigned int ph_hash_size;

/* (node, property name) -> property offset */
struct prop_slot {
	uint32_t node;		/* node index + 1; 0 = free slot */
	uint32_t hash;
	int offset;		/* offset of the property in the structure block */
};
static struct prop_slot *prop_hash;
static unsigned int prop_hash_size;
static unsigned int props_indexed;	/* properties in the hash now */

/* (parent, full child name) -> child index + 1 */
struct child_slot {
	uint32_t node;		/* node index + 1; 0 = free slot */
	uint32_t hash;
};
static struct child_slot *child_hash;
static unsigned int child_hash_size;

static uint32_t ph_slot(uint32_t ph)
{
	return (ph * 2654435761u) & (ph_hash_size - 1);
}

struct tree_node *tree_node_of(uint32_t ph)
{
	unsigned int s;

	if (!ph || !ph_hash)
		return NULL;
	for (s = ph_slot(ph); ph_hash[s]; s = (s + 1) & (ph_hash_size - 1)) {
		if (tree_nodes[ph_hash[s] - 1].phandle == ph)
			return &tree_nodes[ph_hash[s] - 1];
	}
	return NULL;
}

static uint32_t prop_key(uint32_t node, const char *name, size_t len)
{
	return tree_hash_bytes(TREE_HASH_SEED ^ (node * 2654435761u), name, len);
}

/* A property header in the structure block (layout fixed by the FDT format). */
static const struct fdt_property *prop_at(int offset)
{
	return (const struct fdt_property *)((const char *)tree_fdt + fdt_off_dt_struct(tree_fdt) +
					     offset);
}

static const char *prop_name(const struct fdt_property *p)
{
	return (const char *)tree_fdt + fdt_off_dt_strings(tree_fdt) + fdt32_ld(&p->nameoff);
}

/* The slot of a node's property, or NULL. */
static const struct prop_slot *prop_lookup(uint32_t node, const char *name)
{
	size_t len = strlen(name);
	uint32_t h = prop_key(node, name, len);
	unsigned int s;

	if (!prop_hash)
		return NULL;
	for (s = h & (prop_hash_size - 1); prop_hash[s].node; s = (s + 1) & (prop_hash_size - 1)) {
		const struct prop_slot *e = &prop_hash[s];

		if (e->node == node + 1 && e->hash == h && !strcmp(prop_name(prop_at(e->offset)), name))
			return e;
	}
	return NULL;
}

static uint32_t child_key(uint32_t parent, const char *name, size_t len)
{
	return tree_hash_bytes(TREE_HASH_SEED ^ (parent * 40503u), name, len);
}

struct tree_node *tree_child_named(const struct tree_node *parent, const char *name, size_t len)
{
	uint32_t pidx = tree_node_index(parent), h = child_key(pidx, name, len);
	unsigned int s;

	if (!child_hash)
		return NULL;
	for (s = h & (child_hash_size - 1); child_hash[s].node; s = (s + 1) & (child_hash_size - 1)) {
		struct tree_node *c = &tree_nodes[child_hash[s].node - 1];
		const char *cname;

		if (child_hash[s].hash != h || c->parent != pidx + 1)
			continue;
		cname = tree_node_name(c);
		if (!memcmp(cname, name, len) && !cname[len])
			return c;
	}
	return NULL;
}

/*
 * Make *table hold `entries` with room to spare: a power of two at least
 * twice as big plus slack, so hash probes stay short (the node array uses
 * the same rule).  A table that is big enough is kept.
 */
static int table_fit(void *table, unsigned int *size, unsigned int entries, size_t elem)
{
	unsigned int want = 64;
	void *t;

	while (want < 2 * entries + 64)
		want <<= 1;
	if (want <= *size)
		return 0;
	t = fw_heap_alloc(want * elem, 8);
	if (!t)
		return -1;
	*(void **)table = t;
	*size = want;
	return 0;
}

/* Make sure every table can hold this many nodes and properties. */
static int tree_reserve(unsigned int nodes, unsigned int props)
{
	return table_fit(&tree_nodes, &nodes_max, nodes, sizeof(*tree_nodes)) ||
	       table_fit(&ph_hash, &ph_hash_size, nodes, sizeof(*ph_hash)) ||
	       table_fit(&child_hash, &child_hash_size, nodes, sizeof(*child_hash)) ||
	       table_fit(&prop_hash, &prop_hash_size, props, sizeof(*prop_hash)) ? -1 : 0;
}

static void prop_insert(uint32_t node, int poff)
{
	const char *name = prop_name(prop_at(poff));
	uint32_t h = prop_key(node, name, strlen(name));
	unsigned int s = h & (prop_hash_size - 1);

	while (prop_hash[s].node)
		s = (s + 1) & (prop_hash_size - 1);
	prop_hash[s].node = node + 1;
	prop_hash[s].hash = h;
	prop_hash[s].offset = poff;
}

/* Properties of every node into the (cleared) property hash. */
static void props_index(void)
{
	unsigned int i;

	memset(prop_hash, 0, prop_hash_size * sizeof(*prop_hash));
	props_indexed = 0;
	for (i = 0; i < tree_nodes_used; i++) {
		int poff;

		fdt_for_each_property_offset(poff, tree_fdt, tree_nodes[i].offset) {
			prop_insert(i, poff);
			props_indexed++;
		}
	}
}

/* Count nodes and properties (to size the tables); -1 when too deep. */
static int tree_count(unsigned int *nodes, unsigned int *props)
{
	int off, depth = 0;

	*nodes = *props = 0;
	for (off = 0; off >= 0 && depth >= 0; off = fdt_next_node(tree_fdt, off, &depth)) {
		int poff;

		if (depth > TREE_MAX_DEPTH)
			return -1;
		(*nodes)++;
		fdt_for_each_property_offset(poff, tree_fdt, off)
			(*props)++;
	}
	return 0;
}

int tree_reindex(void)
{
	unsigned int stack[TREE_MAX_DEPTH + 1], last_at_depth[TREE_MAX_DEPTH + 2];
	unsigned int n = 0, nnodes, nprops;
	int off, depth = 0;

	if (tree_count(&nnodes, &nprops) || tree_reserve(nnodes, nprops))
		return -1;
	memset(ph_hash, 0, ph_hash_size * sizeof(*ph_hash));
	memset(child_hash, 0, child_hash_size * sizeof(*child_hash));
	for (off = 0; off >= 0 && depth >= 0 && n < nnodes;
	     off = fdt_next_node(tree_fdt, off, &depth)) {
		struct tree_node *nd = &tree_nodes[n];
		unsigned int s;

		nd->offset = off;
		nd->phandle = fdt_get_phandle(tree_fdt, off);
		nd->child = nd->sibling = 0;
		nd->parent = depth ? stack[depth - 1] + 1 : 0;
		if (depth) {
			struct tree_node *parent = &tree_nodes[stack[depth - 1]];
			const char *name = tree_node_name(nd);
			uint32_t h = child_key(stack[depth - 1], name, strlen(name));

			if (!parent->child)
				parent->child = n + 1;
			else
				tree_nodes[last_at_depth[depth]].sibling = n + 1;
			for (s = h & (child_hash_size - 1); child_hash[s].node;
			     s = (s + 1) & (child_hash_size - 1))
				;
			child_hash[s].node = n + 1;
			child_hash[s].hash = h;
		}
		stack[depth] = n;
		last_at_depth[depth] = n;
		last_at_depth[depth + 1] = 0;	/* a new child list starts below */
		for (s = ph_slot(nd->phandle); ph_hash[s]; s = (s + 1) & (ph_hash_size - 1))
			;
		ph_hash[s] = n + 1;
		n++;
	}
	tree_nodes_used = n;
	props_index();
	return 0;
}

void tree_refresh_offsets(void)
{
	unsigned int n = 0;
	int off, depth = 0;

	for (off = 0; off >= 0 && depth >= 0 && n < tree_nodes_used;
	     off = fdt_next_node(tree_fdt, off, &depth))
		tree_nodes[n++].offset = off;
	props_index();
}

void *tree_blob(void)
{
	return tree_fdt;
}

size_t tree_blob_size(void)
{
	return tree_fdt_size;
}

unsigned int tree_node_count(void)
{
	return tree_nodes_used;
}

int tree_valid(uint32_t ph)
{
	return tree_node_of(ph) != NULL;
}

int tree_offset(uint32_t ph)
{
	struct tree_node *nd = tree_node_of(ph);

	return nd ? nd->offset : -1;
}

uint32_t tree_root(void)
{
	return tree_nodes_used ? tree_nodes[0].phandle : TREE_NO_NODE;
}

static uint32_t link_phandle(uint32_t link)
{
	return link ? tree_nodes[link - 1].phandle : TREE_NO_NODE;
}

uint32_t tree_child(uint32_t ph)
{
	struct tree_node *nd = tree_node_of(ph);

	return nd ? link_phandle(nd->child) : TREE_NO_NODE;
}

uint32_t tree_peer(uint32_t ph)
{
	struct tree_node *nd = tree_node_of(ph);

	return nd ? link_phandle(nd->sibling) : TREE_NO_NODE;
}

uint32_t tree_parent(uint32_t ph)
{
	struct tree_node *nd = tree_node_of(ph);

	return nd ? link_phandle(nd->parent) : TREE_NO_NODE;
}

/* Out of line: every reader of a property goes through this one copy. */
__attribute__((noinline)) const void *tree_getprop(uint32_t ph, const char *name, int *len)
{
	struct tree_node *nd = tree_node_of(ph);
	const struct prop_slot *e = nd ? prop_lookup(tree_node_index(nd), name) : NULL;
	const struct fdt_property *p;

	if (!e)
		return NULL;
	p = prop_at(e->offset);
	if (len)
		*len = (int)fdt32_ld(&p->len);
	return p->data;
}

int tree_read_prop(uint32_t ph, const char *name, void *buf, size_t len)
{
	int size;
	const void *val = tree_getprop(ph, name, &size);

	if (!val)
		return -1;
	memcpy(buf, val, MIN((size_t)size, len));
	return size;
}

int tree_setprop(uint32_t ph, const char *name, const void *val, int len)
{
	struct tree_node *nd = tree_node_of(ph);

	/*
	 * Room for one more property first: once the blob is edited the index
	 * must follow, so nothing may fail after fdt_setprop.
	 */
	if (!nd || len < 0 || tree_reserve(tree_nodes_used, props_indexed + 1) ||
	    fdt_setprop(tree_fdt, nd->offset, name, val, len))
		return -1;
	tree_refresh_offsets();
	return 0;
}

const char *tree_nextprop(uint32_t ph, const char *prev, int *error)
{
	struct tree_node *nd = tree_node_of(ph);
	const char *name;
	int poff;

	*error = 0;
	if (!nd) {
		*error = -1;
		return NULL;
	}
	if (!prev || !*prev) {
		poff = fdt_first_property_offset(tree_fdt, nd->offset);
	} else {
		const struct prop_slot *e = prop_lookup(tree_node_index(nd), prev);

		if (!e) {
			*error = -1;	/* prev is not a property of this node */
			return NULL;
		}
		poff = fdt_next_property_offset(tree_fdt, e->offset);
	}
	if (poff < 0 || !fdt_getprop_by_offset(tree_fdt, poff, &name, NULL))
		return NULL;
	return name;
}

/*
 * Nodes the firmware made (disk@<unit> under a SCSI adapter, NVMe
 * namespaces): QEMU's CAS answer does not have them, and the merge must
 * not take them for nodes QEMU dropped.  Phandles never change, so the
 * set holds phandles.
 */
#define TREE_OWN_NODES_MAX 512
static uint32_t own_nodes[TREE_OWN_NODES_MAX];
static unsigned int own_nodes_used;

void tree_own_nodes_reset(void)
{
	if (IS_ENABLED(CONFIG_TREE_FIRMWARE_NODES))
		own_nodes_used = 0;
}

bool tree_is_own_node(uint32_t phandle)
{
	unsigned int i;

	if (!IS_ENABLED(CONFIG_TREE_FIRMWARE_NODES))
		return false;
	for (i = 0; phandle && i < own_nodes_used; i++) {
		if (own_nodes[i] == phandle)
			return true;
	}
	return false;
}

uint32_t tree_add_node(uint32_t parent, const char *name)
{
	struct tree_node *nd = tree_node_of(parent);
	int off;

	/* a node the merge could not protect is not made at all */
	if (!nd || (IS_ENABLED(CONFIG_TREE_FIRMWARE_NODES) && own_nodes_used == TREE_OWN_NODES_MAX))
		return TREE_NO_NODE;
	off = fdt_add_subnode(tree_fdt, nd->offset, name);
	if (off < 0 || tree_complete_nodes() || tree_reindex())
		return TREE_NO_NODE;
	/* tree_complete_nodes gave the node a name and a phandle */
	nd = tree_child_named(tree_node_of(parent), name, strlen(name));
	if (!nd)
		return TREE_NO_NODE;
	if (IS_ENABLED(CONFIG_TREE_FIRMWARE_NODES))
		own_nodes[own_nodes_used++] = nd->phandle;
	return nd->phandle;
}
